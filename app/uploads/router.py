from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.exceptions import RequestValidationError

from app.core.db import has_control_characters
from app.core.errors import V1_ERRORS, error_responses
from app.core.request_services import UploadServiceDep
from app.uploads.service import UploadResult

ROUTE_ERRORS = {**V1_ERRORS, **error_responses(415, 503)}
router = APIRouter(prefix="/v1/uploads", tags=["uploads"], responses=ROUTE_ERRORS)


@router.post("", status_code=201, response_model=UploadResult)
async def create_upload(
    file: Annotated[UploadFile, File(description="PDF, DOCX or UTF-8 text")],
    service: UploadServiceDep,
) -> UploadResult:
    # python-multipart has spooled the part to a temporary file under /tmp; it is streamed on from there.
    return await service.store(file.file, checked_filename(file.filename))


def checked_filename(filename: str | None) -> str:
    """The name is only stored as metadata, but PostgreSQL refuses NUL and no file name needs a control
    character: refuse them with a 422 that says what to change."""
    if not filename:
        return "upload"
    if has_control_characters(filename):
        message = "the file name must not contain NUL or other control characters: rename the file"
        raise RequestValidationError([{"type": "value_error", "loc": ("body", "file"), "msg": message}])
    return filename
