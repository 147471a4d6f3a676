"""Issue 18, item 1: reading the audit log. `inkan audit` answers an auditor's questions (who
revealed this password, who downloaded that p12, who renewed, when), its filters combine, its
JSON validates against schemas/json/audit_page.schema.json, and `inkan audit verify --head`
proves that a head written down earlier is still in the log: a tampered row is reported by
`audit verify` and `doctor`, even when the tamperer recomputes every hash after it."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from helpers import Inkan, describe

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas/json/audit_page.schema.json").read_text())
UTC = dt.timezone.utc


def audit(ink: Inkan, *args) -> dict:
    page = ink.json("audit", "--format", "json", *args)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(page)
    return page


def recent(at: str) -> bool:
    t = dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return abs((dt.datetime.now(UTC) - t).total_seconds()) < 600


@pytest.fixture(scope="module")
def story(make_inkan):
    """Two tenants; in acme: an issue, a password reveal, a p12 export and a renewal."""
    ink = make_inkan("audit")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    ink.tenant_add("globex", "Globex")
    out = ink.root / "out"
    # Backdated so the renewal window is open: 3 years minus 30 days ago.
    nb = (dt.datetime.now(UTC) - dt.timedelta(days=3 * 365 - 30)).strftime("%Y-%m-%d")
    old = ink.issue("acme", "terminal-1", out, "--key", "ec-p256", "--not-before", nb)
    other = ink.issue("globex", "g-1", out, "--key", "ec-p256")
    revealed = ink.run("password", old["serial"]).stdout.strip()
    assert revealed == old["password"]
    ink.run("export", old["serial"], "--out", ink.root / "exported.p12")
    new = ink.json("renew", old["serial"], "--out", out / "renewed", "--format", "json")
    return ink, old["serial"], new["serial"], other["serial"]


def test_the_auditors_questions_each_have_an_entry_with_actor_and_time(story):
    ink, old, new, _ = story
    page = audit(ink, "--serial", old)
    actions = [e["action"] for e in page["entries"]]
    assert "password.reveal" in actions and "cert.download" in actions and "cert.issue" in actions, page
    for e in page["entries"]:
        assert e["actor"].startswith("cli:"), e
        assert recent(e["at"]), e
        assert e["object"] == f"cert:{old}" and e["tenant"] == "acme" and e["result"] == "success", e
    download = next(e for e in page["entries"] if e["action"] == "cert.download")
    assert download["detail"] == "format=p12", download
    renewal = audit(ink, "--action", "cert.renew")["entries"]
    assert len(renewal) == 1 and renewal[0]["object"] == f"cert:{new}", renewal
    assert f"predecessor={old}" in renewal[0]["detail"] and renewal[0]["actor"].startswith("cli:")
    # newest first: the reveal came before the download
    seqs = [e["seq"] for e in page["entries"]]
    assert seqs == sorted(seqs, reverse=True), seqs


def test_no_entry_carries_a_secret(story):
    ink, old, new, _ = story
    passwords = [(ink.root / "out").glob("*.password.txt"), (ink.root / "out" / "renewed").glob("*.password.txt")]
    secrets = [p.read_text().strip() for g in passwords for p in g]
    assert len(secrets) == 3
    secrets.append(ink.passfile.read_text().strip())
    for fmt in ("table", "json", "csv"):
        text = ink.run("audit", "--limit", "1000", "--format", fmt).stdout
        for s in secrets:
            assert s not in text, f"a secret appears in `inkan audit --format {fmt}`"


def test_filters_combine(story):
    ink, old, new, other = story
    acme = audit(ink, "--tenant", "acme", "--limit", "1000")["entries"]
    assert acme and all(e["tenant"] == "acme" for e in acme)
    assert not any(e["object"] == f"cert:{other}" for e in acme)
    reveals = audit(ink, "--tenant", "acme", "--action", "password.reveal")["entries"]
    assert [e["object"] for e in reveals] == [f"cert:{old}"], reveals
    assert audit(ink, "--tenant", "globex", "--action", "password.reveal")["entries"] == []
    actor = acme[0]["actor"]
    assert audit(ink, "--actor", actor, "--serial", old, "--action", "cert.download")["entries"]
    assert audit(ink, "--actor", "admin:nobody", "--serial", old)["entries"] == []
    tomorrow = (dt.datetime.now(UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%d")
    yesterday = (dt.datetime.now(UTC) - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    assert audit(ink, "--since", tomorrow)["entries"] == []
    assert audit(ink, "--until", yesterday)["entries"] == []
    assert len(audit(ink, "--since", yesterday, "--until", tomorrow, "--tenant", "acme", "--limit", "1000")["entries"]) == len(acme)
    ink.fail("audit", "--since", "last tuesday")
    ink.fail("audit", "--tenant", "nosuch")
    ink.fail("audit", "--since", tomorrow, "--until", yesterday)


def test_pages_follow_one_another_without_gaps(story):
    ink, *_ = story
    everything = [e["seq"] for e in audit(ink, "--limit", "1000")["entries"]]
    seen, before = [], []
    while True:
        page = audit(ink, "--limit", "3", *before)
        seen += [e["seq"] for e in page["entries"]]
        if page["next_before"] is None:
            break
        before = ["--before", str(page["next_before"])]
    assert seen == everything and len(seen) > 6
    proc = ink.run("audit", "--limit", "2")
    assert "--before" in proc.stderr and len(proc.stdout.splitlines()) == 3, describe(proc)
    csv_lines = ink.run("audit", "--limit", "2", "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "\ufeffSEQ,TIME,ACTOR,ACTION,OBJECT,TENANT,RESULT,DETAIL" and len(csv_lines) == 3


def chain_hash(prev, seq, at, actor, action, obj, detail) -> str:
    return hashlib.sha256(f"{prev}\n{seq}\n{at}\n{actor}\n{action}\n{obj}\n{detail}".encode()).hexdigest()


def rechain(ink: Inkan):
    """What a tamperer with write access does: recompute every hash from the genesis."""
    with sqlite3.connect(ink.db) as con:
        rows = con.execute("SELECT seq, at, actor, action, object, detail FROM audit_log ORDER BY seq").fetchall()
        prev = "0" * 64
        for seq, at, actor, action, obj, detail in rows:
            h = chain_hash(prev, seq, at, actor, action, obj, detail)
            con.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, seq))
            prev = h


def test_a_head_written_down_verifies_after_1000_more_entries_and_tampering_before_it_is_caught(make_inkan):
    ink = make_inkan("audit-head")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    head = ink.run("audit", "head").stdout.strip()
    seq, hash_ = head.split(":")
    assert int(seq) >= 2 and len(hash_) == 64
    # 1000 certificates in one batch: an entry each (and a few for the job), without 1000
    # processes each unlocking the passphrase.
    rows = ink.root / "rows.csv"
    rows.write_text("tenant,cn,kind,email\n" + "".join(f"acme,t{i:04d},,\n" for i in range(1000)))
    ink.run("batch", "issue", "--from", rows, "--out", ink.root / "batch", "--key", "ec-p256")
    later = int(ink.run("audit", "head").stdout.strip().split(":")[0])
    assert later >= int(seq) + 1000, (seq, later)
    ok = ink.run("audit", "verify", "--head", head)
    assert "still has the hash" in ok.stdout and f"over {later} entries" in ok.stdout, describe(ok)
    ink.fail("audit", "verify", "--head", "12:nothex")
    ink.fail("audit", "verify", "--head", f"{seq}:{'0' * 64}")

    # Tamper with an entry before the head, then hide it by recomputing the whole chain.
    ink.sql("DROP TRIGGER audit_log_no_update")
    ink.sql("UPDATE audit_log SET actor = 'cli:someone-else' WHERE seq = 1")
    plain = ink.fail("audit", "verify")
    assert plain.returncode == 11 and "entry 1 was altered" in plain.stderr, describe(plain)
    doctor = ink.run("doctor", check=False)
    assert doctor.returncode == 1 and "PROBLEM  audit" in doctor.stdout, describe(doctor)
    rechain(ink)
    assert ink.run("audit", "verify").returncode == 0, "the rechained log verifies on its own, as expected"
    caught = ink.fail("audit", "verify", "--head", head)
    assert caught.returncode == 11 and "rewritten" in caught.stderr, describe(caught)


def test_the_tenant_index_is_checked_against_the_chained_object(make_inkan):
    ink = make_inkan("audit-tenant")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    ink.tenant_add("globex", "Globex")
    ink.sql("DROP TRIGGER audit_log_no_update")
    ink.sql("UPDATE audit_log SET tenant_id = 'globex' WHERE object = 'tenant:acme'")
    proc = ink.fail("audit", "verify")
    assert "tenant does not match its object" in proc.stderr, describe(proc)
    assert ink.run("doctor", check=False).returncode == 1
