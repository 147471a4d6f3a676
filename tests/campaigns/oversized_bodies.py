#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Oversized bodies"): POST bodies far above the 64 KiB limit to the
JSON API, EST, the admin login and an admin form, announced by Content-Length and sent chunked.
Announced by Content-Length: 413 (cpp-httplib discards the announced body, then answers); chunked:
411 before any body is read (the fix this campaign prompted). Every answer within 2 s, and the
server's RSS (VmRSS) must not grow beyond a small bound over the attempts.

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/oversized_bodies.py [--attempts 200]
"""
from __future__ import annotations

import argparse
import json
import socket
import ssl
import statistics
import sys
import time
from pathlib import Path

from common import Browser, Inkan, Server, Tally, client_pem, rss_kib, workdir, write_secret

BODY_MIB = 8             # announced size; the limit is 64 KiB
RSS_BOUND_KIB = 16 * 1024


def oversized(server, ctx, path: str, ctype: str, chunked: bool, cookie: str | None) -> tuple[int, float]:
    """Send headers announcing BODY_MIB and stream until the server answers; (status, seconds)."""
    t0 = time.monotonic()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    s = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {ctype}", "Connection: close"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {BODY_MIB << 20}")
    if cookie:
        head.append(f"Cookie: {cookie}")
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    piece = b"A" * 65536
    if chunked:  # 4 MiB of a never-terminated chunked body: the answer must not wait for its end
        piece = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        total = 64
    else:        # the whole announced body: cpp-httplib discards it, then answers
        total = BODY_MIB * 16
    reply = b""
    try:
        for _ in range(total):
            s.sendall(piece)
        s.settimeout(15)
        while b"\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
    except (OSError, ssl.SSLError):
        try:
            s.settimeout(2)
            reply += s.recv(4096)
        except (OSError, ssl.SSLError):
            pass
    finally:
        s.close()
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/1.1 ") else 0
    return status, time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--attempts", type=int, default=200)
    args = ap.parse_args()
    t = Tally("oversized_bodies")
    root = workdir("oversized")
    ink = Inkan(root)
    ink.init(name="Oversized CA")
    ink.tenant_add("acme", "Acme")
    admin = ink.issue("acme", "admin", root / "issued", "--kind", "tenant-admin", "--key", "ec-p256")
    term = ink.issue("acme", "term", root / "issued", "--key", "ec-p256")
    admin_pem = client_pem(Path(admin["p12"]), admin["password"], root / "pem")
    term_pem = client_pem(Path(term["p12"]), term["password"], root / "pem")
    pw = "alice has a long password 42"
    ink.run("user", "add", "alice", "--tenant", "acme", "--password-file", write_secret(root / "alice.pw", pw))
    ink.run("user", "bind-certificate", "alice", admin["serial"])  # issue 14 item 4

    server = Server(ink)
    try:
        b = Browser(server, admin_pem)
        t.check(b.login("alice", pw).status == 303, "admin login")
        cookie = "; ".join(f"{k}={v}" for k, v in b.cookies.items())
        ctx_admin = ssl.create_default_context(cafile=str(server.ca_file))
        ctx_admin.load_cert_chain(str(admin_pem[0]), str(admin_pem[1]))
        ctx_term = ssl.create_default_context(cafile=str(server.ca_file))
        ctx_term.load_cert_chain(str(term_pem[0]), str(term_pem[1]))
        targets = [
            ("api renew", ctx_term, "/api/v1/renew", "application/json", None),
            ("est simplereenroll", ctx_term, "/simplereenroll", "application/pkcs10", None),
            ("est (well-known)", ctx_term, "/.well-known/est/simplereenroll", "application/pkcs10", None),
            ("portal renew form", ctx_term, "/renew", "application/x-www-form-urlencoded", None),
            ("admin login", ctx_admin, "/admin/login", "application/x-www-form-urlencoded", None),
            ("admin notes form", ctx_admin, f"/admin/certificates/{term['serial']}/notes",
             "application/x-www-form-urlencoded", cookie),
        ]
        pid = server.proc.pid
        # Warm-up: one round over every target and mode, then take the baseline.
        for _, ctx, path, ctype, ck in targets:
            for chunked in (False, True):
                oversized(server, ctx, path, ctype, chunked, ck)
        base = rss_kib(pid)
        results: dict[str, list] = {}
        peak = base
        for i in range(args.attempts):
            name, ctx, path, ctype, ck = targets[i % len(targets)]
            chunked = (i // len(targets)) % 2 == 1
            status, secs = oversized(server, ctx, path, ctype, chunked, ck)
            results.setdefault(f"{name} {'chunked' if chunked else 'length'}", []).append((status, secs))
            peak = max(peak, rss_kib(pid))
        end = rss_kib(pid)
        figures = {}
        for key, rows in sorted(results.items()):
            statuses = sorted({s for s, _ in rows})
            times = sorted(x for _, x in rows)
            figures[key] = {"n": len(rows), "statuses": statuses, "median_s": round(statistics.median(times), 3),
                            "max_s": round(times[-1], 3)}
            want = [411] if key.endswith("chunked") else [413]
            t.check(statuses == want, f"{key}: statuses {statuses} (want {want})")
            t.check(times[-1] < 2.0, f"{key}: slowest answer {times[-1]:.3f} s (< 2 s)")
        growth = end - base
        t.check(growth < RSS_BOUND_KIB, f"RSS {base} -> {end} KiB (peak {peak}), growth {growth} KiB < {RSS_BOUND_KIB}")
        t.check(b.get("/admin/").status == 200, "server still answers")
        print(json.dumps({"attempts": args.attempts, "announced_mib": BODY_MIB, "rss_base_kib": base,
                          "rss_end_kib": end, "rss_peak_kib": peak, "targets": figures}, indent=1))
    finally:
        server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
