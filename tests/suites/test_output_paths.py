"""Issue 16 item 13: the same mistake gets the same answer from every command that writes a file,
a missing output directory is made (0700) by `export`, `backup`, `crl` and `ca csr` as by `issue`,
and `export` writes the certificate alone as PEM (optionally with its chain) or DER."""
from __future__ import annotations

import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from helpers import Inkan, describe, p12_leaf, run, split_pem

TENANT = "paths"


@pytest.fixture(scope="module")
def ink(make_inkan) -> Inkan:
    ink = make_inkan("out-paths")
    ink.init()
    ink.tenant_add(TENANT, "Paths Clinic")
    return ink


@pytest.fixture(scope="module")
def cert(ink):
    it = ink.issue(TENANT, "pc1", ink.root / "issued", "--key", "ec-p256")
    _, leaf, _ = p12_leaf(it["p12"], it["password"])
    return dict(it, cert=leaf)


def private_dir(path):
    mode = path.stat().st_mode
    return stat.S_ISDIR(mode) and stat.S_IMODE(mode) == 0o700


@pytest.mark.parametrize("command", [
    lambda c, out: ["export", c["serial"], "--out", out / "x.zip"],
    lambda c, out: ["backup", "--out", out / "x.inkanbak"],
    lambda c, out: ["crl", "--out", out / "x.crl"],
    lambda c, out: ["issue", "--tenant", TENANT, "--cn", "made", "--out", out, "--key", "ec-p256"],
])
def test_a_missing_output_directory_is_made_private(ink, cert, command, tmp_path):
    out = tmp_path / "new" / "deeper"
    proc = ink.run(*command(cert, out))
    assert private_dir(out), describe(proc)
    assert any(out.iterdir())


@pytest.mark.parametrize("command", [
    lambda c, out: ["export", c["serial"], "--out", out / "x.zip"],
    lambda c, out: ["backup", "--out", out / "x.inkanbak"],
    lambda c, out: ["crl", "--out", out / "x.crl"],
])
def test_an_output_directory_that_is_a_file_fails_alike(ink, cert, command, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = ink.fail(*command(cert, blocker))
    assert proc.returncode == 9, describe(proc)  # I/O, the same code for the same mistake
    assert str(blocker) in proc.stderr


def test_export_certificate_alone_as_pem_der_and_chain(ink, cert, tmp_path):
    ink.run("export", cert["serial"], "--out", tmp_path / "c.pem")
    ink.run("export", cert["serial"], "--out", tmp_path / "c.der")
    ink.run("export", cert["serial"], "--out", tmp_path / "chain.crt", "--chain")
    want = cert["cert"].public_bytes(serialization.Encoding.DER)
    assert x509.load_pem_x509_certificate((tmp_path / "c.pem").read_bytes()).public_bytes(
        serialization.Encoding.DER) == want
    assert (tmp_path / "c.der").read_bytes() == want
    assert stat.S_IMODE((tmp_path / "c.der").stat().st_mode) == 0o644
    assert b"PRIVATE KEY" not in (tmp_path / "c.pem").read_bytes()
    chain = split_pem((tmp_path / "chain.crt").read_text())
    assert len(chain) == 3
    (tmp_path / "root.pem").write_text(chain[2])
    (tmp_path / "issuing.pem").write_text(chain[1])
    proc = run(["openssl", "verify", "-CAfile", tmp_path / "root.pem", "-untrusted", tmp_path / "issuing.pem",
                tmp_path / "c.pem"], check=False)
    assert proc.returncode == 0, describe(proc)
    run(["openssl", "x509", "-inform", "DER", "-in", tmp_path / "c.der", "-noout"])
    assert "--chain" in ink.fail("export", cert["serial"], "--out", tmp_path / "c2.der", "--chain").stderr
    assert ".pem" in ink.fail("export", cert["serial"], "--out", tmp_path / "c.txt").stderr
    assert ink.fail("export", cert["serial"], "--out", tmp_path / "c.pem").returncode == 4  # never overwritten
