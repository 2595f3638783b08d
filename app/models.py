"""Every table, imported in one place for Alembic and the nightly job."""

from app.auth.models import ApiKey
from app.core.db import Base
from app.decisions.models import AuditRecord
from app.jobs.models import JobRecord
from app.uploads.models import Upload

__all__ = ["ApiKey", "AuditRecord", "Base", "JobRecord", "Upload"]
