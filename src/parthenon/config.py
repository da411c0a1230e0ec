"""Where Parthenon keeps its state, and how it reaches storage (AWS conventions)."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

from .errors import ParthenonError

SERVER_CONFIG = "server.toml"    # read from PARTHENON_HOME when --config is not given
# The server config file's settings and their types; a key not listed here is refused
# (a typo must not silently drop a restriction).
SERVER_SETTINGS: dict[str, type] = {"data_roots": list, "result_roots": list}


class ConfigError(ParthenonError):
    code = "INVALID_CONFIGURATION"


def home() -> Path:
    """PARTHENON_HOME, default ~/.parthenon; created on first use."""
    path = Path(os.environ.get("PARTHENON_HOME") or Path.home() / ".parthenon").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def s3_endpoint_url() -> str | None:
    """The S3 endpoint as the AWS SDKs resolve it: service-specific first, then global."""
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None


def server_config(path: str | Path | None, home: Path) -> tuple[dict, Path | None]:
    """`parthenon serve`'s settings file (TOML) and its path: `path` if given (it must exist),
    else PARTHENON_HOME/server.toml when there is one.  Relative folders in it are relative
    to the file's own folder."""
    file = Path(path).expanduser().resolve() if path else home / SERVER_CONFIG
    if not file.exists():
        if path:
            raise ConfigError(f"Configuration file {file} does not exist")
        return {}, None
    try:
        settings = tomllib.loads(file.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"Cannot read configuration file {file}: {e}") from None
    for key, value in settings.items():
        want = SERVER_SETTINGS.get(key)
        if want is None:
            raise ConfigError(f"Unknown setting '{key}' in {file} (known: {', '.join(SERVER_SETTINGS)})")
        if not isinstance(value, want):
            raise ConfigError(f"Setting '{key}' in {file} must be a {want.__name__}")
    for key in ("data_roots", "result_roots"):
        folders = settings.get(key, [])
        if not all(isinstance(f, str) and f for f in folders):
            raise ConfigError(f"Setting '{key}' in {file} must be a list of folder paths")
        settings[key] = [str((file.parent / Path(f).expanduser()).resolve()) for f in folders]
    return settings, file
