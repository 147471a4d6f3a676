#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Load"): --clients concurrent clients for --seconds against the
portal and the management site, over real mutual TLS, one connection per request (as
admin_support.Browser does: `Connection: close`).

- portal clients (--portal of them, each with its own terminal certificate): `GET /` (the status
  page of their certificate);
- admin clients (the rest, each with its own logged-in session of a tenant-admin): in turn
  `GET /admin/`, `/admin/certificates` (the list), `/admin/certificates/<serial>` (a detail page of
  one of the store's certificates), `/admin/login-history`, `/admin/users`.

Pass: 0 server errors (5xx, dropped or reset connections, timeouts) and every answer the expected
200. Figures: requests, req/s, latency p50/p99/max per kind, server RSS (VmRSS) before, peak and
after.

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/load.py [--clients 50] [--seconds 60]
"""
from __future__ import annotations

import argparse
import collections
import csv
import http.client
import json
import ssl
import sys
import threading
import time
from pathlib import Path

from common import Browser, Inkan, Server, Tally, client_pem, rss_kib, workdir, write_secret
from crash_server import pem_pair


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--portal", type=int, default=30, help="of the clients, how many use the portal")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--certs", type=int, default=300, help="certificates in the store (list/detail pages)")
    args = ap.parse_args()
    t = Tally("load")
    root = workdir("load")
    ink = Inkan(root)
    ink.init(name="Load CA")
    ink.tenant_add("acme", "Acme")
    csvf = root / "certs.csv"
    csvf.write_text("tenant,cn,kind,email\n" + "".join(f"acme,term-{i:04d},,term{i}@example.com\n"
                                                       for i in range(args.certs)))
    ink.run("batch", "issue", "--from", csvf, "--key", "ec-p256", "--out", root / "batch")
    rows = list(csv.DictReader(open(root / "batch" / "acme" / "passwords.csv", encoding="utf-8-sig")))
    pems = root / "pem"
    pems.mkdir(exist_ok=True)
    n_portal = min(args.portal, args.clients)
    portal_certs = [pem_pair(root / "batch" / "acme" / r["file"], r["password"], pems) for r in rows[:n_portal]]
    serials = [r["serial"] for r in rows]
    admin = ink.issue("acme", "load-admin", root / "issued", "--kind", "tenant-admin", "--key", "ec-p256")
    admin_pem = client_pem(Path(admin["p12"]), admin["password"], pems)
    pw = "alice has a long password 42"
    ink.run("user", "add", "alice", "--tenant", "acme", "--password-file", write_secret(root / "alice.pw", pw))
    ink.run("user", "bind-certificate", "alice", admin["serial"])  # issue 14 item 4

    server = Server(ink)
    pid = server.proc.pid
    results = collections.defaultdict(list)  # kind -> [(status, seconds)]
    errors = []
    lock = threading.Lock()
    stop_at = [0.0]
    try:
        browsers = []
        for i in range(args.clients - n_portal):
            b = Browser(server, admin_pem)
            r = b.login("alice", pw)
            if r.status != 303 or not b.session:
                t.check(False, f"admin login {i}: {r}")
                return t.finish()
            browsers.append(b)
        t.check(True, f"{len(browsers)} admin sessions logged in")

        def portal_client(i):
            ctx = ssl.create_default_context(cafile=str(server.ca_file))
            ctx.load_cert_chain(str(portal_certs[i][0]), str(portal_certs[i][1]))
            while time.monotonic() < stop_at[0]:
                t0 = time.monotonic()
                try:
                    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=30)
                    conn.request("GET", "/", headers={"Connection": "close"})
                    r = conn.getresponse()
                    body = r.read()
                    conn.close()
                    st = r.status if (r.status != 200 or b"term-" in body) else -1  # -1: 200 without the page
                except Exception as e:  # noqa: BLE001 - a dropped connection is a failure figure
                    st = 0
                    with lock:
                        errors.append(("portal", repr(e)[:160]))
                with lock:
                    results["portal GET /"].append((st, time.monotonic() - t0))

        def admin_client(i):
            b = browsers[i]
            pages = ["/admin/", "/admin/certificates", None, "/admin/login-history", "/admin/users"]
            k = i
            while time.monotonic() < stop_at[0]:
                page = pages[k % len(pages)]
                kind = "admin detail" if page is None else f"admin {page}"
                path = page or f"/admin/certificates/{serials[(k * 7919 + i) % len(serials)]}"
                k += 1
                t0 = time.monotonic()
                try:
                    st = b.get(path).status
                except Exception as e:  # noqa: BLE001
                    st = 0
                    with lock:
                        errors.append((kind, repr(e)[:160]))
                with lock:
                    results[kind].append((st, time.monotonic() - t0))

        # Warm-up (one request of each kind), then the baseline RSS.
        for b in browsers[:1]:
            for p in ("/admin/", "/admin/certificates", f"/admin/certificates/{serials[0]}"):
                b.get(p)
        time.sleep(1)
        rss_before = rss_kib(pid)
        peak = [rss_before]
        threads = [threading.Thread(target=portal_client, args=(i,)) for i in range(n_portal)]
        threads += [threading.Thread(target=admin_client, args=(i,)) for i in range(len(browsers))]
        stop_at[0] = time.monotonic() + args.seconds
        t0 = time.monotonic()
        for th in threads:
            th.start()
        while any(th.is_alive() for th in threads):
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.25)
        wall = time.monotonic() - t0
        time.sleep(2)
        rss_after = rss_kib(pid)
        alive = server.proc.poll() is None and Browser(server, admin_pem).get("/admin/login").status == 200

        allrows = [x for v in results.values() for x in v]
        total = len(allrows)
        statuses = collections.Counter(s for s, _ in allrows)
        per_kind = {}
        for kind, v in sorted(results.items()):
            lat = [x for _, x in v]
            per_kind[kind] = {"n": len(v), "statuses": dict(collections.Counter(s for s, _ in v)),
                              "p50_ms": round(pct(lat, 50) * 1000), "p99_ms": round(pct(lat, 99) * 1000),
                              "max_ms": round(max(lat) * 1000)}
        lat = [x for _, x in allrows]
        log = server.log_text()
        five = sum(1 for line in log.splitlines() if '" 5' in line)
        figures = {"clients": args.clients, "portal_clients": n_portal, "admin_clients": len(browsers),
                   "seconds": round(wall, 1), "requests": total, "req_per_s": round(total / wall, 1),
                   "p50_ms": round(pct(lat, 50) * 1000), "p99_ms": round(pct(lat, 99) * 1000),
                   "max_ms": round(max(lat) * 1000), "statuses": {str(k): v for k, v in sorted(statuses.items())},
                   "rss_kib": {"before": rss_before, "peak": peak[0], "after": rss_after},
                   "per_kind": per_kind, "errors_sample": errors[:5]}
        print(json.dumps(figures, indent=1))
        t.check(total > 0, f"{total} requests in {wall:.1f} s ({total / wall:.1f} req/s)")
        t.check(not errors and statuses[0] == 0, f"0 dropped/reset/timed-out connections: {len(errors)}")
        t.check(not any(s >= 500 for s in statuses), f"0 5xx answers: {sum(v for s, v in statuses.items() if s >= 500)}")
        t.check(five == 0, f"access log 5xx lines: {five}")
        t.check(set(statuses) == {200}, f"every answer 200 with its page: {dict(statuses)}")
        t.check(alive, "server still answers after the load")
    finally:
        if server.proc.poll() is None:
            server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
