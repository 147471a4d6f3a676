"""Issue 5, the management site under /admin, driven over real mutual TLS on loopback with
Python's ssl/http.client: login with the tenant-admin certificate, sessions and cookies, CSRF on
every POST, the security headers of every response, tenant isolation (tenant A's administrator
tries every tenant-B object by URL), the throttles keyed on the socket address, and the happy
paths (renew, downloads, reveal, notes, reissue, revoke, issue, users, login history)."""
from __future__ import annotations

import io
import json
import re
import sqlite3
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from admin_support import (NONCE_COOKIE, SESSION_COOKIE, Browser, assert_security_headers,
                           client_pem, csrf_of)
from helpers import run, write_secret
from serve_support import Server, not_before_for

RENEW_CONFIRM = "証明書を更新します。よろしいですか？"
RENEWED = "証明書の更新に成功しました。"
TOKEN = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Site:
    ink: object
    server: Server
    certs: dict = field(default_factory=dict)      # name -> issue JSON (+ "pem")
    passwords: dict = field(default_factory=dict)  # username -> password

    def serial(self, name: str) -> str:
        return self.certs[name]["serial"]

    def browser(self, cert: str | None = "a-admin", **kw) -> Browser:
        return Browser(self.server, self.certs[cert]["pem"] if cert else None, **kw)

    def logged_in(self, user: str, cert: str | None = "a-admin", **kw) -> Browser:
        b = self.browser(cert, **kw)
        r = b.login(user, self.passwords[user])
        assert r.status == 303 and b.session, r
        return b

    def db(self, sql: str, *args):
        with sqlite3.connect(self.ink.db) as con:
            return con.execute(sql, args).fetchall()

    def cert_row(self, name_or_serial: str):
        serial = self.certs[name_or_serial]["serial"] if name_or_serial in self.certs else name_or_serial
        (row,) = self.db("SELECT state, successor, revoked_at, notes FROM certificates WHERE serial = ?", serial)
        return row


@pytest.fixture(scope="module")
def site(make_inkan):
    ink = make_inkan("admin-site")
    ink.init(name="Admin Site CA")
    ink.tenant_add("acme", "Acme Care")
    ink.tenant_add("beta", "Beta Care")
    s = Site(ink, None)  # type: ignore[arg-type]

    for user, tenant in (("alice", "acme"), ("bob", "beta"), ("oper", None),
                         ("victim", "acme"), ("capped", "acme"), ("enum-target", "acme")):
        pw = f"{user} has a long password 42"
        f = write_secret(ink.root / f"{user}.pw", pw)
        role = ["--operator"] if tenant is None else ["--tenant", tenant]
        ink.run("user", "add", user, *role, "--password-file", f)
        s.passwords[user] = pw

    def issue(name, tenant, days_left=None, kind="terminal", admin=None):
        opts = ["--key", "ec-p256"]
        if days_left is not None:
            opts += ["--not-before", not_before_for(days_left)]
        if kind != "terminal":
            opts += ["--kind", kind]
        if admin:
            opts += ["--admin", admin]
        c = ink.issue(tenant, name, ink.root / "issued", *opts)
        c["pem"] = client_pem(Path(c["p12"]), c["password"], ink.root / "pem")
        s.certs[name] = c

    # Each administrator certificate logs in the account it is issued for (issue 14 item 4);
    # a-admin2 is bound to no one.
    for t in ("a", "b"):
        tenant = "acme" if t == "a" else "beta"
        issue(f"{t}-admin", tenant, kind="tenant-admin", admin="alice" if t == "a" else "bob")
        issue(f"{t}-admin2", tenant, kind="tenant-admin")
        issue(f"{t}-soon", tenant, days_left=30)      # inside the renewal window
        issue(f"{t}-fresh", tenant)
        issue(f"{t}-expired", tenant, days_left=-5)
        issue(f"{t}-victim", tenant)                  # revoked by the happy path (a) / attacked (b)
    issue("a-terminal", "acme")
    ink.tenant_add("ops", "Operators")  # the operators' own certificates, no tenant administrator's
    issue("op-cert", "ops", kind="operator", admin="oper")
    s.server = Server(ink)
    yield s
    s.server.stop()


# --- login, cookies, sessions -------------------------------------------------------------------

def test_login_sets_the_exact_session_cookie_and_rotates_it(site):
    b = site.browser()
    page = b.get("/admin/login")
    assert page.status == 200 and 'name="username"' in page.text and "ログイン" in page.text
    nonce = page.header("Set-Cookie")
    assert nonce.startswith(NONCE_COOKIE + "=") and "Secure; HttpOnly; SameSite=Strict" in nonce
    r = b.login("alice", site.passwords["alice"], token=csrf_of(page.text))
    assert r.status == 303 and r.header("Location") == "/admin/", r
    cookies = r.all("Set-Cookie")
    session = [c for c in cookies if c.startswith(SESSION_COOKIE + "=")]
    assert len(session) == 1, cookies
    value = session[0].split(";")[0].split("=", 1)[1]
    assert TOKEN.match(value)
    assert session[0] == f"{SESSION_COOKIE}={value}; Path=/; Secure; HttpOnly; SameSite=Strict"
    assert b.get("/admin/").status == 200

    # Logging in again while holding the cookie: a new id, and the old one is dead.
    first = b.session
    r = b.login("alice", site.passwords["alice"])
    assert r.status == 303 and b.session and b.session != first
    stale = Browser(site.server, site.certs["a-admin"]["pem"])
    stale.cookies[SESSION_COOKIE] = first
    assert stale.get("/admin/").status == 401


def test_cookie_replayed_after_logout_gets_401(site):
    b = site.logged_in("alice")
    token = b.session
    csrf = b.csrf()
    r = b.post("/admin/logout", {"csrf": csrf})
    assert r.status == 303 and r.header("Location").startswith("/admin/login")
    assert any(c.startswith(f"{SESSION_COOKIE}=; Max-Age=0") for c in r.all("Set-Cookie")), r.headers
    replay = site.browser()
    replay.cookies[SESSION_COOKIE] = token
    for path in ("/admin/", "/admin/certificates", f"/admin/certificates/{site.serial('a-fresh')}"):
        r = replay.get(path)
        assert r.status == 401, (path, r)
        assert 'href="/admin/login"' in r.text
        assert_security_headers(r, f"401 {path}")
    r = replay.post(f"/admin/certificates/{site.serial('a-fresh')}/notes", {"csrf": csrf, "notes": "x"})
    assert r.status == 401 and site.cert_row("a-fresh")[3] == ""


def test_no_session_is_401_for_every_page(site):
    b = site.browser()
    for path in ("/admin/", "/admin/tenant", "/admin/certificates", "/admin/users",
                 "/admin/login-history", "/admin/ca.pem", "/admin/account/password"):
        r = b.get(path)
        assert r.status == 401, (path, r)


def test_login_requires_a_tenant_admin_certificate_of_the_tenant_by_default(site):
    # No certificate: the form says one is needed, and the right password is not enough.
    b = site.browser(cert=None)
    page = b.get("/admin/login")
    assert 'id="cert-required"' in page.text
    r = b.login("alice", site.passwords["alice"])
    assert r.status == 401 and not b.session, r
    # A terminal certificate, or another tenant's administrator certificate: refused the same way.
    for cert in ("a-terminal", "b-admin"):
        b = site.browser(cert)
        r = b.login("alice", site.passwords["alice"])
        assert r.status == 401 and not b.session, (cert, r)
        failed = r.text
    wrong = site.browser().login("alice", "not the password at all")
    unknown = site.browser().login("nobody-here", "not the password at all")
    assert wrong.status == unknown.status == 401
    message = "ユーザ名、パスワードまたはクライアント証明書が正しくありません。"
    assert message in wrong.text and message in unknown.text and message in failed
    results = [r for (r,) in site.db("SELECT result FROM login_history WHERE username = 'alice' "
                                     "ORDER BY id DESC LIMIT 4")]
    assert results == ["wrong-password", "certificate-mismatch", "certificate-mismatch",
                       "certificate-required"]


def test_session_is_bound_to_the_login_certificate(site):
    b = site.logged_in("alice", cert="a-admin")
    token = b.session
    for cert in (None, "a-admin2"):
        other = site.browser(cert)
        other.cookies[SESSION_COOKIE] = token
        assert other.get("/admin/").status == 401, cert
    assert b.get("/admin/").status == 200


# --- security headers and CSRF --------------------------------------------------------------------

def test_every_response_carries_the_security_headers(site):
    b = site.logged_in("alice")
    serial = site.serial("a-fresh")
    cases = [
        ("GET", "/admin/login", None), ("GET", "/admin/", None), ("GET", "/admin/tenant", None),
        ("GET", "/admin/certificates", None), ("GET", f"/admin/certificates/{serial}", None),
        ("GET", "/admin/certificates/new", None), ("GET", "/admin/users", None),
        ("GET", "/admin/login-history", None), ("GET", "/admin/account/password", None),
        ("GET", f"/admin/certificates/{serial}/p12", None), ("GET", f"/admin/certificates/{serial}/zip", None),
        ("GET", "/admin/ca.pem", None), ("GET", "/admin/certificates/00FF00FF", None),
        ("GET", "/admin/no-such-page", None), ("GET", "/admin/certificates?status=bogus", None),
        ("POST", f"/admin/certificates/{serial}/notes", {"csrf": "0" * 64, "notes": "x"}),
        ("POST", "/admin/login", {"csrf": "bad", "username": "x", "password": "y"}),
    ]
    for method, path, form in cases:
        r = b.request(method, path, form=form)
        assert_security_headers(r, f"{method} {path} ({r.status})")
    csp = b.get("/admin/").header("Content-Security-Policy")
    assert "script-src 'self'" in csp and "base-uri 'none'" in csp and "form-action 'self'" in csp
    # Pages have no inline script or style attribute.
    for path in ("/admin/", f"/admin/certificates/{serial}", "/admin/users", "/admin/certificates"):
        text = b.get(path).text
        assert "<script>" not in text and " style=" not in text and "onclick" not in text, path
        assert "<script src=\"/static/admin.js\" defer></script>" in text
    js = b.get("/static/admin.js")
    assert js.status == 200 and js.header("Content-Type").startswith("text/javascript")
    assert "dataset.confirm" in js.text and "window.confirm" in js.text
    assert_security_headers(js, "admin.js", authenticated=False)
    # A 404 for another tenant's object is the same page as for a missing one.
    assert b.get(f"/admin/certificates/{site.serial('b-fresh')}").text == \
        b.get("/admin/certificates/00FF00FF").text


def post_routes(site, victim: str, user: str):
    s = site.serial(victim)
    return [
        ("/admin/logout", {}),
        (f"/admin/certificates/{s}/renew", {}),
        (f"/admin/certificates/{s}/reissue", {}),
        (f"/admin/certificates/{s}/revoke", {"reason": "keyCompromise"}),
        (f"/admin/certificates/{s}/notes", {"notes": "csrf was here"}),
        (f"/admin/certificates/{s}/password", {}),
        ("/admin/certificates/new", {"tenant": "acme", "cn": "csrf-made", "kind": "terminal", "key": "ec-p256"}),
        ("/admin/users", {"username": "csrf-user"}),
        (f"/admin/users/{user}/disable", {}),
        (f"/admin/users/{user}/enable", {}),
        (f"/admin/users/{user}/delete", {}),
        (f"/admin/users/{user}/reset", {}),
        ("/admin/account/password", {"current_password": "x", "new_password": "y" * 12,
                                     "confirm_password": "y" * 12}),
    ]


def test_every_post_without_a_valid_csrf_token_is_403_and_changes_nothing(site):
    b = site.logged_in("alice")
    before_cert = site.cert_row("a-soon")
    before_users = site.db("SELECT username, disabled, password_hash FROM admin_users ORDER BY id")
    certs_before = site.db("SELECT count(*) FROM certificates")
    good = b.csrf()
    for path, form in post_routes(site, "a-soon", "victim"):
        for token in (None, "", "0" * 64, good[:-1] + ("0" if good[-1] != "0" else "1")):
            f = dict(form)
            if token is not None:
                f["csrf"] = token
            r = b.post(path, f, headers={"Accept": "application/json"})
            assert r.status == 403, (path, token, r)
            assert '"password"' not in r.text
    assert site.cert_row("a-soon") == before_cert
    assert site.db("SELECT username, disabled, password_hash FROM admin_users ORDER BY id") == before_users
    assert site.db("SELECT count(*) FROM certificates") == certs_before
    assert b.get("/admin/").status == 200  # the session survived
    # The login form: no nonce cookie, or a token of another nonce.
    fresh = site.browser()
    token = fresh.login_form()
    fresh.cookies.pop(NONCE_COOKIE)
    assert fresh.login("alice", site.passwords["alice"], token=token).status == 403
    other = site.browser()
    other.login_form()
    assert other.login("alice", site.passwords["alice"], token="f" * 64).status == 403
    assert not fresh.session and not other.session


# --- tenant isolation -----------------------------------------------------------------------------

def test_tenant_a_admin_reaches_no_tenant_b_object(site):
    a = site.logged_in("alice")
    csrf = a.csrf()
    b_snapshot = {n: site.cert_row(n) for n in ("b-soon", "b-fresh", "b-expired", "b-victim", "b-admin")}
    bob_before = site.db("SELECT disabled, password_hash, must_change_password FROM admin_users "
                         "WHERE username = 'bob'")
    revealed = site.db("SELECT count(*) FROM audit_log WHERE action = 'password.reveal'")
    successes = []
    for name in ("b-soon", "b-fresh", "b-expired", "b-victim", "b-admin"):
        s = site.serial(name)
        for path in (f"/admin/certificates/{s}", f"/admin/certificates/{s}/p12",
                     f"/admin/certificates/{s}/zip", f"/admin/certificates/{s}/p12?profile=modern"):
            r = a.get(path)
            if r.status != 404:
                successes.append((path, r.status))
        for action, form in (("password", {}), ("renew", {}), ("reissue", {}),
                             ("revoke", {"reason": "keyCompromise"}), ("notes", {"notes": "pwned"})):
            for accept in ("text/html", "application/json"):
                r = a.post(f"/admin/certificates/{s}/{action}", {"csrf": csrf, **form},
                           headers={"Accept": accept})
                if r.status != 404 or b'"password"' in r.body:
                    successes.append((action, name, r.status))
    for action in ("disable", "enable", "reset"):
        r = a.post(f"/admin/users/bob/{action}", {"csrf": csrf})
        if r.status not in (403, 404):
            successes.append((action, "bob", r.status))
    r = a.post("/admin/certificates/new", {"csrf": csrf, "tenant": "beta", "cn": "intruder",
                                           "kind": "terminal", "key": "ec-p256"})
    if r.status not in (403, 404):
        successes.append(("issue into beta", r.status))
    r = a.post("/admin/users", {"csrf": csrf, "username": "mole", "tenant": "beta"})
    if r.status not in (403, 404):
        successes.append(("user into beta", r.status))
    r = a.post("/admin/users", {"csrf": csrf, "username": "mole2", "role": "operator"})
    if r.status not in (403, 404):
        successes.append(("operator from a tenant admin", r.status))
    for path in ("/admin/certificates?tenant=beta", "/admin/?tenant=beta"):
        r = a.get(path)
        if r.status != 404:
            successes.append((path, r.status))
    assert successes == []
    # Nothing of tenant B changed, nothing was made, no password was revealed.
    assert {n: site.cert_row(n) for n in b_snapshot} == b_snapshot
    assert site.db("SELECT disabled, password_hash, must_change_password FROM admin_users "
                   "WHERE username = 'bob'") == bob_before
    assert site.db("SELECT count(*) FROM certificates WHERE cn = 'intruder'") == [(0,)]
    assert site.db("SELECT count(*) FROM admin_users WHERE username IN ('mole', 'mole2')") == [(0,)]
    assert site.db("SELECT count(*) FROM audit_log WHERE action = 'password.reveal'") == revealed
    # Tenant B's certificates are absent from A's pages.
    listing = a.get("/admin/certificates").text
    assert "a-fresh" in listing and "b-fresh" not in listing
    assert "bob" not in a.get("/admin/users").text


def test_operator_reaches_both_tenants(site):
    op = site.logged_in("oper", cert="op-cert")  # an operator logs in with their operator certificate
    listing = op.get("/admin/certificates").text
    assert "a-fresh" in listing and "b-fresh" in listing
    for name in ("a-fresh", "b-fresh"):
        assert op.get(f"/admin/certificates/{site.serial(name)}").status == 200
    only_b = op.get("/admin/certificates?tenant=beta").text
    assert "b-fresh" in only_b and "a-fresh" not in only_b
    tenants = op.get("/admin/tenant").text
    assert "Acme Care" in tenants and "Beta Care" in tenants
    users = op.get("/admin/users").text
    assert "alice" in users and "bob" in users
    r = op.post(f"/admin/certificates/{site.serial('b-fresh')}/notes",
                {"csrf": op.csrf(), "notes": "checked by the operator"})
    assert r.status == 303
    assert site.cert_row("b-fresh")[3] == "checked by the operator"
    actor = site.db("SELECT actor FROM audit_log WHERE action = 'cert.notes' ORDER BY seq DESC LIMIT 1")
    assert actor == [("admin:oper",)]


# --- happy paths --------------------------------------------------------------------------------

def test_screens_in_japanese_and_english(site):
    b = site.logged_in("alice")
    top = b.get("/admin/").text
    for tab in ("TOP", "テナント情報", "証明書管理", "ユーザ管理", "ログイン履歴"):
        assert tab in top, tab
    assert 'id="count-active"' in top and "a-soon" in top  # expiring within 90 days
    tenant = b.get("/admin/tenant").text
    assert "Acme Care" in tenant and "Beta Care" not in tenant and "90" in tenant
    en = site.logged_in("alice", accept_language="en-US,en;q=0.9")
    assert "Certificates" in en.get("/admin/").text
    r = b.get("/admin/lang/en")
    assert r.status == 303 and "__Host-inkan-lang=en" in r.header("Set-Cookie")
    assert "Login history" in b.get("/admin/").text
    b.get("/admin/lang/ja")
    assert "ログイン履歴" in b.get("/admin/").text


def test_list_filters_search_and_pages(site):
    b = site.logged_in("alice")
    expired = b.get("/admin/certificates?status=expired").text
    assert "a-expired" in expired and "a-fresh" not in expired
    admins = b.get("/admin/certificates?type=tenant-admin").text
    assert "a-admin" in admins and "a-terminal" not in admins
    soon = b.get("/admin/certificates?expiring=90").text
    assert "a-soon" in soon and "a-fresh" not in soon
    found = b.get("/admin/certificates?q=a-ter").text
    assert "a-terminal" in found and "a-fresh" not in found
    by_serial = b.get(f"/admin/certificates?q={site.serial('a-fresh')[:12]}").text
    assert "a-fresh" in by_serial
    assert b.get("/admin/certificates?page=99").status == 200
    for bad in ("status=bogus", "type=x", "expiring=7", "page=0", "page=x"):
        assert b.get(f"/admin/certificates?{bad}").status == 400, bad


def test_renew_downloads_reveal_and_zip(site, tmp_path):
    b = site.logged_in("alice")
    serial = site.serial("a-soon")
    page = b.get(f"/admin/certificates/{serial}").text
    assert f'data-confirm="{RENEW_CONFIRM}"' in page and 'id="renew-form"' in page
    for label in ("状態", "種別", "パスワード", "発行申請日時", "発行日", "有効期限", "CA証明書", "備考",
                  "編集", "一覧に戻る", "証明書更新", "ダウンロード(p12形式)", "ダウンロード(zip形式)"):
        assert label in page, label
    r = b.post(f"/admin/certificates/{serial}/renew", {"csrf": csrf_of(page)})
    assert r.status == 200 and RENEWED in r.text, r
    new = re.search(r'id="new-serial">([0-9A-F]+)<', r.text).group(1)
    assert site.cert_row("a-soon")[1] == new
    detail = b.get(f"/admin/certificates/{new}").text
    assert f'id="predecessor">{serial}<' in detail
    assert f'id="successor">{new}<' in b.get(f"/admin/certificates/{serial}").text

    # The p12, and its password revealed as JSON for the script.
    p12 = b.get(f"/admin/certificates/{new}/p12")
    assert p12.status == 200 and p12.header("Content-Type") == "application/x-pkcs12"
    disposition = p12.header("Content-Disposition")
    assert re.match(r'attachment; filename="[A-Za-z0-9._-]+\.p12"', disposition), disposition
    assert_security_headers(p12, "p12 download")
    reveal = b.post(f"/admin/certificates/{new}/password", {"csrf": csrf_of(detail)},
                    headers={"Accept": "application/json"})
    assert reveal.status == 200 and reveal.header("Cache-Control") == "no-store"
    password = json.loads(reveal.body)["password"]
    f = tmp_path / "new.p12"
    f.write_bytes(p12.body)
    out = run(["openssl", "pkcs12", "-in", f, "-passin", f"pass:{password}", "-nokeys", "-clcerts"]).stdout
    assert "a-soon" in out
    # Without script: the detail page with the password shown.
    html = b.post(f"/admin/certificates/{new}/password", {"csrf": csrf_of(detail)})
    assert html.status == 200 and f'id="password">{password}<' in html.text
    assert site.db("SELECT actor FROM audit_log WHERE action = 'password.reveal' ORDER BY seq DESC LIMIT 1") \
        == [("admin:alice",)]

    z = b.get(f"/admin/certificates/{new}/zip")
    assert z.status == 200 and z.header("Content-Type") == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(z.body)).namelist()
    # ca-root.crt: the root alone, for README.txt's trust step (issue 16, item 11)
    assert sorted(n.rsplit(".", 1)[-1] for n in names) == ["crt", "p12", "pem", "txt"], names
    assert "ca-chain.pem" in names and "README.txt" in names
    assert password.encode() not in z.body
    ca = b.get("/admin/ca.pem")
    assert ca.status == 200 and ca.text.count("BEGIN CERTIFICATE") == 2
    # Renewing again hands back the same successor.
    again = b.post(f"/admin/certificates/{serial}/renew", {"csrf": csrf_of(detail)})
    assert again.status == 200 and f'id="new-serial">{new}<' in again.text


def test_fresh_certificate_is_not_renewed_before_its_window(site):
    b = site.logged_in("alice")
    serial = site.serial("a-fresh")
    page = b.get(f"/admin/certificates/{serial}").text
    assert 'id="renew-form"' not in page and 'id="too-early"' in page
    r = b.post(f"/admin/certificates/{serial}/renew", {"csrf": csrf_of(page)})
    assert r.status == 403 and site.cert_row("a-fresh")[1] is None


def test_notes_reissue_revoke_and_issue(site):
    b = site.logged_in("alice")
    csrf = b.csrf()
    s = site.serial("a-fresh")
    r = b.post(f"/admin/certificates/{s}/notes", {"csrf": csrf, "notes": "受付の端末 <b>2</b>"})
    assert r.status == 303 and r.header("Location") == f"/admin/certificates/{s}?done=notes"
    page = b.get(r.header("Location")).text
    assert "備考を保存しました。" in page, re.findall(r"<main.{0,300}", page, re.S)
    assert "受付の端末 &lt;b&gt;2&lt;&#x2F;b&gt;" in page, re.findall(r'id="notes".{0,200}', page)
    assert site.cert_row("a-fresh")[3] == "受付の端末 <b>2</b>"

    expired = site.serial("a-expired")
    page = b.get(f"/admin/certificates/{expired}").text
    assert 'id="reissue-form"' in page and 'id="renew-form"' not in page
    r = b.post(f"/admin/certificates/{expired}/reissue", {"csrf": csrf})
    assert r.status == 200 and "証明書を再発行しました。" in r.text
    successor = site.cert_row("a-expired")[1]
    assert successor and site.cert_row(successor)[0] == "active"

    victim = site.serial("a-victim")
    r = b.post(f"/admin/certificates/{victim}/revoke", {"csrf": csrf, "reason": "keyCompromise"})
    assert r.status == 303
    state, _, revoked_at, _ = site.cert_row("a-victim")
    assert state == "revoked" and revoked_at
    assert "証明書を失効させました。" in b.get(r.header("Location")).text
    assert b.post(f"/admin/certificates/{victim}/revoke", {"csrf": csrf, "reason": "nonsense"}).status in (400, 409)

    r = b.post("/admin/certificates/new", {"csrf": csrf, "tenant": "acme", "cn": "web-issued",
                                           "kind": "terminal", "key": "ec-p256", "profile": "compat"})
    assert r.status == 201 and "証明書を発行しました。" in r.text
    assert site.db("SELECT tenant_id, kind FROM certificates WHERE cn = 'web-issued'") == [("acme", "terminal")]
    actions = {a for (a,) in site.db("SELECT actor FROM audit_log WHERE seq > "
                                     "(SELECT max(seq) - 6 FROM audit_log)")}
    assert actions == {"admin:alice"}, actions


def test_user_add_first_login_password_change_and_management(site):
    a = site.logged_in("alice")
    r = a.post("/admin/users", {"csrf": a.csrf(), "username": "carol"})
    assert r.status == 200
    otp = re.search(r'id="one-time-password">([^<]+)<', r.text).group(1)
    assert site.db("SELECT tenant_id, must_change_password FROM admin_users WHERE username = 'carol'") == [("acme", 1)]

    # Carol logs in with a certificate issued for her account (issue 14 item 4).
    carol = site.ink.issue("acme", "carol-pc", site.ink.root / "issued", "--key", "ec-p256",
                           "--kind", "tenant-admin", "--admin", "carol")
    carol["pem"] = client_pem(Path(carol["p12"]), carol["password"], site.ink.root / "pem")
    site.certs["carol"] = carol
    c = site.browser("carol")
    r = c.login("carol", otp)
    assert r.status == 303 and r.header("Location") == "/admin/account/password"
    assert c.get("/admin/certificates").status == 303  # must change the password first
    new_pw = "carol's own long password"
    r = c.post("/admin/account/password", {"csrf": c.csrf("/admin/account/password"),
                                           "current_password": otp, "new_password": new_pw,
                                           "confirm_password": new_pw})
    assert r.status == 303 and r.header("Location").startswith("/admin/login")
    assert c.get("/admin/").status == 401  # sessions end with the change
    assert c.login("carol", new_pw).status == 303 and c.get("/admin/").status == 200

    csrf = a.csrf("/admin/users")
    assert a.post("/admin/users/carol/disable", {"csrf": csrf}).status == 303
    assert c.get("/admin/").status == 401
    assert site.browser("carol").login("carol", new_pw).status == 401
    assert a.post("/admin/users/carol/enable", {"csrf": csrf}).status == 303
    r = a.post("/admin/users/carol/reset", {"csrf": csrf})
    assert r.status == 200 and 'id="one-time-password"' in r.text
    assert site.db("SELECT must_change_password FROM admin_users WHERE username = 'carol'") == [(1,)]
    assert a.post("/admin/users", {"csrf": csrf, "username": "carol"}).status == 409
    assert a.post("/admin/users/alice/disable", {"csrf": csrf}).status == 400  # not oneself
    actors = {(act, who) for (act, who) in site.db(
        "SELECT action, actor FROM audit_log WHERE object = 'admin:carol'")}
    assert ("admin.add", "admin:alice") in actors and ("admin.password", "admin:carol") in actors


def test_users_screen_sets_the_expiry_mail_address_and_language_within_the_tenant(site):
    """Issue 19: the address and language of an administrator's expiry mail (`notify expiring`)."""
    a = site.logged_in("alice")
    page = a.get("/admin/users")
    assert 'id="email-victim"' in page.text and 'id="new-email"' in page.text
    csrf = csrf_of(page.text)
    r = a.post("/admin/users/victim/contact", {"csrf": csrf, "email": "victim@acme.example", "language": "en"})
    assert r.status == 303 and r.header("Location") == "/admin/users?done=contact", r
    assert site.db("SELECT email, language FROM admin_users WHERE username = 'victim'") == [
        ("victim@acme.example", "en")]
    assert 'value="victim@acme.example"' in a.get("/admin/users").text
    assert a.post("/admin/users/victim/contact", {"csrf": csrf, "email": "not an address"}).status == 400
    assert a.post("/admin/users/bob/contact", {"csrf": csrf, "email": "x@beta.example"}).status == 404  # other tenant
    assert a.post("/admin/users/victim/contact", {"email": "x@acme.example"}).status == 403  # no CSRF token
    assert site.db("SELECT email FROM admin_users WHERE username = 'bob'") == [(None,)]
    r = a.post("/admin/users/victim/contact", {"csrf": csrf, "email": "", "language": "ja"})
    assert r.status == 303
    assert site.db("SELECT email, language FROM admin_users WHERE username = 'victim'") == [(None, "ja")]
    assert ("admin.contact", "admin:alice") in set(site.db(
        "SELECT action, actor FROM audit_log WHERE object = 'admin:victim'"))


def test_login_history_lists_the_attempts_of_the_tenant(site):
    a = site.logged_in("alice")
    site.browser().login("alice", "a wrong password here")
    site.logged_in("bob", cert="b-admin")
    page = a.get("/admin/login-history").text
    assert 'data-result="success"' in page and 'data-result="wrong-password"' in page
    assert "パスワード誤り" in page and "127.0.0.1" in page
    assert site.serial("a-admin") in page
    assert ">bob<" not in page


# --- throttling -----------------------------------------------------------------------------------

def test_200_wrong_passwords_lock_the_socket_address_whatever_x_forwarded_for_says(site):
    attacker = site.browser(source="127.0.0.2")
    token = attacker.login_form()
    statuses = []
    for i in range(200):
        user = "alice" if i % 2 else f"ghost{i}"
        r = attacker.login(user, f"guess number {i}", token=token,
                           headers={"X-Forwarded-For": f"198.51.100.{i % 250}"})
        statuses.append(r.status)
        token = csrf_of(r.text)  # each answer carries a fresh form
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429] * 190
    assert "しばらくしてから" in r.text
    # Even the right password is refused from that address; another address still logs in.
    assert attacker.login("victim", site.passwords["victim"], token=token).status == 429
    rows = dict(site.db("SELECT result, count(*) FROM login_history WHERE address = '127.0.0.2' "
                        "GROUP BY result"))
    assert rows.get("locked") == 191 and rows.get("wrong-password", 0) + rows.get("unknown-user", 0) == 10
    assert not site.db("SELECT 1 FROM login_history WHERE address LIKE '198.51.100.%'")
    assert site.logged_in("alice").get("/admin/").status == 200


def test_account_lock_applies_from_every_address(site):
    b = site.browser(source="127.0.0.3")
    token = b.login_form()
    for i in range(10):
        r = b.login("victim", f"wrong guess {i}", token=token)
        assert r.status == 401, (i, r)
        token = csrf_of(r.text)
    # The right password from a fresh address: the account itself is locked.
    r = site.browser(source="127.0.0.4").login("victim", site.passwords["victim"])
    assert r.status == 429


def test_unknown_and_locked_names_get_the_same_answer(site):
    """Issue 14 item 6: an unknown name got 401 where a locked existing one got 429, so the lock
    told which names exist. Now ten failures lock a name whether or not it has an account: the
    same status and the same page (CSRF token aside), and the real account's lock still holds."""
    def answer_after_ten_failures(name, first_source):
        b = site.browser(source=f"127.0.1.{first_source}")
        token = b.login_form()
        for i in range(10):
            r = b.login(name, f"wrong guess {i}", token=token)
            token = csrf_of(r.text)
        r = site.browser(source=f"127.0.1.{first_source + 1}").login(name, f"one more guess")
        return r.status, re.sub(r'value="[0-9a-f]{64}"', 'value="…"', r.text)

    real = answer_after_ten_failures("enum-target", 10)
    ghost = answer_after_ten_failures("no-such-admin", 20)
    assert real[0] == ghost[0] == 429, (real[0], ghost[0])
    assert real[1] == ghost[1]
    # The lock is enforced: the right password does not get in.
    assert site.browser(source="127.0.1.30").login("enum-target", site.passwords["enum-target"]).status == 429


def test_hourly_cap_of_evaluated_failures(site):
    now = int(time.time())
    (uid,) = site.db("SELECT id FROM admin_users WHERE username = 'capped'")[0]
    with sqlite3.connect(site.ink.db) as con:
        # 100 failures in the last hour from one address, and 100 against one account from many.
        con.executemany("INSERT INTO login_history (at, username, user_id, tenant_id, address, result) "
                        "VALUES (?, 'ghost', NULL, NULL, '127.0.0.5', 'unknown-user')",
                        [(now - 30 * i,) for i in range(100)])
        con.executemany("INSERT INTO login_history (at, username, user_id, tenant_id, address, result) "
                        "VALUES (?, 'capped', ?, 'acme', ?, 'wrong-password')",
                        [(now - 30 * i, uid, f"192.0.2.{i}") for i in range(100)])
    r = site.browser(source="127.0.0.5").login("alice", site.passwords["alice"])
    assert r.status == 429
    r = site.browser(source="127.0.0.6").login("capped", site.passwords["capped"])
    assert r.status == 429
    last = site.db("SELECT address, result FROM login_history ORDER BY id DESC LIMIT 2")
    assert last == [("127.0.0.6", "locked"), ("127.0.0.5", "locked")]


def test_certificate_requirement_can_be_switched_off_by_the_operator(site):
    other = Server(site.ink, "--admin-client-cert", "off")
    try:
        assert "does not need a tenant-admin client certificate" in other.log_text()
        b = Browser(other, None)
        assert 'id="cert-required"' not in b.get("/admin/login").text
        r = b.login("bob", site.passwords["bob"])
        assert r.status == 303 and b.get("/admin/").status == 200
        # Still only tenant B for bob.
        assert b.get(f"/admin/certificates/{site.serial('a-fresh')}").status == 404
    finally:
        other.stop()
    assert "needs a tenant-admin client certificate" in site.server.log_text()


def test_a_disabled_user_can_be_deleted_on_the_site_and_the_name_stays_taken(site):
    """Issue 16 item 17: ユーザ管理 deletes an administrator (offered once disabled); the login
    history and the activity log keep the username, which no new account may take."""
    a = site.logged_in("alice")
    csrf = csrf_of(a.get("/admin/users").text)
    assert a.post("/admin/users", {"csrf": csrf, "username": "leaver"}).status == 200
    assert 'id="delete-leaver"' not in a.get("/admin/users").text  # only once disabled
    assert a.post("/admin/users/leaver/disable", {"csrf": csrf}).status == 303
    page = a.get("/admin/users").text
    assert 'id="delete-leaver"' in page and "data-confirm" in page
    r = a.post("/admin/users/leaver/delete", {"csrf": csrf})
    assert r.status == 303 and r.header("Location") == "/admin/users?done=deleted", r
    after = a.get("/admin/users?done=deleted").text
    assert "leaver" not in after and ("ユーザを削除しました。" in after or "The user was deleted." in after)
    assert site.db("SELECT disabled, deleted_at IS NOT NULL FROM admin_users WHERE username = 'leaver'") == [(1, 1)]
    assert a.post("/admin/users/leaver/delete", {"csrf": csrf}).status == 404  # gone
    assert a.post("/admin/users", {"csrf": csrf, "username": "leaver"}).status == 409  # never reused
    assert a.post("/admin/users/bob/delete", {"csrf": csrf}).status == 404  # other tenant
    assert a.post("/admin/users/alice/delete", {"csrf": csrf}).status == 400  # not oneself
    assert site.db("SELECT count(*) FROM admin_users WHERE username IN ('bob', 'alice') AND deleted_at IS NULL") == [(2,)]
    assert ("admin.delete", "admin:alice") in set(site.db(
        "SELECT action, actor FROM audit_log WHERE object = 'admin:leaver'"))
