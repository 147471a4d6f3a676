"""Issue 2, acceptance "CSR": a CSR asking for CA:TRUE, keyCertSign, serverAuth and extra SANs
gets exactly the client profile with the default validity; a CSR with a broken signature is
refused without touching the store."""
from __future__ import annotations

import base64
import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from helpers import (add_years, check_client_profile, describe, na, nb, openssl_verify, run,
                     snapshot_tree)

TENANT, TENANT_NAME = "initech", "Initech Client Services"

HOSTILE_CNF = """\
[req]
distinguished_name = dn
req_extensions = ext
prompt = no
[dn]
CN = csr-client
O = Evil Org
OU = Root Wannabes
[ext]
basicConstraints = critical,CA:TRUE,pathlen:3
keyUsage = critical,keyCertSign,cRLSign,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,codeSigning,clientAuth
subjectAltName = DNS:evil.example.test,DNS:*.example.test,IP:10.0.0.1,email:mallory@example.test
nsComment = please make me a CA for 30 years
"""


def make_csr(workdir, name, keyspec, cnf=None, subj=None):
    key, csr = workdir / f"{name}.key", workdir / f"{name}.csr"
    cmd = ["openssl", "req", "-new", "-newkey", *keyspec, "-nodes", "-keyout", key, "-out", csr]
    if cnf:
        (workdir / f"{name}.cnf").write_text(cnf)
        cmd += ["-config", workdir / f"{name}.cnf"]
    else:
        cmd += ["-subj", subj]
    run(cmd)
    return csr


def pem_to_der(pem: bytes) -> bytes:
    body = b"".join(l for l in pem.splitlines() if l and not l.startswith(b"-----"))
    return base64.b64decode(body)


def der_to_pem(der: bytes) -> bytes:
    b64 = base64.encodebytes(der).replace(b"\n", b"")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return b"-----BEGIN CERTIFICATE REQUEST-----\n" + b"\n".join(lines) + \
        b"\n-----END CERTIFICATE REQUEST-----\n"


EC = ("ec", "-pkeyopt", "ec_paramgen_curve:P-256")
RSA = ("rsa:2048",)


@pytest.fixture(scope="module")
def env(make_inkan):
    ink = make_inkan("csr")
    ink.init(name="CSR CA")
    ink.tenant_add(TENANT, TENANT_NAME)
    issuing, root, chain = ink.write_chain(ink.root / "chain")
    work = ink.root / "csrs"
    work.mkdir()
    return dict(ink=ink, issuing=issuing, root=root, work=work,
                issuing_cert=x509.load_pem_x509_certificate(issuing.read_bytes()))


def sign(env, csr, out, *opts):
    proc = env["ink"].run("sign", "--csr", csr, "--tenant", TENANT, "--out", out, *opts)
    cert = x509.load_pem_x509_certificate(out.read_bytes())
    printed = proc.stdout.strip()
    assert printed and int(printed.split()[-1], 16) == cert.serial_number, \
        "sign must print the serial" + describe(proc)
    return cert


def test_hostile_csr_gets_exactly_the_client_profile(env):
    csr = make_csr(env["work"], "hostile", EC, cnf=HOSTILE_CNF)
    # sanity: the CSR really asks for all of it
    text = run(["openssl", "req", "-in", csr, "-noout", "-text"]).stdout
    assert "CA:TRUE" in text and "Certificate Sign" in text and "evil.example.test" in text
    before = dt.datetime.now(dt.timezone.utc)
    out = env["work"] / "hostile.pem"
    cert = sign(env, csr, out)
    check_client_profile(cert, env["issuing_cert"], cn="csr-client", org=TENANT_NAME,
                         key_type="ec-p256", crl_url=None, email=None)
    req = x509.load_pem_x509_csr(csr.read_bytes())
    assert cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo) == \
        req.public_key().public_bytes(serialization.Encoding.DER,
                                      serialization.PublicFormat.SubjectPublicKeyInfo)
    # default validity: 3 calendar years from the issue time, whatever the CSR says
    assert before - dt.timedelta(hours=1) <= nb(cert) <= dt.datetime.now(dt.timezone.utc)
    assert na(cert) == add_years(nb(cert), 3), (nb(cert), na(cert))
    proc = openssl_verify(env["root"], env["issuing"], out)
    assert proc.returncode == 0, describe(proc)
    listed = env["ink"].json("list", "--tenant", TENANT, "--format", "json")
    assert cert.serial_number in {int(r["serial"], 16) for r in listed}, listed


def test_rsa_csr_with_cn_override_and_validity(env):
    csr = make_csr(env["work"], "plain", RSA, subj="/CN=from-csr/O=Somebody Else")
    out = env["work"] / "plain.pem"
    cert = sign(env, csr, out, "--cn", "overridden-cn", "--validity", "90d")
    check_client_profile(cert, env["issuing_cert"], cn="overridden-cn", org=TENANT_NAME,
                         key_type="rsa-2048", crl_url=None, email=None)
    assert na(cert) - nb(cert) == dt.timedelta(days=90)


def test_thirty_years_is_refused(env):
    ink = env["ink"]
    csr = make_csr(env["work"], "thirty", EC, subj="/CN=thirty")
    out = env["work"] / "thirty.pem"
    before = ink.dump()
    ink.fail("sign", "--csr", csr, "--tenant", TENANT, "--validity", "30y", "--out", out)
    assert not out.exists()
    assert ink.dump() == before


@pytest.mark.parametrize("keyspec", [EC, RSA], ids=["ec", "rsa"])
def test_broken_signature_is_refused(env, keyspec):
    ink = env["ink"]
    name = f"broken-{keyspec[0][:2]}"
    csr = make_csr(env["work"], name, keyspec, subj=f"/CN={name}")
    der = bytearray(pem_to_der(csr.read_bytes()))
    der[-1] ^= 0x01  # last byte of the signature BIT STRING
    bad = env["work"] / f"{name}-bad.csr"
    bad.write_bytes(der_to_pem(bytes(der)))
    # sanity: still parseable, but the signature no longer verifies
    x509.load_pem_x509_csr(bad.read_bytes())
    chk = run(["openssl", "req", "-in", bad, "-noout", "-verify"], check=False)
    assert chk.returncode != 0 or "verify failure" in chk.stdout + chk.stderr, describe(chk)

    out = env["work"] / f"{name}.pem"
    store_before = ink.dump()
    dir_before = snapshot_tree(env["work"])
    proc = ink.fail("sign", "--csr", bad, "--tenant", TENANT, "--out", out)
    assert not out.exists(), "a refused CSR produced a certificate file" + describe(proc)
    assert ink.dump() == store_before, "a refused CSR changed the store"
    assert snapshot_tree(env["work"]) == dir_before
