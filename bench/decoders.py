#!/usr/bin/env python
"""Benchmark: which JSON decoder could replace DuckDB's for the raw CloudTrail scan (issue 14).

    .venv/bin/pip install chdb          # not a project dependency (see bench/DECODERS.md)
    .venv/bin/python bench/decoders.py                  # the 1 GB trail (~200 gzip files), 5 runs
    .venv/bin/python bench/decoders.py --shape small    # 10,000 small files
    .venv/bin/python bench/decoders.py --only parthenon,chdb-strict
    .venv/bin/python bench/decoders.py --shape s3 --s3 --only parthenon-usual,parthenon
                                        # the files in moto's S3 server on loopback (--s3)

Every system answers the seed query over the same gzip files of bench/peers.py's trail, in
its own worker process of the project's venv, round-robin (one warm-up round, not counted).
The candidates decode the records into Arrow and DuckDB aggregates them, the shape a
decoder inside Parthenon's scan would have:

- parthenon-usual: the usual scan (CloudTrailSerde table, DuckDB's JSON reader), scan cache off.
- parthenon: the same table with the fast scan (engine/duckdb/fast_cloudtrail.py, chdb).
- chdb-query: ClickHouse answering the whole query itself (bench/peers.py's chdb), the
  reference the issue's 1,210 MB/s comes from.
- chdb-decoder: ClickHouse decodes only the four fields the query uses, keys matched
  exactly: the most any chdb-based scan could gain, keeping none of the SerDe's rules.
- chdb-strict: the cheapest way found to make ClickHouse *notice* what it cannot do
  like the SerDe (keys in another case, keys it does not know): every documented key of a
  record and of userIdentity declared, unknown keys an error
  (input_format_json_ignore_unknown_keys_in_named_tuple=0) so that such a file could fall
  back.  Numbers and booleans must still be read as text (CloudTrail's readOnly and
  managementEvent are JSON booleans in STRING columns), and an object in a STRING column
  still passes as its raw text (DuckDB, and so Parthenon, gives its minified text), so even
  this keeps fewer rules than needed.
- pyarrow-json: pyarrow's NDJSON reader over the trail rewritten as one record per line
  (peers-SHAPE/ndjson, made once; the rewriting not counted), the needed fields only, keys exact.

Printed: median wall, MB/s of JSON (2**20 bytes), median CPU seconds and CPU-s per GB of
JSON (the load-independent figure on a shared machine), and the load average before and
after.  Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402

THROTTLE = peers.THROTTLE
AGGREGATE = f"""SELECT eventname, arn, sourceipaddress, count(*) AS c FROM decoded
WHERE errorcode = '{THROTTLE}' GROUP BY ALL ORDER BY c DESC LIMIT 20"""

# CloudTrail's documented record fields and userIdentity fields (formats.cloudtrail spells
# them all in one flat list; the strict schema needs them per level).
RECORD_KEYS = """eventVersion userIdentity eventTime eventSource eventName awsRegion sourceIPAddress
    userAgent errorCode errorMessage requestParameters responseElements additionalEventData requestID
    eventID resources eventType apiVersion readOnly recipientAccountId serviceEventDetails sharedEventID
    vpcEndpointId vpcEndpointAccountId eventCategory managementEvent tlsDetails
    sessionCredentialFromConsole edgeDeviceDetails insightDetails addendum""".split()
IDENTITY_KEYS = """type principalId arn accountId invokedBy accessKeyId userName sessionContext
    webIdFederationData onBehalfOf credentialId identityProvider inScopeOf sourceIdentity""".split()
NEEDED = {"eventName", "sourceIPAddress", "errorCode"}


def _duckdb():
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads = 2")
    return con


def setup_parthenon_usual(m: dict):
    """Parthenon with the fast scan switched off: the scan before it (DuckDB's JSON reader)."""
    os.environ["PARTHENON_FAST_SCAN"] = "0"
    return peers.setup_parthenon(m)


def setup_parthenon_fast(m: dict):
    """Parthenon with the fast scan whatever the files' sizes (no MIN_MEAN_FILE_BYTES rule)."""
    from parthenon.engine.duckdb import fast_cloudtrail
    fast_cloudtrail.MIN_MEAN_FILE_BYTES = 0
    return peers.setup_parthenon(m)


def setup_parthenon_fetch16(m: dict):
    """Parthenon's fast scan with 16 remote files read in order fetched at once (8 today)."""
    from parthenon.engine.duckdb import virtual_fs
    virtual_fs.MEMBER_FETCHES = 16
    return peers.setup_parthenon(m)


def setup_chdb_strict(m: dict):
    import chdb
    text = "Nullable(String)"
    identity = "Nullable(Tuple(" + ", ".join(f"{k} {text}" for k in IDENTITY_KEYS) + "))"
    fields = ", ".join(f"{k} {identity if k == 'userIdentity' else text}" for k in RECORD_KEYS)
    decode = f"""SELECT r.eventName AS eventname, r.userIdentity.arn AS arn, r.sourceIPAddress AS sourceipaddress,
       r.errorCode AS errorcode
FROM file('{peers._glob(m)}', 'JSONEachRow', 'Records Array(Tuple({fields}))') ARRAY JOIN Records AS r
SETTINGS max_threads = 2, input_format_json_ignore_unknown_keys_in_named_tuple = 0"""
    con = _duckdb()

    def run():
        decoded = chdb.query(decode, "ArrowTable")     # noqa: F841 (read by name below)
        return con.execute(AGGREGATE).fetchall()
    return run


# A file is a CloudTrail log file as the fast path would read it only if it opens so.
WRAPPER = re.compile(rb'\s*\{\s*"Records"\s*:\s*\[')
RULES = {   # ClickHouse settings under which every divergence from today's scan is an error
    "input_format_skip_unknown_fields": 0,                   # only Records at the top (once)
    "input_format_json_read_objects_as_strings": 0,          # raw text, not DuckDB's minified text
    "input_format_json_read_arrays_as_strings": 0,
    "input_format_json_read_numbers_as_strings": 0,          # '1.50' where DuckDB gives '1.5'
    "input_format_allow_errors_num": 0, "input_format_allow_errors_ratio": 0,
}


def setup_chdb_rules(m: dict):
    """The fast path's prototype, keeping today's rules: the stored bytes read in Python (as
    the virtual filesystem counts them), each file's opening checked (inflating its first KB),
    handed to ClickHouse as files in a tmpfs folder (a glob over /proc/self/fd memfds matches
    nothing), Records per file as one Arrow list (exactly one row
    per file, or the file would fall back), flattened, aggregated by DuckDB."""
    import zlib

    import chdb
    import pyarrow as pa
    import pyarrow.compute as pc
    text = "Nullable(String)"
    records = (f"Records Array(Tuple(eventName {text}, userIdentity Nullable(Tuple(arn {text})), "
               f"sourceIPAddress {text}, errorCode {text}))")
    settings = ", ".join(f"{k} = {v}" for k, v in {"max_threads": 2, **RULES}.items())
    con = _duckdb()

    def opens_as_log(stored: bytes) -> bool:
        head = zlib.decompressobj(47).decompress(stored[:1024], 64)
        return WRAPPER.match(head) is not None

    def run():
        folder = tempfile.mkdtemp(prefix="parthenon-ct-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        try:
            for i, f in enumerate(m["files"]):
                stored = Path(f).read_bytes()
                if not opens_as_log(stored):
                    raise RuntimeError(f"{f} would fall back")
                Path(folder, f"{i}.json.gz").write_bytes(stored)
            table = chdb.query(f"SELECT _file, Records FROM file('{folder}/*.json.gz', 'JSONEachRow', '{records}', "
                               f"'gzip') SETTINGS {settings}", "ArrowTable")
        finally:
            shutil.rmtree(folder)
        files = len(m["files"])
        if table.num_rows != files or pc.count_distinct(table["_file"]).as_py() != files:
            raise RuntimeError("a file was not one JSON object: it would fall back")
        flat = pc.list_flatten(table["Records"])
        decoded = pa.table({"eventname": pc.struct_field(flat, "eventName"),       # noqa: F841
                            "arn": pc.struct_field(pc.struct_field(flat, "userIdentity"), "arn"),
                            "sourceipaddress": pc.struct_field(flat, "sourceIPAddress"),
                            "errorcode": pc.struct_field(flat, "errorCode")})
        return con.execute(AGGREGATE).fetchall()
    return run


def setup_pyarrow_json(m: dict):
    import pyarrow as pa
    import pyarrow.json as pj
    from concurrent.futures import ThreadPoolExecutor
    pa.set_cpu_count(2)
    files = _ndjson_copy(m)
    schema = pa.schema([("eventName", pa.string()), ("userIdentity", pa.struct([("arn", pa.string())])),
                        ("sourceIPAddress", pa.string()), ("errorCode", pa.string())])
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    con = _duckdb()

    def one(f):
        with pa.input_stream(str(f), compression="gzip") as stream:
            t = pj.read_json(stream, parse_options=options, read_options=pj.ReadOptions(use_threads=False))
        return pa.table({"eventname": t["eventName"], "arn": pc_field(t["userIdentity"], "arn"),
                         "sourceipaddress": t["sourceIPAddress"], "errorcode": t["errorCode"]})

    def run():
        with ThreadPoolExecutor(2) as pool:
            decoded = pa.concat_tables(pool.map(one, files))      # noqa: F841
        return con.execute(AGGREGATE).fetchall()
    return run


def _ndjson_copy(m: dict) -> list[Path]:
    """The trail's files rewritten as one record per line, gzip, beside the trail (made once)."""
    import gzip

    import orjson
    trail = Path(m["location"]).parents[2]
    out = []
    for f in m["files"]:
        target = trail.parent / "ndjson" / Path(f).relative_to(trail)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            records = orjson.loads(gzip.decompress(Path(f).read_bytes()))["Records"]
            temp = target.with_suffix(".tmp")
            temp.write_bytes(gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in records), 6))
            temp.replace(target)
        out.append(target)
    return out


def pc_field(column, name):
    import pyarrow.compute as pc
    return pc.struct_field(column, name)


SYSTEMS = {   # name: (setup, runs in the peers' venv (never here), what it reads)
    "parthenon-usual": (setup_parthenon_usual, False, "Parthenon, PARTHENON_FAST_SCAN=0: DuckDB's JSON reader"),
    "parthenon": (peers.setup_parthenon, False, "Parthenon as installed (with chdb: the fast scan)"),
    "parthenon-fast": (setup_parthenon_fast, False, "Parthenon, the fast scan whatever the files' sizes"),
    "parthenon-fetch16": (setup_parthenon_fetch16, False, "Parthenon's fast scan, 16 S3 fetches in flight (MEMBER_FETCHES)"),
    "chdb-query": (peers.setup_chdb, False, "chdb answers the whole query itself (keys exact): the reference"),
    "chdb-decoder": (peers.setup_chdb_decoder, False, "chdb decodes the 4 used fields (keys exact) to Arrow, DuckDB aggregates"),
    "chdb-rules": (setup_chdb_rules, False, "the fast path's prototype keeping today's rules (see setup_chdb_rules)"),
    "chdb-strict": (setup_chdb_strict, False, "chdb, every documented key declared, unknown keys an error, to Arrow, DuckDB aggregates"),
    "pyarrow-json": (setup_pyarrow_json, False, "pyarrow.json over one record per line (rewriting not counted), DuckDB aggregates"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", choices=["big", "small", "s3"], default="big")
    ap.add_argument("--s3", action="store_true", help="read the files from moto's S3 server on loopback")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default=str(peers.REPO / "bench" / "data"))
    ap.add_argument("--only", help="comma-separated systems (default: all)")
    ap.add_argument("--base-src", help="also run the parthenon* systems from this src folder, as NAME@base")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        peers.SYSTEMS.update(SYSTEMS)
        peers.worker(*args.worker)
        return 0
    size_mb, per_hour = peers.SHAPES[args.shape]
    data_dir = Path(args.dir).resolve() / f"peers-{args.shape}"
    m = peers.ensure_trail(data_dir, size_mb, per_hour)
    names = args.only.split(",") if args.only else list(SYSTEMS)
    raw_gb = m["raw_bytes"] / 2**30
    print(f"Trail: {m['raw_bytes'] / 2**20:,.0f} MB of JSON, {m['gz_bytes'] / 2**20:,.1f} MB gzip, "
          f"{len(m['files']):,} files, {m['records']:,} events; {os.cpu_count()} cores")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in peers.versions(
        Path(sys.executable), ["chdb", "chdb-core", "duckdb", "pyarrow", "isal"]).items()))
    load_before = os.getloadavg()
    print(f"Load average before: {' '.join(f'{x:.1f}' for x in load_before)}", flush=True)
    manifest, env, server = data_dir / "manifest.json", {}, None
    if args.s3:
        remote, env, server = peers.on_moto(m, data_dir)
        manifest = data_dir / "manifest-s3.json"
        manifest.write_text(json.dumps(remote))
        print(f"Uploaded to moto's S3 server at {env['AWS_ENDPOINT_URL_S3']}", flush=True)
    workers = {n: peers.Worker(n, Path(sys.executable), manifest, script=__file__, env=env)
               for n in names}
    if args.base_src:
        for n in [n for n in names if n.startswith("parthenon")]:
            workers[n + "@base"] = peers.Worker(n, Path(sys.executable), manifest, Path(args.base_src).resolve(),
                                                script=__file__, env=env)
        names = list(workers)
    results, errors = peers.round_robin(workers, args.runs)
    for w in workers.values():
        try:
            w.close()
        except ChildProcessError:      # already reaped (a parent that ignores SIGCHLD)
            pass
    if server is not None:
        server.stop()
    load_after = os.getloadavg()

    def med(n, key):
        return statistics.median(r[key] for r in results[n])
    base = results.get("parthenon-usual") and med("parthenon-usual", "cpu")
    print(f"\n{'system':<14} {'wall s':>7} {'MB/s':>6} {'CPU s':>6} {'CPU-s/GB':>8} {'CPU/P':>6}  same  reads")
    for n in names:
        if n in errors:
            print(f"{n:<14} failed: {errors[n][:300]}")
            continue
        wall, cpu = med(n, "wall"), med(n, "cpu")
        same = peers._trail_tools().same_rows(results[n][-1]["rows"], m["expected"])
        print(f"{n:<14} {wall:>7.2f} {m['raw_bytes'] / 2**20 / wall:>6,.0f} {cpu:>6.2f} {cpu / raw_gb:>8.2f} "
              f"{cpu / base if base else float('nan'):>6.2f}  {'yes' if same else 'NO':<4}  {SYSTEMS[n.split('@')[0]][2]}")
    print(f"\nLoad average after: {' '.join(f'{x:.1f}' for x in load_after)}; {args.runs} timed runs each. "
          f"Target: 1.2 GB/s on 2 cores = {2 / 1.2:.2f} CPU-s per GB at most.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
