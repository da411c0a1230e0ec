"""The batch forms of json_parse and CAST(json AS scalar) (engine/duckdb/json_batches) give
the row-at-a-time rules' answers (json_values), errors included, on generated JSON texts
chosen to reach every fork of their fast paths; and the fast paths answer through the DB-API."""
from __future__ import annotations

import json
import random

import pyarrow as pa
import pytest

import parthenon
from parthenon.engine.duckdb import json_batches
from parthenon.sql.trino import json_values

_ATOMS = ["1", "-0", "0", "07", "123456789012345678", "1234567890123456789", "-99999999999999999999",
          "true", "false", "null", '"a"', '"\\u00e9"', '"é\\n"', '""', '"1.5"', '"a\\"1e5"', '"\\\\"',
          "2.5", "2.50", "1e5", "1E+2", "-0.0", "12345678.5", "1.123456789", "NaN", "\"\\ud800\""]
_KEYS = ["a", "b", "B", "é", "aa", "", "1.5", "\\u00e9", "\\ud83d\\ude00", "a\\\"b"]


def _value(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.35:
        return rng.choice(_ATOMS)
    space = rng.choice(["", " ", "\n", "\t "])
    if roll < 0.65:
        return "[" + f",{space}".join(_value(rng, depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    return "{" + f",{space}".join(f'"{rng.choice(_KEYS)}"{space}:{_value(rng, depth + 1)}'
                                   for _ in range(rng.randint(0, 3))) + "}"


def _texts() -> list[str]:
    rng = random.Random(12)
    noise = list('{}[],:"\\ 019-.eE+tfnrlusaxb\t\n') + ["\\u00e9", "\\ud83d", "é", "\x7f", "\x1f"]
    texts = [_value(rng) for _ in range(20000)]
    texts += ["".join(rng.choice(noise) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    texts += [json.dumps(chr(i), ensure_ascii=flag) for i in range(0x800) for flag in (True, False)]
    texts += [" 1 ", "\t[1]\n", "[1] x", "", "1\x00", None]
    # (a lone surrogate has no UTF-8: no engine value holds it, by either path)
    return [x for x in texts if x is None or _encodable(_outcome(json_values.json_parse, x))]


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _outcome(function, *args):
    try:
        return function(*args)
    except ValueError as e:
        return f"ERROR {e}"


def _batch_outcomes(function, texts, *constants):
    """Each text alone through the batch function (an error names its row), and the whole
    list at once where no row fails."""
    rows = [_outcome(lambda: function(pa.array([x], pa.string()), *[pa.array([c]) for c in constants])
                     .to_pylist()[0]) for x in texts]
    good = [x for x, r in zip(texts, rows) if not (isinstance(r, str) and r.startswith("ERROR"))]
    whole = function(pa.array(good, pa.string()), *[pa.array([c] * len(good)) for c in constants]).to_pylist()
    assert whole == [r for r in rows if not (isinstance(r, str) and r.startswith("ERROR"))]
    return rows


def test_json_parse_in_batches_is_the_row_rule():
    texts = _texts()
    expected = [None if x is None else _outcome(json_values.json_parse, x) for x in texts]
    assert _batch_outcomes(json_batches.json_parse, texts) == expected


@pytest.mark.parametrize("target", ["tinyint", "smallint", "integer", "bigint", "double", "real",
                                    "boolean", "decimal(10,2)"])
def test_json_to_scalar_in_batches_is_the_row_rule(target):
    texts = [json_values.json_parse(x) for x in _texts()[:20000] if x is not None and json_values.json_valid(x)]
    texts += ["99", "100", "128", "-128", "32767", "32768", "2147483648", "999999999", "9223372036854775807",
              "-9223372036854775808", "9223372036854775808", "-0", "0", "1.00000000", "-0.0", "123456789012345",
              "1234567890123456", "0.5", "-2.5", "True", "null", " null", "7 "]
    convert = json_batches.FUNCTIONS["trino_json_to_scalar"][0]
    expected = [_outcome(json_values.json_to_scalar, x, target) for x in texts]
    batched = _batch_outcomes(convert, texts, target)
    # the fast path gives the value's text as written, the engine casts both the same way
    assert [_read(b, target) for b in batched] == [_read(e, target) for e in expected]


def _read(text, target):
    if text is None or text.startswith("ERROR") or target in ("real",) or target.startswith("decimal"):
        return text
    if target == "boolean":
        return text
    return float(text) if target == "double" else int(text)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    with parthenon.connect(home=tmp_path_factory.mktemp("home")) as con:
        yield con


def test_a_column_of_json_texts_through_the_dbapi(con):
    rows = con.execute(
        "SELECT json_parse(s), CAST(json_parse(i) AS bigint), CAST(json_parse(i) AS double), "
        "CAST(json_extract(s, '$.b') AS integer) FROM (VALUES "
        "('{\"b\": 2, \"a\": [1.50, \"x\"]}', '12'), ('{\"b\":1,\"a\":\"2.5e1\"}', '12.5'), "
        "('[1, 2]', 'null'), (NULL, NULL)) t(s, i)").fetchall()
    assert rows == [('{"a":[1.50,"x"],"b":2}', 12, 12.0, 2), ('{"a":"2.5e1","b":1}', 13, 12.5, 1),
                    ("[1,2]", None, None, None), (None, None, None, None)]


def test_an_error_in_a_batch_is_trinos(con):
    with pytest.raises(parthenon.errors.ParthenonError) as e:
        con.execute("SELECT CAST(json_parse(i) AS tinyint) FROM (VALUES '1', '2', '300') t(i)").fetchall()
    assert e.value.code == "INVALID_CAST_ARGUMENT"
    with pytest.raises(parthenon.errors.ParthenonError) as e:
        con.execute("SELECT json_parse(s) FROM (VALUES '[1]', '[1,]') t(s)").fetchall()
    assert e.value.code == "INVALID_FUNCTION_ARGUMENT"
    assert con.execute("SELECT try(CAST(json_parse(i) AS tinyint)) FROM (VALUES '300') t(i)").fetchall() == [(None,)]
