"""Documents: PDF bytes to a ``ParsedDocument``.

``pdfread`` reads words with boxes and style, shapes and form fields with PDFium (text
repair: glyphs, ligatures, hyphens); ``parsing`` runs it in a sandboxed child process with
time and memory limits and keeps the result in the parse cache.
"""
