"""A finished query's outcome as the API reads it: GetQueryResults pages (a header row
first for a CSV result, NextToken an offset into the rows) and GetQueryRuntimeStatistics.
Rows come from the in-memory cache, or after a restart or eviction from the result file,
read a page at a time (`result_pages.py`)."""
from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from ..errors import ParthenonError
from . import result_pages, results
from .errors import InvalidRequest
from .models import QUEUED, RUNNING, SUCCEEDED, QueryExecution
from .paging import max_results, next_token, offset
from .query_lifecycle import QueryExecutions


class QueryResults:
    def __init__(self, executions: QueryExecutions, cache: results.RowCache):
        self.executions = executions
        self.cache = cache

    def get_query_results(self, p: dict) -> dict:
        q = self.executions.require(p.get("QueryExecutionId"))
        if q.state != SUCCEEDED:
            if q.state in (QUEUED, RUNNING):
                raise InvalidRequest(f"Query has not yet finished. Current state: {q.state}")
            raise InvalidRequest(f"Query did not finish successfully. Final query state: {q.state}")
        size = max_results(p, 1000, 1000)
        start = offset(p.get("NextToken"))
        kind = p.get("QueryResultType") or "DATA_ROWS"
        if kind not in ("DATA_ROWS", "DATA_MANIFEST"):
            raise InvalidRequest(f"Invalid QueryResultType {kind}: DATA_ROWS or DATA_MANIFEST")
        if kind == "DATA_MANIFEST":
            return self._manifest_page(q, start, size)
        header = 1 if q.has_header and q.columns else 0
        total = self._row_count(q) + header
        end = min(start + size, total)
        page = []
        if start == 0 and header:
            page.append({"Data": [{"VarCharValue": c["Name"]} for c in q.columns]})
        lo, hi = max(start - header, 0), end - header
        page += [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]}
                 for row in self._rows(q, lo, hi)]
        out = {"UpdateCount": q.update_count or 0, "ResultSet": {
            "Rows": page, "ResultSetMetadata": {"ColumnInfo": q.columns or []}}}
        if end < total:
            out["NextToken"] = next_token(end)
        return out

    def _manifest_page(self, q: QueryExecution, start: int, size: int) -> dict:
        """The data files a CTAS, INSERT INTO or UNLOAD wrote, one a row, from its manifest."""
        if not q.manifest_location:
            raise InvalidRequest("The query has no data manifest: only CTAS, INSERT INTO and "
                                 "UNLOAD queries write one")
        try:
            files = results.read_file(q.manifest_location).decode().splitlines()
        except (OSError, ParthenonError) as e:
            raise InvalidRequest(f"Could not find the data manifest: {e}") from None
        out = {"UpdateCount": q.update_count or 0, "ResultSet": {
            "Rows": [{"Data": [{"VarCharValue": f}]} for f in files[start:start + size]],
            "ResultSetMetadata": {"ColumnInfo": []}}}
        if start + size < len(files):
            out["NextToken"] = next_token(start + size)
        return out

    def _row_count(self, q: QueryExecution) -> int:
        rows = self.cache.get(q.result_id)
        if rows is not None:
            return len(rows)
        if q.extension == ".csv":
            return q.output_rows
        return len(self._all_rows(q))

    def _rows(self, q: QueryExecution, lo: int, hi: int) -> list[tuple]:
        rows = self.cache.get(q.result_id)
        if rows is not None:
            return rows[lo:hi]
        if q.extension != ".csv":          # SHOW / DESCRIBE: small, read whole
            return self._all_rows(q)[lo:hi]
        try:   # after a restart or eviction: the result file is the truth, read by page
            offsets = self.cache.get_offsets(q.result_id)
            if offsets is None:
                offsets = result_pages.page_offsets(q.output_location)
                self.cache.put_offsets(q.result_id, offsets)
            return result_pages.read_rows(q.output_location, offsets, lo, hi)
        except (OSError, ParthenonError, BotoCoreError, ClientError) as e:
            raise InvalidRequest(f"Could not find results: {e}") from None

    def _all_rows(self, q: QueryExecution) -> list[tuple]:
        rows = self.cache.get(q.result_id)
        if rows is None:
            try:
                text = results.read_file(q.output_location).decode()
            except (OSError, ParthenonError) as e:
                raise InvalidRequest(f"Could not find results: {e}") from None
            rows = results.parse_txt(text)
            self.cache.put(q.result_id, rows)
        return rows

    def get_query_runtime_statistics(self, p: dict) -> dict:
        q = self.executions.require(p.get("QueryExecutionId"))
        timeline = q.timeline()
        timeline.pop("ServicePreProcessingTimeInMillis", None)
        return {"QueryRuntimeStatistics": {
            "Timeline": {**timeline, "ServicePreProcessingTimeInMillis": 0},
            "Rows": {"InputBytes": q.data_scanned, "OutputBytes": q.output_bytes,
                     "OutputRows": q.output_rows}}}
