"""A fault-injecting web site: every way a server can misbehave, on one
loopback server, beside a few good pages. Used by tests/test_faults.py and
bench/faults.py; each fault path maps to the outcome and reason the crawl
must record for it."""

from __future__ import annotations

import asyncio
import gzip

from aiohttp import web

GOOD = 6
ARTICLE = ("<html><head><title>How To Treat Shin Splints {n}</title></head><body><article><h1>How To Treat Shin Splints {n}</h1>"
           + "<p>Shin splints hurt along the inner edge of the shin bone after running, and most cases heal with rest.</p>" * 6
           + "<p>Here are some treatments to try:</p><ol><li><strong>Rest your legs.</strong> Take a week off running.</li>"
           "<li><strong>Ice the shins.</strong> Ten minutes after activity.</li></ol></article></body></html>")

FAULTS = {
    "/e500": ("failed", "server error"),
    "/e503-retry-after": ("failed", "server error"),
    "/e429-then-ok": ("ok", None),
    "/trickle": ("failed", "timeout"),
    "/reset-mid-body": ("failed", "connection error"),
    "/wrong-content-length": ("failed", "connection error"),
    "/gzip-truncated": ("failed", "truncated body"),
    "/gzip-corrupt": ("failed", "bad content encoding"),
    "/huge": ("skipped", "too large"),
    "/gzip-bomb": ("skipped", "too large"),
    "/loop-a": ("redirect", None),
    "/chain/0": ("redirect", None),
    "/to-foreign-host": ("skipped", "redirect to another host"),
    "/to-private": ("skipped", "redirect to another host"),
    "/to-link-local": ("skipped", "redirect to another host"),
    "/to-ftp": ("skipped", "redirect to a non-web URL"),
    "/invalid-utf8": ("ok", None),
    "/binary-as-html": ("ok", None),
    "/deeply-nested": ("ok", None),
    "/malformed": ("ok", None),
}


def fault_state(base_hint: str = "") -> dict:
    """Bodies built once: a 30 MB gzip bomb (prepared lazily with the
    million-URL sitemap by ``add_million_sitemap``)."""
    return {"bomb": gzip.compress(b" " * 30_000_000)}


def add_million_sitemap(state: dict, base: str) -> None:
    """A gzipped sitemap of a million URLs: our good pages, then foreign hosts."""
    own = "".join(f"<url><loc>{base}/good/{n}</loc></url>" for n in range(GOOD))
    foreign = "".join(f"<url><loc>https://foreign{k % 97}.example/page/{k}</loc></url>" for k in range(1_000_000))
    state["million"] = gzip.compress(f"<urlset>{own}{foreign}</urlset>".encode(), 6)


def sources_yaml(base: str) -> str:
    return ("sources:\n  - name: hostile\n"
            f'    start_urls: ["{base}/"]\n'
            f'    sitemaps: ["{base}/sitemap-xxe.xml", "{base}/sitemap-laughs.xml", "{base}/sitemap-million.xml.gz"]\n'
            "    allowed_hosts: [127.0.0.1]\n    allow_private_addresses: true\n    requests_per_second: 200\n"
            "    concurrency: 8\n    max_retries: 1\n    timeout_seconds: 1.5\n    max_bytes: 1000000\n"
            "    max_redirects: 3\n    max_pages: 200\n")


def make_handler(state):
    async def handler(request):
        path = request.path
        base = f"http://{request.host}"
        if path == "/robots.txt":
            return web.Response(text="User-agent: *\nAllow: /\n")
        if path == "/":
            links = "".join(f'<a href="{p}">{p}</a>' for p in FAULTS) + "".join(f'<a href="/good/{n}">g</a>' for n in range(GOOD))
            return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")
        if path.startswith("/good/"):
            return web.Response(text=ARTICLE.format(n=path[6:]), content_type="text/html")
        if path == "/e500":
            return web.Response(status=500)
        if path == "/e503-retry-after":
            return web.Response(status=503, headers={"Retry-After": "1"})
        if path == "/e429-then-ok":
            state["429"] = state.get("429", 0) + 1
            if state["429"] == 1:
                return web.Response(status=429, headers={"Retry-After": "0"})
            return web.Response(text=ARTICLE.format(n="429"), content_type="text/html")
        if path == "/trickle":
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            await response.prepare(request)
            try:
                for _ in range(30):
                    await response.write(b"<p>slow</p>")
                    await asyncio.sleep(0.2)
            except (ConnectionError, RuntimeError):
                pass
            return response
        if path in ("/reset-mid-body", "/wrong-content-length"):
            headers = {"Content-Type": "text/html"}
            if path == "/wrong-content-length":
                headers["Content-Length"] = "50000"
            response = web.StreamResponse(headers=headers)
            await response.prepare(request)
            await response.write(b"<html><body><p>half a page")
            request.transport.close()
            return response
        if path == "/gzip-truncated":
            body = gzip.compress(ARTICLE.format(n="gz").encode() * 20)
            return web.Response(body=body[: len(body) // 2], headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if path == "/gzip-corrupt":
            return web.Response(body=b"\x1f\x8b\x08\x00garbage-not-deflate" * 10,
                                headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if path == "/huge":
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            response.enable_chunked_encoding()
            await response.prepare(request)
            try:
                for _ in range(200):
                    await response.write(b"x" * 100_000)
            except (ConnectionError, RuntimeError):
                pass
            return response
        if path == "/gzip-bomb":
            return web.Response(body=state["bomb"], headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if path == "/loop-a":
            raise web.HTTPFound("/loop-b")
        if path == "/loop-b":
            raise web.HTTPFound("/loop-a")
        if path.startswith("/chain/"):
            raise web.HTTPFound(f"/chain/{int(path[7:]) + 1}")
        if path == "/to-foreign-host":
            raise web.HTTPFound(f"http://127.0.0.2:{request.url.port}/elsewhere")
        if path == "/to-private":
            raise web.HTTPFound("http://10.0.0.1/admin")
        if path == "/to-link-local":
            raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")
        if path == "/to-ftp":
            raise web.HTTPFound("ftp://127.0.0.1/file.txt")
        if path == "/invalid-utf8":
            body = ARTICLE.format(n="utf").encode().replace(b"Shin splints hurt", b"Shin \xff\xfe splints hurt")
            return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})
        if path == "/binary-as-html":
            return web.Response(body=bytes(range(256)) * 64, headers={"Content-Type": "text/html"})
        if path == "/deeply-nested":
            return web.Response(text="<html><body>" + "<div>" * 20000 + "deep" + "</div>" * 20000, content_type="text/html")
        if path == "/malformed":
            return web.Response(text="<html><body><p <<div>> </td></tr><table><li>" * 200, content_type="text/html")
        if path == "/sitemap-xxe.xml":
            return web.Response(text=f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{base}/secret">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url>
<url><loc>{base}/good/0</loc></url></urlset>""", content_type="application/xml")
        if path == "/sitemap-laughs.xml":
            entities = '<!ENTITY lol "lol">' + "".join(
                f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">' for k in range(1, 10))
            return web.Response(text=f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><urlset><url><loc>&lol9;</loc></url></urlset>',
                                content_type="application/xml")
        if path == "/sitemap-million.xml.gz":
            return web.Response(body=state["million"], content_type="application/gzip")
        return web.Response(status=404, text="not found")

    return handler


