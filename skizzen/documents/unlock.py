"""An encrypted PDF opened with the password staff were given (by phone, in a later mail).

pikepdf (qpdf) opens it with the password and saves it without encryption; the copy is
stored by its own sha256 and processed like any received PDF, while the original stays as
received. The password is used for this one call: never stored, never logged.
"""

from __future__ import annotations

import io

__all__ = ["decrypted_pdf"]


def decrypted_pdf(data: bytes, password: str) -> bytes | None:
    """``data`` without its encryption, or None when ``password`` does not open it."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), password=password) as pdf:
            out = io.BytesIO()
            pdf.save(out)  # without ``encryption``: saved unencrypted
            return out.getvalue()
    except pikepdf.PasswordError:
        return None
