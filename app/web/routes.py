"""The route table: one line a route."""

from __future__ import annotations

from flask.typing import RouteCallable

from app.web.blueprint import blueprint
from app.web.views import (
    account,
    admin,
    board,
    delegations,
    home,
    items,
    notifications,
    report_backs,
    reports,
    review,
    screening,
    statement,
)

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

#: a route: its rule, its endpoint, its view and its methods
Route = tuple[str, str, RouteCallable, list[str]]

ROUTES: list[Route] = [
    ("/", "home", home.index, GET),
    ("/sign-in", "login", account.login, BOTH),
    ("/sign-out", "logout", account.logout, POST),
    ("/language", "set_language", account.set_language, POST),
    ("/account", "account", account.account, GET),
    ("/account/password", "change_password", account.change_password, POST),
    ("/account/calendar-feed", "rotate_feed", account.rotate_feed, POST),
    ("/account/delegation", "delegation_set", delegations.set_mine, POST),
    ("/account/delegation/revoke", "delegation_revoke", delegations.revoke_mine, POST),
    ("/items/new", "item_new", items.new, BOTH),
    ("/items/<file_id>", "item", items.show, GET),
    ("/items/<file_id>/edit", "item_edit", items.edit, BOTH),
    ("/items/<file_id>/statement", "statement", statement.edit, BOTH),
    ("/items/<file_id>/review", "review", review.review, BOTH),
    ("/items/<file_id>/report-backs/<int:n>", "report_back", report_backs.report, BOTH),
    ("/review", "queues", review.queues, GET),
    ("/review/exemptions", "approve_exemptions", review.approve_exemptions, POST),
    ("/screening-rules", "screening_rules", screening.rules, BOTH),
    ("/board", "board", board.board, GET),
    ("/board/<file_id>/agendize", "agendize", board.agendize, POST),
    ("/board/<file_id>/unagendize", "unagendize", board.unagendize, POST),
    ("/reports", "reports", reports.index, GET),
    ("/reports/metrics.csv", "reports_csv", reports.metrics_csv, GET),
    ("/reports/annual/<int:year>.pdf", "annual_report", reports.annual_pdf, GET),
    ("/reports/annual/<int:year>", "narrative", reports.narrative, BOTH),
    ("/notifications", "notifications", notifications.index, GET),
    ("/notifications/read", "mark_read", notifications.mark_read, POST),
    ("/notifications/settings", "preferences", notifications.preferences, POST),
    ("/admin", "admin", admin.index, GET),
    ("/admin/departments", "department_create", admin.create_department, POST),
    ("/admin/users", "user_create", admin.create_user, POST),
    ("/admin/users/<int:user_id>/role", "user_role", admin.change_role, POST),
    ("/admin/users/<int:user_id>/deactivate", "user_deactivate", admin.deactivate, POST),
    ("/admin/users/<int:user_id>/reactivate", "user_reactivate", admin.reactivate, POST),
    ("/admin/users/<int:user_id>/password", "user_password", admin.set_password, POST),
    ("/admin/delegations", "someones_delegation_set", delegations.set_someones, POST),
    ("/admin/users/<int:user_id>/delegation/revoke", "someones_delegation_revoke",
     delegations.revoke_someones, POST),
    ("/items/<file_id>/assign", "assign", delegations.assign, POST),
]

for rule, endpoint, view, methods in ROUTES:
    blueprint.add_url_rule(rule, endpoint, view, methods=methods)
