"""The demo's live sync: its VK communities connected to the sandbox on loopback, which serves
their recorded answers as VK would (3 requests a second per token, pages, the 300 newest posts'
reach), and synced from it — the history came from exported files, the last week comes from the
API, as an agency that connects a platform after importing its history sees it."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, timedelta

from smmkpi.demo.generate import DemoData, captured_at
from smmkpi.sandbox.server import Sandbox, serving
from smmkpi.sandbox.vk import Community, VkPlatform
from smmkpi.store import connections as stored
from smmkpi.store.database import Store
from smmkpi.sync.connect import connect_vk
from smmkpi.sync.credentials import credential_box
from smmkpi.sync.runner import SyncResult, run_sync
from smmkpi.workspace import Workspace

SYNCED_DAYS = 7


def sync_from_sandbox(
    workspace: Workspace, store: Store, data: DemoData, as_of: date
) -> list[SyncResult]:
    """Connect each VK account of the demo to the sandbox (a token of its own) and sync its
    last :data:`SYNCED_DAYS` days; the answers equal the files imported, so nothing changes."""
    exports = [e for e in data.exports if e.path.parent.name == "vk" and e.account_id]
    communities = {e.account_id: Community.from_folder(e.path) for e in exports}
    sandbox = Sandbox()
    sandbox.platforms.append(
        VkPlatform(
            sandbox,
            list(communities.values()),
            {f"sandbox-{account}": {c.group_id} for account, c in communities.items()},
        )
    )
    # the moment the demo's lifetime figures were read (the earliest of its clients'): the
    # sync reads the same figures, not newer ones
    now = min(captured_at(e.client_id, as_of) for e in exports)
    box = credential_box(workspace.path, store.engine == "postgresql")
    with serving(sandbox):
        sync = workspace.settings.sync
        settings = sync.model_copy(
            update={"vk": sync.vk.model_copy(update={"base_url": sandbox.url})}
        )
        for account in communities:
            connect_vk(store, box, settings, str(account), f"sandbox-{account}", now)
        selected = [c for c in stored.listed(store.con) if c.account_id in communities]
        return run_sync(
            lambda: nullcontext(store), workspace.path, settings, selected, box,
            now=now, today=as_of, first=as_of - timedelta(days=SYNCED_DAYS),
        )  # fmt: skip
