"""Steps: what the flows orchestrate, as plain functions over a frozen config.

``intake`` (every mail stored raw and recorded, containers opened), ``pipeline`` (the
work a killed run left, triage, conversion, OCR, parse, extract, versions, check, what
staff take as a sketch), ``quality`` (the Great Expectations runner), ``pruefbericht``
and ``datadocs`` (the German check report, Data Docs made readable offline), ``runs``
(run rows and summaries), ``scope`` (which sketches a rerun touches).
"""
