"""Issue 2, acceptance "Readers": every issued p12 (rsa-2048 and ec-p256, compat and modern) is
read, key included, by OpenSSL 3, GnuTLS certtool, NSS pk12util, Java keytool and python
cryptography; and curl completes a mutual-TLS request with it against `openssl s_server -Verify`.
"""
from __future__ import annotations

import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from helpers import describe, free_port, p12_leaf, parse_time, run

TENANT, TENANT_NAME = "acme", "Acme Readers Ltd"
CASES = [(k, p) for k in ("rsa-2048", "ec-p256") for p in ("compat", "modern")]
IDS = [f"{k}-{p}" for k, p in CASES]


@pytest.fixture(scope="module")
def env(make_inkan):
    ink = make_inkan("readers")
    ink.init(name="Readers CA")
    ink.tenant_add(TENANT, TENANT_NAME)
    issuing, root, chain = ink.write_chain(ink.root / "chain")
    out = ink.root / "out"
    issued = {}
    for key, profile in CASES:
        cn = f"reader {key} {profile}"
        issued[(key, profile)] = ink.issue(TENANT, cn, out, "--key", key, "--p12-profile", profile)
        issued[(key, profile)]["cn"] = cn
    return {"ink": ink, "issuing": issuing, "root": root, "chain": chain, "issued": issued}


def pub_der(key):
    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def check_key_type(key, key_type):
    if key_type == "rsa-2048":
        assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048, key
    else:
        assert isinstance(key, ec.EllipticCurvePrivateKey), key
        assert isinstance(key.curve, ec.SECP256R1), key.curve


# --- OpenSSL 3 --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_openssl_reads_p12_with_key(env, case):
    it = env["issued"][case]
    proc = run(["openssl", "pkcs12", "-info", "-in", it["p12"], "-passin",
                f"file:{it['password_file']}", "-nodes"])
    text = proc.stdout + proc.stderr
    assert "-----BEGIN PRIVATE KEY-----" in text, "openssl printed no private key" + describe(proc)
    assert len(re.findall("BEGIN CERTIFICATE", text)) >= 2, "leaf and issuing CA expected" + \
        describe(proc)
    # The profile's algorithms (design.md section 5), never RC2.
    assert "RC2" not in text
    if case[1] == "compat":
        assert "MAC: sha1" in text, describe(proc)
        assert "pbeWithSHA1And3-KeyTripleDES-CBC" in text, describe(proc)
    else:
        assert "MAC: sha256" in text, describe(proc)
        assert re.search(r"PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256", text), \
            describe(proc)
        assert "TripleDES" not in text, describe(proc)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_openssl_rejects_wrong_password(env, case, tmp_path):
    it = env["issued"][case]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not-the-password\n")
    proc = run(["openssl", "pkcs12", "-in", it["p12"], "-passin", f"file:{wrong}", "-noout"],
               check=False)
    assert proc.returncode != 0, "openssl accepted a wrong password" + describe(proc)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bag_attributes_friendly_name_and_local_key_id(env, case):
    """friendlyName "<CN> (<issue date>)"; localKeyID on the key bag and the leaf only."""
    it = env["issued"][case]
    proc = run(["openssl", "pkcs12", "-info", "-in", it["p12"], "-passin",
                f"file:{it['password_file']}", "-nodes"])
    # Split into bags: each bag's attribute block is followed by a PEM block.
    blocks = re.split(r"(?=Bag Attributes)", proc.stdout)
    bags = [b for b in blocks if b.startswith("Bag Attributes")]
    issued_on = parse_time(it["not_before"]).date().isoformat()
    want_name = f"{it['cn']} ({issued_on})"
    leaf_bags = [b for b in bags if "BEGIN CERTIFICATE" in b and f"CN = {it['cn']}" in b]
    key_bags = [b for b in bags if "BEGIN PRIVATE KEY" in b]
    ca_bags = [b for b in bags if "BEGIN CERTIFICATE" in b and b not in leaf_bags]
    assert len(leaf_bags) == 1 and len(key_bags) == 1 and ca_bags, proc.stdout
    ids = []
    for b in leaf_bags + key_bags:
        m = re.search(r"localKeyID: ([0-9A-F ]+)", b)
        assert m, f"localKeyID missing on a bag:\n{b[:400]}"
        ids.append(m.group(1).strip())
        assert f"friendlyName: {want_name}" in b, f"want friendlyName {want_name!r}:\n{b[:400]}"
    assert ids[0] == ids[1], f"key and leaf localKeyID differ: {ids}"
    for b in ca_bags:
        assert "localKeyID" not in b, f"localKeyID must be on key and leaf only:\n{b[:400]}"


# --- GnuTLS certtool ----------------------------------------------------------------------------
def certtool_info(p12, password):
    return run(["certtool", "--p12-info", "--inder", "--infile", p12, "--password", password],
               check=False)


BAD_MAC = re.compile(r"(?i)(verification failed|mac verif|decryption has failed|error)")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_certtool_reads_p12_with_key(env, case, tmp_path):
    it = env["issued"][case]
    proc = certtool_info(it["p12"], it["password"])
    text = proc.stdout + proc.stderr
    # certtool may exit 0 on a bad MAC, so the text decides.
    assert proc.returncode == 0, describe(proc)
    assert "MAC info" in text and not BAD_MAC.search(text), describe(proc)
    assert text.count("Type: Certificate") >= 2, describe(proc)
    assert "PKCS #8 Encrypted key" in text, describe(proc)
    m = re.search(r"-----BEGIN ENCRYPTED PRIVATE KEY-----.+?-----END ENCRYPTED PRIVATE KEY-----",
                  text, re.S)
    assert m, "certtool showed no key bag" + describe(proc)
    keyfile = tmp_path / "key.pem"
    keyfile.write_text(m.group(0) + "\n")
    # GnuTLS decrypts the shrouded key bag too.
    kproc = run(["certtool", "-k", "--pkcs8", "--password", it["password"], "--infile", keyfile])
    want = "RSA" if case[0].startswith("rsa") else "EC"
    assert re.search(rf"Public Key Algorithm: {want}", kproc.stdout), describe(kproc)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_certtool_detects_wrong_password(env, case):
    """Proves the text check above can fail: a wrong password shows up in certtool's text."""
    it = env["issued"][case]
    proc = certtool_info(it["p12"], it["password"] + "x")
    assert BAD_MAC.search(proc.stdout + proc.stderr), \
        "certtool's text did not reveal a wrong password" + describe(proc)


# --- NSS -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_nss_pk12util_imports_into_fresh_db(env, case, tmp_path):
    it = env["issued"][case]
    db = tmp_path / "nssdb"
    db.mkdir()
    run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"])
    proc = run(["pk12util", "-i", it["p12"], "-d", f"sql:{db}", "-w", it["password_file"]],
               check=False)
    assert proc.returncode == 0 and "SUCCESSFUL" in proc.stdout + proc.stderr, describe(proc)
    keys = run(["certutil", "-K", "-d", f"sql:{db}"])
    want = "rsa" if case[0].startswith("rsa") else "ec"
    assert re.search(rf"<\s*0>\s+{want}\s+[0-9a-f]+", keys.stdout), \
        "NSS holds no private key after import" + describe(keys)
    certs = run(["certutil", "-L", "-d", f"sql:{db}"])
    assert it["cn"] in certs.stdout, describe(certs)


# --- Java keytool --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_keytool_sees_private_key_entry_with_chain(env, case):
    it = env["issued"][case]
    proc = run(["keytool", "-list", "-v", "-storetype", "PKCS12", "-keystore", it["p12"],
                "-storepass:file", it["password_file"]], check=False)
    assert proc.returncode == 0, describe(proc)
    assert "Entry type: PrivateKeyEntry" in proc.stdout, describe(proc)
    lengths = [int(n) for n in re.findall(r"Certificate chain length: (\d+)", proc.stdout)]
    assert lengths and max(lengths) >= 2, describe(proc)


# --- python cryptography -------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_cryptography_reads_key_and_chain(env, case):
    it = env["issued"][case]
    key, cert, extra = p12_leaf(it["p12"], it["password"])
    assert key is not None, "no private key in the p12"
    assert cert is not None, "no leaf certificate in the p12"
    check_key_type(key, case[0])
    assert pub_der(key) == cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo), \
        "the key does not match the leaf"
    issuing = x509.load_pem_x509_certificate(env["issuing"].read_bytes())
    assert any(c == issuing for c in extra), \
        f"issuing CA missing from the p12 chain: {[c.subject.rfc4514_string() for c in extra]}"
    assert int(it["serial"], 16) == cert.serial_number
    # friendlyName through a second parser
    full = pkcs12.load_pkcs12(Path(it["p12"]).read_bytes(), it["password"].encode())
    assert full.cert.friendly_name is not None and \
        full.cert.friendly_name.decode().startswith(f"{it['cn']} ("), full.cert.friendly_name
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(Path(it["p12"]).read_bytes(), b"wrong password")


# --- curl mutual TLS -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mtls_server(env):
    work = env["ink"].root / "server"
    work.mkdir()
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", work / "sca.key", "-out", work / "sca.pem", "-days", "2",
         "-subj", "/CN=Suite Server CA"])
    run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", work / "srv.key", "-out", work / "srv.csr", "-subj", "/CN=localhost"])
    (work / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                  "extendedKeyUsage=serverAuth\n")
    run(["openssl", "x509", "-req", "-in", work / "srv.csr", "-CA", work / "sca.pem", "-CAkey",
         work / "sca.key", "-CAcreateserial", "-out", work / "srv.pem", "-days", "2", "-extfile",
         work / "ext.cnf"])
    last_err = ""
    for _attempt in range(5):
        port = free_port()
        log = open(work / f"s_server.{port}.log", "w+")
        proc = subprocess.Popen(
            ["openssl", "s_server", "-Verify", "2", "-verify_return_error", "-CAfile",
             str(env["chain"]), "-cert", str(work / "srv.pem"), "-key", str(work / "srv.key"),
             "-www", "-accept", f"127.0.0.1:{port}"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 10
            up = False
            while time.time() < deadline and proc.poll() is None:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        up = True
                        break
                except OSError:
                    time.sleep(0.1)
            if up:
                yield {"port": port, "ca": work / "sca.pem", "log": work / f"s_server.{port}.log"}
                return
            log.seek(0)
            last_err = log.read()
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.close()
    pytest.fail(f"openssl s_server did not start: {last_err}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_curl_mutual_tls(env, mtls_server, case):
    it = env["issued"][case]
    port = mtls_server["port"]
    pw = it["password"].replace("\\", "\\\\").replace(":", "\\:")
    proc = run(["curl", "-sS", "--fail", "--max-time", "20", "--noproxy", "*",
                "--resolve", f"localhost:{port}:127.0.0.1",
                "--cert-type", "P12", "--cert", f"{it['p12']}:{pw}",
                "--cacert", mtls_server["ca"], f"https://localhost:{port}/"], check=False)
    assert proc.returncode == 0, describe(proc) + "\n--- s_server log ---\n" + \
        mtls_server["log"].read_text()[-3000:]
    assert it["cn"] in proc.stdout, "s_server's page does not show the client certificate" + \
        describe(proc)


def test_curl_without_client_cert_is_refused(env, mtls_server):
    """Proves the server really demands a client certificate (so the test above can fail)."""
    port = mtls_server["port"]
    proc = run(["curl", "-sS", "--fail", "--max-time", "20", "--noproxy", "*",
                "--resolve", f"localhost:{port}:127.0.0.1", "--cacert", mtls_server["ca"],
                f"https://localhost:{port}/"], check=False)
    assert proc.returncode != 0, "s_server accepted a request without a client cert" + \
        describe(proc)
