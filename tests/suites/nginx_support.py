"""Debian's nginx as the relying party of the serve suites: a throwaway prefix, a server
certificate of its own, client certificates verified against the inkan CA, on a loopback
ephemeral port. `checks` are the revocation directives under test (ssl_crl, ssl_ocsp, ...)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from helpers import free_port, run

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
        ssl_client_certificate {prefix}/inkan-ca.pem;
        ssl_verify_client on;
        ssl_verify_depth 2;
        {checks}
        location / {{ return 200 "hello $ssl_client_s_dn\\n"; }}
    }}
}}
"""


class Nginx:
    """Write inkan-ca.pem (and what `checks` name) into `prefix` before start()."""

    def __init__(self, prefix: Path, checks: str):
        self.prefix = Path(prefix)
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", self.prefix / "server.key", "-out", self.prefix / "server.pem", "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"])
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(CONF.format(prefix=self.prefix, port=self.port, checks=checks))
        self.base = [NGINX, "-p", self.prefix, "-c", self.conf]
        self.proc = None

    def start(self):
        run(self.base + ["-t"])
        self.proc = subprocess.Popen([str(c) for c in self.base + ["-g", "daemon off;"]],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:  # the port itself, not the pid file: it can come first on a busy machine
            assert self.proc.poll() is None, self.proc.stderr.read().decode()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.1)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=20)

    def reload(self):
        """Reload, and return only once the workers of the old configuration have exited: until
        then a new connection may still reach one of them and meet the old CRL."""
        old = self._workers()
        run(self.base + ["-s", "reload"])
        deadline = time.monotonic() + 20
        while True:
            current = self._workers()
            if current and not (old & current):
                return
            assert time.monotonic() < deadline, f"nginx kept its old workers {old & current}"
            time.sleep(0.05)

    def _workers(self) -> set[int]:
        """The master's children, from /proc (the master is self.proc: daemon off)."""
        children = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # exited while we looked
            fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
            if fields[0] != "Z" and int(fields[1]) == self.proc.pid:
                children.add(int(entry.name))
        return children

    def get(self, cert: dict) -> tuple[int, str]:
        """(HTTP status, body) for a request with the issued p12 `cert`; status 0: no answer."""
        proc = run(["curl", "-sS", "--max-time", "20", "--cacert", self.prefix / "server.pem",
                    "--cert-type", "P12", "--cert", f"{cert['p12']}:{cert['password']}",
                    "-w", "\n%{http_code}", f"https://127.0.0.1:{self.port}/"], check=False)
        body, _, status = proc.stdout.rpartition("\n")
        return int(status or 0), body

    def status_of(self, cert: dict) -> int:
        return self.get(cert)[0]

    def error_log(self) -> str:
        return (self.prefix / "error.log").read_text()
