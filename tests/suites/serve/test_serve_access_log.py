"""Issue 14 item 7, log injection: a request path with %0A, %0D and ESC wrote a forged "renewal
200" line and a raw terminal escape into the access log, without any certificate. Every logged
field is now escaped: one request is one line, and the log holds no control byte."""
from __future__ import annotations

import socket
import ssl
import time

import pytest

from serve_support import Server


@pytest.fixture(scope="module")
def server(make_inkan):
    ca = make_inkan("access-log")
    ca.init()
    s = Server(ca)
    yield s
    s.stop()


def raw_request(server, head: bytes) -> bytes:
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", server.port), timeout=10),
                         server_hostname="127.0.0.1") as s:
        s.sendall(head)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data


def test_a_forged_line_and_an_escape_stay_inside_one_escaped_field(server):
    forged = "/x%0D%0A127.0.0.1%20%22POST%20/api/v1/renew%22%20200%200%201ms%20serial=AB%1B[2J"
    reply = raw_request(server, f"GET {forged} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.1 404 "), reply[:100]
    deadline = time.monotonic() + 5
    while "\\x1B[2J" not in server.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # the log line is written after the answer
    raw = server.log.read_bytes()
    assert b"\x1b" not in raw and b"\r" not in raw, "a control byte reached the log"
    lines = [ln for ln in raw.decode().splitlines() if "/api/v1/renew" in ln]
    assert len(lines) == 1, lines
    assert lines[0].startswith("inkan serve: 127.0.0.1 \"GET /x\\x0D\\x0A127.0.0.1 \\x22POST"), lines[0]
    assert lines[0].rstrip().endswith("serial=-"), lines[0]
