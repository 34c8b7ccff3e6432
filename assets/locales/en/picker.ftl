picker-unavailable = No file chooser can open on this computer (the desktop portal and the zenity program are missing). Type the full path of the file here.
picker-typed-label = Path
picker-typed-ok = OK
picker-typed-empty = Type a path.
picker-typed-no-file = The file does not exist: check the path.
picker-typed-no-folder = The folder does not exist: check the path.
