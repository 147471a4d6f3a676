"""Issue 16 item 17: tenants could not be renamed or retired, administrators not deleted. Each
change is checked where it takes effect: the O= of the next certificate, the refusal of every way
to get a certificate for a retired tenant (CLI issue, batch, renew, reissue), the administrators it
disabled, the login history and audit entries that outlive a deleted account, and the security
tables' seal, which must still hold afterwards (doctor)."""
from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from helpers import Inkan, describe, p12_leaf

TENANT = "leaving"


@pytest.fixture
def ink(make_inkan) -> Inkan:
    ink = make_inkan("tenant-lifecycle")
    ink.init()
    ink.tenant_add(TENANT, "Old Name Clinic")
    return ink


def organization_of(ink: Inkan, issued: dict) -> str:
    _, cert, _ = p12_leaf(issued["p12"], issued["password"])
    return cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value


def doctor_is_clean(ink: Inkan):
    proc = ink.run("doctor", check=False)
    assert proc.returncode == 0, describe(proc)


def test_rename_changes_the_name_of_new_certificates_and_keeps_the_id(ink):
    before = ink.issue(TENANT, "pc-1", ink.root / "out", "--key", "ec-p256")
    proc = ink.run("tenant", "set", TENANT, "--name", "ひまわり介護センター")
    assert "is now named ひまわり介護センター" in proc.stdout, describe(proc)
    after = ink.issue(TENANT, "pc-2", ink.root / "out", "--key", "ec-p256")
    assert organization_of(ink, before) == "Old Name Clinic"
    assert organization_of(ink, after) == "ひまわり介護センター"
    listed = ink.json("tenant", "list", "--format", "json")
    assert [(t["id"], t["name"]) for t in listed] == [(TENANT, "ひまわり介護センター")], listed
    entries = ink.json("audit", "--action", "tenant.rename", "--format", "json")["entries"]
    assert len(entries) == 1 and "Old Name Clinic -> ひまわり介護センター" in entries[0]["detail"], entries
    # A name the policy refuses changes nothing.
    ink.fail("tenant", "set", TENANT, "--name", "")
    assert ink.json("tenant", "list", "--format", "json")[0]["name"] == "ひまわり介護センター"
    doctor_is_clean(ink)


def test_a_retired_tenant_gets_no_certificate_by_any_path_and_its_admins_are_disabled(ink):
    kept = ink.issue(TENANT, "pc-1", ink.root / "out", "--key", "ec-p256")
    old = ink.issue(TENANT, "pc-old", ink.root / "out", "--key", "ec-p256", "--not-before", "2020-01-01")
    ink.run("user", "add", "leaver", "--tenant", TENANT)
    ink.tenant_add("staying", "Staying Clinic")
    ink.run("user", "add", "stayer", "--tenant", "staying")

    proc = ink.run("tenant", "retire", TENANT, "--yes")
    assert f"Retired tenant {TENANT}" in proc.stdout and "leaver" in proc.stdout, describe(proc)
    users = {u["username"]: u for u in ink.json("user", "list", "--format", "json")}
    assert users["leaver"]["disabled"] and not users["stayer"]["disabled"], users
    listed = {t["id"]: t for t in ink.json("tenant", "list", "--format", "json")}
    assert listed[TENANT]["retired_at"] is not None and listed["staying"]["retired_at"] is None, listed

    refusals = [
        ("issue", "--tenant", TENANT, "--cn", "pc-new", "--out", ink.root / "no"),
        ("renew", kept["serial"], "--out", ink.root / "no", "--force"),
        ("reissue", old["serial"], "--out", ink.root / "no"),
    ]
    for args in refusals:
        proc = ink.run(*args, check=False)
        assert proc.returncode == 8, describe(proc)
        assert f"tenant '{TENANT}' was retired on" in proc.stderr and "tenant reinstate" in proc.stderr, describe(proc)
    csv = ink.root / "rows.csv"
    csv.write_text(f"tenant,cn,kind,email\n{TENANT},pc-batch,,\n")
    proc = ink.run("batch", "issue", "--from", csv, "--out", ink.root / "batch", "--key", "ec-p256", check=False)
    assert proc.returncode == 8 and "was retired" in proc.stderr, describe(proc)
    assert not (ink.root / "batch").exists(), "a refused batch made its output directory"
    serials = {c["serial"] for c in ink.json("list", "--tenant", TENANT, "--format", "json")}
    assert serials == {kept["serial"], old["serial"]}, "a retired tenant got a certificate"
    # Its certificates are left as they were: still valid until revoked or expired.
    assert ink.json("show", kept["serial"], "--format", "json")["status"] == "active"
    assert ink.run("tenant", "retire", TENANT, "--yes", check=False).returncode == 8
    doctor_is_clean(ink)

    ink.run("tenant", "reinstate", TENANT)
    again = ink.issue(TENANT, "pc-new", ink.root / "out", "--key", "ec-p256")
    assert again["serial"] not in serials
    users = {u["username"]: u for u in ink.json("user", "list", "--format", "json")}
    assert users["leaver"]["disabled"], "reinstating must not re-enable administrators by itself"
    actions = [e["action"] for e in ink.json("audit", "--tenant", TENANT, "--format", "json")["entries"]]
    assert "tenant.retire" in actions and "tenant.reinstate" in actions, actions


def test_deleting_an_administrator_keeps_the_history_and_unbinds_their_certificate(ink):
    ink.run("user", "add", "alice", "--tenant", TENANT)
    admin_cert = ink.issue(TENANT, "alice", ink.root / "out", "--key", "ec-p256", "--kind", "tenant-admin",
                           "--admin", "alice")
    proc = ink.run("user", "delete", "alice", "--yes")
    assert "Deleted alice" in proc.stdout and admin_cert["serial"] in proc.stdout, describe(proc)
    assert "alice" not in {u["username"] for u in ink.json("user", "list", "--format", "json")}
    ink.fail("user", "disable", "alice")  # gone for every command
    entries = ink.json("audit", "--action", "admin.delete", "--format", "json")["entries"]
    assert len(entries) == 1 and entries[0]["object"] == "admin:alice", entries
    # The audit log names administrators by username: the name is never given to another account.
    again = ink.run("user", "add", "alice", "--tenant", TENANT, check=False)
    assert again.returncode == 4 and "never reused" in again.stderr, describe(again)
    ink.run("user", "add", "alice2", "--tenant", TENANT)
    proc = ink.run("user", "delete", "nobody", "--yes", check=False)
    assert proc.returncode == 3 and "nobody" in proc.stderr, describe(proc)
    doctor_is_clean(ink)
