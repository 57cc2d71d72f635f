"""Operating the pipeline from cron and a terminal: status, check, logs with
timestamps and levels, one-line JSON, --version and shell completion,
through the real CLI in subprocesses."""

import json
import re
import sqlite3

import pytest

from conftest import run_cli, source_yaml

TIMESTAMPED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (INFO|WARNING|ERROR|DEBUG)\s+pipeline[.\w]*: ")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo site crawled, extracted and curated through the CLI, once: (db path, config path)."""
    from pipeline.demo.server import ServerThread, site_handler
    from pipeline.demo.site import DemoSite

    folder = tmp_path_factory.mktemp("ops")
    with ServerThread(site_handler(DemoSite(40))) as server:
        config = folder / "sources.yaml"
        config.write_text("sources:\n" + source_yaml("demo", server.url, sitemaps=f'["{server.url}/sitemap.xml"]')
                          + "\n  - name: later\n    enabled: false\n    start_urls: [\"https://example.org/\"]\n")
        db = folder / "ops.db"
        for stage in (["crawl", "--source", "demo"], ["extract"], ["dedupe"], ["recommend"]):
            result = run_cli("--db", db, "--config", config, *stage)
            assert result.returncode == 0, result.stderr
        yield db, config, server


@pytest.fixture
def crawled_db(built, tmp_path):
    """A private copy of the built database: (db path, config path)."""
    db, config, _ = built
    copy = tmp_path / "ops.db"
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy, config


def test_status_per_source(crawled_db, tmp_path):
    db, config = crawled_db
    result = run_cli("--db", db, "--config", config, "status", "--out", tmp_path / "exports", "--json")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    report = json.loads(result.stdout)
    demo = next(s for s in report["sources"] if s["source"] == "demo")
    conn = sqlite3.connect(db)
    outcomes = dict(conn.execute("SELECT outcome, count(*) FROM pages GROUP BY outcome"))
    assert demo["pages_by_outcome"] == outcomes and demo["pages"] == sum(outcomes.values())
    assert demo["curated"] == conn.execute("SELECT count(*) FROM curated_articles").fetchone()[0] == 40
    assert demo["last_run"]["status"] == "completed"
    assert demo["sitemap_listed"] > 0 and demo["sitemap_coverage"] == 1.0
    assert demo["oldest_page"] <= demo["newest_page"]
    assert demo["next_due"] > demo["last_run"]["finished_at"]  # a day after the last run
    later = next(s for s in report["sources"] if s["source"] == "later")
    assert later["next_due"] is None and later["pages"] == 0
    assert report["export"] is None
    # After an export, status tells what is published.
    assert run_cli("--db", db, "export", "--out", tmp_path / "exports").returncode == 0
    text = run_cli("--db", db, "--config", config, "status", "--out", tmp_path / "exports").stdout
    assert "demo (enabled)" in text and "later (disabled): no pages" in text
    assert re.search(r"sitemaps: +\d+ of \d+ listed pages stored \(100%\)", text)
    assert "export: 40 articles" in text


def test_status_reads_only(crawled_db, tmp_path):
    db, config = crawled_db
    before = db.stat().st_mtime_ns
    assert run_cli("--db", db, "--config", config, "status").returncode == 0
    assert db.stat().st_mtime_ns == before
    missing = run_cli("--db", tmp_path / "none.db", "status")
    assert missing.returncode == 1 and "no database" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_check_validates_and_reaches_nothing(tmp_path):
    good = tmp_path / "good.yaml"
    # A host that cannot resolve: check must not try.
    good.write_text("sources:\n  - name: nhs\n    start_urls: [\"https://unreachable.invalid/\"]\n"
                    "    extract: {related: '#textlist_1 a'}\nsettings:\n  curate: {min_words: 50}\n")
    result = run_cli("--config", good, "check")
    assert result.returncode == 0, result.stderr
    assert "ok: 1 sources (1 enabled: nhs); 1 extract rules; curation: min_words 50" in result.stdout
    as_json = run_cli("--config", good, "check", "--json")
    assert json.loads(as_json.stdout)["valid"] is True and len(as_json.stdout.splitlines()) == 1
    cases = {
        "sources:\n  - name: nhs\n    start_urls: [\"https://a.org/\"]\n    concurrency: 0\n":
            "source 'nhs': key 'concurrency'",
        "sources:\n  - name: nhs\n    start_urls: [\"https://a.org/\"]\n    extract: {title: 'h1[' }\n":
            "source 'nhs': key 'extract.title'",
        "sources:\n  - name: nhs\n    start_urls: [\"https://a.org/\"]\nsettings:\n  curate: {min_word: 3}\n":
            "settings.curate: unknown key 'min_word'",
    }
    for text, message in cases.items():
        bad = tmp_path / "bad.yaml"
        bad.write_text(text)
        result = run_cli("--config", bad, "check")
        assert result.returncode == 2 and message in result.stderr and str(bad) in result.stderr, result.stderr
    assert run_cli("--config", tmp_path / "missing.yaml", "check").returncode == 2


def test_log_file_gets_timestamped_levelled_lines(crawled_db, tmp_path):
    db, config = crawled_db
    log = tmp_path / "logs" / "nightly" / "pipeline.log"  # folders that do not exist yet
    quiet = run_cli("--db", db, "--config", config, "--log-file", log, "-q", "dedupe")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    failed = run_cli("--db", db, "--config", tmp_path / "missing.yaml", "--log-file", log, "crawl")
    assert failed.returncode == 2
    lines = log.read_text().splitlines()
    assert len(lines) == 2 and all(TIMESTAMPED.match(line) for line in lines), lines
    assert " INFO " in lines[0] and "dedupe: " in lines[0]
    assert " ERROR " in lines[1] and "missing.yaml: file not found (exit code 2)" in lines[1]
    # -v puts the same lines on stderr, with their time; stdout keeps the result alone.
    verbose = run_cli("--db", db, "--config", config, "-v", "dedupe", "--json")
    assert len(verbose.stdout.splitlines()) == 1 and json.loads(verbose.stdout)["articles"]
    assert any(TIMESTAMPED.match(line) and "dedupe: " in line for line in verbose.stderr.splitlines())
    # the line counts the conditions and their codes, as the conditions table holds them
    conditions = json.loads(verbose.stdout)["conditions"]
    stored = sqlite3.connect(db).execute("SELECT count(*), count(icd10cm_code) FROM conditions").fetchone()
    assert (conditions["conditions"], conditions["with_icd10cm"]) == stored and stored[1] > 0
    assert f"; {stored[0]} conditions, {stored[1]} with an ICD-10-CM code in " in verbose.stderr


def test_every_json_summary_is_one_line(crawled_db, tmp_path):
    db, config = crawled_db
    for args in (["crawl", "--source", "demo", "--json"], ["extract", "--json"], ["dedupe", "--json"],
                 ["recommend", "--json"], ["export", "--out", tmp_path / "e", "--json"], ["status", "--json"],
                 ["check", "--json"]):
        result = run_cli("--db", db, "--config", config, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert len(result.stdout.splitlines()) == 1, args
        json.loads(result.stdout)


def test_version_and_shell_completion():
    from pipeline import __version__

    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"pipeline, version {__version__}"
    completion = run_cli(env={"_PIPELINE_COMPLETE": "bash_source"})
    assert completion.returncode == 0 and "complete " in completion.stdout and "_pipeline_completion" in completion.stdout
    words = run_cli(env={"_PIPELINE_COMPLETE": "bash_complete", "COMP_WORDS": "pipeline sta", "COMP_CWORD": "1"})
    assert "status" in words.stdout


def test_license_matches_pyproject():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    license_text = (root / "LICENSE").read_text()
    assert project["license"]["text"] == "Apache-2.0"
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    changelog = (root / "CHANGELOG.md").read_text()
    assert f"## [{project['version']}]" in changelog


def test_start_up_does_not_import_pandas_or_numpy(tmp_path):
    """sqlite-utils imports pandas and numpy, when installed, only to know
    their value types; those imports were 0.4 s and 0.06 s of every command
    (a sixth and a fortieth of a 2,000-page crawl as cron times it). Starting
    the CLI and the crawl leaves them out; both stay importable afterwards,
    and sqlite-utils still writes."""
    import subprocess
    import sys

    code = ("import importlib.util, sys, pipeline.cli, pipeline.crawl, sqlite_utils\n"
            "print('pandas' in sys.modules, 'numpy' in sys.modules)\n"
            "db = sqlite_utils.Database(sys.argv[1])\n"
            "db['t'].insert({'a': 1, 'b': 'x'})\n"
            "print(db['t'].count)\n"
            "import numpy\n"
            "print(int(numpy.int64(2)))\n"
            "if importlib.util.find_spec('pandas') is not None:\n"
            "    import pandas\n"
            "    print(bool(pandas.__version__))\n"
            "else:\n"
            "    print(True)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "t.db")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "1", "2", "True"]
