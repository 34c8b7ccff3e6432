## Attached documents (issue 15 part 3)

documents-preview-loading = Preparing the preview…
documents-preview-first-page = First page of { $pages }
documents-preview-alt = Preview of the document
documents-drop-hint = Drop here to attach to { $target }
