"""Cookies, CSRF and the security headers on every response.

* Every POST outside the token-authenticated API carries a CSRF token
  (Flask-WTF's ``CSRFProtect``); the API is exempt because a bearer token is
  not sent by a browser on its own, so it cannot be forged cross-site.
* The token does not expire within a session: a staff member may spend an
  afternoon on a statement, and an expired token would throw their text away.
* The Content-Security-Policy allows scripts, styles and images from this
  origin only, no inline script and no inline style at all, and no framing.
* Every response to an authenticated request, signed-in pages, the API,
  the packet PDFs and the calendar feed, carries ``Cache-Control: no-store``,
  so a shared computer's browser or a proxy keeps no copy of it. Public pages
  and static files fetched without credentials stay cacheable.
"""

from __future__ import annotations

from flask import Flask, Response, request, session
from flask_wtf.csrf import CSRFProtect

from app.api import blueprint as api_blueprint

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

#: what they answer is someone's: never stored, whoever asks
PRIVATE_BLUEPRINTS = frozenset({"api", "calendar", "packets", "web"})

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    production = app.config["REIS_ENV"] == "production"
    secure = production if app.config["REIS_COOKIE_SECURE"] is None else app.config["REIS_COOKIE_SECURE"]
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="reis_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)
    csrf.exempt(api_blueprint)
    headers = dict(HEADERS)
    if production:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if _authenticated():
            response.headers["Cache-Control"] = "no-store"
        return response


def _authenticated() -> bool:
    """Did this request carry credentials, or reach a part of the app that needs them?"""
    return (request.blueprint in PRIVATE_BLUEPRINTS or "Authorization" in request.headers
            or "_user_id" in session)
