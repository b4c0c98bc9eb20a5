"""Steps: what the flows orchestrate, as plain functions over a frozen config.

``pipeline`` (intake, parse, extract, check, load), ``quality`` (the Great Expectations
runner), ``runs`` (run rows and summaries), ``scope`` (which sketches a rerun touches).
"""
