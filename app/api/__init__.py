"""The JSON API (``/api/v1``), exactly as API.md says."""

# each module registers its routes and handlers
from app.api import delegations, errors, notifications, reports, screening, views  # noqa: F401
from app.api.blueprint import api, blueprint

__all__ = ["api", "blueprint"]
