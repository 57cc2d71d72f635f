"""The scheduled job: every stage, in order, as one unit.

This is the one place that knows the order of the stages. ``pipeline run``
(cron's ``make crawl``), ``pipeline demo``, the tests and the benchmarks all
call :func:`run_job`:

1. everything the job will need is validated before anything is written:
   sources.yaml with its settings (curation rules included), the named
   sources, the ``--pageviews`` file, the export formats, the ``--db``
   folder;
2. one run lock is taken on the database file for the whole job (a second
   job exits 3 at once; Datasette may read meanwhile);
3. the stages run: crawl, extract, dedupe, curate, recommend, the shrink
   guard, export, Datasette's search indexes. The stage being run is kept
   in the database's ``meta`` table (key ``job``), for ``status`` and for
   anyone watching;
4. one typed :class:`JobSummary` comes back, with a line per stage and per
   source, and the exit code.

A run never publishes a worse dataset than the last good one: a crawl that
fails keeps every page's last good version (see :mod:`pipeline.crawl`), and
an export that would be smaller than the published one by more than
``settings.max_shrink`` (default 20 %) is not written unless
``allow_shrink`` is set; the job then ends with exit code 4.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlite_utils

from pipeline import db as dbmod
from pipeline.errors import EXIT_OK, EXIT_RUN_FAILED, EXIT_SHRINK, ConfigError
from pipeline.sources import Config, load_config

DEFAULT_FORMATS = ("json", "jsonl", "csv", "parquet", "jsonld")  # every format pipeline.export writes


@dataclass(frozen=True)
class JobOptions:
    """What a caller may choose about a job (the rest is in sources.yaml)."""

    out: str = "exports"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    pageviews: str | None = None
    sources: tuple[str, ...] = ()  # crawl only these (a disabled source is crawled when named)
    allow_shrink: bool = False
    k: int = 5  # recommendations per article
    extract_workers: int = os.cpu_count() or 1
    concurrency: int = 32
    processes: int = 1
    fresh: bool = False
    max_pages: int | None = None
    max_seconds: float | None = None  # the crawl's time budget; default: settings.max_run_seconds
    polite: bool = True
    prepare_datasette: bool = True
    on_progress: Callable[[str, dict], None] | None = None  # (stage, its progress) for a progress bar


@dataclass(frozen=True)
class Job:
    """A job whose configuration has been checked: what run_job executes."""

    db_path: str
    config: Config
    options: JobOptions
    curation: object  # pipeline.curate.CurationRules
    max_shrink: float


@dataclass
class StageReport:
    name: str
    summary: dict = field(default_factory=dict)
    seconds: float = 0.0
    status: str = "ok"  # ok, failed, skipped
    note: str | None = None


@dataclass
class JobSummary:
    """What a job did: a report per stage, counts per source, the exit code
    and the problems that set it."""

    db_path: str
    stages: dict[str, StageReport] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    exit_code: int = EXIT_OK
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def fail(self, code: int, message: str) -> None:
        self.problems.append(message)
        # A refused export (nothing published) outranks a failed crawl.
        if code == EXIT_SHRINK or self.exit_code == EXIT_OK:
            self.exit_code = code

    def as_dict(self) -> dict:
        return {
            "exit_code": self.exit_code,
            "problems": self.problems,
            "seconds": round(self.seconds, 2),
            "db": self.db_path,
            "stages": {name: {"status": r.status, "seconds": round(r.seconds, 2), **({"note": r.note} if r.note else {}),
                              **r.summary} for name, r in self.stages.items()},
            "sources": self.sources,
        }

    def lines(self) -> list[str]:
        """The summary for people and cron logs: a line per stage, then per source."""
        out = []
        for name, report in self.stages.items():
            line = STAGE_LINES[name](report.summary) if report.status == "ok" and name in STAGE_LINES else f"{name}: {report.status}"
            out.append(line + (f" ({report.note})" if report.note else ""))
        for name, counts in self.sources.items():
            out.append(source_line(name, counts))
        for problem in self.problems:
            out.append(f"problem: {problem}")
        return out


# ---------------------------------------------------------------------------
# Validation, before anything is written


def prepare_job(db_path: str, config_path: str, options: JobOptions | None = None) -> Job:
    """Load and check everything the job will use; raise ConfigError (exit 2)
    naming the file and the key, before the lock is taken or a byte written."""
    from pipeline.curate import CurationRules
    from pipeline.export import FORMATS
    from pipeline.recommend import load_pageviews

    options = options or JobOptions()
    dbmod.check_db_path(db_path)
    config = load_config(config_path)
    for name in options.sources:
        config.source(name)  # unknown names are a config error
    if not options.sources and not config.enabled_sources:
        raise ConfigError(f"{config.path}: no source is enabled; set enabled: true on one, or name one with --source "
                          f"(sources: {', '.join(s.name for s in config.sources)})")
    curation = CurationRules.from_settings(config.settings, config.path)
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise ConfigError(f"--format: unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    if options.pageviews:
        if not Path(options.pageviews).is_file():
            raise ConfigError(f"--pageviews {options.pageviews}: file not found")
        load_pageviews(options.pageviews)  # a malformed line is reported now, not after the crawl
    if Path(options.out).exists() and not Path(options.out).is_dir():
        raise ConfigError(f"--out {options.out}: not a folder")
    return Job(str(db_path), config, options, curation, float(config.settings.get("max_shrink", 0.2)))


# ---------------------------------------------------------------------------
# The stages


def stage_crawl(job: Job, database: sqlite_utils.Database, summary: JobSummary) -> StageReport:
    from pipeline.crawl import CrawlOptions, crawl

    options = job.options
    progress = (lambda s: options.on_progress("crawl", s)) if options.on_progress else None
    result = crawl(database, job.config, list(options.sources) or None, CrawlOptions(
        polite=options.polite, global_concurrency=options.concurrency, fetch_processes=options.processes,
        fresh=options.fresh, max_pages=options.max_pages, keep_versions=job.config.settings.get("keep_versions", 3),
        max_seconds=options.max_seconds or job.config.settings.get("max_run_seconds"), on_progress=progress))
    report = StageReport("crawl", result)
    problem = crawl_problem(result)
    if problem:
        report.status, report.note = "failed", problem
        summary.fail(EXIT_RUN_FAILED, f"crawl: {problem}; the stored pages keep their last good versions")
    for name, counts in result["by_source"].items():
        summary.sources.setdefault(name, {}).update(counts)
    return report


def crawl_problem(summary: dict) -> str | None:
    """Why a crawl counts as failed: every page it tried failed or was refused."""
    usable = summary["new"] + summary["changed"] + summary["unchanged"] + summary["redirected"]
    attempted = summary["fetched"] + summary["blocked_by_robots"]
    if attempted and not usable:
        return (f"every one of the {attempted} pages this run tried failed or was refused "
                f"(failed: {summary['failed']}, blocked: {summary['blocked_by_robots']}, "
                f"skipped: {summary['skipped']})")
    return None


def stage_extract(job: Job, database: sqlite_utils.Database, summary: JobSummary) -> StageReport:
    from pipeline.extract.stage import run_extract

    progress = (lambda s: job.options.on_progress("extract", s)) if job.options.on_progress else None
    return StageReport("extract", run_extract(database, job.config, workers=job.options.extract_workers,
                                              on_progress=progress))


def stage_dedupe(job: Job, database: sqlite_utils.Database, summary: JobSummary) -> StageReport:
    from pipeline.dedupe import run_dedupe

    return StageReport("dedupe", run_dedupe(database, {s.name: s.priority for s in job.config.sources}))


def stage_curate(job: Job, database: sqlite_utils.Database, summary: JobSummary) -> StageReport:
    from pipeline.curate import run_curate

    result = run_curate(database, job.curation)
    for name, counts in result["by_source"].items():
        summary.sources.setdefault(name, {}).update(articles=counts.get("articles", 0), curated=counts.get("curated", 0))
    return StageReport("curate", result)


def stage_recommend(job: Job, database: sqlite_utils.Database, summary: JobSummary) -> StageReport:
    from pipeline.recommend import run_recommend

    return StageReport("recommend", run_recommend(database, k=job.options.k, pageviews_path=job.options.pageviews))


def stage_export(job: Job, database: sqlite_utils.Database, summary: JobSummary) -> StageReport:
    from pipeline.export import export

    curated = database.conn.execute("SELECT count(*) FROM curation WHERE included = 1").fetchone()[0]
    published = published_article_count(job.options.out)
    problem = shrink_problem(published, curated, job.max_shrink)
    if problem and not job.options.allow_shrink:
        summary.fail(EXIT_SHRINK, f"export: {problem}; the last export in {job.options.out}/ is kept "
                                  f"(re-run with --allow-shrink to publish it anyway)")
        return StageReport("export", {"articles": curated, "published": published}, status="skipped",
                           note=f"would shrink from {published} to {curated} articles")
    result = export(database, job.options.out, tuple(job.options.formats))
    database.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_export', ?)",
                          (json.dumps({"out": os.path.abspath(job.options.out), "articles": result["articles"],
                                       "at": dbmod.now_iso()}),))
    return StageReport("export", result, note=f"shrink allowed: {problem}" if problem else None)


def stage_datasette(job: Job, database: sqlite_utils.Database, summary: JobSummary) -> StageReport:
    from pipeline.datasette import prepare

    return StageReport("datasette", {"indexed": prepare(database)})


# The job, in order. Each stage is a plain function over the checked job and
# the open database, so tests and benchmarks can run any prefix of it.
STAGES: tuple[tuple[str, Callable[[Job, sqlite_utils.Database, JobSummary], StageReport]], ...] = (
    ("crawl", stage_crawl),
    ("extract", stage_extract),
    ("dedupe", stage_dedupe),
    ("curate", stage_curate),
    ("recommend", stage_recommend),
    ("export", stage_export),
    ("datasette", stage_datasette),
)
STAGE_NAMES = tuple(name for name, _ in STAGES)


def run_job(db_path: str, config_path: str, options: JobOptions | None = None, *,
            until: str | None = None, job: Job | None = None) -> JobSummary:
    """Run the whole job (or its stages up to ``until``) under one lock and
    return its summary. Raises ConfigError before anything is written when
    the configuration is bad, LockHeldError when another run holds the
    database."""
    job = job or prepare_job(db_path, config_path, options)
    stages = STAGES if until is None else STAGES[:STAGE_NAMES.index(until) + 1]
    started = time.monotonic()
    summary = JobSummary(db_path=os.path.abspath(db_path))
    with dbmod.run_lock(db_path, "pipeline run"):
        database = dbmod.open_db(db_path)
        name = "start"
        try:
            for name, stage in stages:
                if name == "datasette" and not job.options.prepare_datasette:
                    continue
                mark_stage(database, name, summary)
                began = time.monotonic()
                report = stage(job, database, summary)
                report.seconds = time.monotonic() - began
                report.summary.setdefault("seconds", round(report.seconds, 2))
                summary.stages[name] = report
            summary.seconds = time.monotonic() - started
            mark_stage(database, "done", summary)
        except BaseException as exc:
            try:
                mark_stage(database, "stopped", summary, during=name, error=f"{type(exc).__name__}: {exc}"[:300])
            except Exception:
                pass  # the database itself may be what failed
            raise
        finally:
            database.close()  # before the lock goes: see run_lock
    return summary


def mark_stage(database: sqlite_utils.Database, stage: str, summary: JobSummary, during: str | None = None,
               error: str | None = None) -> None:
    """Say in the database which stage the job is in (``meta.job``): a stage
    name, "done", or "stopped" (with the stage it stopped ``during``)."""
    state = {"stage": stage, "pid": os.getpid(), "at": dbmod.now_iso()}
    if stage == "done":
        state.update(exit_code=summary.exit_code, problems=summary.problems)
    if during:
        state["during"] = during
    if error:
        state["error"] = error
    database.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('job', ?)", (json.dumps(state),))


# ---------------------------------------------------------------------------
# The shrink guard


def published_article_count(out: str | os.PathLike) -> int | None:
    """How many articles the export published at ``out`` holds now (None: no export)."""
    from pipeline.export import published_export

    published = published_export(out)
    return published["articles"] if published else None


def shrink_problem(published: int | None, curated: int, max_shrink: float) -> str | None:
    """Why publishing ``curated`` articles in place of ``published`` would
    make the dataset worse; None when it would not."""
    if not published or curated >= published:
        return None
    share = 1 - curated / published
    if share <= max_shrink:
        return None
    return (f"it would shrink from {published} to {curated} articles ({share:.0%} fewer; "
            f"settings.max_shrink allows {max_shrink:.0%})")


# ---------------------------------------------------------------------------
# Lines for people


def crawl_line(summary: dict) -> str:
    failed = ", ".join(f"{k}: {v}" for k, v in summary["failed_by_reason"].items())
    skipped = ", ".join(f"{k}: {v}" for k, v in summary["skipped_by_reason"].items())
    deferred = ", ".join(f"{k}: {v}" for k, v in summary["deferred_by_reason"].items())
    return (
        f"crawl run {summary['run_id']}{' (resumed)' if summary['resumed'] else ''}: "
        f"{summary['fetched']} fetched ({summary['new']} new, {summary['changed']} changed, "
        f"{summary['unchanged']} unchanged), {summary['redirected']} redirected, "
        f"{summary['removed']} removed, "
        f"{summary['failed']} failed{f' ({failed})' if failed else ''}, "
        f"{summary['blocked_by_robots']} blocked by robots, "
        f"{summary['skipped']} skipped{f' ({skipped})' if skipped else ''}, "
        + (f"{summary['deferred']} deferred to the next run ({deferred}), " if summary["deferred"] else "")
        + f"{summary['duplicates_skipped']} duplicates skipped, {summary['requests']} requests"
        + (f" in {summary['seconds']:.1f}s" if "seconds" in summary else "")
    )


def extract_line(summary: dict) -> str:
    failed = ", ".join(f"{k}: {v}" for k, v in summary["failed_by_reason"].items())
    return (f"extract: {summary['extracted']} pages read: {summary['articles']} articles, "
            f"{summary['not_articles']} not articles, {summary['failed']} failed{f' ({failed})' if failed else ''}; "
            f"{summary['treatments']} treatments, {summary['exercises']} exercises, "
            f"{summary['related_links']} related links in {summary['seconds']:.1f}s")


def dedupe_line(summary: dict) -> str:
    a, e, c = summary["articles"], summary["entities"], summary["conditions"]
    return (f"dedupe: {a['signed']} of {a['articles']} articles signed, {a['candidates']} candidate pairs, "
            f"{a['duplicate_pairs']} duplicate pairs in {a['clusters']} clusters ({a['duplicates']} duplicates); "
            f"{e['records_assigned']} records matched to {e['entities']} entities "
            f"({e['entities_created']} new); {c['conditions']} conditions, {c['with_icd10cm']} with an ICD-10-CM code "
            f"in {a['seconds'] + e['seconds'] + c['seconds']:.1f}s")


def curate_line(summary: dict) -> str:
    out = ", ".join(f"{k}: {v}" for k, v in summary["kept_out"].items())
    return f"curate: {summary['curated']} of {summary['articles']} articles curated{f' (kept out: {out})' if out else ''}"


def recommend_line(summary: dict) -> str:
    views = f", {summary['pageviews']} pages with views" if summary["pageviews"] else ""
    return (f"recommend: {summary['recommendations']} recommendations for {summary['articles']} articles "
            f"from {summary['editor_links']} editor links{views}; most read: {summary['most_read']} "
            f"in {summary['seconds']:.1f}s")


def export_line(summary: dict) -> str:
    return (f"export: {summary['articles']} articles, {summary['entities']} entities, "
            f"{summary['recommendation_lists']} recommendation lists -> {summary['out']}/ ({summary['files']} files) "
            f"in {summary['seconds']:.1f}s")


def datasette_line(summary: dict) -> str:
    indexed = summary["indexed"]
    return f"datasette: full-text search {'created for ' + ', '.join(indexed) if indexed else 'up to date'}"


def source_line(name: str, counts: dict) -> str:
    parts = [f"{counts.get('fetched', 0)} fetched ({counts.get('new', 0)} new, {counts.get('changed', 0)} changed, "
             f"{counts.get('unchanged', 0)} unchanged)"]
    for key, label in (("failed", "failed"), ("removed", "removed"), ("blocked_by_robots", "blocked by robots"),
                       ("skipped", "skipped"), ("deferred", "deferred")):
        if counts.get(key):
            parts.append(f"{counts[key]} {label}")
    curated = f"; {counts['curated']} of {counts['articles']} articles curated" if "articles" in counts else ""
    return f"source {name}: " + ", ".join(parts) + curated


STAGE_LINES = {"crawl": crawl_line, "extract": extract_line, "dedupe": dedupe_line, "curate": curate_line,
               "recommend": recommend_line, "export": export_line, "datasette": datasette_line}


def print_summary(summary: JobSummary, as_json: bool, file=None) -> None:
    """The job's summary on stdout: lines, or one JSON object on one line."""
    file = file or sys.stdout
    if as_json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, default=str), file=file)
    else:
        for line in summary.lines():
            print(line, file=file)
