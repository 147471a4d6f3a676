"""Issue 16 item 1: after a CA rollover every certificate names a CRL URL of its own CA, and
that URL, fetched from the appliance (`inkan serve`, HTTPS port and --ocsp-listen) or from the
directory `inkan crl --all --out-dir` writes, yields the CRL that revokes it: `openssl verify
-crl_check` and Debian's nginx (ssl_crl) reject each revoked certificate of both CAs.

Before the fix every certificate named the one URL given at init, which led to the new CA's CRL
only: the old CA's revocations vanished from it. Loopback only."""
from __future__ import annotations

import re
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtensionOID

from helpers import describe, free_port, openssl_verify, p12_leaf, split_pem
from nginx_support import Nginx
from serve_support import Server, curl

TENANT = "roll"


def active_issuing_id(ink) -> int:
    return next(c["id"] for c in ink.cas()
                if c["role"] == "issuing" and c["active"])


def leaf(ink, label: str) -> dict:
    it = ink.issue(TENANT, label, ink.root / "out", "--key", "ec-p256")
    _, cert, _ = p12_leaf(it["p12"], it["password"])
    pem = ink.root / f"{label}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return dict(it, cert=cert, pem=pem)


def crl_url_of(cert: x509.Certificate) -> str:
    points = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    uris = [n.value for p in points for n in p.full_name]
    assert len(uris) == 1, uris
    return uris[0]


def fetch_plain(url: str) -> bytes:
    """GET over plain HTTP; the --ocsp-listen port may open a moment after the HTTPS port."""
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                assert r.status == 200
                return r.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def der_crl_to_pem(der: bytes, out: Path) -> Path:
    out.write_bytes(x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.PEM))
    return out


def chain_files(ink, ca_id: int, where: Path) -> tuple[Path, Path]:
    issuing, root = split_pem(ink.run("ca", "cert", "--ca", str(ca_id), "--chain").stdout)
    where.mkdir(parents=True, exist_ok=True)
    (where / "issuing.pem").write_text(issuing)
    (where / "root.pem").write_text(root)
    return where / "issuing.pem", where / "root.pem"


@pytest.fixture(scope="module")
def rolled(make_inkan):
    ink = make_inkan("crl-urls")
    plain_port = free_port()
    base = f"http://127.0.0.1:{plain_port}/pki"
    ink.init(name="CRL URL CA", crl_url=f"{base}/inkan.crl")
    ink.tenant_add(TENANT, "Rollover Clinics")
    old_id = active_issuing_id(ink)
    old = {k: leaf(ink, f"old-{k}") for k in ("revoked", "kept")}
    proc = ink.run("ca", "rollover")
    assert "CRL URL" in proc.stdout, describe(proc)
    new_id = active_issuing_id(ink)
    new = {k: leaf(ink, f"new-{k}") for k in ("revoked", "kept")}
    ink.run("revoke", old["revoked"]["serial"], "--reason", "keyCompromise")
    ink.run("revoke", new["revoked"]["serial"], "--reason", "keyCompromise")
    server = Server(ink, "--ocsp-listen", f"127.0.0.1:{plain_port}")
    yield dict(ink=ink, base=base, old_id=old_id, new_id=new_id, old=old, new=new, server=server,
               old_chain=chain_files(ink, old_id, ink.root / "old-chain"),
               new_chain=chain_files(ink, new_id, ink.root / "new-chain"))
    server.stop()


def test_each_ca_names_a_crl_url_of_its_own(rolled):
    old_url = crl_url_of(rolled["old"]["kept"]["cert"])
    new_url = crl_url_of(rolled["new"]["kept"]["cert"])
    assert old_url == f"{rolled['base']}/inkan.crl"
    assert new_url == f"{rolled['base']}/inkan-ca{rolled['new_id']}.crl"
    cas = {c["id"]: c for c in rolled["ink"].cas()}
    assert cas[rolled["old_id"]]["crl_url"] == old_url
    assert cas[rolled["new_id"]]["crl_url"] == new_url


@pytest.mark.parametrize("era", ["old", "new"])
def test_the_crl_at_the_url_in_each_certificate_revokes_it(rolled, era, tmp_path):
    issuing, root = rolled[f"{era}_chain"]
    revoked, kept = rolled[era]["revoked"], rolled[era]["kept"]
    url = crl_url_of(revoked["cert"])
    assert crl_url_of(kept["cert"]) == url
    crl = der_crl_to_pem(fetch_plain(url), tmp_path / "fetched.crl.pem")
    proc = openssl_verify(root, issuing, revoked["pem"], "-crl_check", "-CRLfile", crl)
    assert proc.returncode != 0 and "certificate revoked" in proc.stdout + proc.stderr, describe(proc)
    proc = openssl_verify(root, issuing, kept["pem"], "-crl_check", "-CRLfile", crl)
    assert proc.returncode == 0, describe(proc)
    # The same path on the HTTPS port answers the same CA's CRL.
    reply = curl(rolled["server"], urllib.parse.urlsplit(url).path)
    assert reply.status == 200, reply
    assert x509.load_der_x509_crl(reply.body).issuer == revoked["cert"].issuer


def test_unknown_paths_still_answer_404_and_api_routes_405(rolled):
    assert curl(rolled["server"], "/pki/nothing.crl").status == 404
    assert curl(rolled["server"], "/api/v1/renew").status == 405


def test_crl_all_writes_one_file_per_url_for_a_web_root(rolled, tmp_path):
    ink = rolled["ink"]
    out = tmp_path / "www"
    proc = ink.run("crl", "--all", "--out-dir", out)
    assert sorted(p.name for p in out.iterdir()) == ["inkan-ca%d.crl" % rolled["new_id"], "inkan.crl"], describe(proc)
    for era in ("old", "new"):
        cert = rolled[era]["revoked"]["cert"]
        file = out / crl_url_of(cert).rsplit("/", 1)[1]
        crl = x509.load_der_x509_crl(file.read_bytes())
        assert crl.issuer == cert.issuer
        assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None


def test_a_changed_url_keeps_the_old_one_leading_to_the_same_ca(rolled, tmp_path):
    ink, base, new_id = rolled["ink"], rolled["base"], rolled["new_id"]
    ink.run("ca", "set", "--crl-url", f"{base}/second.crl")
    later = leaf(ink, "later")
    assert crl_url_of(later["cert"]) == f"{base}/second.crl"
    issuing, root = rolled["new_chain"]
    for url in (f"{base}/second.crl", f"{base}/inkan-ca{new_id}.crl"):
        crl = der_crl_to_pem(fetch_plain(url), tmp_path / "c.pem")
        proc = openssl_verify(root, issuing, rolled["new"]["revoked"]["pem"], "-crl_check", "-CRLfile", crl)
        assert "certificate revoked" in proc.stdout + proc.stderr, (url, describe(proc))
    entry = next(c for c in ink.cas() if c["id"] == new_id)
    assert entry["crl_url"] == f"{base}/second.crl"
    assert sorted(entry["crl_urls"]) == sorted([f"{base}/second.crl", f"{base}/inkan-ca{new_id}.crl"])
    # One URL, or one path on another host, never leads to two CAs' CRLs.
    err = ink.fail("ca", "set", "--crl-url", f"{base}/inkan.crl", "--ca", str(new_id)).stderr
    assert "inkan.crl" in err and f"ca:{rolled['old_id']}" in err, err
    err = ink.fail("ca", "set", "--crl-url", "http://other.example/pki/inkan.crl").stderr
    assert "/pki/inkan.crl" in err, err
    ink.fail("ca", "set", "--crl-url", "ftp://x/y.crl")
    ink.fail("ca", "set", "--ca", str(new_id))  # --ca alone says what it needs


def test_rollover_refuses_an_underivable_url_before_making_a_key(make_inkan):
    ink = make_inkan("crl-url-query")
    ink.init(crl_url="http://ca.example/crl?ca=1")
    before = ink.cas()
    err = ink.fail("ca", "rollover").stderr
    assert "--crl-url" in err, err
    assert ink.cas() == before
    ink.run("ca", "rollover", "--crl-url", "http://ca.example/crl-2")
    assert [c["crl_url"] for c in ink.cas() if c["active"]] == \
        ["http://ca.example/crl-2"]


def test_nginx_with_the_crls_from_the_certificates_urls_rejects_both_revoked(rolled, tmp_path):
    nginx = Nginx(tmp_path / "nginx", "ssl_crl {prefix}/crls.pem;".format(prefix=tmp_path / "nginx"))
    prefix = nginx.prefix
    chain = curl(rolled["server"], "/ca.pem")
    (prefix / "inkan-ca.pem").write_bytes(chain.body)
    # The leaf CRLs come only from the URLs in the certificates; nginx checks the whole chain
    # (CRL_CHECK_ALL), so the root's CRL comes from /crl.pem.
    root_cert = x509.load_pem_x509_certificate(rolled["old_chain"][1].read_bytes())
    text = curl(rolled["server"], "/crl.pem").body.decode()
    bundle = [x509.load_pem_x509_crl(m.encode()) for m in
              re.findall(r"-----BEGIN X509 CRL-----.+?-----END X509 CRL-----\n?", text, flags=re.S)]
    crls = [c.public_bytes(serialization.Encoding.PEM) for c in bundle if c.issuer == root_cert.subject]
    assert len(crls) == 1
    for era in ("old", "new"):
        der = fetch_plain(crl_url_of(rolled[era]["revoked"]["cert"]))
        crls.append(x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.PEM))
    (prefix / "crls.pem").write_bytes(b"".join(crls))
    nginx.start()
    try:
        for era in ("old", "new"):
            assert nginx.status_of(rolled[era]["kept"]) == 200, era
            assert nginx.status_of(rolled[era]["revoked"]) == 400, era
        assert nginx.error_log().count("certificate revoked") >= 2, nginx.error_log()[-2000:]
    finally:
        nginx.stop()
