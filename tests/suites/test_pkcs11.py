"""Issue 21: CA keys on a PKCS#11 token, against Debian's SoftHSM2 with a token initialised here in
a temporary directory (SOFTHSM2_CONF). Both CA keys on the token: the root generated there
(ec-p384), the issuing key an RSA-2048 key imported with softhsm2-util beforehand (so the test
knows its private numbers and can look for them in the data directory; init uses a key that is
already there). Issue, revoke, CRL, a batch of 100 and a renewal through the API: every
certificate and CRL verifies with `openssl verify -crl_check` and lints clean. Faults: a wrong PIN,
a missing module, a missing object, a token that goes away mid-batch and mid-serve (the test-only
module tests/pkcs11/fault_module.cpp in front of SoftHSM2): one-line errors, no reservation left,
`doctor` clean after. A second module: p11-kit's proxy (libp11-kit.so.0) in front of the same
SoftHSM2, and OpenSC's module, which without a card reports no token."""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from helpers import Inkan, clean_env, inkan_bin, run, write_secret
from serve_support import Server, curl, not_before_for

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
P11KIT_PROXY = "/usr/lib/x86_64-linux-gnu/libp11-kit.so.0"
OPENSC = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"
PIN = "246810"
ROOT_URI = "pkcs11:token=inkan;object=root"
ISSUING_URI = "pkcs11:token=inkan;object=issuing"


class Token:
    """A SoftHSM2 token directory and configuration of this module's own."""

    def __init__(self, where: Path):
        self.where = where
        self.dir = where / "tokens"
        self.dir.mkdir(parents=True)
        self.conf = where / "softhsm2.conf"
        self.conf.write_text(f"directories.tokendir = {self.dir}\nobjectstore.backend = file\nlog.level = ERROR\n")
        self.pin_file = write_secret(where / "token.pin", PIN)
        self.wrong_pin_file = write_secret(where / "wrong.pin", "000000")
        self.fault_file = where / "fault"

    def util(self, *args):
        return run(["softhsm2-util", *args], env=clean_env({"SOFTHSM2_CONF": str(self.conf)}))

    def init_token(self, label: str):
        self.util("--init-token", "--free", "--label", label, "--so-pin", "13579", "--pin", PIN)

    def delete_token(self, label: str):
        self.util("--delete-token", "--token", label)


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    t = Token(tmp_path_factory.mktemp("softhsm"))
    t.init_token("inkan")
    # Every inkan this module runs finds the token and its PIN through the environment.
    saved = {k: os.environ.get(k) for k in ("SOFTHSM2_CONF", "INKAN_PKCS11_PIN_FILE", "INKAN_P11_FAULT_FILE")}
    os.environ.update({"SOFTHSM2_CONF": str(t.conf), "INKAN_PKCS11_PIN_FILE": str(t.pin_file),
                       "INKAN_P11_FAULT_FILE": str(t.fault_file)})
    yield t
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="module")
def issuing_key(token):
    """An RSA-2048 key put on the token before init: init must use it, not make another."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = token.where / "issuing-import.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    token.util("--import", pem, "--token", "inkan", "--label", "issuing", "--id", "0102", "--pin", PIN)
    pem.unlink()
    return key


@pytest.fixture(scope="module")
def ca(make_inkan, token, issuing_key):
    inkan = make_inkan("pkcs11")
    proc = inkan.run("init", "--name", "Token CA", "--root-key", "ec-p384", "--root-key-uri", ROOT_URI,
                     "--issuing-key", "rsa-2048", "--issuing-key-uri", ISSUING_URI, "--pkcs11-module", SOFTHSM,
                     "--crl-url", "http://127.0.0.1/crl")
    assert "key on the token" in proc.stdout, proc.stdout
    inkan.tenant_add("acme", "Acme Care")
    return inkan


def issue(ca, cn, *opts):
    return ca.issue("acme", cn, ca.root / "issued", "--key", "ec-p256", *opts)


def leaf_pem(ca, serial: str, where: Path) -> Path:
    """The stored certificate (the store's copy, as every reader gets it) as a PEM file."""
    der = bytes.fromhex(ca.sql(f"SELECT hex(cert_der) FROM certificates WHERE serial = '{serial}'").strip())
    assert der, f"no certificate {serial}"
    path = where / f"{serial}.pem"
    b64 = base64.encodebytes(der).decode().replace("\n", "")
    path.write_text("-----BEGIN CERTIFICATE-----\n" +
                    "".join(b64[i:i + 64] + "\n" for i in range(0, len(b64), 64)) + "-----END CERTIFICATE-----\n")
    return path


def write_crl(ca, where: Path) -> Path:
    crl = where / "ca.crl.pem"
    if crl.exists():
        crl.unlink()
    ca.run("crl", "--pem", "--out", crl)
    return crl


def verify_with_crl(ca, leaf: Path, crl: Path, where: Path):
    issuing, root, _ = ca.write_chain(where)
    # -crl_check checks the leaf against the issuing CA's CRL (the root's is published offline).
    return run(["openssl", "verify", "-x509_strict", "-purpose", "sslclient", "-crl_check", "-CAfile", root,
                "-untrusted", issuing, "-CRLfile", crl, leaf], check=False)


def lint(*files, issuer: Path):
    proc = run([inkan_bin(), "lint", *files, "--issuer", issuer, "--format", "json"], check=False)
    report = json.loads(proc.stdout)
    findings = [f for entry in report for f in entry["findings"] if f.get("severity") != "notice"]
    return proc.returncode, findings


def reserved(ca) -> int:
    return int(ca.sql("SELECT count(*) FROM certificates WHERE state = 'reserved'").strip())


def doctor(ca, *extra, env=None):
    proc = ca.run("doctor", "--format", "json", *extra, check=False, env=env)
    return proc.returncode, json.loads(proc.stdout)


# --- the happy path ---------------------------------------------------------------------------

def test_init_keeps_both_ca_keys_on_the_token(ca, issuing_key):
    cas = ca.cas()
    assert {c["role"] for c in cas} == {"root", "issuing"}
    for c in cas:
        assert c["key_held"] is True and c["key_uri"].startswith("pkcs11:"), c
    assert ca.sql("SELECT count(*) FROM cas WHERE encrypted_key_pem <> ''").strip() == "0"
    assert ca.sql("SELECT DISTINCT key_module FROM cas").strip() == SOFTHSM
    # The issuing CA certifies the key that was already on the token.
    issuing_pem, root_pem = ca.chain()
    from cryptography import x509
    issuing = x509.load_pem_x509_certificate(issuing_pem.encode())
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    assert issuing.public_key().public_bytes(serialization.Encoding.DER, spki) == \
        issuing_key.public_key().public_bytes(serialization.Encoding.DER, spki)
    root = x509.load_pem_x509_certificate(root_pem.encode())
    assert root.public_key().curve.name == "secp384r1"


def test_issue_revoke_crl_verify_and_lint(ca, tmp_path):
    good, bad = issue(ca, "tok-good"), issue(ca, "tok-bad")
    ca.run("revoke", bad["serial"], "--reason", "keyCompromise")
    crl = write_crl(ca, tmp_path)
    good_pem, bad_pem = leaf_pem(ca, good["serial"], tmp_path), leaf_pem(ca, bad["serial"], tmp_path)
    ok = verify_with_crl(ca, good_pem, crl, tmp_path)
    assert ok.returncode == 0 and ": OK" in ok.stdout, ok.stdout + ok.stderr
    revoked = verify_with_crl(ca, bad_pem, crl, tmp_path)
    assert revoked.returncode != 0 and "revoked" in (revoked.stdout + revoked.stderr)
    issuing, root, _ = ca.write_chain(tmp_path)
    status, findings = lint(good_pem, bad_pem, crl, issuer=issuing)
    assert status == 0 and not findings, findings
    status, findings = lint(issuing, issuer=root)
    assert status == 0 and not findings, findings


def test_batch_of_100_all_verify_and_lint(ca, tmp_path):
    rows = "".join(f"acme,tok-batch-{i:03d},,\r\n" for i in range(100))
    src = tmp_path / "batch.csv"
    src.write_text("tenant,cn,kind,email\r\n" + rows)
    ca.run("batch", "issue", "--from", src, "--key", "ec-p256", "--out", tmp_path / "out")
    serials = ca.sql("SELECT serial FROM certificates WHERE cn LIKE 'tok-batch-%' AND state = 'active'").split()
    assert len(serials) == 100
    crl = write_crl(ca, tmp_path)
    pems = [leaf_pem(ca, serial, tmp_path) for serial in serials]
    issuing, root, _ = ca.write_chain(tmp_path)
    for pem in pems:
        proc = verify_with_crl(ca, pem, crl, tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    status, findings = lint(*pems, crl, issuer=issuing)
    assert status == 0 and not findings, findings
    assert reserved(ca) == 0


def test_renewal_through_the_api_with_a_token_issuing_key(ca, tmp_path):
    old = issue(ca, "tok-renew", "--not-before", not_before_for(20))
    server = Server(ca)
    try:
        r = curl(server, "/api/v1/renew", p12=old["p12"], password=old["password"], method="POST", data="{}",
                 content_type="application/json")
        assert r.status == 200, r
        got = r.json()
        assert got["predecessor"] == old["serial"]
        crl = curl(server, "/crl")
        assert crl.status == 200
    finally:
        server.stop()
    leaf = leaf_pem(ca, got["serial"], tmp_path)
    proc = verify_with_crl(ca, leaf, write_crl(ca, tmp_path), tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_private_key_byte_in_the_data_directory(ca, issuing_key):
    n = issuing_key.private_numbers()
    secrets = [issuing_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())]
    for v in (n.d, n.p, n.q, n.dmp1, n.dmq1, n.iqmp):
        secrets.append(v.to_bytes((v.bit_length() + 7) // 8, "big"))
    files = [f for f in ca.dir.rglob("*") if f.is_file()]
    assert ca.db in files
    for f in files:
        data = f.read_bytes()
        for s in secrets:
            assert s not in data, f"issuing key material in {f}"
        for marker in (b"-----BEGIN PRIVATE KEY", b"BEGIN RSA PRIVATE KEY", b"BEGIN EC PRIVATE KEY"):
            assert marker not in data, f
    assert "ENCRYPTED PRIVATE KEY" not in ca.sql("SELECT encrypted_key_pem FROM cas")
    # Control: the scan does see the modulus, which is public and in the CA certificate.
    modulus = n.public_numbers.n.to_bytes(256, "big")
    assert any(modulus in f.read_bytes() for f in files)


def test_doctor_reaches_the_token_and_matches_the_keys(ca):
    status, report = doctor(ca)
    assert status == 0, report
    tokens = [f for f in report["findings"] if f["check"] == "token"]
    assert len(tokens) == 2 and all(f["severity"] == "ok" for f in tokens), tokens


def test_rollover_onto_a_new_token_key(ca, tmp_path):
    ca.run("ca", "rollover", "--issuing-key", "ec-p256", "--issuing-key-uri", "pkcs11:token=inkan;object=issuing-2",
           "--pkcs11-module", SOFTHSM)
    cas = ca.cas()
    new = [c for c in cas if c["active"]][0]
    assert new["key_uri"] == "pkcs11:token=inkan;object=issuing-2;type=private" and new["key_type"] == "ec-p256"
    c = issue(ca, "tok-after-rollover")
    leaf = leaf_pem(ca, c["serial"], tmp_path)
    proc = verify_with_crl(ca, leaf, write_crl(ca, tmp_path), tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ca.run("crl", "--all", "--out-dir", tmp_path / "crls")  # the previous issuing CA still signs its CRL
    assert len(list((tmp_path / "crls").iterdir())) == 2
    assert doctor(ca)[0] == 0


def test_offline_root_on_a_token_and_csr_from_a_token_key(make_inkan, token, tmp_path):
    inkan = make_inkan("pkcs11-offline")
    root_file = inkan.root / "root-on-card.pem"
    inkan.run("init", "--name", "Offline Token CA", "--root-key", "ec-p256", "--issuing-key", "ec-p256",
              "--root-key-uri", "pkcs11:token=inkan;object=offline-root", "--pkcs11-module", SOFTHSM,
              "--offline-root", root_file)
    text = root_file.read_text()
    assert "inkan-root-key-uri: pkcs11:token=inkan;object=offline-root" in text
    assert "PRIVATE KEY" not in text and "BEGIN CERTIFICATE" in text
    root_row = [c for c in inkan.cas() if c["role"] == "root"][0]
    assert root_row["key_held"] is False  # the data directory cannot sign with the offline root
    inkan.run("ca", "csr", "--out", tmp_path / "next.csr", "--issuing-key", "ec-p384",
              "--issuing-key-uri", "pkcs11:token=inkan;object=offline-next", "--pkcs11-module", SOFTHSM)
    # On the root's machine: no data directory, no passphrase; the token PIN.
    run([inkan_bin(), "root", "sign", "--root-key", root_file, "--csr", tmp_path / "next.csr",
         "--out", tmp_path / "next.pem"], env=clean_env({"INKAN_PASSPHRASE_FILE": ""}))
    inkan.run("ca", "import", "--cert", tmp_path / "next.pem")
    active = [c for c in inkan.cas() if c["active"]][0]
    assert active["key_uri"] == "pkcs11:token=inkan;object=offline-next;type=private"
    inkan.tenant_add("acme", "Acme Care")
    c = issue(inkan, "offline-1")
    proc = verify_with_crl(inkan, leaf_pem(inkan, c["serial"], tmp_path), write_crl(inkan, tmp_path), tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- faults -----------------------------------------------------------------------------------

def test_wrong_pin_fails_cleanly(ca, token):
    before = ca.sql("SELECT count(*) FROM certificates").strip()
    proc = ca.fail("issue", "--tenant", "acme", "--cn", "tok-wrong-pin", "--out", ca.root / "issued",
                   env={"INKAN_PKCS11_PIN_FILE": str(token.wrong_pin_file)})
    assert "wrong PIN" in proc.stderr and PIN not in proc.stderr
    assert ca.sql("SELECT count(*) FROM certificates").strip() == before
    assert reserved(ca) == 0
    status, report = doctor(ca, env={"INKAN_PKCS11_PIN_FILE": str(token.wrong_pin_file)})
    assert status != 0 and any(f["check"] == "token" and f["severity"] == "problem" for f in report["findings"])
    assert doctor(ca)[0] == 0


def test_pin_only_from_a_file_or_the_terminal(ca, token):
    proc = ca.fail("issue", "--tenant", "acme", "--cn", "tok-no-pin", "--out", ca.root / "issued",
                   env={"INKAN_PKCS11_PIN_FILE": ""})
    assert "--pkcs11-pin-file" in proc.stderr
    proc = ca.fail("init", "--name", "X", "--issuing-key-uri", ISSUING_URI + "?pin-value=1234",
                   "--pkcs11-module", SOFTHSM)
    assert "no PIN in the URI" in proc.stderr


def test_missing_module_fails_before_anything_is_written(make_inkan, token):
    inkan = make_inkan("pkcs11-nomodule")
    proc = inkan.fail("init", "--name", "No Module", *("--root-key", "ec-p256", "--issuing-key", "ec-p256"),
                      "--issuing-key-uri", "pkcs11:token=inkan;object=nomodule",
                      "--pkcs11-module", "/usr/lib/nonexistent/pkcs11.so", one_line=False)
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "inkan: PKCS#11 module /usr/lib/nonexistent/pkcs11.so does not exist", proc.stderr
    assert not inkan.db.exists() or inkan.cas() == []
    proc = inkan.fail("init", "--name", "No Module", "--issuing-key-uri", "pkcs11:token=inkan;object=x")
    assert "--pkcs11-module" in proc.stderr
    # Nothing was half-written: the same init with the module succeeds.
    inkan.run("init", "--name", "No Module", *("--root-key", "ec-p256", "--issuing-key", "ec-p256"),
              "--issuing-key-uri", "pkcs11:token=inkan;object=nomodule", "--pkcs11-module", SOFTHSM)
    assert doctor(inkan)[0] == 0


def test_missing_object_and_missing_token(make_inkan, token):
    token.init_token("spare")
    inkan = make_inkan("pkcs11-spare")
    inkan.run("init", "--name", "Spare CA", "--root-key", "ec-p256", "--issuing-key", "ec-p256",
              "--issuing-key-uri", "pkcs11:token=spare;object=issuing", "--pkcs11-module", SOFTHSM)
    inkan.tenant_add("acme", "Acme Care")
    issue(inkan, "spare-1")
    # The token is wiped and made again: same label, no key.
    token.delete_token("spare")
    token.init_token("spare")
    proc = inkan.fail("issue", "--tenant", "acme", "--cn", "spare-2", "--out", inkan.root / "issued")
    assert "no private key matches" in proc.stderr and "object 'issuing'" in proc.stderr
    assert reserved(inkan) == 0
    token.delete_token("spare")
    proc = inkan.fail("issue", "--tenant", "acme", "--cn", "spare-3", "--out", inkan.root / "issued")
    assert "no token matches token 'spare'" in proc.stderr and "'inkan'" in proc.stderr
    status, report = doctor(inkan)
    assert status != 0 and any(f["check"] == "token" and f["severity"] == "problem" for f in report["findings"])


@pytest.fixture(scope="module")
def flaky(make_inkan, token):
    """A CA whose issuing key is on the token through the fault module."""
    module = os.environ.get("INKAN_P11_FAULT_MODULE")
    assert module and Path(module).exists(), "INKAN_P11_FAULT_MODULE is not set (ctest sets it)"
    inkan = make_inkan("pkcs11-flaky")
    inkan.run("init", "--name", "Flaky CA", "--root-key", "ec-p256", "--issuing-key", "ec-p256",
              "--issuing-key-uri", "pkcs11:token=inkan;object=flaky", "--pkcs11-module", module)
    inkan.tenant_add("acme", "Acme Care")
    return inkan


def test_token_gone_mid_batch_then_back(flaky, token, tmp_path):
    rows = "".join(f"acme,flaky-{i:03d},,\r\n" for i in range(60))
    src = tmp_path / "batch.csv"
    src.write_text("tenant,cn,kind,email\r\n" + rows)
    out = tmp_path / "out"
    token.fault_file.write_text("25")  # the token goes away after 25 signatures of the batch
    try:
        proc = flaky.run("batch", "issue", "--from", src, "--key", "ec-p256", "--out", out, check=False)
    finally:
        token.fault_file.unlink()
    assert proc.returncode != 0
    assert "went away" in proc.stderr or "not reachable" in proc.stderr, proc.stderr
    issued = int(flaky.sql("SELECT count(*) FROM certificates WHERE cn LIKE 'flaky-%'").strip())
    assert 0 < issued < 60
    assert reserved(flaky) == 0
    p12s = list(out.rglob("*.p12"))
    assert len(p12s) == issued  # a p12 for every recorded certificate, none for another
    # The token is back: the same command finishes the job.
    flaky.run("batch", "issue", "--from", src, "--key", "ec-p256", "--out", out)
    assert int(flaky.sql("SELECT count(*) FROM certificates WHERE cn LIKE 'flaky-%'").strip()) == 60
    assert len(list(out.rglob("*.p12"))) == 60
    status, report = doctor(flaky)
    assert status == 0 and not [f for f in report["findings"] if f["severity"] != "ok"], report


def test_serve_fails_one_request_while_the_token_is_gone_then_reopens(flaky, token, tmp_path):
    a = flaky.issue("acme", "flaky-serve-a", flaky.root / "issued", "--key", "ec-p256", "--not-before",
                    not_before_for(20))
    b = flaky.issue("acme", "flaky-serve-b", flaky.root / "issued", "--key", "ec-p256", "--not-before",
                    not_before_for(20))
    server = Server(flaky)
    try:
        def renew(c):
            return curl(server, "/api/v1/renew", p12=c["p12"], password=c["password"], method="POST", data="{}",
                        content_type="application/json")
        token.fault_file.write_text("0")
        try:
            r = renew(a)
            assert r.status >= 500, r
        finally:
            token.fault_file.unlink()
        assert reserved(flaky) == 0
        r = renew(a)
        assert r.status == 200, r
        assert renew(b).status == 200
        assert "went away" in server.log_text()
    finally:
        server.stop()
    assert doctor(flaky)[0] == 0


# --- other modules ----------------------------------------------------------------------------

def test_p11_kit_proxy_in_front_of_softhsm(make_inkan, token, tmp_path):
    """p11-kit's proxy module loads the modules registered in /usr/share/p11-kit/modules (SoftHSM2
    registers itself there) and shows their tokens as its own slots."""
    assert Path(P11KIT_PROXY).exists()
    inkan = make_inkan("pkcs11-proxy")
    inkan.run("init", "--name", "Proxy CA", "--root-key", "ec-p256", "--issuing-key", "ec-p256",
              "--issuing-key-uri", "pkcs11:token=inkan;object=via-proxy", "--pkcs11-module", P11KIT_PROXY)
    inkan.tenant_add("acme", "Acme Care")
    c = issue(inkan, "proxy-1")
    leaf = leaf_pem(inkan, c["serial"], tmp_path)
    proc = verify_with_crl(inkan, leaf, write_crl(inkan, tmp_path), tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_opensc_without_a_card_reports_no_token(make_inkan, token):
    inkan = make_inkan("pkcs11-opensc")
    proc = inkan.fail("init", "--name", "Card CA", "--root-key", "ec-p256", "--issuing-key-uri", "pkcs11:token=card;object=issuing",
                      "--pkcs11-module", OPENSC, one_line=False)
    assert "no token matches token 'card'" in proc.stderr and "tokens present: none" in proc.stderr
