"""The web console at `/` of `parthenon serve`: Athena's query editor in the browser.
Its routes join the server's table (server/routes.py); routes.py here says what each does."""
from .routes import ROUTES

__all__ = ["ROUTES"]
