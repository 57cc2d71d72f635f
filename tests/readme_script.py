"""The README as a script: its fenced blocks, parsed, run and compared.

Every fenced block of README.md is checked by its kind, so a block added to
the README is tested without touching this file:

- ``console``: ``$ `` starts a command (``> `` continues it), the lines
  after it are its expected output. All console blocks run in order in ONE
  bash session in a fresh copy of the repository, as a reader pasting them
  into one terminal would (``cd``, ``source``, ``export`` and background
  jobs carry over). A command that exits non-zero fails the test unless the
  next command is ``echo $?``, whose output is then compared like any other.
- ``python``: run by the venv's python in the copy; must exit 0.
- ``bash`` / ``sh``: each line run in the session; must exit 0.
- ``cron``: each entry's command run by /bin/sh with cron's bare
  environment, the README's install path replaced by the copy; must exit 0.
- ``yaml``: must parse; a document with ``sources`` must be a valid sources file.
- ``json``: must parse; ``<!-- readme-test: schema NAME -->`` before it also
  checks every key against the export's record schema NAME.

Output comparison is by shape: ``...`` (or ``…``) alone on a line matches
any number of lines, and inside a line any text; ISO times, decimal numbers
(durations, scores) and loopback ports match any value; whole numbers and
all other text must be as written.

A block preceded by ``<!-- readme-test: skip REASON -->`` is not run (the
reason is required: only commands that cannot run inside a test, such as
``make test`` itself or a server in the foreground, should be skipped).

The services a reader would have at hand are given to the session: the
demo site's port 8765 and Datasette's 8001 are replaced by free ports (the
tests never bind fixed ports), and ``DEMO_URL`` points at the former.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
import uuid
from dataclasses import dataclass, field

FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"<!--\s*readme-test:\s*(\w[\w-]*)\s*(.*?)\s*-->")


@dataclass
class Block:
    kind: str  # the fence's info string: console, python, yaml, ...
    text: str
    line: int  # 1-based line of the opening fence
    directive: str | None = None  # skip, schema, ... from the comment before it
    argument: str = ""


@dataclass
class Command:
    command: str
    expected: list[str] = field(default_factory=list)
    line: int = 0


def parse_blocks(markdown: str) -> list[Block]:
    """Every fenced block, with the readme-test directive written just before it."""
    blocks: list[Block] = []
    lines = markdown.splitlines()
    i = 0
    pending: tuple[str, str] | None = None
    while i < len(lines):
        match = FENCE.match(lines[i])
        directive = MARKER.search(lines[i])
        if directive:
            pending = (directive.group(1), directive.group(2))
        elif match:
            start = i
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            block = Block(match.group(1).lower(), "\n".join(body), start + 1)
            if pending:
                block.directive, block.argument = pending
            blocks.append(block)
            pending = None
        elif lines[i].strip():
            pending = None  # a directive applies to the very next block only
        i += 1
    return blocks


def parse_console(block: Block) -> list[Command]:
    commands: list[Command] = []
    for offset, line in enumerate(block.text.splitlines()):
        if line.startswith("$ "):
            commands.append(Command(line[2:], [], block.line + 1 + offset))
        elif line.startswith("> ") and commands and not commands[-1].expected:
            commands[-1].command += "\n" + line[2:]
        elif commands:
            commands[-1].expected.append(line)
        elif line.strip():
            raise ValueError(f"README.md line {block.line + 1 + offset}: output before any $ command: {line!r}")
    return commands


# -- comparing output by shape ------------------------------------------------------

NORMALISERS = [
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?"), "<time>"),
    (re.compile(r"(?:127\.0\.0\.1|localhost):\d+"), "127.0.0.1:<port>"),
    (re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])"), "<num>"),
]
ANY_LINES = {"...", "…"}


def normalise(line: str) -> str:
    line = line.rstrip()
    for pattern, replacement in NORMALISERS:
        line = pattern.sub(replacement, line)
    return line


def line_pattern(expected: str) -> re.Pattern:
    parts = re.split(r"\.\.\.|…", normalise(expected))
    return re.compile(".*".join(re.escape(p) for p in parts) + r"\Z", re.S)


def shape_matches(expected: list[str], actual: list[str]) -> bool:
    """Does the actual output have the expected shape (see the module doc)?"""
    expected = [e for e in expected]
    actual = [normalise(a) for a in actual]
    while actual and not actual[-1]:
        actual.pop()
    while expected and not expected[-1].strip():
        expected.pop()
    patterns = [None if e.strip() in ANY_LINES else line_pattern(e) for e in expected]
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(patterns):
            result = j == len(actual)
        elif patterns[i] is None:
            result = match(i + 1, j) or (j < len(actual) and match(i, j + 1))
        else:
            result = j < len(actual) and bool(patterns[i].match(actual[j])) and match(i + 1, j + 1)
        memo[key] = result
        return result

    return match(0, 0)


# -- one terminal ---------------------------------------------------------------------


class Session:
    """One bash session, fed commands as a person types them."""

    def __init__(self, cwd: str, env: dict[str, str]):
        self.proc = subprocess.Popen(["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, cwd=cwd, env=env, text=True, bufsize=1,
                                     start_new_session=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def run(self, command: str, timeout: float = 300) -> tuple[list[str], int]:
        """Run one command (its stdin is /dev/null); return its output lines and exit status."""
        marker = f"__readme_done_{uuid.uuid4().hex}__"
        # The status is printed after the command and then restored, so a following `echo $?` sees it.
        self.proc.stdin.write(f"{{ {command}\n}} < /dev/null\n__status=$?; printf '%s %s\\n' {marker} $__status; "
                              "(exit $__status)\n")
        self.proc.stdin.flush()
        output: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(f"no end after {timeout}s: {command}") from None
            if line is None:
                raise RuntimeError(f"the shell ended during: {command}\n{''.join(output)}")
            if marker in line:
                before, _, status = line.partition(marker)
                if before:
                    output.append(before)
                return [l.rstrip("\n") for l in output], int(status.strip())
            output.append(line)

    def close(self) -> None:
        """End the session and every job it started in the background (its own process group)."""
        try:
            os.killpg(self.proc.pid, 15)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait(10)
