"""Building the demo workspace: generate the data, import the canonical files and then every
platform export through its importer (recognised by content, as ``smmkpi import`` does). The
``demo`` command and the tests share this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from smmkpi.demo.agency import AGENCY_NAME
from smmkpi.demo.competitors import add_rivals
from smmkpi.demo.delivery import add_schedules
from smmkpi.demo.generate import DemoData, captured_at, generate
from smmkpi.demo.plans import brief_and_plan
from smmkpi.demo.sync import sync_from_sandbox
from smmkpi.demo.users import add_demo_users
from smmkpi.errors import UserError
from smmkpi.i18n import _
from smmkpi.ingest.canonical import CanonicalSource
from smmkpi.ingest.context import ImportContext
from smmkpi.ingest.pipeline import ImportOutcome, run_import
from smmkpi.ingest.service import import_paths
from smmkpi.planning.plans import Plan
from smmkpi.planning.status import KpiStatus
from smmkpi.settings import SETTINGS_FILE
from smmkpi.sync.runner import SyncResult
from smmkpi.workspace import Workspace

DATA_FOLDER = "demo-data"

DEMO_SETTINGS = """
# The demo's own settings: homedecor's managers type "ВКонтакте" in the CRM's channel field,
# which the built-in list does not know; this teaches smmkpi that it means VK.
[attribution.clients.homedecor]
extra_social_sources = ["вконтакте"]"""
# The agency's branding on the reports, set in the [report] section of the settings template.
DEMO_REPORT = {"specialist": "Анна Смирнова", "logo": "logo.svg"}

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="48" viewBox="0 0 120 48">
<rect x="0" y="4" width="40" height="40" rx="9" fill="#1F3A5F"/>
<rect x="8" y="26" width="6" height="11" rx="1.5" fill="#ffffff"/>
<rect x="17" y="19" width="6" height="18" rx="1.5" fill="#ffffff"/>
<rect x="26" y="11" width="6" height="26" rx="1.5" fill="#E07A2E"/>
<circle cx="62" cy="24" r="10" fill="none" stroke="#1F3A5F" stroke-width="5"/>
<path d="M82 34 L94 14 L106 34 Z" fill="#E07A2E"/>
</svg>
"""

Step = Callable[[str], None]


@dataclass
class DemoBuild:
    workspace: Workspace
    data: DemoData
    outcomes: list[tuple[str, ImportOutcome]]  # (importer, what it did), in import order
    plans: dict[str, Plan] = field(default_factory=dict)
    statuses: dict[str, list[KpiStatus]] = field(default_factory=dict)
    synced: list[SyncResult] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(outcome.changed for _name, outcome in self.outcomes)


def build_demo(
    folder: Path,
    as_of: date,
    seed: int = 42,
    on_step: Step | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> DemoBuild:
    """Create (or refresh) the demo workspace in ``folder`` as of ``as_of``."""
    folder = folder.resolve()
    step = on_step or (lambda _text: None)
    if folder.exists() and any(folder.iterdir()) and not (folder / SETTINGS_FILE).exists():
        raise UserError(
            _(
                "{folder} exists and is not an smmkpi workspace; choose an empty or new folder for "
                "the demo."
            ).format(folder=folder)
        )
    step(_("Generating the demo agency's data"))
    data = generate(folder / DATA_FOLDER, as_of, seed)
    step(_("Creating the workspace"))
    workspace, created = Workspace.init(folder, AGENCY_NAME)
    if created:
        settings_file = folder / SETTINGS_FILE
        text = settings_file.read_text(encoding="utf-8")
        for key, value in DEMO_REPORT.items():
            text = text.replace(f'# {key} = ""', f'{key} = "{value}"', 1)
        settings_file.write_text(text + DEMO_SETTINGS, encoding="utf-8")
        (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
        workspace = Workspace.open(folder)
    step(_("Importing the canonical files"))
    outcomes: list[tuple[str, ImportOutcome]] = []
    with workspace.open_store() as store:
        for folder_ in data.canonical:
            outcome = run_import(store, CanonicalSource(folder_), on_progress=on_progress)
            outcomes.append(("canonical", outcome))
        step(_("Importing the platform exports"))
        for export in data.exports:
            context = ImportContext(
                client_id=export.client_id,
                account_id=export.account_id,
                as_of=captured_at(export.client_id, as_of),
            )
            (report,) = list(import_paths(store, [export.path], context))
            if report.error is not None:
                raise report.error
            assert report.outcome is not None and report.importer is not None
            outcomes.append((report.importer.name, report.outcome))
        step(_("Connecting VK to the local sandbox and syncing the last week"))
        synced = sync_from_sandbox(workspace, store, data, as_of)
        failed = [r for r in synced if r.failed]
        if failed:
            raise UserError(str(failed[0].error))
        step(_("Writing the briefs and the plans"))
        plans, statuses = brief_and_plan(store, as_of, workspace.social_rules())
        add_rivals(store, data.history_start, as_of, seed)
        add_demo_users(store)
    step(_("Adding the delivery schedules and alerts"))
    add_schedules(workspace, datetime.now(UTC))
    return DemoBuild(workspace, data, outcomes, plans, statuses, synced)
