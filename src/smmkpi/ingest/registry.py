"""The importers smmkpi knows, in one table: adding a source is a module and one line here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.i18n import _
from smmkpi.ingest import canonical
from smmkpi.ingest.pipeline import ImportSource


@dataclass(frozen=True)
class Importer:
    """One importable format: its name, what it reads and fills, how to recognise it."""

    name: str
    reads: str
    fills: str
    detect: Callable[[Path], bool]
    open: Callable[[Path], ImportSource]


IMPORTERS: tuple[Importer, ...] = (
    Importer(
        name=canonical.NAME,
        reads="smmkpi canonical CSV: a folder of <table>.csv files, or one of them",
        fills="every canonical table",
        detect=canonical.is_canonical,
        open=canonical.CanonicalSource,
    ),
)

IMPORTERS_BY_NAME = {i.name: i for i in IMPORTERS}


def importer_named(name: str) -> Importer:
    try:
        return IMPORTERS_BY_NAME[name.strip().lower()]
    except KeyError:
        raise UnknownChoiceError(_("import format"), name, IMPORTERS_BY_NAME) from None


def detect_importer(path: Path) -> Importer:
    """The importer that recognises ``path``; an error when none or several do."""
    if not path.exists():
        raise UserError(_("{path} does not exist.").format(path=path))
    matches = [i for i in IMPORTERS if i.detect(path)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(i.name for i in (matches or IMPORTERS))
    if not matches:
        raise UserError(
            _("Cannot tell what {path} is. Pass --format with one of: {names}.").format(
                path=path, names=names
            )
        )
    raise UserError(
        _("{path} could be any of: {names}. Pass --format to choose.").format(
            path=path, names=names
        )
    )
