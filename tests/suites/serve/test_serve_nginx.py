"""Issue 4, relying party: Debian's nginx configured as docs/integration.md says (trust /ca.pem,
require a client certificate, check the CRLs from /crl.pem) accepts an issued certificate and
rejects it after `inkan revoke`, a CRL refresh and `nginx -s reload`. Loopback only."""
from __future__ import annotations


import pytest

from nginx_support import Nginx
from serve_support import Server, curl, not_before_for


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("serve-nginx")
    inkan.init()
    inkan.tenant_add("acme", "Acme Care")
    return inkan


@pytest.fixture(scope="module")
def server(ca):
    s = Server(ca)
    yield s
    s.stop()


def fetch(server, path, dest):
    r = curl(server, path)
    assert r.status == 200, r
    dest.write_bytes(r.body)


@pytest.fixture
def nginx(ca, server, tmp_path):
    rp = Nginx(tmp_path / "nginx", f"ssl_crl {tmp_path / 'nginx'}/inkan-crl.pem;")
    fetch(server, "/ca.pem", rp.prefix / "inkan-ca.pem")
    fetch(server, "/crl.pem", rp.prefix / "inkan-crl.pem")
    yield rp.start()
    rp.stop()


def test_nginx_accepts_then_rejects_after_revocation_and_crl_refresh(ca, server, nginx):
    c = ca.issue("acme", "rp-user", ca.root / "issued", "--key", "ec-p256", "--not-before",
                 not_before_for(200))
    status, body = nginx.get(c)
    assert status == 200 and "CN=rp-user" in body, (status, body)

    ca.run("revoke", c["serial"], "--reason", "keyCompromise")
    fetch(server, "/crl.pem", nginx.prefix / "inkan-crl.pem")
    nginx.reload()  # returns once the old workers, with the old CRL file, have exited
    status, body = nginx.get(c)
    assert status == 400 and "certificate" in body.lower(), (status, body)
    log = nginx.error_log()
    assert "certificate revoked" in log, log[-2000:]

    other = ca.issue("acme", "rp-other", ca.root / "issued", "--key", "ec-p256")
    assert nginx.status_of(other) == 200
