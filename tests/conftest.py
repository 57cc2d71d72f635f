"""Shared fixtures: real HTTP servers on 127.0.0.1, real SQLite files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiohttp import web

from pipeline import db as dbmod
from pipeline.demo.server import ServerThread, site_handler
from pipeline.demo.site import DemoSite
from pipeline.sources import parse_config

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "real"
FIXTURES = SHARED / "fixtures"


def needs_shared(path: Path):
    """Skip (with the reason) only when ../shared is absent."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent (../shared is not beside the repo)")


class RecordingServer(ServerThread):
    """A real server on 127.0.0.1 that logs every request it answers."""

    def __init__(self, handler, port: int = 0, host: str = "127.0.0.1"):
        self.log: list[dict] = []

        async def recording(request: web.Request):
            self.log.append({"t": time.monotonic(), "path": request.path, "query": request.query_string,
                             "headers": dict(request.headers)})
            return await handler(request)

        super().__init__(recording, port=port, host=host)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.log if r["path"] == path)


@pytest.fixture
def serve():
    """serve(handler) -> a started RecordingServer (or ``kind``: RawServer for
    raw bytes), stopped after the test."""
    started = []

    def start(handler, host: str = "127.0.0.1", kind=RecordingServer):
        server = kind(handler, host=host).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def demo_site():
    return DemoSite(40)


@pytest.fixture
def demo_server(serve, demo_site):
    return serve(site_handler(demo_site))


def source_yaml(name: str, url: str, **keys) -> str:
    lines = [f"  - name: {name}", f'    start_urls: ["{url}/"]', "    allow_private_addresses: true",
             "    requests_per_second: 500", "    concurrency: 8", "    max_retries: 2", "    timeout_seconds: 5"]
    for key, value in keys.items():
        lines = [line for line in lines if not line.strip().startswith(f"{key}:")]
        lines.append(f"    {key}: {value}")
    return "\n".join(lines)


@pytest.fixture
def make_config(tmp_path):
    """make_config(url, **keys) -> (path of a sources.yaml for one source 'site', Config)."""

    def make(url: str, name: str = "site", **keys):
        text = "sources:\n" + source_yaml(name, url, **keys) + "\n"
        path = tmp_path / "sources.yaml"
        path.write_text(text)
        return path, parse_config(text, str(path))

    return make


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.db"


@pytest.fixture
def database(db_path):
    database = dbmod.open_db(db_path)
    yield database
    database.close()


def run_cli(*args, env=None, timeout=120, **kwargs) -> subprocess.CompletedProcess:
    """Run ``python -m pipeline ARGS`` as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=ROOT, **kwargs)


def start_datasette(db_path, **popen):
    """Datasette serving ``db_path`` on a free loopback port: (process, base URL)."""
    import urllib.request

    from pipeline.datasette import serve_command
    from pipeline.demo.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, *serve_command(str(db_path), port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"Datasette did not start: {proc.stderr.read().decode()[-500:]}")
