"""The report as exchanged and printed: the interchange JSON, Excel (export and import), PDF,
Word; the annex model and the body blocks they share."""
