"""Extraction reads pending pages a bounded window at a time: the parent's
memory does not grow with the amount of HTML waiting (it once held every
pending page at once: 1.25 GB of HTML took 1.47 GB)."""

import re
import subprocess
import sys

from pipeline.db import compress_html, now_iso, open_db

from conftest import ROOT

# About 1 MB each (a big inline script, as many pages carry), compressing to
# a few kilobytes, quick to extract.
PAGE = ("<html><head><title>Big page {n}</title><script>var state = '" + "x" * 1_000_000 + "';</script></head>"
        "<body><article><h1>Big page {n}</h1>"
        + "<p>Stretch the calf against a wall and hold it for thirty seconds, then repeat on the other side.</p>" * 20
        + "</article></body></html>")


def test_extract_memory_does_not_grow_with_pending_html(tmp_path):
    db_path = tmp_path / "big.db"
    database = open_db(db_path)
    now = now_iso()
    with database.conn:
        database.conn.execute("INSERT INTO sources(name) VALUES ('big')")
        for n in range(240):  # 240 MB of HTML waiting
            html = PAGE.format(n=n)
            url = f"https://big.example/{n}"
            database.conn.execute("INSERT INTO pages(url, source, outcome, first_seen_at, fetched_at) "
                                  "VALUES (?, 'big', 'ok', ?, ?)", (url, now, now))
            database.conn.execute("INSERT INTO page_html(url, content_hash, html) VALUES (?, ?, ?)",
                                  (url, str(n), compress_html(html)))
    database.close()
    config = tmp_path / "sources.yaml"
    config.write_text("sources:\n  - name: big\n    start_urls: [https://big.example/]\n")
    # VmHWM: this process's own peak (ru_maxrss would carry pytest's size over the exec).
    code = ("import re, sys; from pipeline.cli import main; import atexit; atexit.register(lambda: print('PEAK', "
            "int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]) // 1024, file=sys.stderr)); "
            "sys.argv = ['pipeline'] + sys.argv[1:]; main()")
    result = subprocess.run([sys.executable, "-c", code, "--db", str(db_path), "--config", str(config), "extract",
                             "--workers", "2"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "extract: 240 pages read" in result.stdout
    peak = int(re.search(r"PEAK (\d+)", result.stderr)[1])
    assert peak < 150, peak  # 240 MB of HTML pending; 6 one-page chunks in flight (unbounded: 232 MB)
