"""Trino's result types of its string, regular expression, URL and varbinary functions.

Trino gives most text functions a bounded ``varchar(n)`` computed from their
arguments' lengths (its ``@LiteralParameters`` / ``@Constraint`` annotations), and
``typeof`` and result columns report it: ``substr('Quadratically', 5)`` is
varchar(13), ``replace(x, y, z)`` varchar(x + z * (x + 1)), ``regexp_replace(x, p, y)``
varchar(x + max(x * y / 2, y) * (x + 1)), ``url_encode(x)`` varchar(12 x),
``split(x, d)`` array(varchar(x)), ``chr`` varchar(1), ``soundex`` varchar(4).
``concat`` / ``||`` of varchars is an unbounded varchar (Trino's concat takes
varchar), of chars only char(x + y), of varbinaries varbinary, of arrays the array's type.  An argument of
unknown length makes the result an unbounded varchar.
``typing`` merges ``CLASS_TYPES`` and ``ANONYMOUS_ANNOTATORS`` into its tables.
"""
from __future__ import annotations

import re
import typing as t

from sqlglot import exp

from ...errors import FunctionNotFound, InvalidFunctionArgument, check_argument_count
from .positions import position

DType = exp.DType
_MAX = 2147483647


def _build(text: str) -> exp.DataType:
    return exp.DataType.build(text, dialect="trino")


def length(node: exp.Expression | None) -> int | None:
    """n of a varchar(n) or char(n) argument, None when unbounded or not text."""
    typ = node.type if node is not None else None
    if typ is None or typ.this not in (DType.VARCHAR, DType.CHAR):
        return None
    found = [int(p.this.name) for p in typ.expressions
             if isinstance(p, exp.DataTypeParam) and isinstance(p.this, exp.Literal) and p.this.is_int]
    return found[0] if found else None


def is_binary(node: exp.Expression | None) -> bool:
    typ = node.type if node is not None else None
    return typ is not None and typ.this in (DType.VARBINARY, DType.BINARY, DType.BLOB)


def _varchar(n: int | None) -> exp.DataType:
    return _build("varchar") if n is None else _build(f"varchar({min(n, _MAX)})")


def _set(self, node: exp.Expression, typ: exp.DataType) -> exp.Expression:
    self._set_type(node, typ)
    return node


def _first(node: exp.Expression) -> exp.Expression | None:
    return node.expressions[0] if isinstance(node, exp.Anonymous) and node.expressions else node.this


def _as_first(self, node: exp.Expression):
    """varchar(x) of a varchar(x) (or char(x)) first argument; varbinary stays varbinary."""
    first = _first(node)
    if is_binary(first):
        return _set(self, node, _build("varbinary"))
    return _set(self, node, _varchar(length(first)))


def _array_of_first(self, node: exp.Expression):
    return _set(self, node, _build(f"array({_varchar(length(node.this)).sql('trino').lower()})"))


def _reverse(self, node: exp.Reverse):
    typ = node.this.type
    if typ is not None and typ.this == DType.CHAR:
        return _set(self, node, typ.copy())
    return _as_first(self, node)


def _replace(self, node: exp.Replace):
    x, z = length(node.this), length(node.args.get("replacement"))
    if node.args.get("replacement") is None:
        return _set(self, node, _varchar(x))
    return _set(self, node, _varchar(None if x is None or z is None else x + z * (x + 1)))


def _regexp_replace(self, node: exp.RegexpReplace):
    replacement = node.args.get("replacement")
    x = length(node.this)
    if replacement is None:
        return _set(self, node, _varchar(x))
    y = length(replacement)
    if isinstance(replacement, exp.Lambda) or x is None or y is None:
        return _set(self, node, _varchar(None))
    return _set(self, node, _varchar(x + max(x * y // 2, y) * (x + 1)))


def _concat(self, node: exp.Expression):
    parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else node.expressions
    arrays = [p.type for p in parts if p.type is not None and p.type.this == DType.ARRAY]
    if arrays:      # array || array, array || element: of the elements' common type
        from .collection_types import elements_type
        return _set(self, node, (elements_type([p.type for p in parts]) or arrays[0]).copy())
    if parts and all(is_binary(p) for p in parts):
        return _set(self, node, _build("varbinary"))
    if parts and all(p.type is not None and p.type.this == DType.CHAR for p in parts):
        lengths = [length(p) for p in parts]
        if None not in lengths:
            return _set(self, node, _build(f"char({sum(lengths)})"))
    return _set(self, node, _varchar(None))


def _pad(self, node: exp.Pad):
    return _set(self, node, _build("varbinary" if is_binary(node.this) else "varchar"))


def _returns(text: str):
    built = _build(text)
    return lambda self, node: _set(self, node, built.copy())


def _url_encode(self, node: exp.Anonymous):
    x = length(_first(node))
    return _set(self, node, _varchar(None if x is None else x * 12))


def _unicode_string(self, node: exp.Expression):
    """U&'a\\2028b' is varchar(3): its length once its escapes are decoded."""
    text = node.this if isinstance(node.this, str) else node.this.name
    escape = node.args.get("escape")
    mark = re.escape(escape.name if isinstance(escape, exp.Expression) else "\\")
    decoded = re.sub(rf"{mark}(?:\+([0-9A-Fa-f]{{6}})|([0-9A-Fa-f]{{4}})|{mark})", "x", text)
    return _set(self, node, _varchar(len(decoded)))


def _of_varbinary(result: str, name: str | None = None):
    """A function of varbinary only: Trino has no coercion from varchar (md5('a') is
    FUNCTION_NOT_FOUND; md5(to_utf8('a')) is meant)."""
    built = _build(result)

    def annotate(self, node: exp.Expression):
        first = _first(node)
        typ = first.type if first is not None else None
        if typ is not None and typ.this in (DType.VARCHAR, DType.CHAR, DType.TEXT):
            called = name or (node.name.lower() if isinstance(node, exp.Anonymous) else node.sql_name().lower())
            if isinstance(node, exp.SHA2Digest):
                called = "sha512" if node.text("length") == "512" else "sha256"
            shown = "varchar" if typ.this == DType.TEXT else typ.sql("trino").lower()
            raise FunctionNotFound(f"Unexpected parameters ({shown}) for function {called}. "
                                   f"Expected: {called}(varbinary)", *position(node))
        return _set(self, node, built.copy())
    return annotate


def _render(self, node: exp.Anonymous):
    """render(varchar(x), color) is varchar(x + 15) (its escapes), of a bigint varchar(35), of a
    double varchar(41), render(boolean) varchar(16) (ColorFunctions' declared types)."""
    first = _first(node)
    typ = first.type if first is not None else None
    if len(node.expressions) == 1:
        return _set(self, node, _build("varchar(16)"))
    if typ is not None and typ.this in (DType.TINYINT, DType.SMALLINT, DType.INT, DType.BIGINT):
        return _set(self, node, _build("varchar(35)"))
    if typ is not None and typ.this in (DType.FLOAT, DType.DOUBLE, DType.DECIMAL):
        return _set(self, node, _build("varchar(41)"))
    x = length(first)
    return _set(self, node, _varchar(None if x is None else x + 15))


def _concat_ws(self, node: exp.ConcatWs):
    """concat_ws(varchar, varchar...) or concat_ws(varchar, array(varchar)), a varchar: other
    arguments are FUNCTION_NOT_FOUND, a separator alone INVALID_FUNCTION_ARGUMENT, more than
    127 arguments TOO_MANY_ARGUMENTS."""
    def text(e: exp.Expression) -> bool:
        return e.type is None or e.type.this in (DType.VARCHAR, DType.CHAR, DType.TEXT, DType.NULL,
                                                 DType.UNKNOWN)

    def text_array(e: exp.Expression) -> bool:
        return e.type is not None and e.type.this == DType.ARRAY and \
            (not e.type.expressions or text(e.type.expressions[0]))
    args = node.expressions
    check_argument_count("concat_ws", len(args), *position(node))
    if len(args) == 1 and text(args[0]):
        raise InvalidFunctionArgument("There must be two or more arguments", *position(node))
    if not args or not text(args[0]) or not (all(text(a) for a in args[1:]) or
                                             (len(args) == 2 and text_array(args[1]))):
        shown = ", ".join((a.type.sql("trino").lower() if a.type is not None else "unknown") for a in args)
        raise FunctionNotFound(f"Unexpected parameters ({shown}) for function concat_ws", *position(node))
    return _set(self, node, _build("varchar"))


# Which annotator types each class (merged into typing.TRINO_METADATA).
CLASS_TYPES: dict[type[exp.Expression], dict[str, t.Any]] = {cls: {"annotator": a} for cls, a in {
    exp.Substring: _as_first, exp.SplitPart: _as_first, exp.RegexpExtract: _as_first,
    exp.Reverse: _reverse, exp.Replace: _replace, exp.RegexpReplace: _regexp_replace,
    exp.Split: _array_of_first, exp.RegexpExtractAll: _array_of_first, exp.RegexpSplit: _array_of_first,
    exp.DPipe: _concat, exp.Concat: _concat, exp.Pad: _pad,
    exp.Chr: _returns("varchar(1)"), exp.Soundex: _returns("varchar(4)"),
    exp.Translate: _returns("varchar"), exp.Normalize: _returns("varchar"), exp.Decode: _returns("varchar"),
    exp.Levenshtein: _returns("bigint"), exp.StrPosition: _returns("bigint"), exp.Length: _returns("bigint"),
    exp.RegexpCount: _returns("bigint"), exp.RegexpLike: _returns("boolean"),
    exp.StartsWith: _returns("boolean"), exp.EndsWith: _returns("boolean"),
    exp.StrToMap: _returns("map(varchar, varchar)"),
    exp.Unhex: _returns("varbinary"), exp.Hex: _of_varbinary("varchar", "to_hex"),
    exp.MD5Digest: _of_varbinary("varbinary", "md5"), exp.SHA: _of_varbinary("varbinary", "sha1"),
    exp.SHA2Digest: _of_varbinary("varbinary"), exp.ToBase64: _of_varbinary("varchar", "to_base64"),
    exp.FromBase64: _returns("varbinary"), exp.Encode: _returns("varbinary"),
    exp.UnicodeString: _unicode_string, exp.ConcatWs: _concat_ws,
}.items()}

_FIXED = {
    "codepoint": "integer", "hamming_distance": "bigint", "regexp_position": "integer",
    "luhn_check": "boolean", "url_extract_port": "bigint", "split_to_multimap": "map(varchar, array(varchar))",
    "to_base64url": "varchar", "from_base64url": "varbinary", "to_big_endian_64": "varbinary",
    "from_big_endian_64": "bigint", "to_big_endian_32": "varbinary", "from_big_endian_32": "integer",
    "to_ieee754_32": "varbinary", "from_ieee754_32": "real", "to_ieee754_64": "varbinary",
    "from_ieee754_64": "double", "spooky_hash_v2_32": "varbinary", "spooky_hash_v2_64": "varbinary",
}

_OF_VARBINARY = {"to_base64url": "varchar", "from_big_endian_64": "bigint", "from_big_endian_32": "integer",
                 "from_ieee754_32": "real", "from_ieee754_64": "double", "spooky_hash_v2_32": "varbinary",
                 "spooky_hash_v2_64": "varbinary", "crc32": "bigint", "xxhash64": "varbinary",
                 "murmur3": "varbinary", **{f"hmac_{h}": "varbinary" for h in ("md5", "sha1", "sha256", "sha512")}}

# Anonymous calls (by name) -> their annotator.
ANONYMOUS_ANNOTATORS: dict[str, t.Callable] = {
    **{name: _returns(typ) for name, typ in _FIXED.items()},
    **{name: _of_varbinary(typ) for name, typ in _OF_VARBINARY.items()},
    **{f"url_extract_{part}": _as_first for part in ("host", "path", "protocol", "query", "fragment",
                                                     "parameter")},
    "url_decode": _as_first,
    "word_stem": _as_first,
    "url_encode": _url_encode,
    # color functions: a color is Trino's type `color`
    "color": lambda self, node: _set(self, node, exp.DataType.build("color", udt=True)),
    "rgb": lambda self, node: _set(self, node, exp.DataType.build("color", udt=True)),
    "render": _render,
    "bar": _returns("varchar"),
    "fail": lambda self, node: _set(self, node, exp.DataType(this=DType.NULL)),   # unknown
    # Trino's setdigest type (sql/trino/set_digests; the engine holds its bytes)
    "make_set_digest": lambda self, node: _set(self, node, exp.DataType.build("setdigest", udt=True)),
    "merge_set_digest": lambda self, node: _set(self, node, exp.DataType.build("setdigest", udt=True)),
    "intersection_cardinality": _returns("bigint"),
    "jaccard_index": _returns("double"),
    "hash_counts": _returns("map(bigint, smallint)"),
}
