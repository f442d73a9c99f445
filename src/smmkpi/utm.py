"""Tagged links: a landing page's URL with ``utm_source``, ``utm_medium``, ``utm_campaign`` (and
``utm_content``, ``utm_term``) added the way analytics read them back.

>>> tag("https://coffeelab.ru/menu?city=msk#autumn", "VK", "social", "Autumn Menu").url
'https://coffeelab.ru/menu?city=msk&utm_source=vk&utm_medium=social&utm_campaign=autumn_menu#autumn'

- The page's own query string and fragment stay; an old ``utm_*`` of the page is replaced (and
  said so), so that a link copied from an earlier campaign is not tagged twice.
- Values are trimmed, lower-cased and have runs of spaces as ``_``: ``Осень 2025`` and
  ``осень_2025`` are one campaign in the reports, not two.
- Warnings, not errors: a value with an ad platform's macro (``{campaign_id}`` — the platform
  fills it in an ad's link template, but in a post it stays as typed and counts as empty), a
  source and medium the social attribution will not recognise (sessions through the link would
  not count as social), letters outside Latin (percent-encoded in the link), an address without
  ``https://``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from smmkpi.errors import UserError
from smmkpi.i18n import _, ngettext
from smmkpi.metrics.attribution import SocialRules

PARTS = ("source", "medium", "campaign", "content", "term")
MACRO = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class TaggedLink:
    """A tagged link, the values it carries and what to look out for."""

    url: str
    base_url: str
    values: dict[str, str | None]
    warnings: list[str] = field(default_factory=list)


def normalise(value: str | None) -> str | None:
    """Trimmed, lower-case, spaces as ``_``; None when empty. Macros keep their braces."""
    if value is None:
        return None
    text = re.sub(r"\s+", "_", value.strip().lower())
    return text or None


def tag(
    url: str,
    source: str,
    medium: str,
    campaign: str,
    content: str | None = None,
    term: str | None = None,
    *,
    client_id: str = "",
    rules: SocialRules | None = None,
) -> TaggedLink:
    """``url`` with the UTM parameters added; see the module docstring."""
    warnings: list[str] = []
    address = url.strip()
    has_scheme = re.match(r"^[a-z][a-z0-9+.-]*:(?!\d)", address, re.IGNORECASE)
    if not has_scheme:
        address = "https://" + address
        warnings.append(_("The address had no scheme; https:// was added."))
    parts = urlsplit(address)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UserError(
            _("'{url}' is not a web page's address (https://site/page).").format(url=url)
        )
    values = {
        "source": normalise(source),
        "medium": normalise(medium),
        "campaign": normalise(campaign),
        "content": normalise(content),
        "term": normalise(term),
    }
    for part in ("source", "medium", "campaign"):
        if not values[part]:
            raise UserError(_("--{part} is empty; a tagged link needs it.").format(part=part))
    kept = parse_qsl(parts.query, keep_blank_values=True)
    replaced = [k for k, _v in kept if k.lower().startswith("utm_")]
    if replaced:
        warnings.append(
            ngettext(
                "The address already had {names}; it was replaced.",
                "The address already had {names}; they were replaced.",
                len(replaced),
            ).format(names=", ".join(replaced))
        )
    own = [(k, v) for k, v in kept if not k.lower().startswith("utm_")]
    tags = [(f"utm_{p}", str(values[p])) for p in PARTS if values[p]]
    path = str(parts.path or "/")
    tagged = urlunsplit(
        (parts.scheme, parts.netloc, path, urlencode(own + tags, safe="{}"), parts.fragment)
    )
    base = urlunsplit((parts.scheme, parts.netloc, path, urlencode(own), ""))
    warnings += _warnings(values, client_id, rules or SocialRules())
    return TaggedLink(tagged, base, values, warnings)


def _warnings(values: dict[str, str | None], client_id: str, rules: SocialRules) -> list[str]:
    found = []
    for part, value in values.items():
        if value and MACRO.search(value):
            found.append(
                _(
                    "utm_{part} '{value}' holds a macro: an ad platform fills it in an ad's link "
                    "template, but in a post it stays as typed and the analytics count it as empty."
                ).format(part=part, value=value)
            )
        if value and not value.isascii():
            found.append(
                _(
                    "utm_{part} '{value}' has letters outside Latin; they are percent-encoded in "
                    "the link. Latin letters are easier to read in reports."
                ).format(part=part, value=value)
            )
    if not rules.counts_as_social(client_id, values["source"], values["medium"]):
        found.append(
            _(
                "Neither utm_source '{source}' nor utm_medium '{medium}' is one the social "
                "attribution recognises, so visits through this link will not count as social. Use "
                "a platform as the source (vk, telegram, instagram…) or social as the medium, or "
                "add the value to the settings' attribution lists."
            ).format(source=values["source"], medium=values["medium"])
        )
    return found
