"""A hostile web, served on 127.0.0.1: every fault at once, one real crawl
(the CLI, as cron runs it), then what became of each page."""

import json
import subprocess
import sys

import pytest
from pipeline.db import open_db
from pipeline.demo.faults import FAULTS, GOOD, add_million_sitemap, fault_state, make_handler, sources_yaml

from conftest import ROOT, RecordingServer


# Runs the command from a small Python process and reports the command's own
# peak memory: a child forked straight from the test session would count the
# session's own size (a forked child's peak includes its parent's pages until
# exec), and RUSAGE_CHILDREN of the session counts every earlier child too.
MEASURE = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
           "sys.stderr.write('\\npeak_kb %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
           "sys.exit(code)")


def run_measured(args: list[str], timeout: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    """Run a command; return its result and its own peak memory in MB."""
    result = subprocess.run([sys.executable, "-c", MEASURE, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    stderr, _, peak = result.stderr.rpartition("\npeak_kb ")
    return subprocess.CompletedProcess(args, result.returncode, result.stdout, stderr), int(peak) / 1024


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    state = fault_state()
    server = RecordingServer(make_handler(state)).start()
    base = server.url
    add_million_sitemap(state, base)
    folder = tmp_path_factory.mktemp("hostile")
    config = folder / "sources.yaml"
    config.write_text(sources_yaml(base))
    db = folder / "hostile.db"
    result, crawl_mb = run_measured([sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), "crawl", "--json"])
    extract, extract_mb = run_measured([sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), "extract", "--json"])
    peak_mb = max(crawl_mb, extract_mb)
    server.stop()
    database = open_db(db)
    yield {"crawl": result, "extract": extract, "db": database, "server": server, "peak_mb": peak_mb, "base": base}
    database.close()


def test_run_finishes_with_exit_0_and_a_summary(hostile_run):
    result = hostile_run["crawl"]
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["failed"] >= 6 and summary["skipped"] >= 6 and summary["redirected"] >= 2
    assert sum(summary["failed_by_reason"].values()) == summary["failed"]
    assert hostile_run["extract"].returncode == 0, hostile_run["extract"].stderr


@pytest.mark.parametrize("path", sorted(FAULTS))
def test_each_fault_is_recorded_with_its_reason(hostile_run, path):
    outcome, reason = FAULTS[path]
    row = hostile_run["db"]["pages"].get(hostile_run["base"] + path)
    assert row["outcome"] == outcome, (path, row["outcome"], row["reason"])
    if reason:
        assert row["reason"] == reason, (path, row["reason"], row["detail"])
    if outcome in ("failed", "skipped"):
        assert row["reason"]


def test_every_good_page_is_stored_and_extracted(hostile_run):
    db = hostile_run["db"]
    for n in range(GOOD):
        url = f"{hostile_run['base']}/good/{n}"
        assert db["pages"].get(url)["outcome"] == "ok"
        assert db["extractions"].get(url)["status"] == "article"
        names = [r[0] for r in db.conn.execute("SELECT name FROM treatments WHERE article_url = ?", (url,))]
        assert names == ["Rest your legs", "Ice the shins"]


def test_bad_bodies_are_recorded_by_extraction(hostile_run):
    db = hostile_run["db"]
    base = hostile_run["base"]
    assert db["extractions"].get(base + "/binary-as-html")["reason"] == "binary content, not HTML"
    assert db["extractions"].get(base + "/deeply-nested")["status"] in ("not_article", "failed")
    assert db["extractions"].get(base + "/invalid-utf8")["status"] == "article"


def test_redirect_targets_elsewhere_are_never_contacted(hostile_run):
    server = hostile_run["server"]
    paths = [r["path"] for r in server.log]
    assert "/secret" not in paths  # the XML external entity was not resolved
    assert server.hits("/loop-a") == 1 and server.hits("/loop-b") == 1
    assert server.hits("/chain/3") == 1 and server.hits("/chain/4") == 0
    hosts = {r["headers"].get("Host", "").split(":")[0] for r in server.log}
    assert hosts == {"127.0.0.1"}


def test_sitemaps_cannot_bring_in_foreign_hosts_or_blow_up(hostile_run):
    db = hostile_run["db"]
    foreign = db.conn.execute("SELECT count(*) FROM frontier WHERE url LIKE '%.example/%'").fetchone()[0]
    assert foreign == 0
    assert db.conn.execute("SELECT count(*) FROM frontier").fetchone()[0] < 300
    assert db.conn.execute("SELECT count(*) FROM frontier WHERE url LIKE '%lol%'").fetchone()[0] == 0


def test_memory_stays_bounded(hostile_run):
    # A 20 MB stream, a 30 MB gzip bomb and a 70 MB million-URL sitemap were
    # all served; the crawl process stays far below their sum.
    assert hostile_run["peak_mb"] < 400, hostile_run["peak_mb"]
