"""Outputs: what reporting consumers read – ``export`` (JSONL of the current records and of
every attachment), ``table`` (the CSV/Excel columns, rows and CSV), ``workbook`` (Excel),
``stats`` (the report's statistics) and ``report`` (the jury report, and all three files)."""
