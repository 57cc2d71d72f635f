"""Worker processes that die with the job that started them.

A pool worker made by fork() inherits the job's descriptors, the run lock's
among them: if the job is killed, such a worker would keep the lock (every
later run then exits 3 naming a dead pid) and wait forever on a queue
nobody writes. :func:`worker_init`, run first in every worker, closes the
inherited lock and asks the kernel to kill the worker when its parent dies
(Linux's PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, sig: int = signal.SIGKILL) -> None:
    """Have the kernel send ``sig`` to this process when its parent exits;
    exit at once if the parent is already gone. A no-op where unsupported."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def worker_init(parent_pid: int) -> None:
    """Initializer for pool workers (``ProcessPoolExecutor(initializer=...)``)."""
    from pipeline.db import release_inherited_locks

    release_inherited_locks()
    die_with_parent(parent_pid)
    # The parent decides what a Ctrl-C or SIGTERM means; a worker just stops when told.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
