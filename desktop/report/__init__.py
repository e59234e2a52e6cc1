"""One report as data: reading it (``data``) and the operations that change it (``ops``)."""
