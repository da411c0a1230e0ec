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


class LocalConnectServer:
    """A Spark Connect server on loopback (PySpark ships its jar), running Spark on `master`:

        with LocalConnectServer("local[2]") as url:     # sc://127.0.0.1:<port>
            ...
    """

    def __init__(self, master: str = "local[2]", env: dict | None = None,
                 logs: Path | None = None, timeout: float = 300):
        import pyspark
        self.home = Path(pyspark.__file__).resolve().parent
        self.master, self.timeout = master, timeout
        self.logs = Path(logs or tempfile.mkdtemp(prefix="parthenon-spark-connect-"))
        self.env = dict(os.environ, SPARK_HOME=str(self.home), SPARK_LOCAL_IP="127.0.0.1",
                        PYSPARK_PYTHON=os.environ.get("PYSPARK_PYTHON", sys.executable), **(env or {}))
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> str:
        port = _free_port()
        with open(self.logs / "connect-server.log", "wb") as log:
            self.process = subprocess.Popen(
                [str(self.home / "bin" / "spark-submit"), "--master", self.master,
                 "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
                 "--conf", f"spark.connect.grpc.binding.port={port}",
                 "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                 "--conf", "spark.ui.enabled=false", "spark-internal"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"sc://127.0.0.1:{port}"
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"the Spark Connect server did not start; log in {self.logs}")
                time.sleep(0.5)

    def stop(self) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, 15)    # spark-submit's script and its JVM
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
            self.process = None

    def __exit__(self, *exc) -> None:
        self.stop()
