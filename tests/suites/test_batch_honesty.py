"""Issue 16 item 6: batch and list said what they would not do. A dry run of a completed job
promised to issue all its rows again; the same CSV into a new --out issued a second certificate
for every name; `issue` did the same for one name without a word; a reissue with nothing to
reissue still recorded a job; and `list --status expired` gave no sign of which expired
certificates had been reissued already. Each case is checked against the certificates the store
then holds, not only against the words printed."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Inkan, describe

TENANT = "honest"


@pytest.fixture
def ink(make_inkan) -> Inkan:
    ink = make_inkan("batch-honesty")
    ink.init()
    ink.tenant_add(TENANT, "Honest Clinic")
    return ink


def write_rows(path: Path, names) -> Path:
    path.write_text("tenant,cn,kind,email\n" + "".join(f"{TENANT},{n},,\n" for n in names))
    return path


def batch_issue(ink: Inkan, csv: Path, out: Path, *extra, check=True):
    return ink.run("batch", "issue", "--from", csv, "--out", out, "--key", "ec-p256", *extra, check=check)


def certificates(ink: Inkan) -> list[dict]:
    return ink.json("list", "--tenant", TENANT, "--format", "json")


def test_issue_refuses_a_second_certificate_for_a_name_that_holds_an_active_one(ink):
    first = ink.issue(TENANT, "pc-01", ink.root / "out", "--key", "ec-p256")
    proc = ink.run("issue", "--tenant", TENANT, "--cn", "pc-01", "--out", ink.root / "again",
                   "--key", "ec-p256", check=False)
    assert proc.returncode == 4, describe(proc)
    assert first["serial"] in proc.stderr and "--allow-duplicate" in proc.stderr, describe(proc)
    assert "inkan renew" in proc.stderr and "nothing was issued" in proc.stderr, describe(proc)
    assert not (ink.root / "again").exists(), "a refused issue created its output directory"
    assert [c["serial"] for c in certificates(ink)] == [first["serial"]]

    second = ink.issue(TENANT, "pc-01", ink.root / "again", "--key", "ec-p256", "--allow-duplicate")
    assert sorted(c["serial"] for c in certificates(ink)) == sorted([first["serial"], second["serial"]])


def test_an_expired_or_revoked_name_is_free_to_issue_again(ink):
    old = ink.issue(TENANT, "lapsed", ink.root / "out", "--key", "ec-p256", "--not-before", "2020-01-01")
    fresh = ink.issue(TENANT, "lapsed", ink.root / "out", "--key", "ec-p256")
    assert fresh["serial"] != old["serial"]
    ink.run("revoke", fresh["serial"], "--reason", "keyCompromise", "--yes")
    third = ink.issue(TENANT, "lapsed", ink.root / "out", "--key", "ec-p256")
    assert len({old["serial"], fresh["serial"], third["serial"]}) == 3


def test_the_same_csv_into_a_new_out_is_refused_instead_of_issuing_every_name_twice(ink):
    csv = write_rows(ink.root / "rows.csv", ["a1", "a2", "a3"])
    batch_issue(ink, csv, ink.root / "first")
    assert len(certificates(ink)) == 3

    dry = batch_issue(ink, csv, ink.root / "second", "--dry-run")
    assert "Would refuse the CSV: 3 of its names already hold an active certificate" in dry.stdout, describe(dry)
    proc = batch_issue(ink, csv, ink.root / "second", check=False)
    assert proc.returncode == 4, describe(proc)
    assert "3 names in" in proc.stderr and "--skip-existing" in proc.stderr, describe(proc)
    for serial in (c["serial"] for c in certificates(ink)):
        assert serial in proc.stderr, describe(proc)
    assert not (ink.root / "second").exists()
    assert len(certificates(ink)) == 3

    # --skip-existing issues only the new name; --allow-duplicates all of them.
    more = write_rows(ink.root / "more.csv", ["a1", "a2", "a3", "b1"])
    skipped = ink.json("batch", "issue", "--from", more, "--out", ink.root / "third", "--key", "ec-p256",
                       "--skip-existing", "--format", "json")
    assert skipped["issued_now"] == 1 and skipped["total"] == 1, skipped
    names = sorted(c["cn"] for c in certificates(ink))
    assert names == ["a1", "a2", "a3", "b1"], names
    dup = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "fourth", "--key", "ec-p256",
                   "--allow-duplicates", "--format", "json")
    assert dup["issued_now"] == 3, dup
    assert len(certificates(ink)) == 7


def test_rerunning_the_same_command_resumes_its_own_job_without_calling_its_names_duplicates(ink):
    csv = write_rows(ink.root / "rows.csv", ["r1", "r2"])
    batch_issue(ink, csv, ink.root / "out")
    again = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "out", "--key", "ec-p256",
                     "--format", "json")
    assert again["was_complete"] and again["issued_now"] == 0, again


def test_a_dry_run_of_a_completed_job_says_it_would_issue_nothing(ink):
    csv = write_rows(ink.root / "rows.csv", [f"d{i}" for i in range(4)])
    done = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "out", "--key", "ec-p256",
                    "--format", "json")
    dry = batch_issue(ink, csv, ink.root / "out", "--dry-run")
    assert "Would issue 0 certificates" in dry.stdout, describe(dry)
    assert f"batch job {done['job_id']}" in dry.stdout and "complete (4 of 4 issued)" in dry.stdout, describe(dry)
    as_json = ink.json("batch", "issue", "--from", csv, "--out", ink.root / "out", "--key", "ec-p256",
                       "--dry-run", "--format", "json")
    assert as_json["would_issue"] == 0 and as_json["existing_job"]["id"] == done["job_id"], as_json
    assert len(certificates(ink)) == 4


def test_a_reissue_with_nothing_selected_makes_no_job_and_no_directory(ink):
    ink.issue(TENANT, "current", ink.root / "out", "--key", "ec-p256")
    out = ink.root / "reissue"
    proc = ink.run("batch", "reissue", "--expired", "--out", out)
    assert "Nothing to do: no expired certificate is without a successor" in proc.stdout, describe(proc)
    assert not out.exists(), "an empty reissue created its output directory"
    dry = ink.json("batch", "reissue", "--expired", "--out", out, "--dry-run", "--format", "json")
    assert dry["would_reissue"] == 0 and dry["existing_job"] is None, dry
    as_json = ink.json("batch", "reissue", "--expired", "--out", out, "--format", "json")
    assert as_json["nothing_to_do"] is True and as_json["job_id"] is None, as_json

    # Something to reissue later: the job is made then, and only then.
    ink.issue(TENANT, "old", ink.root / "out", "--key", "ec-p256", "--not-before", "2020-01-01")
    ran = ink.json("batch", "reissue", "--expired", "--out", out, "--format", "json")
    assert ran["issued_now"] == 1 and ran["job_id"] is not None, ran


def test_list_shows_the_successor_of_an_expired_certificate_and_can_leave_reissued_ones_out(ink):
    done = ink.issue(TENANT, "done", ink.root / "out", "--key", "ec-p256", "--not-before", "2020-01-01")
    todo = ink.issue(TENANT, "todo", ink.root / "out", "--key", "ec-p256", "--not-before", "2020-01-01")
    new = ink.json("reissue", done["serial"], "--out", ink.root / "out", "--format", "json")

    table = ink.run("list", "--status", "expired").stdout
    header = table.splitlines()[0].split()
    assert header[-1] == "SUCCESSOR", table
    rows = {line.split()[0]: line.split() for line in table.splitlines()[1:] if line.strip()}
    assert rows[done["serial"]][-1] == new["serial"], table
    assert rows[todo["serial"]][-1] == "-", table

    left = ink.run("list", "--status", "expired", "--without-successor").stdout
    assert todo["serial"] in left and done["serial"] not in left, left
    csv = ink.run("list", "--status", "expired", "--format", "csv").stdout
    assert csv.lstrip("\ufeff").splitlines()[0].endswith(",successor"), csv
