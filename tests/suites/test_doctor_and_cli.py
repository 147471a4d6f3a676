"""Issue 2: `inkan doctor` (healthy store -> 0; a tampered, hash-chained, append-only audit log ->
non-zero), the audit trail of state changes including password reveals, and the CLI's global
options: passphrase never from argv, INKAN_DIR / INKAN_PASSPHRASE_FILE, options after the
subcommand."""
from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import tempfile
from pathlib import Path

import jsonschema
import pytest

from helpers import FAST_KEYS, Inkan, clean_env, describe, run

TENANT, TENANT_NAME = "cyberdyne", "Cyberdyne Systems"


def build(ink: Inkan):
    ink.init(name="Doctor CA")
    ink.tenant_add(TENANT, TENANT_NAME)
    it = ink.issue(TENANT, "audited", ink.root / "out", "--key", "ec-p256")
    return it


def audit_table(ink: Inkan) -> str:
    tables = ink.sql("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%audit%'"
                     ).split()
    assert len(tables) >= 1, "no audit table in the store"
    # prefer the one with the most rows
    return max(tables, key=lambda t: int(ink.sql(f'SELECT count(*) FROM "{t}"').strip() or 0))


def audit_count(ink: Inkan) -> int:
    return int(ink.sql(f'SELECT count(*) FROM "{audit_table(ink)}"').strip())


def triggers_on(ink: Inkan, table: str) -> list[str]:
    return ink.sql(f"SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='{table}'"
                   ).split()


def text_column(ink: Inkan, table: str) -> str:
    cols = [line.split("|") for line in ink.sql(f'PRAGMA table_info("{table}")').splitlines()]
    names = [c[1] for c in cols]
    for preferred in ("action", "object", "actor", "detail", "details"):
        if preferred in names:
            return preferred
    for c in cols:
        if "TEXT" in c[2].upper() and c[1] not in ("id",):
            return c[1]
    raise AssertionError(f"no text column in {table}: {names}")


@pytest.fixture(scope="module")
def healthy(make_inkan):
    ink = make_inkan("doctor-healthy")
    it = build(ink)
    return ink, it


def test_doctor_healthy_store_exits_zero(healthy):
    ink, _ = healthy
    proc = ink.run("doctor", check=False)
    assert proc.returncode == 0, describe(proc)


def test_audit_log_records_state_changes_and_password_reveal(healthy):
    ink, it = healthy
    n0 = audit_count(ink)
    assert n0 >= 3, f"init, tenant add and issue should be audited, found {n0} rows"
    dump = ink.dump()
    assert TENANT in dump
    shown = ink.run("password", it["serial"]).stdout.strip()
    assert shown == it["password"], (shown, it["password"])
    assert audit_count(ink) > n0, "`inkan password` was not audited"
    # the password itself is never written to the audit log
    table = audit_table(ink)
    assert it["password"] not in ink.sql(f'SELECT * FROM "{table}"')


def test_audit_log_is_append_only(healthy):
    ink, _ = healthy
    table = audit_table(ink)
    col = text_column(ink, table)
    before = ink.dump()
    upd = run(["sqlite3", ink.db, f'UPDATE "{table}" SET "{col}" = "{col}" || \'x\''],
              check=False)
    dele = run(["sqlite3", ink.db, f'DELETE FROM "{table}"'], check=False)
    assert ink.dump() == before, "the audit log accepted an UPDATE or DELETE" + describe(upd) + \
        describe(dele)
    assert upd.returncode != 0 and dele.returncode != 0


@pytest.mark.parametrize("tamper", ["update", "delete"])
def test_doctor_detects_tampered_audit_log(make_inkan, tamper):
    ink = make_inkan(f"doctor-{tamper}")
    build(ink)
    assert ink.run("doctor", check=False).returncode == 0, "store not healthy before tampering"
    table = audit_table(ink)
    before = ink.dump()
    for trig in triggers_on(ink, table):
        ink.sql(f'DROP TRIGGER "{trig}"')
    if tamper == "update":
        col = text_column(ink, table)
        ink.sql(f'UPDATE "{table}" SET "{col}" = "{col}" || \'-tampered\' '
                f'WHERE rowid = (SELECT min(rowid) + 1 FROM "{table}")')
    else:
        ink.sql(f'DELETE FROM "{table}" WHERE rowid = (SELECT min(rowid) + 1 FROM "{table}")')
    after = ink.dump()
    assert after != before and any(
        l.startswith("INSERT INTO") and table in l for l in set(before.splitlines()) -
        set(after.splitlines())), "the tampering did not change any audit row"
    proc = ink.run("doctor", check=False)
    assert proc.returncode != 0, f"doctor missed a tampered audit log ({tamper})" + describe(proc)


def test_passphrase_is_never_an_argv_option(fresh):
    for args in (["init", "--name", "X", "--passphrase", "secret"],
                 ["init", "--name", "X", "--passphrase=secret"],
                 ["--passphrase", "secret", "init", "--name", "X"]):
        proc = run([fresh.bin, "--dir", fresh.dir, *args], check=False, env=clean_env(),
                   input="")
        assert proc.returncode != 0, "a passphrase was accepted from argv" + describe(proc)
    assert not (fresh.dir / "inkan.db").exists()


def test_no_passphrase_and_no_tty_fails_cleanly(fresh):
    proc = run([fresh.bin, "--dir", fresh.dir, "init", "--name", "X", "--root-key", "ec-p256",
                "--issuing-key", "ec-p256"], check=False, env=clean_env(), input="")
    assert proc.returncode != 0, describe(proc)
    assert proc.stderr.strip(), describe(proc)


def test_env_variables_and_options_after_subcommand(fresh):
    """INKAN_DIR and INKAN_PASSPHRASE_FILE are honoured; global options may follow the
    subcommand; the passphrase file's trailing newline is stripped."""
    env = clean_env({"INKAN_DIR": str(fresh.dir), "INKAN_PASSPHRASE_FILE": str(fresh.passfile)})
    run([fresh.bin, "init", "--name", "Env CA", "--root-key", "ec-p256", "--issuing-key",
         "ec-p256"], env=env, cwd=fresh.root)
    assert fresh.db.exists(), f"INKAN_DIR not honoured: no {fresh.db}"
    assert not (fresh.root / "inkan-data").exists()
    run([fresh.bin, "tenant", "add", "envt", "--name", "Env Tenant"], env=env, cwd=fresh.root)
    # options after the subcommand, no environment
    proc = run([fresh.bin, "tenant", "list", "--format", "json", "--dir", fresh.dir,
                "--passphrase-file", fresh.passfile], env=clean_env(), cwd=fresh.root)
    assert "envt" in proc.stdout, describe(proc)
    # the same passphrase without a trailing newline unlocks the keys too
    nonl = fresh.root / "nonl.txt"
    nonl.write_text(fresh.passfile.read_text().rstrip("\n"))
    nonl.chmod(0o600)
    fresh.issue("envt", "env leaf", fresh.root / "out", "--key", "ec-p256")
    fresh.run("issue", "--tenant", "envt", "--cn", "nonl leaf", "--out", fresh.root / "out2",
              "--key", "ec-p256", passfile=nonl)


def test_default_dir_is_inkan_data(fresh):
    run([fresh.bin, "--passphrase-file", fresh.passfile, "init", "--name", "Cwd CA",
         "--root-key", "ec-p256", "--issuing-key", "ec-p256"], env=clean_env(), cwd=fresh.root)
    assert (fresh.root / "inkan-data" / "inkan.db").exists()


def test_relative_out_dir_is_created_after_success_only(fresh):
    """`--out out/sub` relative to the working directory: created on success (0700), and not at
    all when the command fails."""
    fresh.init()
    fresh.tenant_add("rel", "Relative Tenant")
    fresh.fail("issue", "--tenant", "nobody", "--cn", "x", "--out", "never/made")
    assert not (fresh.root / "never").exists()
    fresh.run("issue", "--tenant", "rel", "--cn", "x", "--out", "out/sub", "--key", "ec-p256")
    made = fresh.root / "out" / "sub"
    assert len(list(made.glob("*.p12"))) == 1
    assert (made.stat().st_mode & 0o777) == 0o700


DOCTOR_SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "json" / "doctor.schema.json"


def doctor_json(ink: Inkan):
    proc = ink.run("doctor", "--format", "json", check=False)
    report = json.loads(proc.stdout)
    schema = json.loads(DOCTOR_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(report)
    return proc.returncode, report


def test_doctor_json_matches_the_table_and_the_exit_status(make_inkan):
    """Issue 16, item 14: `doctor --format json`, validated against its schema."""
    ink = make_inkan("doctor-json")
    build(ink)
    rc, report = doctor_json(ink)
    assert rc == 0 and report["healthy"] is True, report
    table = ink.run("doctor").stdout.splitlines()
    assert len(report["findings"]) == len(table)
    for finding, line in zip(report["findings"], table):
        assert line.split()[0].lower() == finding["severity"]
        assert f"{finding['check']}: {finding['message']}" in line
    # A tampered audit log: the same problem in JSON, and exit 1.
    table_name = audit_table(ink)
    for trig in triggers_on(ink, table_name):
        ink.sql(f'DROP TRIGGER "{trig}"')
    ink.sql(f'DELETE FROM "{table_name}" WHERE rowid = (SELECT min(rowid) + 1 FROM "{table_name}")')
    rc, report = doctor_json(ink)
    assert rc == 1 and report["healthy"] is False, report
    assert any(f["severity"] == "problem" and f["check"] == "audit" for f in report["findings"]), report


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_passphrase_file_open_to_others_is_refused(make_inkan, mode):
    """Issue 16, item 7: like ssh with keys, a passphrase file others may read is refused, and
    nothing is created."""
    ink = make_inkan(f"loose-{mode:o}")
    ink.passfile.chmod(mode)
    proc = ink.fail("init", "--name", "Loose CA", *FAST_KEYS)
    assert proc.returncode == 2, describe(proc)
    assert f"passphrase file {ink.passfile} is open to group or others (mode 0{mode:o})" in proc.stderr
    assert f"chmod 600 {ink.passfile}" in proc.stderr
    assert not ink.db.exists()
    ink.passfile.chmod(0o600)
    ink.init(name="Tight CA")  # the same file, once private, works


def test_passphrase_from_an_inherited_descriptor_is_accepted(make_inkan):
    """A pipe has no file mode to check: `--passphrase-file /dev/fd/N` keeps working."""
    ink = make_inkan("pipe-pass")
    ink.init()
    read_end, write_end = os.pipe()
    os.write(write_end, ink.passfile.read_bytes())
    os.close(write_end)
    try:
        proc = subprocess.run([str(c) for c in ink.cmd("crl", "--out", ink.root / "c.crl",
                                                       passfile=f"/dev/fd/{read_end}")],
                              capture_output=True, text=True, pass_fds=(read_end,), env=clean_env(),
                              cwd=ink.root)
    finally:
        os.close(read_end)
    assert proc.returncode == 0, describe(proc)
    assert (ink.root / "c.crl").stat().st_size > 0


def test_a_data_directory_of_another_user_is_not_reported_missing():
    """Issue 16, item 7: run as a user who may not enter the data directory, inkan says so and
    names the owner, instead of "no inkan data directory ... run inkan init" (which invites a
    second CA). The command runs as `nobody` from a world-readable copy of the binary."""
    scratch = Path(tempfile.mkdtemp(prefix="inkan-nobody-"))
    try:
        scratch.chmod(0o755)  # as /var/lib is: the data directory itself (0700) is what is closed
        ink = Inkan(scratch / "env")
        ink.init()
        binary = scratch / "inkan"
        shutil.copy2(ink.bin, binary)
        binary.chmod(0o755)
        proc = subprocess.run(["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                               str(binary), "--dir", str(ink.dir), "list"],
                              capture_output=True, text=True, env=clean_env(), cwd=scratch)
    finally:
        shutil.rmtree(scratch)
    assert proc.returncode == 9, describe(proc)
    assert "permission denied" in proc.stderr and "belongs to root" in proc.stderr, describe(proc)
    assert "inkan init" not in proc.stderr, describe(proc)


def test_crl_refuses_binary_to_a_terminal_without_spending_a_number(make_inkan):
    """Issue 16, item 7: `inkan crl` with stdout on a terminal and no --out used to print DER
    and still use up a CRL number."""
    ink = make_inkan("crl-tty")
    ink.init()
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.run([str(c) for c in ink.cmd("crl")], stdout=terminal, stderr=subprocess.PIPE,
                              text=True, env=clean_env(), cwd=ink.root)
    finally:
        os.close(terminal)
        os.close(controller)
    assert proc.returncode == 2, proc.stderr
    assert "not writing a binary CRL to the terminal" in proc.stderr
    first = ink.run("crl", "--out", ink.root / "first.crl")
    assert "Wrote CRL number 1 " in first.stderr, first.stderr  # the refused run spent none
