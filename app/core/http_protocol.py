"""uvicorn's httptools protocol with a bound on the size of a request's line and headers.

uvicorn bounds them only on its h11 path (`h11_max_incomplete_event_size`); on the httptools path, which
the service uses for its speed, a client could send headers without end (a 64 MiB header was read for
12.9 s). Subclassing is uvicorn's documented extension point (`http=` takes a protocol class).
"""

from __future__ import annotations

import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.core.errors import error_body

DEFAULT_MAX_HEADER_BYTES = 64 * 1024  # the ALB's own limit for a request's headers


class HeaderLimitedHttpToolsProtocol(HttpToolsProtocol):
    max_header_bytes = DEFAULT_MAX_HEADER_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_headers = True
        self._header_bytes = 0  # bytes received while the headers are incomplete
        self._parsed_bytes = 0  # the request line and headers the parser has handed over
        self._refused = False

    def data_received(self, data: bytes) -> None:
        # Two counts: the bytes received while a request's headers are incomplete (headers sent without
        # end never complete; the count overshoots by one read at most), and the headers parsed, for
        # headers that arrive whole in one read and complete in it.
        if self._in_headers:
            self._header_bytes += len(data)
        super().data_received(data)
        if (
            self._in_headers
            and self._header_bytes > self.max_header_bytes
            and not self.transport.is_closing()
        ):
            self._send_431()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_headers, self._header_bytes, self._parsed_bytes = True, 0, 0

    def on_url(self, url: bytes) -> None:
        self._parsed_bytes += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._parsed_bytes += len(name) + len(value) + 4  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_headers = False
        if self._refused or self._parsed_bytes > self.max_header_bytes:
            # No request cycle starts: the body and the end of the message are ignored below.
            self._send_431()
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self._refused:
            super().on_message_complete()

    def _send_431(self) -> None:
        if self._refused:
            return
        self._refused = True
        message = f"request headers exceed {self.max_header_bytes} bytes"
        # No request has begun, so error_body's request id is None.
        body = json.dumps(error_body(431, "headers_too_large", message))
        head = (
            "HTTP/1.1 431 Request Header Fields Too Large\r\n"
            "content-type: application/json\r\n"
            f"content-length: {len(body)}\r\n"
            "connection: close\r\n\r\n"
        )
        self.transport.write((head + body).encode())
        self.transport.close()
