"""TIMESTAMP WITH TIME ZONE on Spark: a wall clock that keeps its zone.

Spark's TIMESTAMP is an instant without a zone, so a Trino ``timestamp(p) with
time zone`` is the Spark struct ``NAMED_STRUCT('wall', TIMESTAMP, 'zone', STRING)``:

- ``wall`` is the local date and time in the zone (a Spark TIMESTAMP read in the
  session zone, UTC: its fields are the wall clock's);
- ``zone`` is Trino's zone key (``Asia/Kathmandu``, ``UTC``, ``+04:44``), made by
  ``canonical_zone`` (shared with the DuckDB engine).

The instant is ``TO_UTC_TIMESTAMP(wall, zone)``; Java's tz database is Spark's and
Trino's.  Every expression whose Trino type is zoned has this form.  ``adapt``
gives each other node the reading of a zoned argument it needs: comparisons,
``ORDER BY`` and ``to_unixtime`` the instant (Trino compares instants whatever the
zone); fields (``hour``, ``EXTRACT``), ``date_format``, casts to DATE or TIMESTAMP
the wall clock; ``COALESCE``, ``CASE``, ``VALUES`` and the result pass the value on.
``count(x)`` and ``count(DISTINCT x)`` count the instants.
Any other use is refused (NOT_SUPPORTED), as are zoned values grouped, made
DISTINCT, or held in arrays, maps and rows (Spark would compare the struct, not the
instant).  The rewrites here make zoned values (literals, casts, ``AT TIME ZONE``,
``at_timezone``, ``with_timezone``, ``from_unixtime`` (in a zone, or an offset in hours and
minutes), ``from_iso8601_timestamp`` (and ``_nanos``),
``current_timestamp``) and compute on them: ``date_trunc`` and calendar units of
``date_add``/``date_diff`` on the wall clock, shorter units and day-second
intervals on the instant, ``min``/``max`` by instant, ``timezone_hour`` /
``timezone_minute``, ``to_iso8601``, and Trino's text
(``2020-05-10 12:34:56.123 Asia/Kathmandu``, ``p`` fractional digits).
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import InvalidFunctionArgument, InvalidLiteral
from ...sql.trino import intervals as interval_literal
from ...sql.trino import units
from ...sql.trino.nodes import DATE, is_type, not_supported, string_literal
from ...sql.trino.positions import position
from ...sql.trino.typing import TEXT, interval_kind, precision
from ...sql.trino.zones import canonical_zone, known_zone, split_literal
from . import nano_timestamps, rows
from .templates import call, spark
from .times import of_wall_clock, rounded

DType = exp.DType


def is_zoned(node: exp.Expression | None) -> bool:
    return is_type(node, DType.TIMESTAMPTZ)


def _timestamp(p: int) -> exp.DataType:
    return exp.DataType(this=DType.TIMESTAMP, expressions=[exp.DataTypeParam(this=exp.Literal.number(p))])


def is_nano_zoned(node: exp.Expression | None) -> bool:
    """A timestamp(7..9) with time zone: its struct has the nanoseconds past the wall's
    microseconds too."""
    return is_zoned(node) and precision(node.type) > 6


def make(wall: exp.Expression, zone: exp.Expression, nanos: exp.Expression | int | None = None) -> exp.Expression:
    """The struct of a zoned value; `nanos` (0..999, past the wall's microseconds) for
    a timestamp(7..9) with time zone only."""
    args = [exp.Literal.string("wall"), exp.Cast(this=wall, to=exp.DataType.build("TIMESTAMP")),
            exp.Literal.string("zone"), zone]
    if nanos is not None:
        n = exp.Literal.number(nanos) if isinstance(nanos, int) else nanos
        args += [exp.Literal.string("nanos"), exp.Cast(this=n, to=exp.DataType.build("INT"))]
        nanos = n
    node = call("NAMED_STRUCT", *args)
    node.meta["zoned_parts"] = (wall, zone, nanos)
    return node


def _part(x: exp.Expression, name: str) -> exp.Expression:
    parts = x.meta.get("zoned_parts")
    if parts is not None:
        return parts[("wall", "zone", "nanos").index(name)].copy()
    return exp.Dot(this=exp.Paren(this=x.copy()) if not isinstance(x, exp.Column) else x.copy(),
                   expression=exp.to_identifier(name))


def wall(x: exp.Expression) -> exp.Expression:
    """The wall clock, cut to microseconds (a Spark TIMESTAMP)."""
    out = exp.Cast(this=_part(x, "wall"), to=exp.DataType.build("TIMESTAMP")) \
        if x.meta.get("zoned_parts") else _part(x, "wall")
    out.type = _timestamp(min(precision(x.type), 6))
    return out


def zone(x: exp.Expression) -> exp.Expression:
    return _part(x, "zone")


def nanos(x: exp.Expression) -> exp.Expression:
    """The nanoseconds past the microseconds (0 for a zoned timestamp of 6 digits or fewer)."""
    return _part(x, "nanos") if is_nano_zoned(x) else exp.Literal.number(0)


def instant(x: exp.Expression) -> exp.Expression:
    """The instant, cut to microseconds (a Spark TIMESTAMP)."""
    out = call("TO_UTC_TIMESTAMP", wall(x), zone(x))
    out.type = _timestamp(min(precision(x.type), 6))
    out.meta["zoned_instant"] = True    # Trino's type is still the zoned one (error texts)
    return out


def _nano(ts: exp.Expression, x: exp.Expression, p: int) -> exp.Expression:
    out = nano_timestamps.make(ts, nanos(x))
    out.type = _timestamp(p)
    return out


def nano_wall(x: exp.Expression) -> exp.Expression:
    """The wall clock as a timestamp(p) of p 7..9 (``nano_timestamps``' struct)."""
    return _nano(wall(x), x, max(precision(x.type), 7))


def nano_instant(x: exp.Expression, p: int | None = None) -> exp.Expression:
    """The instant as a timestamp(p) of p 7..9 (``nano_timestamps``' struct: compared
    whole, as Trino compares the instants)."""
    out = _nano(instant(x), x, p or max(precision(x.type), 7))
    out.meta["zoned_instant"] = True
    return out


def from_instant(i: exp.Expression, z: exp.Expression, nanos: exp.Expression | None = None) -> exp.Expression:
    return make(call("FROM_UTC_TIMESTAMP", i, z), z, nanos)


def _like(x: exp.Expression, w: exp.Expression, z: exp.Expression) -> exp.Expression:
    """A zoned value of x's precision: wall clock w (nanoseconds kept from x), zone z."""
    return make(w, z, nanos(x) if is_nano_zoned(x) else None)


def offset_minutes(x: exp.Expression) -> exp.Expression:
    """The zone's offset from UTC at the value's instant, in minutes."""
    return spark("(UNIX_MICROS(_w) - UNIX_MICROS(TO_UTC_TIMESTAMP(_w, _z))) DIV 60000000",
                 _w=wall(x), _z=zone(x))


def _fraction(p: int) -> str:
    return f".{'S' * p}" if p else ""


def text(x: exp.Expression, p: int) -> exp.Expression:
    """Trino's text: ``2020-05-10 12:34:56.123 Asia/Kathmandu`` (p fractional digits)."""
    if p > 6:
        return call("CONCAT", nano_timestamps.text(nano_wall(x), p), exp.Literal.string(" "), zone(x))
    return call("CONCAT", call("DATE_FORMAT", wall(x), exp.Literal.string(f"yyyy-MM-dd HH:mm:ss{_fraction(p)}")),
                exp.Literal.string(" "), zone(x))


# --------------------------------------------------------------------------------------
# Zones
# --------------------------------------------------------------------------------------


def _zone_key(node: exp.Expression, z: exp.Expression | None, error=InvalidFunctionArgument) -> exp.Expression:
    """Trino's key of a constant zone (an interval: its offset); other zones are refused."""
    read = interval_literal.read_node(z, *position(z)) if isinstance(z, exp.Interval) else None
    if read is not None:
        minutes = read[1] // 60000
        sign = "-" if minutes < 0 else "+"
        return exp.Literal.string(canonical_zone(f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"))
    name = string_literal(z)
    if name is None:
        raise not_supported(node, "A time zone that is not a constant is not supported on the Spark engine")
    key = canonical_zone(name)
    if not known_zone(key):
        raise error(f"Time zone not supported: {name}", *position(node))
    return exp.Literal.string(key)


_UTC = exp.Literal.string("UTC")


# --------------------------------------------------------------------------------------
# Making zoned values
# --------------------------------------------------------------------------------------


def _to_nanos(node: exp.Cast) -> exp.Expression:
    """A cast to a timestamp(7..9) with time zone."""
    x, to = node.this, node.to
    q = precision(to)
    if is_zoned(x):
        if not is_nano_zoned(x):
            return make(wall(x), zone(x), 0)
        r = nano_timestamps.cast(nano_wall(x), _timestamp(q))      # rounded half up to q digits
        return make(nano_timestamps.micros(r), zone(x), nano_timestamps.nanos(r))
    text_value = string_literal(x)
    if text_value is not None:
        parts = split_literal(text_value)
        local, key = parts if parts is not None else (text_value, "UTC")
        if not known_zone(key):
            raise InvalidLiteral(f"Time zone not supported: {key}", *position(node))
        read = nano_timestamps.read(local, q)
        if read is None:
            raise not_supported(node, "This cast of text to a zoned timestamp of more than 6 digits is not "
                                      "supported on the Spark engine")
        moment, n = read
        return make(exp.Cast(this=exp.Literal.string(nano_timestamps.clock(moment)),
                             to=exp.DataType.build("TIMESTAMP")), exp.Literal.string(key), n)
    if nano_timestamps.is_nano(x):
        r = nano_timestamps.cast(x, _timestamp(q))
        return make(nano_timestamps.micros(r), _UTC, nano_timestamps.nanos(r))
    if is_type(x, DType.TIMESTAMP, *DATE):
        return make(x, _UTC, 0)
    raise not_supported(node, "A cast of this value to a zoned timestamp is not supported on the Spark engine")


def _cast(node: exp.Cast) -> exp.Expression | None:
    x, to = node.this, node.to
    if to.this == DType.TIMESTAMPTZ and precision(to) > 6:
        out = _to_nanos(node)
        out.type = to.copy()
        return out
    if to.this == DType.TIMESTAMPTZ and is_nano_zoned(x):       # rounded half up to q <= 6 digits
        out = make(nano_timestamps.cast(nano_wall(x), _timestamp(precision(to))), zone(x))
        out.type = to.copy()
        return out
    if to.this == DType.TIMESTAMPTZ and nano_timestamps.is_nano(x):
        return make(nano_timestamps.cast(x, _timestamp(precision(to))), _UTC)
    if to.this == DType.TIMESTAMPTZ:
        if is_zoned(x):
            out = make(rounded(wall(x), precision(x.type), precision(to)), zone(x))
            out.type = to.copy()
            return out
        text_value = string_literal(x)
        if text_value is not None:
            parts = split_literal(text_value)
            if parts is None:
                return make(exp.Cast(this=x, to=exp.DataType.build("TIMESTAMP")), _UTC)
            local, key = parts
            if not known_zone(key):
                raise InvalidLiteral(f"Time zone not supported: {key}", *position(node))
            return make(exp.Cast(this=exp.Literal.string(local), to=exp.DataType.build("TIMESTAMP")),
                        exp.Literal.string(key))
        if is_type(x, *DATE):
            return make(x, _UTC)
        if is_type(x, DType.TIMESTAMP):
            return make(rounded(x, precision(x.type), precision(to)), _UTC)
        raise not_supported(node, "A cast of this value to a zoned timestamp is not supported on the Spark engine")
    if not is_zoned(x):
        return None
    if to.this in TEXT:
        return text(x, precision(x.type))
    if is_nano_zoned(x) and to.this in (DType.TIMESTAMP, DType.TIME, *DATE):     # its wall clock
        return nano_timestamps.cast(nano_wall(x), to)
    if to.this in DATE:
        return exp.Cast(this=wall(x), to=exp.DataType.build("DATE"))
    if to.this == DType.TIMESTAMP:
        return rounded(wall(x), precision(x.type), precision(to))
    if to.this == DType.TIME:
        return of_wall_clock(rounded(wall(x), precision(x.type), precision(to)))
    raise not_supported(node, f"A cast of a zoned timestamp to {to.sql()} is not supported on the Spark engine")


def _at_time_zone(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.AtTimeZone):
        x, z = node.this, node.args.get("zone")
    else:
        x, z = node.expressions
    key = _zone_key(node, z)
    if is_nano_zoned(x):
        return from_instant(instant(x), key, nanos(x))
    return from_instant(instant(x) if is_zoned(x) else x, key)


def _with_timezone(node: exp.Anonymous) -> exp.Expression:
    x, z = node.expressions
    return make(x, _zone_key(node, z))


def _offset_key(hours: exp.Expression, minutes: exp.Expression) -> exp.Expression:
    """Trino's zone key of an offset of hours * 60 + minutes minutes (getTimeZoneKeyForOffset):
    UTC for 0, ``+01:10``; beyond +-14:00 INVALID_FUNCTION_ARGUMENT."""
    total = spark("CAST(_h AS BIGINT) * 60 + CAST(_m AS BIGINT)", _h=hours, _m=minutes)
    return spark("CASE WHEN ABS(_o) > 840 THEN RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Invalid offset "
                 "minutes ', CAST(_o AS STRING))) WHEN _o = 0 THEN 'UTC' ELSE CONCAT(CASE WHEN _o < 0 THEN '-' "
                 "ELSE '+' END, LPAD(CAST(ABS(_o) DIV 60 AS STRING), 2, '0'), ':', "
                 "LPAD(CAST(ABS(_o) % 60 AS STRING), 2, '0')) END", _o=total)


def _from_unixtime(node: exp.UnixToTime) -> exp.Expression | None:
    if node.args.get("format") is not None:
        raise not_supported(node, "Function 'from_unixtime' with a format is not supported on the Spark engine")
    z = node.args.get("zone")
    if node.args.get("hours") is not None:
        key = _offset_key(node.args["hours"], node.args.get("minutes") or exp.Literal.number(0))
    else:
        key = _zone_key(node, z) if z is not None else _UTC
    inst = spark("TIMESTAMP_MILLIS(CAST(ROUND(CAST(_n AS DOUBLE) * 1000) AS BIGINT))", _n=node.this)
    return from_instant(inst, key)


# Joda's dateTimeParser: an offset only after a time ('2001-08-22-05' is no offset)
_ISO = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}(:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?)?"
        r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$")


def _from_iso8601(node: exp.Expression) -> exp.Expression:
    """The instant as Spark reads ISO 8601 text (an offset, or UTC: the session zone), the
    zone as Trino's key of the offset written."""
    s = node.this
    zone_text = spark(r"REGEXP_EXTRACT(_s, 'T[0-9:.,]*(Z|[+-][0-9]{2}(:?[0-9]{2})?)$', 1)", _s=s)
    key = spark("CASE WHEN _z IN ('', 'Z') OR _z RLIKE '^[+-]00:?(00)?$' THEN 'UTC' "
                "ELSE CONCAT(SUBSTR(_z, 1, 3), ':', COALESCE(NULLIF(SUBSTR(REPLACE(_z, ':', ''), 4, 2), ''), '00')) END",
                _z=zone_text)
    invalid = "RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Invalid format: \"', _s, '\"'))"
    # Spark reads no time without seconds: '12:34' is '12:34:00'
    seconds = spark("REGEXP_REPLACE(_s, '(T[0-9]{2}:[0-9]{2})(Z|[+-]|$)', '$1:00$2')", _s=s)
    checked = spark(f"CASE WHEN _s RLIKE '{_ISO}' THEN COALESCE(TRY_CAST(_t AS TIMESTAMP), {invalid}) "
                    f"ELSE {invalid} END", _s=s, _t=seconds)
    # Joda keeps milliseconds: further digits are cut, in the instant too (comparisons)
    return from_instant(call("DATE_TRUNC", exp.Literal.string("MILLISECOND"), checked), key)


# Java's ISO_DATE_TIME (Trino's from_iso8601_timestamp_nanos): a time after the date, a
# fraction of up to 9 digits only after seconds, an offset with a colon or Z
_ISO_NANOS = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?"
              r"(Z|[+-][0-9]{2}:[0-9]{2})?$")


def _from_iso8601_nanos(node: exp.Expression) -> exp.Expression:
    """A timestamp(9) with time zone: the microseconds' instant as Spark reads the text,
    the three digits past them, the zone Trino's key of the offset (UTC without one)."""
    s = node.this
    zone_text = spark(r"REGEXP_EXTRACT(_s, '(Z|[+-][0-9]{2}:[0-9]{2})$', 1)", _s=s)
    key = spark("CASE WHEN _z IN ('', 'Z', '+00:00', '-00:00') THEN 'UTC' ELSE _z END", _z=zone_text)
    invalid = "RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Invalid format: \"', _s, '\"'))"
    seconds = spark("REGEXP_REPLACE(_s, '(T[0-9]{2}:[0-9]{2})(Z|[+-]|$)', '$1:00$2')", _s=s)
    checked = spark(f"CASE WHEN _s RLIKE '{_ISO_NANOS}' THEN COALESCE(TRY_CAST(_t AS TIMESTAMP), {invalid}) "
                    f"ELSE {invalid} END", _s=s, _t=seconds)
    digits = spark(r"CAST(SUBSTR(RPAD(REGEXP_EXTRACT(_s, '[.]([0-9]+)', 1), 9, '0'), 7, 3) AS INT)", _s=s)
    return from_instant(call("DATE_TRUNC", exp.Literal.string("MICROSECOND"), checked), key, digits)


def _now(node: exp.Expression) -> exp.Expression:
    return make(call("CURRENT_TIMESTAMP"), _UTC)


# --------------------------------------------------------------------------------------
# Computing on zoned values
# --------------------------------------------------------------------------------------


def _unit_name(node: exp.Expression) -> str:
    unit = node.args.get("unit")
    return unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal)) else ""


def _trunc(node: exp.Expression) -> exp.Expression | None:
    x = node.this
    if not is_zoned(x):
        return None
    unit = _unit_name(node)
    if unit not in units.UNITS:
        raise not_supported(node, "Function 'date_trunc' of a zoned timestamp with this unit is not supported "
                                  "on the Spark engine")
    return make(call("DATE_TRUNC", exp.Literal.string(unit.upper()), wall(x)), zone(x),
                0 if is_nano_zoned(x) else None)


def _date_add(node: exp.DateAdd) -> exp.Expression | None:
    x = node.this
    if not is_zoned(x):
        return None
    unit = _unit_name(node)
    if unit not in units.UNITS:
        raise not_supported(node, "Function 'date_add' of a zoned timestamp with this unit is not supported on "
                                  "the Spark engine")
    kept = nanos(x) if is_nano_zoned(x) else None      # (units of a millisecond and more)
    if unit in units.DURATIONS:     # durations move the instant (Joda)
        return from_instant(call("TIMESTAMPADD", exp.Var(this=unit.upper()), node.expression, instant(x)), zone(x),
                            kept)
    return make(call("TIMESTAMPADD", exp.Var(this=unit.upper()), node.expression, wall(x)), zone(x), kept)


def _date_diff(node: exp.DateDiff) -> exp.Expression | None:
    a, b = node.expression, node.this
    if not (is_zoned(a) or is_zoned(b)):
        return None
    unit = _unit_name(node) or "day"
    if unit not in units.UNITS:
        raise not_supported(node, "Function 'date_diff' of zoned timestamps with this unit is not supported on "
                                  "the Spark engine")
    from .dates import diff
    # (of more than 6 digits: Trino diffs the epoch microseconds floored to milliseconds, ``nanos``)
    if unit in units.DURATIONS:
        return diff(unit, instant(a), instant(b))
    z = zone(a)                   # days and longer count on the wall clock of the first zone (Joda)
    return diff(unit, wall(a), call("FROM_UTC_TIMESTAMP", instant(b), z))


def _plus(node: exp.Binary) -> exp.Expression | None:
    value, other = node.this, node.expression
    if isinstance(node, exp.Sub) and is_zoned(value) and is_zoned(other):
        if is_nano_zoned(value) or is_nano_zoned(other):
            raise not_supported(node, "The difference of zoned timestamps of more than 6 digits is not supported "
                                      "on the Spark engine")
        return exp.Sub(this=instant(value), expression=instant(other))
    if isinstance(node, exp.Add) and is_zoned(other):
        value, other = other, value
    if not is_zoned(value):
        return None
    if not is_type(other, DType.INTERVAL):
        raise not_supported(node, "This arithmetic on a zoned timestamp is not supported on the Spark engine")
    op = type(node)
    kept = nanos(value) if is_nano_zoned(value) else None
    if interval_kind(other.type) == interval_literal.YEAR_TO_MONTH:
        return make(op(this=wall(value), expression=other), zone(value), kept)
    return from_instant(op(this=instant(value), expression=other), zone(value), kept)


def _extreme(name: str):
    def rewrite(node: exp.Expression) -> exp.Expression | None:
        if not is_zoned(node.this):
            return None
        return call(name, node.this, nano_instant(node.this) if is_nano_zoned(node.this) else instant(node.this))
    return rewrite


def _pick(node: exp.Greatest | exp.Least) -> exp.Expression | None:
    """greatest / least of zoned values: the value (with its zone) of the latest / earliest
    instant, the first of equal ones; NULL if any is NULL."""
    values = [node.this, *node.expressions]
    if not any(is_zoned(v) for v in values):
        return None
    if not all(is_zoned(v) for v in values):
        raise not_supported(node, "greatest / least of zoned timestamps and other values is not supported on the "
                                  "Spark engine")
    p = max(precision(v.type) for v in values)
    keys = [nano_instant(v, p) if p > 6 else instant(v) for v in values]
    sign = -1 if isinstance(node, exp.Greatest) else 1
    entries = [call("NAMED_STRUCT", exp.Literal.string("k"), k, exp.Literal.string("i"),
                    exp.Literal.number(sign * i), exp.Literal.string("v"),
                    make(wall(v), zone(v), nanos(v) if p > 6 else None))
               for i, (k, v) in enumerate(zip(keys, values))]
    picked = exp.Dot(this=exp.Paren(this=call("ARRAY_MAX" if sign < 0 else "ARRAY_MIN", call("ARRAY", *entries))),
                     expression=exp.to_identifier("v"))
    anynull = exp.or_(*(exp.Is(this=exp.Paren(this=k.copy()), expression=exp.Null()) for k in keys))
    out = exp.Case(ifs=[exp.If(this=anynull, true=exp.Null())], default=picked)
    out.type = node.type
    return out


def _from_unixtime_nanos(node: exp.Anonymous) -> exp.Expression:
    """The instant of the nanoseconds since the epoch, in UTC (Trino's session zone, Athena's)."""
    n = node.expressions[0]
    if not is_type(n, DType.TINYINT, DType.SMALLINT, DType.INT, DType.BIGINT):
        raise not_supported(node, "Function 'from_unixtime_nanos' of a decimal is not supported on the Spark "
                                  "engine")
    return make(spark("TIMESTAMP_MICROS(FLOOR(_n / 1000))", _n=exp.Cast(this=n, to=exp.DataType.build("BIGINT"))),
                _UTC, spark("PMOD(_n, 1000)", _n=exp.Cast(this=n, to=exp.DataType.build("BIGINT"))))


def _timezone_field(name: str):
    def rewrite(node: exp.Expression) -> exp.Expression:
        x = node.expressions[0] if isinstance(node, exp.Anonymous) else node.expression
        if is_type(x, DType.TIMESTAMP) and precision(x.type) <= 6:
            # read in the session zone (UTC, Athena's), as Trino casts it to a zoned one: offset 0
            return spark("CAST(CASE WHEN _x IS NOT NULL THEN 0 END AS BIGINT)", _x=x)
        if not is_zoned(x):
            raise not_supported(node, f"Function '{name}' of a timestamp without a zone is not supported on the "
                                      "Spark engine")
        field = "_o DIV 60" if name == "timezone_hour" else "_o % 60"
        return spark(f"CAST({field} AS BIGINT)", _o=offset_minutes(x))
    return rewrite


def _extract(node: exp.Extract) -> exp.Expression | None:
    unit = node.this.name.lower() if isinstance(node.this, (exp.Var, exp.Identifier, exp.Column)) else ""
    if unit in ("timezone_hour", "timezone_minute"):
        return _timezone_field(unit)(node)
    return None


def _to_iso8601(node: exp.Anonymous) -> exp.Expression | None:
    x = node.expressions[0]
    if is_type(x, *DATE):
        return exp.Cast(this=x, to=exp.DataType.build("STRING"))
    p = precision(x.type)
    if is_nano_zoned(x):
        local = nano_timestamps.text(nano_wall(x), p, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
    else:
        local = call("DATE_FORMAT", wall(x) if is_zoned(x) else x,
                     exp.Literal.string(f"yyyy-MM-dd'T'HH:mm:ss{_fraction(p)}"))
    if not is_zoned(x):
        return local
    offset = spark("CASE WHEN _z = 'UTC' THEN 'Z' ELSE CONCAT(CASE WHEN _o < 0 THEN '-' ELSE '+' END, "
                   "LPAD(CAST(ABS(_o) DIV 60 AS STRING), 2, '0'), ':', LPAD(CAST(ABS(_o) % 60 AS STRING), 2, '0')) END",
                   _z=zone(x), _o=offset_minutes(x))
    return call("CONCAT", local, offset)


CLASS_REWRITES = {
    exp.Cast: _cast,
    exp.AtTimeZone: _at_time_zone,
    exp.UnixToTime: _from_unixtime,
    exp.FromISO8601Timestamp: _from_iso8601,
    exp.FromISO8601TimestampNanos: _from_iso8601_nanos,
    exp.CurrentTimestamp: _now,
    exp.TimestampTrunc: _trunc,
    exp.DateTrunc: _trunc,
    exp.DateAdd: _date_add,
    exp.DateDiff: _date_diff,
    exp.Add: _plus,
    exp.Sub: _plus,
    exp.Min: _extreme("MIN_BY"),
    exp.Max: _extreme("MAX_BY"),
    exp.Extract: _extract,
    exp.Greatest: _pick,
    exp.Least: _pick,
}
ANONYMOUS_REWRITES = {
    "at_timezone": _at_time_zone,
    "with_timezone": _with_timezone,
    "timezone_hour": _timezone_field("timezone_hour"),
    "timezone_minute": _timezone_field("timezone_minute"),
    "to_iso8601": _to_iso8601,
    "from_unixtime_nanos": _from_unixtime_nanos,
}

# --------------------------------------------------------------------------------------
# Other nodes: the instant, the wall clock, or the value passed on
# --------------------------------------------------------------------------------------

_INSTANT_READERS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In, exp.NullSafeEQ,
                    exp.NullSafeNEQ, exp.Ordered, exp.TimeToUnix, exp.Is)
_WALL_READERS = (exp.Hour, exp.Minute, exp.Second, exp.Day, exp.DayOfMonth, exp.Month, exp.Year, exp.Quarter,
                 exp.Week, exp.WeekOfYear, exp.DayOfWeek, exp.DayOfWeekIso, exp.DayOfYear, exp.YearOfWeek,
                 exp.Extract, exp.TimeToStr, exp.LastDay, exp.Date)
_WALL_FUNCTIONS = {"millisecond", "day_of_week", "dow", "doy", "day_of_year", "year_of_week", "yow",
                   "last_day_of_month", "week_of_year"}
_INSTANT_FUNCTIONS = {"to_unixtime"}
_PASSING = (exp.Paren, exp.Alias, exp.Coalesce, exp.Case, exp.If, exp.Nullif, exp.Tuple, exp.Values,
            exp.Subquery, exp.Typeof)


def _handled(node: exp.Expression) -> bool:
    if isinstance(node, exp.Anonymous):     # (format_datetime reads the wall clock and zone: joda_formats)
        return node.name.lower() in ANONYMOUS_REWRITES or node.name.lower() == "format_datetime"
    if isinstance(node, exp.Extract):
        unit = node.this.name.lower() if isinstance(node.this, (exp.Var, exp.Identifier, exp.Column)) else ""
        return unit in ("timezone_hour", "timezone_minute")
    return type(node) in CLASS_REWRITES and not isinstance(node, exp.Extract)


def _alternatives(node: exp.Expression) -> list[list[exp.Expression]]:
    """The groups of values one of which `node` gives (a column of VALUES, the branches
    of CASE, COALESCE's arguments)."""
    if isinstance(node, exp.Values):
        rows = [t.expressions for t in node.expressions if isinstance(t, exp.Tuple)]
        return [list(column) for column in zip(*rows)] if rows and len({len(r) for r in rows}) == 1 else []
    if isinstance(node, exp.Case):
        return [[i.args.get("true") for i in node.args.get("ifs") or []] + [node.args.get("default")]]
    if isinstance(node, exp.If):
        return [[node.args.get("true"), node.args.get("false")]]
    if isinstance(node, exp.Coalesce):
        return [[node.this, *node.expressions]]
    return []


def _widen(node: exp.Expression) -> None:
    """Where zoned values of 7..9 digits and of fewer meet (a VALUES column, CASE,
    COALESCE), the latter get the nanoseconds field too (0): Spark wants one struct."""
    for group in _alternatives(node):
        zoned_values = [v for v in group if isinstance(v, exp.Expression) and is_zoned(v)]
        if not any(is_nano_zoned(v) for v in zoned_values):
            continue
        p = max(precision(v.type) for v in zoned_values)
        for v in zoned_values:
            if not is_nano_zoned(v):
                wider = make(wall(v), zone(v), 0)
                wider.type = exp.DataType.build(f"TIMESTAMP({p}) WITH TIME ZONE", dialect="trino")
                v.replace(wider)


def adapt(node: exp.Expression) -> None:
    """Give `node` the reading of each zoned argument it needs (see the module's docstring)."""
    _widen(node)
    if _handled(node) or isinstance(node, exp.Anonymous) and node.name.lower() == "typeof":
        return
    for key, value in list(node.args.items()):
        for child in (value if isinstance(value, list) else [value]):
            if not isinstance(child, exp.Expression) or not is_zoned(child) or isinstance(child, exp.DataType):
                continue
            child.replace(_reading(node, child))


def _reading(node: exp.Expression, child: exp.Expression) -> exp.Expression:
    name = node.name.lower() if isinstance(node, exp.Anonymous) else None
    nano = is_nano_zoned(child)     # (a timestamp(7..9): ``nano_timestamps`` reads it further, or refuses)
    # count(DISTINCT x) counts the distinct instants (Trino's equality of zoned values);
    # count(x) the instants that are not NULL (a struct of a NULL wall clock is no NULL)
    if isinstance(node, exp.Count) and isinstance(child, exp.Distinct):
        return child        # (its values were read as instants)
    counted = isinstance(node, exp.Count) or isinstance(node, exp.Distinct) and isinstance(node.parent, exp.Count)
    if isinstance(node, _INSTANT_READERS) or name in _INSTANT_FUNCTIONS or rows.compared_in_place(node) or counted:
        return nano_instant(child) if nano else instant(child)
    if isinstance(node, _WALL_READERS) or name in _WALL_FUNCTIONS:
        return nano_wall(child) if nano else wall(child)
    if isinstance(node, _PASSING) or isinstance(node, exp.Select) and not node.args.get("distinct"):
        return child
    raise not_supported(child, "timestamp with time zone values are not supported here on the Spark engine")
