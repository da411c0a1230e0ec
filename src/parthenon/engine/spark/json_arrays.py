"""Arrays of json written in place (``ARRAY[JSON '1', json_parse(t), NULL]``) on Spark.

A json value is its text on Spark (``json_type``), so such an array is an array of
texts; two readers keep Trino's answers, element by element, with no lambda (the json
UDFs cannot run inside one):

- ``CAST(ARRAY[...] AS JSON)``: the elements' JSON texts between brackets, a NULL element
  ``null`` (each text is already Trino's: compact, keys sorted).
- ``array_join(ARRAY[...], sep [, null_text])``: each element cast to varchar as Trino
  casts json (a JSON string's value, a number's or boolean's text; JSON null is NULL,
  left out or replaced; an array or object fails as in Trino).

Any other use of an array of json is refused (``json_type``).
"""
from __future__ import annotations

from sqlglot import exp

from .json_udfs import call

DType = exp.DType


def _of_json(x: exp.Expression) -> bool:
    typ = x.type
    return isinstance(x, exp.Array) and typ is not None and typ.this == DType.ARRAY and bool(typ.expressions) \
        and typ.expressions[0].this == DType.JSON


def element_read(node: exp.Expression) -> bool:
    """A json element of an array one of the readers above reads."""
    array = node.parent
    if not isinstance(array, exp.Array) or not _of_json(array):
        return False
    reader = array.parent
    if isinstance(reader, exp.ArrayToString) and reader.this is array:
        return True
    return type(reader) is exp.Cast and reader.to.this == DType.JSON and reader.find_ancestor(exp.Lambda) is None


def to_json(x: exp.Expression) -> exp.Expression | None:
    """CAST(ARRAY[...] AS JSON) of an array of json written in place, else None."""
    if not _of_json(x):
        return None
    parts = [exp.func("COALESCE", e.copy(), exp.Literal.string("null")) for e in x.expressions]
    inner = exp.func("CONCAT_WS", exp.Literal.string(","), *parts) if parts else exp.Literal.string("")
    return exp.func("CONCAT", exp.Literal.string("["), inner, exp.Literal.string("]"))


def _array_join(node: exp.ArrayToString) -> exp.Expression | None:
    if not _of_json(node.this) or node.find_ancestor(exp.Lambda) is not None:
        return None
    texts = exp.Array(expressions=[call("to_varchar", e.copy(), exp.Literal.number(-1)) for e in node.this.expressions])
    return exp.ArrayToString(this=texts, expression=node.expression, null=node.args.get("null"))


CLASS_REWRITES = {exp.ArrayToString: _array_join}
ANONYMOUS_REWRITES: dict = {}
