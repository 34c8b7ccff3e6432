referrals-new = Nuovo invio
referrals-overdue-only = Solo verifiche scadute
referrals-overdue-count = { $count ->
    [one] 1 verifica scaduta
   *[other] { $count } verifiche scadute
}
referrals-overdue-hint = La data di verifica è passata e l'esito non è ancora registrato
referrals-col-date = Data
referrals-col-subject = Persona / nucleo
referrals-col-service = Servizio
referrals-col-reason = Motivo
referrals-col-follow-up = Verifica
referrals-col-outcome = Esito
referral-new-title = Nuovo invio alla rete
referral-edit-title = Invio alla rete
referral-subject = Persona o nucleo
referral-date = Data dell'invio
referral-service = Servizio territoriale
referral-line = Linea di servizio
referral-operator = Operatore
referral-reason = Motivo
referral-follow-up = Data di verifica
referral-outcome = Esito dell'invio
referral-outcome-note = Nota sull'esito
referral-overdue-banner = Verifica scaduta: registra l'esito dell'invio.
referral-saved = Invio salvato.
