"""Issue 20, relying party: Debian's nginx with `ssl_verify_client on; ssl_ocsp on;` pointed at
`inkan serve --ocsp-listen` accepts a client certificate, then rejects it within 5 seconds of
`inkan revoke` (another process), with no nginx reload and no CRL file. The delay is measured
and printed. nginx's OCSP cache (ssl_ocsp_cache) is left off, as docs/integration.md says, so
every new handshake asks the responder. Loopback only."""
from __future__ import annotations

import time

import pytest

from helpers import free_port
from nginx_support import Nginx
from serve_support import Server, curl

# docs/integration.md, "OCSP": trust the inkan CA, require a client certificate, ask the
# responder at every handshake (no ssl_crl, no ssl_ocsp_cache).
OCSP_CHECKS = """ssl_ocsp on;
        ssl_ocsp_responder {responder};
        ssl_session_cache off;
        ssl_session_tickets off;"""


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("serve-nginx-ocsp")
    inkan.init()
    inkan.tenant_add("acme", "Acme Care")
    return inkan


@pytest.fixture(scope="module")
def server(ca):
    port = free_port()
    s = Server(ca, "--ocsp-listen", f"127.0.0.1:{port}")
    s.ocsp_url = f"http://127.0.0.1:{port}/ocsp"
    yield s
    s.stop()


@pytest.fixture
def nginx(ca, server, tmp_path):
    rp = Nginx(tmp_path / "nginx", OCSP_CHECKS.format(responder=server.ocsp_url))
    r = curl(server, "/ca.pem")
    assert r.status == 200, r
    (rp.prefix / "inkan-ca.pem").write_bytes(r.body)
    yield rp.start()
    rp.stop()


def test_nginx_rejects_a_revoked_certificate_within_seconds_without_reload(ca, server, nginx):
    c = ca.issue("acme", "rp-ocsp", ca.root / "issued", "--key", "ec-p256")
    status, body = nginx.get(c)
    assert status == 200 and "CN=rp-ocsp" in body, (status, body, nginx.error_log()[-3000:])

    ca.run("revoke", c["serial"], "--reason", "keyCompromise")
    revoked_at = time.monotonic()
    while True:
        status, body = nginx.get(c)
        delay = time.monotonic() - revoked_at
        if status != 200 or delay > 20:
            break
        time.sleep(0.1)
    print(f"nginx rejected the revoked certificate {delay:.2f} s after `inkan revoke` returned")
    assert status == 400 and "certificate" in body.lower(), (status, body)
    assert delay < 5, f"nginx still accepted the certificate {delay:.2f} s after the revocation"
    log = nginx.error_log()
    assert "certificate revoked" in log or "revoked" in log, log[-3000:]
    assert not (nginx.prefix / "inkan-crl.pem").exists()

    other = ca.issue("acme", "rp-ocsp-other", ca.root / "issued", "--key", "ec-p256")
    assert nginx.status_of(other) == 200
