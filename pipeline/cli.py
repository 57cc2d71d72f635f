"""The command line: a thin click layer over the stage modules and the job
(:mod:`pipeline.job`, which alone knows the order of the stages).

Exit codes: 0 the run completed (failed pages are recorded and counted);
1 the run failed (a fatal error, or every page it tried failed); 2 bad usage
or a bad sources.yaml; 3 another run holds the database lock; 4 the export
would have shrunk too much and was not published; 130 interrupted (Ctrl-C);
143 terminated (SIGTERM). After 1, 130 or 143 the next run resumes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sys
import time

from contextlib import contextmanager

import click

from pipeline import db as dbmod
from pipeline import job as jobmod
from pipeline.errors import (EXIT_INTERRUPTED, EXIT_RUN_FAILED, EXIT_TERMINATED, PipelineError, RunFailedError,
                             Terminated)
from pipeline.logs import get_logger, setup_logging
from pipeline.sources import load_config

log = get_logger("cli")
ALL_FORMATS = ",".join(jobmod.DEFAULT_FORMATS)  # what export, run and demo write

EPILOG = """\b
Exit codes:
  0    the run completed (pages that failed are recorded and counted)
  1    the run failed: a fatal error, or every page it tried failed
       (stored pages keep their last good versions)
  2    bad usage or a bad sources.yaml (the message names file, source and key)
  3    another run holds the database lock
  4    the export would shrink by more than settings.max_shrink: the last
       export was kept (pipeline run --allow-shrink publishes it anyway)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM): the next run resumes
"""


@click.group(epilog=EPILOG)
@click.option("--db", "db_path", default=dbmod.default_db_path, show_default="db/health.db",
              help="SQLite database to write (env PIPELINE_DB).")
@click.option("--config", "config_path", default="sources.yaml", show_default=True,
              help="The sources file: which sites to crawl and how.")
@click.option("-v", "--verbose", count=True, help="Log more on stderr: -v every stage's summary, -vv debug.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (results still go to --log-file).")
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Append timestamped log lines here (its folder is created).")
@click.version_option(package_name="health-pipeline")
@click.pass_context
def cli(ctx: click.Context, db_path: str, config_path: str, verbose: int, quiet: bool, log_file: str | None) -> None:
    """Crawl health sites, extract their treatments and exercises, and curate
    them into SQLite for Datasette.

    \b
    Examples:
      pipeline run                        # the scheduled job: every stage
      pipeline crawl                      # one stage at a time
      pipeline extract
      pipeline --db /tmp/x.db crawl --source demo --json
      pipeline demo                       # everything, on the bundled demo site
      pipeline check                      # is sources.yaml valid? (reaches nothing)
      pipeline status                     # per source: last run, pages, coverage, next due
      pipeline import saved/ crawl.warc.gz
      pipeline --log-file logs/pipeline.log -q run   # for cron

    \b
    Shell completion (bash; zsh and fish alike):
      eval "$(_PIPELINE_COMPLETE=bash_source pipeline)"
    """
    setup_logging(-1 if quiet else verbose, log_file)
    ctx.obj = {"db_path": db_path, "config_path": config_path, "quiet": quiet}


@contextmanager
def locked_db(db_path: str):
    """Take the run lock (or fail at once with exit code 3) and open the database."""
    with dbmod.run_lock(db_path):
        database = dbmod.open_db(db_path)
        try:
            yield database
        finally:
            database.close()


def echo_json(value) -> None:
    """JSON on stdout as one line: one result per line, for scripts and `jq`."""
    click.echo(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))


def globally_quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet"))


def report(summary: dict, as_json: bool, quiet: bool, line) -> None:
    """Print a stage's summary: one line for people and cron, one line of
    JSON with --json, nothing when the caller prints one summary for a whole
    job. The line is also logged, so --log-file keeps every stage's result."""
    text = line(summary)
    log.info(text)  # on stderr too with -v: with its time, beside stdout's result
    if quiet or globally_quiet():
        return
    if as_json:
        echo_json(summary)
    else:
        click.echo(text)


class Progress:
    """A tqdm bar on a terminal; nothing at all under cron."""

    def __init__(self, enabled: bool, desc: str):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(desc=desc, unit="page", file=sys.stderr, dynamic_ncols=True)

    def update(self, summary: dict) -> None:
        if self.bar is not None:
            self.bar.n = summary["fetched"] + summary["blocked_by_robots"]
            self.bar.set_postfix(new=summary["new"], failed=summary["failed"], refresh=False)
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_crawl(db_path: str, config_path: str, sources: tuple[str, ...], as_json: bool, progress: bool,
              quiet: bool = False, **options) -> dict:
    """Load the config, take the lock and crawl; shared by ``crawl`` and ``demo``."""
    from pipeline.crawl import CrawlOptions, crawl

    config = load_config(config_path)
    for name in sources:
        config.source(name)  # unknown names are a config error before anything is written
    show = progress and sys.stderr.isatty() and not as_json
    bar = Progress(show, "crawl")
    started = time.monotonic()
    with locked_db(db_path) as database:
        try:
            summary = crawl(database, config, list(sources) or None,
                            CrawlOptions(on_progress=bar.update, keep_versions=config.settings.get("keep_versions", 3),
                                         max_seconds=config.settings.get("max_run_seconds"), **options))
        finally:
            bar.close()
    summary["seconds"] = round(time.monotonic() - started, 2)
    report(summary, as_json, quiet, jobmod.crawl_line)
    problem = jobmod.crawl_problem(summary)
    if problem:
        raise RunFailedError(problem)
    return summary


@cli.command()
@click.option("--source", "sources", multiple=True, help="Crawl only this source (repeatable).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Override every source's max_pages.")
@click.option("--concurrency", type=click.IntRange(min=1), default=32, show_default=True,
              help="Requests in flight at once over all hosts.")
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Fetch and parse in this many worker processes (the database is written by this one). "
                   "Worth it only when the crawl is CPU-bound: a fast site you own, politeness relaxed.")
@click.option("--fresh", is_flag=True, help="Start a new run even if the last one was interrupted.")
@click.option("--warc", "warc_dir", type=click.Path(file_okay=False),
              help="Also keep every response, with its request, in rotating gzip WARC files in this folder "
                   "(readable by `pipeline import` and web-archive tools).")
@click.option("--warc-max-mb", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Start a new WARC file after this many megabytes.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="No progress bar even on a terminal.")
@click.pass_obj
def crawl(obj: dict, sources, max_pages, concurrency, processes, fresh, warc_dir, warc_max_mb, as_json,
          no_progress) -> None:
    """Fetch what changed on the sites in sources.yaml into the pages table.

    Polite by default: robots.txt, per-host pacing and concurrency, retries
    with backoff. A re-run sends conditional requests, so unchanged pages
    cost a 304. A run that was killed resumes where it stopped.

    \b
    Examples:
      pipeline crawl
      pipeline crawl --source demo --max-pages 50 --json
      pipeline crawl --processes 2        # spread fetching and parsing over 2 cores
      pipeline crawl --warc warcs/        # keep every response in WARC files too
    """
    writer = None
    if warc_dir:
        from pipeline.warc import WarcWriter

        writer = WarcWriter(warc_dir, max_bytes=warc_max_mb * 1_000_000)
        for name in writer.recovered:
            log.warning("finished %s, left open by a crawl that was killed", name)
    try:
        run_crawl(obj["db_path"], obj["config_path"], sources, as_json, not no_progress,
                  max_pages=max_pages, global_concurrency=concurrency, fetch_processes=processes, fresh=fresh,
                  warc=writer)
    finally:
        if writer is not None:
            writer.close()
            log.info("WARC: %d responses in %s", writer.records, ", ".join(writer.files) or "no file",
                     extra={"console": False})


def run_extract_stage(db_path: str, config_path: str, everything: bool, workers: int, as_json: bool,
                      progress: bool, quiet: bool = False) -> dict:
    from pipeline.extract.stage import run_extract

    config = load_config(config_path)
    bar = None
    if progress and sys.stderr.isatty() and not as_json:
        from tqdm import tqdm

        bar = tqdm(desc="extract", unit="page", file=sys.stderr, dynamic_ncols=True)

    def update(state: dict) -> None:
        if bar is not None:
            bar.total = state["total"]
            bar.n = state["done"]
            bar.refresh()

    with locked_db(db_path) as database:
        try:
            summary = run_extract(database, config, everything=everything, workers=workers, on_progress=update)
        finally:
            if bar is not None:
                bar.close()
    report(summary, as_json, quiet, jobmod.extract_line)
    return summary


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Re-extract every page, changed or not.")
@click.option("--workers", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="all cores",
              help="Processes extracting in parallel.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="No progress bar even on a terminal.")
@click.pass_obj
def extract(obj: dict, everything: bool, workers: int, as_json: bool, no_progress: bool) -> None:
    """Extract articles, treatments, exercises and related links from the pages.

    Reads only pages fetched or changed since their last extraction, or every
    page when the extractor's version changed (or with --all).

    \b
    Examples:
      pipeline extract
      pipeline extract --all --json
    """
    run_extract_stage(obj["db_path"], obj["config_path"], everything, workers, as_json, not no_progress)


@cli.command("extract-file")
@click.argument("page", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="The page's URL (resolves its links; picks the source's rules).")
@click.option("--source", "source_name", help="Apply this source's extract rules from sources.yaml.")
@click.option("--no-body", is_flag=True, help="Leave the body text out of the output.")
@click.pass_obj
def extract_file(obj: dict, page: str, url: str | None, source_name: str | None, no_body: bool) -> None:
    """Print the record extracted from a saved PAGE.html as JSON.

    For writing per-site rules and checking a page by hand.

    \b
    Examples:
      pipeline extract-file saved.html --url https://www.example.org/back-pain
      pipeline extract-file saved.html --source livestrong --no-body
    """
    from pipeline.extract import extract_page

    url = url or f"file://{os.path.abspath(page)}"
    rules: dict = {}
    if source_name or url.startswith("http"):
        config = load_config(obj["config_path"])
        source = config.source(source_name) if source_name else config.source_for_url(url)
        rules = source.extract if source else {}
    with open(page, "rb") as handle:
        record = extract_page(handle.read(), url if url.startswith("http") else "https://localhost/", rules)
    if no_body:
        record.pop("body", None)
    click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    if record["status"] == "failed":
        sys.exit(EXIT_RUN_FAILED)


def run_dedupe_stage(db_path: str, config_path: str, rebuild: bool, as_json: bool, quiet: bool = False) -> dict:
    from pipeline.dedupe import run_dedupe

    config = load_config(config_path)
    priorities = {s.name: s.priority for s in config.sources}
    with locked_db(db_path) as database:
        summary = run_dedupe(database, priorities, rebuild=rebuild)
    report(summary, as_json, quiet, jobmod.dedupe_line)
    return summary


@cli.command()
@click.option("--rebuild", is_flag=True, help="Recompute signatures, pairs and entities from scratch.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def dedupe(obj: dict, rebuild: bool, as_json: bool) -> None:
    """Group copies and near-copies of articles; merge recurring treatments
    and exercises into entities.

    A scheduled run compares only new and changed articles with the rest;
    --rebuild recomputes everything and reaches the same result.

    \b
    Examples:
      pipeline dedupe
      pipeline dedupe --rebuild --json
    """
    run_dedupe_stage(obj["db_path"], obj["config_path"], rebuild, as_json)


def _curate_recommend_lines(summary: dict) -> str:
    return jobmod.curate_line(summary["curate"]) + "\n" + jobmod.recommend_line(summary["recommend"])


def run_curate_recommend(db_path: str, config_path: str, k: int, pageviews: str | None, as_json: bool,
                         quiet: bool = False) -> dict:
    from pipeline.curate import CurationRules, run_curate
    from pipeline.recommend import run_recommend

    config = load_config(config_path)
    rules = CurationRules.from_settings(config.settings, config.path)
    with locked_db(db_path) as database:
        curated = run_curate(database, rules)
        recommended = run_recommend(database, k=k, pageviews_path=pageviews)
    summary = {"curate": curated, "recommend": recommended}
    report(summary, as_json, quiet, _curate_recommend_lines)
    return summary


def run_export_stage(db_path: str, out: str, formats: str, as_json: bool, quiet: bool = False) -> dict:
    from pipeline.export import export as write_export

    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    with locked_db(db_path) as database:
        summary = write_export(database, out, wanted)
    report(summary, as_json, quiet, jobmod.export_line)
    return summary


@cli.command()
@click.option("-k", "k", type=click.IntRange(min=1, max=50), default=5, show_default=True,
              help="Recommendations per article.")
@click.option("--pageviews", type=click.Path(dir_okay=False),
              help="Real readership: CSV of url,count or JSON Lines of {url, count} or view events {url}.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def recommend(obj: dict, k: int, pageviews: str | None, as_json: bool) -> None:
    """Curate the articles, then list "what others are reading" for each.

    Curation rules (settings.curate in sources.yaml) decide which articles
    are in the dataset; the table `curation` says which rule kept each
    article out.

    \b
    Examples:
      pipeline recommend
      pipeline recommend -k 10 --pageviews analytics/views.csv
    """
    run_curate_recommend(obj["db_path"], obj["config_path"], k, pageviews, as_json)


@cli.command()
@click.option("--out", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write into.")
@click.option("--format", "formats", default=ALL_FORMATS, show_default=True,
              help="Comma-separated: json, jsonl, csv, parquet, jsonld (schema.org, one article a line).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def export(obj: dict, out: str, formats: str, as_json: bool) -> None:
    """Write the curated dataset, entities and recommendations with schemas.

    The files are one set: written into a fresh folder beside --out, then
    --out (a symlink) is switched to it in one step, so readers never see
    a mix of two exports. With a JSON Schema or Table Schema for each file,
    a Frictionless datapackage.json (v2) and a dataset card README.md.

    \b
    Examples:
      pipeline export --out exports/
      pipeline export --out /srv/www/data --format jsonl,parquet
    """
    run_export_stage(obj["db_path"], out, formats, as_json)


@cli.command()
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.pass_obj
def serve(obj: dict, port: int, host: str) -> None:
    """Browse the database in Datasette, with the project's metadata,
    full-text search and canned queries."""
    from pipeline.datasette import prepare, serve_command

    # Datasette only reads, so it may serve while a run writes; the search
    # indexes are then left to the run, which creates them at its end.
    if not dbmod.lock_is_held(obj["db_path"]):
        with locked_db(obj["db_path"]) as database:
            prepare(database)
    else:
        click.echo(f"a run is using {obj['db_path']}: serving it as it is while the run goes on", err=True)
    os.execvp(sys.executable, [sys.executable, *serve_command(obj["db_path"], port, host)])


class JobProgress:
    """Progress bars for a job's long stages (crawl, extract), on a terminal only."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bars: dict[str, object] = {}

    def __call__(self, stage: str, state: dict) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            for other in self.bars.values():
                other.close()
            bar = self.bars[stage] = tqdm(desc=stage, unit="page", file=sys.stderr, dynamic_ncols=True)
        if stage == "crawl":
            bar.n = state["fetched"] + state["blocked_by_robots"]
            bar.set_postfix(new=state["new"], failed=state["failed"], refresh=False)
        else:
            bar.total, bar.n = state["total"], state["done"]
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def run_the_job(db_path: str, config_path: str, options: jobmod.JobOptions, as_json: bool, progress: bool) -> jobmod.JobSummary:
    """Run the job with progress bars on a terminal; print its summary; exit
    with its code when that is not 0."""
    bars = JobProgress(progress and sys.stderr.isatty() and not as_json)
    try:
        summary = jobmod.run_job(db_path, config_path, dataclasses.replace(options, on_progress=bars))
    finally:
        bars.close()
    for line in summary.lines():
        log.info(line)  # --log-file keeps every stage's result, with its time
    if not globally_quiet():
        jobmod.print_summary(summary, as_json)
    for problem in summary.problems:
        click.echo(f"error: {problem}", err=True)
    return summary


@cli.command()
@click.option("--out", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Where the export is written.")
@click.option("--pageviews", type=click.Path(dir_okay=False), help="Real readership for the recommendations.")
@click.option("--source", "sources", multiple=True, help="Crawl only this source (repeatable).")
@click.option("--allow-shrink", is_flag=True,
              help="Publish the export even when it is much smaller than the last one (settings.max_shrink).")
@click.option("--max-seconds", type=click.FloatRange(min=1), help="The crawl's time budget "
              "(default: settings.max_run_seconds, 6 h); what is left is fetched first next run.")
@click.option("--fresh", is_flag=True, help="Start a new crawl run even if the last one was interrupted.")
@click.option("--json", "as_json", is_flag=True, help="Print the job's summary as JSON, on one line.")
@click.option("--no-progress", is_flag=True, help="No progress bars even on a terminal.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this machine, SQLite throughout. ray: the batch stages (and the crawl) on a Ray "
                   "cluster into a Parquet dataset, then loaded here (needs `pip install health-pipeline[ray]`).")
@click.option("--address", help="[ray] The cluster to join (auto, HOST:PORT, ray://HOST:10001; env RAY_ADDRESS). "
                                "Default: a local cluster bound to 127.0.0.1.")
@click.option("--workers", type=click.IntRange(min=1), help="[ray] CPUs of the local cluster (default: all cores).")
@click.option("--dataset", help="[ray] Where the Parquet dataset goes: a folder or a URL (s3://...). "
                                "Default: beside the database (db/health.dataset).")
@click.option("--warc", "warc_inputs", multiple=True,
              help="[ray] Read these WARC files or folders (paths or URLs) instead of crawling (repeatable).")
@click.option("--from-db", is_flag=True, help="[ray] Read the pages stored in --db instead of crawling.")
@click.option("--no-load", is_flag=True, help="[ray] Stop at the Parquet dataset (see `pipeline load`).")
@click.pass_obj
def run(obj: dict, out: str, pageviews: str | None, sources: tuple[str, ...], allow_shrink: bool,
        max_seconds: float | None, fresh: bool, as_json: bool, no_progress: bool, engine: str,
        address: str | None, workers: int | None, dataset: str | None, warc_inputs: tuple[str, ...],
        from_db: bool, no_load: bool) -> None:
    """The scheduled job: every stage in order (crawl, extract, dedupe,
    curate, recommend, export to exports/), under one lock.

    A night when sites fail never makes the published dataset worse: pages
    keep their last good versions, and an export that would shrink by more
    than settings.max_shrink is not written (exit code 4).

    With --engine ray the same stages run on a Ray cluster: the crawl on
    crawler actors (hosts partitioned by hash), the batch stages on Ray Data
    into a Parquet dataset, which is then loaded into --db and exported.

    \b
    Examples:
      17 3 * * *  cd /srv/health-pipeline && .venv/bin/pipeline run     # cron
      pipeline run --engine ray --warc s3://bucket/crawl/ --address auto --dataset s3://bucket/health/
    """
    ray_only = {"--address": address, "--workers": workers, "--dataset": dataset, "--warc": warc_inputs,
                "--from-db": from_db, "--no-load": no_load}
    if engine == "ray":
        run_on_engine(obj, out, pageviews, as_json, address, workers, dataset, warc_inputs, from_db, no_load)
        return
    for name, value in ray_only.items():
        if value:
            raise click.UsageError(f"{name} needs --engine ray")
    options = jobmod.JobOptions(out=out, pageviews=pageviews, sources=sources, allow_shrink=allow_shrink,
                                max_seconds=max_seconds, fresh=fresh)
    summary = run_the_job(obj["db_path"], obj["config_path"], options, as_json, not no_progress)
    if summary.exit_code:
        sys.exit(summary.exit_code)


DEMO_DB = "db/demo.db"
DEMO_OUT = "exports-demo"


def run_on_engine(obj: dict, out: str, pageviews: str | None, as_json: bool, address: str | None,
                  workers: int | None, dataset: str | None, warc_inputs: tuple[str, ...], from_db: bool,
                  no_load: bool) -> None:
    """`run --engine ray`: hands the job to pipeline.distributed."""
    from pipeline.distributed.run import DistributedOptions, run_distributed

    options = DistributedOptions(engine="ray", address=address, workers=workers, dataset=dataset,
                                 warc=warc_inputs, from_db=from_db, load=not no_load, out=out,
                                 formats=tuple(ALL_FORMATS.split(",")), pageviews=pageviews)
    quiet = as_json or globally_quiet()

    def echo(line: str) -> None:
        log.info(line)
        if not quiet:
            click.echo(line)

    summary = run_distributed(obj["db_path"], obj["config_path"], options, echo)
    if as_json:
        echo_json(summary.as_dict())


@cli.command()
@click.argument("dataset")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def load(obj: dict, dataset: str, as_json: bool) -> None:
    """Load a dataset written by `pipeline run --engine ray --no-load` into
    the database, so Datasette, status and export work on it.

    DATASET is the folder or URL the run wrote (its manifest.json says what
    is in it). What the batch stages compute replaces what the database held
    of it, in one transaction; the pages are added or updated.

    \b
    Examples:
      pipeline load db/health.dataset
      pipeline --db /srv/health.db load s3://bucket/health/ && pipeline export
    """
    from pipeline.datasette import prepare as prepare_datasette
    from pipeline.distributed.load import load_dataset
    from pipeline.distributed.run import load_line
    from pipeline.distributed.storage import DatasetStore

    config = load_config(obj["config_path"]) if os.path.exists(obj["config_path"]) else None
    with locked_db(obj["db_path"]) as database:
        summary = load_dataset(database, DatasetStore(dataset), config)
        prepare_datasette(database)
    report(summary, as_json, False, load_line)


def _import_line(s: dict) -> str:
    failed = ", ".join(f"{k}: {v}" for k, v in s["failed_by_reason"].items())
    skipped = ", ".join(f"{k}: {v}" for k, v in s["skipped_by_reason"].items())
    done = f", {s['already_imported']} already imported" if s["already_imported"] else ""
    return (f"import: {s['files']} files ({s['archives']} archives{done}), {s['records']} archive records; "
            f"{s['pages']} pages ({s['new']} new, {s['changed']} changed, {s['unchanged']} unchanged, "
            f"{s['older_capture']} older captures ignored), {s['redirected']} redirected, "
            f"{s['failed']} failed{f' ({failed})' if failed else ''}, "
            f"{s['skipped']} skipped{f' ({skipped})' if skipped else ''} in {s['seconds']:.1f}s")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--base-url", help="URL of the folder given: a file's URL is this plus its path below the folder "
                                  "(default: each page's rel=canonical link, else the address its browser noted when "
                                  "saving it, else its og:url).")
@click.option("--source", "source_name", help="Record the pages under this source name "
                                               "(default: the source of sources.yaml that covers the URL's host, "
                                               "else 'imported').")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_pages(obj: dict, paths: tuple[str, ...], base_url: str | None, source_name: str | None,
                 as_json: bool) -> None:
    """Bring in saved pages and web archives without crawling.

    PATHS are HTML files, folders of them (searched recursively), and WARC,
    ARC or WACZ files (Common Crawl, wget --warc-file, Browsertrix, Heritrix,
    pipeline crawl --warc). Pages become the same records a crawl writes, so
    extract and the later stages run on them unchanged. Re-running is safe:
    files already imported are skipped, and a killed import resumes.

    \b
    Examples:
      pipeline import saved-pages/ --base-url https://www.example.org/health/
      pipeline import CC-MAIN-20240101-00000.warc.gz
      pipeline import warcs/ && pipeline extract
    """
    from pipeline.importer import import_paths
    from pipeline.sources import NAME_RE

    if source_name is not None and not NAME_RE.match(source_name):
        raise click.BadParameter("a name of letters, digits, '-', '_' or '.'", param_hint="--source")
    config = load_config(obj["config_path"]) if os.path.exists(obj["config_path"]) else None
    with locked_db(obj["db_path"]) as database:
        summary = import_paths(database, config, list(paths), source=source_name, base_url=base_url)
    report(summary, as_json, False, _import_line)
    if summary["files"] and not summary["pages"] and summary["failed"]:
        raise RunFailedError(f"no page could be imported from {summary['files']} files")


@cli.command()
@click.option("--out", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="The export folder to describe.")
@click.option("--every", "every_hours", type=click.FloatRange(min=0, min_open=True), default=24.0, show_default=True,
              help="Hours between scheduled runs (your cron line): when each source is next due.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one line of JSON.")
@click.pass_obj
def status(obj: dict, out: str, every_hours: float, as_json: bool) -> None:
    """Per source: last run, pages by outcome, articles curated, sitemap
    coverage, oldest page and when it is next due; and what the export holds.

    Reads only (no lock), so it works while a run is going on.

    \b
    Examples:
      pipeline status
      pipeline status --json | jq '.sources[] | {source, curated, next_due}'
    """
    import sqlite3

    import sqlite_utils

    from pipeline.status import status_lines, status_report

    if not os.path.exists(obj["db_path"]):
        raise RunFailedError(f"no database at {obj['db_path']}: run `pipeline crawl` or `pipeline import` first")
    config = load_config(obj["config_path"]) if os.path.exists(obj["config_path"]) else None
    conn = sqlite3.connect(f"file:{os.path.abspath(obj['db_path'])}?mode=ro", uri=True, timeout=30)
    try:
        result = status_report(sqlite_utils.Database(conn), obj["db_path"], config, out, every_hours)
    finally:
        conn.close()
    if as_json:
        echo_json(result)
    elif not globally_quiet():
        click.echo("\n".join(status_lines(result)))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as one line of JSON.")
@click.pass_obj
def check(obj: dict, as_json: bool) -> None:
    """Check sources.yaml without reaching anything: every key of every
    source, the settings (curation rules included) and the CSS selectors of
    extract rules. Exit code 0 if it is valid, 2 if not, with the file, the
    source and the key in the message.

    \b
    Examples:
      pipeline check
      pipeline --config /srv/sources.yaml check --json
    """
    from pipeline.check import check_config

    result = check_config(obj["config_path"])
    if as_json:
        echo_json(result)
    elif not globally_quiet():
        enabled = ", ".join(result["enabled"]) or "none"
        click.echo(f"{result['config']}: ok: {result['sources']} sources ({len(result['enabled'])} enabled: {enabled}); "
                   f"{result['extract_rules']} extract rules; curation: {result['curation']}")




@cli.command()
@click.option("--articles", type=click.IntRange(min=1), default=120, show_default=True,
              help="How many articles the demo site has.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8765, show_default=True,
              help="Port for the demo site (0 or a busy port: any free one).")
@click.option("--out", default=DEMO_OUT, show_default=True, type=click.Path(file_okay=False),
              help="Where the demo's export is written.")
@click.pass_context
def demo(ctx: click.Context, articles: int, port: int, out: str) -> None:
    """Run the whole job on the bundled demo site (no internet needed).

    Starts the demo site on 127.0.0.1, runs every stage against the 'demo'
    source of sources.yaml into its own database (db/demo.db, unless --db is
    given) and export folder (exports-demo/), never the production ones,
    prints what it holds, and stops the site.
    """
    from pipeline.demo.server import ServerThread, port_is_free, site_handler
    from pipeline.demo.site import DemoSite

    obj = ctx.obj
    given = ctx.parent.get_parameter_source("db_path") if ctx.parent else None
    db_path = obj["db_path"] if given in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT) \
        or os.environ.get("PIPELINE_DB") else DEMO_DB
    if port and not port_is_free(port):
        click.echo(f"port {port} is busy; using a free port (demo URLs will differ from earlier runs)", err=True)
        port = 0
    with ServerThread(site_handler(DemoSite(articles)), port=port) as server:
        os.environ["DEMO_URL"] = server.url
        click.echo(f"demo site: {server.url} ({articles} articles)", err=True)
        summary = run_the_job(db_path, obj["config_path"], jobmod.JobOptions(out=out, sources=("demo",)), False, True)
    describe_db(db_path)
    click.echo("browse it: make serve-demo   (Datasette on http://127.0.0.1:8001/)" if db_path == DEMO_DB else
               f"browse it: pipeline --db {db_path} serve   (Datasette on http://127.0.0.1:8001/)")
    if summary.exit_code:
        sys.exit(summary.exit_code)


@cli.command("remove-source")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove_source(obj: dict, name: str, yes: bool) -> None:
    """Delete everything stored for source NAME: its pages, their HTML and
    versions, the frontier, extractions, articles and their records,
    curation and recommendations.

    Take the source out of sources.yaml (or set enabled: false) first, or
    the next run fetches it again. The next `pipeline run` recomputes
    duplicates, entities, recommendations and the export without it.

    \b
    Example:
      pipeline remove-source oldsite --yes
    """
    from pipeline.crawl import remove_source_data

    with locked_db(obj["db_path"]) as database:
        pages = database.conn.execute("SELECT count(*) FROM pages WHERE source = ?", (name,)).fetchone()[0]
        known = database.conn.execute("SELECT count(*) FROM sources WHERE name = ?", (name,)).fetchone()[0]
        if not known and not pages:
            raise click.BadParameter(f"no source named {name!r} in {obj['db_path']}", param_hint="NAME")
        if not yes:
            if not sys.stdin.isatty():
                raise click.UsageError("this deletes data: pass --yes to confirm")
            click.confirm(f"delete {pages} pages and everything extracted from them for source {name!r}?", abort=True)
        removed = remove_source_data(database, name)
    counts = ", ".join(f"{v} {k}" for k, v in removed.items())
    click.echo(f"removed source {name}: {counts}")
    try:
        still = load_config(obj["config_path"]).source(name)
        if still.enabled:
            click.echo(f"note: {name!r} is still enabled in {obj['config_path']}: the next run fetches it again", err=True)
    except PipelineError:
        pass


def describe_db(db_path: str) -> None:
    database = dbmod.open_db(db_path)  # after the job: the lock is free again
    click.echo(f"database: {os.path.abspath(db_path)}")
    for table in sorted(database.table_names()):
        if table.startswith(("sqlite_", "meta")) or "_fts" in table or table in ("article_signatures", "frontier"):
            continue
        click.echo(f"  {table:<16} {database[table].count:>8} rows")
    database.close()


def _terminate(signum, frame) -> None:
    raise Terminated()


def main() -> None:
    # SIGTERM (a service manager, `timeout`, cron's kill) unwinds like Ctrl-C:
    # the crawl saves its counts, workers are stopped, the lock is released.
    signal.signal(signal.SIGTERM, _terminate)
    try:
        # Every option can also come from the environment: PIPELINE_<COMMAND>_<OPTION>, e.g. PIPELINE_DEMO_PORT=0.
        cli.main(prog_name="pipeline", standalone_mode=False, auto_envvar_prefix="PIPELINE")
    except PipelineError as exc:
        click.echo(f"error: {exc}", err=True)
        log.error("%s (exit code %d)", exc, exc.exit_code, extra={"console": False})
        sys.exit(exc.exit_code)
    except Terminated:
        click.echo("terminated: the next run resumes where this one stopped", err=True)
        sys.exit(EXIT_TERMINATED)
    except click.exceptions.Abort as exc:
        # click turns a KeyboardInterrupt (and so SIGTERM's Terminated) into Abort.
        if isinstance(exc.__cause__, Terminated):
            click.echo("terminated: the next run resumes where this one stopped", err=True)
            sys.exit(EXIT_TERMINATED)
        click.echo("aborted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted: the next run resumes where this one stopped", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # anything unexpected: say what, and exit "run failed"
        click.echo(f"error: unexpected {type(exc).__name__}: {exc}", err=True)
        log.exception("unexpected %s: %s", type(exc).__name__, exc, extra={"console": False})
        sys.exit(EXIT_RUN_FAILED)
