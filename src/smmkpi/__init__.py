"""smmkpi: KPIs for SMM, from the client's goal to the monthly report.

The Python API (``shared/spec/python-api.md``) is loaded when first used, so that the command
line starts without it:

>>> import smmkpi
>>> ws = smmkpi.open(folder)           # a workspace folder: here the demo agency of 2026-11-26
>>> ws.kpis(client="homedecor", month="2026-10").value("leads")
103
>>> sorted(smmkpi.__all__)[:3]
['Account', 'Client', 'KpiResult']
>>> issubclass(smmkpi.errors.NoPlanError, smmkpi.UserError)  # errors: one hierarchy
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time the names load when first used
    from smmkpi import errors as errors
    from smmkpi.api import Account, Client, KpiResult, Workspace, open
    from smmkpi.errors import UserError

__version__ = "0.1.0"
__all__ = [
    "Account",
    "Client",
    "KpiResult",
    "UserError",
    "Workspace",
    "__version__",
    "open",
]
_API = frozenset({"Account", "Client", "KpiResult", "Workspace", "open"})


def __getattr__(name: str) -> Any:
    """The API's names, loaded when first asked for (by name, so that the modules every
    command imports never depend on the API above them)."""
    if name in _API:
        return getattr(importlib.import_module("smmkpi.api"), name)
    if name == "UserError":
        return importlib.import_module("smmkpi.errors").UserError
    if name == "errors":  # the kinds of UserError: smmkpi.errors.NoPlanError, …
        return importlib.import_module("smmkpi.errors")
    raise AttributeError(f"module 'smmkpi' has no attribute {name!r}")
