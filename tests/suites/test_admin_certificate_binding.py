"""Issue 14 items 4 and 5 (second half), findings of the security review.

Item 4: the admin login's second factor was shared. Any tenant-admin certificate of a tenant
logged in every administrator of that tenant, and operators too; a tenant administrator could mint
tenant-admin certificates on the site, which then served an operator's login. Now a certificate
logs in only the account it is bound to (`issue --admin`, `user bind-certificate`), an operator
only with an operator certificate issued from the CLI, and a tenant administrator issues
tenant-admin certificates only for accounts of their own tenant.

Item 5: the security tables (admin_users, admin_certificates, cas, settings, tenants) are outside
the audit chain; making a tenant administrator an operator with sqlite3 left `doctor` clean. Now a
keyed digest of each table is written with every change made with the passphrase and checked by
`doctor`.

Every test here fails on the code before the fix (no `--admin`, no binding, no digest)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from admin_support import Browser, client_pem
from helpers import write_secret
from serve_support import Server

USERS = (("alice", "acme"), ("bob", "acme"), ("beth", "beta"), ("oper", None))


def password(user: str) -> str:
    return f"{user} has a long password 42"


def doctor(ink, *extra):
    proc = ink.run("doctor", "--format", "json", *extra, check=False)
    report = json.loads(proc.stdout)
    return proc.returncode, {(f["check"], f["severity"]): f["message"] for f in report["findings"]}


def doctor_without_passphrase(ink):
    from helpers import clean_env, run
    proc = run([ink.bin, "--dir", ink.dir, "doctor", "--format", "json"], check=False, env=clean_env(), cwd=ink.root)
    report = json.loads(proc.stdout)
    return proc.returncode, {(f["check"], f["severity"]): f["message"] for f in report["findings"]}


def add_users(ink):
    for user, tenant in USERS:
        f = write_secret(ink.root / f"{user}.pw", password(user))
        role = ["--operator"] if tenant is None else ["--tenant", tenant]
        ink.run("user", "add", user, *role, "--password-file", f)


def issue_pem(ink, tenant, cn, *opts):
    c = ink.issue(tenant, cn, ink.root / "issued", "--key", "ec-p256", *opts)
    c["pem"] = client_pem(Path(c["p12"]), c["password"], ink.root / "pem")
    return c


@pytest.fixture(scope="module")
def site(make_inkan):
    ink = make_inkan("admin-binding")
    ink.init(name="Binding CA")
    for tid, name in (("acme", "Acme Care"), ("beta", "Beta Care"), ("ops", "Operators")):
        ink.tenant_add(tid, name)
    add_users(ink)
    certs = {
        "alice": issue_pem(ink, "acme", "alice-pc", "--kind", "tenant-admin", "--admin", "alice"),
        "bob": issue_pem(ink, "acme", "bob-pc", "--kind", "tenant-admin", "--admin", "bob"),
        "beth": issue_pem(ink, "beta", "beth-pc", "--kind", "tenant-admin", "--admin", "beth"),
        "oper": issue_pem(ink, "ops", "oper-pc", "--kind", "operator", "--admin", "oper"),
    }
    server = Server(ink)
    yield ink, server, certs
    server.stop()


def login(server, certs, user, cert_of):
    b = Browser(server, certs[cert_of]["pem"])
    return b, b.login(user, password(user))


def last_login_result(ink, user):
    with sqlite3.connect(ink.db) as con:
        return con.execute("SELECT result FROM login_history WHERE username = ? ORDER BY id DESC LIMIT 1",
                           (user,)).fetchone()[0]


# --- item 4 ----------------------------------------------------------------------------------------

def test_a_tenant_admin_certificate_logs_in_only_its_own_account(site):
    ink, server, certs = site
    _, r = login(server, certs, "bob", "alice")  # same tenant, alice's certificate
    assert r.status == 401, r
    assert last_login_result(ink, "bob") == "certificate-mismatch"
    b, r = login(server, certs, "bob", "bob")
    assert r.status == 303 and b.get("/admin/").status == 200, r
    # A session opened with bob's certificate does not follow alice's certificate either.
    other = Browser(server, certs["alice"]["pem"])
    other.cookies.update(b.cookies)
    assert other.get("/admin/").status == 401


def test_an_operator_logs_in_only_with_an_operator_certificate(site):
    ink, server, certs = site
    for cert in ("alice", "beth"):
        _, r = login(server, certs, "oper", cert)
        assert r.status == 401, (cert, r)
    assert last_login_result(ink, "oper") == "certificate-mismatch"
    # An operator certificate logs in only the operator: not a tenant administrator.
    _, r = login(server, certs, "alice", "oper")
    assert r.status == 401, r
    b, r = login(server, certs, "oper", "oper")
    assert r.status == 303 and b.get("/admin/").status == 200, r


def count_certificates(ink):
    with sqlite3.connect(ink.db) as con:
        return con.execute("SELECT count(*) FROM certificates").fetchone()[0]


def test_a_tenant_admin_issues_admin_certificates_only_for_their_own_tenant(site):
    ink, server, certs = site
    b, r = login(server, certs, "alice", "alice")
    assert r.status == 303, r
    form = {"tenant": "acme", "cn": "stolen-pc", "key": "ec-p256", "profile": "compat"}
    before = count_certificates(ink)
    for admin, kind in (("beth", "tenant-admin"), ("oper", "tenant-admin"), ("oper", "operator"),
                        ("", "operator"), ("", "tenant-admin")):
        r = b.post("/admin/certificates/new", {**form, "csrf": b.csrf("/admin/certificates/new"),
                                                "kind": kind, "admin": admin})
        assert r.status in (400, 403, 404), (admin, kind, r)
    assert count_certificates(ink) == before
    # Her own tenant's account: issued, and it logs in bob (and only bob).
    r = b.post("/admin/certificates/new", {**form, "csrf": b.csrf("/admin/certificates/new"),
                                            "kind": "tenant-admin", "admin": "bob", "cn": "bob-laptop"})
    assert r.status == 201, r
    with sqlite3.connect(ink.db) as con:
        (owner,) = con.execute("SELECT u.username FROM admin_certificates b JOIN admin_users u ON u.id = b.user_id "
                               "JOIN certificates c ON c.serial = b.serial WHERE c.cn = 'bob-laptop'").fetchone()
    assert owner == "bob"
    # The operator's certificate is no tenant administrator's business, and the operator cannot
    # mint one on the site either.
    op, r = login(server, certs, "oper", "oper")
    assert r.status == 303, r
    r = op.post("/admin/certificates/new", {**form, "tenant": "ops", "csrf": op.csrf("/admin/certificates/new"),
                                             "kind": "operator", "admin": "oper"})
    assert r.status == 403, r
    assert b.get(f"/admin/certificates/{certs['oper']['serial']}").status == 404


def test_cli_binding_rules(site):
    ink, _, certs = site
    # An operator certificate needs its operator; a tenant-admin one fits only its tenant's admins.
    assert "--admin" in ink.fail("issue", "--tenant", "ops", "--cn", "x", "--out", ink.root / "o",
                                 "--kind", "operator").stderr
    assert "belongs to tenant 'acme'" in ink.fail("issue", "--tenant", "beta", "--cn", "x", "--out", ink.root / "o",
                                                  "--kind", "tenant-admin", "--admin", "alice").stderr
    assert "operator" in ink.fail("issue", "--tenant", "acme", "--cn", "x", "--out", ink.root / "o",
                                  "--kind", "tenant-admin", "--admin", "oper").stderr
    # A certificate is bound to one account.
    assert "already bound" in ink.fail("user", "bind-certificate", "bob", certs["alice"]["serial"]).stderr


# --- item 5 ----------------------------------------------------------------------------------------

def test_doctor_reports_a_tenant_admin_made_operator_with_sqlite3(make_inkan):
    ink = make_inkan("digest")
    ink.init(name="Digest CA")
    ink.tenant_add("acme", "Acme Care")
    add_users_subset = (("alice", "acme"), ("oper", None))
    for user, tenant in add_users_subset:
        f = write_secret(ink.root / f"{user}.pw", password(user))
        role = ["--operator"] if tenant is None else ["--tenant", tenant]
        ink.run("user", "add", user, *role, "--password-file", f)
    ink.issue("acme", "alice", ink.root / "issued", "--key", "ec-p256", "--kind", "tenant-admin", "--admin", "alice")
    ink.run("user", "disable", "alice")
    ink.run("user", "enable", "alice")
    ink.run("crl", "--out", ink.root / "ca.crl")
    status, findings = doctor(ink)
    assert status == 0 and ("security-tables", "ok") in findings, findings

    # The review's attack, on the live database.
    with sqlite3.connect(ink.db) as con:
        con.execute("UPDATE admin_users SET role = 'operator', tenant_id = NULL WHERE username = 'alice'")
    status, findings = doctor(ink)
    assert status == 1, findings
    message = findings[("security-tables", "problem")]
    assert message.startswith("admin_users changed"), message
    # Without the passphrase doctor says what it did not check.
    status, findings = doctor_without_passphrase(ink)
    assert "not checked" in findings[("security-tables", "warning")], findings

    # Put back by hand: the digest matches again. Removing the digest is reported too.
    with sqlite3.connect(ink.db) as con:
        con.execute("UPDATE admin_users SET role = 'tenant-admin', tenant_id = 'acme' WHERE username = 'alice'")
    assert doctor(ink)[0] == 0
    for table, edit in (("tenants", "UPDATE tenants SET name = 'Evil' WHERE id = 'acme'"),
                        ("settings", "INSERT INTO settings (key, value) VALUES ('evil.setting', 'x')"),
                        ("admin_certificates", "DELETE FROM admin_certificates"),
                        ("cas", "UPDATE cas SET active = 1 - active WHERE role = 'root'")):
        with sqlite3.connect(ink.db) as con:
            con.execute(edit)
        status, findings = doctor(ink)
        assert status == 1 and findings[("security-tables", "problem")].startswith(table), (table, findings)
        ink.run("doctor", "--reseal")  # the operator accepts the rows as they are
        assert doctor(ink)[0] == 0, table
    with sqlite3.connect(ink.db) as con:
        con.execute("DELETE FROM settings WHERE key = 'integrity.security_tables'")
    status, findings = doctor(ink)
    assert status == 1 and "no keyed digest" in findings[("security-tables", "problem")], findings


# --- the one-time step after upgrading -----------------------------------------------------------

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "sql"


def make_schema_10_database(ink):
    """What the previous schema holds: a database made by migrations 0001-0010 alone (no
    admin_certificates, no digest, none of the later columns), holding this installation's rows."""
    current = ink.root / "current.db"
    ink.db.rename(current)
    for extra in ("-wal", "-shm"):
        Path(str(ink.db) + extra).unlink(missing_ok=True)
    with sqlite3.connect(ink.db) as old:
        old.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT")
        for sql in sorted(SCHEMAS.glob("*.sql")):
            version = int(sql.name[:4])
            if version <= 10:
                old.executescript(sql.read_text())
                old.execute("INSERT INTO schema_version VALUES (?, 0)", (version,))
        old.execute("ATTACH DATABASE ? AS cur", (str(current),))
        tables = [r[0] for r in old.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name <> 'schema_version'")]
        # Rows first, then the trigger-kept counts as they were (OR REPLACE over what the triggers made).
        for table in sorted(tables, key=lambda t: "count" in t):
            cols = ", ".join(r[1] for r in old.execute(f"PRAGMA main.table_info({table})"))
            old.execute(f"INSERT OR REPLACE INTO main.{table} ({cols}) SELECT {cols} FROM cur.{table}")
        old.execute("DELETE FROM settings WHERE key = 'integrity.security_tables'")
        old.commit()
        old.execute("DETACH DATABASE cur")
        assert old.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 10
        assert "admin_certificates" not in tables


def test_upgrade_binds_what_it_can_and_names_the_rest(make_inkan):
    ink = make_inkan("upgrade")
    ink.init(name="Upgrade CA")
    ink.tenant_add("acme", "Acme Care")
    ink.tenant_add("ops", "Operators")
    for user, tenant in (("alice", "acme"), ("bob", "acme"), ("oper", None)):
        f = write_secret(ink.root / f"{user}.pw", password(user))
        role = ["--operator"] if tenant is None else ["--tenant", tenant]
        ink.run("user", "add", user, *role, "--password-file", f)
    # Before the upgrade: unbound tenant-admin certificates, one named like its account.
    alice = issue_pem(ink, "acme", "alice", "--kind", "tenant-admin")
    bobs = issue_pem(ink, "acme", "front-desk-pc", "--kind", "tenant-admin")
    with sqlite3.connect(ink.db) as con:
        con.execute("DELETE FROM admin_certificates")
    make_schema_10_database(ink)

    # Any command migrates; the CN-named certificate is bound to its account.
    ink.run("list")
    with sqlite3.connect(ink.db) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] >= 11
        bound = con.execute("SELECT c.cn, u.username FROM admin_certificates b JOIN certificates c USING (serial) "
                            "JOIN admin_users u ON u.id = b.user_id").fetchall()
    assert bound == [("alice", "alice")], bound

    status, findings = doctor(ink)
    assert status == 1, findings
    assert "no keyed digest" in findings[("security-tables", "problem")]
    unbound = findings[("admin-certificates", "warning")]
    assert "bob (acme)" in unbound and "oper (operator)" in unbound and "alice" not in unbound, unbound
    assert "inkan user bind-certificate" in unbound, unbound

    server = Server(ink)
    try:
        assert Browser(server, alice["pem"]).login("alice", password("alice")).status == 303
        # bob cannot log in until his certificate is bound; then he can.
        assert Browser(server, bobs["pem"]).login("bob", password("bob")).status == 401
        ink.run("user", "bind-certificate", "bob", bobs["serial"])
        assert Browser(server, bobs["pem"]).login("bob", password("bob")).status == 303
        op = issue_pem(ink, "ops", "oper-pc", "--kind", "operator", "--admin", "oper")
        assert Browser(server, op["pem"]).login("oper", password("oper")).status == 303
    finally:
        server.stop()

    ink.run("doctor", "--reseal")
    status, findings = doctor(ink)
    assert status == 0, findings
    assert ("admin-certificates", "ok") in findings and ("security-tables", "ok") in findings
