"""A polite, incremental pipeline that crawls health sites and curates their
treatments and exercises into SQLite.

Stages, each a module of small functions over plain data:
sources -> fetch -> crawl (pages) -> extract (records) -> dedupe -> recommend -> export.
"""

import sys

__version__ = "0.1.0"


def _import_sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils with pandas and numpy hidden from it.

    sqlite-utils imports pandas, when it is installed (the Ray extra brings
    it), only to map ``pandas.Timestamp`` values to TEXT columns, and numpy
    (scikit-learn brings it) only to map numpy scalars to column types.
    Those imports are 0.4 s and 0.06 s of every start of every command: a
    sixth and a fortieth of a 2,000-page crawl as cron times it. No stage
    lets sqlite-utils infer a column from a pandas or numpy value (the
    schema is written out in :mod:`pipeline.db`), and both stay importable
    for whoever needs them afterwards.
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]  # one already in use is not hidden
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import numpy" raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_sqlite_utils_without_pandas()
