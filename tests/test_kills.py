"""SIGKILL and SIGTERM of the job's main process in every stage, then a
re-run: the end state equals a clean run's, and no process of the killed
job is left behind (extraction workers die with it and never keep the lock)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.demo.server import ServerThread, site_handler
from pipeline.demo.site import DemoSite
from pipeline.job import STAGE_NAMES, JobOptions, run_job

from conftest import ROOT
from test_resilience import check_database, check_exports

KILLED_STAGES = [s for s in STAGE_NAMES if s != "datasette"]
FAST = {("SIGKILL", "extract"), ("SIGTERM", "extract"), ("SIGKILL", "export"), ("SIGTERM", "crawl")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo site, its sources.yaml, and a clean run to compare with."""
    folder = tmp_path_factory.mktemp("kills")
    server = ServerThread(site_handler(DemoSite(150))).start()
    config = folder / "sources.yaml"
    config.write_text("sources:\n  - name: demo\n"
                      f'    start_urls: ["{server.url}/"]\n    sitemaps: ["{server.url}/sitemap.xml"]\n'
                      "    allow_private_addresses: true\n    requests_per_second: 200\n    concurrency: 4\n")
    clean = run_job(str(folder / "clean.db"), str(config), JobOptions(out=str(folder / "clean")))
    assert clean.exit_code == 0, clean.problems
    # A clean run's stage lengths: each kill lands halfway through its stage.
    lengths = {name: report.seconds for name, report in clean.stages.items()}
    yield {"folder": folder, "config": str(config), "reference": check_database(folder / "clean.db"),
           "lengths": lengths}
    server.stop()


def session_processes(sid: int) -> list[int]:
    """Live processes (not zombies) of a session."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(int(entry.name))
    return found


def job_state(db: Path, conn: sqlite3.Connection | None = None) -> dict | None:
    try:
        own = conn is None
        conn = conn or sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'job'").fetchone()
        finally:
            if own:
                conn.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def kill_in_stage(db: Path, out: Path, config: str, stage: str, sig: signal.Signals, delay: float) -> dict:
    """Start `pipeline run`, send ``sig`` to its main process ``delay``
    seconds into ``stage``; return the job's state as the kill left it."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "--db", str(db), "--config", config, "run", "--out",
                             str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    watcher = None
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if watcher is None and job_state(db):  # the job has written its first mark: watch closely now
                watcher = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
            state = job_state(db, watcher) if watcher else None
            if state and state["stage"] == stage:
                time.sleep(delay)
                proc.send_signal(sig)
                break
            time.sleep(0.0005 if watcher else 0.01)
        proc.wait(timeout=60)
        # The session's other processes (extraction workers) must go with it.
        for _ in range(100):
            left = session_processes(proc.pid)
            if not left:
                break
            time.sleep(0.05)
        assert not left, f"processes left behind after {sig.name} in {stage}: {left}"
    finally:
        if watcher is not None:
            watcher.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for pid in session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)
    stderr = proc.stderr.read().decode()
    return {"returncode": proc.returncode, "state": job_state(db), "stderr": stderr}


@pytest.mark.parametrize("sig_name, stage", [
    pytest.param(sig, stage, marks=() if (sig, stage) in FAST else pytest.mark.slow)
    for sig in ("SIGKILL", "SIGTERM") for stage in KILLED_STAGES])
def test_killed_in_a_stage_then_rerun_equals_a_clean_run(world, tmp_path, sig_name, stage):
    sig = getattr(signal, sig_name)
    db, out = tmp_path / "killed.db", tmp_path / "exports"
    delay = min(world["lengths"][stage] / 2, 2.0)
    for attempt in range(5):  # a quick stage can end before the signal lands: then try sooner
        for stale in tmp_path.glob("killed.db*"):
            stale.unlink()
        killed = kill_in_stage(db, out, world["config"], stage, sig, delay / (attempt + 1) if attempt < 4 else 0)
        died_in = killed["state"]["during"] if killed["state"]["stage"] == "stopped" else killed["state"]["stage"]
        if died_in == stage:
            break
    assert died_in == stage, killed
    if sig == signal.SIGTERM:
        assert killed["returncode"] == 143, killed["stderr"][-1000:]
        assert "terminated: the next run resumes" in killed["stderr"]
    else:
        assert killed["returncode"] == -signal.SIGKILL
    state = check_database(db)
    assert state["duplicated"] == 0
    # The lock died with the job: the re-run starts at once and finishes.
    rerun = run_job(str(db), world["config"], JobOptions(out=str(out)))
    assert rerun.exit_code == 0, rerun.problems
    survived, reference = check_database(db), world["reference"]
    assert survived["duplicated"] == 0 and survived["ok"] == reference["ok"]
    for table in ("articles", "treatments", "exercises", "related_links", "duplicate_pairs", "article_clusters",
                  "curation", "recommendations", "entities"):
        assert survived["counts"][table] == reference["counts"][table], table
    clean = world["folder"] / "clean"
    assert check_exports(out) == check_exports(clean)
    for name in ("articles.json", "entities.json", "recommendations.json", "most_read.csv"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
