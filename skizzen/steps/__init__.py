"""Steps: what the flows orchestrate, as plain functions over a frozen config.

``intake`` (every mail stored raw and recorded, containers opened), ``pipeline`` (the
work a killed run left, triage, conversion, OCR, parse, extract, versions, check), ``quality`` (the Great Expectations
runner), ``runs`` (run rows and summaries), ``scope`` (which sketches a rerun touches).
"""
