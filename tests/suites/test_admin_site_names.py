"""The management site's rough edges seen in a Japanese operator's first week (issue 16, item 16):
no download buttons for a credential that no longer works, no days left for a revoked
certificate, the facility's name instead of its id, 件 after the login-history count, and a
reveal button that says what it reveals."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from admin_support import Browser, client_pem
from helpers import write_secret
from serve_support import Server, not_before_for

FACILITY = "ひまわり介護センター"


@pytest.fixture(scope="module")
def site(make_inkan):
    ink = make_inkan("admin-names")
    ink.init(name="Names CA")
    ink.tenant_add("himawari", FACILITY)
    certs = {}
    for name, extra in (("admin", ["--kind", "tenant-admin"]), ("live", []),
                        ("expired", ["--not-before", not_before_for(-5)]), ("revoked", [])):
        c = ink.issue("himawari", name, ink.root / "issued", "--key", "ec-p256", *extra)
        c["pem"] = client_pem(Path(c["p12"]), c["password"], ink.root / "pem")
        certs[name] = c
    ink.run("revoke", certs["revoked"]["serial"], "--reason", "keyCompromise")
    password = "hanako has a long password 42"
    ink.run("user", "add", "hanako", "--tenant", "himawari", "--password-file",
            write_secret(ink.root / "hanako.pw", password))
    ink.run("user", "bind-certificate", "hanako", certs["admin"]["serial"])  # her certificate (issue 14 item 4)
    server = Server(ink)
    browser = Browser(server, certs["admin"]["pem"])
    r = browser.login("hanako", password)
    assert r.status == 303 and browser.session, r
    yield browser, certs
    server.stop()


def detail(site, name) -> str:
    browser, certs = site
    page = browser.get(f"/admin/certificates/{certs[name]['serial']}")
    assert page.status == 200, page
    return page.text


def test_live_certificate_offers_downloads_and_says_what_reveal_shows(site):
    text = detail(site, "live")
    assert 'id="download-p12"' in text and 'id="download-zip"' in text
    assert re.search(r'id="reveal">パスワードを確認する<', text), text
    assert 'id="no-download"' not in text


@pytest.mark.parametrize("name", ["expired", "revoked"])
def test_dead_credentials_offer_no_download(site, name):
    text = detail(site, name)
    assert 'id="download-p12"' not in text and 'id="download-zip"' not in text
    assert "有効期限切れまたは失効した証明書は使えないため、ダウンロードできません。" in text


def test_revoked_certificate_has_no_days_left(site):
    text = detail(site, "revoked")
    assert re.search(r'id="days-left">-<', text), text
    browser, certs = site
    listing = browser.get("/admin/certificates").text
    row = re.search(rf'<tr data-serial="{certs["revoked"]["serial"]}">.*?</tr>', listing, re.S).group(0)
    assert not re.search(r'class="num">\d+<', row), row


def test_the_facility_name_not_the_id(site):
    browser, _ = site
    top = browser.get("/admin/").text
    assert re.search(rf'id="whoami">hanako \({FACILITY}\)<', top), top
    history = browser.get("/admin/login-history").text
    assert FACILITY in history and ">himawari<" not in history


def test_login_history_count_says_ken(site):
    browser, _ = site
    history = browser.get("/admin/login-history").text
    assert re.search(r'<span id="total">\d+</span> 件', history), history
