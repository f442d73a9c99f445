"""File helpers shared by readers: hashing, recognising containers, locating bad UTF-8."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

_CHUNK = 1 << 20

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP/XLSX"),
    (b"\xd0\xcf\x11\xe0", "XLS"),
    (b"\x1f\x8b", "gzip"),
    (b"%PDF", "PDF"),
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def container_of(head: bytes) -> str | None:
    """The kind of binary container ``head`` (a file's first bytes) starts, if any."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def utf16_bom(head: bytes) -> bool:
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def locate_invalid_utf8(path: Path) -> tuple[int, int, int]:
    """The first byte of ``path`` that is not valid UTF-8: (line, byte offset, byte value).

    Decodes incrementally, so a multi-byte character split between chunks is not a false alarm.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                # error.start is relative to the undecoded buffer: pending bytes + this chunk
                pending = len(error.object) - len(chunk)
                local = error.start - pending
                bad_offset = offset + local
                line += chunk[: max(local, 0)].count(b"\n")
                return line, bad_offset, error.object[error.start]
            line += chunk.count(b"\n")
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return line, offset - (len(error.object) - error.start), error.object[error.start]
    raise ValueError("the file is valid UTF-8")
