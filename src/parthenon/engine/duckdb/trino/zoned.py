"""TIMESTAMP WITH TIME ZONE as Trino has it: an instant that keeps its zone.

DuckDB's TIMESTAMPTZ is an instant only (shown in the session's zone), so a
Trino ``timestamp(p) with time zone`` is represented as the DuckDB struct
``{'instant': TIMESTAMPTZ, 'zone': VARCHAR}``, and for p 7..9 (``carries_nanos``,
the one place of that rule) ``{'instant': TIMESTAMPTZ, 'nanos': SMALLINT, 'zone':
VARCHAR}``:

- ``instant`` is the point in time (microseconds; the session zone is UTC);
- ``nanos`` (0..999) the nanoseconds past the instant's microsecond, kept only
  when the precision asks for them, so that p <= 6 (logs' timestamp(3)) stays a
  plain TIMESTAMPTZ and any year DuckDB holds keeps its nanoseconds (a
  TIMESTAMP_NS would stop at 1678..2262);
- ``zone`` is Trino's zone key: a region name (``Asia/Kathmandu``), ``UTC``,
  or a fixed offset ``+04:44`` / ``-07:00`` (``+00:00`` and ``Z`` are ``UTC``).

Every expression whose Trino type is timestamp with time zone has this
representation (``ensure_zoned`` wraps what produces a bare TIMESTAMPTZ).
Values compare and order by ``instant`` then ``nanos`` (the struct's first fields;
comparisons unwrap to ``comparable``, as Trino compares instants whatever the zone); fields
(``hour``, ``EXTRACT``, casts to DATE/TIME/TIMESTAMP, formatting) read the
wall-clock time in the zone (``local``); ``text`` is Trino's
``2020-05-10 12:34:56.123 Asia/Kathmandu`` with the type's ``p`` digits.
The precision ``p`` lives in the Trino type (``typing``), not in the value; a
struct built here is marked (``meta``) with its shape until it gets that type.
"""
from __future__ import annotations

from sqlglot import exp

from ....sql.trino.typing import precision
from ....sql.trino.zones import OFFSET, canonical_zone, known_zone, split_literal  # noqa: F401 - also read as zoned.*
from .nodes import duck


MICROS = 6      # DuckDB's TIMESTAMPTZ and TIMETZ keep microseconds


def carries_nanos(p: int) -> bool:
    """The representation rule: a timestamp(p) or time(p) with time zone keeps the
    nanoseconds past its microsecond (a ``nanos`` field) when p is 7..9 only."""
    return p > MICROS


def zoned(instant: exp.Expression, zone: exp.Expression, nanos: exp.Expression | None = None) -> exp.Expression:
    """The struct of a zoned value; ``nanos`` for a precision that carries them."""
    if nanos is None:
        node = duck("{'instant': CAST(_i AS TIMESTAMPTZ), 'zone': _z}", _i=instant, _z=zone)
    else:
        node = duck("{'instant': CAST(_i AS TIMESTAMPTZ), 'nanos': CAST(_n AS SMALLINT), 'zone': _z}",
                    _i=instant, _n=nanos, _z=zone)
        node.meta["nanos"] = True
    node.meta["zoned"] = True
    return node


def has_nanos(x: exp.Expression) -> bool:
    """Whether a zoned value's struct has the ``nanos`` field."""
    if x.meta.get("zoned") and isinstance(x, exp.Struct):
        return bool(x.meta.get("nanos"))
    return x.type is not None and carries_nanos(precision(x.type))


def nanos_of(x: exp.Expression) -> exp.Expression:
    """The nanoseconds past a zoned value's microsecond (0 when it keeps none)."""
    if not has_nanos(x):
        return exp.Literal.number(0)
    if x.meta.get("zoned") and isinstance(x, exp.Struct):
        return _struct_parts(x)["nanos"]
    # 0 for a struct without them that DuckDB unified with one (VALUES of timestamp(3) and (9))
    return duck("coalesce(struct_extract(_x, 'nanos'), 0)", _x=x)


def like(x: exp.Expression, inst: exp.Expression, z: exp.Expression,
         nanos: exp.Expression | None = None) -> exp.Expression:
    """A zoned value of ``x``'s shape: its nanoseconds (or ``nanos``) kept when it has them."""
    if not has_nanos(x):
        return zoned(inst, z)
    return zoned(inst, z, nanos_of(x) if nanos is None else nanos)


def typed(x: exp.Expression, p: int) -> exp.Expression:
    """A zoned struct given its Trino type, timestamp(p) with time zone."""
    x.type = exp.DataType(this=exp.DType.TIMESTAMPTZ, expressions=[exp.DataTypeParam(this=exp.Literal.number(p))])
    return x


def with_precision(x: exp.Expression, p: int) -> exp.Expression:
    """A zoned value as timestamp(p) with time zone: rounded half up to p digits."""
    source = precision(x.type) if x.type is not None else (9 if has_nanos(x) else MICROS)
    inst, z, n = instant_part(x), zone_of(x), nanos_of(x)
    if carries_nanos(p):
        if p >= source:
            return typed(zoned(inst, z, n), p)
        unit = 10 ** (9 - p)
        r = duck(f"((_n + {unit // 2}) // {unit} * {unit})", _n=n)
        return typed(zoned(duck("_i + to_microseconds(_r // 1000)", _i=inst, _r=r), z,
                           duck("_r % 1000", _r=r)), p)
    if p >= source:
        return typed(zoned(inst, z), p)
    wall = exp.Cast(this=inst, to=exp.DataType.build("TIMESTAMP"))
    if p == MICROS:     # the nanoseconds round the microsecond
        wall = duck("_w + to_microseconds(CASE WHEN _n >= 500 THEN 1 ELSE 0 END)", _w=wall, _n=n)
    else:               # digits 7..9 cannot carry a rounding at 5 digits or fewer
        wall = round_timestamp(wall, p)
    return typed(zoned(wall, z), p)


def of_wall(wall: exp.Expression, z: exp.Expression, p: int, nanos_wall: bool = False) -> exp.Expression:
    """The zoned value of a wall clock (a TIMESTAMP, a TIMESTAMP_NS when ``nanos_wall``)
    read in a zone, as timestamp(p) with time zone (its digits as they are)."""
    if not carries_nanos(p):
        return typed(zoned(instant_of(wall, z), z), p)
    if not nanos_wall:
        return typed(zoned(instant_of(wall, z), z, exp.Literal.number(0)), p)
    ns = duck("epoch_ns(_w)", _w=wall)
    micros = duck("make_timestamp((_e - ((_e % 1000) + 1000) % 1000) // 1000)", _e=ns)
    return typed(zoned(instant_of(micros, z), z, duck("((_e % 1000) + 1000) % 1000", _e=ns)), p)


def comparable(x: exp.Expression, nanos: bool) -> exp.Expression:
    """What a comparison reads of a zoned value: its instant, or (when any operand
    keeps nanoseconds) its nanoseconds since the epoch (a HUGEINT)."""
    if not nanos:
        return instant_part(x)
    return duck("(CAST(epoch_us(_i) AS HUGEINT) * 1000 + _n)", _i=instant_part(x), _n=nanos_of(x))


def instant(x: exp.Expression) -> exp.Expression:
    return duck("struct_extract(_x, 'instant')", _x=x)


def zone(x: exp.Expression) -> exp.Expression:
    return duck("struct_extract(_x, 'zone')", _x=x)


_IS_OFFSET = "regexp_matches(_z, '^[+-][0-9][0-9]:[0-9][0-9]$')"
_OFFSET_MINUTES = ("(CASE WHEN substr(_z, 1, 1) = '-' THEN -1 ELSE 1 END * "
                   "(CAST(substr(_z, 2, 2) AS INTEGER) * 60 + CAST(substr(_z, 5, 2) AS INTEGER)))")


def _zone_literal(z: exp.Expression) -> str | None:
    return z.name if isinstance(z, exp.Literal) and z.is_string else None


def local_of(inst: exp.Expression, z: exp.Expression) -> exp.Expression:
    """The wall-clock TIMESTAMP of an instant in a zone."""
    name = _zone_literal(z)
    if name is not None:
        if name == "UTC":
            return duck("CAST(_i AS TIMESTAMP)", _i=inst)
        if OFFSET.match(name):
            return duck("CAST(_i AS TIMESTAMP) + to_minutes(" + _OFFSET_MINUTES + ")", _i=inst, _z=z)
        return duck("timezone(_z, _i)", _i=inst, _z=z)
    return duck(f"CASE WHEN {_IS_OFFSET} THEN CAST(_i AS TIMESTAMP) + to_minutes({_OFFSET_MINUTES}) "
                "ELSE timezone(_z, _i) END", _i=inst, _z=z)


def instant_of(local: exp.Expression, z: exp.Expression) -> exp.Expression:
    """The instant whose wall-clock time in the zone is ``local`` (a TIMESTAMP)."""
    name = _zone_literal(z)
    if name is not None:
        if name == "UTC":
            return duck("CAST(CAST(_l AS TIMESTAMP) AS TIMESTAMPTZ)", _l=local)
        if OFFSET.match(name):
            return duck("CAST(CAST(_l AS TIMESTAMP) - to_minutes(" + _OFFSET_MINUTES + ") AS TIMESTAMPTZ)",
                        _l=local, _z=z)
        return duck("timezone(_z, CAST(_l AS TIMESTAMP))", _l=local, _z=z)
    return duck(f"CASE WHEN {_IS_OFFSET} THEN CAST(CAST(_l AS TIMESTAMP) - to_minutes({_OFFSET_MINUTES}) "
                "AS TIMESTAMPTZ) ELSE timezone(_z, CAST(_l AS TIMESTAMP)) END", _l=local, _z=z)


def local(x: exp.Expression) -> exp.Expression:
    """The wall-clock TIMESTAMP of a zoned value in its own zone (its microseconds)."""
    return local_of(instant_part(x), zone_of(x))


def local_nanos(x: exp.Expression) -> exp.Expression:
    """The wall clock of a zoned value with its nanoseconds, a TIMESTAMP_NS: from 1678 to
    2261 (NOT_SUPPORTED otherwise, as a timestamp(7..9) literal is)."""
    return duck("CASE WHEN year(_l) NOT BETWEEN 1678 AND 2261 THEN error('NOT_SUPPORTED: timestamp(7..9) "
                "is supported from 1678 to 2261 only') ELSE make_timestamp_ns(epoch_ns(CAST(_l AS TIMESTAMP_NS)) + _n) "
                "END", _l=local(x), _n=nanos_of(x))


def _struct_parts(x: exp.Struct) -> dict[str, exp.Expression]:
    parts = {}
    for e in x.expressions:
        key = e.this.name if isinstance(e, exp.PropertyEQ) else e.name
        parts[key] = e.expression if isinstance(e, (exp.PropertyEQ, exp.Slice)) else e
    return parts


def zone_of(x: exp.Expression) -> exp.Expression:
    if x.meta.get("zoned") and isinstance(x, exp.Struct):
        return _struct_parts(x)["zone"]
    return zone(x)


def instant_part(x: exp.Expression) -> exp.Expression:
    if x.meta.get("zoned") and isinstance(x, exp.Struct):
        return _struct_parts(x)["instant"]
    return instant(x)


def offset_minutes(x: exp.Expression) -> exp.Expression:
    """The zone's offset from UTC at the value's instant, in minutes."""
    return duck("CAST((epoch(_l) - epoch(CAST(_i AS TIMESTAMP))) / 60 AS BIGINT)",
                _l=local(x), _i=instant_part(x))


def timestamp_text(ts: exp.Expression, p: int, sep: str = " ") -> exp.Expression:
    """Trino's text of a TIMESTAMP with ``p`` fractional digits (p > 6: a TIMESTAMP_NS)."""
    base = f"%Y-%m-%d{sep}%H:%M:%S"
    if p <= 6:      # a TIMESTAMP(0) is DuckDB's TIMESTAMP_S, whose strftime fails before 1678
        ts = exp.Cast(this=ts, to=exp.DataType.build("TIMESTAMP"))
    if p <= 0:
        return _year_sign(duck(f"strftime(_t, '{base}')", _t=ts), ts)
    digits = min(p, 9)
    pad = "0" * (p - digits)
    return _year_sign(duck(f"strftime(_t, '{base}.') || substr(strftime(_t, '{'%n' if p > 6 else '%f'}'), 1, {digits})"
                           + (f" || '{pad}'" if pad else ""), _t=ts), ts)


def nested_nanos_text(x: exp.Expression) -> exp.Expression | None:
    """An array or map holding timestamp(7..9) values (DuckDB's TIMESTAMP_NS, which leave
    the engine with microseconds only) with those values as Trino's text; None when it
    holds none."""
    from ....sql.trino.typing import precision
    typ = x.type

    def nanos(t: exp.DataType | None) -> bool:
        return t is not None and t.this == exp.DType.TIMESTAMP and precision(t) > 6

    if typ is None or typ.this not in (exp.DType.ARRAY, exp.DType.MAP) or len(typ.expressions) < 1:
        return None
    parts = typ.expressions
    if typ.this == exp.DType.ARRAY and nanos(parts[0]):
        return duck("list_transform(_x, lambda ns: _t)", _x=x, _t=timestamp_text(exp.column("ns"), precision(parts[0])))
    if typ.this == exp.DType.MAP and len(parts) == 2 and (nanos(parts[0]) or nanos(parts[1])):
        key, value = (timestamp_text(exp.column(f, table="ne"), precision(t)) if nanos(t) else exp.column(f, table="ne")
                      for f, t in (("key", parts[0]), ("value", parts[1])))
        return duck("map_from_entries(list_transform(map_entries(_x), lambda ne: struct_pack(key := _k, value := _v)))",
                    _x=x, _k=key, _v=value)
    return None


def _year_sign(shown: exp.Expression, ts: exp.Expression) -> exp.Expression:
    """Trino writes a year past 9999 with its sign (``+123001-05-01 12:34:56``)."""
    return duck("CASE WHEN year(_t) > 9999 THEN '+' ELSE '' END || _s", _t=ts, _s=shown)


def wall_text(x: exp.Expression, p: int, sep: str = " ") -> exp.Expression:
    """Trino's text of a zoned value's wall clock with p digits (its nanoseconds past 6)."""
    if not has_nanos(x) or not carries_nanos(p):
        return timestamp_text(local(x), p, sep)
    return duck(f"_t || substr(lpad(CAST(_n AS VARCHAR), 3, '0'), 1, {min(p, 9) - MICROS})"
                + (f" || '{'0' * (p - 9)}'" if p > 9 else ""),
                _t=timestamp_text(local(x), MICROS, sep), _n=nanos_of(x))


def text(x: exp.Expression, p: int) -> exp.Expression:
    return duck("_t || ' ' || _z", _t=wall_text(x, p), _z=zone_of(x))


def round_nanos(ts: exp.Expression, p: int) -> exp.Expression:
    """A TIMESTAMP_NS rounded (half up) to ``p`` digits: a TIMESTAMP for p <= 6."""
    unit = 10 ** (9 - p)
    ticks = (f"((epoch_ns(_t) + {unit // 2}) // {unit} - CASE WHEN (epoch_ns(_t) + {unit // 2}) % {unit} < 0 "
             "THEN 1 ELSE 0 END)")
    if p <= 6:
        return duck(f"make_timestamp({ticks} * {10 ** (6 - p)})", _t=ts)
    return duck(f"make_timestamp_ns({ticks} * {unit})", _t=ts)


def round_timestamp(ts: exp.Expression, p: int) -> exp.Expression:
    """A TIMESTAMP rounded (half up) to ``p`` fractional digits, as Trino's casts round."""
    if p >= 6:
        return ts
    unit = 10 ** (6 - p)
    return duck(f"make_timestamp(CAST(floor((epoch_us(_t) + {unit // 2}) / {unit}) AS BIGINT) * {unit})",
                _t=ts)
