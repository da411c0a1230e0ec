"""``INTERVAL 'text' unit [TO unit]`` read as Trino reads it: the text is the value, whatever
it holds.

SQLGlot splits a text that looks like a number and a unit (``'12 X'``) into the two, and
then cannot read the unit written after it (``INTERVAL '12 X' DAY TO HOUR`` was a
SYNTAX_ERROR at ``TO``); Trino's grammar always takes the unit after the text, and its
check of the text (``sql.trino.intervals``) makes ``'12 X'`` INVALID_LITERAL.
"""
from __future__ import annotations

from sqlglot import exp
from sqlglot.parsers.athena import AthenaTrinoParser

_BASE = AthenaTrinoParser._parse_interval_span
_UNITS = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"}


def _parse_interval_span(self, this: exp.Expression, parse_function_unit: bool = True) -> exp.Interval:
    if this is not None and this.is_string and self._curr is not None and self._curr.text.upper() in _UNITS \
            and exp.INTERVAL_STRING_RE.findall(this.name):
        unit: exp.Expression = exp.var(self._curr.text.upper())
        self._advance()
        if self._match_text_seq("TO"):
            end = self._curr.text.upper() if self._curr is not None else ""
            self._advance()
            unit = exp.IntervalSpan(this=unit, expression=exp.var(end))
        return self.expression(exp.Interval(this=this, unit=unit))
    return _BASE(self, this, parse_function_unit)


AthenaTrinoParser._parse_interval_span = _parse_interval_span
