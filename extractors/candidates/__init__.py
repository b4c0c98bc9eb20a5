"""Candidates: every reading of every field, with the features the scorer weighs.

Sources, for each field, a module each:

* **key/value pairs** of the graph (``extractors.kv``): a label and one of its value options
  (inline, right, below, a row cell), parsed by the field's value parser; and **form
  fields** of fillable PDFs (their values are words with ``origin == "form"``, so the graph
  sees them like printed text; the field name is a label of its own): ``labelled``;
* **typed scans** of the running text: every amount, date, duration, e-mail address, phone
  number, postcode, public body, person, district and state, with the words around it as
  context ("Die Gesamtkosten belaufen sich auf rund …", "… bewirbt sich die Gemeinde …"):
  ``prose``;
* **layout**: the largest line of page 1 as a title, check-box lists for the topic fields:
  ``layout``;
* **not found**, a candidate of its own (``value is None``), so absence competes too.

``cand`` holds what they make, ``parse`` the value parsers they share, ``collect`` runs
them all, and ``features`` adds the features that compare candidates (agreement, validity,
position) and drops duplicates. No candidate is final here: ``extractors.scorer`` ranks them
with learned weights and cross-field consistency.
"""
