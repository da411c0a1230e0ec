"""Spark sessions for the masters Parthenon runs on: `local[N]`, `spark://host:port` (a
standalone cluster), `sc://host:port` (Spark Connect) and `k8s://https://host:port`
(Kubernetes, client mode; its settings from spark-defaults.conf in SPARK_CONF_DIR).

A process has one SparkContext, so one classic master: asking for a second one is an error,
not a silent reuse of the first.  Each Parthenon engine gets its own SparkSession on it
(`newSession()`: own temporary views, shared executors), so concurrent queries of a
server never see each other's scans.  Spark Connect sessions are made per engine too.
"""
from __future__ import annotations

import os
import re
import sys
import threading
import warnings

from ... import config
from ...errors import NotSupported, ParthenonError

_MASTER = re.compile(r"local(\[(\d+|\*)\])?|spark://[\w.\-]+:\d+(,[\w.\-]+:\d+)*|sc://[\w.\-]+(:\d+)?(/.*)?"
                     r"|k8s://https?://[\w.\-]+(:\d+)?")    # Kubernetes: see README, not tested here
# Where the executors' readers find S3 (an endpoint of one's own, the region): as the
# driver has them.  Credentials are not forwarded: executors use their own AWS chain
# (instance role, IRSA on Kubernetes, their environment).
FORWARDED_ENV = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_DEFAULT_REGION")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
# a Connect server's notice about a setting the translator makes (translate.SPARK_CONF)
warnings.filterwarnings("ignore", "The SQL config .* has been deprecated", UserWarning)
_lock = threading.Lock()
_classic = None          # the process's SparkSession on its one classic master
_classic_master: str | None = None


class SparkUnavailable(ParthenonError):
    code = "GENERIC_INTERNAL_ERROR"


def check_master(master: str) -> str:
    """A master URL Parthenon knows how to reach, or a clear error."""
    if not _MASTER.fullmatch(master or ""):
        raise NotSupported(f"Spark master {master!r} is not supported: use local[N], "
                           f"spark://host:port, sc://host:port or k8s://https://host:port")
    return master


def is_connect(master: str) -> bool:
    return master.startswith("sc://")


def connect_address(master: str) -> tuple[str, int]:
    """The host and port of a Spark Connect master (sc://host[:port][/;options])."""
    where = master[len("sc://"):].split("/", 1)[0]
    host, _, port = where.partition(":")
    return host, int(port or 15002)       # Spark Connect's default port


def new_session(master: str):
    """A SparkSession of its own on `master` (temporary views are per session)."""
    check_master(master)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("The Spark engine needs PySpark: pip install 'parthenon[spark]'") from None
    if is_connect(master):
        # a Builder of its own: SparkSession.builder is one shared object whose options
        # (spark.remote among them) would leak into every later session of the process
        return SparkSession.Builder().remote(master).config(
            "spark.sql.session.timeZone", "UTC").create()
    global _classic, _classic_master
    with _lock:
        if _classic is None:
            _classic = _build_classic(SparkSession, master)
            _classic_master = master
        elif _classic_master != master:
            raise NotSupported(f"This process already runs Spark on {_classic_master}; "
                               f"one process has one Spark master (asked for {master})")
        return _classic.newSession()


DRIVER_LOG = "spark-driver.log"     # in PARTHENON_HOME/logs: the driver JVM's own output


def _build_classic(SparkSession, master: str):
    # Python workers must run this interpreter (it has parthenon and pyarrow); Spark reads
    # the variable when its context starts and passes it to every executor.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    options = {"spark.master": master, "spark.app.name": "parthenon",
               "spark.ui.enabled": "false",
               "spark.ui.showConsoleProgress": "false",     # no bars on the CLI's output
               "spark.sql.session.timeZone": "UTC",         # Athena computes in UTC
               "spark.sql.ansi.enabled": "true",            # errors, not NULLs, like Trino
               "spark.sql.execution.arrow.pyspark.enabled": "true"}
    for name in FORWARDED_ENV:
        if os.environ.get(name):
            options[f"spark.executorEnv.{name}"] = os.environ[name]
    host = _host(master)
    if host is None or host in _LOOPBACK:
        # a local or loopback cluster: the driver listens on loopback only
        options.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"})
    _start_jvm(options)
    builder = SparkSession.Builder()
    for key, value in options.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")     # Spark's warnings are not the user's business
    return spark


def _start_jvm(options: dict) -> None:
    """Start the driver's JVM (PySpark's gateway) with its output in PARTHENON_HOME/logs:
    the JVM and log4j print lines of their own as they start (incubator modules, the
    default log4j profile and level, the host's address), before any setting of ours
    applies, and a terminal running `parthenon query` shows only the result."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    if SparkContext._gateway is not None:      # started already (a context stopped since)
        return
    logs = config.home() / "logs"
    logs.mkdir(exist_ok=True)
    with open(logs / DRIVER_LOG, "ab") as log:
        gateway = launch_gateway(SparkConf(loadDefaults=False).setAll(list(options.items())),
                                 popen_kwargs={"stdout": log, "stderr": log})
    SparkContext._ensure_initialized(gateway=gateway)


def _host(master: str) -> str | None:
    if master.startswith("spark://"):
        return master[len("spark://"):].split(",")[0].rsplit(":", 1)[0]
    return None


def stop_classic() -> None:
    """Stop the process's classic SparkContext, whoever started it (tests that change
    masters: a context left running would be handed back for any master)."""
    global _classic, _classic_master
    with _lock:
        if _classic is not None:
            _classic.stop()
        _classic, _classic_master = None, None
        try:
            from pyspark import SparkContext
        except ImportError:
            return
        if SparkContext._active_spark_context is not None:
            SparkContext._active_spark_context.stop()
