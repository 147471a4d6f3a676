"""Issue 7, oversized bodies: cpp-httplib 0.11 limits only bodies announced by Content-Length, so
`inkan serve` refuses chunked bodies and body-less-length POSTs with 411 before reading anything
(without that, a client with no certificate made the server buffer 256 MiB of chunked body:
tests/campaigns/oversized_bodies.py). Bodies announced above 64 KiB get 413."""
from __future__ import annotations

import socket
import ssl
import time

import pytest

from serve_support import Server


@pytest.fixture(scope="module")
def server(make_inkan):
    ca = make_inkan("body-limits")
    ca.init()
    s = Server(ca)
    yield s
    s.stop()


def rss_kib(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def exchange(server, head: str, body_pieces=(), wait=5.0) -> tuple[bytes, float]:
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", server.port), timeout=wait),
                        server_hostname="127.0.0.1")
    t0 = time.monotonic()
    try:
        s.sendall(head.encode())
        for p in body_pieces:
            s.sendall(p)
        s.settimeout(wait)
        try:
            return s.recv(4096), time.monotonic() - t0
        except (socket.timeout, ssl.SSLError, OSError):
            return b"", time.monotonic() - t0
    finally:
        s.close()


@pytest.mark.parametrize("path", ["/crl", "/api/v1/renew", "/admin/login", "/simplereenroll"])
def test_chunked_body_is_refused_before_it_is_read(server, path):
    before = rss_kib(server.proc.pid)
    piece = b"%x\r\n" % 65536 + b"A" * 65536 + b"\r\n"
    # 4 MiB of an unterminated chunked body: the answer must come without waiting for the end.
    reply, secs = exchange(server, f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                   "Content-Type: application/json\r\n\r\n", [piece] * 64)
    assert reply.startswith(b"HTTP/1.1 411 "), (reply[:200], secs)
    assert secs < 3, secs
    assert rss_kib(server.proc.pid) - before < 16 * 1024


def assert_security_headers(reply: bytes):
    """The answers cpp-httplib gives by itself carry the same headers as the router's."""
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    for name in ("content-security-policy: default-src 'none'", "frame-ancestors 'none'",
                 "x-content-type-options: nosniff", "referrer-policy: no-referrer", "strict-transport-security:"):
        assert name in head, (name, head)
    assert head.count("content-security-policy:") == 1, head


def test_post_without_content_length_is_411(server):
    reply, secs = exchange(server, "POST /api/v1/renew HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n{}")
    assert reply.startswith(b"HTTP/1.1 411 "), (reply[:200], secs)
    assert_security_headers(reply)


def test_announced_oversized_body_is_413(server):
    reply, _ = exchange(server, "POST /api/v1/renew HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                f"Content-Length: {1 << 20}\r\n\r\n", [b"A" * (1 << 20)], wait=15)
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]
    assert_security_headers(reply)


def test_normal_requests_still_work(server):
    reply, _ = exchange(server, "GET /ca.pem HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 "), reply[:200]
    assert_security_headers(reply)
