"""The client page's content section: what stood out in the last full month's posts, a posting
heatmap (weekday × hour, the last three full months, in the client's time zone) with its best
slots, and the client's rubrics — added and removed here as with ``smmkpi rubric``, with the
same checks and words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from smmkpi.errors import UserError
from smmkpi.formatting import format_day, format_number
from smmkpi.i18n import Language, use_language
from smmkpi.metrics.content import (
    DEFAULT_MIN_POSTS,
    Figures,
    best_slots,
    content_findings,
    content_posts,
    group_posts,
    stored_rubrics,
)
from smmkpi.metrics.periods import Period
from smmkpi.metrics.scope import ClientInfo
from smmkpi.planning import rubrics as rubric_editing
from smmkpi.planning.series import months_back
from smmkpi.report.content_words import finding_sentence, weekday_short
from smmkpi.report.wording import period_name
from smmkpi.store import rubrics as stored
from smmkpi.store import versions
from smmkpi.store.database import Store
from smmkpi.web.site import Editor, Site

HEATMAP_MONTHS = 3


@dataclass(frozen=True)
class HeatCell:
    hour: int
    posts: int
    er: float | None
    level: str  # none, low, mid, high (the ER against all posts'), few: too few posts


def _level(figures: Figures | None) -> str:
    if figures is None:
        return "none"
    index = figures.er_index
    if index is None:
        return "few" if figures.too_few_posts else "mid"
    level = "low" if index < 0.75 else "high" if index > 1.25 else "mid"
    return f"{level} few" if figures.too_few_posts else level


def content_part(
    site: Site, store: Store, client: ClientInfo, month: Period, lang: Language
) -> dict[str, Any]:
    """The content section of ``client``'s page for the last full month ``month``; kept until
    the imports or the rubrics change."""

    def compute() -> dict[str, Any]:
        months = months_back(month, HEATMAP_MONTHS)
        span = Period(months[0].start, month.end)
        posts = content_posts(store.backend, client, span)
        in_month = [p for p in posts if month.start <= p.published.date() <= month.end]
        rubrics = stored_rubrics(store.con, client.client_id)
        with use_language(lang):
            found = content_findings(client, month, in_month, rubrics)
            sentences = [finding_sentence(f, lang) for f in found]
        slots = {g.key: g for g in group_posts(client, span, posts, "slot").groups}
        heatmap = [
            (day, [HeatCell(hour, *_cell(slots.get(f"{day}-{hour:02d}"))) for hour in range(24)])
            for day in range(1, 8)
        ]
        return {
            "content_findings": sentences,
            "content_posts": len(in_month),
            "heatmap": heatmap,
            "heatmap_posts": len(posts),
            "heatmap_from": months[0].start,
            "best_slots": best_slots(client, span, posts),
            "rubrics": stored.listed(store.con, client.client_id),
        }

    version = (
        *versions.client_version(store.con, client.client_id),
        repr(stored_rubrics(store.con, client.client_id)),
    )
    key = ("content", client.client_id, lang, month.key())
    part: dict[str, Any] = site.insights.get(key, version, compute)
    return {
        **part,
        "content_month": month,
        "min_posts": DEFAULT_MIN_POSTS,
        "period_name": lambda period: period_name(period, lang),
        "short_day": lambda day: format_day(day, lang),
        "weekday": lambda day: weekday_short(day, lang),
        "pct2": lambda value: "—" if value is None else format_number(value, 2, lang) + "\u00a0%",
    }


def _cell(figures: Figures | None) -> tuple[int, float | None, str]:
    if figures is None:
        return 0, None, "none"
    return figures.posts, figures.er, _level(figures)


def content_router(site: Site) -> APIRouter:
    from smmkpi.web.editing import error, in_section, page_or_section

    router = APIRouter(include_in_schema=False)

    @router.post("/clients/{client_id}/rubrics", response_model=None)
    def add_rubric(
        request: Request,
        client_id: str,
        who: Editor,
        name: str = Form(""),
        hashtags: str = Form(""),
        contains: str = Form(""),
        posts: str = Form(""),
    ) -> Response:
        with use_language(site.language(request)):
            try:
                with site.db.store() as store:
                    said = rubric_editing.add_rubric(
                        store, client_id, name,
                        hashtags.replace(",", " ").split(),
                        [line for line in contains.splitlines() if line.strip()],
                        posts.replace(",", " ").split(),
                        datetime.now(UTC),
                    )  # fmt: skip
                message = {"kind": "ok", "text": said}
            except UserError as refused:
                message = error(str(refused))
        status = 422 if message["kind"] == "error" else 200
        return page_or_section(
            site, request, who, client_id, "content_section", status,
            notes=in_section("content_section", [message]),
        )  # fmt: skip

    @router.post("/clients/{client_id}/rubrics/remove", response_model=None)
    def remove_rubric(
        request: Request, client_id: str, who: Editor, name: str = Form("")
    ) -> Response:
        with use_language(site.language(request)):
            try:
                with site.db.store() as store:
                    message = {
                        "kind": "ok",
                        "text": rubric_editing.remove_rubric(store, client_id, name),
                    }
            except UserError as refused:
                message = error(str(refused))
        return page_or_section(
            site, request, who, client_id, "content_section",
            422 if message["kind"] == "error" else 200,
            notes=in_section("content_section", [message]),
        )  # fmt: skip

    return router
