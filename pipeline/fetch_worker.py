"""Fetch processes: the crawl's fetching and parsing spread over CPU cores.

An impolite crawl of a fast site (a mirror you own, a local test server) is
bound by one core: building requests, reading responses, parsing links and
compressing pages cost about half a millisecond a page. ``pipeline crawl
--processes N`` moves that work into N worker processes, each with its own
:class:`~pipeline.fetch.Fetcher` and event loop, while the crawl's own
process keeps the frontier and does every database write, so the kill and
resume guarantees of :mod:`pipeline.crawl` are unchanged.

The parent sends jobs and the workers send back outcomes as length-prefixed
pickles over the workers' stdin and stdout: both ends are our own code on
the same machine, and pickle carries the dataclasses as they are. A worker
never touches the database and exits when its stdin closes, so a crawl
killed with SIGKILL takes its workers with it.

Politeness holds across processes: when the crawl is polite every host is
fetched by one worker only (chosen by a hash of the host), so its pacing,
concurrency cap and Crawl-delay are kept by a single gate. Each worker reads
robots.txt for its own hosts, so with politeness off a host's robots.txt is
fetched once per worker.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import pickle
import struct
import sys
import zlib
from pathlib import Path

from pipeline.fetch import Fetcher
from pipeline.fetch_job import Fetched, Job, LocalFetchPool, fetch_job, internal_error
from pipeline.sources import Source
from pipeline.urls import host_of

HEADER = struct.Struct(">I")
MAX_RESTARTS_PER_PROCESS = 3


class FetchProcessDied(Exception):
    """A fetch process exited while it held jobs."""


def frame(message) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


async def read_frame(reader: asyncio.StreamReader):
    """The next message, or None when the other end has gone."""
    try:
        header = await reader.readexactly(HEADER.size)
        return pickle.loads(await reader.readexactly(HEADER.unpack(header)[0]))
    except (asyncio.IncompleteReadError, ConnectionError):
        return None


# ---------------------------------------------------------------------------
# The parent's side


class FetchProcess:
    """One worker process and the jobs it holds."""

    def __init__(self, index: int):
        self.index = index
        self.proc: asyncio.subprocess.Process | None = None
        self.pending: dict[int, asyncio.Future] = {}
        self.outbox: list[tuple] = []
        self.reading: asyncio.Task | None = None
        self.starting = asyncio.Lock()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None and not self.reading.done()

    async def start(self, init: dict) -> None:
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p))
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "pipeline.fetch_worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
        )
        # Each incarnation has its own jobs: a restarted process must not
        # inherit, or be failed with, the jobs of the one that died.
        self.pending, self.outbox = {}, []
        self.proc.stdin.write(frame(init))
        self.reading = asyncio.create_task(self.read_outcomes(self.proc, self.pending))

    def send(self, item: tuple, future: asyncio.Future) -> None:
        self.pending[item[0]] = future
        self.outbox.append(item)
        if len(self.outbox) == 1:
            # Jobs queued in the same turn of the loop go out in one write.
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        if self.outbox and self.alive:
            batch, self.outbox = self.outbox, []
            self.proc.stdin.write(frame(batch))

    async def read_outcomes(self, proc: asyncio.subprocess.Process, pending: dict[int, asyncio.Future]) -> None:
        try:
            while (batch := await read_frame(proc.stdout)) is not None:
                for request_id, fetched in batch:
                    future = pending.pop(request_id, None)
                    if future is not None and not future.done():
                        future.set_result(fetched)
        finally:
            code = await proc.wait()
            error = FetchProcessDied(f"fetch process {self.index} exited with code {code}")
            for future in pending.values():
                if not future.done():
                    future.set_exception(error)
            pending.clear()

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.stdin.close()  # the worker's signal to exit
        try:
            await asyncio.wait_for(self.proc.wait(), timeout=5)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()

    def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()


class ProcessFetchPool:
    """Runs fetch jobs in ``processes`` worker processes. Same ``fetch``
    method as :class:`pipeline.crawl.LocalFetchPool`; use as an async
    context manager, which starts and stops the workers.

    A worker that dies fails the jobs it held (each is recorded as failed, and
    the next run tries it again) and is restarted; after
    ``MAX_RESTARTS_PER_PROCESS`` restarts per process the pool gives up on
    processes and fetches in the crawl's own loop, so the run still ends.
    """

    def __init__(self, processes: int, sources: list[Source], fetcher_options: dict):
        self.processes = [FetchProcess(i) for i in range(processes)]
        per_process = dict(fetcher_options,
                           global_concurrency=max(1, math.ceil(fetcher_options["global_concurrency"] / processes)))
        self.init = {"sources": list(sources), "fetcher": per_process}
        self.polite = fetcher_options["polite"]
        self.ids = itertools.count()
        self.restarts = 0
        self.fallback_fetcher: Fetcher | None = None
        self.fallback: LocalFetchPool | None = None
        self.fetcher_options = fetcher_options

    async def __aenter__(self) -> "ProcessFetchPool":
        for process in self.processes:
            await process.start(self.init)
        return self

    async def __aexit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            await asyncio.gather(*(p.stop() for p in self.processes))
        else:
            for process in self.processes:
                process.kill()
        for process in self.processes:
            if process.reading is not None:
                await asyncio.gather(process.reading, return_exceptions=True)
        if self.fallback_fetcher is not None:
            await self.fallback_fetcher.__aexit__(None, None, None)

    def choose(self, url: str) -> FetchProcess:
        if self.polite:
            # One process per host, so one gate keeps the host's pace.
            return self.processes[zlib.crc32(host_of(url).encode()) % len(self.processes)]
        return min(self.processes, key=lambda p: len(p.pending) if p.alive else math.inf)

    async def fetch(self, source: Source, job: Job, sitemap_max_urls: int) -> Fetched:
        if self.fallback is not None:
            return await self.fallback.fetch(source, job, sitemap_max_urls)
        process = self.choose(job.url)
        if not process.alive:
            async with process.starting:  # many jobs find it dead at once: one restart
                if not process.alive:
                    if self.restarts >= MAX_RESTARTS_PER_PROCESS * len(self.processes):
                        return await self.fall_back().fetch(source, job, sitemap_max_urls)
                    self.restarts += 1
                    print(f"warning: fetch process {process.index} died; starting it again", file=sys.stderr)
                    await process.start(self.init)
            if not process.alive:
                return await self.fetch(source, job, sitemap_max_urls)
        future = asyncio.get_running_loop().create_future()
        process.send((next(self.ids), source.name, job, sitemap_max_urls), future)
        return await future

    def fall_back(self) -> LocalFetchPool:
        if self.fallback is None:
            print("warning: fetch processes keep dying; fetching in the main process", file=sys.stderr)
            self.fallback_fetcher = Fetcher(**self.fetcher_options)
            self.fallback = LocalFetchPool(self.fallback_fetcher)
        return self.fallback


# ---------------------------------------------------------------------------
# The worker's side


async def serve(in_fd: int, out_fd: int) -> None:
    """Read jobs from ``in_fd``, fetch them concurrently, write outcomes to
    ``out_fd``; return when the parent closes ``in_fd`` or goes away."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(in_fd, "rb", buffering=0))
    out, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(out_fd, "wb", buffering=0))
    init = await read_frame(reader)
    if init is None:
        return
    sources = {s.name: s for s in init["sources"]}
    outbox: list[tuple[int, Fetched]] = []
    tasks: set[asyncio.Task] = set()

    def flush() -> None:
        if outbox and not out.is_closing():
            out.write(frame(outbox[:]))
        outbox.clear()

    async def run_job(request_id: int, source_name: str, job: Job, max_urls: int) -> None:
        try:
            fetched = await fetch_job(fetcher, sources[source_name], job, max_urls)
        except Exception as exc:  # recorded against the page, like a fault in the parent's loop
            fetched = internal_error(job, exc)
        # What the writer needs is already derived; the text would only cost a copy.
        fetched.result.text = fetched.result.body = None
        outbox.append((request_id, fetched))
        if len(outbox) == 1:
            loop.call_soon(flush)

    async with Fetcher(**init["fetcher"]) as fetcher:
        while (batch := await read_frame(reader)) is not None:
            for item in batch:
                task = asyncio.create_task(run_job(*item))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        for task in tasks:
            task.cancel()


def main() -> None:
    out_fd = os.dup(1)
    os.dup2(2, 1)  # a stray print from a library lands on stderr, not in the protocol
    try:
        asyncio.run(serve(0, out_fd))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
