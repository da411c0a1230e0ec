"""The demo trails bench/spark.py queries: made once per size, reused while the generator is unchanged."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cloudtrail import ACCOUNT, DAYS, REGIONS, SEED, START, _generator, _generator_sha256  # noqa: E402


def ensure_trail(data_dir: Path, size_mb: int) -> dict:
    """The manifest of a size_mb MB trail under data_dir/spark-<size_mb>, generated unless present."""
    folder = data_dir / f"spark-{size_mb}"
    params = {"size_mb": size_mb, "account": ACCOUNT, "regions": list(REGIONS),
              "start": START.isoformat(), "days": DAYS, "seed": SEED,
              "generator_sha256": _generator_sha256()}
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("params") == params:
            return manifest
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Generating {size_mb} MB of CloudTrail JSON under {folder} ...", flush=True)
    stats = _generator().generate(folder / "trail", account=ACCOUNT, regions=REGIONS, start=START,
                                  days=DAYS, target_bytes=size_mb * 2**20, seed=SEED)
    manifest = {"params": params, "location": f"{folder / 'trail'}/AWSLogs/{ACCOUNT}/CloudTrail/",
                "partitions": [list(p) for p in stats.partitions], "files": stats.files,
                "records": stats.records, "uncompressed_bytes": stats.uncompressed_bytes,
                "compressed_bytes": stats.compressed_bytes, "generate_s": stats.seconds,
                "expected": [list(r) for r in stats.top_throttled(n=20)]}
    manifest_path.write_text(json.dumps(manifest))
    return manifest


if __name__ == "__main__":
    for size in sys.argv[1:]:
        m = ensure_trail(Path(__file__).resolve().parent / "data", int(size))
        print(size, "MB:", m["files"], "files,", m["generate_s"], "s")
