app-title = Accoglienza
welcome-title = Welcome to Accoglienza
welcome-text = The database is empty. You can load demo data to try the program, or start registering people.
welcome-demo = Load demo data
welcome-empty = Start empty
status-database = Database: { $path }
status-records = { $count } records
status-counts = { $people ->
    [one] 1 person
   *[other] { $people } people
} · { $households ->
    [one] 1 household
   *[other] { $households } households
}
status-loading-people = Loading the registry…
nav-people = People
nav-households = Households
nav-contacts = Contacts
nav-appointments = Appointments
nav-cases = Cases
nav-projects = Projects
nav-referrals = Referrals
nav-activities = Activities
nav-team = Team
nav-dashboard = Dashboard
nav-settings = Settings
nav-shortcut = Shortcut: Alt+{ $n }
top-search = Find
top-desk = Desk
top-operator = Operator
top-no-operator = no operator
quit-unsaved = A form has unsaved changes. Close the program anyway and lose them?
quit-yes = Close and lose the changes
nav-today = Today
nav-today-badge = Today ({ $n })
nav-today-badge-hint = { $n ->
    [one] 1 thing overdue or due today
   *[other] { $n } things overdue or due today
}
