"""Names of files given from outside (a browser upload, a caller): never trusted as paths.

A browser may send « C:\\Users\\x\\rapport.pdf », a hostile client « ../../etc/passwd.md »; names
may hold newlines or decomposed accents (macOS). The document keeps a clean name inside the
corpus folder, or is refused with a French reason.
"""
from __future__ import annotations

import re
import unicodedata

from assistant.ingest.readers import SUPPORTED_SUFFIXES
from assistant.errors import DocumentError

# Most filesystems allow 255 bytes per name; the margin leaves room for the staging suffix.
MAX_NAME_BYTES = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def document_name(raw: str) -> str:
    """The last path component, in NFC, control characters turned into spaces, without the leading
    dots that would hide it; raises DocumentError when nothing usable is left."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_CONTROL.sub(" ", name).split()).lstrip(". ")
    if not name:
        raise DocumentError(raw.strip() or "(sans nom)", "le nom du fichier est vide ou invalide")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise DocumentError(name[:60] + "…", f"le nom du fichier est trop long ({len(name)} caractères) ; "
                                            "renommez-le puis réessayez")
    if not name.lower().endswith(SUPPORTED_SUFFIXES):
        suffix = name.rsplit(".", 1)[-1] if "." in name else ""
        raise DocumentError(name, f"format « {'.' + suffix if suffix else 'sans extension'} » non pris en "
                                  "charge (formats acceptés : PDF, Markdown .md, texte .txt)")
    return name
