contacts-new = Nuovo accesso
contacts-new-hint = Registrazione rapida allo sportello (Ctrl+N)
contacts-search-hint = Nome della persona o del nucleo
contacts-count = { $shown ->
    [one] 1 accesso
   *[other] { $shown } accessi
} su { $total } dell'anno
contacts-col-date = Data e ora
contacts-col-subject = Persona / nucleo
contacts-col-line = Linea
contacts-col-kind = Tipo
contacts-col-measure = Misura
contacts-col-desk = Sportello
contacts-col-operator = Operatore
contacts-col-minutes = Min.
contact-new-title = Nuovo accesso
contact-edit-title = Accesso
contact-subject = Persona o nucleo
contact-new-person = Nuova persona, registrata insieme all'accesso:
contact-new-person-cancel = Cerca tra le persone registrate
contact-same-name = Già registrati con lo stesso nome (clic per sceglierli):
contact-when = Data
contact-time = Ora
contact-line = Linea di servizio
contact-kind = Tipo di accesso
contact-measure = Misura / bando
contact-desk = Sportello
contact-operator = Operatore
contact-minutes = Durata (minuti)
contact-note = Note
contact-confidential = Nota riservata
contact-open-person = Apri la cartella
contact-saved = Accesso registrato: { $name }
contact-cf-taken = Codice fiscale già registrato per: { $holders }. Scegli la persona registrata invece di registrarne una nuova.
