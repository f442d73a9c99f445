"""The web tests use the bakery's workspace of the report tests."""

from tests.report.conftest import bakery

__all__ = ["bakery"]
