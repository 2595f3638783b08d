"""JSON logs with the request id on every line.

Never log API keys, tokens or message bodies at INFO: callers pass only ids, sizes and outcomes.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

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
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log repeats what the metrics middleware already records, without the request id.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("httpx2", "httpcore", "botocore", "urllib3", "huggingface_hub"):
        logging.getLogger(name).setLevel(logging.WARNING)
