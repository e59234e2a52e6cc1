"""The application without Qt: the command line, the open report (session), the demo, the clipboard."""
