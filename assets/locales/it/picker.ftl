picker-unavailable = Su questo computer non si può aprire la finestra di scelta dei file (manca il portale del desktop e il programma zenity). Scrivi qui il percorso completo del file.
picker-typed-label = Percorso
picker-typed-ok = OK
picker-typed-empty = Scrivi un percorso.
picker-typed-no-file = Il file non esiste: controlla il percorso.
picker-typed-no-folder = La cartella non esiste: controlla il percorso.
