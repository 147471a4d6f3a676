"""Issue 16 item 10: printable password slips. `inkan slips` writes a tenant's (or one batch job's)
slips as an HTML file created 0600, every password exactly once, a hostile CN escaped, the reveal
audited; the management site's POST /admin/slips gives a tenant administrator their own tenant
only (another tenant's job is 404, the form's tenant is ignored), with Cache-Control: no-store,
the CSRF token required, and the reveal audited. Password logins (`--admin-client-cert off`)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from admin_support import Browser, csrf_of
from helpers import describe, write_secret
from serve_support import Server

PASSWORD = "slips-site-passw0rd"
HOSTILE = '<script>alert(1)</script>&"x\''


def passwords_of(ink, tenant) -> dict[str, str]:
    """serial -> password, through `inkan password` (the documented way to read one)."""
    out = {}
    for c in ink.json("list", "--tenant", tenant, "--status", "active", "--format", "json"):
        if c["has_credential"] and c["kind"] != "operator":
            out[c["serial"]] = ink.run("password", c["serial"]).stdout.strip()
    return out


@pytest.fixture(scope="module")
def ink(make_inkan):
    ink = make_inkan("slips")
    ink.init()
    ink.tenant_add("himawari", "ひまわり苑")
    ink.tenant_add("sakura", "さくら園")
    csv = ink.root / "rows.csv"
    csv.write_text("tenant,cn,kind,email\r\n" + "".join(f"himawari,事務室PC-{i},,\r\n" for i in range(3)) +
                   "sakura,さくら-1,,\r\n", encoding="utf-8")
    ink.run("batch", "issue", "--from", csv, "--key", "ec-p256", "--out", ink.root / "batch")
    ink.issue("himawari", HOSTILE, ink.root / "one", "--key", "ec-p256")
    return ink


def job_id(ink) -> int:
    import json
    return json.loads((ink.root / "batch" / "manifest.json").read_text())["job"]["id"]


def test_cli_writes_every_password_once_0600_with_the_cn_escaped(ink):
    out = ink.root / "slips.html"
    proc = ink.run("slips", "--tenant", "himawari", "--out", out)
    assert "Wrote 4 password slips" in proc.stderr, describe(proc)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    page = out.read_text()
    expected = passwords_of(ink, "himawari")
    assert len(expected) == 4
    for serial, password in expected.items():
        assert page.count(password) == 1, (serial, page.count(password))
        assert f'data-serial="{serial}"' in page
    for other in passwords_of(ink, "sakura").values():
        assert other not in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&amp;&quot;x&#39;" in page
    assert page.count('class="slip"') == 4 and page.count('<hr class="cut">') == 5
    assert "ひまわり苑" in page and "@page { size: A4" in page and "break-inside: avoid" in page
    assert "ダブルクリック" in page and "Double-click" in page
    # Never overwritten, and the reveal is audited.
    again = ink.fail("slips", "--tenant", "himawari", "--out", out)
    assert again.returncode == 4 and "refusing to overwrite" in again.stderr, describe(again)
    entries = ink.json("audit", "--action", "password.reveal", "--format", "json")["entries"]
    assert any(e["object"] == "tenant:himawari" and "password slips for 4" in e["detail"] for e in entries), entries


def test_cli_slips_of_one_batch_job(ink):
    out = ink.root / "job.html"
    ink.run("slips", "--tenant", "himawari", "--job", str(job_id(ink)), "--out", out)
    page = out.read_text()
    assert page.count('class="slip"') == 3 and "事務室PC-0" in page and "alert" not in page
    # A job that issued nothing for the tenant is refused like an unknown one; nothing written.
    proc = ink.fail("slips", "--tenant", "himawari", "--job", "999", "--out", ink.root / "none.html")
    assert "batch job 999" in proc.stderr, describe(proc)
    assert not (ink.root / "none.html").exists()
    ink.fail("slips", "--tenant", "nosuch", "--out", ink.root / "none2.html")
    assert not (ink.root / "none2.html").exists()


@pytest.fixture(scope="module")
def site(ink):
    pw = write_secret(ink.root / "pw.txt", PASSWORD)
    ink.run("user", "add", "himawari-admin", "--tenant", "himawari", "--password-file", pw)
    ink.run("user", "add", "sakura-admin", "--tenant", "sakura", "--password-file", pw)
    ink.run("user", "add", "unyo", "--operator", "--password-file", pw)
    server = Server(ink, "--admin-client-cert", "off")
    yield server
    server.stop()


def logged_in(server, user) -> Browser:
    return Browser.logged_in(server, user, PASSWORD)


def test_the_tenant_administrator_prints_their_own_tenant_only(ink, site):
    b = logged_in(site, "himawari-admin")
    listing = b.get("/admin/certificates")
    assert 'id="slips-form"' in listing.text and 'id="slips-tenant"' not in listing.text
    token = csrf_of(listing.text)
    r = b.post("/admin/slips", {"csrf": token, "tenant": "sakura"})  # the form's tenant is ignored
    assert r.status == 200, r
    assert r.header("Cache-Control") == "no-store"
    assert "style-src 'self'" in r.header("Content-Security-Policy")
    for password in passwords_of(ink, "himawari").values():
        assert r.text.count(password) == 1
    for password in passwords_of(ink, "sakura").values():
        assert password not in r.text
    assert '<link rel="stylesheet" href="/admin/slips.css">' in r.text and "<style>" not in r.text
    css = b.get("/admin/slips.css")
    assert css.status == 200 and "size: A4" in css.text and css.header("Content-Type").startswith("text/css")
    # The batch job issued for both tenants: only this tenant's three.
    r = b.post("/admin/slips", {"csrf": token, "job": str(job_id(ink))})
    assert r.status == 200 and r.text.count('class="slip"') == 3, r
    entries = ink.json("audit", "--action", "password.reveal", "--format", "json")["entries"]
    assert any(e["actor"] == "admin:himawari-admin" and e["object"] == "tenant:himawari" for e in entries), entries


def test_other_tenants_and_bad_requests_are_refused(ink, site):
    b = logged_in(site, "sakura-admin")
    token = b.csrf("/admin/certificates")
    # sakura's administrator gets sakura's one slip, never himawari's.
    r = b.post("/admin/slips", {"csrf": token, "tenant": "himawari"})
    assert r.status == 200 and r.text.count('class="slip"') == 1 and "さくら-1" in r.text, r
    for password in passwords_of(ink, "himawari").values():
        assert password not in r.text
    assert b.post("/admin/slips", {"csrf": token, "job": "999"}).status == 404
    assert b.post("/admin/slips", {"csrf": token, "job": "1; drop"}).status == 400
    assert b.post("/admin/slips", {"csrf": "wrong", "job": ""}).status == 403
    anonymous = Browser(site)
    assert anonymous.post("/admin/slips", {"csrf": "x"}).status == 401
    # The operator names a tenant; an unknown one is 404, none is 400.
    op = logged_in(site, "unyo")
    token = op.csrf("/admin/certificates")
    assert 'id="slips-tenant"' in op.get("/admin/certificates").text
    assert op.post("/admin/slips", {"csrf": token, "tenant": "himawari"}).text.count('class="slip"') == 4
    assert op.post("/admin/slips", {"csrf": token, "tenant": "nosuch"}).status == 404
    assert op.post("/admin/slips", {"csrf": token}).status == 400
    assert re.search(r"password slips for 4", str(ink.json("audit", "--actor", "admin:unyo", "--format", "json")))
