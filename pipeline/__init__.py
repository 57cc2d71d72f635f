"""A polite, incremental pipeline that crawls health sites and curates their
treatments and exercises into SQLite.

Stages, each a module of small functions over plain data:
sources -> fetch -> crawl (pages) -> extract (records) -> dedupe -> recommend -> export.
"""

import sys

__version__ = "0.1.0"


def _import_sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils with pandas hidden from it.

    sqlite-utils imports pandas, when it is installed (the Ray extra brings
    it), only to map ``pandas.Timestamp`` values to TEXT columns.
    That import is 0.4 s of every start of every command: a sixth of a
    2,000-page crawl as cron times it. No stage inserts pandas values, and
    pandas stays importable for whoever needs it afterwards.
    """
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # "import pandas" raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]


_import_sqlite_utils_without_pandas()
