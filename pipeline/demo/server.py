"""A small real HTTP server for the demo site (and for tests' own handlers).

aiohttp on 127.0.0.1, in a background thread (``ServerThread``) for tests
and ``make demo``, or in its own process (``python -m pipeline.demo serve``)
for benchmarks, where the server must not share a core with the crawler.
It answers conditional requests (ETag / Last-Modified) with 304, as a real
web server does.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from typing import Awaitable, Callable

from aiohttp import web

from pipeline.demo.site import DemoSite

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class MutableSite:
    """A site that can be swapped while it is served (a site that changes
    between scheduled runs): ``holder.site = DemoSite(..., version=2)``."""

    def __init__(self, site: DemoSite):
        self.site = site


def site_handler(site: DemoSite | MutableSite) -> Handler:
    """An aiohttp handler serving ``site`` (or whatever a MutableSite holds)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        base = f"{request.scheme}://{request.host}"
        current = site.site if isinstance(site, MutableSite) else site
        response = current.render(request.path, base)
        etag = response.headers.get("ETag")
        if response.status == 200 and etag and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        modified = response.headers.get("Last-Modified")
        if (response.status == 200 and modified and "If-None-Match" not in request.headers
                and request.headers.get("If-Modified-Since") == modified):
            return web.Response(status=304, headers={"Last-Modified": modified})
        return web.Response(status=response.status, body=response.body, headers={
            "Content-Type": response.content_type, **response.headers})

    return handle


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


class ServerThread:
    """Serve ``handler`` on 127.0.0.1:``port`` (0 = any free port) in a thread.

    >>> with ServerThread(site_handler(DemoSite(10))) as server:  # doctest: +SKIP
    ...     server.url  # 'http://127.0.0.1:41234'
    """

    def __init__(self, handler: Handler, port: int = 0, host: str = "127.0.0.1"):
        self.handler = handler
        self.host = host
        self.port = port
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "ServerThread":
        self._thread.start()
        self._started.wait(10)
        if self._error:
            raise self._error
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:  # surfaced to start()
            self._error = exc
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handler)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        if self.port == 0:
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        if self._loop is None:
            return
        loop = self._loop

        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(10)

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_forever(site: DemoSite, port: int, host: str = "127.0.0.1") -> None:
    """Serve the site in this process until killed (benchmarks, ``make serve-demo``)."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", site_handler(site))
    web.run_app(app, host=host, port=port, access_log=None, print=None)


class _PrerenderedProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, GET only, answers from a dict of ready bytes.

    Benchmarks need a server much faster than the crawler, as the issue's
    nginx was: rendering each page per request in Python made the server the
    bottleneck, squeezing every contender's figure toward the same ceiling.
    """

    def __init__(self, responses: dict[str, bytes], render: Callable[[str], bytes]):
        self.responses = responses
        self.render = render
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self.transport.close()
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            parts = head.split(b"\r\n", 1)[0].split(b" ")
            path = parts[1].decode("latin-1").split("?", 1)[0].split("#", 1)[0] if len(parts) >= 2 else "/"
            answer = self.responses.get(path)
            if answer is None:
                answer = self.responses[path] = self.render(path)
            self.transport.write(answer)


def _raw_response(response) -> bytes:
    headers = {"Content-Type": response.content_type, **response.headers,
               "Content-Length": str(len(response.body)), "Connection": "keep-alive"}
    head = f"HTTP/1.1 {response.status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1") + response.body


def serve_prerendered(site: DemoSite, port: int, host: str = "127.0.0.1") -> None:
    """Serve the site from memory, every article rendered before the first
    request (benchmarks). Plain GETs only: no conditional requests."""
    base = f"http://{host}:{port}"

    def render(path: str) -> bytes:
        return _raw_response(site.render(path, base))

    responses = {p: render(p) for p in ["/robots.txt", "/sitemap.xml", "/", *site.article_paths()]}
    for match in re.finditer(rb"<loc>[^<]*?(/sitemap-[^<]+)</loc>", responses["/sitemap.xml"]):
        path = match.group(1).decode()
        responses[path] = render(path)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _PrerenderedProtocol(responses, render), host, port,
                                          reuse_address=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())
