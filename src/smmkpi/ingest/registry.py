"""The importers smmkpi knows, in one table: adding a source is a module and one line here.

Without ``--format``, each path is recognised by content: every importer looks at the sniffed
path and says whether it is one of its files. One claim: that importer. Several: the command
lists them and asks for ``--format``. None, for a folder: each file in it is an import of its
own (a folder of mixed exports). None, for a file: an error naming the supported formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from smmkpi.errors import UnknownChoiceError, UserError
from smmkpi.i18n import N_, _
from smmkpi.ingest import (
    ads,
    amocrm,
    bitrix24,
    canonical,
    ga4,
    mapped,
    mentions,
    meta,
    metrica,
    telegram,
    tiktok,
    vk,
    youtube,
)
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.pipeline import ImportSource
from smmkpi.ingest.sniff import Sniffed
from smmkpi.store.tables import TABLES_BY_NAME


@dataclass(frozen=True)
class Importer:
    """One importable format: its name, what it reads and fills, how to recognise it."""

    name: str
    reads: str
    fills: str
    detect: Callable[[Sniffed], bool]
    open: Callable[[Path, ImportContext], ImportSource]
    batches: bool = False
    """Whether a folder of its files is one import (an export's files read together), so that
    files of it named in one command or uploaded together are one import too."""


def _canonical_detect(sniffed: Sniffed) -> bool:
    """A table-named CSV whose first row names the table's key columns (an export that is
    merely called ``mentions.csv`` is not canonical), or a folder holding one."""
    if sniffed.kind == "folder":
        return any(_canonical_detect(child) for child in sniffed.children)
    if not canonical.is_canonical(sniffed.path) or not sniffed.rows:
        return False
    table = TABLES_BY_NAME[sniffed.path.stem.lower()]
    return set(table.key) <= set(sniffed.rows[0])


IMPORTERS: tuple[Importer, ...] = (
    Importer(
        name=canonical.NAME,
        reads=N_("smmkpi canonical CSV: a folder of <table>.csv files, or one of them"),
        fills=N_("every canonical table"),
        detect=_canonical_detect,
        open=lambda path, _context: canonical.CanonicalSource(path),
        batches=True,
    ),
    Importer(
        name=vk.NAME,
        reads=N_(
            "VK API JSON: stats.get, wall.get, stats.getPostReach, groups.getById "
            "(a file, or a folder of one community's responses)"
        ),
        fills="account_daily, posts",
        detect=vk.detect,
        open=vk.VkSource,
        batches=True,
    ),
    Importer(
        name=telegram.NAME,
        reads=N_(
            "Telegram: Desktop export result.json, stats.getBroadcastStats saved from Telethon, "
            "TGStat API channels/stat and channels/posts (a file, or a channel's folder)"
        ),
        fills="posts, account_daily",
        detect=telegram.detect,
        open=telegram.TelegramSource,
        batches=True,
    ),
    Importer(
        name=meta.NAME,
        reads=N_(
            "Instagram and Facebook: Meta Business Suite post exports, page-level daily series "
            "(Follows.csv, Views.csv, ...), Graph API insights JSON"
        ),
        fills="posts, account_daily",
        detect=meta.detect,
        open=meta.MetaSource,
        batches=True,
    ),
    Importer(
        name=youtube.NAME,
        reads=N_(
            "YouTube Studio export (the zip, or its Table data.csv) by content or by date; "
            "YouTube Analytics API reports by day"
        ),
        fills="posts, account_daily",
        detect=youtube.detect,
        open=youtube.YouTubeSource,
    ),
    Importer(
        name=tiktok.NAME,
        reads=N_(
            "TikTok Studio exports: Overview, FollowerHistory, Viewers (CSV, XLSX, or a folder)"
        ),
        fills="account_daily",
        detect=tiktok.detect,
        open=tiktok.TikTokSource,
        batches=True,
    ),
    Importer(
        name=metrica.NAME,
        reads=N_(
            "Yandex Metrica: a report by UTM tags exported as CSV or XLSX, or a Reports API "
            "response (/stat/v1/data)"
        ),
        fills="web_sessions",
        detect=metrica.detect,
        open=metrica.MetricaSource,
    ),
    Importer(
        name=ga4.NAME,
        reads=N_(
            "Google Analytics 4: a report downloaded as CSV (session source / medium, "
            "campaign), or a Data API runReport response"
        ),
        fills="web_sessions",
        detect=ga4.detect,
        open=ga4.Ga4Source,
    ),
    Importer(
        name=amocrm.NAME,
        reads=N_(
            "amoCRM (Kommo): the deals list exported as CSV or XLSX, or API v4 /leads pages "
            "(a file, or a folder of pages)"
        ),
        fills="leads, sales",
        detect=amocrm.detect,
        open=amocrm.AmoCrmSource,
        batches=True,
    ),
    Importer(
        name=bitrix24.NAME,
        reads=N_(
            "Bitrix24: REST crm.deal.list and crm.lead.list responses (a file, or a folder of "
            "pages), or the deals list exported as CSV or Excel (HTML)"
        ),
        fills="leads, sales",
        detect=bitrix24.detect,
        open=bitrix24.Bitrix24Source,
        batches=True,
    ),
    Importer(
        name=mentions.NAME,
        reads=N_(
            "mentions exported by social-listening tools (Brand Analytics, YouScan, IQBuzz…) "
            "as CSV or XLSX"
        ),
        fills="mentions",
        detect=mentions.detect,
        open=mentions.MentionsSource,
    ),
    *(
        Importer(
            name=fmt.name,
            reads=description,
            fills="ad_spend",
            detect=ads.detector(fmt),
            open=ads.opener(fmt),
        )
        for fmt, description in (
            (ads.VK_ADS, N_("VK Ads statistics by day and campaign (CSV or XLSX)")),
            (
                ads.YANDEX_DIRECT,
                N_("Yandex Direct: the report wizard by day and campaign, or a Reports API TSV"),
            ),
            (ads.META_ADS, N_("Meta Ads Manager export by day and campaign (CSV or XLSX)")),
        )
    ),
    Importer(
        name=mapped.NAME,
        reads=N_(
            "any CSV, XLSX or HTML table through a saved mapping profile (--profile NAME; "
            "smmkpi profile create FILE makes one)"
        ),
        fills=N_("the profile's table"),
        detect=lambda _sniffed: False,
        open=mapped.MappedSource,
    ),
)

IMPORTERS_BY_NAME = {i.name: i for i in IMPORTERS}


def importer_named(name: str) -> Importer:
    try:
        return IMPORTERS_BY_NAME[name.strip().lower()]
    except KeyError:
        raise UnknownChoiceError(
            _("import format"), name, IMPORTERS_BY_NAME, _("See `smmkpi import --formats`.")
        ) from None


def detect(path: Path, encoding: str | None = None) -> list[tuple[Path, Importer]]:
    """The imports ``path`` makes: one (path, importer), or one per file of a folder that no
    importer claims as a whole."""
    if not path.exists():
        raise UserError(_("{path} does not exist.").format(path=path))
    sniffed = Sniffed(path, encoding)
    matches = [i for i in IMPORTERS if i.detect(sniffed)]
    if len(matches) == 1:
        return [(path, matches[0])]
    if len(matches) > 1:
        names = ", ".join(i.name for i in matches)
        raise UserError(
            _("{path} could be any of: {names}. Pass --format to choose.").format(
                path=path, names=names
            )
        )
    if sniffed.kind == "folder":
        found: list[tuple[Path, Importer]] = []
        for child in sniffed.children:
            found += detect(child.path, encoding)
        if found:
            return found
    if sniffed.problem is not None:  # it could not even be read
        raise sniffed.problem
    message = _(
        "Cannot tell what {path} is. Pass --format with one of: {names} "
        "(`smmkpi import --formats` says what each reads)."
    ).format(path=path, names=", ".join(IMPORTERS_BY_NAME))
    if sniffed.kind in ("text", "xlsx", "xls", "html"):
        message += " " + _(
            "A table of your own (not a platform's export): `smmkpi profile create {path}` maps "
            "its columns once, then `smmkpi import {path} --profile NAME`."
        ).format(path=path)
    raise UserError(message)
