#!/usr/bin/env python
"""Benchmark: chdb's own cost per variant of the fast CloudTrail scan's query (bench/DECODERS.md).

    NFILES=64 RUNS=3 .venv/bin/python bench/chdb_variants.py
    ONLY="query_alone;fast_now;v_fast({'input_format_parallel_parsing': 0})" .venv/bin/python bench/chdb_variants.py

In one process over the first NFILES files of bench/peers.py's 1 GB trail (bench/data/peers-big,
made by bench/decoders.py): CPU-s per GB of JSON (getrusage of the process: chdb's threads
included), medians of RUNS after a warm-up.  ONLY: `;`-separated names or expressions
(v_fast(extra settings, fmt=, inputs=, gz=), v_batched(stored bytes), v_jsonasstring(expr, kept=)).  Not part of the test suite.
"""
import os, sys, time, resource, shutil, tempfile, secrets, statistics, json
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
import pyarrow as pa
import chdb
from parthenon.engine.duckdb import fast_cloudtrail as fc

m = json.loads((Path(__file__).resolve().parent / "data" / "peers-big" / "manifest.json").read_text())
N = int(os.environ.get("NFILES", "64"))
files = m["files"][:N]
datas = [Path(f).read_bytes() for f in files]
import zlib
raw = sum(len(zlib.decompressobj(47).decompress(d)) for d in datas)
gb = raw / 2**30
con = chdb.connect(":memory:")
T = "Nullable(String)"
REC = f"Records Array(Tuple(eventName {T}, userIdentity Nullable(Tuple(arn {T})), sourceIPAddress {T}, errorCode {T}))"
RULES = dict(fc._RULES)

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime

def settings(extra):
    s = dict(RULES); s.update(extra)
    return ", ".join(f"{k} = {v}" for k, v in s.items())

def write_inputs(folder, inputs, gz=True, mark=True):
    nonce = "abc"
    total = sum(map(len, datas)); written = 0; part = -1; h = None
    src = datas if gz else PLAIN_DATAS
    total = sum(map(len, src))
    for i, d in enumerate(src):
        if h is None or written >= total * (part + 1) / inputs:
            if h: h.close()
            part += 1; h = open(f"{folder}/{part}.{'gz' if gz else 'json'}", "wb")
        h.write(d)
        if mark:
            mk = b'\n{"parthenon_end_of_file":"%s-%d"}\n' % (nonce.encode(), i)
            h.write(fc._gzip_member(mk) if gz else mk)
        written += len(d)
    h.close()

def v_query_alone(extra={}):
    sql = f"""SELECT r.eventName, r.userIdentity.arn, r.sourceIPAddress, count() AS c
FROM file('{m['location']}*/*/*/*/*.json.gz', 'JSONEachRow', '{REC}') ARRAY JOIN Records AS r
WHERE r.errorCode = 'RequestLimitExceeded' GROUP BY 1, 2, 3 ORDER BY c DESC LIMIT 20 SETTINGS max_threads=2"""
    # restrict to N files: use a folder of links
    return lambda: con.query(sql.replace(f"{m['location']}*/*/*/*/*.json.gz", LINKS + "/*.json.gz"), "JSONCompact").bytes()

def v_count_files(extra={}, suffix="json.gz", comp="gzip"):
    sql = f"SELECT count() FROM file('{LINKS}/*.{suffix}', 'JSONEachRow', '{REC}', '{comp}') SETTINGS {settings(extra)}"
    return lambda: con.query(sql, "CSV").bytes()

def v_batched(bytes_, extra={}):
    def run():
        global datas
        alld = datas
        try:
            b, size, out = [], 0, []
            for d in alld:
                b.append(d); size += len(d)
                if size >= bytes_:
                    out.append(b); b, size = [], 0
            if b: out.append(b)
            for b in out:
                datas = b
                v_fast(extra)()
        finally:
            datas = alld
    return run

def v_fast(extra={}, fmt="Arrow", inputs=2, gz=True, mark=True, select=None):
    def run():
        folder = tempfile.mkdtemp(dir="/dev/shm")
        try:
            write_inputs(folder, inputs, gz, mark)
            sfx = "gz" if gz else "json"
            cols = select or ("parthenon_end_of_file, Records" if mark else "Records")
            sql = (f"SELECT {cols} FROM file('{folder}/*.{sfx}', 'JSONEachRow', '{REC}, parthenon_end_of_file Nullable(String)', "
                   f"'{'gzip' if gz else 'none'}') SETTINGS {settings(extra)}")
            r = con.query(sql, fmt); b = pa.py_buffer(r.bytes()); del r
            if fmt == "Arrow":
                t = pa.ipc.open_file(b).read_all()
            elif fmt == "ArrowStream":
                t = pa.ipc.open_stream(b).read_all()
            return t.num_rows
        finally:
            shutil.rmtree(folder)
    return run

def kept_only(records, code):
    """Only the records with this errorCode, as the early filters build them."""
    return f"arrayFilter(r -> tupleElement(r, 'errorCode') = '{code}', {records})"

def v_jsonasstring(expr=None, kept=None):
    """Each file as one JSON text (JSONAsString splits the concatenated inputs at top-level
    objects), its Records extracted by JSONExtract (simdjson inside ClickHouse); `kept`: only
    the records with this errorCode are built, as the early filters do."""
    def run():
        folder = tempfile.mkdtemp(dir="/dev/shm")
        try:
            write_inputs(folder, 2, True, True)
            e = expr or f"JSONExtract(json, 'Records', '{REC.split(' ', 1)[1]}')"
            if kept:
                e = kept_only(e, kept)
            sql = (f"SELECT {e} AS Records FROM file('{folder}/*.gz', 'JSONAsString', 'json String', 'gzip') "
                   f"SETTINGS max_threads = 2")
            r = con.query(sql, "Arrow"); b = pa.py_buffer(r.bytes()); del r
            return pa.ipc.open_file(b).read_all().num_rows
        finally:
            shutil.rmtree(folder)
    return run

PLAIN_DATAS = [zlib.decompressobj(47).decompress(d) for d in datas]
LINKS = tempfile.mkdtemp(dir="/dev/shm")
for i, d in enumerate(datas):
    Path(LINKS, f"{i}.json.gz").write_bytes(d)
    if os.environ.get("PLAIN"):
        Path(LINKS, f"{i}.json").write_bytes(zlib.decompressobj(47).decompress(d))

VARIANTS = {
  "query_alone": v_query_alone(),
  "count_gz_files": v_count_files(),
  "fast_now": v_fast(),
  "fast_arrowstream": v_fast(fmt="ArrowStream"),
  "fast_threads1": v_fast({"max_threads": 1}),
  "fast_threads4": v_fast({"max_threads": 4}),
  "fast_noparallel": v_fast({"input_format_parallel_parsing": 0}),
  "fast_inputs1": v_fast(inputs=1),
  "fast_inputs4": v_fast(inputs=4),
  "fast_nomark_files": None,
  "fast_uncompressed": v_fast(gz=False),
  "fast_kept": v_fast(select="parthenon_end_of_file, " + kept_only("Records", "RequestLimitExceeded")),
  "jsonasstring_extract": v_jsonasstring(),
  "jsonasstring_extract_kept": v_jsonasstring(kept="RequestLimitExceeded"),
  "jsonasstring_length": v_jsonasstring("JSONLength(json, 'Records')"),
}
if os.environ.get("PLAIN"):
    VARIANTS["count_plain_files"] = v_count_files(suffix="json", comp="none")
names = os.environ.get("ONLY", ";".join(k for k, v in VARIANTS.items() if v)).split(";")
extra_variants = {}
for n in names:
    if n not in VARIANTS:
        extra_variants[n] = eval(n)   # e.g. v_fast({'x':1})
runs = int(os.environ.get("RUNS", "3"))
res = {n: [] for n in names}
for n in names:
    (VARIANTS.get(n) or extra_variants[n])()  # warm up
for r in range(runs):
    for n in names:
        f = VARIANTS.get(n) or extra_variants[n]
        c0, w0 = cpu(), time.perf_counter()
        f()
        res[n].append((cpu() - c0, time.perf_counter() - w0))
print(f"{N} files, {raw/2**20:.0f} MB JSON, {sum(map(len,datas))/2**20:.0f} MB gz, load {open('/proc/loadavg').read().split()[:3]}")
for n in names:
    c = statistics.median(x[0] for x in res[n]); w = statistics.median(x[1] for x in res[n])
    print(f"{n:50s} CPU-s/GB {c/gb:5.2f}  (min {min(x[0] for x in res[n])/gb:5.2f})  wall {w:5.2f}")
shutil.rmtree(LINKS)
