#!/usr/bin/python3
"""Campaign (issue 14 item 2, "Header flood"): --conns connections without a client certificate,
each sending `GET / HTTP/1.1` then header lines of 96 bytes (as in the security review) until the
server refuses them (a 431, a close or a reset) or --max-mib per connection is sent; a refused
connection is replaced at once, for --seconds. Meanwhile a legitimate client (its own terminal
certificate, mutual TLS) requests the portal's `GET /` once a second, each on a new connection.
The server's RSS is sampled every 0.2 s.

Pass: RSS growth (peak during the attack minus the start) under --max-growth-mib (20), and every
legitimate request answered 200 within 2 s. The figures are printed either way: RSS start, peak
and end, connections opened, 431 answers, header bytes sent per connection (median and max).

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/header_flood.py [--conns 16] [--seconds 20]
"""
from __future__ import annotations

import argparse
import json
import socket
import ssl
import statistics
import sys
import threading
import time
from pathlib import Path

from common import Inkan, Server, Tally, client_pem, rss_kib, workdir
from slowloris import LIMIT_S, legit_request, summarize

LINE = b"X-Flood: " + b"f" * 85 + b"\r\n"  # 96 bytes


def flooder(server, stop_at, max_bytes, stats, lock):
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    while time.monotonic() < stop_at:
        sent, answer = 0, b""
        try:
            raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
            with lock:
                stats["opened"] += 1
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            block = LINE * 64
            while sent < max_bytes and time.monotonic() < stop_at:
                s.sendall(block)
                sent += len(block)
            s.settimeout(2)
            answer = s.recv(64)
            s.close()
        except (OSError, ssl.SSLError):
            pass
        with lock:
            stats["bytes_per_conn"].append(sent)
            stats["answered_431"] += answer.startswith(b"HTTP/1.1 431 ")
            stats["reached_max"] += sent >= max_bytes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--conns", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--max-mib", type=float, default=32, help="header bytes one connection sends at most")
    ap.add_argument("--max-growth-mib", type=float, default=20)
    args = ap.parse_args()
    t = Tally("header_flood")
    root = workdir("header-flood")
    ink = Inkan(root)
    ink.init(name="Header Flood CA")
    ink.tenant_add("acme", "Acme")
    term = ink.issue("acme", "legit", root / "issued", "--key", "ec-p256")
    pem = client_pem(Path(term["p12"]), term["password"], root / "pem")
    server = Server(ink)
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    ctx.load_cert_chain(str(pem[0]), str(pem[1]))
    figures = {"conns": args.conns, "seconds": args.seconds, "max_mib_per_conn": args.max_mib}
    try:
        base = []
        for _ in range(3):
            legit_request(server, ctx, base, 10)
        figures["baseline"] = summarize(base)
        start = rss_kib(server.proc.pid)
        stats = {"opened": 0, "answered_431": 0, "reached_max": 0, "bytes_per_conn": []}
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        floods = [threading.Thread(target=flooder, args=(server, stop_at, int(args.max_mib * 1048576), stats, lock))
                  for _ in range(args.conns)]
        for th in floods:
            th.start()
        peak, rows, legit = start, [], []
        next_legit = time.monotonic() + 1
        while time.monotonic() < stop_at:
            peak = max(peak, rss_kib(server.proc.pid))
            if time.monotonic() >= next_legit:
                th = threading.Thread(target=legit_request, args=(server, ctx, rows, 10))
                th.start()
                legit.append(th)
                next_legit += 1
            time.sleep(0.2)
        for th in floods + legit:
            th.join(timeout=60)
        peak = max(peak, rss_kib(server.proc.pid))
        per = stats.pop("bytes_per_conn")
        figures["attack"] = {**stats, "header_bytes_per_conn_median": int(statistics.median(per)) if per else 0,
                             "header_bytes_per_conn_max": max(per, default=0)}
        figures["legit"] = summarize(rows)
        figures["rss_kib"] = {"start": start, "peak": peak, "end": rss_kib(server.proc.pid),
                              "growth": peak - start}
        print(json.dumps(figures, indent=1))
        growth_mib = (peak - start) / 1024
        t.check(growth_mib < args.max_growth_mib,
                f"RSS growth {growth_mib:.1f} MiB under {args.conns} flooding connections (limit {args.max_growth_mib})")
        s = figures["legit"]
        t.check(s["requests"] > 0 and s["within_2s"] == s["requests"],
                f"{s['within_2s']} of {s['requests']} legitimate requests served within {LIMIT_S} s "
                f"(p50 {s['p50_s']} s, max {s['max_s']} s)")
        t.check(stats["reached_max"] == 0, f"{stats['reached_max']} connections sent {args.max_mib} MiB unrefused")
    finally:
        if server.proc.poll() is None:
            server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
