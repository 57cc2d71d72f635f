"""Where a distributed run keeps its output: a folder or any URL pyarrow (or
fsspec) can write, laid out as a partitioned Parquet dataset with
completion markers.

Layout under the dataset root::

    extract/<table>/<partition>.parquet   one file per input partition and table
    dedupe/duplicate_pairs.parquet        the verified pairs of the whole corpus
    finish/<table>.parquet                clusters, entities, curation, recommendations, ...
    _markers/<stage>/<name>.json          written last: "this piece is complete"
    manifest.json                         written last of all: what `pipeline load` reads

Every file is written under a temporary name and then moved into place (on
object stores a PUT is atomic already), and its marker only after it, so a
task killed midway leaves no half file that a later step could read; a task
retried by the engine writes the same names again, so nothing is doubled.
This is datatrove's scheme: a re-run skips every piece whose marker is there
and whose inputs have not changed (the marker keeps a fingerprint of them).
"""

from __future__ import annotations

import io
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq


def resolve(url: str) -> tuple[pafs.FileSystem, str]:
    """A pyarrow filesystem and the path inside it for a folder or URL
    (``/data/ds``, ``file:///data/ds``, ``s3://bucket/ds``, ``gs://...``;
    other fsspec protocols when fsspec knows them)."""
    if "://" not in url:
        return pafs.LocalFileSystem(), str(Path(url).resolve())
    try:
        return pafs.FileSystem.from_uri(url)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        import fsspec
        from pyarrow.fs import FSSpecHandler, PyFileSystem

        fs, path = fsspec.core.url_to_fs(url)
        return PyFileSystem(FSSpecHandler(fs)), path


@dataclass(frozen=True)
class DatasetStore:
    """The dataset at ``url``. Plain data (just the URL), so it travels to
    worker processes; the filesystem is resolved where it is used."""

    url: str

    @property
    def fs(self) -> pafs.FileSystem:
        return resolve(self.url)[0]

    def path(self, *parts: str) -> str:
        root = resolve(self.url)[1].rstrip("/")
        return "/".join([root, *parts])

    def _write_bytes(self, relative: str, data: bytes) -> None:
        fs = self.fs
        final = self.path(relative)
        parent = final.rsplit("/", 1)[0]
        fs.create_dir(parent, recursive=True)
        temporary = f"{final}.tmp-{uuid.uuid4().hex[:8]}"
        with fs.open_output_stream(temporary) as out:
            out.write(data)
        fs.move(temporary, final)

    def write_table(self, relative: str, table: pa.Table) -> None:
        """One Parquet file, in place at once (zstd: text compresses well)."""
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        self._write_bytes(relative, buffer.getvalue())

    def read_table(self, relative: str, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(self.path(relative), filesystem=self.fs, columns=columns)

    def exists(self, relative: str) -> bool:
        return self.fs.get_file_info(self.path(relative)).type != pafs.FileType.NotFound

    def write_json(self, relative: str, value) -> None:
        self._write_bytes(relative, json.dumps(value, indent=1, sort_keys=True).encode("utf-8"))

    def read_json(self, relative: str):
        with self.fs.open_input_stream(self.path(relative)) as handle:
            return json.loads(handle.read().decode("utf-8"))

    # -- completion markers --------------------------------------------------

    def marker(self, stage: str, name: str) -> dict | None:
        """The marker of a finished piece, or None if it never finished."""
        relative = f"_markers/{stage}/{name}.json"
        if not self.exists(relative):
            return None
        try:
            return self.read_json(relative)
        except (OSError, ValueError):
            return None  # unreadable: done again

    def done(self, stage: str, name: str, fingerprint: str) -> bool:
        found = self.marker(stage, name)
        return found is not None and found.get("fingerprint") == fingerprint

    def mark(self, stage: str, name: str, fingerprint: str, **info) -> None:
        self.write_json(f"_markers/{stage}/{name}.json", {"fingerprint": fingerprint, **info})

    def unmark(self, stage: str, name: str) -> None:
        path = self.path(f"_markers/{stage}/{name}.json")
        if self.exists(f"_markers/{stage}/{name}.json"):
            self.fs.delete_file(path)


def is_local(url: str) -> bool:
    return "://" not in url or url.startswith("file://")


def local_path(url: str) -> str:
    """The local folder of a plain path or file:// URL."""
    return url[len("file://"):] if url.startswith("file://") else os.path.abspath(url)
