today-heading = Oggi, { $date }
today-operator = Operatore
today-all-team = Tutta l'équipe
today-loading = Preparo l'elenco…
today-none = Niente di scaduto o in scadenza. Buon lavoro!
today-denied = Alcune voci non compaiono: il tuo ruolo non vede tutti i tipi di scheda.
today-due-section = Scaduti e da fare oggi ({ $n })
today-soon-section = Nei prossimi giorni ({ $n })
today-today = oggi
today-open-hint = Apri la scheda
today-kind-referral = Verifica invio
today-kind-probation = Messa alla prova
today-kind-internship = Tirocinio
today-kind-goals = Obiettivi del piano
today-kind-informativa = Informativa
today-referral = invio a { $service } del { $date }: verifica prevista il { $follow }, esito da registrare
today-probation-behind = { $done } ore su { $required }, previste { $expected } a oggi — { $behind } ore indietro
today-probation-hours = { $done } ore su { $required }, previste { $expected } a oggi
today-probation-hidden = ore non visibili con il tuo ruolo
today-ends = termina il { $date }
today-internship = presso { $host }: termina il { $date }
today-goals = { $n ->
    [one] 1 obiettivo da rivedere dal { $date }: «{ $first }»
   *[other] { $n } obiettivi da rivedere, il primo dal { $date }: «{ $first }»
}
today-informativa = nessuna informativa registrata; { $n ->
    [one] 1 accesso
   *[other] { $n } accessi
} dal { $date }
today-settings = Soglie di Oggi
today-behind-hours = Messa alla prova in ritardo di almeno
today-ending-days = Progetti che terminano entro
today-informativa-days = Informativa mancante: accessi degli ultimi
today-hours-suffix = { " " }ore
today-days-suffix = { " " }giorni
today-save = Salva le soglie
today-saved = Soglie salvate.
today-intro = Gli appuntamenti di oggi e le tue scadenze. Un clic apre la scheda.
today-intro-team = Gli appuntamenti di oggi e le scadenze dell'équipe: scegli un operatore per vedere le sue. Un clic apre la scheda.
today-appointments-section = Appuntamenti di oggi ({ $n })
today-kind-appointment = Appuntamento
today-appointment = { $minutes } minuti, { $desk } ({ $outcome })
today-kind-pratica = Pratica
today-pratica = { $bando }: { $n ->
    [one] manca 1 documento
   *[other] mancano { $n } documenti
}; il bando chiude il { $date }
