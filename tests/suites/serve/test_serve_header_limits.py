"""Issue 14 item 2, unbounded request headers: cpp-httplib 0.11 bounds one header line (8 KiB)
but neither the number of lines nor their sum, so a client with no certificate made the server
buffer 30 MB of headers and answer 200. `inkan serve` now answers 431 at the 101st header line
or past 64 KiB of headers, before reading more, and keeps serving everyone else (the memory
campaign is tests/campaigns/header_flood.py)."""
from __future__ import annotations

import socket
import ssl
import time

import pytest

from serve_support import Server


@pytest.fixture(scope="module")
def server(make_inkan):
    ca = make_inkan("header-limits")
    ca.init()
    s = Server(ca)
    yield s
    s.stop()


def connect(server, timeout=10.0):
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    return ctx.wrap_socket(socket.create_connection(("127.0.0.1", server.port), timeout=timeout),
                           server_hostname="127.0.0.1")


def read_reply(s) -> bytes:
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ssl.SSLError, OSError):
        pass
    return data


def send_head(server, headers: list[str]) -> bytes:
    s = connect(server)
    try:
        s.sendall(("GET /ca.pem HTTP/1.1\r\nHost: x\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode())
        return read_reply(s)
    finally:
        s.close()


def test_99_headers_are_served(server):
    # Host plus 99: 100 header lines in all, the limit.
    reply = send_head(server, [f"X-Pad-{i}: {i}" for i in range(99)])
    assert reply.startswith(b"HTTP/1.1 200 "), reply[:200]


def test_101_headers_get_431(server):
    reply = send_head(server, [f"X-Pad-{i}: {i}" for i in range(100)])
    assert reply.startswith(b"HTTP/1.1 431 "), reply[:200]
    head = reply.decode("latin-1").lower()
    assert "connection: close" in head and "x-content-type-options: nosniff" in head, head


def test_more_than_64_kib_of_headers_get_431(server):
    # 9 lines of 8,000 bytes: each under cpp-httplib's 8 KiB line limit, 72,000 bytes in all.
    reply = send_head(server, [f"X-Big-{i}: " + "v" * 8000 for i in range(9)])
    assert reply.startswith(b"HTTP/1.1 431 "), reply[:200]


def rss_kib(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def test_endless_headers_are_cut_off_early(server):
    """The flood of the review: headers sent until the server stops reading. The server answers
    431 at the limit and closes after a bounded lingering read (at most 4 MiB, discarded), not
    after what the client is willing to send, and keeps none of it."""
    before = rss_kib(server.proc.pid)
    s = connect(server)
    sent = 0
    reply = b""
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        line = b"X-Flood: " + b"f" * 85 + b"\r\n"  # 96 bytes, as in the review
        s.settimeout(5)
        while sent < 16 * 1024 * 1024:
            try:
                s.sendall(line * 64)
            except (OSError, ssl.SSLError):
                break
            sent += len(line) * 64
        reply = read_reply(s)
    finally:
        s.close()
    assert sent < 6 * 1024 * 1024, f"the server kept reading: {sent} bytes of headers accepted"
    assert reply.startswith(b"HTTP/1.1 431 ") or reply == b"", reply[:200]
    assert rss_kib(server.proc.pid) - before < 4 * 1024, "the server kept the headers in memory"


def test_a_normal_request_still_works_on_keep_alive(server):
    s = connect(server)
    try:
        for _ in range(3):
            s.sendall(b"GET /ca.pem HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while b"-----END CERTIFICATE-----" not in data:
                chunk = s.recv(65536)
                assert chunk, data[:200]
                data += chunk
            assert data.startswith(b"HTTP/1.1 200 "), data[:200]
    finally:
        s.close()


def test_a_request_line_without_end_gets_414(server):
    """cpp-httplib grows its line buffer until the newline; the guard stops it at 16 KiB."""
    s = connect(server)
    try:
        s.sendall(b"GET /" + b"a" * (32 * 1024))
        reply = read_reply(s)
    finally:
        s.close()
    assert reply.startswith(b"HTTP/1.1 414 "), reply[:200]
