people-new = Nuova persona
people-new-hint = Registra una persona (con quanto scritto nella ricerca)
people-search-hint = Cognome, nome o codice fiscale
people-count = { $shown ->
    [one] 1 persona
   *[other] { $shown } persone
} su { $total }
people-col-surname = Cognome
people-col-name = Nome
people-col-birth = Nascita
people-col-cf = Codice fiscale
people-col-phone = Telefono
people-col-municipio = Municipio
people-col-household = Nucleo
