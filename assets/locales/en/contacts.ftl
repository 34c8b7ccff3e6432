contacts-new = New contact
contacts-new-hint = Quick front-desk entry (Ctrl+N)
contacts-search-hint = Name of the person or household
contacts-count = { $shown ->
    [one] 1 contact
   *[other] { $shown } contacts
} of { $total } in the year
contacts-col-date = Date and time
contacts-col-subject = Person / household
contacts-col-line = Line
contacts-col-kind = Kind
contacts-col-measure = Measure
contacts-col-desk = Desk
contacts-col-operator = Operator
contacts-col-minutes = Min.
contact-new-title = New contact
contact-edit-title = Contact
contact-subject = Person or household
contact-new-person = New person, registered with the contact:
contact-new-person-cancel = Search registered people
contact-same-name = Already registered with the same name (click to choose):
contact-when = Date
contact-time = Time
contact-line = Service line
contact-kind = Kind of contact
contact-measure = Measure / call
contact-desk = Desk
contact-operator = Operator
contact-minutes = Duration (minutes)
contact-note = Notes
contact-confidential = Confidential note
contact-open-person = Open the person's file
contact-saved = Contact recorded: { $name }
contact-cf-taken = Codice fiscale already registered for: { $holders }. Choose the registered person instead of registering a new one.
