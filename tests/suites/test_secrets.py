"""Issue 2, acceptance "Secrets at rest" (design.md section 7): the data directory without the
passphrase yields no private key and no password — no plaintext key (PEM, DER or raw key
material) and no password in the database, its WAL or anywhere else; CA keys are PKCS#8 PBES2
AES-256-CBC with PBKDF2 >= 600,000 iterations; every file holding a key or a password is 0600;
export never puts the password in the zip; `--offline-root` keeps the root key out of the store."""
from __future__ import annotations

import base64
import re
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from helpers import PASSPHRASE, describe, p12_leaf, run

TENANT, TENANT_NAME = "wayne", "Wayne Enterprises"
PLAIN_MARKERS = [b"-----BEGIN PRIVATE KEY", b"BEGIN RSA PRIVATE KEY", b"BEGIN EC PRIVATE KEY",
                 b"BEGIN DSA PRIVATE KEY", b"BEGIN OPENSSH PRIVATE KEY"]


@pytest.fixture(scope="module")
def env(make_inkan):
    ink = make_inkan("secrets")
    ink.init(name="Secrets CA")
    ink.tenant_add(TENANT, TENANT_NAME)
    out = ink.root / "out"
    issued = [
        ink.issue(TENANT, "rsa compat", out, "--key", "rsa-2048"),
        ink.issue(TENANT, "ec modern", out, "--key", "ec-p256", "--p12-profile", "modern"),
        ink.issue(TENANT, "ec admin", out, "--key", "ec-p256", "--kind", "tenant-admin"),
    ]
    # exercise the reveal and export paths so whatever they touch is on disk too
    revealed = ink.run("password", issued[0]["serial"]).stdout
    exports = ink.root / "exports"
    exports.mkdir()
    ink.run("export", issued[1]["serial"], "--out", exports / "again.p12")
    ink.run("export", issued[1]["serial"], "--out", exports / "again-compat.p12",
            "--p12-profile", "compat")
    ink.run("export", issued[0]["serial"], "--out", exports / "bundle.zip")
    return dict(ink=ink, out=out, issued=issued, revealed=revealed, exports=exports)


def all_files(d: Path):
    files = [p for p in sorted(Path(d).rglob("*")) if p.is_file()]
    assert files, f"nothing under {d}"
    return files


def key_material(key) -> list[bytes]:
    """Byte strings that would betray the private key if found anywhere in plaintext."""
    pk8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    trad = key.private_bytes(serialization.Encoding.DER,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())
    out = [pk8, trad, base64.b64encode(pk8)[:64], base64.b64encode(trad)[:64]]
    if isinstance(key, ec.EllipticCurvePrivateKey):
        out.append(key.private_numbers().private_value.to_bytes(32, "big"))
    elif isinstance(key, rsa.RSAPrivateKey):
        n = key.private_numbers()
        for v in (n.d, n.p, n.q):
            out.append(v.to_bytes((v.bit_length() + 7) // 8, "big"))
    return out


def password_forms(pw: str) -> list[bytes]:
    forms = {pw.encode(), pw.encode("utf-16-le"), pw.encode("utf-16-be")}
    bare = re.sub(r"[^0-9A-Za-z]", "", pw)
    if len(bare) >= 12:
        forms.add(bare.encode())
    return sorted(forms)


def test_password_files_and_reveal(env):
    first = env["issued"][0]
    assert env["revealed"].strip() == first["password"], \
        f"`inkan password` printed {env['revealed']!r}, the file holds {first['password']!r}"


def test_no_plaintext_key_or_password_under_data_dir(env):
    ink = env["ink"]
    needles = []
    for it in env["issued"]:
        key, _, _ = p12_leaf(it["p12"], it["password"])
        needles += [(f"key material of {it['cn']}", m) for m in key_material(key)]
        needles += [(f"password of {it['cn']}", f) for f in password_forms(it["password"])]
    bad = []
    for f in all_files(ink.dir):
        data = f.read_bytes()
        for marker in PLAIN_MARKERS:
            if marker in data:
                bad.append(f"{f.name}: contains {marker.decode()}")
        for what, needle in needles:
            if needle in data:
                bad.append(f"{f.name}: contains the {what}")
    assert not bad, "secrets at rest in plaintext:\n" + "\n".join(bad)


def test_scan_would_find_a_plaintext_password(env, tmp_path):
    """Control: the same scan does find the password in the (legitimate) password file."""
    it = env["issued"][0]
    assert any(f in Path(it["password_file"]).read_bytes() for f in password_forms(it["password"]))


def db_values(db: Path):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        for t in tables:
            for row in con.execute(f'SELECT * FROM "{t}"'):
                for v in row:
                    if isinstance(v, (bytes, str)):
                        yield t, v
    finally:
        con.close()


def test_no_database_value_opens_without_the_passphrase(env):
    """Every BLOB and text value: no unencrypted private key, no p12 that opens without a
    password or with an empty one."""
    bad, opened = [], set()
    passwords = [it["password"].encode() for it in env["issued"]]
    for table, v in db_values(env["ink"].db):
        if isinstance(v, str):
            if re.search(r"-----BEGIN (RSA |EC )?PRIVATE KEY", v):
                bad.append(f"{table}: PEM private key in a text column")
            continue
        for loader in (lambda b: serialization.load_der_private_key(b, None),
                       lambda b: serialization.load_pem_private_key(b, None)):
            try:
                loader(v)
                bad.append(f"{table}: an unencrypted private key in a BLOB")
            except Exception:
                pass
        for pw in (None, b""):
            try:
                key, cert, _ = pkcs12.load_key_and_certificates(v, pw)
                if key is not None:
                    bad.append(f"{table}: a p12 whose key opens with password {pw!r}")
            except Exception:
                pass
        for pw in passwords:
            try:
                key, _, _ = pkcs12.load_key_and_certificates(v, pw)
                if key is not None:
                    opened.add(pw)
            except Exception:
                pass
    assert not bad, "\n".join(bad)
    # The credential as issued (the p12) is stored: with its password each one opens, which
    # shows the scan really looked at the stored credentials.
    assert opened == set(passwords), \
        f"{len(passwords) - len(opened)} issued p12(s) not found as BLOBs in the store"


def encrypted_pkcs8_candidates(ink) -> list[bytes]:
    """DER of every encrypted PKCS#8 found in the DB or as a file in the data directory."""
    found = []
    pem_re = re.compile(rb"-----BEGIN ENCRYPTED PRIVATE KEY-----.+?-----END ENCRYPTED PRIVATE "
                        rb"KEY-----", re.S)
    blobs = [v if isinstance(v, bytes) else v.encode() for _, v in db_values(ink.db)]
    blobs += [f.read_bytes() for f in all_files(ink.dir) if f.name != ink.db.name
              and not f.name.startswith(ink.db.name)]
    for b in blobs:
        for m in pem_re.finditer(b):
            found.append(serialization_pem_to_der(m.group(0)))
        if b[:1] == b"\x30" and b"\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0d" in b[:40]:  # PBES2 OID
            found.append(b)
    return found


def serialization_pem_to_der(pem: bytes) -> bytes:
    body = b"".join(l for l in pem.splitlines() if l and not l.startswith(b"-----"))
    return base64.b64decode(body)


def test_ca_keys_are_pbes2_aes256_pbkdf2_600k(env, tmp_path):
    keys = encrypted_pkcs8_candidates(env["ink"])
    assert keys, "no PKCS#8-encrypted CA key found in the store or the data directory"
    for i, der in enumerate(keys):
        f = tmp_path / f"k{i}.der"
        f.write_bytes(der)
        text = run(["openssl", "asn1parse", "-inform", "DER", "-in", f]).stdout
        assert ":PBES2" in text, text
        assert ":aes-256-cbc" in text, text
        assert ":PBKDF2" in text, text
        assert "hmacWithSHA256" in text, text
        after = text.split(":PBKDF2", 1)[1]
        iters = re.search(r"INTEGER\s*:([0-9A-F]+)", after)
        assert iters and int(iters.group(1), 16) >= 600_000, text


def test_file_modes(env):
    ink = env["ink"]
    paths = [Path(it[k]) for it in env["issued"] for k in ("p12", "password_file")]
    paths += [ink.db] + [p for p in ink.dir.iterdir() if p.name.startswith(ink.db.name + "-")]
    paths += [p for p in env["exports"].iterdir()]
    wrong = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in paths
             if stat.S_IMODE(p.stat().st_mode) != 0o600}
    assert not wrong, f"files holding a key or a password must be 0600: {wrong}"


def test_export_p12_reopens_with_stored_password(env):
    it = env["issued"][1]
    for name, mac in (("again.p12", "sha256"), ("again-compat.p12", "sha1")):
        p = env["exports"] / name
        key, cert, extra = p12_leaf(p, it["password"])
        assert key is not None and cert.serial_number == int(it["serial"], 16)
        proc = run(["openssl", "pkcs12", "-in", p, "-passin", f"file:{it['password_file']}",
                    "-info", "-noout"])
        assert f"MAC: {mac}" in proc.stdout + proc.stderr, describe(proc)


def test_export_zip_has_p12_chain_instructions_and_no_password(env):
    it = env["issued"][0]
    zpath = env["exports"] / "bundle.zip"
    with zipfile.ZipFile(zpath) as z:
        entries = {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
    names = list(entries)
    p12s = [n for n in names if n.lower().endswith((".p12", ".pfx"))]
    assert len(p12s) == 1, names
    key, cert, _ = pkcs12.load_key_and_certificates(entries[p12s[0]], it["password"].encode())
    assert key is not None and cert.serial_number == int(it["serial"], 16)
    ca = x509.load_pem_x509_certificate(env["ink"].chain()[0].encode())
    pems = [n for n in names if b"-----BEGIN CERTIFICATE-----" in entries[n]]
    assert pems, f"no CA chain PEM in the zip: {names}"
    chain = [x509.load_pem_x509_certificate(c)
             for n in pems for c in re.findall(rb"-----BEGIN CERTIFICATE-----.+?-----END "
                                               rb"CERTIFICATE-----", entries[n], re.S)]
    assert ca in chain, "the issuing CA is not in the zip's chain"
    docs = [n for n in names if n not in p12s and n not in pems]
    assert docs, f"no import instructions in the zip: {names}"
    for n, data in entries.items():
        for form in password_forms(it["password"]):
            assert form not in data, f"the password is in zip entry {n}"
    assert not any(n.lower().startswith("password") or ".password" in n.lower() for n in names)


def test_offline_root(make_inkan):
    ink = make_inkan("offline-root")
    root_file = ink.root / "offline" / "root-key.pem"
    root_file.parent.mkdir()
    ink.init(name="Offline Root CA", extra=("--offline-root", root_file))
    assert root_file.exists(), "no offline root key file"
    assert stat.S_IMODE(root_file.stat().st_mode) == 0o600
    data = root_file.read_bytes()
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in data and not any(m in data for m in PLAIN_MARKERS)
    root_key = serialization.load_pem_private_key(data, PASSPHRASE.encode())
    issuing_pem, root_pem = ink.chain()
    root = x509.load_pem_x509_certificate(root_pem.encode())
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    root_spki = root.public_key().public_bytes(serialization.Encoding.DER, spki)
    assert root_key.public_key().public_bytes(serialization.Encoding.DER, spki) == root_spki
    # the issuing CA still works without the root key
    ink.tenant_add("t", "T")
    ink.issue("t", "after offline root", ink.root / "out", "--key", "ec-p256")
    # no key in the data directory decrypts (with the passphrase) to the root key
    for der in encrypted_pkcs8_candidates(ink):
        try:
            k = serialization.load_der_private_key(der, PASSPHRASE.encode())
        except Exception:
            continue
        assert k.public_key().public_bytes(serialization.Encoding.DER, spki) != root_spki, \
            "the root key is still in the data directory"
    # and the raw root scalar appears nowhere
    scalar = root_key.private_numbers().private_value.to_bytes(32, "big") \
        if isinstance(root_key, ec.EllipticCurvePrivateKey) else None
    if scalar:
        for f in all_files(ink.dir):
            assert scalar not in f.read_bytes(), f"root key material in {f}"
