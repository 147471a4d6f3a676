"""Issue 2, acceptance "Revocation": revoked serials appear in the v2 CRL signed by the issuing CA,
`openssl verify -crl_check` rejects them and accepts the rest, CRL numbers strictly increase."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from helpers import describe, p12_leaf, run

TENANT, TENANT_NAME = "umbrella", "Umbrella Clinics"


@pytest.fixture(scope="module")
def env(make_inkan):
    ink = make_inkan("revocation")
    ink.init(name="Revocation CA")
    ink.tenant_add(TENANT, TENANT_NAME)
    issuing, root, chain = ink.write_chain(ink.root / "chain")
    certs = {}
    for label in ("revoked", "kept"):
        it = ink.issue(TENANT, f"cn {label}", ink.root / "out", "--key", "ec-p256")
        _, cert, _ = p12_leaf(it["p12"], it["password"])
        pem = ink.root / f"{label}.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        certs[label] = dict(it, cert=cert, pem=pem)
    # serial accepted lower case with colons
    s = certs["revoked"]["serial"].lower()
    ink.run("revoke", ":".join(s[i:i + 2] for i in range(0, len(s), 2)),
            "--reason", "keyCompromise")
    crl_der = ink.root / "crl.der"
    ink.run("crl", "--out", crl_der)
    return dict(ink=ink, issuing=issuing, root=root, chain=chain, certs=certs, crl_der=crl_der)


@pytest.fixture(scope="module")
def crl_pem(env):
    """The DER CRL converted to PEM by OpenSSL (so OpenSSL must be able to parse it)."""
    pem = env["ink"].root / "crl.pem"
    run(["openssl", "crl", "-inform", "DER", "-in", env["crl_der"], "-out", pem])
    return pem


def crl_number(crl: x509.CertificateRevocationList) -> int:
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def test_crl_lists_revoked_serial_only(env):
    text = run(["openssl", "crl", "-inform", "DER", "-in", env["crl_der"], "-noout",
                "-text"]).stdout
    listed = {int(s, 16) for s in re.findall(r"Serial Number: ([0-9A-Fa-f]+)", text)}
    assert env["certs"]["revoked"]["cert"].serial_number in listed, text
    assert env["certs"]["kept"]["cert"].serial_number not in listed, text
    assert "Version 2" in text, text
    assert "Key Compromise" in text, text


def test_crl_is_signed_by_issuing_ca(env):
    proc = run(["openssl", "crl", "-inform", "DER", "-in", env["crl_der"], "-noout", "-CAfile",
                env["chain"]], check=False)
    assert proc.returncode == 0 and "verify OK" in proc.stdout + proc.stderr, describe(proc)
    crl = x509.load_der_x509_crl(env["crl_der"].read_bytes())
    issuing = x509.load_pem_x509_certificate(env["issuing"].read_bytes())
    assert crl.issuer == issuing.subject
    assert crl.is_signature_valid(issuing.public_key())
    aki = crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = issuing.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    delta = crl.next_update - crl.last_update
    assert abs(delta - dt.timedelta(days=7)) <= dt.timedelta(hours=1), delta
    entry = crl.get_revoked_certificate_by_serial_number(
        env["certs"]["revoked"]["cert"].serial_number)
    assert entry is not None
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason == x509.ReasonFlags.key_compromise


def verify_with_crl(env, crl_pem, pem):
    return run(["openssl", "verify", "-crl_check", "-CRLfile", crl_pem, "-CAfile",
                env["root"], "-untrusted", env["issuing"], pem], check=False)


def test_verify_crl_check_rejects_revoked(env, crl_pem):
    proc = verify_with_crl(env, crl_pem, env["certs"]["revoked"]["pem"])
    assert proc.returncode != 0, "a revoked certificate passed -crl_check" + describe(proc)
    assert "revoked" in (proc.stdout + proc.stderr).lower(), describe(proc)


def test_verify_crl_check_accepts_the_rest(env, crl_pem):
    proc = verify_with_crl(env, crl_pem, env["certs"]["kept"]["pem"])
    assert proc.returncode == 0, describe(proc)


def test_status_after_revocation(env):
    ink = env["ink"]
    rev = env["certs"]["revoked"]
    obj = ink.json("show", rev["serial"], "--format", "json")
    assert obj["status"] == "revoked", obj
    assert obj["revoked_at"], obj
    assert "compromise" in str(obj["revocation_reason"]).lower(), obj
    rows = ink.json("list", "--status", "revoked", "--format", "json")
    assert [int(r["serial"], 16) for r in rows] == [rev["cert"].serial_number], rows
    kept = ink.json("show", env["certs"]["kept"]["serial"], "--format", "json")
    assert kept["status"] == "active" and kept["revoked_at"] is None, kept


def test_crl_numbers_increase(env):
    ink = env["ink"]
    first = x509.load_der_x509_crl(env["crl_der"].read_bytes())
    second_pem = ink.root / "crl2.pem"
    ink.run("crl", "--pem", "--out", second_pem)
    second = x509.load_pem_x509_crl(second_pem.read_bytes())
    # stdout, DER by default
    third = x509.load_der_x509_crl(ink.run("crl", binary=True).stdout)
    n1, n2, n3 = crl_number(first), crl_number(second), crl_number(third)
    assert n1 < n2 < n3, (n1, n2, n3)
    assert second.get_revoked_certificate_by_serial_number(
        env["certs"]["revoked"]["cert"].serial_number) is not None


def test_revoke_unknown_serial_fails(env):
    ink = env["ink"]
    before = ink.dump()
    assert ink.fail("revoke", "0123456789ABCDEF0123456789ABCDEF", "--reason", "keyCompromise").returncode == 3
    assert ink.dump() == before
