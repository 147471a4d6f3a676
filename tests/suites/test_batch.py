"""Issue 3 "Batch" and "Hostile CSV", through the real CLI. 300 expired certificates over 3
tenants come from one `inkan batch issue --not-before` call (ec-p256 keys, so it is quick); then
`inkan batch reissue --expired` reissues them: 300 readable p12s, a manifest valid against its
schema, passwords.csv at 0600 and kept out of the zips, and a second run issues nothing."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest

from helpers import UTC, describe, norm_serial, p12_leaf, run

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "json" / "batch-manifest.schema.json"
TENANTS = ("north", "south", "west")
PER_TENANT = 100


def expired_not_before() -> str:
    """3 years and 10 days ago: a 3-year certificate from then expired 10 days ago."""
    d = dt.datetime.now(UTC).date() - dt.timedelta(days=10)
    try:
        return d.replace(year=d.year - 3).isoformat()
    except ValueError:
        return d.replace(year=d.year - 3, day=28).isoformat()


def write_csv(path: Path, rows, header="tenant,cn,kind,email", bom=False) -> Path:
    text = ("\ufeff" if bom else "") + header + "\r\n" + "".join(r + "\r\n" for r in rows)
    path.write_bytes(text.encode("utf-8"))
    return path


def listing(ca) -> list:
    return ca.json("list", "--format", "json")


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("batch")
    inkan.init()
    for t in TENANTS:
        inkan.tenant_add(t, f"{t.title()} Clinic")
    rows = [f"{t},{t}-terminal-{i:03d},,{'' if i % 2 else f'{t}{i}@example.test'}"
            for t in TENANTS for i in range(PER_TENANT)]
    src = write_csv(inkan.root / "expired.csv", rows)
    inkan.run("batch", "issue", "--from", src, "--not-before", expired_not_before(), "--key", "ec-p256",
              "--out", inkan.root / "old")
    return inkan


@pytest.fixture(scope="module")
def reissued(ca):
    out = ca.root / "reissued"
    dry = ca.run("batch", "reissue", "--expired", "--out", out, "--dry-run")
    assert "Would reissue 300 certificates" in dry.stdout, describe(dry)
    for t in TENANTS:
        assert f"  {t}: {PER_TENANT}" in dry.stdout, describe(dry)
    assert not out.exists(), "--dry-run wrote something"
    proc = ca.run("batch", "reissue", "--expired", "--out", out, "--jobs", "2")
    return out, proc


def test_the_batch_issue_made_300_expired_certificates(ca):
    certs = listing(ca)
    expired = [c for c in certs if c["status"] == "expired" and c["tenant"] in TENANTS]
    assert len(expired) >= 300


def test_300_new_p12s_readable_and_linked(ca, reissued):
    out, proc = reissued
    assert "issued 300 new certificates" in proc.stdout, describe(proc)
    assert re.search(r"\d+/300", proc.stderr), "no progress on stderr" + describe(proc)
    manifest = json.loads((out / "manifest.json").read_text())
    entries = manifest["entries"]
    assert len(entries) == 300 and manifest["counts"]["issued"] == 300
    assert len({e["new_serial"] for e in entries}) == 300
    assert len({e["old_serial"] for e in entries}) == 300

    passwords = {}
    for t in TENANTS:
        pw_file = out / t / "passwords.csv"
        assert oct(pw_file.stat().st_mode & 0o777) == "0o600", pw_file
        rows = list(csv.DictReader(io.StringIO(pw_file.read_text(encoding="utf-8-sig"))))
        assert len(rows) == PER_TENANT
        for r in rows:
            passwords[f"{t}/{r['file']}"] = (r["password"], r["serial"])

    by_serial = {norm_serial(c["serial"]): c for c in listing(ca)}
    for e in entries:
        p12 = out / e["p12"]
        assert oct(p12.stat().st_mode & 0o777) == "0o600", p12
        assert hashlib.sha256(p12.read_bytes()).hexdigest() == e["sha256"], p12
        password, serial = passwords[e["p12"]]
        assert serial == e["new_serial"]
        key, leaf, extra = p12_leaf(p12, password)
        assert leaf.serial_number == norm_serial(e["new_serial"])
        assert key is not None and len(extra) >= 1
        old, new = by_serial[norm_serial(e["old_serial"])], by_serial[norm_serial(e["new_serial"])]
        assert old["successor"] == new["serial"] and new["predecessor"] == old["serial"]
        assert new["status"] == "active" and new["cn"] == old["cn"] == e["cn"]
        assert new["email"] == old["email"]

    for e in entries[::60]:  # a handful through openssl as well
        env = dict(os.environ, P12PW=passwords[e["p12"]][0])
        proc = run(["openssl", "pkcs12", "-in", out / e["p12"], "-passin", "env:P12PW", "-nokeys",
                    "-clcerts"], env=env)
        assert "BEGIN CERTIFICATE" in proc.stdout


def test_manifest_is_valid_against_its_schema(reissued):
    out, _ = reissued
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads((out / "manifest.json").read_text()))


def test_zips_hold_p12s_and_chain_but_no_password(reissued):
    out, _ = reissued
    secrets = []
    for t in TENANTS:
        rows = csv.DictReader(io.StringIO((out / t / "passwords.csv").read_text(encoding="utf-8-sig")))
        secrets += [r["password"].encode() for r in rows]
    for t in TENANTS:
        z = out / f"{t}.zip"
        raw = z.read_bytes()
        with zipfile.ZipFile(z) as zf:
            names = zf.namelist()
            assert sorted(n for n in names if n.endswith(".p12")) == sorted(
                p.name for p in (out / t).glob("*.p12"))
            assert len([n for n in names if n.endswith(".p12")]) == PER_TENANT
            assert "ca-chain.pem" in names and "README.txt" in names
            assert not any("password" in n.lower() for n in names), names
            contents = b"".join(zf.read(n) for n in names)
        for s in secrets:
            assert s not in raw and s not in contents, f"a password leaked into {z}"


def test_a_second_run_issues_nothing(ca, reissued):
    out, _ = reissued
    before = listing(ca)
    proc = ca.run("batch", "reissue", "--expired", "--out", out)
    assert "issued 0 new certificates" in proc.stdout, describe(proc)
    assert listing(ca) == before
    dry = ca.run("batch", "reissue", "--expired", "--out", ca.root / "elsewhere", "--dry-run")
    assert "Would reissue 0 certificates" in dry.stdout, describe(dry)


def test_doctor_is_clean_after_the_batch(ca, reissued):
    proc = ca.run("doctor")
    assert "lineage" in proc.stdout and "batch" in proc.stdout, describe(proc)


# --- Hostile CSV -----------------------------------------------------------------------------
def hostile_cases(root: Path):
    ok = "north,valid-one,,"
    yield "nul", write_csv(root / "nul.csv", [ok, "north,bad\x00cn,,"]), r"line 3, field cn: contains a NUL"
    yield "rows", write_csv(root / "rows.csv", [f"north,r{i},," for i in range(10_001)]), r"more than 10000 data rows"
    yield "field", write_csv(root / "field.csv", ["north," + "x" * (1 << 20) + ",,"]), r"line 2, field cn: longer than 64 KiB"
    yield "formula", write_csv(root / "formula.csv", [ok, "north,=cmd|' /C calc'!A0,,"]), r"line 3, field cn: starts with '='"
    yield "header", write_csv(root / "header.csv", [ok], header="tenant,name,kind,email"), \
        r"line 1, header: expected exactly 'tenant,cn,kind,email'"
    # Neither UTF-8 nor CP932 (0xE9 then ','): refused whole, naming where (issue 16 item 9).
    yield "utf8", root.joinpath("utf8.csv"), r"neither UTF-8 \(not valid at line 2, byte offset 30 \(0xE9 0x2C\)\)"
    root.joinpath("utf8.csv").write_bytes(b"tenant,cn,kind,email\nnorth,caf\xe9,,\n")
    yield "bom+tenant", write_csv(root / "bom.csv", [ok, "nowhere,c,,"], bom=True), r"line 3, field tenant: unknown tenant"
    yield "email", write_csv(root / "email.csv", [ok, "north,c,,@@"]), r"line 3, field email"


def test_hostile_csv_is_refused_per_row_and_nothing_is_committed(ca, tmp_path):
    cases = list(hostile_cases(tmp_path))
    (tmp_path / "utf8.csv").write_bytes(b"tenant,cn,kind,email\nnorth,caf\xe9,,\n")
    before = listing(ca)
    audit_before = ca.sql("SELECT count(*) FROM certificates")
    for name, path, expect in cases:
        proc = ca.fail("batch", "issue", "--from", path, "--key", "ec-p256", "--out", tmp_path / f"out-{name}",
                       one_line=False)
        assert re.search(expect, proc.stderr), f"{name}: expected /{expect}/" + describe(proc)
        assert not (tmp_path / f"out-{name}").exists(), f"{name}: output written"
    assert listing(ca) == before
    assert ca.sql("SELECT count(*) FROM certificates") == audit_before


def test_a_bom_is_tolerated_and_skip_invalid_issues_the_valid_rows(ca, tmp_path):
    good = write_csv(tmp_path / "good.csv", ["south,bom-ok-1,tenant-admin,", "south,bom-ok-2,,a@example.test"], bom=True)
    proc = ca.run("batch", "issue", "--from", good, "--key", "ec-p256", "--out", tmp_path / "good")
    assert "issued 2 new certificates" in proc.stdout, describe(proc)
    mixed = write_csv(tmp_path / "mixed.csv", ["south,skip-ok-1,,", "south,+1,,", "south,skip-ok-2,,"])
    ca.fail("batch", "issue", "--from", mixed, "--key", "ec-p256", "--out", tmp_path / "mixed", one_line=False)
    proc = ca.run("batch", "issue", "--from", mixed, "--key", "ec-p256", "--out", tmp_path / "mixed",
                  "--skip-invalid")
    assert "issued 2 new certificates" in proc.stdout, describe(proc)
    assert "line 3, field cn" in proc.stderr
    manifest = json.loads((tmp_path / "mixed" / "manifest.json").read_text())
    assert manifest["counts"]["invalid_rows"] == 1
    assert {e["cn"] for e in manifest["entries"]} == {"skip-ok-1", "skip-ok-2"}
    assert all(e["old_serial"] is None for e in manifest["entries"])
