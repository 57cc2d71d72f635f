"""Storing a page: the writes a crawl and an import share, so a page brought
in from a file or an archive is recorded exactly as a fetched one.

Plain functions over a connection, called inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3


def upsert_page(conn: sqlite3.Connection, row: dict) -> None:
    """Insert or update one pages row; ``first_seen_at`` is kept from the first time."""
    columns = list(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("url", "first_seen_at"))
    conn.execute(
        f"INSERT INTO pages({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT(url) DO UPDATE SET {updates}",
        [row[c] for c in columns],
    )


def keep_version(conn: sqlite3.Connection, url: str, keep_versions: int) -> None:
    """Move a page's current HTML into page_versions before it is replaced,
    and prune to ``keep_versions - 1`` earlier versions."""
    keep = max(0, keep_versions - 1)
    if keep:
        conn.execute(
            "INSERT INTO page_versions(url, content_hash, fetched_at, html) "
            "SELECT h.url, h.content_hash, p.fetched_at, h.html FROM page_html h JOIN pages p ON p.url = h.url "
            "WHERE h.url = ?", (url,))
    conn.execute(
        "DELETE FROM page_versions WHERE url = ? AND id NOT IN "
        "(SELECT id FROM page_versions WHERE url = ? ORDER BY id DESC LIMIT ?)", (url, url, keep))
