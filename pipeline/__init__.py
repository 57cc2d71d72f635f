"""A polite, incremental pipeline that crawls health sites and curates their
treatments and exercises into SQLite.

Stages, each a module of small functions over plain data:
sources -> fetch -> crawl (pages) -> extract (records) -> dedupe -> recommend -> export.
"""

__version__ = "0.1.0"
