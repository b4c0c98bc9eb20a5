"""Intake: from a mail source to stored raw bytes and rows, before any parsing.

``sources`` (folders, Maildir; dispatches to ``imap``), ``item`` (one raw message),
``mail`` (MIME: leaf attachments, forwarded messages), ``store`` (blobs by sha256),
``triage`` (magic bytes, size, decompression bombs, encryption).
"""
