"""The README is a tested script: every command and snippet in it runs as
written, in order, on a fresh copy of the repository after its two set-up
commands, and the output has the shape the README shows. How each kind of
block is checked: tests/readme_script.py."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from readme_script import Session, parse_blocks, parse_console, shape_matches

from conftest import ROOT, SHARED

README = ROOT / "README.md"
INSTALL_PATH = "/srv/health-pipeline"  # where the README's cron line says the project lives


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_copy(target: Path) -> Path:
    """The repository's files (as git sees them, uncommitted ones included) in
    ``target/health-pipeline``, ``shared`` beside it, and this venv."""
    checkout = target / "health-pipeline"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, checkout / name)
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    if SHARED.exists():
        (target / "shared").symlink_to(SHARED)
    # make must see the venv as installed: never reinstall it from the copy.
    stamp = ROOT / ".venv" / ".installed"
    if stamp.exists():
        before = stamp.stat().st_mtime - 1
        os.utime(checkout / "pyproject.toml", (before, before))
    # ... and the modules as compiled, as they are after the set-up commands:
    # a module edited since the last `make` made the copy's `make demo` print
    # its compileall line first, and the README's output check failed.
    compiled = ROOT / ".venv" / ".compiled"
    if compiled.exists():
        before = compiled.stat().st_mtime - 1
        for module in (checkout / "pipeline").rglob("*.py"):
            if module.stat().st_mtime > before:
                os.utime(module, (before, before))
    return checkout


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds}s")


class Reader:
    """A person working through the README in one terminal."""

    def __init__(self, tmp: Path):
        self.checkout = fresh_copy(tmp)
        self.ports = {"8765": str(free_port()), "8001": str(free_port())}
        home = tmp / "home"
        home.mkdir()
        keep = ("PATH", "LANG", "LC_ALL", "TMPDIR")
        self.env = {k: v for k, v in os.environ.items() if k in keep}
        self.env.update(HOME=str(home), TERM="dumb", NO_COLOR="1",
                        DEMO_URL=f"http://127.0.0.1:{self.ports['8765']}",
                        PIPELINE_DEMO_PORT=self.ports["8765"])  # make demo's site on the free port too
        self.session = Session(str(self.checkout), self.env)
        self.failures: list[str] = []

    def localise(self, command: str) -> str:
        for port, free in self.ports.items():
            command = command.replace(f"127.0.0.1:{port}", f"127.0.0.1:{free}").replace(f"--port {port}", f"--port {free}")
        return command.replace(INSTALL_PATH, str(self.checkout))

    def console(self, block) -> None:
        commands = parse_console(block)
        for index, command in enumerate(commands):
            text = self.localise(command.command)
            output, status = self.session.run(text)
            checked_next = index + 1 < len(commands) and commands[index + 1].command.strip() == "echo $?"
            if status != 0 and not checked_next:
                self.failures.append(f"README.md line {command.line}: `{command.command}` exited {status}:\n"
                                     + "\n".join(output[-30:]))
                continue
            if command.expected and not shape_matches(command.expected, output):
                self.failures.append(f"README.md line {command.line}: `{command.command}` printed:\n"
                                     + "\n".join(output[:60]) + "\n--- the README shows:\n" + "\n".join(command.expected))
            if text.rstrip().endswith("&"):
                for free in self.ports.values():
                    if f":{free}" in text or f"--port {free}" in text:
                        wait_for_port(int(free))

    def shell_lines(self, block) -> None:
        for offset, line in enumerate(block.text.splitlines()):
            if line.strip() and not line.lstrip().startswith("#"):
                output, status = self.session.run(self.localise(line))
                if status != 0:
                    self.failures.append(f"README.md line {block.line + 1 + offset}: `{line}` exited {status}:\n"
                                         + "\n".join(output[-20:]))

    def python(self, block) -> None:
        result = subprocess.run([str(self.checkout / ".venv" / "bin" / "python"), "-"], input=block.text, text=True,
                                capture_output=True, cwd=self.checkout, env=self.env, timeout=300)
        if result.returncode != 0:
            self.failures.append(f"README.md line {block.line}: the python snippet failed:\n{result.stderr[-2000:]}")

    def cron(self, block) -> None:
        for offset, line in enumerate(block.text.splitlines()):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            command = line.split(None, 5)[5]
            # cron's environment: /bin/sh, a bare PATH, HOME; nothing of this terminal.
            env = {"PATH": "/usr/bin:/bin", "HOME": self.env["HOME"], "SHELL": "/bin/sh", "LOGNAME": "cron",
                   "DEMO_URL": self.env["DEMO_URL"]}
            result = subprocess.run(["/bin/sh", "-c", self.localise(command)], env=env, cwd="/", capture_output=True,
                                    text=True, timeout=600)
            if result.returncode != 0:
                self.failures.append(f"README.md line {block.line + 1 + offset}: the cron command exited "
                                     f"{result.returncode}:\n{result.stdout[-1000:]}{result.stderr[-2000:]}")

    def yaml(self, block) -> None:
        from pipeline.errors import ConfigError
        from pipeline.sources import parse_config

        try:
            data = yaml.safe_load(block.text)
        except yaml.YAMLError as exc:
            self.failures.append(f"README.md line {block.line}: not valid YAML: {exc}")
            return
        if isinstance(data, dict) and "sources" in data:
            try:
                parse_config(block.text, f"README.md line {block.line}")
            except ConfigError as exc:
                self.failures.append(str(exc))

    def json(self, block) -> None:
        from pipeline.export import RECORD_SCHEMAS

        try:
            data = json.loads(block.text)
        except ValueError as exc:
            self.failures.append(f"README.md line {block.line}: not valid JSON: {exc}")
            return
        if block.directive == "schema":
            unknown = sorted(unknown_keys(data, RECORD_SCHEMAS[block.argument]))
            if unknown:
                self.failures.append(f"README.md line {block.line}: keys the {block.argument} records do not have: "
                                     f"{', '.join(unknown)}")

    def close(self) -> None:
        self.session.close()


def unknown_keys(data, schema, path: str = "") -> set[str]:
    """Keys in ``data`` that the JSON Schema ``schema`` does not describe."""
    if isinstance(data, list):
        items = schema.get("items", {})
        return set().union(*(unknown_keys(d, items, path) for d in data)) if data else set()
    if not isinstance(data, dict):
        return set()
    properties = schema.get("properties", {})
    unknown = {f"{path}{k}" for k in data if properties and k not in properties}
    for key, value in data.items():
        if key in properties:
            unknown |= unknown_keys(value, properties[key], f"{path}{key}.")
    return unknown


RUNNERS = {"console": Reader.console, "bash": Reader.shell_lines, "sh": Reader.shell_lines, "python": Reader.python,
           "cron": Reader.cron, "yaml": Reader.yaml, "json": Reader.json}


def test_every_block_of_the_readme_runs_as_written(tmp_path):
    blocks = parse_blocks(README.read_text(encoding="utf-8"))
    assert sum(b.kind == "console" for b in blocks) >= 5
    skipped = [b for b in blocks if b.directive == "skip"]
    assert all(b.argument for b in skipped), "a skipped block must say why"
    reader = Reader(tmp_path)
    ran = 0
    try:
        for block in blocks:
            if block.directive == "skip" or block.kind not in RUNNERS:
                continue
            RUNNERS[block.kind](reader, block)
            ran += 1
    finally:
        reader.close()
    assert not reader.failures, "\n\n".join(reader.failures)
    assert ran >= 15


# -- the mechanism itself ------------------------------------------------------------------


def test_shapes_match_and_mismatch():
    expected = ["crawl run 1: 178 fetched in 0.9s", "...", "database: …/db/health.db", "done"]
    actual = ["crawl run 1: 178 fetched in 1.4s", "a", "b", "database: /tmp/x/db/health.db", "done"]
    assert shape_matches(expected, actual)
    assert not shape_matches(expected, ["crawl run 1: 179 fetched in 1.4s", "database: /x/db/health.db", "done"])
    assert not shape_matches(["2"], ["0"])  # whole numbers (exit codes, counts) are exact
    assert shape_matches(["at 2026-01-01T03:17:00+00:00 on http://127.0.0.1:8765/"],
                         ["at 2026-11-25T12:00:44+00:00 on http://127.0.0.1:40123/"])
    assert not shape_matches(["one line"], ["one line", "and another"])


def test_blocks_and_directives_are_parsed(tmp_path):
    text = ("intro\n<!-- readme-test: skip runs forever -->\n```console\n$ make serve\n```\n"
            "```console\n$ echo a\n> b\na b\n$ false\n$ echo $?\n1\n```\n"
            "<!-- readme-test: schema articles -->\n\n```json\n{\"id\": \"x\"}\n```\n")
    blocks = parse_blocks(text)
    assert [(b.kind, b.directive, b.argument) for b in blocks] == [
        ("console", "skip", "runs forever"), ("console", None, ""), ("json", "schema", "articles")]
    commands = parse_console(blocks[1])
    assert [(c.command, c.expected) for c in commands] == [("echo a\nb", ["a b"]), ("false", []), ("echo $?", ["1"])]
    session = Session(str(tmp_path), {"PATH": os.environ["PATH"]})
    try:
        assert session.run("cd /tmp && export X=1") == ([], 0)
        assert session.run("echo $X; pwd; printf 'no newline'") == (["1", "/tmp", "no newline"], 0)
        assert session.run("false")[1] == 1
        assert session.run("echo $?") == (["1"], 0)  # as in a terminal: the last command's status
    finally:
        session.close()
