"""The console in a real headless Chromium (Debian's, driven by Playwright for Python).

A real `parthenon serve` with SigV4 keys; the browser signs in with one of them and
works through the page as a user would: typing into the editor, Ctrl+Enter, the
catalog's menus, the result grid, the chart.  Screenshots of the main screens, light
and dark, land in tests/artifacts/console/ (git-ignored) for people to look at.
"""
from __future__ import annotations

import os
import shutil
import urllib.parse
from pathlib import Path

import pytest

from parthenon.demo import generate
from parthenon.demo.cloudtrail_table import CLOUDTRAIL_DDL, SEED_QUERY, day_predicates
from test_server_support import start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "console"
KEY, SECRET = "AKCONSOLEUSER", "browser-secret-456"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def trail(tmp_path_factory):
    root = tmp_path_factory.mktemp("console-trail")
    return generate(root, regions=("us-east-1",), days=1, target_bytes=6 * 2**20, workers=1)


@pytest.fixture
def server(parthenon_home, monkeypatch, trail):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", f"{KEY}:{SECRET}")
    # the demo trail is a local folder: the operator lets the server read it
    server = start_server(parthenon_home, data_roots=[str(trail.root)])
    yield server
    stop_server(server)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/")
    sign_in(page)
    yield page
    context.close()
    assert errors == []


def sign_in(page, secret=SECRET):
    page.fill("#signin-key", KEY)
    page.fill("#signin-secret", secret)
    page.click("#signin button[type=submit]")


def type_sql(page, sql):
    """Replace the editor's text as typed input (one insertion, as a paste would be)."""
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(sql)


def run(page, sql=None, expect="SUCCEEDED", timeout=60_000):
    """Run with Ctrl+Enter and wait for this run's final state in the results panel."""
    if sql is not None:
        type_sql(page, sql)
    before = page.get_attribute(".results", "data-query-id")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "before => { const r = document.querySelector('.results');"
        " return r.dataset.queryId && r.dataset.queryId !== before && r.dataset.state; }",
        arg=before, timeout=timeout)
    state = page.get_attribute(".results", "data-state")
    assert state == expect, page.inner_text("#message") if state == "FAILED" else state
    return page.get_attribute(".results", "data-query-id")


def grid_rows(page):
    """The rendered grid rows, as the cells' text (row number first), once the rows in view
    have arrived (a row still being fetched shows '…')."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:        # rows are drawn a moment after the state turns SUCCEEDED
        page.wait_for_selector(".grid-body .grid-row", timeout=5000)
    except PlaywrightTimeout:
        return []
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.grid-body .cell')].some(c => c.textContent === '…')")
    return page.eval_on_selector_all(
        ".grid-body .grid-row", "rows => rows.sort((a, b) => a.offsetTop - b.offsetTop)"
        ".map(r => [...r.querySelectorAll('.cell')].map(c => c.textContent))")


def completions(page):
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    return page.eval_on_selector_all(".cm-tooltip-autocomplete li .cm-completionLabel", "ls => ls.map(l => l.textContent)")


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def create_trail_table(page, trail):
    location = f"{trail.root}/AWSLogs/{trail.account}/CloudTrail/"
    run(page, CLOUDTRAIL_DDL.format(location=location))
    region, y, m, d, path = trail.partitions[0]
    run(page, f"ALTER TABLE cloudtrail_logs ADD PARTITION (region='{region}', year='{y}', month='{m}', "
              f"day='{d}') LOCATION '{path}/'")
    return region, y, m, d


def test_the_cloudtrail_story_from_the_editor(page, server, trail, tmp_path):
    shoot(page, "editor-empty-light")
    region, y, m, d = create_trail_table(page, trail)
    page.wait_for_selector('.node:has-text("cloudtrail_logs")')          # the catalog shows the new table
    qid = run(page, SEED_QUERY.format(predicates=day_predicates(region, y, m, d)))

    expected = trail.top_throttled(region, (y, m, d))
    culprit = expected[0]
    assert culprit[1] == trail.culprit_arn
    rows = grid_rows(page)
    assert rows[0] == ["1", culprit[0], culprit[1], culprit[2], str(culprit[3])]    # the top row
    # ties on count come in any order (ORDER BY count only)
    assert sorted(r[1:] for r in rows) == sorted([a, b, c, str(n)] for a, b, c, n in expected)
    assert [int(r[4]) for r in rows] == [n for *_, n in expected]
    assert page.inner_text("#summary").split("\n")[0] == "SUCCEEDED"
    shoot(page, "results-light")

    # the chart: bars by default, the culprit's the largest
    page.click(".result-tabs [data-view=chart]")
    bars = page.eval_on_selector_all(".chart .bar-group", "gs => gs.map(g => [g.dataset.label, +g.dataset.value,"
                                                           " +g.querySelector('rect').getAttribute('width')])")
    assert len(bars) == len(expected)
    widest = max(bars, key=lambda b: b[2])
    assert culprit[1] in widest[0] and widest[1] == culprit[3] and widest == bars[0]
    shoot(page, "chart-light")

    page.click(".result-tabs [data-view=stats]")
    stats = page.inner_text("#view-stats")
    assert "Data scanned" in stats and "Cost" in stats and "Queue" in stats and "Execution" in stats
    shoot(page, "stats-light")

    # Download CSV: the very bytes of the result file
    with page.expect_download() as download:
        page.click("#download")
    got = Path(download.value.path()).read_bytes()
    location = server.service.get_query_execution({"QueryExecutionId": qid})["QueryExecution"][
        "ResultConfiguration"]["OutputLocation"]
    assert location.startswith("file://") and location.endswith(f"{qid}.csv")
    assert got == Path(urllib.parse.urlsplit(location).path).read_bytes()
    assert download.value.suggested_filename == f"{qid}.csv"

    # the same execution is in the API's history
    assert server.service.list_query_executions({})["QueryExecutionIds"][0] == qid

    page.click("#theme")
    page.click(".result-tabs [data-view=grid]")
    shoot(page, "results-dark")
    page.click(".result-tabs [data-view=chart]")
    shoot(page, "chart-dark")
    page.click(".side-tabs [data-panel=history]")
    page.wait_for_selector(f'.item[data-id="{qid}"]')
    shoot(page, "history-dark")


def test_autocomplete_a_nested_struct_field(page, trail):
    create_trail_table(page, trail)
    type_sql(page, "SELECT useridentity.sessioncontext.sessionissuer.")
    page.keyboard.type("ar")
    page.wait_for_selector(".cm-tooltip-autocomplete")
    options = page.eval_on_selector_all(".cm-tooltip-autocomplete li .cm-completionLabel", "ls => ls.map(l => l.textContent)")
    assert options == ["arn"]
    page.keyboard.press("Enter")
    page.keyboard.insert_text(" FROM cloudtrail_logs")
    assert page.inner_text(".cm-content") == "SELECT useridentity.sessioncontext.sessionissuer.arn FROM cloudtrail_logs"
    # the fields of a struct, from the catalog's column types
    type_sql(page, "SELECT useridentity.sessioncontext. FROM cloudtrail_logs")
    for _ in range(len(" FROM cloudtrail_logs")):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete")
    options = page.eval_on_selector_all(".cm-tooltip-autocomplete li .cm-completionLabel", "ls => ls.map(l => l.textContent)")
    assert options == ["attributes", "sessionissuer"]
    shoot(page, "autocomplete-light")
    # keywords and functions, and the tables of the database
    type_sql(page, "sel")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete")
    assert page.inner_text(".cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel") == "SELECT"
    page.wait_for_timeout(100)       # CodeMirror ignores an Enter in the first 75 ms of a list
    page.keyboard.press("Enter")
    page.keyboard.type(" approx_disti")
    assert completions(page) == ["approx_distinct"]
    page.keyboard.press("Escape")
    page.keyboard.type("nct(eventname) FROM cloud")
    assert completions(page) == ["cloudtrail_logs"]
    page.keyboard.press("Escape")
    assert page.inner_text(".cm-content") == "SELECT approx_distinct(eventname) FROM cloud"
    run(page, "SELECT useridentity.sessioncontext.sessionissuer.arn FROM cloudtrail_logs LIMIT 1")


def test_cancel_a_long_query_while_it_shows_live_progress(page):
    type_sql(page, "SELECT count(*) FROM UNNEST(sequence(1, 200000)) AS a(x) "
                   "CROSS JOIN UNNEST(sequence(1, 200000)) AS b(y) WHERE a.x * b.y % 7 = 3")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".state.RUNNING")
    page.wait_for_function("() => /Running · [1-9]\\.\\d s/.test(document.querySelector('#live').textContent)")
    assert page.is_enabled("#cancel") and not page.is_enabled("#run")
    page.click("#cancel")
    page.wait_for_function("() => document.querySelector('.results').dataset.state === 'CANCELLED'", timeout=20_000)
    assert page.is_enabled("#run") and not page.is_enabled("#cancel")
    assert page.inner_text("#summary").split("\n")[0] == "CANCELLED"


def test_a_syntax_error_is_shown_at_its_line_and_column(page):
    run(page, "SELECT 1 AS one,\n  2 AS two\nFROM (VALUES 1) AS t(x)\nWHERE x = = 1", expect="FAILED")
    message = page.inner_text("#message")
    assert message.startswith("line 4:11: ")
    marked = page.eval_on_selector(".cm-lintRange-error", "e => [e.textContent, e.closest('.cm-line').textContent]")
    assert marked == ["=", "WHERE x = = 1"]
    # running only a selection maps its error back into the editor's text
    type_sql(page, "SELECT 1;\nSELECT nope FROM (VALUES 1) AS t(x)")
    page.keyboard.press("Shift+Home")
    run(page, expect="FAILED")
    assert page.inner_text("#message").startswith("COLUMN_NOT_FOUND: line 1:8: ")
    assert page.eval_on_selector(".cm-lintRange-error", "e => e.textContent") == "nope"


def test_tabs_and_history_survive_a_reload(page):
    run(page, "SELECT 'first' AS tab")
    page.click(".qtab-add")
    type_sql(page, "SELECT 2 AS second")
    page.click(".qtab-add")
    type_sql(page, "-- a third, not run")
    page.reload()
    page.wait_for_selector(".qtab")
    assert page.eval_on_selector_all(".qtab .title", "ts => ts.map(t => t.textContent)") == ["Query 1", "Query 2", "Query 3"]
    assert page.inner_text(".cm-content") == "-- a third, not run"
    page.click(".qtab >> nth=0")
    assert page.inner_text(".cm-content") == "SELECT 'first' AS tab"
    page.wait_for_selector(".grid-row")                     # the tab's last result comes back too
    assert grid_rows(page) == [["1", "first"]]
    page.click(".side-tabs [data-panel=history]")
    page.wait_for_selector(".item .sql")
    assert page.eval_on_selector_all(".item .sql", "s => s.map(e => e.textContent)") == ["SELECT 'first' AS tab"]
    page.click('.item [data-act="rerun"]')
    page.wait_for_function("() => document.querySelectorAll('#history-list .item').length === 2")


def test_a_wrong_secret_is_refused(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "/")
    sign_in(page, secret="not-the-secret")
    page.wait_for_selector("#signin-error:has-text('wrong')")
    assert page.inner_text("#signin-error") == "The access key id or the secret access key is wrong."
    assert page.is_hidden("#app") and context.cookies() == []
    assert page.input_value("#signin-secret") == ""
    shoot(page, "signin-refused-light")
    sign_in(page)
    page.wait_for_selector(".cm-content")
    [cookie] = context.cookies()
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
    # nothing secret in the browser's storage
    storage = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage, sessionStorage))")
    assert SECRET not in storage and "csrf" not in storage.lower()
    context.close()


def test_a_large_result_pages_through_a_virtual_grid(page):
    run(page, "SELECT x, x * 2 AS twice, CAST(ROW(x, 'v' || CAST(x AS VARCHAR)) AS ROW(n BIGINT, s VARCHAR)) AS nested "
              "FROM UNNEST(sequence(1, 100000)) AS t(x) ORDER BY x")
    assert "100,000 rows" in page.inner_text("#summary")
    assert page.eval_on_selector_all(".grid-row", "rs => rs.length") < 100      # only what is in view
    assert grid_rows(page)[0] == ["1", "1", "2", "{n=1, s=v1}"]
    page.eval_on_selector(".grid", "g => { g.scrollTop = g.scrollHeight; }")
    page.wait_for_function("() => [...document.querySelectorAll('.grid-row')].some(r => r.dataset.row === '99999'"
                           " && !r.textContent.includes('…'))")
    assert grid_rows(page)[-1] == ["100000", "100000", "200000", "{n=100000, s=v100000}"]
    page.click(".grid-head .cell:has-text('twice')")          # sort loads the rest and sorts
    page.click(".grid-head .cell:has-text('twice')")          # descending
    page.wait_for_function("() => document.querySelector('.grid-head .arrow')?.textContent === '▼'")
    page.eval_on_selector(".grid", "g => { g.scrollTop = 0; }")
    page.wait_for_function("() => document.querySelector('.grid-row .cell:nth-child(2)')?.textContent === '100000'")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click(".grid-row >> nth=0 >> .cell.rownum")
    page.click(".grid-row >> nth=2 >> .cell.rownum", modifiers=["Shift"])
    page.click("#copy")
    assert page.evaluate("() => navigator.clipboard.readText()") == (
        "x\ttwice\tnested\n100000\t200000\t{n=100000, s=v100000}\n"
        "99999\t199998\t{n=99999, s=v99999}\n99998\t199996\t{n=99998, s=v99998}")
    page.click(".grid-row >> nth=0 >> .cell >> nth=3")
    assert page.inner_text(".inspector .muted") == "nested · row"
    assert page.inner_text(".inspector .value") == "{\n  n=100000,\n  s=v100000\n}"
    shoot(page, "large-result-light")


def test_catalog_actions_and_saved_queries(page, trail):
    create_trail_table(page, trail)
    page.click('.node:has-text("cloudtrail_logs")')
    page.click('.node:has-text("useridentity")')
    page.click('.node:has-text("sessioncontext")')
    page.wait_for_selector('.node:has-text("sessionissuer")')
    page.click('.node:has-text("Partitions")')
    assert page.is_visible('.node:has-text("region") .tag')
    shoot(page, "catalog-light")
    page.hover('.node:has-text("cloudtrail_logs")')
    page.click('.node:has-text("cloudtrail_logs") .menu-btn')
    page.click('.menu button:has-text("Preview table")')
    page.wait_for_function("() => document.querySelector('.results').dataset.state === 'SUCCEEDED'")
    assert page.inner_text(".cm-content") == "SELECT * FROM default.cloudtrail_logs LIMIT 10"
    assert len(grid_rows(page)) == 10
    page.click('.node:has-text("cloudtrail_logs") .menu-btn')
    page.click('.menu button:has-text("Generate DDL")')
    page.wait_for_function("() => document.querySelector('.results').dataset.state === 'SUCCEEDED'"
                           " && document.querySelector('.grid-row')")
    assert "CREATE EXTERNAL TABLE" in page.inner_text(".grid")

    # saved queries: save, rename, run, delete
    page.click(".qtab-add")
    type_sql(page, "SELECT 42 AS answer")
    page.click("#save")
    page.fill("#dialog input[name=name]", "the answer")
    page.click("#dialog-ok")
    page.click(".side-tabs [data-panel=saved]")
    page.wait_for_selector('#saved-list .item:has-text("the answer")')
    page.click('#saved-list [data-act="rename"]')
    page.fill("#dialog input[name=name]", "the final answer")
    page.click("#dialog-ok")
    page.wait_for_selector('#saved-list .item .name:text-is("the final answer")')
    page.click('#saved-list [data-act="run"]')
    page.wait_for_function("() => document.querySelector('.results').dataset.state === 'SUCCEEDED'"
                           " && document.querySelector('.grid-row')")
    assert grid_rows(page) == [["1", "42"]]
    shoot(page, "saved-light")
    page.click('#saved-list [data-act="delete"]')
    page.click("#dialog-ok")
    page.wait_for_selector("#saved-list .empty")

    # drop, after a confirmation
    page.click(".side-tabs [data-panel=catalog]")
    page.click('.node:has-text("cloudtrail_logs") .menu-btn')
    page.click('.menu button:has-text("Drop table")')
    assert "data files stay" in page.inner_text("#dialog")
    page.click("#dialog-ok")
    page.wait_for_selector("#catalog-tree .empty")


def test_parameters_format_and_the_workgroup_switcher(page, server):
    # `?` parameters are asked for, then sent as ExecutionParameters
    type_sql(page, "SELECT ? AS word, ? + 1 AS n -- a comment with ? is not a parameter")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#dialog[open]")
    assert page.inner_text("#dialog-title") == "This query has 2 parameters"
    page.fill("#dialog input[name=p0]", "'hello'")
    page.fill("#dialog input[name=p1]", "41")
    page.click("#dialog-ok")
    page.wait_for_function("() => document.querySelector('.results').dataset.state === 'SUCCEEDED'"
                           " && document.querySelector('.grid-row')")
    assert grid_rows(page) == [["1", "hello", "42"]]
    [qid] = server.service.list_query_executions({})["QueryExecutionIds"]
    assert server.service.get_query_execution({"QueryExecutionId": qid})["QueryExecution"][
        "ExecutionParameters"] == ["'hello'", "41"]

    # Format query pretty-prints through SQLGlot on the server
    type_sql(page, "select a, count(*) c from (values 1) as t(a) group by a")
    page.click("#format")
    page.wait_for_function("() => document.querySelector('.cm-content').innerText.startsWith('SELECT\\n')")
    assert page.inner_text(".cm-content") == "SELECT\n  a,\n  COUNT(*) AS c\nFROM (VALUES\n  (1)) AS t(a)\nGROUP BY\n  a"

    # another workgroup: its own history
    server.service.create_work_group({"Name": "analysts"})
    page.reload()
    page.wait_for_selector("#workgroup option[value=analysts]", state="attached")
    page.select_option("#workgroup", "analysts")
    run(page, "SELECT 'in analysts' AS wg")
    page.click(".side-tabs [data-panel=history]")
    page.wait_for_selector("#history-list .item")
    assert page.eval_on_selector_all("#history-list .item .sql", "s => s.map(e => e.textContent)") == ["SELECT 'in analysts' AS wg"]
    ids = server.service.list_query_executions({"WorkGroup": "analysts"})["QueryExecutionIds"]
    assert len(ids) == 1
    page.select_option("#workgroup", "primary")
    page.wait_for_function("() => document.querySelectorAll('#history-list .item').length === 1"
                           " && document.querySelector('#history-list .item .sql').textContent.startsWith('SELECT ?')")


def test_the_database_picker_sets_the_query_context(page, server, trail):
    run(page, "CREATE DATABASE audit")
    page.wait_for_selector("#database option[value=audit]", state="attached")
    page.select_option("#database", "audit")
    run(page, f"CREATE EXTERNAL TABLE findings (id STRING) LOCATION '{trail.root}/no-findings-yet/'")
    page.wait_for_selector('.node:has-text("findings")')
    qid = run(page, "SELECT count(*) AS n FROM findings")
    assert grid_rows(page) == [["1", "0"]]
    q = server.service.get_query_execution({"QueryExecutionId": qid})["QueryExecution"]
    assert q["QueryExecutionContext"]["Database"] == "audit"
    page.reload()
    page.wait_for_selector('.node:has-text("findings")')
    assert page.input_value("#database") == "audit"
