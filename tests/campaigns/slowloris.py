#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Slow clients"): --conns slow connections held open against
`inkan serve` while a legitimate client (its own terminal certificate, mutual TLS) requests the
portal's `GET /` once a second, each request on a new connection.

Attack modes, each for --seconds, the server drained between them:
  - tcp-idle:    plain TCP connections to the TLS port that send nothing (the worker waits in the
                 TLS handshake); reopened as soon as the server closes one;
  - tls-trickle: a full TLS handshake (no client certificate), then `GET / HTTP/1.1` and one more
                 header line every --interval s, never ending the header; reopened when closed.

Pass: every legitimate request served (200) within 2 s, in every mode. The script prints the
figures either way: legitimate requests, served within 2 s, p50/max latency, requests that timed
out (--timeout), attacker connections opened and closed by the server, server RSS.

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/slowloris.py [--conns 64] [--seconds 30]
"""
from __future__ import annotations

import argparse
import http.client
import json
import socket
import ssl
import statistics
import sys
import threading
import time
from pathlib import Path

from common import Inkan, Server, Tally, client_pem, rss_kib, workdir

LIMIT_S = 2.0


def legit_request(server, ctx, out, timeout):
    t0 = time.monotonic()
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=timeout)
        conn.request("GET", "/", headers={"Connection": "close"})
        r = conn.getresponse()
        r.read()
        conn.close()
        out.append((r.status, time.monotonic() - t0))
    except Exception as e:  # noqa: BLE001 - a timeout is the figure we are after
        out.append((0, time.monotonic() - t0, repr(e)[:100]))


def attacker(mode, server, stop_at, interval, stats, lock):
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    while time.monotonic() < stop_at[0]:
        s = None
        try:
            raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            with lock:
                stats["opened"] += 1
            if mode == "tcp-idle":
                raw.settimeout(0.5)
                s = raw
                while time.monotonic() < stop_at[0]:
                    try:
                        if s.recv(1) == b"":
                            break  # the server closed it
                    except socket.timeout:
                        continue
            else:
                raw.settimeout(max(5.0, stop_at[0] - time.monotonic()))
                s = ctx.wrap_socket(raw, server_hostname="127.0.0.1")  # waits for a worker
                with lock:
                    stats["handshaken"] += 1
                s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                k = 0
                while time.monotonic() < stop_at[0]:
                    time.sleep(interval)
                    s.sendall(f"X-Slow-{k}: {k}\r\n".encode())
                    k += 1
            with lock:
                stats["closed_by_server"] += time.monotonic() < stop_at[0]
        except (OSError, ssl.SSLError):
            with lock:
                stats["closed_by_server"] += time.monotonic() < stop_at[0]
        finally:
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass
        time.sleep(0.05)


def summarize(rows):
    lat = [r[1] for r in rows]
    ok = [r for r in rows if r[0] == 200 and r[1] <= LIMIT_S]
    return {"requests": len(rows), "served_200": sum(1 for r in rows if r[0] == 200),
            "within_2s": len(ok), "failed_or_timed_out": sum(1 for r in rows if r[0] != 200),
            "p50_s": round(statistics.median(lat), 3) if lat else None,
            "max_s": round(max(lat), 3) if lat else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--conns", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--interval", type=float, default=3.0, help="tls-trickle: seconds between header lines")
    ap.add_argument("--timeout", type=float, default=30.0, help="legitimate client's timeout")
    ap.add_argument("--modes", default="tcp-idle,tls-trickle")
    args = ap.parse_args()
    t = Tally("slowloris")
    root = workdir("slowloris")
    ink = Inkan(root)
    ink.init(name="Slowloris CA")
    ink.tenant_add("acme", "Acme")
    term = ink.issue("acme", "legit", root / "issued", "--key", "ec-p256")
    pem = client_pem(Path(term["p12"]), term["password"], root / "pem")
    server = Server(ink)
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    ctx.load_cert_chain(str(pem[0]), str(pem[1]))
    figures = {"conns": args.conns, "seconds_per_mode": args.seconds, "interval_s": args.interval}
    try:
        base = []
        for _ in range(5):
            legit_request(server, ctx, base, args.timeout)
        figures["baseline"] = summarize(base)
        figures["rss_kib_start"] = rss_kib(server.proc.pid)
        for mode in args.modes.split(","):
            stats = {"opened": 0, "handshaken": 0, "closed_by_server": 0}
            lock = threading.Lock()
            stop_at = [time.monotonic() + args.seconds]
            attackers = [threading.Thread(target=attacker, args=(mode, server, stop_at, args.interval, stats, lock))
                         for _ in range(args.conns)]
            for th in attackers:
                th.start()
            time.sleep(2)  # let the slow connections take the workers
            rows, legit = [], []
            while time.monotonic() < stop_at[0]:
                th = threading.Thread(target=legit_request, args=(server, ctx, rows, args.timeout))
                th.start()
                legit.append(th)
                time.sleep(1)
            peak = rss_kib(server.proc.pid)
            for th in legit:
                th.join(timeout=args.timeout + 10)
            for th in attackers:
                th.join(timeout=30)
            # Drain: the server must come back by itself once the attack stops.
            t_stop = time.monotonic()
            drained = None
            while time.monotonic() - t_stop < 120:
                probe = []
                legit_request(server, ctx, probe, 10)
                if probe[0][0] == 200 and probe[0][1] <= LIMIT_S:
                    drained = round(time.monotonic() - t_stop, 1)
                    break
            figures[mode] = {"legit": summarize(rows), "attackers": dict(stats), "rss_kib_during": peak,
                             "recovered_after_attack_s": drained,
                             "failures_sample": [r for r in rows if r[0] != 200][:3]}
            print(f"{mode}: {json.dumps(figures[mode])}", flush=True)
        figures["rss_kib_end"] = rss_kib(server.proc.pid)
        print(json.dumps(figures, indent=1))
        t.check(figures["baseline"]["within_2s"] == 5, f"baseline: {figures['baseline']}")
        for mode in args.modes.split(","):
            s = figures[mode]["legit"]
            t.check(s["requests"] > 0 and s["within_2s"] == s["requests"],
                    f"{mode}: {s['within_2s']} of {s['requests']} legitimate requests served within {LIMIT_S} s "
                    f"(p50 {s['p50_s']} s, max {s['max_s']} s, {s['failed_or_timed_out']} failed/timed out)")
            t.check(figures[mode]["recovered_after_attack_s"] is not None,
                    f"{mode}: server answers within 2 s again {figures[mode]['recovered_after_attack_s']} s after the attack")
    finally:
        if server.proc.poll() is None:
            server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
