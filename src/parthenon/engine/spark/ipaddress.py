"""IPADDRESS as Trino has it, on Spark.

Representation: Spark ``BINARY``, the address's 16 bytes as Trino stores them (IPv6,
an IPv4 address mapped into it, ``::ffff:a.b.c.d``).  Spark compares binaries byte by
byte, unsigned, so equality, ``<``, ``BETWEEN``, ``ORDER BY``, ``min``/``max``,
``GROUP BY`` and ``DISTINCT`` are Trino's (``10.0.0.1`` equals ``::ffff:10.0.0.1``,
every IPv4 address sorts below ``::ffff:0:0`` + 2^32), and ``CAST(ip AS VARBINARY)``
is the value itself.  A result column leaves Spark as Trino's text, built in Spark SQL
where the translator presents the outer SELECT (as intervals and times are), so the
Arrow rows carry ``varchar`` and the column is named ``ipaddress`` (``parthenon.types``).

Everything is Spark SQL (no Python UDF: Spark Connect runs it too); a value is bound
once with ``ELEMENT_AT(TRANSFORM(ARRAY(x), v -> ...), 1)``.  Trino semantics kept:

- ``CAST(varchar AS IPADDRESS)`` with Guava's rules (Trino calls
  ``InetAddresses.forString``): a dotted quad of 0-255 without leading zeros; IPv6 of
  eight groups of 1-4 hex digits, or one ``::`` standing for at least one group, its
  last 32 bits possibly a dotted quad.  Anything else is INVALID_CAST_ARGUMENT
  ``Cannot cast value to IPADDRESS: <text>`` (NULL for TRY_CAST and ``try``).
  A constant is read at translation (``sql.trino.ip_addresses``), so that it is a
  binary literal Spark's VALUES takes; ``IPADDRESS 'x'`` fails there, as in Trino.
- Refused (NOT_SUPPORTED) rather than answered: a scope (``fe80::1%eth0``: Guava keeps
  it when Athena's worker has that interface) and non-ASCII digits (Guava reads
  ``１.２.３.４`` with Java's ``Character.digit``).
- ``CAST(ipaddress AS VARCHAR)``: dotted for a mapped address, else RFC 5952's
  shortest form (the first longest run of two or more zero groups as ``::``, lower
  case), as Guava's ``toAddrString``; ``varchar(n)`` is TYPE_MISMATCH.
- ``CAST(varbinary AS IPADDRESS)``: 4 bytes are IPv4, 16 IPv6, else
  INVALID_CAST_ARGUMENT ``Invalid IP address binary length: n``.
- ``contains(cidr, ipaddress)`` with Trino 435's checks in its order
  (INVALID_FUNCTION_ARGUMENT ``Invalid CIDR``, ``Invalid network IP address``,
  ``Invalid prefix length``, ``Prefix length exceeds address length``, host bits of an
  IPv4 network, ``IP address version should be the same``); a network written as a
  mapped IPv6 address is IPv4 (Java makes it an ``Inet4Address``).  A prefix length that
  is no plain integer (Java's ``Integer.parseInt`` fails outside Trino's own errors) is
  refused.
- Only these uses, comparisons, grouping, ordering, ``min``/``max``/``count``/
  ``arbitrary``, CASE/COALESCE/IF and arrays of addresses are let through
  (``refuse_other_uses``): Spark would run a binary function Trino refuses.

Trino (so Athena) has no IPPREFIX type and no ``ip_prefix``/``ip_subnet_*``/
``is_subnet_of`` (they are Presto's): TYPE_NOT_FOUND / TYPE_MISMATCH
(``sql.trino.prepare.refuse_unknown_types``) and FUNCTION_NOT_FOUND, as on DuckDB.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...errors import InvalidCastArgument, TypeMismatch
from ...sql.trino import typing as trino_typing
from ...sql.trino.ip_addresses import address_value
from ...sql.trino.nodes import is_type, not_supported, string_literal
from ...sql.trino.positions import position
from .templates import spark

DType = exp.DType
_MAPPED_HEX = "00000000000000000000FFFF"     # the 12 bytes before a mapped IPv4 address
_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_QUAD = f"{_OCTET}([.]{_OCTET}){{3}}"
_V4 = f"^{_QUAD}$"
_HEXTET = "[0-9A-Fa-f]{1,4}"
_FULL = f"^({_HEXTET}:){{7}}{_HEXTET}$"
_SKIP = f"^(({_HEXTET}:)*{_HEXTET})?::(({_HEXTET}:)*{_HEXTET})?$"
# a dotted quad after IPv6 groups (Guava: no '.' before a ':')
_QUAD_TAIL = f"^[0-9A-Fa-f:]*:{_QUAD}$"
# Guava's first pass takes any Character.digit(c, 16) >= 0; non-ASCII ones are refused
_WIDE_DIGITS = "[\\p{Nd}\uff21-\uff26\uff41-\uff46]"
_UNICODE_DIGITS = f"^({_WIDE_DIGITS}|[A-Fa-f.:])*(%.*)?$"
_NON_ASCII = "[^\\x00-\\x7F]"
# text Guava reads as IPv6 with a scope: hex digits, '.' and a ':' before the first '%'
_SCOPED = "^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*%"
_PY_WIDE = re.compile(f"^({_WIDE_DIGITS.replace(chr(92) + 'p{Nd}', chr(92) + 'd')}|[A-Fa-f.:])*(%.*)?$")
_PY_SCOPED = re.compile(_SCOPED)


def _refusal(what: str) -> str:
    return f"RAISE_ERROR('NOT_SUPPORTED: {what} is not supported on the Spark engine')"


_SCOPE_REFUSAL = _refusal("An IPv6 address with a scope (%) as IPADDRESS")
_DIGITS_REFUSAL = _refusal("An IP address written with non-ASCII digits")


def is_ipaddress(node: exp.Expression | None) -> bool:
    return is_type(node, DType.IPADDRESS)


def is_ipaddress_array(node: exp.Expression | None) -> bool:
    typ = node.type if node is not None else None
    return typ is not None and typ.this == DType.ARRAY and bool(typ.expressions) and \
        isinstance(typ.expressions[0], exp.DataType) and typ.expressions[0].this == DType.IPADDRESS


def _lit(s: str) -> exp.Literal:
    return exp.Literal.string(s)


# --------------------------------------------------------------------------------------
# Text -> address
# --------------------------------------------------------------------------------------

def _v4_hex(s: str) -> str:
    """The 8 hex digits of a valid dotted quad in `s`."""
    return f"CONCAT_WS('', TRANSFORM(SPLIT({s}, '[.]'), ip__o -> LPAD(HEX(CAST(ip__o AS INT)), 2, '0')))"


def _v6_text(s: str) -> str:
    """`s` with a dotted quad tail as two hex groups (NULL for a '.' elsewhere)."""
    quad = f"SPLIT(REGEXP_EXTRACT({s}, '([^:]*)$', 1), '[.]')"
    pair = (lambda i: f"HEX(CAST(ELEMENT_AT({quad}, {i}) AS INT) * 256 + CAST(ELEMENT_AT({quad}, {i + 1}) AS INT))")
    return (f"CASE WHEN {s} RLIKE _quad_tail THEN CONCAT(REGEXP_EXTRACT({s}, '^(.*:)', 1), {pair(1)}, ':', "
            f"{pair(3)}) WHEN INSTR({s}, '.') > 0 THEN NULL ELSE {s} END")


_GROUPS = "FILTER(SPLIT({x}, ':'), ip__g -> ip__g <> '')"


def _v6_hex(t: str) -> str:
    """The 32 hex digits of valid IPv6 groups `t` (no dotted quad), '::' expanded."""
    expanded = (f"CASE WHEN INSTR({t}, '::') > 0 THEN CONCAT({_GROUPS.format(x=f'SUBSTRING_INDEX({t}, {chr(39)}::{chr(39)}, 1)')}, "
                f"ARRAY_REPEAT('0', 8 - SIZE({_GROUPS.format(x=t)})), "
                f"{_GROUPS.format(x=f'SUBSTRING_INDEX({t}, {chr(39)}::{chr(39)}, -1)')}) ELSE SPLIT({t}, ':') END")
    return f"CONCAT_WS('', TRANSFORM({expanded}, ip__g -> LPAD(ip__g, 4, '0')))"


def _parsed(s: str) -> str:
    """The address of text `s` as BINARY, NULL for text that is not one (refusing what
    Guava may read otherwise)."""
    v6 = (f"ELEMENT_AT(TRANSFORM(ARRAY({_v6_text(s)}), ip__t -> CASE WHEN ip__t RLIKE _full OR (ip__t RLIKE _skip "
          f"AND SIZE({_GROUPS.format(x='ip__t')}) <= 7) THEN UNHEX({_v6_hex('ip__t')}) END), 1)")
    return (f"CASE WHEN {s} RLIKE _wide AND {s} RLIKE _non_ascii THEN {_DIGITS_REFUSAL} "
            f"WHEN {s} RLIKE _scoped THEN {_SCOPE_REFUSAL} "
            f"WHEN {s} RLIKE _v4 THEN UNHEX(CONCAT('{_MAPPED_HEX}', {_v4_hex(s)})) ELSE {v6} END")


_PATTERNS = {"_quad_tail": _QUAD_TAIL, "_full": _FULL, "_skip": _SKIP, "_wide": _UNICODE_DIGITS,
             "_non_ascii": _NON_ASCII, "_scoped": _SCOPED, "_v4": _V4}


def _with_patterns(sql: str, **args: exp.Expression) -> exp.Expression:
    return spark(sql, **{k: _lit(v) for k, v in _PATTERNS.items()}, **args)


def _bound(value: exp.Expression, var: str, body: str, **args: exp.Expression) -> exp.Expression:
    """`body` with `var` bound to `value` once."""
    return _with_patterns(f"ELEMENT_AT(TRANSFORM(ARRAY(_value), {var} -> {body}), 1)", _value=value, **args)


def try_parse(s: exp.Expression) -> exp.Expression:
    """The address of text `s`, NULL for NULL or text that is not an address."""
    return _bound(s, "ip__s", _parsed("ip__s"))


def parse(s: exp.Expression) -> exp.Expression:
    """The address of text `s`; INVALID_CAST_ARGUMENT for text that is not an address."""
    return _bound(s, "ip__s", f"CASE WHEN ip__s IS NULL THEN NULL ELSE COALESCE({_parsed('ip__s')}, RAISE_ERROR("
                              "CONCAT('INVALID_CAST_ARGUMENT: Cannot cast value to IPADDRESS: ', ip__s))) END")


def _null() -> exp.Expression:
    """A NULL address (in parentheses: a CAST's type would be read as its target's)."""
    null = exp.Paren(this=exp.Cast(this=exp.Null(), to=exp.DataType.build("BINARY")))
    null.type = exp.DataType(this=DType.IPADDRESS)
    return null


def _constant(node: exp.Cast, text: str) -> exp.Expression | None:
    """A constant's address as a binary literal (None: leave it to Spark's parse, which
    fails as the query runs, as Trino's CAST of a constant does)."""
    if _PY_WIDE.match(text) and re.search(_NON_ASCII, text):
        raise not_supported(node, "An IP address written with non-ASCII digits is not supported on the Spark engine")
    if _PY_SCOPED.match(text):
        raise not_supported(node, "An IPv6 address with a scope (%) as IPADDRESS is not supported on the Spark "
                                  "engine")
    value = address_value(text)
    if value is None:
        if trino_typing.is_typed_literal(node) or (node.find_ancestor(exp.Values) is not None and not isinstance(
                node, exp.TryCast)):   # IPADDRESS 'x' fails as Trino analyses it; Spark's VALUES takes no RAISE_ERROR
            raise InvalidCastArgument(f"Cannot cast value to IPADDRESS: {text}", *position(node))
        return _null() if isinstance(node, exp.TryCast) else None
    return exp.HexString(this=f"{value:032X}")


# --------------------------------------------------------------------------------------
# Address -> text
# --------------------------------------------------------------------------------------

_V4_TEXT = "CONCAT_WS('.', TRANSFORM(SEQUENCE(0, 3), ip__i -> CONV(SUBSTR(ip__h, 25 + 2 * ip__i, 2), 16, 10)))"
# ':g0:g1:...:g7:', each group's hex without leading zeros
_GROUPS_TEXT = ("CONCAT(':', CONCAT_WS(':', TRANSFORM(SEQUENCE(0, 7), ip__i -> LOWER(CONV(SUBSTR(ip__h, 1 + 4 * ip__i, "
                "4), 16, 16)))), ':')")
# the longest run of zero groups (2 to 8; 0: none)
_RUN = " ".join(f"WHEN INSTR(ip__j, '{':0' * k}:') > 0 THEN {k}" for k in range(8, 1, -1))
_RUN_AT = "INSTR(ip__j, CONCAT(REPEAT(':0', ip__k), ':'))"
_COMPRESSED = (f"CONCAT(SUBSTR(SUBSTR(ip__j, 1, {_RUN_AT} - 1), 2), '::', "
               f"REGEXP_EXTRACT(SUBSTR(ip__j, {_RUN_AT} + 2 * ip__k + 1), '^(.*):$', 1))")
_V6_TEXT = (f"ELEMENT_AT(TRANSFORM(ARRAY({_GROUPS_TEXT}), ip__j -> ELEMENT_AT(TRANSFORM(ARRAY(CASE {_RUN} ELSE 0 END), "
            f"ip__k -> CASE WHEN ip__k = 0 THEN SUBSTR(ip__j, 2, LENGTH(ip__j) - 2) ELSE {_COMPRESSED} END), 1)), 1)")


def text(v: exp.Expression) -> exp.Expression:
    """Trino's text of an address: dotted IPv4 when mapped, else the shortest IPv6 form."""
    return spark(f"ELEMENT_AT(TRANSFORM(ARRAY(HEX(_v)), ip__h -> CASE WHEN ip__h IS NULL THEN NULL "
                 f"WHEN SUBSTR(ip__h, 1, 24) = '{_MAPPED_HEX}' THEN {_V4_TEXT} ELSE {_V6_TEXT} END), 1)", _v=v)


def array_text(a: exp.Expression) -> exp.Expression:
    """An array of addresses as an array of their text."""
    return exp.Anonymous(this="TRANSFORM", expressions=[a, exp.Lambda(
        this=text(exp.column("ip__a")), expressions=[exp.to_identifier("ip__a")])])


# --------------------------------------------------------------------------------------
# Casts
# --------------------------------------------------------------------------------------

def _from_varbinary(b: exp.Expression, safe: bool) -> exp.Expression:
    """4 bytes are an IPv4 address, 16 an IPv6 one (Trino's cast from VARBINARY)."""
    fail = "NULL" if safe else ("RAISE_ERROR(CONCAT('INVALID_CAST_ARGUMENT: Invalid IP address binary length: ', "
                                "LENGTH(ip__b)))")
    return spark(f"ELEMENT_AT(TRANSFORM(ARRAY(_b), ip__b -> CASE WHEN ip__b IS NULL THEN NULL "
                 f"WHEN LENGTH(ip__b) = 4 THEN CONCAT(X'{_MAPPED_HEX}', ip__b) WHEN LENGTH(ip__b) = 16 THEN ip__b "
                 f"ELSE {fail} END), 1)", _b=b)


_BINARY = (DType.VARBINARY, DType.BINARY, DType.BLOB)
_TEXT = (DType.VARCHAR, DType.TEXT, DType.CHAR)


def _cast(node: exp.Cast) -> exp.Expression | None:
    x, to = node.this, node.to
    safe = isinstance(node, exp.TryCast)
    if to.this == DType.IPADDRESS:
        if is_ipaddress(x):
            return x
        if isinstance(x, exp.Null) or (x.type is not None and x.type.this == DType.NULL):
            return _null()
        if isinstance(x, exp.HexString) and len(x.name) in (8, 32):   # a constant, for Spark's VALUES
            return exp.HexString(this=(_MAPPED_HEX + x.name if len(x.name) == 8 else x.name).upper())
        if x.type is not None and x.type.this in _BINARY:
            new = _from_varbinary(x, safe)
            new.meta["try_form"] = _from_varbinary(x.copy(), True)
            return new
        if x.type is None or x.type.this not in (DType.VARCHAR, DType.TEXT):
            raise not_supported(node, f"CAST of {trino_typing.type_name(x.type) or 'this value'} to ipaddress is "
                                      "not supported on the Spark engine")
        constant = string_literal(x)
        if constant is not None:
            folded = _constant(node, constant)
            if folded is not None:
                return folded
        if safe:
            return try_parse(x)
        new = parse(x)
        new.meta["try_form"] = try_parse(x.copy())
        return new
    if not is_ipaddress(x):
        return None
    if to.this in _TEXT:
        if to.expressions or to.this == DType.CHAR:     # Trino casts an address to unbounded varchar only
            raise TypeMismatch(f"Cannot cast ipaddress to {to.sql('trino').lower()}", *position(node))
        return text(x)
    if to.this in _BINARY:      # the value is its bytes
        out = exp.Cast(this=x, to=exp.DataType.build("BINARY"))
        out.type = node.type
        return out
    raise TypeMismatch(f"Cannot cast ipaddress to {to.sql('trino').lower()}", *position(node))


# --------------------------------------------------------------------------------------
# contains(network, address)
# --------------------------------------------------------------------------------------

def _fail(message: str) -> str:
    return f"RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: {message}')"


def _bits(h: str, v4: str) -> str:
    """The address's bits as text: its 32 (IPv4) or 128."""
    half = "LPAD(CONV(SUBSTR({h}, {at}, 16), 16, 2), 64, '0')"
    return (f"CASE WHEN {v4} THEN LPAD(CONV(SUBSTR({h}, 25, 8), 16, 2), 32, '0') "
            f"ELSE CONCAT({half.format(h=h, at=1)}, {half.format(h=h, at=17)}) END")


def _contains_sql(safe: bool) -> str:
    """contains(_n, _ip) in Trino's order of checks (each failure NULL when `safe`)."""
    def fail(message: str) -> str:
        return "NULL" if safe else _fail(message)
    mapped = "(SUBSTR(HEX({x}), 1, 24) = '" + _MAPPED_HEX + "')"
    v4 = mapped.format(x="ip__base")
    length = "CAST(ip__len AS INT)"
    checks = (
        f"CASE WHEN ip__n IS NULL OR ip__ip IS NULL THEN NULL "
        f"WHEN INSTR(ip__n, '/') = 0 THEN {fail('Invalid CIDR')} "
        f"WHEN ip__base IS NULL THEN {fail('Invalid network IP address')} "
        f"WHEN NOT ip__len RLIKE '^[+-]?[0-9]{{1,9}}$' THEN "
        f"{_refusal('contains() with a prefix length that is not a plain integer')} "
        f"WHEN {length} < 0 THEN {fail('Invalid prefix length')} "
        f"WHEN {length} > CASE WHEN {v4} THEN 32 ELSE 128 END THEN {fail('Prefix length exceeds address length')} "
        f"WHEN {v4} AND INSTR(SUBSTR(ip__nbits, {length} + 1), '1') > 0 THEN {fail('Invalid CIDR')} "
        f"WHEN {v4} <> {mapped.format(x='ip__ip')} THEN {fail('IP address version should be the same')} "
        f"ELSE LEFT(ip__nbits, {length}) = LEFT({_bits('HEX(ip__ip)', v4)}, {length}) END")
    network = ("ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('base', _base, 'len', SUBSTR(ip__n, INSTR(ip__n, '/') + 1))), "
               "ip__c -> {body}), 1)")
    body = checks.replace("ip__base", "ip__c.base").replace("ip__len", "ip__c.len") \
        .replace("ip__nbits", _bits("HEX(ip__c.base)", mapped.format(x="ip__c.base")))
    return (f"ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('n', _n, 'ip', _ip)), ip__x -> ELEMENT_AT(TRANSFORM(ARRAY(ip__x.n), "
            f"ip__n -> ELEMENT_AT(TRANSFORM(ARRAY(ip__x.ip), ip__ip -> {network.format(body=body)}), 1)), 1)), 1)")


def _contains(node: exp.Expression) -> exp.Expression | None:
    """contains(network, address): whether the CIDR network holds the address."""
    args = node.expressions if isinstance(node, exp.Anonymous) else [node.this, node.expression]
    if len(args) != 2 or not is_ipaddress(args[1]) or is_type(args[0], DType.ARRAY):
        return None     # contains(array, element) is the array's
    n = exp.Cast(this=args[0], to=exp.DataType.build("STRING"))

    def build(safe: bool) -> exp.Expression:
        base = try_parse(exp.Anonymous(this="SUBSTRING_INDEX", expressions=[
            exp.column("ip__n"), exp.Literal.string("/"), exp.Literal.number(1)]))
        return spark(_contains_sql(safe), _n=n.copy(), _ip=args[1].copy(), _base=base)
    new = build(False)
    new.meta["try_form"] = build(True)
    return new


# --------------------------------------------------------------------------------------
# What else an address may meet
# --------------------------------------------------------------------------------------

_ALLOWED_PARENTS = (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE, exp.Between, exp.NullSafeEQ,
                    exp.NullSafeNEQ, exp.Is, exp.In, exp.Select, exp.Tuple, exp.Values, exp.Paren, exp.Alias,
                    exp.Subquery, exp.Cast, exp.TryCast, exp.Ordered, exp.Group, exp.Distinct, exp.Max, exp.Min,
                    exp.Count, exp.AnyValue, exp.Case, exp.If, exp.Coalesce, exp.Array, exp.ArrayContains,
                    exp.Typeof, exp.Try, exp.Struct, exp.PropertyEQ, exp.Where, exp.Having, exp.Not,
                    exp.Format)     # (format: its text, as Trino's cast to varchar: ``formatting``)
_ALLOWED_FUNCTIONS = {"contains", "typeof", "arbitrary", "try", "coalesce", "if"}


def refuse_other_uses(tree: exp.Expression) -> None:
    for node in tree.walk():
        if isinstance(node, (exp.DataType, exp.Query, exp.Subquery)) or not (
                is_ipaddress(node) or is_ipaddress_array(node)):
            continue     # (a subquery of one column has its type)
        parent = node.parent
        if isinstance(parent, exp.Anonymous) and parent.name.lower() in _ALLOWED_FUNCTIONS:
            continue
        if parent is not None and not isinstance(parent, _ALLOWED_PARENTS):
            raise not_supported(node, "This use of an ipaddress value is not supported on the Spark engine")


def refuse_unpresentable(tree: exp.Expression) -> None:
    """An address leaves Spark as its text only from the outer SELECT's columns of known
    type: a query holding addresses is refused where an output's type is not known (its
    value could be an address's bytes), where it is ``*``, and where a set operation
    outputs one (each branch would need its text)."""
    if not any(is_ipaddress(n) or is_ipaddress_array(n) for n in tree.walk()
               if not isinstance(n, exp.DataType)):
        return
    branches, todo = [], [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, exp.SetOperation):
            todo += [node.this, node.expression]
        elif isinstance(node, exp.Subquery):
            todo.append(node.this)
        elif isinstance(node, exp.Select):
            branches.append(node)
    for select in branches:
        for p in select.expressions:
            inner = p.this if isinstance(p, exp.Alias) else p
            if isinstance(inner, exp.Star) or (isinstance(inner, exp.Column) and isinstance(inner.this, exp.Star)):
                raise not_supported(p, "SELECT * over ipaddress values is not supported on the Spark engine")
            typ = inner.type
            if typ is None or typ.this == DType.UNKNOWN:
                raise not_supported(p, "An output column whose type is not known, in a query with ipaddress values, "
                                       "is not supported on the Spark engine")
            if len(branches) > 1 and (is_ipaddress(inner) or is_ipaddress_array(inner)):
                raise not_supported(p, "A set operation of ipaddress values is not supported on the Spark engine")


CLASS_REWRITES = {exp.Cast: _cast, exp.TryCast: _cast, exp.ArrayContains: _contains}
ANONYMOUS_REWRITES = {"contains": _contains}
