"""Trino's ``format_datetime`` / ``parse_datetime`` patterns (Joda's DateTimeFormat) as
tokens, for either engine to print in its own terms.

``tokens(pattern)`` gives ``("text", s)`` for literal text and ``("field", letters)``
for a run of one pattern letter (``yyyy``, ``MMM``, ``Z``...).  Text is read as Joda
reads it: ``''`` is a quote (inside quotes or out), quoted text and unquoted
non-letters are literal, text left unclosed runs to the pattern's end (the ALB
guide's ``'yyyy-MM-dd''T''HH:mm:ss.SSSSSS''Z'`` ends in the literal Z).
"""
from __future__ import annotations


def literal(pattern: str, i: int) -> tuple[str, int]:
    """The literal text that starts at ``pattern[i]``, and the index after it."""
    out: list[str] = []
    quoted = False
    while i < len(pattern):
        c = pattern[i]
        if c == "'" and pattern[i + 1:i + 2] == "'":
            out.append("'")
            i += 2
            continue
        if c == "'":
            quoted = not quoted
        elif not quoted and c.isascii() and c.isalpha():
            break
        else:
            out.append(c)
        i += 1
    return "".join(out), i


def tokens(pattern: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch.isascii() and ch.isalpha():
            run = len(pattern[i:]) - len(pattern[i:].lstrip(ch))
            out.append(("field", pattern[i:i + run]))
            i += run
            continue
        text, i = literal(pattern, i)
        if out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + text)
        else:
            out.append(("text", text))
    return out
