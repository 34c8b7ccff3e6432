## Attached documents (issue 15 part 3)

documents-preview-loading = Preparo l'anteprima…
documents-preview-first-page = Prima pagina di { $pages }
documents-preview-alt = Anteprima del documento
documents-drop-hint = Rilascia qui per allegare a { $target }
