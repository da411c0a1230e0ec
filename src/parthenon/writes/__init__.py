"""The write path: CTAS, INSERT INTO and UNLOAD, from a query's Arrow batches to committed files.

The engine only reads: it streams the query's rows as Arrow batches (it has no
right to write files); the writers here turn them into standard files with
pyarrow / fastavro, stage them, land them, and change the catalog last
(`staging.py`).  Every write also leaves Athena's bookkeeping: the manifest
`<output>/<query-id>-manifest.csv` listing every data file written, the number of
rows written (UpdateCount) and the bytes the query read.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Callable, Iterator

import pyarrow as pa

from .. import config, storage
from ..result import DML, Result

WRITES_BATCH_ROWS = 65536


@dataclass
class WriteContext:
    """Where a statement's writes go: the query's id and its result folder (ending in '/').

    The Athena service passes its own; the DB-API and CLI use a fresh id and
    `<PARTHENON_HOME>/query-results/`, the folder `parthenon serve` also defaults to, so a
    CTAS without external_location writes to `<PARTHENON_HOME>/query-results/tables/<id>/`."""
    query_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    output_dir: str | None = None
    cancelled: Callable[[], bool] = lambda: False
    bytes_cutoff: int | None = None       # the workgroup's BytesScannedCutoffPerQuery

    def stop_reason(self, scanned: int) -> str | None:
        """Why the write must not commit (cancelled, or over the scan limit), if it must not."""
        if self.cancelled():
            return "Query cancelled by user"
        if self.bytes_cutoff and scanned > self.bytes_cutoff:
            return (f"Query cancelled: it scanned {scanned} bytes, more than the workgroup's "
                    f"data usage limit of {self.bytes_cutoff} bytes per query")
        return None

    def results_folder(self) -> str:
        if self.output_dir:
            return self.output_dir if self.output_dir.endswith("/") else self.output_dir + "/"
        return str(config.home() / "query-results") + "/"


@dataclass
class QueryRows:
    """A query's result, streamed: its schema, its batches, the bytes it read so far."""
    schema: pa.Schema
    batches: Iterator[pa.RecordBatch]
    bytes_scanned: Callable[[], int]
    types: list[str]            # each column's Athena type (the Arrow type may be its text)
    # each column's name as Trino names it (a repeated name stays repeated; the engine's
    # schema may have renamed it: id_1)
    names: list[str] | None = None


def write_manifest(ctx: WriteContext, files: list[str]) -> str:
    """`<query-id>-manifest.csv`: one written data file a line, as Athena lists them."""
    location = f"{ctx.results_folder()}{ctx.query_id}-manifest.csv"
    storage.put(location, "".join(f"{url}\n" for url in sorted(files)).encode())
    return location


def written(rows: int, files: list[str], ctx: WriteContext, scanned: int, message: str,
            **timing) -> Result:
    result = Result.empty(DML, message=message)
    result.update_count = rows
    result.manifest_location = write_manifest(ctx, files)
    result.data_scanned_bytes = scanned
    for key, value in timing.items():
        setattr(result, key, value)
    return result
