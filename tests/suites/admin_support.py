"""Helpers for the management-site suite: a small HTTPS client over Python's ssl/http.client
with a real client certificate, its own cookie jar and a chosen loopback source address (the
throttles are keyed on the socket address)."""
from __future__ import annotations

import http.client
import re
import ssl
import urllib.parse
from pathlib import Path

from helpers import run

SESSION_COOKIE = "__Host-inkan-admin"
NONCE_COOKIE = "__Host-inkan-admin-login"


def client_pem(p12: Path, password: str, out_dir: Path) -> tuple[Path, Path]:
    """(leaf certificate PEM, private key PEM) out of an issued p12."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(p12).stem
    cert, key = out_dir / f"{stem}.crt.pem", out_dir / f"{stem}.key.pem"
    run(["openssl", "pkcs12", "-in", p12, "-passin", f"pass:{password}", "-clcerts", "-nokeys",
         "-out", cert])
    run(["openssl", "pkcs12", "-in", p12, "-passin", f"pass:{password}", "-nocerts", "-nodes",
         "-out", key])
    return cert, key


class Resp:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def __repr__(self):
        return f"<Resp {self.status} {self.text[:400]!r}>"


class Browser:
    """One user agent: client certificate (or none), cookies, source address, language."""

    def __init__(self, server, cert: tuple[Path, Path] | None = None, source: str = "127.0.0.1",
                 accept_language: str | None = None):
        self.server, self.source, self.accept_language = server, source, accept_language
        self.ctx = ssl.create_default_context(cafile=str(server.ca_file))
        if cert:
            self.ctx.load_cert_chain(str(cert[0]), str(cert[1]))
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None,
                cookies: bool = True) -> Resp:
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port, context=self.ctx,
                                           timeout=60, source_address=(self.source, 0))
        hdrs = {"Connection": "close"}
        if self.accept_language:
            hdrs["Accept-Language"] = self.accept_language
        if cookies and self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        hdrs.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=hdrs)
            r = conn.getresponse()
            resp = Resp(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        for line in resp.all("Set-Cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in line:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp

    def get(self, path: str, **kw) -> Resp:
        return self.request("GET", path, **kw)

    def post(self, path: str, form: dict, **kw) -> Resp:
        return self.request("POST", path, form=form, **kw)

    @property
    def session(self) -> str | None:
        return self.cookies.get(SESSION_COOKIE)

    def login_form(self) -> str:
        """GET /admin/login; returns the form's CSRF token (the nonce cookie is kept)."""
        r = self.get("/admin/login")
        assert r.status == 200, r
        return csrf_of(r.text)

    def login(self, username: str, password: str, token: str | None = None, **kw) -> Resp:
        token = token or self.login_form()
        return self.post("/admin/login", {"csrf": token, "username": username,
                                          "password": password}, **kw)

    @classmethod
    def logged_in(cls, server, username: str, password: str) -> "Browser":
        """A browser with a session of `username`: the login must succeed (a redirect)."""
        b = cls(server)
        r = b.login(username, password)
        assert r.status in (302, 303), r
        return b

    def csrf(self, path: str = "/admin/") -> str:
        r = self.get(path)
        assert r.status == 200, r
        return csrf_of(r.text)


def csrf_of(page: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert m, f"no CSRF token in the page:\n{page[:2000]}"
    return m.group(1)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def assert_security_headers(resp: Resp, what: str, authenticated: bool = True):
    csp = resp.header("Content-Security-Policy") or ""
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, f"{what}: CSP {csp!r}"
    assert "unsafe-inline" not in csp, f"{what}: CSP allows inline code: {csp!r}"
    for name, value in SECURITY_HEADERS.items():
        assert resp.header(name) == value, f"{what}: {name} is {resp.header(name)!r}"
    hsts = resp.header("Strict-Transport-Security") or ""
    assert hsts.startswith("max-age="), f"{what}: HSTS {hsts!r}"
    if authenticated:
        assert resp.header("Cache-Control") == "no-store", f"{what}: Cache-Control {resp.header('Cache-Control')!r}"
