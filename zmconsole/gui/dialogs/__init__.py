"""The console's dialogs; each is opened with open() (window-modal, non-blocking), never exec()."""
