"""Trino's MySQL-style date specifiers (``date_format``, ``date_parse``) as SQLGlot hands
them over, for every engine: the format split into tokens, and the specifiers Trino
refuses ("%D not supported in date format string")."""
from __future__ import annotations

# the strftime code SQLGlot made -> the Trino specifier it came from, for those Trino refuses
REFUSED = {"%D": "%D", "%U": "%U", "%W": "%u", "%V": "%V", "%w": "%w", "%X": "%X"}


def tokens(fmt: str) -> list[str]:
    """The format's specifiers (``%Y``, ``%-d``) and single characters, in order."""
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            size = 3 if fmt[i + 1] == "-" and i + 2 < len(fmt) else 2
            out.append(fmt[i:i + size])
            i += size
        else:
            out.append(fmt[i])
            i += 1
    return out
