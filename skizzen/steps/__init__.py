"""Steps: what the flows orchestrate, as plain functions over a frozen config.

``intake`` (every mail stored raw and recorded, containers opened), ``judge`` (one
attachment's triage, conversion, OCR, parse and classification), ``pipeline`` (the work a
killed run left, outcomes recorded, extract, check, what staff take as a sketch or
unlock), ``versions`` (which sketch supersedes which), ``quality`` (the Great Expectations
runner), ``pruefbericht`` and ``datadocs`` (the German check report, Data Docs made
readable offline), ``runs`` (run rows and summaries), ``scope`` (which sketches a rerun
touches).
"""
