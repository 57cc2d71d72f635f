"""The pipeline past one machine: the batch stages and the crawl on an
existing distributed engine (Ray), as an optional extra.

- :mod:`~pipeline.distributed.steps`: the stages as plain steps over
  batches of plain data (no engine);
- :mod:`~pipeline.distributed.batch`: the batch job's order, completion
  markers and manifest, over any :class:`~pipeline.distributed.batch.Engine`;
- :mod:`~pipeline.distributed.crawling`: hosts partitioned for crawler
  actors, each partition crawled by the ordinary crawler;
- :mod:`~pipeline.distributed.ray_engine`: the adapter to Ray (the only
  module that imports it);
- :mod:`~pipeline.distributed.load`: the result into the SQLite database;
- :mod:`~pipeline.distributed.storage`: the Parquet dataset on a folder or URL.

SQLite and the single process stay the default; nothing here is imported
unless ``--engine ray`` or ``pipeline load`` asks for it.
"""
