"""The recorded SQLGlot class of each Trino function name (sql/trino/known_classes.py) is
what parsing the names finds with the installed SQLGlot, and is what queries use."""
from __future__ import annotations

import pytest
import sqlglot

from parthenon.errors import NotSupported
from parthenon.sql.trino import functions, known_classes


def test_the_record_is_for_the_installed_sqlglot_and_every_trino_name():
    assert known_classes.SQLGLOT_VERSION == sqlglot.__version__, \
        "SQLGlot changed: run .venv/bin/python -m parthenon.sql.trino.known_classes"
    assert set(known_classes.CLASSES) == functions.TRINO_FUNCTIONS, \
        "the list of names changed: run .venv/bin/python -m parthenon.sql.trino.known_classes"


def test_the_record_is_what_parsing_finds():
    assert functions._recorded_classes() == functions.parse_classes()
    assert functions._classes_by_name() == functions.parse_classes()


def test_a_function_sqlglot_parses_into_its_own_class_is_refused_by_its_name(con):
    cur = con.cursor()
    cur.execute("SELECT abs(-2)")
    assert cur.fetchall() == [(2,)]
    assert functions.unsupported_classes()[sqlglot.exp.ArrayFirst] == "array_first"
    with pytest.raises(NotSupported, match="Function 'array_first' is not supported"):
        cur.execute("SELECT array_first(ARRAY[1, 2])")
