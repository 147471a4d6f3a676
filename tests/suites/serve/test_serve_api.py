"""Issue 4, JSON API and public endpoints over real mutual TLS on loopback: /api/v1/me,
POST /api/v1/renew (JSON only: the API's CSRF defence; idempotent), /ca.pem and /crl."""
from __future__ import annotations

import base64

import pytest
from cryptography import x509

from helpers import p12_leaf, split_pem
from serve_support import curl, not_before_for




def issue(ca, cn, days_left=None, *extra):
    opts = ["--key", "ec-p256"]
    if days_left is not None:
        opts += ["--not-before", not_before_for(days_left)]
    return ca.issue("acme", cn, ca.root / "issued", *opts, *extra)


def renew(server, cert, body="{}"):
    return curl(server, "/api/v1/renew", p12=cert["p12"], password=cert["password"], method="POST",
                data=body, content_type="application/json")


def test_me_describes_the_presented_certificate(ca, server):
    c = issue(ca, "me30", 30)
    me = curl(server, "/api/v1/me", p12=c["p12"], password=c["password"]).json()
    assert me["serial"] == c["serial"] and me["status"] == "active"
    assert me["not_after"] == c["not_after"] and me["days_left"] in (29, 30)
    assert me["renewable"] is True and me["successor"] is None
    fresh = issue(ca, "me-fresh")
    me = curl(server, "/api/v1/me", p12=fresh["p12"], password=fresh["password"]).json()
    assert me["renewable"] is False and me["renewal"] == "too_early"
    assert curl(server, "/api/v1/me").status == 401


def test_renewal_through_the_api_is_idempotent_and_overlapping(ca, server, tmp_path):
    old = issue(ca, "api-user", 30)
    r = renew(server, old)
    assert r.status == 200, r
    got = r.json()
    for key in ("serial", "not_after", "p12", "password"):
        assert key in got, got
    assert got["already_renewed"] is False and got["predecessor"] == old["serial"]
    new_p12 = tmp_path / "new.p12"
    new_p12.write_bytes(base64.b64decode(got["p12"]))
    _, leaf, _ = p12_leaf(new_p12, got["password"])
    assert f"{leaf.serial_number:X}" == got["serial"].lstrip("0")

    me_new = curl(server, "/api/v1/me", p12=new_p12, password=got["password"]).json()
    assert me_new["serial"] == got["serial"] and me_new["status"] == "active"
    me_old = curl(server, "/api/v1/me", p12=old["p12"], password=old["password"]).json()
    assert me_old["status"] == "superseded" and me_old["successor"] == got["serial"]

    again = renew(server, old).json()
    assert again["serial"] == got["serial"] and again["password"] == got["password"]
    assert again["already_renewed"] is True


def test_modern_profile_on_request(ca, server):
    c = issue(ca, "api-modern", 30)
    got = renew(server, c, '{"p12_profile":"modern"}').json()
    assert got["p12_profile"] == "modern"


@pytest.mark.parametrize("content_type,body,status", [
    ("text/plain", "{}", 415),
    ("application/x-www-form-urlencoded", "p12_profile=modern", 415),
    ("multipart/form-data; boundary=x", "--x--", (400, 415)),  # httplib may refuse it first
    (None, "{}", 415),
    ("application/json", "", 400),
    ("application/json", "[]", 400),
    ("application/json", '{"p12_profile":"rc2"}', 400),
    ("application/json", '{"other":1}', 400),
    ("application/json", "{", 400),
])
def test_renew_accepts_json_only(ca, server, content_type, body, status):
    c = issue(ca, "json-only", 30, "--allow-duplicate")  # one terminal of that name per case
    r = curl(server, "/api/v1/renew", p12=c["p12"], password=c["password"], method="POST",
             data=body, content_type=content_type)
    assert r.status in (status if isinstance(status, tuple) else (status,)), r
    if r.body:
        assert "error" in r.json()
    assert ca.json("show", c["serial"], "--format", "json")["successor"] is None


def test_ca_pem_and_always_current_crl(ca, server):
    pem = curl(server, "/ca.pem")
    assert pem.status == 200
    served = split_pem(pem.text)
    issuing_pem, root_pem = ca.chain()
    assert served == [issuing_pem, root_pem] or set(served) == {issuing_pem, root_pem}, served
    issuing = x509.load_pem_x509_certificate(issuing_pem.encode())

    c = issue(ca, "to-revoke", 30)
    crl = x509.load_der_x509_crl(curl(server, "/crl").body)
    assert crl.issuer == issuing.subject
    assert crl.is_signature_valid(issuing.public_key())
    assert crl.get_revoked_certificate_by_serial_number(int(c["serial"], 16)) is None
    ca.run("revoke", c["serial"], "--reason", "keyCompromise")
    crl2 = x509.load_der_x509_crl(curl(server, "/crl").body)
    assert crl2.get_revoked_certificate_by_serial_number(int(c["serial"], 16)) is not None
    bundle = curl(server, "/crl.pem").text
    assert bundle.count("-----BEGIN X509 CRL-----") == 2  # the issuing CA's and the root's
