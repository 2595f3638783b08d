"""File type by content, not by name.

PDF and DOCX by signature (`filetype`); TXT as valid UTF-8 without NUL bytes.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

import filetype

from app.core.errors import UnsupportedMediaError

HEAD_BYTES = 8192
CHUNK_BYTES = 64 * 1024
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}


def _is_utf8_text(stream: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := stream.read(CHUNK_BYTES):
        if b"\x00" in chunk:
            return False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_kind(stream: BinaryIO) -> tuple[str, str]:
    """(kind, content type) of an allowed file; raises 415 otherwise. Leaves the stream at 0."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    guess = filetype.guess(head)
    stream.seek(0)
    if guess is not None:
        if guess.extension in ALLOWED:
            return guess.extension, ALLOWED[guess.extension]
        raise UnsupportedMediaError(f"file type {guess.mime} is not allowed")
    is_text = bool(head) and _is_utf8_text(stream)
    stream.seek(0)
    if is_text:
        return "txt", ALLOWED["txt"]
    raise UnsupportedMediaError("only PDF, DOCX and UTF-8 text files are allowed")
