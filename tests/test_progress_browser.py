"""The console's live line in a real browser: bytes scanned of the planned total while a
query runs (the numbers of the CLI's progress bar)."""
from __future__ import annotations

import json
import os

from test_console_browser import (browser, page, pytestmark, run, server, trail,  # noqa: F401
                                  type_sql)


def test_the_live_line_shows_bytes_scanned_of_the_planned_total(page, trail):
    folder = os.path.join(trail.root, "progress-slow")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "part-0.json"), "w") as f:
        f.write("".join(json.dumps({"k": i % 300}) + "\n" for i in range(30_000)))
    run(page, f"CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
              f"LOCATION '{folder}/'")
    type_sql(page, "SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
                   "JOIN slow d ON c.k = d.k")  # minutes: it runs until cancelled
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => /^Running · \\d+\\.\\d s · [\\d.]+ [KM]?B of [\\d.]+ [KM]?B "
                           "\\(\\d{1,3}%\\) scanned$/.test(document.querySelector('#live').textContent)",
                           timeout=60_000)
    page.click("#cancel")
    page.wait_for_function("() => document.querySelector('.results').dataset.state === 'CANCELLED'",
                           timeout=20_000)
