"""Where Parthenon keeps its state, and how it reaches storage (AWS conventions)."""
from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """PARTHENON_HOME, default ~/.parthenon; created on first use."""
    path = Path(os.environ.get("PARTHENON_HOME") or Path.home() / ".parthenon").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def s3_endpoint_url() -> str | None:
    """The S3 endpoint as the AWS SDKs resolve it: service-specific first, then global."""
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None
