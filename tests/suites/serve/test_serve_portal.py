"""Issue 4, self-service portal over real mutual TLS on loopback: the banner inside the renewal
window, renewal through the form (CSRF token from GET /), the download of the successor only,
the password reveal without script, language negotiation, and what the access log holds."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from helpers import p12_leaf, run
from serve_support import curl, not_before_for

BANNER = "クライアント証明書の有効期限が近づいています。"




def issue(ca, cn, days_left=None, *extra):
    opts = ["--key", "ec-p256"]
    if days_left is not None:
        opts += ["--not-before", not_before_for(days_left)]
    return ca.issue("acme", cn, ca.root / "issued", *opts, *extra)


def show(ca, serial):
    return ca.json("show", serial, "--format", "json")


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert m, f"no CSRF token in the page:\n{html[:2000]}"
    return m.group(1)


def test_no_certificate_explains_how_to_select_one(server):
    r = curl(server, "/")
    assert r.status == 200, r
    assert "クライアント証明書が選択されていません" in r.text
    r = curl(server, "/", headers=["Accept-Language: en-US,en;q=0.9"])
    assert "No client certificate was presented" in r.text


def test_30_days_left_sees_the_banner_in_japanese_and_english(ca, server):
    c = issue(ca, "client300", 30)
    r = curl(server, "/", p12=c["p12"], password=c["password"])
    assert r.status == 200, r
    assert BANNER in r.text
    assert "[更新]" not in r.text and ">更新<" in r.text and ">閉じる<" in r.text
    assert "client300" in r.text and "Acme Care" in r.text and c["serial"] in r.text
    assert re.search(r'id="days-left">(29|30)<', r.text), r.text

    en = curl(server, "/", p12=c["p12"], password=c["password"],
              headers=["Accept-Language: en;q=0.9, ja;q=0.5"])
    assert "Your client certificate expires soon." in en.text and 'lang="en"' in en.text
    # The language switch sets a cookie that wins over Accept-Language.
    sw = curl(server, "/lang/en")
    assert sw.status == 303 and "__Host-inkan-lang=en" in sw.headers
    assert "Secure" in sw.headers and "HttpOnly" in sw.headers and "SameSite=Strict" in sw.headers
    ja_header_en_cookie = curl(server, "/", p12=c["p12"], password=c["password"],
                               headers=["Accept-Language: ja"], cookies="__Host-inkan-lang=en")
    assert "Your client certificate expires soon." in ja_header_en_cookie.text


def test_close_hides_the_banner_without_script(ca, server):
    c = issue(ca, "closer", 20)
    r = curl(server, "/banner/close", p12=c["p12"], password=c["password"])
    assert r.status == 303, r
    cookie = re.search(r"(__Host-inkan-banner=[0-9A-F]+)", r.headers).group(1)
    assert cookie.endswith(c["serial"])
    r = curl(server, "/", p12=c["p12"], password=c["password"], cookies=cookie)
    assert BANNER not in r.text and 'id="renew"' in r.text  # the renew form stays


def test_fresh_certificate_has_no_banner(ca, server):
    c = issue(ca, "fresh")
    r = curl(server, "/", p12=c["p12"], password=c["password"])
    assert r.status == 200 and BANNER not in r.text
    assert 'id="too-early"' in r.text and 'name="csrf"' not in r.text


def test_form_renewal_download_reveal_and_overlap(ca, server, tmp_path):
    old = issue(ca, "formuser", 30)
    page = curl(server, "/", p12=old["p12"], password=old["password"])
    token = csrf_of(page.text)
    r = curl(server, "/renew", p12=old["p12"], password=old["password"], method="POST",
             data=f"csrf={token}&profile=compat",
             content_type="application/x-www-form-urlencoded")
    assert r.status == 200, r
    assert "証明書の更新に成功しました。" in r.text
    assert ">こちら</a>" in r.text and "<summary>確認する</summary>" in r.text
    assert ".p12 ファイルとパスワードを一緒に保管" in r.text
    for os_name in ("Windows", "macOS", "Linux"):
        assert f"<h4>{os_name}</h4>" in r.text
    assert "<script" not in r.text.lower()
    new_serial = re.search(r'id="new-serial">([0-9A-F]+)<', r.text).group(1)
    password = html.unescape(re.search(r'id="password">([^<]+)<', r.text).group(1))
    link = html.unescape(re.search(r'id="download" href="([^"]+)"', r.text).group(1))
    assert link.startswith(f"/download/{new_serial}.p12")
    assert show(ca, old["serial"])["successor"] == new_serial

    dl = curl(server, link, p12=old["p12"], password=old["password"])
    assert dl.status == 200, dl
    assert "attachment" in dl.headers and ".p12" in dl.headers
    new_p12 = tmp_path / "new.p12"
    new_p12.write_bytes(dl.body)
    _, leaf, _ = p12_leaf(new_p12, password)
    assert f"{leaf.serial_number:X}" == new_serial.lstrip("0")

    # curl authenticates with the new p12; the old one keeps working (superseded).
    me = curl(server, "/api/v1/me", p12=new_p12, password=password).json()
    assert me["serial"] == new_serial and me["status"] == "active"
    old_page = curl(server, "/", p12=old["p12"], password=old["password"])
    assert old_page.status == 200 and 'id="already-renewed"' in old_page.text

    # A second renewal from the old certificate hands out the same successor.
    again = curl(server, "/renew", p12=old["p12"], password=old["password"], method="POST",
                 data=f"csrf={csrf_of(old_page.text)}",
                 content_type="application/x-www-form-urlencoded")
    assert again.status == 200, again
    assert re.search(r'id="new-serial">([0-9A-F]+)<', again.text).group(1) == new_serial
    assert html.unescape(re.search(r'id="password">([^<]+)<', again.text).group(1)) == password


def test_form_without_valid_csrf_token_is_refused(ca, server):
    c = issue(ca, "csrfless", 30)
    for body in ("", "csrf=", "csrf=" + "0" * 64, "profile=compat"):
        r = curl(server, "/renew", p12=c["p12"], password=c["password"], method="POST", data=body,
                 content_type="application/x-www-form-urlencoded")
        assert r.status == 403, (body, r)
    # A token is bound to the certificate: another certificate's token does not work.
    other = issue(ca, "csrf-other", 30)
    token = csrf_of(curl(server, "/", p12=other["p12"], password=other["password"]).text)
    r = curl(server, "/renew", p12=c["p12"], password=c["password"], method="POST",
             data=f"csrf={token}", content_type="application/x-www-form-urlencoded")
    assert r.status == 403, r
    assert show(ca, c["serial"])["successor"] is None


def test_download_is_only_for_the_presented_certificates_successor(ca, server):
    a = issue(ca, "dl-a", 30)
    b = issue(ca, "dl-b", 30)
    r = curl(server, "/download/" + b["serial"] + ".p12", p12=a["p12"], password=a["password"])
    assert r.status == 404, r
    r = curl(server, "/download/" + a["serial"] + ".p12")
    assert r.status == 403, r


def test_p12_profile_follows_the_user_agent_with_a_switch(ca, server):
    # Delivered as `modern`: the User-Agent decides whether this platform can read it again.
    c = issue(ca, "ua", 30, "--p12-profile", "modern")
    cases = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0": "modern",
        "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0": "modern",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605": "compat",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)": "compat",
        "Mozilla/5.0 (Linux; Android 13) Chrome/120.0": "compat",
        "Mozilla/5.0 (Windows NT 6.1; Win64; x64)": "compat",
    }
    for ua, want in cases.items():
        r = curl(server, "/", p12=c["p12"], password=c["password"], headers=[f"User-Agent: {ua}"])
        assert re.search(rf'value="{want}" checked', r.text), (ua, want)
        assert 'value="compat"' in r.text and 'value="modern"' in r.text  # the switch


def test_tenant_admin_is_renewed_by_administrators(ca, server):
    c = issue(ca, "admin1", 30, "--kind", "tenant-admin")
    r = curl(server, "/", p12=c["p12"], password=c["password"])
    assert r.status == 200 and 'id="admin-only"' in r.text
    assert BANNER not in r.text and 'name="csrf"' not in r.text


def test_headers_and_access_log(ca, server):
    c = issue(ca, "logged", 30)
    r = curl(server, "/?profile=modern&token=sekrit-value", p12=c["p12"], password=c["password"])
    csp = re.search(r"(?im)^content-security-policy: (.+)$", r.headers).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "script-src" not in csp
    assert re.search(r"(?im)^x-content-type-options: nosniff", r.headers)
    assert re.search(r"(?im)^cache-control: no-store", r.headers)
    css = curl(server, "/static/style.css")
    assert css.status == 200 and "text/css" in css.headers
    log = server.log_text()
    assert re.search(r'"GET /" 200 \d+ \d+ms serial=' + c["serial"], log), log[-2000:]
    assert "sekrit" not in log and "?profile" not in log
    assert c["password"] not in log


WINDOWS_10 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"


def pbe_of(p12: Path, password: str) -> str:
    """`compat` (3DES) or `modern` (PBES2), read back with openssl from the p12 itself."""
    info = run(["openssl", "pkcs12", "-info", "-noout", "-legacy", "-in", p12, "-passin",
                f"pass:{password}"])
    text = info.stdout + info.stderr
    if "PBES2" in text:
        return "modern"
    assert "pbeWithSHA1And3-KeyTripleDES-CBC" in text, text
    return "compat"


def renew_in_portal(server, c, tmp_path, ua, profile):
    page = curl(server, "/", p12=c["p12"], password=c["password"], headers=[f"User-Agent: {ua}"])
    r = curl(server, "/renew", p12=c["p12"], password=c["password"], method="POST",
             data=f"csrf={csrf_of(page.text)}&profile={profile}", headers=[f"User-Agent: {ua}"],
             content_type="application/x-www-form-urlencoded")
    assert r.status == 200, r
    password = html.unescape(re.search(r'id="password">([^<]+)<', r.text).group(1))
    link = html.unescape(re.search(r'id="download" href="([^"]+)"', r.text).group(1))
    dl = curl(server, link, p12=c["p12"], password=c["password"])
    out = tmp_path / (c["serial"] + "-successor.p12")
    out.write_bytes(dl.body)
    return pbe_of(out, password)


def test_renewal_keeps_the_delivered_compat_profile(ca, server, tmp_path):
    """Issue 16, item 4: a compat certificate renewed from Windows 10 stays compat (the operator
    guide's default) unless the user picks modern; the form preselects compat."""
    c = issue(ca, "keeps-compat", 30)
    page = curl(server, "/", p12=c["p12"], password=c["password"], headers=[f"User-Agent: {WINDOWS_10}"])
    assert re.search(r'value="compat" checked', page.text), page.text
    assert re.search(r'name="profile" value="compat">', page.text)  # the banner's hidden field
    assert renew_in_portal(server, c, tmp_path, WINDOWS_10, "compat") == "compat"
    # The switch still works: the user may pick modern.
    other = issue(ca, "picks-modern", 30)
    assert renew_in_portal(server, other, tmp_path, WINDOWS_10, "modern") == "modern"


def test_modern_is_not_offered_where_it_cannot_be_read(ca, server):
    c = issue(ca, "modern-on-mac", 30, "--p12-profile", "modern")
    mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605"
    page = curl(server, "/", p12=c["p12"], password=c["password"], headers=[f"User-Agent: {mac}"])
    assert re.search(r'value="compat" checked', page.text)
    page = curl(server, "/", p12=c["p12"], password=c["password"], headers=[f"User-Agent: {WINDOWS_10}"])
    assert re.search(r'value="modern" checked', page.text)


def test_a_renewed_certificates_banner_says_install_the_new_one(ca, server):
    """Issue 16, item 4: after renewal the predecessor's banner no longer says "expires soon"."""
    c = issue(ca, "renewed-banner", 30)
    page = curl(server, "/", p12=c["p12"], password=c["password"])
    curl(server, "/renew", p12=c["p12"], password=c["password"], method="POST",
         data=f"csrf={csrf_of(page.text)}&profile=compat", content_type="application/x-www-form-urlencoded")
    after = curl(server, "/", p12=c["p12"], password=c["password"])
    assert BANNER not in after.text
    assert "クライアント証明書は更新済みです。新しい証明書をインポートしてください。" in after.text
    assert re.search(r'id="banner-renew">新しい証明書を表示<', after.text), after.text
    en = curl(server, "/", p12=c["p12"], password=c["password"], headers=["Accept-Language: en"])
    assert "Your client certificate has been renewed: install the new certificate." in en.text


def test_no_certificate_page_explains_expired_certificates(server):
    """Issue 16, item 3: browsers do not offer an expired certificate, so the page that says no
    certificate was chosen must also say what to do when it has expired."""
    r = curl(server, "/")
    assert "有効期限が切れた証明書は、ブラウザの証明書の選択画面に表示されません。" in r.text
    assert "施設の管理者に証明書の再発行を依頼してください。" in r.text
    en = curl(server, "/", headers=["Accept-Language: en"])
    assert "Browsers do not offer an expired certificate at all." in en.text
