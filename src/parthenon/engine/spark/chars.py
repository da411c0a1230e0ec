"""Trino's CHAR(n) on Spark: a STRING padded with spaces to n characters.

- ``CAST(x AS CHAR(n))`` pads text to n characters and cuts longer text (Spark's
  RPAD does both); a number or other value whose text is longer than n fails
  (INVALID_CAST_ARGUMENT), as in Trino.  ``CHAR 'abc'`` is char(3), ``char`` char(1).
- ``CAST(c AS VARCHAR(m))`` is the padded value cut to m characters (Trino's).
- Comparisons with a char on either side pad both sides to the longer length
  (Trino's pad semantics: ``CAST('foo' AS CHAR(3)) = CAST('foo' AS CHAR(5))``);
  DISTINCT sees the padded values, which are equal where Trino's are.
- ``length`` counts the padding, a result column shows it; ``LIKE``, ``reverse``,
  ``lower``, ``upper`` and ``concat`` of chars see the padded value (``concat`` of a
  char with varchars drops its padding: ``strings``); so do the characters to remove of
  ``trim``/``ltrim``/``rtrim`` of a varchar (Trino's char(n) to code points pads to n),
  and the path of ``json_size`` (Trino's cast of char(n) to JsonPath pads to n).

Any other use of a char value (functions, casts to other types, arithmetic) is
refused (``refuse_other_uses``): Trino's char overloads differ from Spark's string
ones in how they treat the padding.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.nodes import int_literal, is_type, not_supported
from ...sql.trino.typing import TEXT
from .templates import call, spark

DType = exp.DType
_COMPARISONS = (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE, exp.NullSafeEQ, exp.NullSafeNEQ)
_ALLOWED_PARENTS = (*_COMPARISONS, exp.Between, exp.Length, exp.Select, exp.Tuple, exp.Values, exp.Paren,
                    exp.Alias, exp.Distinct, exp.Count, exp.Typeof, exp.Subquery, exp.Where,
                    # on the padded value, as in Trino (concat: strings.py drops it among varchars)
                    exp.Like, exp.Escape, exp.RegexpLike, exp.Reverse, exp.Lower, exp.Upper, exp.Concat, exp.DPipe,
                    exp.Format)


def is_char(node: exp.Expression | None) -> bool:
    return is_type(node, DType.CHAR)


def _length(typ: exp.DataType) -> int | None:
    """n of char(n); Trino's ``char`` is char(1)."""
    return int_literal(typ.expressions[0].this) if typ.expressions else 1


def refuse_other_uses(tree: exp.Expression) -> None:
    for node in tree.walk():
        if not is_char(node) or isinstance(node, exp.DataType):
            continue
        parent = node.parent
        if isinstance(parent, exp.Anonymous) and parent.name.lower() == "typeof":
            continue
        if isinstance(parent, exp.Trim) and parent.args.get("expression") is node and not is_char(parent.this):
            continue      # the characters trim(text, chars) removes: the padded value's, as Trino's code points
        if isinstance(parent, exp.Cast) and parent.this is node and parent.to.this in TEXT \
                and parent.to.this != DType.CHAR:
            continue      # the padded value, cut to varchar(m)'s length, as Trino's cast
        if isinstance(parent, exp.Anonymous) and parent.name.lower() == "json_size" \
                and len(parent.expressions) == 2 and parent.expressions[1] is node:
            continue      # a json path: Trino's cast from char(n) reads the padded value, as Spark holds it
        if isinstance(parent, exp.Cast) and parent.this is node and parent.to.this != DType.CHAR:
            raise not_supported(node, "A cast of a char(n) value is not supported on the Spark engine")
        if parent is not None and not isinstance(parent, (*_ALLOWED_PARENTS, exp.Cast)):
            raise not_supported(node, "This use of a char(n) value is not supported on the Spark engine")


def _cast(node: exp.Cast) -> exp.Expression | None:
    if node.to.this != DType.CHAR:
        return None
    n = _length(node.to)
    if n is None:
        raise not_supported(node, "Type char without a length is not supported on the Spark engine")
    x = node.this
    if is_type(x, *TEXT) or isinstance(x, exp.Null):
        return call("RPAD", exp.Cast(this=x, to=exp.DataType.build("STRING")), exp.Literal.number(n),
                    exp.Literal.string(" "))
    return spark(f"CASE WHEN LENGTH(_t) > {n} THEN RAISE_ERROR(CONCAT('INVALID_CAST_ARGUMENT: Value ', _t, "
                 f"' cannot be represented as char({n})')) ELSE RPAD(_t, {n}, ' ') END",
                 _t=exp.Cast(this=x, to=exp.DataType.build("STRING")))


def _padded(a: exp.Expression, b: exp.Expression) -> tuple[exp.Expression, exp.Expression]:
    width = spark("GREATEST(LENGTH(_a), LENGTH(_b))", _a=a, _b=b)
    return (call("RPAD", a.copy(), width, exp.Literal.string(" ")),
            call("RPAD", b.copy(), width.copy(), exp.Literal.string(" ")))


def _comparison(node: exp.Binary) -> exp.Expression | None:
    if not (is_char(node.this) or is_char(node.expression)):
        return None
    a, b = _padded(node.this, node.expression)
    return type(node)(this=a, expression=b)


def _between(node: exp.Between) -> exp.Expression | None:
    x, low, high = node.this, node.args["low"], node.args["high"]
    if not any(is_char(e) for e in (x, low, high)):
        return None
    x1, lo = _padded(x, low)
    x2, hi = _padded(x, high)
    return exp.And(this=exp.GTE(this=x1, expression=lo), expression=exp.LTE(this=x2, expression=hi))


CLASS_REWRITES = {
    exp.Cast: _cast,
    exp.Between: _between,
    **{cls: _comparison for cls in _COMPARISONS},
}
ANONYMOUS_REWRITES: dict = {}
