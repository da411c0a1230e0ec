"""A Spark standalone cluster on this machine, from PySpark's own distribution: a master
and N workers (`spark-class org.apache.spark.deploy.master.Master` / `...worker.Worker`)
bound to loopback on free ports.  For trying the Spark engine without a cluster of one's
own, for the tests and for bench/spark.py; a real cluster is started by its operator.

    with LocalCluster(workers=2, cores=1) as url:      # spark://127.0.0.1:<port>
        ...
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCluster:
    """`env`: extra environment for the daemons and so the executors (e.g. the S3 endpoint
    and credentials the executors' readers use).  Daemon logs go to `logs` (a temporary
    folder by default)."""

    def __init__(self, workers: int = 2, cores: int = 1, memory: str = "2g",
                 env: dict | None = None, logs: Path | None = None, timeout: float = 180):
        import pyspark
        self.home = Path(pyspark.__file__).resolve().parent
        self.workers, self.cores, self.memory, self.timeout = workers, cores, memory, timeout
        self.logs = Path(logs or tempfile.mkdtemp(prefix="parthenon-spark-"))
        self.env = dict(os.environ, SPARK_HOME=str(self.home), SPARK_LOCAL_IP="127.0.0.1",
                        PYSPARK_PYTHON=os.environ.get("PYSPARK_PYTHON", sys.executable),
                        # the master's REST submission server listens on a fixed port (6066)
                        SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false", **(env or {}))
        self.daemons: list[subprocess.Popen] = []
        self.url: str | None = None

    def __enter__(self) -> str:
        spark_class = str(self.home / "bin" / "spark-class")
        port, self.ui = _free_port(), _free_port()
        self.url = f"spark://127.0.0.1:{port}"
        try:
            self._start("master", [spark_class, "org.apache.spark.deploy.master.Master",
                                   "--host", "127.0.0.1", "--port", str(port),
                                   "--webui-port", str(self.ui)])
            for n in range(self.workers):
                self._start(f"worker-{n}", [
                    spark_class, "org.apache.spark.deploy.worker.Worker", self.url,
                    "--host", "127.0.0.1", "--cores", str(self.cores), "--memory", self.memory,
                    "--webui-port", str(_free_port()), "--work-dir", str(self.logs / f"work-{n}")])
            deadline = time.monotonic() + self.timeout
            while self.alive_workers() < self.workers:
                if time.monotonic() > deadline or any(d.poll() is not None for d in self.daemons):
                    raise RuntimeError(f"the Spark cluster did not start; logs in {self.logs}")
                time.sleep(0.5)
        except BaseException:
            self.stop()
            raise
        return self.url

    def _start(self, name: str, command: list[str]) -> None:
        with open(self.logs / f"{name}.log", "wb") as log:
            self.daemons.append(subprocess.Popen(command, env=self.env, stdout=log,
                                                 stderr=subprocess.STDOUT))

    def alive_workers(self) -> int:
        """Workers registered with the master (its web UI's JSON)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ui}/json/", timeout=2) as r:
                return int(json.load(r).get("aliveworkers", 0))
        except (OSError, ValueError):
            return 0

    def stop(self) -> None:
        for d in reversed(self.daemons):
            d.terminate()
        for d in self.daemons:
            try:
                d.wait(timeout=30)
            except subprocess.TimeoutExpired:
                d.kill()
                d.wait()
        self.daemons = []

    def __exit__(self, *exc) -> None:
        self.stop()
