"""Who claims a row (a connection to sync, a report to send) and when a claim is gone: the
process on this machine that held it died, or it is older than any such work takes."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta


def owner_id() -> str:
    """Who claims: this machine and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def stale_claim(holder: str, since: datetime | None, now: datetime, expires: timedelta) -> bool:
    """A claim whose work is gone: its process on this machine died, or it is older than
    ``expires``."""
    host, _sep, pid = holder.rpartition(":")
    if since is None or now - since > expires:
        return True
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False
