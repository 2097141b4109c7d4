"""Absolute links to an item's page, for places that have no request to take the
address from: mails (composed by the worker) and calendar feeds (read by a
calendar client). They start with ``REIS_BASE_URL``; the path comes from the
web app's own route table, so it cannot drift from the page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def item_url(file_id: str) -> str | None:
    """The item's page; None when ``REIS_BASE_URL`` is unset and there is no request."""
    base = current_app.config.get("REIS_BASE_URL")
    if not base:
        return url_for("web.item", file_id=file_id, _external=True) if has_request_context() else None
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme)
    return adapter.build("web.item", {"file_id": file_id}, force_external=True)
