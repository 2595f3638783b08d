"""Every /v1 route needs an API key (X-API-Key) and passes the rate limits; /health* needs neither."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from app.core.deps import get_services
from app.core.errors import UnauthorizedError

logger = logging.getLogger(__name__)
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


async def require_api_key(
    request: Request, raw_key: Annotated[str | None, Security(api_key_header)]
) -> str | None:
    """The caller's key label (None only on a laptop with no keys configured)."""
    # Called directly, not through Depends: each dependency node costs FastAPI measurable time per request.
    services = await get_services(request)
    label: str | None = None
    if services.api_keys.enabled:
        if not raw_key:
            raise UnauthorizedError("missing API key", headers={"WWW-Authenticate": "APIKey"})
        label = await services.api_keys.verify(raw_key)
        if label is None:
            raise UnauthorizedError("invalid API key", headers={"WWW-Authenticate": "APIKey"})
    elif services.settings.deployment_env != "local":
        raise UnauthorizedError("no API keys are configured")
    client_ip = request.client.host if request.client else "unknown"
    await services.limiter.check(api_key_id=label, client_ip=client_ip)
    return label


ApiKeyLabel = Annotated[str | None, Depends(require_api_key)]
