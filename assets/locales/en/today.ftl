today-heading = Today, { $date }
today-operator = Operator
today-all-team = The whole team
today-loading = Preparing the list…
today-none = Nothing overdue or coming up. Good work!
today-denied = Some items are missing: your role does not see every kind of record.
today-due-section = Overdue and due today ({ $n })
today-soon-section = In the next days ({ $n })
today-today = today
today-open-hint = Open the record
today-kind-referral = Referral check
today-kind-probation = Probation
today-kind-internship = Internship
today-kind-goals = Plan goals
today-kind-informativa = Privacy notice
today-referral = referral to { $service } of { $date }: check due on { $follow }, outcome to record
today-probation-behind = { $done } hours of { $required }, { $expected } expected by today — { $behind } hours behind
today-probation-hours = { $done } hours of { $required }, { $expected } expected by today
today-probation-hidden = hours not visible to your role
today-ends = ends on { $date }
today-internship = at { $host }: ends on { $date }
today-goals = { $n ->
    [one] 1 goal to review since { $date }: “{ $first }”
   *[other] { $n } goals to review, the first since { $date }: “{ $first }”
}
today-informativa = no privacy notice recorded; { $n ->
    [one] 1 contact
   *[other] { $n } contacts
} since { $date }
today-settings = Today's thresholds
today-behind-hours = Probation behind by at least
today-ending-days = Projects ending within
today-informativa-days = Missing privacy notice: contacts of the last
today-hours-suffix = { " " }hours
today-days-suffix = { " " }days
today-save = Save the thresholds
today-saved = Thresholds saved.
today-intro = Today's appointments and your deadlines. One click opens the record.
today-intro-team = Today's appointments and the team's deadlines: choose an operator to see theirs. One click opens the record.
today-appointments-section = Today's appointments ({ $n })
today-kind-appointment = Appointment
today-appointment = { $minutes } minutes, { $desk } ({ $outcome })
today-kind-pratica = Application
today-pratica = { $bando }: { $n ->
    [one] 1 document missing
   *[other] { $n } documents missing
}; the call closes on { $date }
