"""Issue 3 "Window and overlap" and "Races", through the real CLI: renewal opens 90 days before
expiry, old and new stay valid together, an expired certificate needs an administrator's reissue,
and concurrent renewals of one certificate (50 processes) leave exactly one successor.
Dates are made with --not-before, so nothing sleeps."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from helpers import (UTC, check_client_profile, clean_env, describe, norm_serial, openssl_verify,
                     p12_leaf, x509)


def not_before_for(days_left: int) -> str:
    """--not-before that leaves `days_left` days of a 3-year validity today."""
    expiry = dt.datetime.now(UTC).date() + dt.timedelta(days=days_left)
    try:
        return expiry.replace(year=expiry.year - 3).isoformat()
    except ValueError:  # 29 February
        return expiry.replace(year=expiry.year - 3, day=28).isoformat()


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("renewal")
    inkan.init(crl_url="http://crl.example.test/ca.crl")
    inkan.tenant_add("acme", "Acme Care")
    return inkan


def issue(ca, cn, days_left, *extra):
    return ca.issue("acme", cn, ca.root / "issued", "--key", "ec-p256", "--not-before",
                    not_before_for(days_left), *extra)


def renew(ca, serial, *extra, command="renew"):
    return ca.json(command, serial, "--out", ca.root / "renewed", "--format", "json", *extra)


def show(ca, serial):
    return ca.json("show", serial, "--format", "json")


def test_80_days_left_renews_and_both_stay_valid(ca):
    old = issue(ca, "client300", 80, "--email", "t300@example.test")
    new = renew(ca, old["serial"])
    assert new["serial"] != old["serial"]
    for key in ("serial", "p12", "password_file", "not_before", "not_after", "sha256"):
        assert key in new, f"renew JSON lacks {key}: {new}"

    before, after = show(ca, old["serial"]), show(ca, new["serial"])
    assert before["status"] == "superseded"
    assert before["successor"] == new["serial"]
    assert after["predecessor"] == old["serial"]
    assert after["status"] == "active"

    # Same subject, a different key, the full profile; and the old one still verifies.
    password = Path(new["password_file"]).read_text().strip()
    key, leaf, extra = p12_leaf(Path(new["p12"]), password)
    _, old_leaf, _ = p12_leaf(Path(old["p12"]), old["password"])
    assert leaf.subject == old_leaf.subject
    assert leaf.public_key().public_numbers() != old_leaf.public_key().public_numbers()
    issuing_pem, root_pem = ca.chain()
    issuing = x509.load_pem_x509_certificate(issuing_pem.encode())
    check_client_profile(leaf, issuing, cn="client300", org="Acme Care", key_type="ec-p256",
                         crl_url="http://crl.example.test/ca.crl", email="t300@example.test")
    issuing_f, root_f, _ = ca.write_chain(ca.root / "chain")
    for name, cert in (("old.pem", old_leaf), ("new.pem", leaf)):
        from cryptography.hazmat.primitives.serialization import Encoding
        (ca.root / name).write_bytes(cert.public_bytes(Encoding.PEM))
        proc = openssl_verify(root_f, issuing_f, ca.root / name)
        assert proc.returncode == 0, f"{name} no longer verifies" + describe(proc)

    # Renewing the predecessor again hands out the same successor.
    again = renew(ca, old["serial"])
    assert again["serial"] == new["serial"]
    assert Path(again["password_file"]).read_text().strip() == password


def test_200_days_left_is_refused_unless_forced(ca):
    old = issue(ca, "early", 200)
    proc = ca.fail("renew", old["serial"], "--out", ca.root / "early")
    assert "renewal opens on" in proc.stderr
    assert show(ca, old["serial"])["successor"] is None
    forced = renew(ca, old["serial"], "--force")
    assert show(ca, forced["serial"])["predecessor"] == old["serial"]


def test_expired_is_refused_by_renew_and_reissued_by_reissue(ca):
    old = issue(ca, "lapsed", -2)
    assert show(ca, old["serial"])["status"] == "expired"
    proc = ca.fail("renew", old["serial"], "--out", ca.root / "lapsed", "--force")
    assert "administrator" in proc.stderr and "reissue" in proc.stderr
    new = renew(ca, old["serial"], command="reissue")
    assert show(ca, new["serial"])["status"] == "active"
    assert show(ca, new["serial"])["predecessor"] == old["serial"]
    assert show(ca, old["serial"])["successor"] == new["serial"]


def test_revoked_needs_allow_revoked(ca):
    old = issue(ca, "stolen", 30)
    ca.run("revoke", old["serial"], "--reason", "keyCompromise")
    ca.fail("renew", old["serial"], "--out", ca.root / "stolen")
    ca.fail("reissue", old["serial"], "--out", ca.root / "stolen")
    new = renew(ca, old["serial"], "--allow-revoked", command="reissue")
    assert show(ca, old["serial"])["status"] == "revoked"
    assert show(ca, new["serial"])["predecessor"] == old["serial"]


def test_expiring_report_and_calendar(ca):
    soon = issue(ca, "calendar", 40)
    rows = ca.json("expiring", "--within", "45", "--format", "json")
    serials = {r["serial"] for r in rows}
    assert soon["serial"] in serials
    assert all(r["status"] == "active" for r in rows)
    ics = ca.run("expiring", "--within", "45", "--format", "ics", binary=True).stdout.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.rstrip().endswith("END:VCALENDAR")
    assert f"UID:{soon['serial']}-window@inkan" in ics
    assert f"UID:{soon['serial']}-expiry@inkan" in ics
    assert ics.count("BEGIN:VEVENT") == 2 * len(rows)
    expiry = dt.datetime.fromisoformat(soon["not_after"].replace("Z", "+00:00")).strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{expiry}" in ics


def test_50_concurrent_processes_leave_exactly_one_successor(ca):
    old = issue(ca, "racer", 10)
    procs = []
    for i in range(50):
        cmd = ca.cmd("renew", old["serial"], "--out", ca.root / f"race-{i}", "--format", "json")
        procs.append(subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, env=clean_env(None)))
    outputs = [p.communicate(timeout=300) for p in procs]
    failures = [(p.returncode, err) for p, (_, err) in zip(procs, outputs) if p.returncode != 0]
    assert not failures, f"renewals failed: {failures[:3]}"
    import json
    serials = {json.loads(out)["serial"] for out, _ in outputs}
    assert len(serials) == 1, f"{len(serials)} different successors: {serials}"
    rows = ca.json("list", "--tenant", "acme", "--format", "json")
    successors = [r for r in rows if r["predecessor"] == old["serial"]]
    assert len(successors) == 1
    assert norm_serial(successors[0]["serial"]) == norm_serial(serials.pop())
    doctor = ca.run("doctor", check=False)
    assert doctor.returncode == 0, describe(doctor)


def test_tenant_window_override(ca):
    ca.tenant_add("wide", "Wide Window Care")
    old = ca.issue("wide", "wide-1", ca.root / "wide", "--key", "ec-p256", "--not-before",
                   not_before_for(100))
    ca.fail("renew", old["serial"], "--out", ca.root / "wide-r")
    out = ca.run("tenant", "set", "wide", "--renewal-window", "120").stdout
    assert "120 days" in out
    tenants = {t["id"]: t for t in ca.json("tenant", "list", "--format", "json")}
    assert tenants["wide"]["renewal_window_days"] == 120
    new = renew(ca, old["serial"])
    assert show(ca, new["serial"])["predecessor"] == old["serial"]
    ca.fail("tenant", "set", "wide", "--renewal-window", "0")
    ca.fail("tenant", "set", "nobody", "--renewal-window", "30")
