"""Issue 5: administrators of the management site from the CLI (`inkan user ...`) and the login
history (`inkan login-history`). Passwords are generated and printed once, or read from a file,
never taken from argv; only Argon2id hashes reach the database; every change is audited."""
from __future__ import annotations

import sqlite3

import pytest

from helpers import write_secret

OTP_HEADER = "One-time password (shown only now; it must be changed at the first login):"


@pytest.fixture(scope="module")
def ink(make_inkan):
    ink = make_inkan("users")
    ink.init(name="Users CA")
    ink.tenant_add("acme", "Acme Care")
    ink.tenant_add("beta", "Beta Care")
    return ink


def one_time_password(stdout: str) -> str:
    lines = stdout.strip().splitlines()
    assert OTP_HEADER in lines, stdout
    password = lines[lines.index(OTP_HEADER) + 1]
    assert len(password) >= 12, stdout
    return password


def db_rows(ink, sql, *args):
    with sqlite3.connect(ink.db) as con:
        return con.execute(sql, args).fetchall()


def test_add_tenant_admin_prints_a_one_time_password_once(ink):
    out = ink.run("user", "add", "alice", "--tenant", "acme").stdout
    password = one_time_password(out)
    assert "alice" in out and "acme" in out
    (stored,) = db_rows(ink, "SELECT password_hash FROM admin_users WHERE username = 'alice'")[0]
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # The password itself is nowhere in the database file.
    assert password.encode() not in ink.db.read_bytes()
    users = {u["username"]: u for u in ink.json("user", "list", "--format", "json")}
    assert users["alice"]["role"] == "tenant-admin"
    assert users["alice"]["tenant"] == "acme"
    assert users["alice"]["must_change_password"] is True
    assert users["alice"]["disabled"] is False


def test_add_operator_and_password_file(ink, tmp_path):
    out = ink.run("user", "add", "root-op", "--operator").stdout
    one_time_password(out)
    pw = write_secret(tmp_path / "pw.txt", "a long enough password")
    out = ink.run("user", "add", "bob", "--tenant", "beta", "--password-file", pw).stdout
    assert OTP_HEADER not in out and "a long enough password" not in out
    users = {u["username"]: u for u in ink.json("user", "list", "--format", "json")}
    assert users["root-op"]["role"] == "operator" and users["root-op"]["tenant"] is None
    assert users["bob"]["must_change_password"] is False


def test_add_refusals(ink, tmp_path):
    # Exactly one of --tenant and --operator.
    assert ink.fail("user", "add", "carol").returncode == 2
    assert ink.fail("user", "add", "carol", "--tenant", "acme", "--operator").returncode == 2
    # No way to put a password on the command line.
    assert ink.fail("user", "add", "carol", "--tenant", "acme", "--password", "hunter2hunter2").returncode == 2
    short = write_secret(tmp_path / "short.txt", "too short")
    proc = ink.fail("user", "add", "carol", "--tenant", "acme", "--password-file", short)
    assert proc.returncode == 2 and "too short" not in proc.stderr and "12" in proc.stderr
    assert ink.fail("user", "add", "Carol", "--tenant", "acme").returncode == 2
    assert ink.fail("user", "add", "carol", "--tenant", "nowhere").returncode == 3
    ink.run("user", "add", "dave", "--tenant", "acme")
    assert ink.fail("user", "add", "dave", "--tenant", "acme").returncode == 4
    assert not db_rows(ink, "SELECT 1 FROM admin_users WHERE username = 'carol'")


def test_list_table_and_tenant_filter(ink):
    ink.run("user", "add", "erin", "--tenant", "beta")
    table = ink.run("user", "list").stdout
    assert table.splitlines()[0].split() == ["USERNAME", "ROLE", "TENANT", "STATE", "EMAIL", "LANG", "CREATED"]
    only_beta = ink.json("user", "list", "--tenant", "beta", "--format", "json")
    assert only_beta and {u["tenant"] for u in only_beta} == {"beta"}
    assert ink.fail("user", "list", "--tenant", "nowhere").returncode == 3


def test_disable_enable_reset_are_audited(ink):
    ink.run("user", "add", "frank", "--tenant", "acme")
    (before,) = db_rows(ink, "SELECT password_hash FROM admin_users WHERE username = 'frank'")[0]
    ink.run("user", "disable", "frank")
    users = {u["username"]: u for u in ink.json("user", "list", "--format", "json")}
    assert users["frank"]["disabled"] is True
    ink.run("user", "enable", "frank")
    password = one_time_password(ink.run("user", "reset", "frank").stdout)
    (after,) = db_rows(ink, "SELECT password_hash FROM admin_users WHERE username = 'frank'")[0]
    assert after != before and after.startswith("$argon2id$")
    assert password.encode() not in ink.db.read_bytes()
    assert ink.fail("user", "disable", "nobody").returncode == 3
    actions = [a for (a,) in db_rows(ink, "SELECT action FROM audit_log WHERE object = 'admin:frank'"
                                          " ORDER BY seq")]
    assert actions == ["admin.add", "admin.disable", "admin.enable", "admin.reset"]
    actors = {a for (a,) in db_rows(ink, "SELECT actor FROM audit_log WHERE object = 'admin:frank'")}
    assert all(a.startswith("cli:") for a in actors)
    details = " ".join(d for (d,) in db_rows(ink, "SELECT detail FROM audit_log"))
    assert "$argon2" not in details and password not in details


def test_login_history(ink):
    assert ink.json("login-history", "--format", "json") == []
    # Attempts are made by the web server; here they are written as it would write them.
    (alice_id,) = db_rows(ink, "SELECT id FROM admin_users WHERE username = 'alice'")[0]
    with sqlite3.connect(ink.db) as con:
        con.executemany(
            "INSERT INTO login_history (at, username, user_id, tenant_id, address, cert_serial,"
            " result) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(1767225600, "alice", alice_id, "acme", "192.0.2.10", "5A01", "success"),
             (1767225660, "alice", alice_id, "acme", "192.0.2.11", None, "wrong-password"),
             (1767225720, "mallory", None, None, "203.0.113.5", None, "unknown-user")])
    rows = ink.json("login-history", "--format", "json")
    assert [r["result"] for r in rows] == ["unknown-user", "wrong-password", "success"]
    assert rows[2] == {"at": "2026-01-01T00:00:00Z", "username": "alice", "tenant": "acme",
                       "address": "192.0.2.10", "cert_serial": "5A01", "result": "success"}
    acme = ink.json("login-history", "--tenant", "acme", "--format", "json")
    assert [r["address"] for r in acme] == ["192.0.2.11", "192.0.2.10"]
    assert len(ink.json("login-history", "--limit", "1", "--format", "json")) == 1
    table = ink.run("login-history").stdout
    assert "203.0.113.5" in table and "unknown-user" in table
    assert ink.fail("login-history", "--tenant", "nowhere").returncode == 3
    assert ink.fail("login-history", "--limit", "0").returncode == 2
