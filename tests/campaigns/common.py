"""Shared plumbing for the campaigns: the suites' helpers (real binary, real TLS on loopback,
real SQLite), a temporary root, RSS from /proc, and a pass/fail tally."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if os.environ.get("INKAN_BIN"):
    os.environ["INKAN_BIN"] = os.path.abspath(os.environ["INKAN_BIN"])
sys.path.insert(0, str(HERE.parent / "suites"))

from helpers import Inkan, run, write_secret, clean_env, describe  # noqa: E402,F401
from serve_support import Server, curl, not_before_for  # noqa: E402,F401
from admin_support import Browser, client_pem, csrf_of  # noqa: E402,F401


def workdir(name: str) -> Path:
    keep = os.environ.get("CAMPAIGN_DIR")
    if keep:
        p = Path(keep) / name
        p.mkdir(parents=True, exist_ok=True)
        return p
    return Path(tempfile.mkdtemp(prefix=f"inkan-{name}-"))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


class Tally:
    def __init__(self, name: str):
        self.name, self.failures = name, []

    def check(self, ok: bool, what: str):
        print(("PASS " if ok else "FAIL ") + what, flush=True)
        if not ok:
            self.failures.append(what)

    def finish(self) -> int:
        if self.failures:
            print(f"{self.name}: FAILED ({len(self.failures)} conditions)")
            return 1
        print(f"{self.name}: all pass conditions met")
        return 0
