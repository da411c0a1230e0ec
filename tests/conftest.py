"""Shared fixtures: a fresh PARTHENON_HOME per test, and a real S3 endpoint (moto's server)."""
from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

import pytest

import parthenon
from parthenon.demo import cloudtrail_table

TEST_DATA = Path(__file__).resolve().parent / "data"     # real samples, with SOURCES.md


@pytest.fixture(autouse=True)
def parthenon_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("PARTHENON_HOME", str(home))
    return home


@pytest.fixture
def con(parthenon_home):
    connection = parthenon.connect()
    yield connection
    connection.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 protocol server on loopback, for the whole test session."""
    from moto.server import ThreadedMotoServer
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch):
    """A boto3 S3 client on the moto server, with Parthenon pointed at it the AWS way."""
    import boto3
    from parthenon.storage import s3 as s3_storage
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    s3_storage._client_for.cache_clear()
    client = boto3.client("s3", endpoint_url=s3_server)
    yield client
    s3_storage._client_for.cache_clear()


def cloudtrail_file(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps({"Records": records}).encode(), mtime=0))
    return path


CLOUDTRAIL_DDL = cloudtrail_table.CLOUDTRAIL_DDL


_exit_status: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _exit_status.append(int(exitstatus))


def pytest_unconfigure(config):
    """End the process with pytest's status once its report is out.  The Spark tests leave a
    JVM gateway and gRPC threads in this process; interpreter finalisation can abort on them
    ("terminate called after throwing ...", status 134) after every test passed."""
    if _exit_status and config.pluginmanager.hasplugin("terminalreporter"):
        import os
        import sys
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
