"""What a report says of the content: each finding of ``metrics.content.findings`` as a
sentence, and the names of the groups it speaks of."""

from __future__ import annotations

from babel.dates import get_day_names

from smmkpi.formatting import format_number
from smmkpi.i18n import N_, Language, _, ngettext
from smmkpi.metrics.content import Finding

KIND_NAMES = {
    "post": N_("Posts"),
    "video": N_("Videos"),
    "reel": N_("Reels"),
    "story": N_("Stories"),
    "short": N_("Shorts"),
    "live": N_("Live streams"),
    "other": N_("Other publications"),
}

ATTRIBUTE_NAMES = {
    "carousel": N_("Carousels"),
    "link": N_("Posts with a link"),
    "poll": N_("Polls"),
}


def group_name(by: str, key: str, language: Language) -> str:
    """The group a finding speaks of, as the sentence's subject: ``Рилсы``, ``Вторник``,
    ``17:00–18:00``, ``Рубрика «Акции»``."""
    if by == "kind":
        return _(KIND_NAMES.get(key, N_("Other publications")))
    if by == "attribute":
        return _(ATTRIBUTE_NAMES[key]) if key in ATTRIBUTE_NAMES else key
    if by == "rubric":
        return _("Rubric «{name}»").format(name=key)
    if by == "weekday":
        return str(get_day_names("wide", locale=language)[int(key) - 1]).capitalize()
    if by == "hour":
        hour = int(key)
        return _("Posts at {hours}").format(hours=f"{hour:02d}:00–{(hour + 1) % 24:02d}:00")
    if by == "length":
        return _("Texts of {key} characters").format(key=key.replace("-", "–"))
    return key


def weekday_short(day: int, language: Language) -> str:
    """The short name of ISO weekday ``day`` (1 is Monday): ``Пн``, ``Mon``."""
    return str(get_day_names("abbreviated", locale=language)[day - 1]).capitalize()


def percent(value: float, language: Language) -> str:
    return format_number(value, 2, language) + "\u00a0%"


def finding_sentence(found: Finding, language: Language) -> str:
    """``Рилсы: ER 3,35 % — в 2,3 раза выше, чем у всех публикаций (1,48 %); 8 публикаций.``"""
    figures = found.figures
    assert figures.er is not None and figures.er_index is not None
    index = figures.er_index
    times = format_number(index if index >= 1 else 1 / index, 1, language)
    average = percent(found.total_er, language)
    comparison = (
        _("{times} times the ER of all posts ({average})")
        if index >= 1
        else _("{times} times below the ER of all posts ({average})")
    ).format(times=times, average=average)
    posts = ngettext("{n} post", "{n} posts", figures.posts).format(n=figures.posts)
    return _("{group}: ER {er} — {comparison}; {posts}.").format(
        group=group_name(found.by, figures.key or "", language),
        er=percent(figures.er, language),
        comparison=comparison,
        posts=posts,
    )
