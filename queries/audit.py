"""The audit log lives in the app database room (appdb/audit.py); kept here for old imports."""

from appdb.audit import AuditLog
from appdb.models import audit_log

__all__ = ["AuditLog", "audit_log"]
