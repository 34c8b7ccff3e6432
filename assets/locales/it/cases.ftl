cases-new = Nuova presa in carico
cases-col-opened = Aperta il
cases-col-subject = Persona / nucleo
cases-col-line = Linea
cases-col-status = Stato
cases-col-referente = Referente
cases-col-closed = Chiusa il
case-new-title = Nuova presa in carico
case-edit-title = Presa in carico
case-subject = Persona o nucleo
case-line = Linea di servizio
case-opened = Data di apertura
case-status = Stato
case-referente = Referente
case-team = Équipe
case-team-count = { $count ->
    [one] 1 operatore
   *[other] { $count } operatori
}
case-need = Bisogno
case-plan = Piano / obiettivi
case-goal-hint = Obiettivo
case-goal-review = verifica
case-goal-done = raggiunto
case-goal-remove = Togli l'obiettivo
case-goal-add = Aggiungi obiettivo
case-closed = Data di chiusura
case-outcome = Esito
case-close = Chiudi la presa in carico
case-close-hint = Imposta lo stato «Chiusa» con la data di oggi; scrivi l'esito e salva
case-reopen = Riapri
case-saved = Presa in carico salvata.
