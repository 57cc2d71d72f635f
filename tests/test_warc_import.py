"""WARC files and saved pages: written by a real crawl (``crawl --warc``) and
by warcio itself in the shapes real archivers produce (Common Crawl, wget,
WACZ from Browsertrix), read back by ``pipeline import`` into the same
records a crawl writes, and by warcio to check the files are sound."""

import gzip
import io
import json
import os
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline import db as dbmod
from pipeline import importer as importermod
from pipeline.crawl import CrawlOptions, crawl
from pipeline.extract.stage import run_extract
from pipeline.importer import NO_URL, import_paths
from pipeline.warc import OPEN_SUFFIX, WarcWriter, complete_records_end

from conftest import CORPUS, FIXTURES, needs_shared, run_cli


def good_pages(database) -> dict[str, str]:
    return dict(database.conn.execute(
        "SELECT p.url, h.content_hash FROM pages p JOIN page_html h ON h.url = p.url WHERE p.outcome IN ('ok', 'unchanged')"))


def read_warcs(folder: Path) -> list:
    records = []
    for path in sorted(folder.glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                body = record.content_stream().read() if record.rec_type == "response" else b""
                records.append((path.name, record.rec_type, record.rec_headers, record.http_headers, body))
    return records


# -- crawl --warc ----------------------------------------------------------------------


@pytest.fixture
def crawled(demo_server, make_config, database, tmp_path):
    """The demo site crawled with --warc: (database, config, warc folder)."""
    _, config = make_config(demo_server.url, sitemaps=f'["{demo_server.url}/sitemap.xml"]')
    with WarcWriter(tmp_path / "warcs") as writer:
        summary = crawl(database, config, options=CrawlOptions(warc=writer))
    assert summary["new"] > 40
    return database, config, tmp_path / "warcs"


def test_crawl_keeps_every_response_with_its_request(crawled):
    database, _, folder = crawled
    assert not list(folder.glob(f"*{OPEN_SUFFIX}"))
    records = read_warcs(folder)
    assert records[0][1] == "warcinfo"
    responses = {r[2].get_header("WARC-Target-URI"): r for r in records if r[1] == "response"}
    requests = {r[2].get_header("WARC-Concurrent-To"): r for r in records if r[1] == "request"}
    answered = dict(database.conn.execute("SELECT url, status_code FROM pages WHERE status_code IS NOT NULL"))
    assert set(answered) <= set(responses)
    for url, status in answered.items():
        response = responses[url]
        assert int(response[3].get_statuscode()) == status
        request = requests[response[2].get_header("WARC-Record-ID")]
        request_line = f"{request[3].protocol} {request[3].statusline}"  # warcio reads "GET" as the protocol
        assert request_line.startswith("GET /") and request_line.endswith(" HTTP/1.1")
        assert request[3].get_header("User-Agent")
    for url in good_pages(database):
        assert responses[url][4].decode("utf-8") == dbmod.page_html(database, url)
    failed = [u for u, s in answered.items() if s == 404]
    assert failed and all(responses[u][2].get_header("WARC-Truncated") == "unspecified" for u in failed)


def test_warc_files_rotate_and_a_killed_writers_file_is_finished(tmp_path):
    folder = tmp_path / "warcs"
    with WarcWriter(folder, max_bytes=20_000) as writer:
        for i in range(30):
            writer.write_exchange(f"http://127.0.0.1/{i}", status=200, headers=[("Content-Type", "text/html")],
                                  body=random.Random(i).randbytes(1500).hex().encode(),
                                  request_headers=[("User-Agent", "t")])
    files = sorted(folder.glob("*.warc.gz"))
    assert len(files) > 1 and len([r for r in read_warcs(folder) if r[1] == "response"]) == 30
    # A crawl killed mid-record leaves an .open file with a cut tail.
    whole = files[0].read_bytes()
    cut = folder / ("health-pipeline-20000101000000000-00000-1.warc.gz" + OPEN_SUFFIX)
    cut.write_bytes(whole[: len(whole) - 300])
    with open(cut, "rb") as handle:
        good_end = complete_records_end(handle)
    assert 0 < good_end < len(whole) - 300
    writer = WarcWriter(folder)
    writer.close()
    finished = folder / cut.name[: -len(OPEN_SUFFIX)]
    assert writer.recovered == [finished.name] and finished.stat().st_size == good_end
    with open(finished, "rb") as handle:
        assert sum(1 for _ in ArchiveIterator(handle)) > 1  # readable to the end


def test_a_crawls_warcs_import_into_the_same_records(crawled, tmp_path):
    database, config, folder = crawled
    fresh = dbmod.open_db(tmp_path / "imported.db")
    summary = import_paths(fresh, config, [str(folder)])
    assert good_pages(fresh) == good_pages(database)
    assert summary["new"] == len(good_pages(database)) and summary["failed_by_reason"].get("not found")
    assert {r[0] for r in fresh.conn.execute("SELECT DISTINCT source FROM pages")} == {"site"}
    run_extract(database, config)
    run_extract(fresh, config)
    titles = "SELECT url, title, treatment_count, exercise_count FROM articles ORDER BY url"
    assert fresh.conn.execute(titles).fetchall() == database.conn.execute(titles).fetchall()
    again = import_paths(fresh, config, [str(folder)])
    assert again["already_imported"] == again["files"] and again["pages"] == 0


def test_crawl_in_worker_processes_writes_the_stored_text(demo_server, make_config, database, tmp_path):
    _, config = make_config(demo_server.url)
    with WarcWriter(tmp_path / "warcs") as writer:
        crawl(database, config, options=CrawlOptions(warc=writer, fetch_processes=2, max_pages=30))
    responses = {r[2].get_header("WARC-Target-URI"): r for r in read_warcs(tmp_path / "warcs") if r[1] == "response"}
    stored = good_pages(database)
    assert stored
    for url in stored:
        assert responses[url][4].decode("utf-8") == dbmod.page_html(database, url)
        assert "charset=utf-8" in responses[url][3].get_header("Content-Type")


# -- archives as other tools write them -----------------------------------------------------


def page(title: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<!doctype html><html lang=en><head><title>{title}</title>{link}</head><body><h1>{title}</h1>"
            f"<p>{title} text.</p></body></html>").encode()


def write_record(writer, url, status, headers, body, date, rec_type="response"):
    http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(url, rec_type, payload=io.BytesIO(body), http_headers=http_headers,
                                       warc_headers_dict={"WARC-Date": date})
    writer.write_record(record)
    return record


def chunked(data: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + 50]), data[i:i + 50]) for i in range(0, len(data), 50)) + b"0\r\n\r\n"


def common_crawl_like(path: Path, gzip_members: bool = True) -> None:
    """What Common Crawl and Heritrix write: warcinfo, then request/response/metadata triples,
    bodies as sent (chunked, gzip), revisits, images, errors, redirects."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip_members)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "Heritrix/3.4 (test)"}))
        base = "https://www.example.org"
        write_record(writer, f"{base}/back-pain", "200 OK",
                     [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                      ("Transfer-Encoding", "chunked")], chunked(gzip.compress(page("Back pain"))), "2024-01-02T03:04:05Z")
        write_record(writer, f"{base}/knee?utm_source=news", "200 OK", [("Content-Type", "text/html")],
                     page("Knee pain, latin-1 caf\xe9").replace("\xe9".encode(), b"\xe9"), "2024-01-02T03:04:06Z")
        write_record(writer, f"{base}/logo.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG....", "2024-01-02T03:04:07Z")
        write_record(writer, f"{base}/missing", "404 Not Found", [("Content-Type", "text/html")], b"gone", "2024-01-02T03:04:08Z")
        write_record(writer, f"{base}/old", "301 Moved Permanently", [("Location", "/back-pain")], b"", "2024-01-02T03:04:09Z")
        write_record(writer, f"{base}/back-pain", "200 OK", [("Content-Type", "text/html")], b"", "2024-01-03T03:04:05Z",
                     rec_type="revisit")
        metadata = writer.create_warc_record(f"{base}/back-pain", "metadata", payload=io.BytesIO(b"outlinks: 3"),
                                             warc_content_type="application/warc-fields")
        writer.write_record(metadata)
        dns = writer.create_warc_record("dns:www.example.org", "response", payload=io.BytesIO(b"20240102 1.2.3.4"),
                                        warc_content_type="text/dns")
        writer.write_record(dns)


def test_archives_in_the_shapes_real_archivers_write(tmp_path, database):
    common_crawl_like(tmp_path / "CC-MAIN-test.warc.gz")
    common_crawl_like(tmp_path / "plain.warc", gzip_members=False)
    # A WACZ (Browsertrix): a zip holding the WARCs under archive/.
    common_crawl_like(tmp_path / "data.warc.gz")
    with zipfile.ZipFile(tmp_path / "crawl.wacz", "w") as bundle:
        bundle.write(tmp_path / "data.warc.gz", "archive/data.warc.gz")
        bundle.writestr("datapackage.json", "{}")
    (tmp_path / "data.warc.gz").unlink()
    summary = import_paths(database, None, [str(tmp_path / "CC-MAIN-test.warc.gz")])
    assert summary["new"] == 2 and summary["redirected"] == 1
    assert summary["failed_by_reason"] == {"not found": 1}
    assert summary["skipped_by_reason"]["not HTML"] == 1
    assert summary["skipped_by_reason"]["revisit (duplicate capture)"] == 1
    rows = {r[0]: r[1:] for r in database.conn.execute("SELECT url, outcome, final_url, source, encoding FROM pages")}
    assert rows["https://www.example.org/back-pain"][0] == "ok"
    assert rows["https://www.example.org/knee"][0] == "ok"  # tracking parameter folded away, like a crawl
    assert rows["https://www.example.org/old"][:2] == ("redirect", "https://www.example.org/back-pain")
    assert rows["https://www.example.org/back-pain"][2] == "imported"
    assert "Back pain" in dbmod.page_html(database, "https://www.example.org/back-pain")  # chunked + gzip undone
    assert "café" in dbmod.page_html(database, "https://www.example.org/knee")
    for other in ("plain.warc", "crawl.wacz"):
        again = import_paths(database, None, [str(tmp_path / other)])
        assert again["unchanged"] == 2 and again["new"] == 0, other
    assert database["pages"].count == 4  # the image and the revisit are not pages


def test_real_wget_warc_file(demo_server, tmp_path, database):
    """wget --warc-file against the demo site on loopback, then imported."""
    wget = shutil.which("wget")
    assert wget, "wget is part of the base image"
    urls = [demo_server.url + "/", demo_server.url + "/sitemap.xml"]
    result = subprocess.run([wget, "-q", "--no-config", "-e", "robots=off", "--warc-file", str(tmp_path / "site"),
                             "-O", os.devnull, *urls], capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 8), result.stderr
    summary = import_paths(database, None, [str(tmp_path / "site.warc.gz")])
    assert summary["new"] == 1 and summary["skipped_by_reason"].get("not HTML") == 1  # the page; the sitemap is XML
    assert good_pages(database) and all(u.startswith(demo_server.url) for u in good_pages(database))


def test_same_url_twice_keeps_the_newest_capture_and_a_version(tmp_path, database):
    with open(tmp_path / "two.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        write_record(writer, "https://x.org/a", "200 OK", [("Content-Type", "text/html")], page("First"), "2024-01-01T00:00:00Z")
        write_record(writer, "https://x.org/a", "200 OK", [("Content-Type", "text/html")], page("Second"), "2024-02-01T00:00:00Z")
        write_record(writer, "https://x.org/a", "200 OK", [("Content-Type", "text/html")], page("Zeroth"), "2023-01-01T00:00:00Z")
    summary = import_paths(database, None, [str(tmp_path / "two.warc.gz")])
    assert (summary["new"], summary["changed"], summary["older_capture"]) == (1, 1, 1)
    assert "Second" in dbmod.page_html(database, "https://x.org/a")
    assert database["page_versions"].count == 1 and database["pages"].count == 1


def test_a_killed_import_resumes_without_duplicates(tmp_path, database, monkeypatch):
    with open(tmp_path / "many.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i in range(25):
            write_record(writer, f"https://x.org/{i}", "200 OK", [("Content-Type", "text/html")], page(f"Page {i}"),
                         "2024-01-01T00:00:00Z")
    monkeypatch.setattr(importermod, "BATCH", 4)
    real = importermod.Importer.archive_record
    calls = {"n": 0}

    def dies_at_the_fourteenth(self, record):
        calls["n"] += 1
        if calls["n"] == 14:
            raise KeyboardInterrupt  # what SIGINT does; SIGKILL loses the open batch the same way
        return real(self, record)

    monkeypatch.setattr(importermod.Importer, "archive_record", dies_at_the_fourteenth)
    with pytest.raises(KeyboardInterrupt):
        import_paths(database, None, [str(tmp_path / "many.warc.gz")])
    assert database["pages"].count == 12  # three committed batches of four
    offset, status = database.conn.execute("SELECT offset, status FROM imports").fetchone()
    assert status == "partial" and offset > 0
    monkeypatch.setattr(importermod.Importer, "archive_record", real)
    summary = import_paths(database, None, [str(tmp_path / "many.warc.gz")])
    assert summary["records"] == 13 and summary["new"] == 13  # only the rest was read
    assert database["pages"].count == 25


# -- HTML files ---------------------------------------------------------------------------


@needs_shared(FIXTURES)
def test_html_files_and_folders(tmp_path, database):
    folder = tmp_path / "saved"
    (folder / "back-pain").mkdir(parents=True)
    shutil.copy(FIXTURES / "back-muscle-spasms.html", folder / "back-pain" / "spasms.html")
    (folder / "canonical.html").write_bytes(page("Neck pain", canonical="https://health.example.org/neck-pain"))
    (folder / "no canonical.htm").write_bytes(page("Hip pain"))
    (folder / "notes.txt").write_text("not a page")
    summary = import_paths(database, None, [str(folder)], base_url="https://health.example.org/saved")
    urls = set(good_pages(database))
    assert urls == {"https://health.example.org/saved/back-pain/spasms.html", "https://health.example.org/saved/canonical.html",
                    "https://health.example.org/saved/no%20canonical.htm"}
    assert summary["skipped_by_reason"] == {"not HTML or an archive": 1}
    fresh = dbmod.open_db(tmp_path / "canonical.db")
    summary = import_paths(fresh, None, [str(folder)])
    assert set(good_pages(fresh)) == {"https://health.example.org/neck-pain",  # each page's rel=canonical
                                      "https://health.example.org/back-pain/how-to-treat-back-muscle-spasms"}
    assert summary["failed_by_reason"] == {NO_URL: 1}


def test_a_saved_page_without_a_canonical_link_takes_the_address_it_was_saved_from(tmp_path, database):
    """Chrome's "Save page as" notes the address in a comment before <html>,
    SingleFile in its header; a page with neither still has its og:url."""
    folder = tmp_path / "saved"
    folder.mkdir()
    body = page("Neck pain").decode()
    (folder / "chrome.html").write_text("<!-- saved from url=(0040)https://health.example.org/neck?utm_source=x -->\n"
                                        + body)
    (folder / "singlefile.html").write_text(body.replace("<html lang=en>", "<html lang=en><!--\n Page saved with "
                                                         "SingleFile \n url: https://health.example.org/hip \n saved "
                                                         "date: Mon Dec 07 2026 -->"))
    (folder / "og.html").write_text(body.replace("<head>", '<head><meta property="og:url" '
                                                 'content="https://health.example.org/knee?a=1&amp;b=2">'))
    (folder / "both.html").write_text("<!-- saved from url=(0030)https://health.example.org/a -->\n"
                                      + page("Ankle", canonical="https://health.example.org/ankle").decode())
    (folder / "neither.html").write_text(body.replace("<head>", '<head><meta property="og:url" content="/relative">'))
    summary = import_paths(database, None, [str(folder)])
    assert set(good_pages(database)) == {"https://health.example.org/neck", "https://health.example.org/hip",
                                         "https://health.example.org/knee?a=1&b=2",
                                         "https://health.example.org/ankle"}  # rel=canonical first
    assert summary["failed_by_reason"] == {NO_URL: 1}


@needs_shared(CORPUS)
def test_cli_import_then_extract_runs_unchanged(tmp_path):
    pages = sorted(p for p in CORPUS.glob("*.html"))[:20]
    folder = tmp_path / "saved"
    folder.mkdir()
    for p in pages:
        shutil.copy(p, folder / p.name)
    db = tmp_path / "cli.db"
    result = run_cli("--db", db, "import", folder, "--base-url", "https://saved.example/", "--json")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    summary = json.loads(result.stdout)
    assert summary["new"] == 20 and summary["sources"] == {"imported": 20}
    extracted = run_cli("--db", db, "extract", "--json")
    assert extracted.returncode == 0, extracted.stderr
    assert json.loads(extracted.stdout)["extracted"] == 20
    again = run_cli("--db", db, "import", folder, "--base-url", "https://saved.example/", "--json")
    assert json.loads(again.stdout)["already_imported"] == 20
    missing = run_cli("--db", db, "import", tmp_path / "nope")
    assert missing.returncode == 2 and "nope" in missing.stderr


def test_a_failing_warc_write_stops_the_crawl_instead_of_losing_the_archive(tmp_path, monkeypatch):
    writer = WarcWriter(tmp_path / "warcs")
    real = WarcWriter._write_records
    calls = {"n": 0}

    def disk_full(self, *records):
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(28, "No space left on device")
        return real(self, *records)

    monkeypatch.setattr(WarcWriter, "_write_records", disk_full)
    with pytest.raises(OSError, match="No space left"):
        for i in range(50):  # the error comes back at a later hand-over...
            writer.submit(f"http://127.0.0.1/{i}", status=200, headers=[], body=b"x", request_headers=[])
        writer.close()  # ...or at the latest when the crawl closes the writer
    if writer.thread is not None:  # it came back at a hand-over: the crawl's close says it again and ends the thread
        with pytest.raises(OSError, match="No space left"):
            writer.close()
    assert writer.thread is None and writer.records == 1
