merge-title = Unisci i dati di un altro sportello
merge-explain = Porta in questo database i dati di un backup fatto su un'altra postazione: i record nuovi si aggiungono, le modifiche fatte solo dall'altra parte si prendono, lo stesso campo modificato in modo diverso dalle due parti si decide qui sotto. Il catalogo si abbina per codice.
merge-start = Unisci i dati di un altro sportello…
merge-dialog = Backup dell'altro sportello
merge-waiting-dialog = In attesa della scelta del file…
merge-passphrase = Passphrase
merge-encrypted-needs = Il backup è cifrato: inserisci la sua passphrase.
merge-passphrase-empty = Inserisci la passphrase.
merge-open = Apri
merge-cancel = Annulla
merge-reading = Lettura e confronto…
merge-writing = Unione in corso…
merge-preview = Anteprima dell'unione (nulla è ancora stato scritto)
merge-from = Dati di { $desk }, backup del { $when }
merge-kind = Tipo di record
merge-added = Aggiunti
merge-updated = Aggiornati
merge-conflicting = In conflitto
merge-unchanged = Uguali
merge-catalogue-matched = Voci del catalogo riconosciute per codice: { $n }
merge-people-merged = Unioni di persone fatte all'altro sportello da applicare: { $n }
merge-nothing = Questo database ha già tutti questi dati: nulla da unire.
merge-conflicts-title = Conflitti: lo stesso campo modificato in modo diverso dai due sportelli
merge-conflicts-left = { $n ->
    [one] Resta 1 conflitto da decidere.
   *[other] Restano { $n } conflitti da decidere.
}
merge-record = Record
merge-field = Campo
merge-here = Questo sportello
merge-there = Altro sportello
merge-choice = Scelta
merge-keep-here = Tieni questo
merge-take-there = Prendi l'altro
merge-keep-both = Tieni entrambi
merge-all-here = Tutti: tieni questo
merge-all-there = Tutti: prendi l'altro
merge-go = Unisci ora
merge-done = Unione completata: { $added } record aggiunti, { $updated } aggiornati.
merge-duplicates-found = { $n ->
    [one] 1 possibile doppione: la stessa persona registrata ai due sportelli (vedi Possibili doppioni).
   *[other] { $n } possibili doppioni: la stessa persona registrata ai due sportelli (vedi Possibili doppioni).
}
merge-failed = Unione non eseguita: { $why }
dup-title = Possibili doppioni
dup-explain = Coppie di persone che potrebbero essere la stessa persona: stesso codice fiscale, nomi simili e stessa data di nascita.
dup-search = Cerca possibili doppioni
dup-none = Nessun possibile doppione.
dup-first = Prima persona
dup-second = Seconda persona
dup-score = Somiglianza
dup-reasons = Perché
dup-merge = Unisci…
dup-recent = Unioni recenti (annullabili fino alla prossima unione con un altro sportello)
dup-undo = Annulla l'unione di { $name }
dup-undone = Unione annullata: le due persone sono tornate com'erano.
pm-title = Unisci due persone
pm-explain = Scegli, campo per campo, che cosa tiene la persona che resta. Accessi, prese in carico, progetti, invii, presenze e nucleo dell'altra passano alla persona che resta; l'altro identificativo resta come alias.
pm-keep = Resta
pm-other = Unita
pm-field = Campo
pm-same = Gli altri campi sono uguali.
pm-linked = Record dell'altra persona che passano alla persona che resta: { $n }
pm-go = Unisci le due persone
pm-close = Chiudi
pm-done = Persone unite: { $n } record spostati.
pm-swap = Scambia chi resta
dup-needs-permission = Unire persone e vedere i possibili doppioni spetta a chi ha i permessi «anagrafica» e «registro» (come la cancellazione).
