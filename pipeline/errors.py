"""Exceptions and exit codes.

Every error the pipeline raises on purpose derives from :class:`PipelineError`
and carries the exit code the command line should end with, so ``cli.py`` can
turn any of them into a clear message and a meaningful status.
"""

# Exit codes, documented in the README and in ``pipeline --help``.
EXIT_OK = 0  # the run completed (pages that failed are recorded and counted)
EXIT_RUN_FAILED = 1  # a fatal error, or every page the run tried failed
EXIT_BAD_CONFIG = 2  # bad usage or a bad sources.yaml (click uses 2 for usage too)
EXIT_LOCKED = 3  # another run holds the database lock
EXIT_SHRINK = 4  # the new export would be much smaller than the published one: not published
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM (128 + 15)


class PipelineError(Exception):
    """Base class of the pipeline's own errors."""

    exit_code = EXIT_RUN_FAILED


class ConfigError(PipelineError):
    """sources.yaml (or a command-line option) is invalid.

    The message names the file, the source and the key, says what is wrong and
    what is allowed.
    """

    exit_code = EXIT_BAD_CONFIG


class LockHeldError(PipelineError):
    """Another pipeline process is writing to the same database."""

    exit_code = EXIT_LOCKED


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM. Handled like Ctrl-C, so every stage
    unwinds (saving what it must) rather than catching it: asyncio re-raises
    a KeyboardInterrupt out of a task, where any other BaseException would
    only end that task and leave the crawl waiting for it."""


class RunFailedError(PipelineError):
    """The run could not do its job (for example: no page could be fetched)."""

    exit_code = EXIT_RUN_FAILED
