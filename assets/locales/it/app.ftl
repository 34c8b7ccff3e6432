app-title = Accoglienza
welcome-title = Benvenuti in Accoglienza
welcome-text = Il database è vuoto. Puoi caricare dati di esempio per provare il programma, oppure iniziare a registrare le persone.
welcome-demo = Carica dati di esempio
welcome-empty = Inizia vuoto
status-database = Database: { $path }
status-records = { $count } record
status-counts = { $people ->
    [one] 1 persona
   *[other] { $people } persone
} · { $households ->
    [one] 1 nucleo
   *[other] { $households } nuclei
}
status-loading-people = Caricamento dell'anagrafica…
nav-people = Persone
nav-households = Famiglie
nav-contacts = Accessi
nav-appointments = Appuntamenti
nav-cases = Prese in carico
nav-projects = Progetti
nav-referrals = Invii
nav-activities = Attività
nav-team = Équipe
nav-dashboard = Cruscotto
nav-settings = Impostazioni
nav-shortcut = Scorciatoia: Alt+{ $n }
top-search = Trova
top-desk = Sportello
top-operator = Operatore
top-no-operator = nessun operatore
quit-unsaved = Un modulo ha modifiche non salvate. Chiudere comunque il programma e perderle?
quit-yes = Chiudi e perdi le modifiche
nav-today = Oggi
nav-today-badge = Oggi ({ $n })
nav-today-badge-hint = { $n ->
    [one] 1 cosa scaduta o da fare oggi
   *[other] { $n } cose scadute o da fare oggi
}
