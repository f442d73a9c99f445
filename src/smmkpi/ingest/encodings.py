"""Which text encoding a file is in, decided from its bytes (reliability M1–M3).

UTF-8 (with or without BOM) and UTF-16 (with a BOM, or recognised by its zero bytes) are certain.
Windows-1251 — what Russian spreadsheets save — is accepted when the bytes are not UTF-8 and read
as Russian text in Windows-1251. Anything else is refused with the candidates named: decoding
with replacement characters would silently damage names and texts.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from smmkpi.errors import InvalidArgumentError, UnreadableFileError
from smmkpi.i18n import _
from smmkpi.ingest.files import locate_invalid_utf8

SAMPLE = 1 << 20

_CYRILLIC = frozenset(chr(c) for c in range(0x0410, 0x0450)) | {"ё", "Ё"}


def _looks_like_text(text: str) -> bool:
    """Mostly printable characters, and (for a non-ASCII sample) Cyrillic letters among them."""
    if not text:
        return True
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    if printable / len(text) < 0.98:
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    cyrillic = sum(1 for c in non_ascii if c in _CYRILLIC)
    return cyrillic / len(non_ascii) > 0.6


def detect(path: Path, declared: str | None = None) -> str:
    """The encoding of the text file at ``path`` (``declared`` wins when given)."""
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            raise InvalidArgumentError(
                _(
                    "--encoding '{value}' is not an encoding Python knows (try utf-8, cp1251, "
                    "utf-16)."
                ).format(value=declared)
            ) from None
        return declared
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_zeros > half * 0.4 and even_zeros < half * 0.05:
            return "utf-16-le"
        if even_zeros > half * 0.4 and odd_zeros < half * 0.05:
            return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    line, offset, value = locate_invalid_utf8(path)
    if any(byte >= 0xC2 for byte in sample[:offset]):  # valid UTF-8 letters before it
        raise UnreadableFileError(
            _(
                "{file} is UTF-8 text up to line {line}, where byte 0x{byte:02X} is not UTF-8: "
                "that line was pasted from text in another encoding (Windows-1251, most likely). "
                "Retype or fix line {line}, or save the whole file again as 'CSV UTF-8'."
            ).format(file=path.name, line=line, byte=value)
        )
    try:
        text = sample.decode("cp1251")
    except UnicodeDecodeError:  # pragma: no cover - cp1251 maps all but one byte
        text = ""
    if text and _looks_like_text(text):
        return "cp1251"
    raise UnreadableFileError(
        _(
            "{file}: cannot tell its text encoding: it is neither UTF-8, UTF-16 nor Russian "
            "Windows-1251 text. Pass --encoding with the right one, or save it as "
            "'CSV UTF-8'."
        ).format(file=path.name)
    )
