"""Issue 20, relying party: Debian's nginx with `ssl_verify_client on; ssl_ocsp on;` pointed at
`inkan serve --ocsp-listen` accepts a client certificate, then rejects it within 5 seconds of
`inkan revoke` (another process), with no nginx reload and no CRL file. The delay is measured
and printed. nginx's OCSP cache (ssl_ocsp_cache) is left off, as docs/integration.md says, so
every new handshake asks the responder. Loopback only."""
from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from helpers import free_port, run
from serve_support import Server, curl

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
        # docs/integration.md, "OCSP": trust the inkan CA, require a client certificate, ask
        # the responder at every handshake (no ssl_crl, no ssl_ocsp_cache).
        ssl_client_certificate {prefix}/inkan-ca.pem;
        ssl_verify_client on;
        ssl_verify_depth 2;
        ssl_ocsp on;
        ssl_ocsp_responder {responder};
        ssl_session_cache off;
        ssl_session_tickets off;
        location / {{
            return 200 "hello $ssl_client_s_dn serial=$ssl_client_serial\\n";
        }}
    }}
}}
"""


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
    assert shutil.which(NGINX) or os.path.exists(NGINX), \
        "nginx is missing: run tools/setup.sh (it installs Debian's nginx)"
    prefix = tmp_path / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", prefix / "server.key", "-out", prefix / "server.pem", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"])
    r = curl(server, "/ca.pem")
    assert r.status == 200, r
    (prefix / "inkan-ca.pem").write_bytes(r.body)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(CONF.format(prefix=prefix, port=port, responder=server.ocsp_url))
    base = [NGINX, "-p", prefix, "-c", conf]
    run(base + ["-t"])
    proc = subprocess.Popen([str(c) for c in base + ["-g", "daemon off;"]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not (prefix / "nginx.pid").exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "nginx did not start"
        time.sleep(0.1)
    yield {"prefix": prefix, "port": port}
    proc.terminate()
    proc.wait(timeout=20)


def rp_get(nginx, cert):
    proc = run(["curl", "-sS", "--max-time", "20", "--cacert", nginx["prefix"] / "server.pem",
                "--cert-type", "P12", "--cert", f"{cert['p12']}:{cert['password']}",
                "-w", "\n%{http_code}", f"https://127.0.0.1:{nginx['port']}/"], check=False)
    body, _, status = proc.stdout.rpartition("\n")
    return int(status or 0), body


def test_nginx_rejects_a_revoked_certificate_within_seconds_without_reload(ca, server, nginx):
    c = ca.issue("acme", "rp-ocsp", ca.root / "issued", "--key", "ec-p256")
    status, body = rp_get(nginx, c)
    assert status == 200 and "CN=rp-ocsp" in body, (status, body, (nginx["prefix"] / "error.log").read_text()[-3000:])

    ca.run("revoke", c["serial"], "--reason", "keyCompromise")
    revoked_at = time.monotonic()
    while True:
        status, body = rp_get(nginx, c)
        delay = time.monotonic() - revoked_at
        if status != 200 or delay > 20:
            break
        time.sleep(0.1)
    print(f"nginx rejected the revoked certificate {delay:.2f} s after `inkan revoke` returned")
    assert status == 400 and "certificate" in body.lower(), (status, body)
    assert delay < 5, f"nginx still accepted the certificate {delay:.2f} s after the revocation"
    log = (nginx["prefix"] / "error.log").read_text()
    assert "certificate revoked" in log or "revoked" in log, log[-3000:]
    assert not (nginx["prefix"] / "inkan-crl.pem").exists()

    other = ca.issue("acme", "rp-ocsp-other", ca.root / "issued", "--key", "ec-p256")
    assert rp_get(nginx, other)[0] == 200
