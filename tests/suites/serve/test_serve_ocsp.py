"""Issue 20: the OCSP responder of `inkan serve`, checked by real clients.

`openssl ocsp` (POST and GET, SHA-1 and SHA-256 CertIDs, with and without a nonce) and python
`cryptography`'s OCSP loader verify every response against the chain: good, revoked (time and
reason), unknown, and certificates of the old issuing CA after a rollover. Malformed and
unauthorized requests get the unsigned statuses. `inkan ocsp --serial` writes the same response
offline. Loopback only."""
from __future__ import annotations

import base64
import socket
import datetime as dt
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from helpers import UTC, describe, free_port, p12_leaf, run, split_pem, verify_signed_by
from serve_support import Server

TENANT = "acme"


def leaf(ink, label: str) -> dict:
    it = ink.issue(TENANT, label, ink.root / "out", "--key", "ec-p256")
    _, cert, _ = p12_leaf(it["p12"], it["password"])
    pem = ink.root / f"{label}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return dict(it, cert=cert, pem=pem, serial_int=cert.serial_number)


def chain_files(ink, ca_id: int, where: Path) -> dict:
    certs = split_pem(ink.run("ca", "cert", "--ca", str(ca_id), "--chain").stdout)
    assert len(certs) == 2, certs
    where.mkdir(parents=True, exist_ok=True)
    (where / "issuing.pem").write_text(certs[0])
    (where / "root.pem").write_text(certs[1])
    (where / "chain.pem").write_text(certs[0] + certs[1])
    return dict(issuing=where / "issuing.pem", root=where / "root.pem", chain=where / "chain.pem",
                issuing_cert=x509.load_pem_x509_certificate(certs[0].encode()),
                root_cert=x509.load_pem_x509_certificate(certs[1].encode()))


def issuing_ids(ink) -> tuple[int, int]:
    cas = ink.cas()
    active = next(c["id"] for c in cas if c["role"] == "issuing" and c["active"])
    old = next(c["id"] for c in cas if c["role"] == "issuing" and not c["active"])
    return old, active


@pytest.fixture(scope="module")
def env(make_inkan):
    ink = make_inkan("serve-ocsp")
    ocsp_port = free_port()
    ocsp_url = f"http://127.0.0.1:{ocsp_port}/ocsp"
    ink.init(extra=("--ocsp-url", ocsp_url))
    ink.tenant_add(TENANT, "Acme Care")
    old = {k: leaf(ink, f"old-{k}") for k in ("good", "revoked")}
    ink.run("ca", "rollover")
    old_id, new_id = issuing_ids(ink)
    new = {k: leaf(ink, f"new-{k}") for k in ("good", "revoked")}
    ink.run("revoke", old["revoked"]["serial"], "--reason", "keyCompromise")
    ink.run("revoke", new["revoked"]["serial"], "--reason", "affiliationChanged")
    server = Server(ink, "--ocsp-listen", f"127.0.0.1:{ocsp_port}")
    yield dict(ink=ink, server=server, url=ocsp_url, port=ocsp_port, old=old, new=new,
               old_chain=chain_files(ink, old_id, ink.root / "old-chain"),
               new_chain=chain_files(ink, new_id, ink.root / "new-chain"))
    server.stop()


# --- clients -----------------------------------------------------------------------------------
def openssl_post(env, chain, serial: str, *, digest="-sha1", nonce=True, url=None):
    cmd = ["openssl", "ocsp", "-issuer", chain["issuing"], digest, "-serial", f"0x{serial}",
           "-url", url or env["url"], "-CAfile", chain["chain"], "-resp_text", "-timeout", "20"]
    if not nonce:
        cmd.append("-no_nonce")
    return run(cmd, check=False)


def make_request(tmp: Path, chain, serial: str, *, digest="-sha1", nonce=False) -> bytes:
    out = tmp / f"req-{serial}{digest}{nonce}.der"
    cmd = ["openssl", "ocsp", "-issuer", chain["issuing"], digest, "-serial", f"0x{serial}",
           "-reqout", out]
    if not nonce:
        cmd.append("-no_nonce")
    run(cmd)
    return out.read_bytes()


def http(url: str, *, data: bytes | None = None, headers=()) -> tuple[int, bytes, dict]:
    """curl over plain HTTP: (status, body, headers with lower-case names)."""
    cmd = ["curl", "-sS", "--max-time", "20", "-D", "-", "-o", "/dev/stderr"]
    if data is not None:
        cmd += ["-H", "Content-Type: application/ocsp-request", "--data-binary", "@-"]
    for h in headers:
        cmd += ["-H", h]
    proc = subprocess.run(cmd + [url], input=data, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc
    head = proc.stdout.decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    hdrs = {}
    for line in head[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
    return status, proc.stderr, hdrs


def get_url(env, der: bytes) -> str:
    # nginx escapes '+', '/' and '=' of the base64 (ngx_escape_uri, NGX_ESCAPE_URI_COMPONENT)
    return env["url"] + "/" + urllib.parse.quote(base64.b64encode(der).decode(), safe="")


def openssl_check_respin(tmp: Path, chain, serial: str, der: bytes, digest="-sha1"):
    f = tmp / f"resp-{serial}{digest}.der"
    f.write_bytes(der)
    # -no_nonce: the request openssl builds here from -issuer/-serial must not carry a nonce of
    # its own, or the check fails on a nonce the responder never saw (design.md §9).
    return run(["openssl", "ocsp", "-respin", f, "-issuer", chain["issuing"], digest, "-serial",
                f"0x{serial}", "-CAfile", chain["chain"], "-no_nonce", "-resp_text"], check=False)


STATUS_WORD = {"good": ": good", "revoked": ": revoked", "unknown": ": unknown"}


def assert_openssl_ok(proc, serial: str, status: str, reason: str | None = None):
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Response verify OK" in out, describe(proc)
    assert f"0x{serial}{STATUS_WORD[status]}" in out, describe(proc)
    assert "This Update:" in out and "Next Update:" in out, describe(proc)
    if status == "revoked":
        assert "Revocation Time:" in out and f"Reason: {reason}" in out, describe(proc)


def check_with_cryptography(der: bytes, serial_int: int, chain, status, *, algorithm=hashes.SHA1,
                            nonce: bytes | None = None, reason=None):
    resp = ocsp.load_der_ocsp_response(der)
    assert resp.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert resp.serial_number == serial_int
    assert resp.certificate_status == status
    assert isinstance(resp.hash_algorithm, algorithm)
    issuing = chain["issuing_cert"]
    if algorithm is hashes.SHA1:
        assert resp.issuer_key_hash == x509.SubjectKeyIdentifier.from_public_key(issuing.public_key()).digest
    else:
        assert resp.issuer_key_hash == _sha256(_key_bits(issuing))
    now = dt.datetime.now(UTC).replace(tzinfo=None)
    assert resp.this_update <= now + dt.timedelta(seconds=5) and resp.next_update > now
    assert resp.next_update - resp.this_update <= dt.timedelta(hours=1)
    if status == ocsp.OCSPCertStatus.REVOKED:
        assert resp.revocation_time <= now + dt.timedelta(seconds=5)
        assert resp.revocation_reason == reason
    # The delegated responder: issued by the same CA, OCSPSigning only, nocheck, short-lived.
    assert len(resp.certificates) == 1
    responder = resp.certificates[0]
    verify_signed_by(responder, issuing)
    assert responder.issuer == issuing.subject
    eku = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.OCSP_SIGNING]
    responder.extensions.get_extension_for_class(x509.OCSPNoCheck)
    assert responder.not_valid_after - responder.not_valid_before <= dt.timedelta(days=7, minutes=10)
    assert resp.responder_key_hash == x509.SubjectKeyIdentifier.from_public_key(responder.public_key()).digest
    responder.public_key().verify(resp.signature, resp.tbs_response_bytes,
                                  ec.ECDSA(resp.signature_hash_algorithm))
    nonces = [e for e in resp.extensions if isinstance(e.value, x509.OCSPNonce)]
    if nonce is None:
        assert not nonces
    else:
        assert nonces and nonces[0].value.nonce == nonce
    return resp


def _key_bits(cert) -> bytes:
    """The subjectPublicKey BIT STRING's octets (RFC 6960 issuerKeyHash input)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    # SEQUENCE { AlgorithmIdentifier, BIT STRING }: the BIT STRING is last; skip tag, length and
    # the unused-bits octet.
    def header(b, at):  # (content offset, content length) of the element at `at`
        first = b[at + 1]
        if first < 0x80:
            return at + 2, first
        n = first & 0x7F
        return at + 2 + n, int.from_bytes(b[at + 2:at + 2 + n], "big")
    body, _ = header(spki, 0)
    alg_body, alg_len = header(spki, body)
    bit_body, bit_len = header(spki, alg_body + alg_len)
    assert len(spki) == bit_body + bit_len
    return spki[bit_body + 1:bit_body + bit_len]


def _sha256(b: bytes) -> bytes:
    h = hashes.Hash(hashes.SHA256())
    h.update(b)
    return h.finalize()


CASES = [  # (which CA, label, expected status, openssl reason, cryptography reason)
    ("new", "good", "good", None, None),
    ("new", "revoked", "revoked", "affiliationChanged", x509.ReasonFlags.affiliation_changed),
    ("old", "good", "good", None, None),
    ("old", "revoked", "revoked", "keyCompromise", x509.ReasonFlags.key_compromise),
]
PY_STATUS = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED,
             "unknown": ocsp.OCSPCertStatus.UNKNOWN}


# --- acceptance: real clients ----------------------------------------------------------------
@pytest.mark.parametrize("digest", ["-sha1", "-sha256"])
@pytest.mark.parametrize("nonce", [True, False])
@pytest.mark.parametrize("which,label,status,reason,_", CASES)
def test_openssl_post_verifies_every_status(env, which, label, status, reason, _, digest, nonce):
    cert = env[which][label]
    proc = openssl_post(env, env[f"{which}_chain"], cert["serial"], digest=digest, nonce=nonce)
    assert_openssl_ok(proc, cert["serial"], status, reason)
    if nonce:
        assert "WARNING: no nonce in response" not in proc.stdout + proc.stderr, describe(proc)


@pytest.mark.parametrize("digest", ["-sha1", "-sha256"])
@pytest.mark.parametrize("which", ["old", "new"])
def test_openssl_post_unknown_serial(env, which, digest):
    proc = openssl_post(env, env[f"{which}_chain"], "7A3B9C1D2E3F40516273", digest=digest)
    assert_openssl_ok(proc, "7A3B9C1D2E3F40516273", "unknown")


@pytest.mark.parametrize("digest,algorithm", [("-sha1", hashes.SHA1), ("-sha256", hashes.SHA256)])
@pytest.mark.parametrize("which,label,status,reason,py_reason", CASES)
def test_get_responses_verify_in_openssl_and_cryptography(env, tmp_path, which, label, status, reason,
                                                          py_reason, digest, algorithm):
    chain, cert = env[f"{which}_chain"], env[which][label]
    der = make_request(tmp_path, chain, cert["serial"], digest=digest)
    code, body, hdrs = http(get_url(env, der))
    assert code == 200 and hdrs["content-type"] == "application/ocsp-response", hdrs
    # RFC 5019 §6: an HTTP cache in front may keep it, never past nextUpdate.
    assert "max-age=" in hdrs["cache-control"] and "public" in hdrs["cache-control"], hdrs
    max_age = int(hdrs["cache-control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 60
    assert hdrs["etag"].startswith('"') and "last-modified" in hdrs, hdrs
    assert_openssl_ok(openssl_check_respin(tmp_path, chain, cert["serial"], body, digest), cert["serial"],
                      status, reason)
    check_with_cryptography(body, cert["serial_int"], chain, PY_STATUS[status], algorithm=algorithm,
                            reason=py_reason)
    # The same pre-produced response again (the cache), and 304 for a revalidation.
    code2, body2, hdrs2 = http(get_url(env, der))
    assert code2 == 200 and body2 == body and hdrs2["etag"] == hdrs["etag"]
    code3, body3, _ = http(get_url(env, der), headers=[f"If-None-Match: {hdrs['etag']}"])
    assert code3 == 304 and body3 == b""


def test_cryptography_nonce_request_gets_a_fresh_response_echoing_it(env):
    cert, chain = env["new"]["good"], env["new_chain"]
    for algorithm in (hashes.SHA1, hashes.SHA256):
        nonce = bytes(range(1, 17))
        req = (ocsp.OCSPRequestBuilder().add_certificate(cert["cert"], chain["issuing_cert"], algorithm())
               .add_extension(x509.OCSPNonce(nonce), critical=False).build())
        code, body, hdrs = http(env["url"], data=req.public_bytes(serialization.Encoding.DER))
        assert code == 200 and "no-store" in hdrs["cache-control"], hdrs
        check_with_cryptography(body, cert["serial_int"], chain, ocsp.OCSPCertStatus.GOOD,
                                algorithm=algorithm, nonce=nonce)


def test_the_https_port_answers_too(env, tmp_path):
    cert, chain = env["new"]["good"], env["new_chain"]
    der = make_request(tmp_path, chain, cert["serial"])
    server = env["server"]
    proc = run(["curl", "-sS", "--cacert", server.ca_file, "-H", "Content-Type: application/ocsp-request",
                "--data-binary", f"@{tmp_path / ('req-' + cert['serial'] + '-sha1False.der')}",
                "-o", tmp_path / "https.der", server.url + "/ocsp"])
    assert_openssl_ok(openssl_check_respin(tmp_path, chain, cert["serial"], (tmp_path / "https.der").read_bytes()),
                      cert["serial"], "good")


def test_issued_certificates_carry_the_ocsp_url_and_the_responder_lints_clean(env, tmp_path):
    cert = env["new"]["good"]["cert"]
    aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    assert not aia.critical
    assert [(d.access_method, d.access_location.value) for d in aia.value] == \
        [(AuthorityInformationAccessOID.OCSP, env["url"])]
    ink, chain = env["ink"], env["new_chain"]
    code, body, _ = http(get_url(env, make_request(tmp_path, chain, env["new"]["good"]["serial"])))
    responder = ocsp.load_der_ocsp_response(body).certificates[0]
    pem = tmp_path / "responder.pem"
    pem.write_bytes(responder.public_bytes(serialization.Encoding.PEM))
    proc = ink.run("lint", pem, "--issuer", chain["issuing"], check=False)
    assert proc.returncode == 0, describe(proc)
    proc = ink.run("lint", env["new"]["good"]["pem"], "--issuer", chain["issuing"], check=False)
    assert proc.returncode == 0, describe(proc)


def test_ca_set_changes_the_url_of_new_certificates_only(env):
    ink = env["ink"]
    ink.run("ca", "set", "--ocsp-url", "http://ocsp.example.test/ocsp")
    try:
        c = leaf(ink, "url-changed")
        aia = c["cert"].extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        assert [d.access_location.value for d in aia] == ["http://ocsp.example.test/ocsp"]
        ink.run("ca", "set", "--no-ocsp-url")
        c = leaf(ink, "url-removed")
        with pytest.raises(x509.ExtensionNotFound):
            c["cert"].extensions.get_extension_for_class(x509.AuthorityInformationAccess)
        proc = ink.fail("ca", "set", "--ocsp-url", "https://ocsp.example.test/ocsp")
        assert "http://" in proc.stderr
    finally:
        ink.run("ca", "set", "--ocsp-url", env["url"])


def test_revocation_by_another_process_is_served_without_restart(env, tmp_path):
    ink, chain = env["ink"], env["new_chain"]
    c = leaf(ink, "to-revoke")
    der = make_request(tmp_path, chain, c["serial"])
    _, body, _ = http(get_url(env, der))
    assert ocsp.load_der_ocsp_response(body).certificate_status == ocsp.OCSPCertStatus.GOOD
    ink.run("revoke", c["serial"], "--reason", "keyCompromise")
    start = time.monotonic()
    while True:
        _, body, _ = http(get_url(env, der))
        resp = ocsp.load_der_ocsp_response(body)
        if resp.certificate_status == ocsp.OCSPCertStatus.REVOKED or time.monotonic() - start > 10:
            break
        time.sleep(0.05)
    print(f"revocation served by GET after {time.monotonic() - start:.3f} s")
    assert resp.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert resp.revocation_reason == x509.ReasonFlags.key_compromise


def test_offline_ocsp_command_writes_a_verifiable_response(env, tmp_path):
    ink = env["ink"]
    for which, label, status, reason, _ in CASES:
        cert, chain = env[which][label], env[f"{which}_chain"]
        for digest in ("sha1", "sha256"):
            out = tmp_path / f"{which}-{label}-{digest}.der"
            ink.run("ocsp", "--serial", cert["serial"], "--out", out, "--hash", digest)
            assert_openssl_ok(openssl_check_respin(tmp_path, chain, cert["serial"], out.read_bytes(), "-" + digest),
                              cert["serial"], status, reason)
    proc = ink.fail("ocsp", "--serial", "7A3B9C1D2E3F40516273", "--out", tmp_path / "none.der")
    assert "7A3B9C1D2E3F40516273" in proc.stderr


# --- refused: malformed and unauthorized --------------------------------------------------------
def response_status(body: bytes):
    return ocsp.load_der_ocsp_response(body).response_status


def assert_unsigned(body: bytes, status):
    assert response_status(body) == status
    # An unsigned OCSPResponse is just SEQUENCE { ENUMERATED status }: 30 03 0A 01 xx.
    assert len(body) == 5, body.hex()


@pytest.mark.parametrize("data", [b"", b"\x30", b"not an OCSP request at all", b"\x30\x03\x02\x01\x01",
                                  b"\x30" + b"\x80" + b"\x00" * 20])
def test_malformed_posts_get_the_unsigned_malformed_request(env, data):
    code, body, hdrs = http(env["url"], data=data)
    assert code == 200 and hdrs["content-type"] == "application/ocsp-response"
    assert_unsigned(body, ocsp.OCSPResponseStatus.MALFORMED_REQUEST)


@pytest.mark.parametrize("path", ["/%%%", "/AAAA", "/!!notbase64!!", "/" + "A" * 20000])
def test_malformed_gets_get_the_unsigned_malformed_request(env, path):
    code, body, _ = http(env["url"] + path)
    assert code in (200, 414), code
    if code == 200:
        assert_unsigned(body, ocsp.OCSPResponseStatus.MALFORMED_REQUEST)


def test_trailing_bytes_and_oversized_requests_are_malformed(env, tmp_path):
    der = make_request(tmp_path, env["new_chain"], env["new"]["good"]["serial"])
    _, body, _ = http(env["url"], data=der + b"\x00")
    assert_unsigned(body, ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    _, body, _ = http(env["url"], data=der + b"\x00" * 9000)
    assert_unsigned(body, ocsp.OCSPResponseStatus.MALFORMED_REQUEST)


def test_nonce_longer_than_32_octets_is_malformed(env):
    cert, chain = env["new"]["good"], env["new_chain"]
    req = (ocsp.OCSPRequestBuilder().add_certificate(cert["cert"], chain["issuing_cert"], hashes.SHA1())
           .add_extension(x509.OCSPNonce(b"n" * 33), critical=False).build())
    _, body, _ = http(env["url"], data=req.public_bytes(serialization.Encoding.DER))
    assert_unsigned(body, ocsp.OCSPResponseStatus.MALFORMED_REQUEST)


def multi_request(tmp_path, chain, serials, name) -> bytes:
    out = tmp_path / name
    cmd = ["openssl", "ocsp", "-issuer", chain["issuing"], "-no_nonce", "-reqout", out]
    for s in serials:
        cmd += ["-serial", f"0x{s}"]
    run(cmd)
    return out.read_bytes()


def test_multi_certificate_requests_up_to_the_limit(env, tmp_path):
    chain = env["new_chain"]
    serials = [env["new"]["good"]["serial"], env["new"]["revoked"]["serial"]] + \
              [f"{0x1000 + i:X}" for i in range(14)]
    der = multi_request(tmp_path, chain, serials, "sixteen.der")
    _, body, _ = http(env["url"], data=der)
    f = tmp_path / "sixteen-resp.der"
    f.write_bytes(body)
    cmd = ["openssl", "ocsp", "-respin", f, "-issuer", chain["issuing"], "-CAfile", chain["chain"], "-no_nonce"]
    for s in serials:
        cmd += ["-serial", f"0x{s}"]
    proc = run(cmd, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Response verify OK" in out, describe(proc)
    assert f"0x{serials[0]}: good" in out and f"0x{serials[1]}: revoked" in out and \
        f"0x{serials[2]}: unknown" in out, describe(proc)
    der = multi_request(tmp_path, chain, serials + ["2000"], "seventeen.der")
    _, body, _ = http(env["url"], data=der)
    assert_unsigned(body, ocsp.OCSPResponseStatus.MALFORMED_REQUEST)


def test_other_issuers_and_mixed_requests_are_unauthorized(env, tmp_path):
    # A CA that is not ours, made by openssl.
    key, crt = tmp_path / "foreign.key", tmp_path / "foreign.pem"
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=Foreign CA"])
    proc = openssl_post(env, {"issuing": crt, "chain": crt}, "0123456789ABCDEF", nonce=False)
    assert "Responder Error: unauthorized" in proc.stdout + proc.stderr, describe(proc)
    # Same name as our issuing CA, other key: still not ours (the key hash decides too).
    subject = env["new_chain"]["issuing_cert"].subject.rfc4514_string()
    impostor = tmp_path / "impostor.pem"
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", tmp_path / "impostor.key", "-out", impostor, "-days", "2",
         "-subj", "/" + "/".join(reversed(subject.split(",")))])
    proc = openssl_post(env, {"issuing": impostor, "chain": impostor}, env["new"]["good"]["serial"], nonce=False)
    assert "Responder Error: unauthorized" in proc.stdout + proc.stderr, describe(proc)
    # CertIDs of two of our CAs in one request: one delegated responder cannot answer both.
    out = tmp_path / "mixed.der"
    run(["openssl", "ocsp", "-no_nonce", "-reqout", out,
         "-issuer", env["old_chain"]["issuing"], "-serial", f"0x{env['old']['good']['serial']}",
         "-issuer", env["new_chain"]["issuing"], "-serial", f"0x{env['new']['good']['serial']}"])
    _, body, _ = http(env["url"], data=out.read_bytes())
    assert_unsigned(body, ocsp.OCSPResponseStatus.UNAUTHORIZED)


def test_plain_http_listener_serves_ocsp_only(env):
    code, _, _ = http(f"http://127.0.0.1:{env['port']}/ca.pem")
    assert code == 404
    code, _, _ = http(f"http://127.0.0.1:{env['port']}/admin/")
    assert code == 404


# --- the plain-HTTP listener's own server (web/server/plain_http_server.cpp) -------------------
def read_response(f) -> tuple[int, dict, bytes]:
    """One HTTP response from `f` (a socket's makefile("rb"), so that pipelined responses are
    taken one by one): (status, headers with lower-case names, body)."""
    status_line = f.readline()
    assert status_line, "connection closed before a response"
    hdrs = {}
    while (line := f.readline()) not in (b"\r\n", b""):
        k, v = line.decode("latin-1").split(":", 1)
        hdrs[k.strip().lower()] = v.strip()
    body = f.read(int(hdrs.get("content-length", "0")))
    return int(status_line.split()[1]), hdrs, body


def closed_by_server(sock: socket.socket, within: float = 5) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        return False


def post_bytes(der: bytes, *, version="1.1", extra="") -> bytes:
    return (f"POST /ocsp HTTP/{version}\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n{extra}"
            f"Content-Length: {len(der)}\r\n\r\n").encode() + der


def test_listener_keeps_http11_connections_and_answers_pipelined_requests(env, tmp_path):
    cert, chain = env["new"]["good"], env["new_chain"]
    der = make_request(tmp_path, chain, cert["serial"])
    get_path = get_url(env, der)[len(f"http://127.0.0.1:{env['port']}"):]
    nonce_req = (ocsp.OCSPRequestBuilder().add_certificate(cert["cert"], chain["issuing_cert"], hashes.SHA256())
                 .add_extension(x509.OCSPNonce(b"k" * 16), critical=False).build())
    with socket.create_connection(("127.0.0.1", env["port"]), timeout=20) as s, s.makefile("rb") as r:
        # nginx's GET, a POST, a nonce (signed on a handler thread), then two requests in one write.
        s.sendall(f"GET {get_path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        code, hdrs, body = read_response(r)
        assert code == 200 and hdrs["connection"] == "keep-alive" and "max-age=" in hdrs["cache-control"], hdrs
        assert hdrs["x-content-type-options"] == "nosniff"
        check_with_cryptography(body, cert["serial_int"], chain, ocsp.OCSPCertStatus.GOOD)
        s.sendall(post_bytes(der))
        code, hdrs, body2 = read_response(r)
        assert code == 200 and body2 == body and hdrs["cache-control"] == "no-store"
        s.sendall(post_bytes(nonce_req.public_bytes(serialization.Encoding.DER)))
        code, hdrs, body3 = read_response(r)
        assert code == 200 and hdrs["connection"] == "keep-alive"
        check_with_cryptography(body3, cert["serial_int"], chain, ocsp.OCSPCertStatus.GOOD, algorithm=hashes.SHA256,
                                nonce=b"k" * 16)
        s.sendall(post_bytes(der) + post_bytes(b"\x30\x03\x02\x01\x01", extra="Connection: close\r\n"))
        assert read_response(r)[2] == body
        code, hdrs, body5 = read_response(r)
        assert hdrs["connection"] == "close"
        assert_unsigned(body5, ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        assert closed_by_server(s)


def test_listener_closes_http10_after_the_answer_unless_asked(env, tmp_path):
    der = make_request(tmp_path, env["new_chain"], env["new"]["good"]["serial"])
    with socket.create_connection(("127.0.0.1", env["port"]), timeout=20) as s, s.makefile("rb") as r:
        s.sendall(post_bytes(der, version="1.0", extra="Connection: keep-alive\r\n"))
        assert read_response(r)[1]["connection"] == "keep-alive"
        s.sendall(post_bytes(der, version="1.0"))
        code, hdrs, _ = read_response(r)
        assert code == 200 and hdrs["connection"] == "close"
        assert closed_by_server(s)


@pytest.mark.parametrize("request_bytes, status", [
    (b"POST /ocsp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411),
    (b"POST /ocsp HTTP/1.1\r\nHost: x\r\n\r\n", 411),
    (b"POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n", 413),
    (b"GET /ocsp/" + b"A" * 9000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET /ocsp/AAAA HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(101)) + b"\r\n", 431),
    (b"GET /ocsp/AAAA HTTP/1.1\r\nX: " + b"v" * 70000 + b"\r\n\r\n", 431),
    (b"GET /ocsp/AAAA HTTP/2.0\r\n\r\n", 505),
    (b"GET /ocsp/AAAA HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", 400),
])
def test_listener_refuses_bad_requests_and_closes(env, request_bytes, status):
    with socket.create_connection(("127.0.0.1", env["port"]), timeout=20) as s, s.makefile("rb") as r:
        try:
            s.sendall(request_bytes)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the client finished sending: the answer is still there to read
        code, hdrs, _ = read_response(r)
        assert code == status and hdrs["connection"] == "close" and hdrs["x-frame-options"] == "DENY", hdrs
        assert closed_by_server(s)


def test_listener_closes_a_request_that_trickles_past_the_read_timeout(env):
    # A byte a second keeps every read short; the whole request still has 10 s (ServerLimits).
    with socket.create_connection(("127.0.0.1", env["port"]), timeout=20) as s:
        start = time.monotonic()
        closed = False
        for c in b"GET /ocsp/" + b"A" * 30:
            try:
                s.sendall(bytes([c]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            s.settimeout(1)
            try:
                if s.recv(1) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
        assert closed and 9 <= time.monotonic() - start <= 14


def test_listener_summarises_cached_answers_instead_of_a_line_each(env, tmp_path):
    cert = env["new"]["revoked"]
    der = make_request(tmp_path, env["new_chain"], cert["serial"], digest="-sha256")
    assert http(env["url"], data=der)[0] == 200  # signed (or already cached): from now on cached
    before = env["server"].log_text().count('"POST /ocsp"')
    for _ in range(20):
        code, body, _ = http(env["url"], data=der)
        assert code == 200
    time.sleep(0.5)
    assert env["server"].log_text().count('"POST /ocsp"') == before
    deadline = time.monotonic() + 15
    while "answered from the pre-produced responses" not in env["server"].log_text():
        assert time.monotonic() < deadline, env["server"].log_text()[-2000:]
        time.sleep(0.5)
