"""The report kinds, independent of one another: PAR-index scoring sheets (``par``) and the
narrative body (``narrative``), a part any report can have. The annex kind (``annex``) is the
forms of the schema with the rules engine.  ``desktop.registry`` lists them."""
