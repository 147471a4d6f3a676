"""Issue 3, acceptance "Rollover": after `inkan ca rollover` (root held) or the offline-root
sequence (`ca csr`, `root sign` on another machine, `ca import`), certificates from both issuing
CAs verify against their own chains, each issuing CA publishes the CRL of its own certificates,
and a certificate that does not fit the pending key or our root is refused without a trace."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from helpers import (Inkan, clean_env, describe, openssl_verify, p12_leaf, run, snapshot_tree,
                     split_pem)

TENANT, TENANT_NAME = "roll", "Rollover Clinics"


def leaf_pem(ink: Inkan, label: str) -> dict:
    it = ink.issue(TENANT, label, ink.root / "out", "--key", "ec-p256")
    _, cert, _ = p12_leaf(it["p12"], it["password"])
    pem = ink.root / f"{label}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return dict(it, cert=cert, pem=pem)


def chain_of(ink: Inkan, ca_id: int, where: Path) -> tuple[Path, Path, Path]:
    certs = split_pem(ink.run("ca", "cert", "--ca", str(ca_id), "--chain").stdout)
    assert len(certs) == 2, certs
    where.mkdir(parents=True, exist_ok=True)
    (where / "issuing.pem").write_text(certs[0])
    (where / "root.pem").write_text(certs[1])
    (where / "chain.pem").write_text(certs[0] + certs[1])
    return where / "issuing.pem", where / "root.pem", where / "chain.pem"


def assert_verifies(chain, leaf):
    issuing, root, _ = chain
    proc = openssl_verify(root, issuing, leaf)
    assert proc.returncode == 0 and ": OK" in proc.stdout, describe(proc)


def crl_serials(crl_pem: Path) -> set[int]:
    text = run(["openssl", "crl", "-in", crl_pem, "-noout", "-text"]).stdout
    return {int(s, 16) for s in re.findall(r"Serial Number: ([0-9A-Fa-f]+)", text)}


@pytest.fixture(scope="module")
def online(make_inkan):
    ink = make_inkan("rollover")
    ink.init(name="Roll CA")
    ink.tenant_add(TENANT, TENANT_NAME)
    old_id = next(c["id"] for c in ink.cas() if c["role"] == "issuing" and c["active"])
    old = {k: leaf_pem(ink, f"old-{k}") for k in ("revoked", "kept")}
    proc = ink.run("ca", "rollover")
    assert "Active issuing CA is now" in proc.stdout, describe(proc)
    new_id = next(c["id"] for c in ink.cas() if c["role"] == "issuing" and c["active"])
    new = {k: leaf_pem(ink, f"new-{k}") for k in ("revoked", "kept")}
    ink.run("revoke", old["revoked"]["serial"], "--reason", "keyCompromise")
    ink.run("revoke", new["revoked"]["serial"], "--reason", "unspecified")
    crls = ink.root / "crls"
    proc = ink.run("crl", "--all", "--out-dir", crls, "--pem")
    return dict(ink=ink, old_id=old_id, new_id=new_id, old=old, new=new, crls=crls,
                old_chain=chain_of(ink, old_id, ink.root / "old-chain"),
                new_chain=chain_of(ink, new_id, ink.root / "new-chain"), crl_out=proc.stdout)


def test_rollover_makes_a_new_active_issuing_ca_and_keeps_the_old_key(online):
    cas = {c["id"]: c for c in online["ink"].cas()}
    old, new = cas[online["old_id"]], cas[online["new_id"]]
    assert new["active"] and not old["active"]
    assert old["key_held"] and new["key_held"], cas
    assert new["parent"] == old["parent"]
    assert re.search(r"CN=Roll CA Issuing CA \d{4} G2$", new["subject"]), new
    assert old["subject"] != new["subject"]
    table = online["ink"].run("ca", "list").stdout
    for word in ("ID", "ROLE", "SUBJECT", "NOT_AFTER", "ACTIVE", "KEY_HELD", "G2"):
        assert word in table, table


def test_ca_cert_chain_is_the_new_issuing_ca_then_the_root(online):
    issuing, root = online["ink"].chain()
    assert issuing == online["new_chain"][0].read_text()
    assert root == online["old_chain"][1].read_text()


def test_certificates_of_both_cas_verify_against_their_chains(online):
    for leaf in online["old"].values():
        assert_verifies(online["old_chain"], leaf["pem"])
    for leaf in online["new"].values():
        assert_verifies(online["new_chain"], leaf["pem"])
        issuing = x509.load_pem_x509_certificate(online["new_chain"][0].read_bytes())
        assert leaf["cert"].issuer == issuing.subject
    # and not across: a new certificate does not chain to the old issuing CA
    proc = openssl_verify(online["old_chain"][1], online["old_chain"][0], online["new"]["kept"]["pem"])
    assert proc.returncode != 0, describe(proc)


def test_export_bundles_the_chain_of_the_certificates_own_ca(online):
    ink = online["ink"]
    for era in ("old", "new"):
        z = ink.root / f"{era}.zip"
        ink.run("export", online[era]["kept"]["serial"], "--out", z)
        with zipfile.ZipFile(z) as bundle:
            chain = bundle.read("ca-chain.pem").decode()
        assert split_pem(chain)[0] == online[f"{era}_chain"][0].read_text(), era


def test_both_crls_are_published_each_signed_by_its_own_ca(online):
    files = sorted(online["crls"].glob("*.crl.pem"))
    assert [f.name for f in files] == sorted([f"ca-{online['old_id']}.crl.pem",
                                              f"ca-{online['new_id']}.crl.pem"]), online["crl_out"]
    for era, other in (("old", "new"), ("new", "old")):
        crl = online["crls"] / f"ca-{online[era + '_id']}.crl.pem"
        proc = run(["openssl", "crl", "-in", crl, "-noout", "-CAfile", online[f"{era}_chain"][2]],
                   check=False)
        assert proc.returncode == 0 and "verify OK" in proc.stdout + proc.stderr, describe(proc)
        # the other CA did not sign it
        proc = run(["openssl", "crl", "-in", crl, "-noout", "-CAfile", online[f"{other}_chain"][0]],
                   check=False)
        assert "verify OK" not in proc.stdout + proc.stderr, describe(proc)
        assert crl_serials(crl) == {online[era]["revoked"]["cert"].serial_number}


def test_crl_check_rejects_revoked_and_accepts_kept_for_both_cas(online):
    for era in ("old", "new"):
        issuing, root, _ = online[f"{era}_chain"]
        crl = online["crls"] / f"ca-{online[era + '_id']}.crl.pem"
        for label, ok in (("revoked", False), ("kept", True)):
            proc = openssl_verify(root, issuing, online[era][label]["pem"], "-crl_check",
                                  "-CRLfile", crl)
            assert (proc.returncode == 0) is ok, f"{era} {label}" + describe(proc)


def test_single_crl_options(online):
    ink = online["ink"]
    # unchanged: `inkan crl --out` is the active CA's CRL
    active = ink.root / "active.crl"
    ink.run("crl", "--out", active, "--pem")
    crl = x509.load_pem_x509_crl(active.read_bytes())
    new_issuing = x509.load_pem_x509_certificate(online["new_chain"][0].read_bytes())
    assert crl.issuer == new_issuing.subject
    old_file = ink.root / "old.crl"
    ink.run("crl", "--ca", str(online["old_id"]), "--out", old_file, "--pem")
    old_issuing = x509.load_pem_x509_certificate(online["old_chain"][0].read_bytes())
    assert x509.load_pem_x509_crl(old_file.read_bytes()).issuer == old_issuing.subject
    ink.fail("crl", "--ca", "999")
    ink.fail("crl", "--all")  # needs --out-dir


def test_rollover_is_audited(online):
    text = online["ink"].sql("SELECT action FROM audit_log").split()
    assert "ca.rollover" in text


# --- offline root ---------------------------------------------------------------------------

@pytest.fixture
def offline(tmp_path):
    """An installation whose root key lives only on the 'air-gapped' machine (another dir)."""
    ink = Inkan(tmp_path / "ca-machine")
    airgap = tmp_path / "airgap"
    airgap.mkdir()
    ink.init(name="Offline CA", extra=("--offline-root", airgap / "root.pem"))
    ink.tenant_add(TENANT, TENANT_NAME)
    return ink, airgap


def root_sign(ink: Inkan, airgap: Path, csr: Path, out: Path, check=True):
    """`inkan root sign` as on the offline machine: no --dir, no INKAN_DIR, cwd there."""
    env = clean_env({"INKAN_PASSPHRASE_FILE": str(ink.passfile)})
    return run([ink.bin, "root", "sign", "--root-key", airgap / "root.pem", "--csr", csr,
                "--out", out], env=env, cwd=airgap, check=check)


def test_offline_root_sequence_end_to_end(offline):
    ink, airgap = offline
    old_cert = leaf_pem(ink, "before")
    old_id = next(c["id"] for c in ink.cas() if c["active"])
    old_chain = chain_of(ink, old_id, ink.root / "old-chain")

    proc = ink.fail("ca", "rollover")
    assert "inkan ca csr" in proc.stderr and "inkan root sign" in proc.stderr, describe(proc)

    csr = ink.root / "next.csr"
    ink.run("ca", "csr", "--out", csr)
    run(["openssl", "req", "-in", csr, "-noout", "-verify"])
    listed = ink.json("ca", "list", "--format", "json")
    assert isinstance(listed, list), listed
    pending = [c for c in listed if c["pending"]]
    assert len(pending) == 1 and pending[0]["id"] is None and not pending[0]["active"], listed

    shutil_copy = airgap / "next.csr"
    shutil_copy.write_bytes(csr.read_bytes())
    before = snapshot_tree(airgap)
    root_sign(ink, airgap, shutil_copy, airgap / "issuing.pem")
    after = snapshot_tree(airgap)
    assert set(after) - set(before) == {"issuing.pem"}, "root sign must not create a data directory"
    run(["openssl", "verify", "-x509_strict", "-CAfile", old_chain[1], airgap / "issuing.pem"])
    text = run(["openssl", "x509", "-in", airgap / "issuing.pem", "-noout", "-text"]).stdout
    assert "CA:TRUE, pathlen:0" in text and "Certificate Sign" in text, text

    proc = ink.run("ca", "import", "--cert", airgap / "issuing.pem")
    assert "Active issuing CA is now" in proc.stdout, describe(proc)
    listed = ink.json("ca", "list", "--format", "json")
    assert not any(c["pending"] for c in listed), listed
    new_id = next(c["id"] for c in listed if c["active"])
    assert new_id != old_id
    new_chain = chain_of(ink, new_id, ink.root / "new-chain")
    assert new_chain[0].read_text() == (airgap / "issuing.pem").read_text()

    new_cert = leaf_pem(ink, "after")
    assert_verifies(new_chain, new_cert["pem"])
    assert_verifies(old_chain, old_cert["pem"])
    ink.run("revoke", old_cert["serial"], "--reason", "unspecified")
    crls = ink.root / "crls"
    ink.run("crl", "--all", "--out-dir", crls, "--pem")
    old_crl = crls / f"ca-{old_id}.crl.pem"
    proc = run(["openssl", "crl", "-in", old_crl, "-noout", "-CAfile", old_chain[2]], check=False)
    assert "verify OK" in proc.stdout + proc.stderr, describe(proc)
    assert crl_serials(old_crl) == {old_cert["cert"].serial_number}
    assert crl_serials(crls / f"ca-{new_id}.crl.pem") == set()


def foreign_signed(ink: Inkan, csr: Path, work: Path) -> Path:
    """Our pending CSR, signed as a CA by a root that is not ours (plain openssl)."""
    work.mkdir()
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", work / "k.pem", "-out", work / "root.pem", "-days", "3650",
         "-subj", "/O=Offline CA/CN=Offline CA Root CA"])
    (work / "ext.cnf").write_text("basicConstraints=critical,CA:TRUE,pathlen:0\n"
                                  "keyUsage=critical,keyCertSign,cRLSign\n")
    run(["openssl", "x509", "-req", "-in", csr, "-CA", work / "root.pem", "-CAkey", work / "k.pem",
         "-CAcreateserial", "-days", "1000", "-extfile", work / "ext.cnf", "-out", work / "cert.pem"])
    return work / "cert.pem"


def test_import_refuses_a_wrong_key_or_a_foreign_root_and_changes_nothing(offline, tmp_path):
    ink, airgap = offline
    csr = ink.root / "next.csr"
    ink.run("ca", "csr", "--out", csr)

    # Our root, but for another key: a CSR made with openssl under our O.
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", tmp_path / "other.key", "-subj", "/O=Offline CA/CN=Imposter Issuing CA",
         "-out", tmp_path / "other.csr"])
    root_sign(ink, airgap, tmp_path / "other.csr", tmp_path / "wrong-key.pem")
    wrong_root = foreign_signed(ink, csr, tmp_path / "foreign")
    not_a_cert = tmp_path / "junk.pem"
    not_a_cert.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")

    before = ink.dump()
    for bad, words in ((tmp_path / "wrong-key.pem", "not for the pending issuing CA key"),
                       (wrong_root, "not signed by this CA's root"),
                       (airgap / "root.pem", "not for the pending"),
                       (not_a_cert, "certificate")):
        proc = ink.fail("ca", "import", "--cert", bad)
        assert words in proc.stderr, describe(proc)
        assert ink.dump() == before, f"refused import of {bad.name} changed the store"

    # the pending key is still there and the genuine certificate still imports
    root_sign(ink, airgap, csr, tmp_path / "good.pem")
    ink.run("ca", "import", "--cert", tmp_path / "good.pem")


def test_root_sign_refuses_a_client_csr_and_a_wrong_passphrase(offline, tmp_path):
    ink, airgap = offline
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", tmp_path / "c.key", "-subj", "/O=Acme/CN=laptop", "-out", tmp_path / "c.csr"])
    proc = root_sign(ink, airgap, tmp_path / "c.csr", tmp_path / "c.pem", check=False)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1, describe(proc)
    assert not (tmp_path / "c.pem").exists()

    csr = ink.root / "next.csr"
    ink.run("ca", "csr", "--out", csr)
    bad = tmp_path / "bad-pass"
    bad.write_text("not the passphrase\n")
    bad.chmod(0o600)  # a wrong passphrase, not a leaked file (issue 16, item 7)
    proc = run([ink.bin, "root", "sign", "--root-key", airgap / "root.pem", "--csr", csr, "--out",
                tmp_path / "x.pem"], env=clean_env({"INKAN_PASSPHRASE_FILE": str(bad)}), cwd=airgap,
               check=False)
    assert proc.returncode == 5 and "wrong passphrase" in proc.stderr, describe(proc)
    assert not (tmp_path / "x.pem").exists()


def test_doctor_suggests_rollover_command():
    """The doctor text names the command (the near-expiry case is unit-tested with a clock)."""
    src = Path(__file__).resolve().parents[2] / "ca" / "service" / "doctor.cpp"
    assert "inkan ca rollover" in src.read_text()
