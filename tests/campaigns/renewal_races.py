#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Races"): 50 parallel `POST /api/v1/renew` of one certificate over
real mutual TLS, released together by a barrier, for --rounds rounds (a fresh certificate each
round). Pass: exactly 1 successor per round in the store (and every 200 names it), 0 server
errors (5xx or dropped connections); 409 `conflict` is the documented "retry" answer.

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/renewal_races.py [--rounds 200]
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import sqlite3
import ssl
import sys
import threading
import time
from pathlib import Path

from common import Inkan, Server, Tally, client_pem, not_before_for, workdir

PARALLEL = 50


def renew(server, ctx, barrier, out, i):
    try:
        barrier.wait()  # all 50 clients start together (the server has 8 workers; the rest queue)
        conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=60)
        conn.request("POST", "/api/v1/renew", body="{}", headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        out[i] = (r.status, json.loads(body).get("serial") if r.status == 200 else body[:80])
    except Exception as e:  # noqa: BLE001 - every failure is a figure
        out[i] = (0, repr(e)[:120])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    t = Tally("renewal_races")
    root = workdir("races")
    ink = Inkan(root)
    ink.init(name="Races CA")
    ink.tenant_add("acme", "Acme")
    server = Server(ink)
    statuses = collections.Counter()
    bad_rounds, t0 = [], time.monotonic()
    try:
        for rnd in range(args.rounds):
            c = ink.issue("acme", f"race-{rnd:03d}", root / "issued", "--key", "ec-p256",
                          "--not-before", not_before_for(30))
            pem = client_pem(Path(c["p12"]), c["password"], root / "pem")
            ctx = ssl.create_default_context(cafile=str(server.ca_file))
            ctx.load_cert_chain(str(pem[0]), str(pem[1]))
            out = [None] * PARALLEL
            barrier = threading.Barrier(PARALLEL)
            threads = [threading.Thread(target=renew, args=(server, ctx, barrier, out, i)) for i in range(PARALLEL)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            statuses.update(s for s, _ in out)
            with sqlite3.connect(f"file:{ink.db}?mode=ro", uri=True) as con:
                succ = [r[0] for r in con.execute("SELECT serial FROM certificates WHERE predecessor = ?", (c["serial"],))]
            named = {v for s, v in out if s == 200}
            errors = [o for o in out if o[0] == 0 or o[0] >= 500]
            ok = len(succ) == 1 and named <= set(succ) and not errors and named
            if not ok:
                bad_rounds.append({"round": rnd, "successors": succ, "named": sorted(named), "errors": errors[:3]})
            print(f"round {rnd + 1}/{args.rounds}: successors={len(succ)} statuses={dict(collections.Counter(s for s, _ in out))}",
                  flush=True)
        secs = time.monotonic() - t0
        dup = ink.sql("SELECT count(*) - count(DISTINCT serial) FROM certificates").strip()
        integrity = ink.sql("PRAGMA integrity_check").strip()
        doctor = ink.run("doctor", check=False)
        log = server.log_text()
        five = sum(1 for line in log.splitlines() if '" 5' in line)
        t.check(not bad_rounds, f"{args.rounds} rounds x {PARALLEL}: rounds without exactly one successor "
                                f"or with errors: {len(bad_rounds)} {bad_rounds[:3]}")
        t.check(statuses[0] == 0 and not any(s >= 500 for s in statuses), f"0 server errors: {dict(statuses)}")
        t.check(five == 0, f"access log 5xx lines: {five}")
        t.check(dup == "0", f"duplicate serials: {dup}")
        t.check(integrity == "ok", f"integrity_check: {integrity}")
        t.check(doctor.returncode == 0, f"doctor exit {doctor.returncode}")
        print(json.dumps({"rounds": args.rounds, "parallel": PARALLEL, "requests": sum(statuses.values()),
                          "statuses": {str(k): v for k, v in sorted(statuses.items())},
                          "seconds": round(secs, 1), "server_rss_kib": __import__("common").rss_kib(server.proc.pid)}))
    finally:
        server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
