"""Issue 18, item 5, the management site's gaps: the operator edits a tenant's renewal window on
テナント情報 (audited, `inkan tenant list` sees it), a tenant administrator cannot (no form; a
hand-made POST is 404); the issue form takes validity and not-before with the CLI's rules; a
download keeps a Japanese CN in RFC 6266 filename*. Password logins (`--admin-client-cert off`)."""
from __future__ import annotations

import pytest

from admin_support import Browser, csrf_of
from helpers import write_secret
from serve_support import Server

PASSWORD = "tenant-settings-passw0rd"


@pytest.fixture(scope="module")
def site(make_inkan):
    ink = make_inkan("admin-tenant-settings")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    pw = write_secret(ink.root / "pw.txt", PASSWORD)
    ink.run("user", "add", "unyo", "--operator", "--password-file", pw)
    ink.run("user", "add", "kanri", "--tenant", "acme", "--password-file", pw)
    server = Server(ink, "--admin-client-cert", "off")
    yield ink, server
    server.stop()


def logged_in(server, user) -> Browser:
    return Browser.logged_in(server, user, PASSWORD)


def window_of(ink, tenant):
    return {t["id"]: t for t in ink.json("tenant", "list", "--format", "json")}[tenant]["renewal_window_days"]


def test_the_operator_changes_the_renewal_window_and_resets_it(site):
    ink, server = site
    op = logged_in(server, "unyo")
    page = op.get("/admin/tenant")
    assert 'name="renewal-window"' in page.text and 'id="window-acme"' in page.text
    r = op.post("/admin/tenant/acme/renewal-window", {"csrf": csrf_of(page.text), "days": "45"})
    assert r.status in (302, 303) and r.header("Location").endswith("/admin/tenant?done=window"), r
    assert window_of(ink, "acme") == 45
    page = op.get("/admin/tenant?done=window")
    assert 'id="flash"' in page.text and "45" in page.text
    entries = ink.json("audit", "--action", "tenant.policy", "--format", "json")["entries"]
    assert entries[0]["actor"] == "admin:unyo" and entries[0]["detail"] == "renewal_window_days=45", entries
    for bad in ("0", "366", "soon"):
        assert op.post("/admin/tenant/acme/renewal-window", {"csrf": op.csrf("/admin/tenant"), "days": bad}).status == 400
    assert op.post("/admin/tenant/nosuch/renewal-window", {"csrf": op.csrf("/admin/tenant"), "days": "30"}).status == 404
    op.post("/admin/tenant/acme/renewal-window", {"csrf": op.csrf("/admin/tenant"), "days": "default"})
    assert window_of(ink, "acme") is None


def test_a_tenant_administrator_cannot_change_it(site):
    ink, server = site
    before = window_of(ink, "acme")
    admin = logged_in(server, "kanri")
    page = admin.get("/admin/tenant")
    assert page.status == 200 and 'name="renewal-window"' not in page.text
    r = admin.post("/admin/tenant/acme/renewal-window", {"csrf": csrf_of(page.text), "days": "10"})
    assert r.status == 404, r
    assert window_of(ink, "acme") == before
    # Without the CSRF token nothing happens either.
    assert admin.post("/admin/tenant/acme/renewal-window", {"days": "10"}).status == 403


def test_issue_form_takes_validity_and_not_before_with_the_cli_rules(site):
    import re
    import urllib.parse
    ink, server = site
    op = logged_in(server, "unyo")
    form = op.get("/admin/certificates/new")
    assert 'id="issue-validity"' in form.text and 'id="issue-not-before"' in form.text
    csrf = csrf_of(form.text)
    base = {"csrf": csrf, "tenant": "acme", "kind": "terminal", "key": "ec-p256", "profile": "compat"}
    r = op.post("/admin/certificates/new", {**base, "cn": "端末-テスト", "validity": "90d", "not_before": "2026-01-01"})
    assert r.status == 201, r
    serial = re.search(r'id="new-serial"[^>]*>\s*(?:<code>)?([0-9A-F]+)', r.text).group(1)
    shown = ink.json("show", serial, "--format", "json")
    assert shown["not_before"] == "2026-01-01T00:00:00Z" and shown["not_after"] == "2026-04-01T00:00:00Z", shown
    for field, bad in (("validity", "three years"), ("validity", "0d"), ("not_before", "yesterday"), ("not_before", "1949-12-31")):
        r = op.post("/admin/certificates/new", {**base, "csrf": op.csrf("/admin/certificates/new"), "cn": "bad-" + field,
                                                field: bad})
        assert r.status == 400, (field, bad, r)
    # The download keeps the Japanese CN in filename* (RFC 6266), with an ASCII fallback.
    d = op.get(f"/admin/certificates/{serial}/p12")
    assert d.status == 200
    disposition = d.header("Content-Disposition")
    stem = f"acme_端末-テスト_{serial[:8]}"
    assert f"filename*=UTF-8''{urllib.parse.quote(stem, safe='')}.p12" in disposition, disposition
    assert 'filename="acme_' in disposition and all(ord(c) < 128 for c in disposition), disposition


def test_users_are_listed_50_a_page(site):
    import re
    ink, server = site
    pw = ink.root / "pw.txt"
    for i in range(60):
        ink.run("user", "add", f"user-{i:02d}", "--tenant", "acme", "--password-file", pw)
    op = logged_in(server, "unyo")
    first = op.get("/admin/users")
    names = re.findall(r'<tr data-user="([^"]+)"', first.text)
    total = int(re.search(r'id="users-total">(\d+)<', first.text).group(1))
    assert len(names) == 50 and total >= 62 and 'id="page-next"' in first.text and 'id="page-prev"' not in first.text
    second = op.get("/admin/users?page=2")
    more = re.findall(r'<tr data-user="([^"]+)"', second.text)
    assert len(more) == total - 50 and not set(names) & set(more) and 'id="page-prev"' in second.text
    assert op.get("/admin/users?page=zero").status == 400
