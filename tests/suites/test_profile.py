"""Issue 2, acceptance "Profile": `openssl verify -x509_strict -purpose sslclient` accepts every
issued certificate against the chain, and every field of the client-certificate profile is checked
one by one with python cryptography. Also the CA hierarchy built by `inkan init`, validity options,
the refusal to outlive the issuing CA, and the JSON shapes of issue/list/show/tenant list.
(Serial uniqueness over 1,000 certificates is a C++ unit test.)"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from helpers import (add_years, check_client_profile, describe, na, nb, openssl_verify, p12_leaf,
                     parse_time, run, verify_signed_by)

TENANT, TENANT_NAME = "globex", "Globex Corporation"
CRL_URL = "http://crl.example.test/inkan/issuing.crl"
UTC = dt.timezone.utc

# Each case: label -> (issue options, expectations)
CASES = {
    "default-rsa": ([], dict(key_type="rsa-2048")),
    "ec-email": (["--key", "ec-p256", "--email", "alice@example.test"],
                 dict(key_type="ec-p256", email="alice@example.test")),
    "rsa3072": (["--key", "rsa-3072"], dict(key_type="rsa-3072")),
    "ec-90d": (["--key", "ec-p256", "--validity", "90d"], dict(key_type="ec-p256")),
    "ec-1y": (["--key", "ec-p256", "--validity", "1y"], dict(key_type="ec-p256")),
    "ec-backdated": (["--key", "ec-p256", "--not-before", "2020-09-08"],
                     dict(key_type="ec-p256")),
    "ec-admin": (["--key", "ec-p256", "--kind", "tenant-admin", "--p12-profile", "modern"],
                 dict(key_type="ec-p256", kind="tenant-admin")),
}


@pytest.fixture(scope="module")
def env(make_inkan):
    ink = make_inkan("profile")
    ink.init(name="Profile CA", crl_url=CRL_URL)
    ink.tenant_add(TENANT, TENANT_NAME)
    issuing, root, chain = ink.write_chain(ink.root / "chain")
    issued = {}
    before = dt.datetime.now(UTC).replace(microsecond=0)
    for label, (opts, _exp) in CASES.items():
        obj = ink.issue(TENANT, f"cn {label}", ink.root / "out", *opts)
        key, cert, extra = p12_leaf(obj["p12"], obj["password"])
        pem = ink.root / "out" / f"leaf-{label}.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        obj.update(cert=cert, pem=pem, cn_used=f"cn {label}")
        issued[label] = obj
    after = dt.datetime.now(UTC)
    return dict(ink=ink, issuing=issuing, root=root, chain=chain, issued=issued, before=before,
                after=after,
                issuing_cert=x509.load_pem_x509_certificate(issuing.read_bytes()))


@pytest.mark.parametrize("label", list(CASES))
def test_openssl_verify_strict_sslclient(env, label):
    it = env["issued"][label]
    extra = ["-no_check_time"] if label == "ec-backdated" else []
    proc = openssl_verify(env["root"], env["issuing"], it["pem"], *extra)
    assert proc.returncode == 0 and ": OK" in proc.stdout, describe(proc)


def test_openssl_verify_can_fail(env, tmp_path):
    """Sanity: the verify step rejects a leaf that does not chain to the root (so it can fail)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stranger")])
    now = dt.datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    pem = tmp_path / "stranger.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    assert openssl_verify(env["root"], env["issuing"], pem).returncode != 0


@pytest.mark.parametrize("label", list(CASES))
def test_profile_fields(env, label):
    opts, exp = CASES[label]
    it = env["issued"][label]
    check_client_profile(it["cert"], env["issuing_cert"], cn=it["cn_used"], org=TENANT_NAME,
                         key_type=exp["key_type"], crl_url=CRL_URL, email=exp.get("email"))


@pytest.mark.parametrize("label", list(CASES))
def test_issue_json_matches_certificate(env, label):
    it, cert = env["issued"][label], env["issued"][label]["cert"]
    assert re.fullmatch(r"[0-9A-F]+", it["serial"]), f"serial must be uppercase hex: {it['serial']}"
    ossl = run(["openssl", "x509", "-in", it["pem"], "-noout", "-serial"]).stdout.strip()
    assert ossl == f"serial={it['serial']}", f"printed {it['serial']}, openssl says {ossl}"
    assert int(it["serial"], 16) == cert.serial_number
    assert parse_time(it["not_before"]) == nb(cert)
    assert parse_time(it["not_after"]) == na(cert)
    der = cert.public_bytes(serialization.Encoding.DER)
    assert it["sha256"].replace(":", "").lower() == hashlib.sha256(der).hexdigest()
    opts, exp = CASES[label]
    assert it.get("tenant") == TENANT and it.get("cn") == it["cn_used"], it
    assert it.get("kind") == exp.get("kind", "terminal"), it
    assert it.get("key_type") == exp["key_type"], it
    assert it.get("p12_profile") == ("modern" if "modern" in opts else "compat"), it


def test_default_validity_is_three_calendar_years_from_now(env):
    cert = env["issued"]["default-rsa"]["cert"]
    assert env["before"] - dt.timedelta(hours=1) <= nb(cert) <= env["after"] + \
        dt.timedelta(minutes=1), f"notBefore {nb(cert)} is not the issue time"
    assert na(cert) == add_years(nb(cert), 3), f"{nb(cert)} -> {na(cert)}"


def test_validity_options(env):
    c90 = env["issued"]["ec-90d"]["cert"]
    assert na(c90) - nb(c90) == dt.timedelta(days=90), (nb(c90), na(c90))
    c1y = env["issued"]["ec-1y"]["cert"]
    assert na(c1y) == add_years(nb(c1y), 1), (nb(c1y), na(c1y))
    old = env["issued"]["ec-backdated"]["cert"]
    assert nb(old) == dt.datetime(2020, 9, 8, tzinfo=UTC), nb(old)
    assert na(old) == dt.datetime(2023, 9, 8, tzinfo=UTC), na(old)


def test_friendly_name_uses_issue_date(env):
    from cryptography.hazmat.primitives.serialization import pkcs12
    it = env["issued"]["ec-email"]
    p = pkcs12.load_pkcs12(Path(it["p12"]).read_bytes(), it["password"].encode())
    day = nb(it["cert"]).date().isoformat()
    assert p.cert.friendly_name == f"{it['cn_used']} ({day})".encode(), p.cert.friendly_name


def test_passwords_are_generated_ascii_and_distinct(env):
    pws = [it["password"] for it in env["issued"].values()]
    assert len(set(pws)) == len(pws), "two certificates got the same password"
    for pw in pws:
        assert pw.isascii() and pw.isprintable() and " " not in pw.strip(), repr(pw)
        # >= 112 bits: even a 64-symbol alphabet needs 19 symbols (separators excluded)
        assert len(re.sub(r"[^0-9A-Za-z]", "", pw)) >= 19, f"password too short: {pw!r}"


def test_outliving_the_issuing_ca_is_refused(env):
    ink = env["ink"]
    ca_end = na(env["issuing_cert"]).date().isoformat()
    before = ink.dump()
    out = ink.root / "out-11y"
    proc = ink.fail("issue", "--tenant", TENANT, "--cn", "too long", "--out", out, "--key",
                    "ec-p256", "--validity", "11y")
    assert ca_end in proc.stderr, f"message must name the CA's expiry {ca_end}" + describe(proc)
    assert ink.dump() == before, "a refused issue changed the store"
    assert not out.exists() or not any(out.iterdir()), "a refused issue wrote files"


def test_list_and_show_json(env):
    ink = env["ink"]
    rows = ink.json("list", "--format", "json")
    assert isinstance(rows, list)
    by_serial = {int(r["serial"], 16): r for r in rows}
    for label, it in env["issued"].items():
        r = by_serial.get(it["cert"].serial_number)
        assert r is not None, f"{label} missing from list: {rows}"
        for k in ("serial", "tenant", "cn", "kind", "status", "not_before", "not_after"):
            assert k in r, (k, r)
        assert r["tenant"] == TENANT and r["cn"] == it["cn_used"]
        assert parse_time(r["not_after"]) == na(it["cert"])
        want_status = "expired" if label == "ec-backdated" else "active"
        assert r["status"] == want_status, (label, r)
        assert r["kind"] == CASES[label][1].get("kind", "terminal"), r

    expired = ink.json("list", "--status", "expired", "--format", "json")
    assert {int(r["serial"], 16) for r in expired} == \
        {env["issued"]["ec-backdated"]["cert"].serial_number}, expired
    soon = {int(r["serial"], 16) for r in
            ink.json("list", "--expiring-within", "100", "--format", "json")}
    assert env["issued"]["ec-90d"]["cert"].serial_number in soon
    assert env["issued"]["default-rsa"]["cert"].serial_number not in soon

    # show: serial accepted lower case with colons
    it = env["issued"]["ec-email"]
    hexs = it["serial"].lower()
    colons = ":".join(hexs[i:i + 2] for i in range(0, len(hexs), 2))
    obj = ink.json("show", colons, "--format", "json")
    assert int(obj["serial"], 16) == it["cert"].serial_number
    for k in ("serial", "tenant", "cn", "kind", "status", "not_before", "not_after",
              "predecessor", "successor", "revoked_at", "revocation_reason"):
        assert k in obj, (k, obj)
    assert obj["status"] == "active" and obj["revoked_at"] is None and obj["predecessor"] is None


def test_list_csv_and_tenant_json(env):
    ink = env["ink"]
    csv_out = ink.run("list", "--tenant", TENANT, "--format", "csv").stdout
    lines = [l for l in csv_out.splitlines() if l.strip()]
    assert len(lines) == 1 + len(CASES), csv_out
    assert "serial" in lines[0].lower(), lines[0]
    assert env["issued"]["ec-1y"]["serial"] in csv_out
    tenants = ink.json("tenant", "list", "--format", "json")
    assert isinstance(tenants, list) and len(tenants) == 1, tenants
    t = tenants[0]
    assert t["id"] == TENANT and t["name"] == TENANT_NAME, t
    parse_time(t["created_at"])


def test_default_hierarchy_rsa_without_crl_url(make_inkan):
    """`inkan init` defaults: root rsa-4096 20 years, issuing rsa-3072 10 years; no CRL URL
    configured means no CRL distribution point in the leaves."""
    ink = make_inkan("defaults")
    ink.init(name="Default Keys CA", keys=())
    ink.tenant_add("t1", "Tenant One")
    issuing_p, root_p, _ = ink.write_chain(ink.root / "chain")
    root = x509.load_pem_x509_certificate(root_p.read_bytes())
    issuing = x509.load_pem_x509_certificate(issuing_p.read_bytes())
    assert isinstance(root.public_key(), rsa.RSAPublicKey) and root.public_key().key_size == 4096
    assert isinstance(issuing.public_key(), rsa.RSAPublicKey) and \
        issuing.public_key().key_size == 3072
    assert root.subject == root.issuer
    verify_signed_by(root, root)
    verify_signed_by(issuing, root)
    for cert, years in ((root, 20), (issuing, 10)):
        assert abs(na(cert) - add_years(nb(cert), years)) <= dt.timedelta(days=2), \
            (cert.subject.rfc4514_string(), nb(cert), na(cert))
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
        assert bc.critical and bc.value.ca is True
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign
    # `ca cert` without --chain prints the issuing CA alone
    alone = ink.run("ca", "cert").stdout
    assert x509.load_pem_x509_certificate(alone.encode()) == issuing
    assert alone.count("BEGIN CERTIFICATE") == 1

    it = ink.issue("t1", "default leaf", ink.root / "out")
    key, cert, extra = p12_leaf(it["p12"], it["password"])
    check_client_profile(cert, issuing, cn="default leaf", org="Tenant One", key_type="rsa-2048",
                         crl_url=None, email=None)
    pem = ink.root / "leaf.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    proc = openssl_verify(root_p, issuing_p, pem)
    assert proc.returncode == 0, describe(proc)
