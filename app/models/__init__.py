"""The database rows. Import every model here so metadata is complete."""

from app.models.delegation import Delegation
from app.models.department import Department
from app.models.history import HistoryEvent
from app.models.item import Item
from app.models.legistar import LegistarCursor, LegistarEvent, LegistarEventItem, LegistarMatter  # noqa: F401
from app.models.narrative import AnnualNarrative
from app.models.notification import Notification
from app.models.report_back import ReportBack, ReportBackResult
from app.models.screening import ScreeningRule
from app.models.statement import Statement, StatementRevision
from app.models.user import ApiToken, User, UserSession

__all__ = ["AnnualNarrative", "ApiToken", "Delegation", "Department", "HistoryEvent", "Item", "Notification",
           "ReportBack", "ReportBackResult", "ScreeningRule", "Statement", "StatementRevision", "User",
           "UserSession"]
