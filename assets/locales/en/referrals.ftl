referrals-new = New referral
referrals-overdue-only = Overdue follow-ups only
referrals-overdue-count = { $count ->
    [one] 1 overdue follow-up
   *[other] { $count } overdue follow-ups
}
referrals-overdue-hint = The follow-up date has passed and no outcome is recorded yet
referrals-col-date = Date
referrals-col-subject = Person / household
referrals-col-service = Service
referrals-col-reason = Reason
referrals-col-follow-up = Follow-up
referrals-col-outcome = Outcome
referral-new-title = New referral to the network
referral-edit-title = Referral to the network
referral-subject = Person or household
referral-date = Date of the referral
referral-service = Territorial service
referral-line = Service line
referral-operator = Operator
referral-reason = Reason
referral-follow-up = Follow-up date
referral-outcome = Outcome of the referral
referral-outcome-note = Note on the outcome
referral-overdue-banner = Follow-up overdue: record the outcome of the referral.
referral-saved = Referral saved.
