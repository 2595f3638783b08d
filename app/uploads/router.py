from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from app.core.deps import UploadServiceDep
from app.core.errors import V1_ERRORS, error_responses
from app.uploads.service import UploadResult

ROUTE_ERRORS = {**V1_ERRORS, **error_responses(415)}
router = APIRouter(prefix="/v1/uploads", tags=["uploads"], responses=ROUTE_ERRORS)


@router.post("", status_code=201, response_model=UploadResult)
async def create_upload(
    file: Annotated[UploadFile, File(description="PDF, DOCX or UTF-8 text")],
    service: UploadServiceDep,
) -> UploadResult:
    # python-multipart has spooled the part to a temporary file under /tmp; it is streamed on from there.
    return await service.store(file.file, file.filename or "upload")
