"""JSON logs with the request id on every line.

Never log API keys, tokens or message bodies at INFO: callers pass only ids, sizes and outcomes.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

_HANDLER_NAME = "launchpad-json"
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "asctime": "time"},
        )
    )
    handler.addFilter(RequestIdFilter())
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    # Replace only our own handler (create_app may run more than once); leave others, e.g. pytest's.
    root.handlers = [h for h in root.handlers if h.get_name() != _HANDLER_NAME] + [handler]
    root.setLevel(level.upper())
    # uvicorn's access log repeats what the metrics middleware already records, without the request id.
    logging.getLogger("uvicorn.access").disabled = True
    # SDK debug logs carry prompts (message bodies) and headers: keep them quiet even at LOG_LEVEL=DEBUG.
    for name in ("httpx2", "httpcore", "botocore", "urllib3", "huggingface_hub", "anthropic", "google_genai"):
        logging.getLogger(name).setLevel(logging.WARNING)
