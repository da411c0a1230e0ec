"""Reading `projection.<col>.*` table properties into candidate generators (see projection.py)."""
from __future__ import annotations

from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Column as TableColumn
from . import dates
from .projection import Column, InvalidProjection

JAVA_LONG = (-(2 ** 63), 2 ** 63 - 1)


def column_projection(key: TableColumn, props: dict[str, str]) -> Column:
    prefix = f"projection.{key.name}."
    kind = props[prefix + "type"].strip().lower()
    makers = {"enum": _enum, "integer": _integer, "date": _date, "injected": _injected}
    if kind not in makers:
        raise InvalidProjection(key.name, f"Unknown projection type '{kind}': use enum, integer, "
                                "date or injected")
    return makers[kind](key, {k[len(prefix):]: v for k, v in props.items() if k.startswith(prefix)})


def _required(key: TableColumn, props: dict[str, str], name: str) -> str:
    if name not in props:
        raise InvalidProjection(key.name, f"Missing required property: 'projection.{key.name}.{name}'")
    return props[name]


def _enum(key: TableColumn, props: dict[str, str]) -> Column:
    values = _required(key, props, "values").split(",")    # whitespace is part of each value
    known = dict.fromkeys(values)
    return Column(key.name, "enum", len(known), lambda: ((v, v) for v in known),
                  lambda v: (v, v) if v in known else None)


def _integer(key: TableColumn, props: dict[str, str]) -> Column:
    bounds = _required(key, props, "range").split(",")
    try:
        low, high = (int(b.strip()) for b in bounds)
        interval = int(props.get("interval", "1").strip())
        digits = int(props.get("digits", "0").strip())
    except ValueError:
        raise InvalidProjection(key.name, f"Property: 'projection.{key.name}.range' needs to be a "
                                "list of 2 integers, with an integer interval and digits") from None
    if not (JAVA_LONG[0] <= low <= high <= JAVA_LONG[1]) or interval <= 0:
        raise InvalidProjection(key.name, f"Property: 'projection.{key.name}.range' needs to be 2 "
                                "ascending integers that fit a long, with a positive interval")

    def text(n: int) -> tuple[str, str]:
        s = f"{n:0{digits}d}" if digits else str(n)
        return s, s

    def accepts(value: str):
        try:
            n = int(value)
        except ValueError:
            return None
        return text(n) if low <= n <= high and (n - low) % interval == 0 else None

    return Column(key.name, "integer", (high - low) // interval + 1,
                  lambda: (text(n) for n in range(low, high + 1, interval)), accepts)


def _date(key: TableColumn, props: dict[str, str]) -> Column:
    pattern = _required(key, props, "format")
    try:
        fmt = dates.JavaDateFormat(pattern)
    except dates.PatternError as e:
        raise InvalidProjection(key.name, str(e)) from None
    bounds = _required(key, props, "range").split(",")
    parsed = [dates.parse_bound(b, fmt) for b in bounds] if len(bounds) == 2 else [None]
    if None in parsed or parsed[0] > parsed[1]:
        raise InvalidProjection(key.name, f"Property: 'projection.{key.name}.range' needs to be a list "
                                f"of 2 valid dates formatted as '{pattern}' or "
                                f"'{dates.NOW_RE.pattern}' that are sequential")
    unit = props.get("interval.unit", "").strip().upper()
    if not unit:
        if fmt.below_day:
            raise InvalidProjection(key.name, f"Property: 'projection.{key.name}.interval.unit' needs "
                                    "to be set when the format is less than single-day precision")
        unit = "DAYS" if fmt.has_day else "MONTHS"
    unit = unit if unit.endswith("S") else unit + "S"
    if unit not in dates.UNITS:
        raise InvalidProjection(key.name, f"Property: 'projection.{key.name}.interval.unit' value "
                                f"'{unit}' is invalid. Available options: {', '.join(dates.UNITS)}")
    try:
        interval = int(props.get("interval", "1").strip())
    except ValueError:
        interval = 0
    if interval <= 0:
        raise InvalidProjection(key.name, f"Property: 'projection.{key.name}.interval' must be a "
                                "positive integer")
    # Ends are cut to the format's precision (NOW -> today, for a day format).
    start, end = (fmt.parse(fmt.format(b)) for b in parsed)
    value_of = _value_text(key, fmt)
    count = dates.count_steps(start, end, interval, unit)

    def values():
        for k in range(count):
            when = dates.step(start, k * interval, unit)
            yield value_of(when), fmt.format(when)

    def accepts(value: str):
        when = _parse_value(key, fmt, value)
        if when is None or not start <= when <= end or \
                dates.index_of(start, when, interval, unit) is None:
            return None
        return value_of(when), fmt.format(when)

    return Column(key.name, "date", count, values, accepts)


def _value_text(key: TableColumn, fmt: dates.JavaDateFormat):
    """A DATE or TIMESTAMP partition column holds the date itself; a string one, its formatted text."""
    kind = parse_hive_type(key.type).name
    if kind == "date":
        return lambda when: when.strftime("%Y-%m-%d")
    if kind == "timestamp":
        return lambda when: when.strftime("%Y-%m-%d %H:%M:%S") + \
            (f".{when.microsecond // 1000:03d}" if when.microsecond else "")
    return fmt.format


def _parse_value(key: TableColumn, fmt: dates.JavaDateFormat, value: str):
    kind = parse_hive_type(key.type).name
    if kind in ("date", "timestamp"):
        for pattern in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                return dates.datetime.strptime(value.strip(), pattern)
            except ValueError:
                continue
        return None
    return fmt.parse(value)


def _injected(key: TableColumn, props: dict[str, str]) -> Column:
    if parse_hive_type(key.type).name not in ("string", "varchar", "char"):
        raise InvalidProjection(key.name, "Injected projection is only supported for string columns")
    return Column(key.name, "injected", None, lambda: iter(()), lambda v: (v, v))
