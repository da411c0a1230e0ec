"""`parthenon serve`: the Athena API over HTTP (AWS JSON 1.1), with SigV4 authentication."""
from .http import AthenaServer

__all__ = ["AthenaServer"]
