"""Outputs: what reporting consumers read – ``export`` (CSV, JSONL, Excel of the current
records) and ``report`` (the jury report with its statistics)."""
