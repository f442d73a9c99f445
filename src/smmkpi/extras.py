"""smmkpi's optional parts — pyproject's extras — and the error that names a missing one.

The core (``pip install smmkpi``) imports, computes, plans and reports on a DuckDB workspace.
The rest comes as extras, each checked where it is first needed, so that the message says what
to install instead of a bare ``ImportError``:

>>> sorted(EXTRAS)
['postgresql', 'spark', 'telegram', 'web']
>>> raise missing("web")
Traceback (most recent call last):
  ...
smmkpi.errors.MissingExtraError: The web app needs smmkpi's web extra: pip install 'smmkpi[web]'.
"""

from __future__ import annotations

import importlib

from smmkpi.errors import MissingExtraError
from smmkpi.i18n import _

#: Each extra and the modules that tell whether it is installed.
EXTRAS: dict[str, tuple[str, ...]] = {
    "postgresql": ("psycopg", "psycopg_pool"),
    "web": ("fastapi", "uvicorn", "python_multipart"),
    "spark": ("pyspark",),
    "telegram": ("telethon",),
}


def require(extra: str) -> None:
    """Import the extra's modules, or raise :class:`~smmkpi.errors.MissingExtraError` naming
    the extra to install."""
    try:
        for name in EXTRAS[extra]:
            importlib.import_module(name)
    except ImportError:
        raise missing(extra) from None


def missing(extra: str) -> MissingExtraError:
    """The error that says ``extra`` is not installed and how to install it."""
    message = {
        "postgresql": _(
            "A PostgreSQL workspace needs smmkpi's postgresql extra: "
            "pip install 'smmkpi[postgresql]'."
        ),
        "web": _("The web app needs smmkpi's web extra: pip install 'smmkpi[web]'."),
        "spark": _(
            "Computing on Spark needs smmkpi's spark extra: pip install 'smmkpi[spark]' "
            "(and Java 17 or newer)."
        ),
        "telegram": _(
            "Reading Telegram needs smmkpi's telegram extra: pip install 'smmkpi[telegram]'."
        ),
    }[extra]
    return MissingExtraError(message)
