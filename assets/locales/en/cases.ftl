cases-new = New case
cases-col-opened = Opened
cases-col-subject = Person / household
cases-col-line = Line
cases-col-status = Status
cases-col-referente = Case worker
cases-col-closed = Closed
case-new-title = New case
case-edit-title = Case
case-subject = Person or household
case-line = Service line
case-opened = Opened on
case-status = Status
case-referente = Case worker
case-team = Team
case-team-count = { $count ->
    [one] 1 operator
   *[other] { $count } operators
}
case-need = Need
case-plan = Plan / goals
case-goal-hint = Goal
case-goal-review = review
case-goal-done = achieved
case-goal-remove = Remove the goal
case-goal-add = Add goal
case-closed = Closed on
case-outcome = Outcome
case-close = Close the case
case-close-hint = Sets the status «Closed» with today's date; write the outcome and save
case-reopen = Reopen
case-saved = Case saved.
