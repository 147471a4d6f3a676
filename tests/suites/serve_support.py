"""Helpers for the `inkan serve` suites: a server subprocess on a free loopback port, curl with
client certificates, and openssl s_client for session resumption. Loopback only."""
from __future__ import annotations

import base64
import datetime as dt
import json
import signal
import socket
import subprocess
import time
from pathlib import Path

from helpers import UTC, clean_env, describe, free_port, run


def not_before_for(days_left: int) -> str:
    """--not-before that leaves `days_left` days of a 3-year validity today."""
    expiry = dt.datetime.now(UTC).date() + dt.timedelta(days=days_left)
    try:
        return expiry.replace(year=expiry.year - 3).isoformat()
    except ValueError:  # 29 February
        return expiry.replace(year=expiry.year - 3, day=28).isoformat()


class Server:
    """`inkan serve --listen 127.0.0.1:<port>` as a subprocess; stop() asserts a clean exit."""

    def __init__(self, inkan, *extra, env=None):
        self.inkan = inkan
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.log = inkan.root / f"serve-{self.port}.log"
        self.out = inkan.root / f"serve-{self.port}.out"
        cmd = inkan.cmd("serve", "--listen", f"127.0.0.1:{self.port}", *extra)
        self.proc = subprocess.Popen([str(c) for c in cmd], stdout=open(self.out, "w"),
                                     stderr=open(self.log, "w"), env=clean_env(env), cwd=inkan.root)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"inkan serve exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            self.proc.kill()
            raise AssertionError(f"inkan serve did not listen within 60 s:\n{self.log_text()}")
        self.ca_file = inkan.root / "serve-ca.pem"
        self.ca_file.write_text(inkan.run("ca", "cert", "--chain").stdout)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("inkan serve did not stop within 30 s of SIGTERM")
        assert rc == 0, f"inkan serve exited with {rc} after SIGTERM:\n{self.log_text()}"
        assert "stopped" in self.log_text()


class Reply:
    def __init__(self, proc: subprocess.CompletedProcess, body: bytes, status: int,
                 headers: str):
        self.proc, self.body, self.status, self.headers = proc, body, status, headers

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body)
        except json.JSONDecodeError as e:
            raise AssertionError(f"not JSON ({e}): {self.text[:500]}" + describe(self.proc)) from None

    @property
    def refused(self) -> bool:
        """The request did not succeed: the TLS handshake failed or the status is 4xx."""
        return self.proc.returncode != 0 or 400 <= self.status < 500

    def __repr__(self):
        return f"<Reply curl={self.proc.returncode} status={self.status} body={self.text[:300]!r}>"


def curl(server: Server, path: str, *, p12=None, password=None, cert_pem=None, key_pem=None,
         method="GET", data=None, content_type=None, headers=(), cookies=None) -> Reply:
    """curl over TLS to the server, verifying it against our chain, optionally with a client
    certificate (a p12 and its password, or PEM cert and key)."""
    out = server.inkan.root / "curl.body"
    hdr = server.inkan.root / "curl.headers"
    cmd = ["curl", "-sS", "--max-time", "30", "--cacert", server.ca_file, "-o", out, "-D", hdr,
           "-w", "%{http_code}", "-X", method]
    if p12:
        cmd += ["--cert-type", "P12", "--cert", f"{p12}:{password}"]
    if cert_pem:
        cmd += ["--cert", cert_pem, "--key", key_pem or cert_pem]
    if data is not None:
        cmd += ["--data-binary", data]
    if content_type:
        cmd += ["-H", f"Content-Type: {content_type}"]
    for h in headers:
        cmd += ["-H", h]
    if cookies:
        cmd += ["-b", cookies]
    for f in (out, hdr):
        if f.exists():
            f.unlink()
    proc = run(cmd + [server.url + path], check=False)
    status = int(proc.stdout.strip() or 0) if proc.stdout.strip().isdigit() else 0
    body = out.read_bytes() if out.exists() else b""
    headers_text = hdr.read_text(errors="replace") if hdr.exists() else ""
    return Reply(proc, body, status, headers_text)


def p12_to_pem(p12: Path, password: str, out: Path) -> Path:
    """Key and leaf of a p12 as one PEM file (for openssl s_client and curl --cert)."""
    run(["openssl", "pkcs12", "-in", p12, "-passin", f"pass:{password}", "-nodes", "-out", out])
    return out


def s_client_request(server: Server, pem: Path, path: str, *, sess_in=None, sess_out=None,
                     tls="-tls1_2") -> str:
    """One HTTP/1.1 request over `openssl s_client` (its handshake report included)."""
    cmd = ["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername",
           "localhost", "-CAfile", server.ca_file, "-cert", pem, "-key", pem, tls, "-ign_eof"]
    if sess_in:
        cmd += ["-sess_in", sess_in]
    if sess_out:
        cmd += ["-sess_out", sess_out]
    request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    proc = subprocess.run([str(c) for c in cmd], input=request.encode(), capture_output=True,
                          timeout=60)
    return proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")


def b64_body_to_der(reply: Reply) -> bytes:
    return base64.b64decode(b"".join(reply.body.split()))
