"""The JSON API (``/api/v1``), exactly as API.md says."""

from app.api import delegations, errors, notifications, screening, views  # noqa: F401  (they register routes and handlers)
from app.api.blueprint import api, blueprint

__all__ = ["api", "blueprint"]
