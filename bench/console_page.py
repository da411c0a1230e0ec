"""The console in Chromium: time to a usable first page, and the 100k-row grid's scrolling.

    .venv/bin/python bench/console_page.py [--loads 7]

Prints medians: from navigation to the editor ready with the catalog and workgroups
loaded (a signed-in reload, as a user opening the console), and per scroll step of
the result grid over a 100,000-row result (each step jumps far enough to need a new
page of rows from the server), against the same step on a 100-row result as baseline.
Needs Debian's chromium (/usr/bin/chromium) and the `playwright` package.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path


KEY, SECRET = "AKBENCH", "bench-secret"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

READY = """() => document.querySelector('.cm-content') && document.querySelector('#database option')
           && document.querySelector('#workgroup option')"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp()) / "home"
    os.environ["PARTHENON_HOME"] = str(home)
    os.environ["PARTHENON_ACCESS_KEYS"] = f"{KEY}:{SECRET}"
    from parthenon.server.serve import make_server
    from playwright.sync_api import sync_playwright
    server = make_server("127.0.0.1", 0, home=home)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(server.url + "/")
            page.fill("#signin-key", KEY)
            page.fill("#signin-secret", SECRET)
            page.click("#signin button[type=submit]")
            page.wait_for_function(READY)
            loads = []
            for _ in range(args.loads):
                page.reload()
                page.wait_for_function(READY)
                loads.append(page.evaluate("() => performance.now()"))   # ms since this navigation began
            print(f"first page usable: median {statistics.median(loads):.0f} ms over {len(loads)} loads "
                  f"(min {min(loads):.0f}, max {max(loads):.0f})")
            big = scroll_steps(page, 100_000)
            small = scroll_steps(page, 100)
            print(f"grid scroll step, 100,000 rows: median {statistics.median(big):.1f} ms; "
                  f"100 rows: {statistics.median(small):.1f} ms; ratio {statistics.median(big) / statistics.median(small):.2f}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        server.service.close()
    return 0


def scroll_steps(page, n: int) -> list[float]:
    """Milliseconds from a scroll jump until the rows in view are rendered with values."""
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(f"SELECT x, x * 2 AS twice, 'row ' || CAST(x AS VARCHAR) AS label "
                              f"FROM UNNEST(sequence(1, {n})) AS t(x) ORDER BY x")
    before = page.get_attribute(".results", "data-query-id")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("b => { const r = document.querySelector('.results'); return r.dataset.queryId !== b"
                           " && r.dataset.state === 'SUCCEEDED' && document.querySelector('.grid-row'); }", arg=before)
    return page.evaluate("""async () => {
        const g = document.querySelector('.grid'), times = [];
        const frame = () => new Promise(r => requestAnimationFrame(() => r()));
        for (let i = 1; i <= 20; i++) {
            const t0 = performance.now();
            g.scrollTop = (g.scrollHeight - g.clientHeight) * ((i * 7) % 20) / 20;
            await frame();
            while ([...document.querySelectorAll('.grid-row')].some(r => r.textContent.includes('…'))) await frame();
            times.push(performance.now() - t0);
        }
        return times;
    }""")


if __name__ == "__main__":
    sys.exit(main())
