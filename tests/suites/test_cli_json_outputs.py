"""Issue 16 item 14: `--format json` on `revoke`, `backup`, `crl` and `batch`, so that scripts read
what happened instead of parsing sentences. Each answer is checked against the state the command
made: the revoked serials, the backup's manifest as inside the archive, the CRL files and their
numbers, the batch's counts and its existing job."""
from __future__ import annotations

import json
import zipfile

from cryptography import x509

from helpers import Inkan

TENANT = "js"


def new_ca(make_inkan, label) -> Inkan:
    ink = make_inkan(label)
    ink.init()
    ink.tenant_add(TENANT, "JSON Clinic")
    return ink


def test_revoke_json_lists_every_revoked_certificate(make_inkan):
    ink = new_ca(make_inkan, "json-revoke")
    a = ink.issue(TENANT, "one", ink.root / "out", "--key", "ec-p256")
    out = ink.json("revoke", a["serial"], "--reason", "keyCompromise", "--format", "json")
    assert isinstance(out, list) and len(out) == 1
    assert out[0]["serial"] == a["serial"] and out[0]["status"] == "revoked"
    assert out[0]["revocation_reason"] == "keyCompromise"
    assert ink.json("show", a["serial"], "--format", "json")["status"] == "revoked"


def test_backup_json_is_the_manifest_in_the_archive(make_inkan):
    ink = new_ca(make_inkan, "json-backup")
    ink.issue(TENANT, "one", ink.root / "out", "--key", "ec-p256")
    file = ink.root / "b.inkanbak"
    out = ink.json("backup", "--out", file, "--format", "json")
    assert out["file"] == str(file) and out["mode"] == "0600"
    with zipfile.ZipFile(file) as z:
        assert json.loads(z.read("manifest.json")) == out["manifest"]
    assert out["manifest"]["counts"]["certificates"] == 1


def test_crl_json_describes_each_file_written(make_inkan):
    ink = new_ca(make_inkan, "json-crl")
    a = ink.issue(TENANT, "one", ink.root / "out", "--key", "ec-p256")
    ink.run("revoke", a["serial"], "--reason", "unspecified")
    one = ink.json("crl", "--out", ink.root / "a.crl", "--format", "json")
    crl = x509.load_der_x509_crl((ink.root / "a.crl").read_bytes())
    assert one["file"] == str(ink.root / "a.crl") and one["encoding"] == "der" and one["entries"] == 1
    assert one["crl_number"] == crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    ink.run("ca", "rollover")
    many = ink.json("crl", "--all", "--out-dir", ink.root / "all", "--pem", "--format", "json")
    assert isinstance(many, list) and len(many) == 2
    assert sorted(e["ca_id"] for e in many) == sorted({e["ca_id"] for e in many})
    for e in many:
        crl = x509.load_pem_x509_crl(open(e["file"], "rb").read())
        assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == e["crl_number"]
        assert e["encoding"] == "pem"
    # JSON describes a file: without --out the CRL itself would be on stdout.
    assert "--out" in ink.fail("crl", "--format", "json").stderr


def test_batch_json_summary_and_dry_run(make_inkan):
    ink = new_ca(make_inkan, "json-batch")
    csv = ink.root / "rows.csv"
    csv.write_text("tenant,cn,kind,email\n" + "".join(f"{TENANT},pc{i},,\n" for i in range(3)))
    dry = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "b", "--key", "ec-p256",
                   "--dry-run", "--format", "json")
    assert dry["dry_run"] is True and dry["would_issue"] == 3 and dry["per_tenant"] == {TENANT: 3}
    assert dry["existing_job"] is None
    done = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "b", "--key", "ec-p256",
                    "--format", "json")
    assert done["issued_now"] == 3 and done["issued_total"] == 3 and not done["was_complete"]
    assert (ink.root / "b").exists() and done["manifest"].startswith(str(ink.root / "b"))
    again = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "b", "--key", "ec-p256",
                     "--dry-run", "--format", "json")
    assert again["existing_job"]["id"] == done["job_id"] and again["existing_job"]["issued"] == 3
    rerun = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "b", "--key", "ec-p256",
                     "--format", "json")
    assert rerun["was_complete"] and rerun["issued_now"] == 0
