"""Issue 4, relying party: Debian's nginx configured as docs/integration.md says (trust /ca.pem,
require a client certificate, check the CRLs from /crl.pem) accepts an issued certificate and
rejects it after `inkan revoke`, a CRL refresh and `nginx -s reload`. Loopback only."""
from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from helpers import free_port, run
from serve_support import Server, curl, not_before_for

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp;
    proxy_temp_path {prefix}/tmp;
    fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp;
    scgi_temp_path {prefix}/tmp;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate     {prefix}/server.pem;
        ssl_certificate_key {prefix}/server.key;
        # docs/integration.md: trust the inkan CA, require a client certificate, check the CRLs.
        ssl_client_certificate {prefix}/inkan-ca.pem;
        ssl_verify_client on;
        ssl_verify_depth 2;
        ssl_crl {prefix}/inkan-crl.pem;
        location / {{
            return 200 "hello $ssl_client_s_dn serial=$ssl_client_serial\\n";
        }}
    }}
}}
"""


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
    assert shutil.which(NGINX) or __import__("os").path.exists(NGINX), \
        "nginx is missing: run tools/setup.sh (it installs Debian's nginx)"
    prefix = tmp_path / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", prefix / "server.key", "-out", prefix / "server.pem", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"])
    fetch(server, "/ca.pem", prefix / "inkan-ca.pem")
    fetch(server, "/crl.pem", prefix / "inkan-crl.pem")
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(CONF.format(prefix=prefix, port=port))
    base = [NGINX, "-p", prefix, "-c", conf]
    run(base + ["-t"])
    proc = subprocess.Popen([str(c) for c in base + ["-g", "daemon off;"]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not (prefix / "nginx.pid").exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "nginx did not start"
        time.sleep(0.1)
    ctx = {"prefix": prefix, "port": port, "base": base}
    yield ctx
    proc.terminate()
    proc.wait(timeout=20)


def rp_get(nginx, cert):
    proc = run(["curl", "-sS", "--max-time", "20", "--cacert", nginx["prefix"] / "server.pem",
                "--cert-type", "P12", "--cert", f"{cert['p12']}:{cert['password']}",
                "-w", "\n%{http_code}", f"https://127.0.0.1:{nginx['port']}/"], check=False)
    body, _, status = proc.stdout.rpartition("\n")
    return int(status or 0), body


def test_nginx_accepts_then_rejects_after_revocation_and_crl_refresh(ca, server, nginx):
    c = ca.issue("acme", "rp-user", ca.root / "issued", "--key", "ec-p256", "--not-before",
                 not_before_for(200))
    status, body = rp_get(nginx, c)
    assert status == 200 and "CN=rp-user" in body, (status, body)

    ca.run("revoke", c["serial"], "--reason", "keyCompromise")
    fetch(server, "/crl.pem", nginx["prefix"] / "inkan-crl.pem")
    run(nginx["base"] + ["-s", "reload"])
    deadline = time.monotonic() + 20
    while True:
        status, body = rp_get(nginx, c)
        if status == 400 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert status == 400 and "certificate" in body.lower(), (status, body)
    log = (nginx["prefix"] / "error.log").read_text()
    assert "certificate revoked" in log, log[-2000:]

    other = ca.issue("acme", "rp-other", ca.root / "issued", "--key", "ec-p256")
    assert rp_get(nginx, other)[0] == 200
