"""Checks that an answer still has the shape the importers read: a field missing or retyped is
named (``items[3].date``), and nothing of the connection is imported until smmkpi knows the new
shape — never an empty chart, never a half-read answer."""

from __future__ import annotations

from typing import Any

from smmkpi.i18n import N_, _
from smmkpi.sync.errors import ShapeChangedError

NUMBER = "number"
TEXT = "text"
LIST = "list"
OBJECT = "object"
_KINDS: dict[str, tuple[type, ...]] = {
    NUMBER: (int, float),
    TEXT: (str,),
    LIST: (list,),
    OBJECT: (dict,),
}


_NAMES = {NUMBER: N_("number"), TEXT: N_("text"), LIST: N_("list"), OBJECT: N_("object"),
          "true/false": N_("true/false"), "null": N_("null")}  # fmt: skip


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    for name, types in _KINDS.items():
        if isinstance(value, types):
            return name
    return "null" if value is None else type(value).__name__


def _named(kind: str) -> str:
    """A kind of value in the reader's language."""
    return _(_NAMES[kind]) if kind in _NAMES else kind


class ShapeCheck:
    """The fields one method's answer must have (``required``) or may have (``optional``),
    as dotted paths (``likes.count``)."""

    def __init__(self, platform: str, method: str) -> None:
        self.platform, self.method = platform, method

    def field(
        self, data: Any, path: str, kind: str, *, where: str = "", required: bool = True
    ) -> Any:
        """The value at ``path`` of ``data``, checked to be of ``kind``."""
        value = data
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                if not required:
                    return None
                self.fail(f"{where}{path}", _("is missing"))
            value = value[part]
        if value is None and not required:
            return None
        if kind_of(value) != kind:
            shown = str(value)
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            self.fail(
                f"{where}{path}",
                _("is {found} («{value}»), not {kind}").format(
                    found=_named(kind_of(value)), value=shown, kind=_named(kind)
                ),
            )
        return value

    def items(self, data: Any, path: str, *, where: str = "") -> list[Any]:
        """A list field whose items are objects."""
        found: list[Any] = self.field(data, path, LIST, where=where) if path else data
        if not path and not isinstance(data, list):
            self.fail(
                _("the answer"),
                _("is {found}, not {kind}").format(found=_named(kind_of(data)), kind=_named(LIST)),
            )
        for index, item in enumerate(found):
            if not isinstance(item, dict):
                self.fail(
                    f"{where}{path}[{index}]",
                    _("is {found}, not {kind}").format(
                        found=_named(kind_of(item)), kind=_named(OBJECT)
                    ),
                )
        return found

    def fail(self, where: str, problem: str) -> None:
        raise ShapeChangedError(
            _(
                "{platform} changed the answer of {method}: {field} {problem}. Nothing of this "
                "connection was imported; smmkpi has to learn the new shape (please report it)."
            ).format(platform=self.platform, method=self.method, field=where, problem=problem)
        )
