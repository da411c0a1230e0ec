"""The web console at `/` of `parthenon serve`: Athena's query editor in the browser."""
from .routes import Console, handles

__all__ = ["Console", "handles"]
