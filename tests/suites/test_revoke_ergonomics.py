"""Issue 16 item 5: revoke is hard to get wrong. The reason is required and removeFromCRL is not
offered; on a terminal the operator confirms by typing yes (run here on a real pseudo-terminal);
the 8-digit serial prefix of every file name and a tenant + CN find the certificate; a wrong reason
can be corrected, and the CRL then carries the new one."""
from __future__ import annotations

import os
import pty
import subprocess

import pytest
from cryptography import x509

from helpers import Inkan, clean_env, describe

TENANT = "rv"


@pytest.fixture(scope="module")
def ink(make_inkan) -> Inkan:
    ink = make_inkan("revoke-ergo")
    ink.init()
    ink.tenant_add(TENANT, "Revoke Clinic")
    return ink


def status(ink, serial) -> str:
    return ink.json("show", serial, "--format", "json")["status"]


def on_terminal(ink: Inkan, answer: str, *args) -> tuple[int, str]:
    """Run inkan with its standard input and error on a pseudo-terminal, answer the question."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(c) for c in ink.cmd(*args)], stdin=slave, stdout=subprocess.PIPE,
                            stderr=slave, env=clean_env(), cwd=ink.root)
    os.close(slave)
    seen = b""
    while b"Type yes" not in seen:
        chunk = os.read(master, 4096)
        assert chunk, seen
        seen += chunk
    os.write(master, answer.encode() + b"\n")
    out, _ = proc.communicate(timeout=60)
    try:
        while chunk := os.read(master, 4096):
            seen += chunk
    except OSError:
        pass
    os.close(master)
    return proc.returncode, seen.decode(errors="replace") + out.decode()


def test_reason_is_required_and_remove_from_crl_is_not_offered(ink):
    c = ink.issue(TENANT, "needs-reason", ink.root / "out", "--key", "ec-p256")
    err = ink.fail("revoke", c["serial"]).stderr
    assert "--reason" in err and "keyCompromise" in err, err
    assert "removeFromCRL" not in ink.run("revoke", "--help").stdout
    assert ink.fail("revoke", c["serial"], "--reason", "removeFromCRL").returncode == 2
    assert status(ink, c["serial"]) != "revoked"


def test_terminal_asks_and_only_yes_revokes(ink):
    c = ink.issue(TENANT, "asked", ink.root / "out", "--key", "ec-p256")
    rc, text = on_terminal(ink, "y", "revoke", c["serial"], "--reason", "keyCompromise")
    assert rc == 2 and "asked" in text and "cannot be undone" in text, text
    assert status(ink, c["serial"]) == "active"
    rc, text = on_terminal(ink, "yes", "revoke", c["serial"], "--reason", "keyCompromise")
    assert rc == 0 and "Revoked" in text, text
    assert status(ink, c["serial"]) == "revoked"


def test_file_name_prefix_and_tenant_cn_find_the_certificate(ink):
    c = ink.issue(TENANT, "by-prefix", ink.root / "out", "--key", "ec-p256")
    prefix = c["serial"][:8]
    assert prefix in os.path.basename(c["p12"])  # the prefix the operator sees
    out = ink.json("revoke", prefix.lower(), "--reason", "cessationOfOperation", "--format", "json")
    assert [r["serial"] for r in out] == [c["serial"]]
    assert ink.fail("revoke", c["serial"][:7], "--reason", "keyCompromise").returncode == 3  # too short
    d = ink.issue(TENANT, "by-name", ink.root / "out", "--key", "ec-p256")
    out = ink.json("revoke", "--tenant", TENANT, "--cn", "by-name", "--reason", "affiliationChanged",
                   "--format", "json")
    assert [r["serial"] for r in out] == [d["serial"]]
    assert ink.fail("revoke", "--tenant", TENANT, "--cn", "by-name", "--reason", "keyCompromise").returncode == 3


def test_two_certificates_of_one_name_are_named_not_guessed(ink):
    a = ink.issue(TENANT, "twin", ink.root / "out", "--key", "ec-p256")
    b = ink.issue(TENANT, "twin", ink.root / "out2", "--key", "ec-p256", "--allow-duplicate")
    err = ink.fail("revoke", "--tenant", TENANT, "--cn", "twin", "--reason", "keyCompromise").stderr
    assert a["serial"] in err and b["serial"] in err, err
    assert status(ink, a["serial"]) == status(ink, b["serial"]) == "active"


def test_a_wrong_reason_is_corrected_and_the_crl_carries_it(ink):
    c = ink.issue(TENANT, "corrected", ink.root / "out", "--key", "ec-p256")
    ink.run("revoke", c["serial"], "--reason", "unspecified")
    before = ink.json("show", c["serial"], "--format", "json")
    ink.run("revoke", c["serial"], "--reason", "keyCompromise", "--correct-reason")
    after = ink.json("show", c["serial"], "--format", "json")
    assert after["revocation_reason"] == "keyCompromise" and after["revoked_at"] == before["revoked_at"]
    ink.run("crl", "--out", ink.root / "c.crl")
    crl = x509.load_der_x509_crl((ink.root / "c.crl").read_bytes())
    entry = crl.get_revoked_certificate_by_serial_number(int(c["serial"], 16))
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise
    audit = ink.json("audit", "--serial", c["serial"], "--format", "json")
    assert any(e["action"] == "cert.revoke.reason" and "unspecified->keyCompromise" in e["detail"]
               for e in audit["entries"]), audit
    assert ink.fail("revoke", c["serial"], "--reason", "keyCompromise", "--correct-reason").returncode == 8
    fresh = ink.issue(TENANT, "not-revoked", ink.root / "out", "--key", "ec-p256")
    assert ink.fail("revoke", fresh["serial"], "--reason", "keyCompromise", "--correct-reason").returncode == 3
