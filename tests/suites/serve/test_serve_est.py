"""Issue 4, EST (RFC 7030) over real mutual TLS on loopback: /cacerts is PKCS#7, simplereenroll
returns a certificate for the CSR's key and records the lineage, a CSR with another subject is
refused, and a repeated request is answered consistently (same key: the same certificate;
another key after a renewal: 409)."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from helpers import run
from serve_support import b64_body_to_der, curl, not_before_for, p12_to_pem

EST = "/.well-known/est"




def device(ca, cn, tmp_path, days_left=30):
    c = ca.issue("acme", cn, ca.root / "issued", "--key", "ec-p256", "--not-before",
                 not_before_for(days_left))
    c["pem"] = p12_to_pem(Path(c["p12"]), c["password"], tmp_path / f"{cn}.pem")
    return c


def make_csr(tmp_path, name, subject):
    key, csr = tmp_path / f"{name}.key", tmp_path / f"{name}.csr.der"
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-subj", subject, "-outform", "DER", "-out", csr])
    return key, base64.encodebytes(csr.read_bytes()).decode()


def reenroll(server, dev, body, content_type="application/pkcs10"):
    return curl(server, f"{EST}/simplereenroll", cert_pem=dev["pem"], method="POST", data=body,
                content_type=content_type)


def certs_of(reply, tmp_path) -> str:
    assert "application/pkcs7-mime" in reply.headers, reply.headers
    der = tmp_path / "reply.p7b"
    der.write_bytes(b64_body_to_der(reply))
    return run(["openssl", "pkcs7", "-inform", "DER", "-in", der, "-print_certs"]).stdout


def test_cacerts_is_pkcs7_with_our_chain(ca, server, tmp_path):
    r = curl(server, f"{EST}/cacerts")
    assert r.status == 200, r
    text = certs_of(r, tmp_path)
    subjects = re.findall(r"subject=(.+)", text)
    assert len(subjects) == 2, text
    assert any("Issuing CA" in s for s in subjects) and any("Root CA" in s for s in subjects)


def test_simplereenroll_returns_a_certificate_for_the_csr_key(ca, server, tmp_path):
    dev = device(ca, "device1", tmp_path)
    key, body = make_csr(tmp_path, "new", "/O=Acme Care/CN=device1")
    r = reenroll(server, dev, body)
    assert r.status == 200, r
    leaf = tmp_path / "leaf.pem"
    leaf.write_text(certs_of(r, tmp_path))
    cert_pub = run(["openssl", "x509", "-in", leaf, "-noout", "-pubkey"]).stdout
    key_pub = run(["openssl", "pkey", "-in", key, "-pubout"]).stdout
    assert cert_pub == key_pub
    serial = run(["openssl", "x509", "-in", leaf, "-noout", "-serial"]).stdout.split("=")[1].strip()
    old = ca.json("show", dev["serial"], "--format", "json")
    assert old["successor"] == serial and old["status"] == "superseded"
    assert ca.json("show", serial, "--format", "json")["predecessor"] == dev["serial"]
    subject = run(["openssl", "x509", "-in", leaf, "-noout", "-subject", "-nameopt", "RFC2253"]).stdout
    assert "CN=device1" in subject and "O=Acme Care" in subject

    # The same request again (a retry): the same certificate. Another key: 409.
    again = reenroll(server, dev, body)
    assert again.status == 200 and certs_of(again, tmp_path) == leaf.read_text()
    _, other = make_csr(tmp_path, "other", "/O=Acme Care/CN=device1")
    assert reenroll(server, dev, other).status == 409


def test_csr_with_the_current_key_is_refused(ca, server, tmp_path):
    """Issue 14 item 3: a CSR made from the presented certificate's own key got a new certificate
    with the same public key, so a key could live for ever through renewals. Now 409, nothing
    issued, and the message says a new key pair is needed."""
    dev = device(ca, "device-samekey", tmp_path)
    csr = tmp_path / "same.csr.der"
    run(["openssl", "req", "-new", "-key", dev["pem"], "-subj", "/O=Acme Care/CN=device-samekey",
         "-outform", "DER", "-out", csr])
    r = reenroll(server, dev, base64.encodebytes(csr.read_bytes()).decode())
    assert r.status == 409, r
    text = r.body.decode()
    assert "new key pair" in text and dev["serial"].upper() in text.upper(), text
    assert ca.json("show", dev["serial"], "--format", "json")["successor"] is None
    # A fresh key still works afterwards.
    _, body = make_csr(tmp_path, "fresh", "/O=Acme Care/CN=device-samekey")
    assert reenroll(server, dev, body).status == 200


def test_csr_with_another_subject_is_refused(ca, server, tmp_path):
    dev = device(ca, "device2", tmp_path)
    for subject in ("/O=Acme Care/CN=device3", "/O=Other/CN=device2", "/CN=device2"):
        _, body = make_csr(tmp_path, "wrong", subject)
        r = reenroll(server, dev, body)
        assert r.status == 400, (subject, r)
    assert ca.json("show", dev["serial"], "--format", "json")["successor"] is None


def test_simplereenroll_needs_a_current_certificate_and_pkcs10(ca, server, tmp_path):
    dev = device(ca, "device4", tmp_path)
    _, body = make_csr(tmp_path, "d4", "/O=Acme Care/CN=device4")
    assert curl(server, f"{EST}/simplereenroll", method="POST", data=body,
                content_type="application/pkcs10").status == 401
    assert reenroll(server, dev, body, content_type="application/json").status == 415
    assert reenroll(server, dev, "not base64 !").status == 400
    early = device(ca, "device5", tmp_path, days_left=400)
    _, body5 = make_csr(tmp_path, "d5", "/O=Acme Care/CN=device5")
    assert reenroll(server, early, body5).status == 403
