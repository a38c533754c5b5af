"""The HTTP API (FastAPI) over an event store, with the dashboard at ``/``."""
from whimbrel.api.app import create_app

__all__ = ["create_app"]
