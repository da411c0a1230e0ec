"""One query's result file, written as the engine's Arrow batches arrive (the Athena door's
sink: `<id>.csv` or `<id>.txt`, then `<id>.<ext>.metadata`; the layouts are in results.py).

Nothing is gathered whole: each batch is rendered and appended, so a 10M-row result costs
a batch of memory, not the result.  While it stays under `keep_bytes` the result is also
kept, as text rows for GetQueryResults and as Arrow for the listeners; past it only the
file has it, and `page_offsets` (the byte offset of every PAGE_ROWS-th row) lets pages be
read back from the file without reading what comes before them.

A file appears only complete: a local one is written under a temporary name beside it and
renamed; an S3 one is spooled to PARTHENON_HOME/tmp and uploaded at the end (one object,
multipart when large).  Any failure (a full disk, an unreachable bucket, a cancel) removes
the temporary file, so a failed query leaves no space taken and no partial result.
"""
from __future__ import annotations

import errno
import itertools
import os
import re
import tempfile
import uuid
from pathlib import Path

import pyarrow as pa
from botocore.exceptions import BotoCoreError, ClientError

from ..processes import alive
from ..errors import SYSTEM, ParthenonError
from ..output import csv_line
from ..result import Result
from .. import storage
from ..storage.location import Location
from . import results

PAGE_ROWS = 1000          # GetQueryResults' largest page


class ResultWriteError(ParthenonError):
    code = "HIVE_WRITER_DATA_ERROR"
    category = SYSTEM


_TEMPORARY = re.compile(r"^(?:result-|\..+\.)(\d+)-\w+\.tmp$")


def remove_orphans(folder: Path) -> None:
    """Temporary result files left in `folder` by a process that no longer runs (a crash)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        m = _TEMPORARY.match(entry.name)
        if m and not alive(int(m.group(1))):
            entry.unlink(missing_ok=True)


class ResultWriter:
    def __init__(self, location: str, extension: str, columns: list[dict], keep_bytes: int,
                 spool_dir: Path):
        self.location, self.extension, self.columns = location, extension, columns
        self.keep_bytes = keep_bytes
        self.rows: list[tuple] | None = []        # text rows, while under keep_bytes
        self.batches: list[pa.RecordBatch] | None = []
        self.kept_bytes = 0
        self.row_count = 0
        self.byte_count = 0
        self.page_offsets: list[int] = []         # byte offset of rows 0, PAGE_ROWS, 2*PAGE_ROWS...
        self._file = None
        self._s3 = Location.parse(location).is_s3
        if self._s3:
            spool_dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f"result-{os.getpid()}-", suffix=".tmp", dir=spool_dir)
            os.close(fd)
            self._tmp = Path(name)
        else:
            path = Path(Location.parse(location).path)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex}.tmp")
        self._file = self._guard(lambda: open(self._tmp, "wb"))
        if extension == ".csv" and columns:
            self._append(csv_line([c["Name"] for c in columns]).encode())

    # -- writing
    def write(self, batch: pa.RecordBatch, types: list[str]) -> None:
        rows = results.text_rows_of(batch, types)
        if self.extension == ".csv":
            lines = [csv_line(row).encode() for row in rows]
        else:
            lines = [("\t".join("" if v is None else v for v in row) + "\n").encode()
                     for row in rows]
        first = -self.row_count % PAGE_ROWS     # the first row of this batch that starts a page
        if first < len(lines):
            starts = [0, *itertools.accumulate(len(x) for x in lines)]
            self.page_offsets += [self.byte_count + starts[i]
                                  for i in range(first, len(lines), PAGE_ROWS)]
        self._append(b"".join(lines))
        self.row_count += len(rows)
        if self.rows is not None:
            self.kept_bytes += results.rows_size(rows) + batch.nbytes
            if self.kept_bytes > self.keep_bytes:
                self.rows = self.batches = None        # only the file keeps it from here on
            else:
                self.rows.extend(rows)
                self.batches.append(batch)

    def write_all(self, result: Result, stop=None) -> None:
        """Every batch of the result; `stop()` is asked between batches (a cancel)."""
        types = [c.type for c in result.columns]
        for batch in result.batches():
            if stop is not None and stop():
                return
            self.write(batch, types)

    def table(self, schema: pa.Schema) -> pa.Table | None:
        """The typed rows, if they were kept."""
        return None if self.batches is None else pa.Table.from_batches(self.batches, schema=schema)

    def commit(self, query_id: str) -> None:
        """Publish the file, then its .metadata."""
        self._guard(self._file.close)
        # S3: uploaded (multipart when large); local: renamed over the final name
        self._guard(lambda: storage.move_in(str(self._tmp), self.location))
        self._guard(lambda: results.write_file(self.location + ".metadata",
                                               results.metadata_bytes(query_id, self.columns)))

    def abort(self) -> None:
        try:
            if self._file is not None:
                self._file.close()
        except OSError:
            pass
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> "ResultWriter":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is not None or self._tmp.exists():
            self.abort()     # failed or never committed: leave nothing behind

    def _append(self, data: bytes) -> None:
        self._guard(lambda: self._file.write(data))
        self.byte_count += len(data)

    def _guard(self, call):
        try:
            return call()
        except OSError as e:
            self.abort()
            reason = "No space left on device" if e.errno == errno.ENOSPC else (e.strerror or str(e))
            raise ResultWriteError(f"Error writing the query result to {self.location}: "
                                   f"{reason}") from None
        except (BotoCoreError, ClientError) as e:
            self.abort()
            raise ResultWriteError(f"Error writing the query result to {self.location}: "
                                   f"{e}") from None
