"""Issue 18, item 4: an offline-root installation and Debian's nginx checking the whole CRL chain
(`ssl_crl` turns on OpenSSL's crl_check_all: every CA in the chain needs a current CRL). Without
the root's CRL nginx refuses even a valid client certificate; with `inkan root crl` signed where
the root file is and `inkan ca import-crl`, /crl.pem carries both CRLs, and nginx accepts a valid
certificate and rejects a revoked one. Loopback only."""
from __future__ import annotations

import shutil

import pytest

from helpers import describe, run
from nginx_support import NGINX, Nginx
from serve_support import Server, curl, not_before_for

@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("nginx-offline-root")
    inkan.init(extra=("--offline-root", inkan.root / "root.pem"))
    inkan.tenant_add("acme", "Acme Care")
    return inkan


@pytest.fixture(scope="module")
def server(ca):
    s = Server(ca)
    yield s
    s.stop()


def fetch(server, path, dest):
    r = curl(server, path)
    assert r.status == 200, r
    dest.write_bytes(r.body)


def crl_blocks(pem: bytes) -> int:
    return pem.count(b"-----BEGIN X509 CRL-----")


def test_nginx_checks_the_full_crl_chain_of_an_offline_root_installation(ca, server, tmp_path):
    assert shutil.which(NGINX) or __import__("os").path.exists(NGINX), "nginx is missing: run tools/setup.sh"
    valid = ca.issue("acme", "rp-valid", ca.root / "issued", "--key", "ec-p256", "--not-before", not_before_for(200))
    revoked = ca.issue("acme", "rp-revoked", ca.root / "issued", "--key", "ec-p256")
    ca.run("revoke", revoked["serial"], "--reason", "keyCompromise")

    nginx = Nginx(tmp_path / "nginx", checks=f"ssl_crl {tmp_path / 'nginx'}/inkan-crl.pem;")
    fetch(server, "/ca.pem", nginx.prefix / "inkan-ca.pem")
    assert b"BEGIN CERTIFICATE" in (nginx.prefix / "inkan-ca.pem").read_bytes()
    ca_pem = (nginx.prefix / "inkan-ca.pem").read_bytes()
    if ca_pem.count(b"BEGIN CERTIFICATE") < 2:  # the root too, for the chain
        (nginx.prefix / "inkan-ca.pem").write_text(ca.run("ca", "cert", "--chain").stdout)
    fetch(server, "/crl.pem", nginx.prefix / "inkan-crl.pem")
    assert crl_blocks((nginx.prefix / "inkan-crl.pem").read_bytes()) == 1  # the issuing CA's only
    nginx.start()
    try:
        # Control: with no CRL for the root, crl_check_all refuses even the valid certificate.
        status, body = nginx.get(valid)
        assert status == 400, (status, body)
        assert "unable to get certificate CRL" in nginx.error_log()

        # Where the root file is: sign its CRL (no data directory). Then import it.
        root_crl = ca.root / "root.crl"
        proc = run([ca.bin, "--passphrase-file", ca.passfile, "root", "crl", ca.root / "root.pem",
                    "--out", root_crl, "--next-update-days", "90"])
        assert "import-crl" in proc.stdout, describe(proc)
        chain = ca.run("ca", "cert", "--chain").stdout
        root_cert = tmp_path / "root-cert.pem"
        root_cert.write_text("-----BEGIN CERTIFICATE-----" + chain.split("-----BEGIN CERTIFICATE-----")[2])
        lint = ca.run("lint", root_crl, "--issuer", root_cert, check=False)
        assert lint.returncode == 0, describe(lint)  # the RFC 5280 linter every CRL of ours passes
        text = run(["openssl", "crl", "-inform", "DER", "-in", root_crl, "-noout", "-text"]).stdout
        assert "Next Update" in text and "X509v3 CRL Number" in text, text
        imported = ca.run("ca", "import-crl", root_crl)
        assert "Imported root CRL number" in imported.stdout, describe(imported)
        assert "Already imported" in ca.run("ca", "import-crl", root_crl).stdout
        assert ca.json("audit", "--action", "crl.import", "--format", "json")["entries"]

        fetch(server, "/crl.pem", nginx.prefix / "inkan-crl.pem")
        assert crl_blocks((nginx.prefix / "inkan-crl.pem").read_bytes()) == 2  # issuing + root
        nginx.reload()  # returns once the old workers, with the old CRL file, have exited
        status, body = nginx.get(valid)
        assert status == 200 and "CN=rp-valid" in body, (status, body)
        status, body = nginx.get(revoked)
        assert status == 400, (status, body)
        assert "certificate revoked" in nginx.error_log()
    finally:
        nginx.stop()


def test_import_crl_refuses_a_foreign_an_older_and_a_stale_crl(ca, tmp_path):
    root_file = ca.root / "root.pem"
    base = [ca.bin, "--passphrase-file", ca.passfile, "root", "crl", root_file]
    newest = tmp_path / "newest.crl"
    run(base + ["--out", newest, "--crl-number", "4000000000", "--pem"])  # above any Unix time until 2096
    ca.run("ca", "import-crl", newest)
    older = tmp_path / "older.crl"
    run(base + ["--out", older, "--crl-number", "5"])
    refused = ca.fail("ca", "import-crl", older)
    assert refused.returncode == 8 and "not newer" in refused.stderr, describe(refused)
    # A CRL signed by another CA (the issuing CA's own) is not the root's.
    foreign = tmp_path / "issuing.crl"
    ca.run("crl", "--out", foreign)
    bad = ca.fail("ca", "import-crl", foreign)
    assert bad.returncode == 2 and "not signed by this installation's root" in bad.stderr, describe(bad)
    too_big = run(base + ["--out", tmp_path / "big.crl", "--crl-number", "4294967296"], check=False)
    assert too_big.returncode == 2 and not (tmp_path / "big.crl").exists(), describe(too_big)
    # --out is never overwritten.
    again = run(base + ["--out", older], check=False)
    assert again.returncode == 4, describe(again)
