"""What the database holds, per source: for ``pipeline status``.

Reads only: no lock is taken and nothing is written, so it works while a
run is going on (SQLite's WAL lets it read a consistent snapshot).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import sqlite_utils

from pipeline.sources import Config

GOOD = ("ok", "unchanged")


def _parse(ts: str | None) -> datetime | None:
    if not ts:
        return None
    try:
        value = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def source_status(db: sqlite_utils.Database, config: Config | None, every_hours: float = 24.0,
                  now: datetime | None = None) -> list[dict]:
    """One dict per source (those of sources.yaml, then any others the
    database knows): last run, pages by outcome, articles extracted and
    curated, sitemap coverage, oldest page, next due."""
    conn = db.conn
    now = now or datetime.now(timezone.utc)
    names = [s.name for s in config.sources] if config else []
    for (name,) in conn.execute("SELECT name FROM sources UNION SELECT DISTINCT source FROM pages ORDER BY 1"):
        if name not in names:
            names.append(name)
    runs = conn.execute("SELECT id, started_at, finished_at, status, sources FROM crawl_runs ORDER BY id DESC").fetchall()
    out = []
    for name in names:
        source = next((s for s in config.sources if s.name == name), None) if config else None
        last = next((r for r in runs if name in json.loads(r[4] or "[]")), None)
        outcomes = dict(conn.execute("SELECT outcome, count(*) FROM pages WHERE source = ? GROUP BY outcome "
                                     "ORDER BY count(*) DESC, outcome", (name,)).fetchall())
        articles, curated = conn.execute(
            "SELECT count(*), coalesce(sum(c.included), 0) FROM articles a LEFT JOIN curation c ON c.url = a.url "
            "WHERE a.source = ?", (name,)).fetchone()
        listed, stored = conn.execute(
            "SELECT count(*), count(p.url) FROM frontier f LEFT JOIN pages p ON p.url = f.url AND p.outcome IN (?, ?) "
            "WHERE f.source = ? AND f.kind = 'page' AND f.found_on IN "
            "(SELECT url FROM frontier WHERE source = ? AND kind = 'sitemap')", (*GOOD, name, name)).fetchone()
        oldest, newest = conn.execute(
            "SELECT min(fetched_at), max(fetched_at) FROM pages WHERE source = ? AND outcome IN (?, ?)",
            (name, *GOOD)).fetchone()
        imported = conn.execute("SELECT count(*) FROM pages WHERE source = ? AND crawl_run_id IS NULL",
                                (name,)).fetchone()[0]
        finished = _parse(last[2]) if last else None
        enabled = source.enabled if source else False
        if not enabled:
            next_due = None  # crawled only when named: nothing is due
        elif finished is None:
            next_due = now  # never crawled to the end: due now
        else:
            next_due = max(now, finished + timedelta(hours=every_hours)) if last[3] == "completed" else now
        out.append({
            "source": name,
            "in_config": source is not None,
            "enabled": enabled,
            "last_run": {"id": last[0], "status": last[3], "started_at": last[1], "finished_at": last[2]} if last else None,
            "pages": sum(outcomes.values()),
            "pages_by_outcome": outcomes,
            "imported_pages": imported,
            "articles": articles,
            "curated": curated,
            "sitemap_listed": listed,
            "sitemap_stored": stored,
            "sitemap_coverage": round(stored / listed, 4) if listed else None,
            "oldest_page": oldest,
            "newest_page": newest,
            "next_due": _iso(next_due),
        })
    return out


def _ago(ts: str | None, now: datetime) -> str:
    value = _parse(ts)
    if value is None:
        return "never"
    seconds = (now - value).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 90:
        span = f"{seconds:.0f} s"
    elif seconds < 5400:
        span = f"{seconds / 60:.0f} min"
    elif seconds < 172800:
        span = f"{seconds / 3600:.0f} h"
    else:
        span = f"{seconds / 86400:.0f} days"
    return f"{ts} (in {span})" if future else f"{ts} ({span} ago)"


def status_lines(report: dict, now: datetime | None = None) -> list[str]:
    """The status report in words, a few lines per source."""
    now = now or datetime.now(timezone.utc)
    lines = [f"database: {report['database']}"]
    for s in report["sources"]:
        flag = "enabled" if s["enabled"] else ("disabled" if s["in_config"] else "not in sources.yaml")
        if not s["pages"] and not s["last_run"] and not s["enabled"]:
            lines.append(f"{s['source']} ({flag}): no pages")
            continue
        lines.append(f"{s['source']} ({flag})")
        run = s["last_run"]
        lines.append(f"  last run:     " + (f"#{run['id']} {run['status']}, started {_ago(run['started_at'], now)}"
                                         if run else "never crawled"))
        by_outcome = ", ".join(f"{k} {v}" for k, v in s["pages_by_outcome"].items())
        imported = f"; {s['imported_pages']} imported" if s["imported_pages"] else ""
        lines.append(f"  pages:        {s['pages']}{f' ({by_outcome})' if by_outcome else ''}{imported}")
        lines.append(f"  articles:     {s['articles']} extracted, {s['curated']} curated")
        if s["sitemap_listed"]:
            lines.append(f"  sitemaps:     {s['sitemap_stored']} of {s['sitemap_listed']} listed pages stored "
                         f"({100 * s['sitemap_coverage']:.0f}%)")
        else:
            lines.append("  sitemaps:     none read")
        lines.append(f"  oldest page:  {_ago(s['oldest_page'], now) if s['oldest_page'] else 'none'}")
        lines.append(f"  next due:     {_ago(s['next_due'], now) if s['next_due'] else 'not scheduled (disabled)'}")
    export = report.get("export")
    if export:
        lines.append(f"export: {export['articles']} articles, {export['entities']} entities in {report['export_dir']} "
                     f"(published {export['created_at']})")
    else:
        lines.append(f"export: nothing published in {report['export_dir']}")
    return lines


def status_report(db: sqlite_utils.Database, db_path: str, config: Config | None, export_dir: str,
                  every_hours: float = 24.0) -> dict:
    from pipeline.export import published_export

    started = time.monotonic()
    report = {"database": db_path, "sources": source_status(db, config, every_hours), "export_dir": export_dir,
              "export": published_export(export_dir)}
    report["seconds"] = round(time.monotonic() - started, 3)
    return report
