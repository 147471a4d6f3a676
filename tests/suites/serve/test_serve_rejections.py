"""Issue 4, the rejection matrix: every one of these is refused on renewal (API and form), every
time, and no successor appears. Refused means the TLS handshake fails or the status is 4xx.

- no certificate; expired; not yet valid; revoked (also on a resumed TLS session, the
  revocation made while the client held it); a foreign CA's certificate with an identical
  subject; serverAuth-only certificates (a foreign one, and our own server certificate, whose
  key the test decrypts with the operator passphrase); CA:TRUE certificates (a foreign one, and
  our own issuing CA's); a tenant-admin certificate on self-service renewal.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers import run
from serve_support import curl, not_before_for, p12_to_pem, s_client_request

SUBJECT = "/O=Acme Care/CN=matrix"




def issue(ca, cn, days_left, *extra):
    return ca.issue("acme", cn, ca.root / "issued", "--key", "ec-p256", "--not-before",
                    not_before_for(days_left) if isinstance(days_left, int) else days_left, *extra)


def openssl(*args):
    return run(["openssl", *args])


@pytest.fixture(scope="module")
def foreign(ca):
    """A foreign CA and certificates from it: the same subject as ours, serverAuth only, CA:TRUE."""
    d = ca.root / "foreign"
    d.mkdir(exist_ok=True)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", d / "ca.key", "-out", d / "ca.pem", "-days", "365",
            "-subj", "/O=Acme Care/CN=Suite Test CA Issuing CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    out = {}
    for name, ext in (("same-subject", "extendedKeyUsage=clientAuth\nbasicConstraints=critical,CA:FALSE"),
                      ("server-only", "extendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE"),
                      ("ca-true", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,digitalSignature")):
        (d / f"{name}.ext").write_text(ext + "\n")
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", d / f"{name}.key", "-out", d / f"{name}.csr", "-subj", SUBJECT)
        openssl("x509", "-req", "-in", d / f"{name}.csr", "-CA", d / "ca.pem", "-CAkey", d / "ca.key",
                "-CAcreateserial", "-days", "30", "-extfile", d / f"{name}.ext", "-out", d / f"{name}.pem")
        out[name] = (d / f"{name}.pem", d / f"{name}.key")
    return out


def own_key_pem(ca, sql, out: Path) -> Path:
    """Decrypt one of our encrypted PKCS#8 keys with the operator passphrase (test only)."""
    enc = out.with_suffix(".enc.pem")
    enc.write_text(ca.sql(sql).strip() + "\n")
    run(["openssl", "pkey", "-in", enc, "-passin", f"file:{ca.passfile}", "-out", out])
    return out


@pytest.fixture(scope="module")
def ours(ca, server):
    """Our own serverAuth-only server certificate and our issuing CA certificate, with keys."""
    d = ca.root / "ours"
    d.mkdir(exist_ok=True)
    (d / "server.pem").write_text(ca.sql("SELECT value FROM settings WHERE key='web.server_cert_pem'").strip() + "\n")
    own_key_pem(ca, "SELECT value FROM settings WHERE key='web.server_key_pem'", d / "server.key")
    (d / "issuing.pem").write_text(ca.chain()[0])
    own_key_pem(ca, "SELECT encrypted_key_pem FROM cas WHERE role='issuing' AND active=1", d / "issuing.key")
    return {"server-cert": (d / "server.pem", d / "server.key"),
            "issuing-ca": (d / "issuing.pem", d / "issuing.key")}


def attempts(server, **cred):
    """(API renewal, form renewal, API me) replies for one credential."""
    api = curl(server, "/api/v1/renew", method="POST", data="{}", content_type="application/json", **cred)
    form = curl(server, "/renew", method="POST", data="csrf=" + "a" * 64,
                content_type="application/x-www-form-urlencoded", **cred)
    return api, form


def assert_refused(ca, server, serial=None, **cred):
    for _ in range(2):  # every time
        api, form = attempts(server, **cred)
        assert api.refused, ("API renewal was not refused", api)
        assert form.refused, ("form renewal was not refused", form)
    if serial:
        assert ca.json("show", serial, "--format", "json")["successor"] is None


def test_positive_control_inkan_certificate_is_accepted(ca, server):
    c = issue(ca, "control", 30)
    r = curl(server, "/api/v1/renew", p12=c["p12"], password=c["password"], method="POST",
             data="{}", content_type="application/json")
    assert r.status == 200, r


def test_no_certificate(ca, server):
    api, form = attempts(server)
    assert api.status == 401 and form.status == 403, (api, form)


def test_expired(ca, server):
    c = issue(ca, "lapsed", -2)
    assert_refused(ca, server, c["serial"], p12=c["p12"], password=c["password"])
    page = curl(server, "/", p12=c["p12"], password=c["password"])
    assert page.status == 403 and "有効期限が切れています" in page.text  # the explanation only
    assert curl(server, "/api/v1/renew", p12=c["p12"], password=c["password"], method="POST",
                data="{}", content_type="application/json").json()["error"] == "expired"


def test_not_yet_valid(ca, server):
    import datetime as dt
    future = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    c = issue(ca, "future", future)
    assert_refused(ca, server, c["serial"], p12=c["p12"], password=c["password"])


def test_revoked(ca, server):
    c = issue(ca, "revoked", 30)
    ca.run("revoke", c["serial"], "--reason", "unspecified")
    assert_refused(ca, server, c["serial"], p12=c["p12"], password=c["password"])


@pytest.mark.parametrize("tls", ["-tls1_2", "-tls1_3"])
def test_revoked_while_holding_a_resumable_session(ca, server, tls, tmp_path):
    c = issue(ca, "resumer" + tls, 30)
    pem = p12_to_pem(Path(c["p12"]), c["password"], tmp_path / "client.pem")
    sess = tmp_path / "session.pem"
    first = s_client_request(server, pem, "/api/v1/me", sess_out=sess, tls=tls)
    assert "HTTP/1.1 200" in first, first[-3000:]
    assert sess.exists() and sess.stat().st_size > 0, "s_client saved no session"
    ca.run("revoke", c["serial"], "--reason", "keyCompromise")
    second = s_client_request(server, pem, "/api/v1/me", sess_in=sess, tls=tls)
    assert "Reused" in second, "the session was not resumed:\n" + second[-3000:]
    assert "HTTP/1.1 403" in second and '"revoked"' in second, second[-3000:]


def test_foreign_ca_with_identical_subject(ca, server, foreign):
    cert, key = foreign["same-subject"]
    assert_refused(ca, server, cert_pem=cert, key_pem=key)
    page = curl(server, "/", cert_pem=cert, key_pem=key)
    assert page.refused, page


@pytest.mark.parametrize("which", ["server-only", "ca-true"])
def test_foreign_server_only_and_ca_certificates(ca, server, foreign, which):
    cert, key = foreign[which]
    assert_refused(ca, server, cert_pem=cert, key_pem=key)


@pytest.mark.parametrize("which", ["server-cert", "issuing-ca"])
def test_our_own_server_and_ca_certificates(ca, server, ours, which):
    cert, key = ours[which]
    assert_refused(ca, server, cert_pem=cert, key_pem=key)


def test_tenant_admin_on_self_service(ca, server):
    c = issue(ca, "admin", 30, "--kind", "tenant-admin")
    assert_refused(ca, server, c["serial"], p12=c["p12"], password=c["password"])
    api = curl(server, "/api/v1/renew", p12=c["p12"], password=c["password"], method="POST",
               data="{}", content_type="application/json")
    assert api.status == 403 and api.json()["error"] == "administrator_only"
