"""Languages of the interface: gettext catalogues (English source strings, Russian translation).

Messages are written in English in the code and wrapped in ``_()``; the Russian text lives in
``locale/ru/LC_MESSAGES/smmkpi.po``. The ``.po`` file is compiled in memory with Babel when first
needed, so the repository holds no binary ``.mo`` file and there is no build step.

The current language is a context variable: the CLI sets it once from ``--lang`` or the
settings; library code that formats messages reads it. Library use defaults to English.

>>> with use_language("ru"):
...     _("no data")
'нет данных'
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Literal

Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ru", "en")
DOMAIN = "smmkpi"

_current: ContextVar[Language] = ContextVar("smmkpi_language", default="en")


def parse_language(value: str) -> Language:
    """Return ``value`` as a supported language; raise ``ValueError`` otherwise."""
    lowered = value.strip().lower()
    if lowered not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}")
    return "ru" if lowered == "ru" else "en"


@cache
def translations(language: Language) -> gettext.NullTranslations:
    """The gettext catalogue of ``language`` (English is the source language)."""
    if language == "en":
        return gettext.NullTranslations()
    po_file = resources.files("smmkpi").joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
    with po_file.open("rb") as handle:
        from babel.messages.mofile import write_mo  # only when a catalogue is first needed
        from babel.messages.pofile import read_po

        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def current_language() -> Language:
    """The language messages are produced in right now."""
    return _current.get()


def set_language(language: Language) -> None:
    """Switch the language of messages for the rest of this context (the CLI does it once)."""
    _current.set(language)


@contextmanager
def use_language(language: Language) -> Iterator[None]:
    """Produce messages in ``language`` inside a ``with`` block."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translations(_current.get()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for translation where it is declared; translate it with ``_`` where it
    is shown (messages kept in tables)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count (Russian has three plural forms)."""
    return translations(_current.get()).ngettext(singular, plural, n)
