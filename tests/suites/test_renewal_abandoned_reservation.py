"""A reservation left behind (a process killed between reserving and committing the successor,
or whose clean-up failed on a full disk) must not block the certificate's renewal forever
(campaigns crash_server.py and disk_full.py): a renewal takes over a reservation older than
10 minutes, audited as `reservation.clear`; a younger one is still treated as a renewal in
progress (409 "try again")."""
from __future__ import annotations

import subprocess

from helpers import clean_env
from serve_support import not_before_for


def add_reservation(ca, predecessor: str, serial: str, age_s: int):
    ca.sql("INSERT INTO certificates (serial, ca_id, tenant_id, cn, kind, key_type, state, requested_at,"
           " not_before, not_after, predecessor)"
           f" SELECT '{serial}', ca_id, tenant_id, cn, kind, key_type, 'reserved', unixepoch() - {age_s},"
           f" not_before, not_after, serial FROM certificates WHERE serial = '{predecessor}'")


def successors(ca, serial: str) -> list[tuple[str, str]]:
    rows = ca.sql(f"SELECT serial, state FROM certificates WHERE predecessor = '{serial}'").split()
    return [tuple(r.split("|")) for r in rows]


def test_abandoned_reservation_is_taken_over(make_inkan):
    ca = make_inkan("abandoned")
    ca.init()
    ca.tenant_add("acme", "Acme")
    old = ca.issue("acme", "left-behind", ca.root / "issued", "--key", "ec-p256", "--not-before", not_before_for(30))
    stale = "7E57AB4ED0E5E4FE1A2B3C4D5E6F7081"
    add_reservation(ca, old["serial"], stale, age_s=3600)
    assert "leftover serial " + stale in ca.run("doctor", check=False).stdout

    new = ca.json("renew", old["serial"], "--out", ca.root / "renewed", "--format", "json")
    assert new["serial"] != stale
    assert successors(ca, old["serial"]) == [(new["serial"], "active")]
    assert ca.sql(f"SELECT count(*) FROM certificates WHERE serial = '{stale}'").strip() == "0"
    audit = ca.sql(f"SELECT action, detail FROM audit_log WHERE object = 'cert:{stale}'")
    assert audit.startswith("reservation.clear|abandoned reservation of a successor of " + old["serial"]), audit
    doctor = ca.run("doctor", check=False)
    assert doctor.returncode == 0, doctor.stdout


def test_recent_reservation_still_means_in_progress(make_inkan):
    ca = make_inkan("in-progress")
    ca.init()
    ca.tenant_add("acme", "Acme")
    old = ca.issue("acme", "busy", ca.root / "issued", "--key", "ec-p256", "--not-before", not_before_for(30))
    young = "7E57AB4ED0E5E4FE1A2B3C4D5E6F7082"
    add_reservation(ca, old["serial"], young, age_s=60)
    # The renewal waits 30 s for the "concurrent" signer, then gives up with a conflict.
    proc = subprocess.run([str(c) for c in ca.cmd("renew", old["serial"], "--out", ca.root / "renewed")],
                          capture_output=True, text=True, env=clean_env(), timeout=120)
    assert proc.returncode != 0 and "in progress" in proc.stderr, proc.stderr
    assert successors(ca, old["serial"]) == [(young, "reserved")]
