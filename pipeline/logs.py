"""Logging for people and for cron: every line with its time (UTC, ISO 8601)
and level, on stderr and, with ``--log-file``, appended to a file.

stdout stays for results (summary lines, JSON); log records go to stderr, so
``pipeline run --json > summary.json`` stays clean. Levels: ``-q`` errors
only, default warnings, ``-v`` info (every stage's summary line), ``-vv``
debug. The log file always gets info and above (debug with ``-vv``), so a
cron job's file tells what each night did.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

LOGGER = "pipeline"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + f".{int(record.msecs):03d}Z"


class NotForConsole(logging.Filter):
    """Drops records the command line already printed in its own words."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "console", True)


def setup_logging(verbosity: int = 0, log_file: str | None = None) -> logging.Logger:
    """Configure the ``pipeline`` logger: ``verbosity`` -1 (quiet) .. 2 (debug)."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    console_level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    formatter = UTCFormatter(FORMAT)
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(formatter)
    console.addFilter(NotForConsole())
    logger.addHandler(console)
    level = console_level
    if log_file:
        path = Path(log_file)
        path.parent.mkdir(parents=True, exist_ok=True)  # cron's logs/ folder need not exist yet
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
        handler.setFormatter(formatter)
        logger.addHandler(handler)
        level = min(level, handler.level)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def get_logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{name}" if name else LOGGER)
