"""A small client for the Legistar Web API (``{base}/{client}/matters`` ...).

Why the standard library: the import makes a few GET requests in a row;
``urllib`` does that without adding a dependency, and the tests run it
against a local ``http.server``. Each answer is decoded and checked like a
saved file (``workflows.legistar_files.decode``), so an HTML error page, an
error object or JSON nested a hundred thousand deep is an error that says so. The Web API pages with OData
``$top``/``$skip`` (at most 1000 rows a page); a page shorter than ``$top``
is the last. Results are ordered by id so that pages do not shift while a
filtered listing is read. The token, when a city needs one, travels as the
``token`` query parameter (as the Web API expects) and is never printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

from workflows.legistar_files import decode
from workflows.legistar_values import Unreadable


class LegistarError(Exception):
    """The Web API could not be read; the message says where and why (without the token)."""


def odata_datetime(moment: datetime | date) -> str:
    """OData v3 literal; Legistar compares ``…Utc`` fields in UTC without a zone."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).replace(tzinfo=None)
        return f"datetime'{moment.isoformat(timespec='milliseconds')}'"
    return f"datetime'{moment.isoformat()}T00:00:00'"


class LegistarClient:
    def __init__(self, base_url: str, client: str, token: str | None = None, page_size: int = 1000,
                 timeout: float = 30, opener: Callable[..., Any] = urlopen) -> None:
        if not client or "/" in client:
            raise LegistarError(f"not a Legistar client name: {client!r}")
        self.root = f"{base_url.rstrip('/')}/{quote(client)}"
        self.token = token or None
        self.page_size = max(1, min(int(page_size), 1000))
        self.timeout = timeout
        self._open = opener
        self.requests = 0

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        query = dict(params or {})
        if self.token:
            query["token"] = self.token
        url = f"{self.root}/{path.lstrip('/')}"
        if query:
            url += "?" + urlencode(query, safe="$',:")
        shown = f"{self.root}/{path.lstrip('/')}"
        request = Request(url, headers={"Accept": "application/json", "User-Agent": "reis-engine"})
        self.requests += 1
        try:
            with self._open(request, timeout=self.timeout) as response:
                body = response.read()
        except HTTPError as exc:
            exc.close()  # the error carries the open response
            raise LegistarError(f"{shown} answered HTTP {exc.code} {exc.reason}") from None
        except (URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LegistarError(f"{shown} could not be reached: {reason}") from None
        try:
            return decode(body)
        except Unreadable as exc:
            raise LegistarError(f"{shown} did not answer with a Legistar response: {exc}") from None

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[list[dict]]:
        """Every page of a listing, ``$top``/``$skip`` until a short page."""
        skip = 0
        while True:
            page = self.get(path, {**(params or {}), "$top": self.page_size, "$skip": skip})
            if not isinstance(page, list):
                raise LegistarError(f"{self.root}/{path} did not answer with a list")
            yield page
            if len(page) < self.page_size:
                return
            skip += len(page)

    def listing(self, path: str, order_by: str, filters: list[str]) -> list[dict]:
        params = {"$orderby": order_by}
        if filters:
            params["$filter"] = " or ".join(filters)
        return [row for page in self.pages(path, params) for row in page]

    def matters(self, modified_since: datetime | None) -> list[dict]:
        filters = [f"MatterLastModifiedUtc ge {odata_datetime(modified_since)}"] if modified_since else []
        return self.listing("matters", "MatterId", filters)

    def events(self, modified_since: datetime | None, held_from: date | None) -> list[dict]:
        """Events changed since the cursor, and every meeting from ``held_from`` on (agendas
        change until the meeting without always touching the event itself)."""
        filters = []
        if modified_since:
            filters.append(f"EventLastModifiedUtc ge {odata_datetime(modified_since)}")
        if held_from and filters:
            filters.append(f"EventDate ge {odata_datetime(held_from)}")
        return self.listing("events", "EventId", filters)

    def event_items(self, event_id: int) -> list[dict]:
        return self.listing(f"events/{int(event_id)}/eventitems", "EventItemId", [])

    def reference(self) -> list[list[dict]]:
        """Bodies, matter types and statuses: names for ids a matter may leave blank."""
        return [self.listing(path, key, []) for path, key in
                (("bodies", "BodyId"), ("mattertypes", "MatterTypeId"),
                 ("matterstatuses", "MatterStatusId"))]
