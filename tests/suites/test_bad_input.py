"""Issue 2, acceptance "Bad input": each bad input gets a non-zero exit and a one-line reason on
stderr, and leaves the store (`sqlite3 .dump`) and the output directory (recursive listing plus
contents) exactly as they were."""
from __future__ import annotations

import os
import re
from contextlib import contextmanager

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from helpers import describe, snapshot_tree, write_secret

TENANT, TENANT_NAME = "hooli", "Hooli XYZ"


@pytest.fixture(scope="module")
def env(make_inkan):
    ink = make_inkan("badinput")
    ink.init(name="Bad Input CA")
    ink.tenant_add(TENANT, TENANT_NAME)
    out = ink.root / "out"
    first = ink.issue(TENANT, "already here", out, "--key", "ec-p256")
    (out / "sentinel.txt").write_text("do not touch\n")
    return dict(ink=ink, out=out, first=first)


@contextmanager
def unchanged(ink, *paths):
    store = ink.dump()
    files_before = {str(p): snapshot_tree(p) for p in paths}
    datadir_before = sorted(p.name for p in ink.dir.iterdir())
    yield
    assert ink.dump() == store, "the store changed"
    for p in paths:
        assert snapshot_tree(p) == files_before[str(p)], f"{p} changed"
    after = sorted(p.name for p in ink.dir.iterdir()
                   if not p.name.endswith(("-wal", "-shm", "-journal")))
    before = [n for n in datadir_before if not n.endswith(("-wal", "-shm", "-journal"))]
    assert after == before, f"data directory listing changed: {before} -> {after}"


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_children(der: bytes) -> list[bytes]:
    """The raw TLVs inside a top-level SEQUENCE."""
    assert der[0] == 0x30

    def read_len(i):
        first = der[i]
        if first < 0x80:
            return first, i + 1
        k = first & 0x7F
        return int.from_bytes(der[i + 1:i + 1 + k], "big"), i + 1 + k
    total, i = read_len(1)
    end = i + total
    out = []
    while i < end:
        start = i
        ln, j = read_len(i + 1)
        out.append(der[start:j + ln])
        i = j + ln
    return out


def csr_for(key, cn):
    return (x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
            .sign(key, hashes.SHA256()))


def wrongly_signed_csr() -> bytes:
    """A CSR carrying key A whose signature was made by key B (well-formed, wrong signer)."""
    a, b = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    der = csr_for(a, "wrong signer").public_bytes(serialization.Encoding.DER)
    tbs, algid, _sig = der_children(der)
    sig = b.sign(tbs, ec.ECDSA(hashes.SHA256()))
    bitstring = b"\x03" + der_len(len(sig) + 1) + b"\x00" + sig
    body = tbs + algid + bitstring
    forged = b"\x30" + der_len(len(body)) + body
    csr = x509.load_der_x509_csr(forged)
    assert not csr.is_signature_valid  # sanity: the forgery is what we think it is
    return csr.public_bytes(serialization.Encoding.PEM)


def good_csr_pem() -> bytes:
    return csr_for(ec.generate_private_key(ec.SECP256R1()), "good csr").public_bytes(
        serialization.Encoding.PEM)


MALFORMED = {
    "garbage-pem": b"-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3NyIGF0IGFsbA==\n"
                   b"-----END CERTIFICATE REQUEST-----\n",
    "not-pem": b"this is not a certificate signing request\n",
    "truncated": None,  # filled in below: a valid CSR cut in half
    "empty": b"",
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_csr(env, kind, tmp_path):
    ink = env["ink"]
    data = MALFORMED[kind]
    if data is None:
        good = good_csr_pem()
        data = good[: len(good) // 2]
    csr = tmp_path / "in.csr"
    csr.write_bytes(data)
    out = tmp_path / "leaf.pem"
    with unchanged(ink, tmp_path):
        ink.fail("sign", "--csr", csr, "--tenant", TENANT, "--out", out)


def test_wrongly_signed_csr(env, tmp_path):
    ink = env["ink"]
    csr = tmp_path / "forged.csr"
    csr.write_bytes(wrongly_signed_csr())
    out = tmp_path / "leaf.pem"
    with unchanged(ink, tmp_path):
        proc = ink.fail("sign", "--csr", csr, "--tenant", TENANT, "--out", out)
    assert re.search(r"(?i)signature|csr|request", proc.stderr), describe(proc)


def test_good_csr_is_signed_control(env, tmp_path):
    """Control for the CSR cases above: the same path with a sound CSR works."""
    ink = env["ink"]
    csr = tmp_path / "good.csr"
    csr.write_bytes(good_csr_pem())
    ink.run("sign", "--csr", csr, "--tenant", TENANT, "--out", tmp_path / "leaf.pem")
    x509.load_pem_x509_certificate((tmp_path / "leaf.pem").read_bytes())


def test_unknown_tenant_issue(env):
    ink = env["ink"]
    with unchanged(ink, env["out"]):
        proc = ink.fail("issue", "--tenant", "no-such-tenant", "--cn", "x", "--out", env["out"],
                        "--key", "ec-p256")
    assert "no-such-tenant" in proc.stderr, describe(proc)


def test_unknown_tenant_sign(env, tmp_path):
    ink = env["ink"]
    csr = tmp_path / "good.csr"
    csr.write_bytes(good_csr_pem())
    with unchanged(ink, tmp_path):
        proc = ink.fail("sign", "--csr", csr, "--tenant", "no-such-tenant", "--out",
                        tmp_path / "leaf.pem")
    assert "no-such-tenant" in proc.stderr, describe(proc)


def test_duplicate_tenant_id(env):
    ink = env["ink"]
    with unchanged(ink, env["out"]):
        proc = ink.fail("tenant", "add", TENANT, "--name", "Another Name")
    assert TENANT in proc.stderr, describe(proc)
    names = {t["id"]: t["name"] for t in ink.json("tenant", "list", "--format", "json")}
    assert names == {TENANT: TENANT_NAME}, names


def test_wrong_passphrase(env, tmp_path):
    ink = env["ink"]
    wrong = write_secret(tmp_path / "wrong-passphrase.txt", "this is not the passphrase")
    with unchanged(ink, env["out"]):
        proc = ink.fail("issue", "--tenant", TENANT, "--cn", "y", "--out", env["out"], "--key",
                        "ec-p256", passfile=wrong)
    assert re.search(r"(?i)passphrase", proc.stderr), describe(proc)
    with unchanged(ink, env["out"]):
        proc = ink.fail("password", env["first"]["serial"], passfile=wrong)
        assert env["first"]["password"] not in proc.stdout + proc.stderr
    csr = tmp_path / "good.csr"
    csr.write_bytes(good_csr_pem())
    with unchanged(ink, tmp_path):
        ink.fail("sign", "--csr", csr, "--tenant", TENANT, "--out", tmp_path / "l.pem",
                 passfile=wrong)


def test_unwritable_out_parent_is_a_file(env, tmp_path):
    ink = env["ink"]
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file\n")
    with unchanged(ink, tmp_path):
        proc = ink.fail("issue", "--tenant", TENANT, "--cn", "z", "--out", blocker / "sub",
                        "--key", "ec-p256")
    assert "blocker" in proc.stderr, "the message should name the --out path" + describe(proc)


def test_unwritable_out_is_a_file(env, tmp_path):
    ink = env["ink"]
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file\n")
    with unchanged(ink, tmp_path):
        ink.fail("issue", "--tenant", TENANT, "--cn", "z", "--out", blocker, "--key", "ec-p256")


def test_unwritable_sign_out(env, tmp_path):
    ink = env["ink"]
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file\n")
    csr = tmp_path / "good.csr"
    csr.write_bytes(good_csr_pem())
    with unchanged(ink, tmp_path):
        ink.fail("sign", "--csr", csr, "--tenant", TENANT, "--out", blocker / "leaf.pem")


def test_existing_credential_not_overwritten(env):
    """Issuing the same CN into the same directory must not clobber the first p12."""
    ink = env["ink"]
    before = snapshot_tree(env["out"])
    proc = ink.run("issue", "--tenant", TENANT, "--cn", "already here", "--out", env["out"],
                   "--key", "ec-p256", "--format", "json", check=False)
    after = snapshot_tree(env["out"])
    for rel, entry in before.items():
        assert after.get(rel) == entry, f"{rel} was overwritten" + describe(proc)


@pytest.mark.parametrize("args", [
    ("issue", "--tenant", TENANT, "--cn", "k", "--key", "dsa-1024"),
    ("issue", "--tenant", TENANT, "--cn", "k", "--key", "ec-p256", "--validity", "forever"),
    ("issue", "--tenant", TENANT, "--cn", "k", "--key", "ec-p256", "--not-before", "2020-13-45"),
    ("issue", "--tenant", TENANT, "--cn", "k", "--key", "ec-p256", "--p12-profile", "rc2"),
    ("issue", "--tenant", TENANT, "--cn", "k", "--key", "ec-p256", "--kind", "root"),
], ids=["key", "validity", "not-before", "profile", "kind"])
def test_bad_option_values(env, args, tmp_path):
    ink = env["ink"]
    with unchanged(ink, tmp_path):
        ink.fail(*args, "--out", tmp_path / "o")


def test_init_twice_is_refused(env):
    ink = env["ink"]
    chain = ink.chain()
    with unchanged(ink, env["out"]):
        ink.fail("init", "--name", "Second Init", "--root-key", "ec-p256", "--issuing-key",
                 "ec-p256")
    assert ink.chain() == chain
    assert os.stat(ink.db).st_size > 0
