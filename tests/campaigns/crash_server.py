#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Crash"), server half: `inkan serve` killed with SIGKILL at random
moments while clients renew over the JSON API (`POST /api/v1/renew`, mutual TLS), --kills times,
the server restarted after each kill.

Each round: CERTS fresh certificates inside their renewal window, 2 clients per certificate (so
every round is also a race), all released together; the server is killed at a random moment
within 0.25 s after the round's first row (reservation or successor) appears. After every kill,
with the server down:
  - PRAGMA integrity_check = ok; no duplicate serial; no certificate lost (every serial seen
    before the kill is still there);
  - at most 1 successor (reserved or issued) per certificate; lineage links agree both ways;
  - 0 signed but unrecorded: every successor a client received in a 200 answer is in the store,
    issued (not a reservation), its predecessor is the renewed certificate, and the SHA-256 of the
    certificate inside the p12 the client got equals the store's;
  - leftover reservations (signed never, handed out never) are counted.
Then the server is restarted and `inkan doctor` run; a leftover reservation is a PROBLEM for
doctor and, while younger than 10 minutes, makes that certificate's renewal answer 409 after the
30 s wait (older ones are taken over by the next renewal), so the recovery is the documented
`inkan doctor --clear-reservations`, after which doctor must be clean. How often doctor reported a
leftover reservation right after the restart, before that step, is printed as a figure. Finally every
certificate of the round is renewed again: each must get 200 and, when a client already got a
successor before the kill, that same successor (one certificate, one successor).

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/crash_server.py [--kills 50] [--certs 12]
"""
from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import http.client
import json
import random
import signal
import sqlite3
import ssl
import sys
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from common import Inkan, Server, Tally, not_before_for, workdir

CLIENTS_PER_CERT = 2


def pem_pair(p12: Path, password: str, out: Path) -> tuple[Path, Path]:
    key, cert, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), password.encode())
    c, k = out / (p12.stem + ".crt.pem"), out / (p12.stem + ".key.pem")
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return c, k


def renew(port, ctx, start, out, i, timeout=60):
    try:
        start.wait()
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=timeout)
        conn.request("POST", "/api/v1/renew", body="{}", headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        if r.status == 200:
            j = json.loads(body)
            key, cert, _ = pkcs12.load_key_and_certificates(base64.b64decode(j["p12"]), j["password"].encode())
            der = cert.public_bytes(serialization.Encoding.DER)
            out[i] = (200, j["serial"], j["predecessor"], hashlib.sha256(der).hexdigest())
        else:
            out[i] = (r.status, body[:120].decode(errors="replace"), None, None)
    except Exception as e:  # noqa: BLE001 - a refused/reset connection after the kill is expected
        out[i] = (0, repr(e)[:120], None, None)


def db_rows(db: Path):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as con:
        return con.execute("SELECT serial, state, predecessor, successor, sha256 FROM certificates").fetchall()


def progress(db: Path, olds: list[str]) -> int:
    q = ",".join("?" * len(olds))
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute(f"SELECT count(*) FROM certificates WHERE predecessor IN ({q})", olds).fetchone()[0]
    except sqlite3.Error:
        return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--certs", type=int, default=12, help="certificates renewed per round")
    ap.add_argument("--seed", type=int, default=20261126)
    args = ap.parse_args()
    t = Tally("crash_server")
    rng = random.Random(args.seed)
    root = workdir("crash-server")
    ink = Inkan(root)
    ink.init(name="Crash Server CA")
    ink.tenant_add("acme", "Acme")
    n = args.kills * args.certs
    csvf = root / "due.csv"
    csvf.write_text("tenant,cn,kind,email\n" + "".join(f"acme,due-{i:04d},,\n" for i in range(n)))
    ink.run("batch", "issue", "--from", csvf, "--not-before", not_before_for(30), "--key", "ec-p256",
            "--out", root / "due")
    pems = root / "pem"
    pems.mkdir(exist_ok=True)
    certs = []  # (serial, (cert pem, key pem))
    with open(root / "due" / "acme" / "passwords.csv", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            certs.append((row["serial"], pem_pair(root / "due" / "acme" / row["file"], row["password"], pems)))
    certs.sort(key=lambda c: c[1][0].name)
    t.check(len(certs) == n, f"{len(certs)} certificates inside their renewal window")

    server = Server(ink)
    ca_file = server.ca_file
    seen: set[str] = {r[0] for r in db_rows(ink.db) if r[1] != "reserved"}  # issued serials
    bad, figures = [], {"kills": 0, "ok_answers_before_kill": 0, "leftover_reservations": 0,
                        "kills_leaving_reservations": 0, "doctor_problem_after_restart": 0,
                        "statuses_before_kill": {}, "retry_statuses": {}, "blocked_demo": None}
    t0 = time.monotonic()
    try:
        for k in range(args.kills):
            batch = certs[k * args.certs:(k + 1) * args.certs]
            olds = [s for s, _ in batch]
            ctxs = []
            for _, (cp, kp) in batch:
                ctx = ssl.create_default_context(cafile=str(ca_file))
                ctx.load_cert_chain(str(cp), str(kp))
                ctxs.append(ctx)
            out = [None] * (len(batch) * CLIENTS_PER_CERT)
            start = threading.Event()
            threads = [threading.Thread(target=renew, args=(server.port, ctxs[i // CLIENTS_PER_CERT], start, out, i))
                       for i in range(len(out))]
            for th in threads:
                th.start()
            before = progress(ink.db, olds)
            start.set()
            deadline = time.monotonic() + 30
            while progress(ink.db, olds) == before and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.25))
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(timeout=30)
            figures["kills"] += 1
            for th in threads:
                th.join(timeout=90)
            stat = figures["statuses_before_kill"]
            for o in out:
                stat[str(o[0])] = stat.get(str(o[0]), 0) + 1

            # --- the server is down: look at the store ---------------------------------------
            integrity = ink.sql("PRAGMA integrity_check").strip()
            rows = db_rows(ink.db)
            by_serial = {r[0]: r for r in rows}
            dup = len(rows) - len(by_serial)
            lost = {s for s in seen if s not in by_serial or by_serial[s][1] == "reserved"}
            seen |= {r[0] for r in rows if r[1] != "reserved"}
            succ_count: dict[str, int] = {}
            for r in rows:
                if r[2]:
                    succ_count[r[2]] = succ_count.get(r[2], 0) + 1
            multi = {p: c for p, c in succ_count.items() if c > 1}
            # lineage: an issued successor's predecessor names it, and a named successor is issued
            link_bad = [r[0] for r in rows if r[2] and r[1] != "reserved" and by_serial.get(r[2], (0, 0, 0, None))[3] != r[0]]
            link_bad += [r[0] for r in rows if r[3] and (r[3] not in by_serial or by_serial[r[3]][1] == "reserved"
                                                          or by_serial[r[3]][2] != r[0])]
            unrecorded, answers = [], {}
            for (st, serial, pred, sha) in out:
                if st != 200:
                    continue
                figures["ok_answers_before_kill"] += 1
                rec = by_serial.get(serial)
                if not rec or rec[1] == "reserved" or rec[2] != pred or rec[4] != sha:
                    unrecorded.append((serial, rec))
                if answers.setdefault(pred, serial) != serial:
                    unrecorded.append(("two successors handed out for", pred))
            reserved = [r[0] for r in rows if r[1] == "reserved"]
            figures["leftover_reservations"] += len(reserved)
            figures["kills_leaving_reservations"] += bool(reserved)
            if integrity != "ok" or dup or lost or multi or link_bad or unrecorded:
                bad.append({"kill": k, "integrity": integrity, "dup": dup, "lost": sorted(lost)[:3],
                            "multi": multi, "links": link_bad[:3], "unrecorded": unrecorded[:3]})

            # --- restart, doctor, recovery, retry ----------------------------------------------
            server = Server(ink)
            doc = ink.run("doctor", check=False)
            doctor_rc = doc.returncode
            if doc.returncode != 0:
                figures["doctor_problem_after_restart"] += 1
                problems = [l for l in doc.stdout.splitlines() if not l.startswith("ok")]
                if any(not l.split()[1].startswith("reservations") for l in problems if l.split()):
                    bad.append({"kill": k, "doctor_after_restart": problems[:4]})
                if reserved and figures["blocked_demo"] is None:
                    # What a client sees while the reservation stays: renew the blocked certificate.
                    pred = by_serial[reserved[0]][2]
                    i = olds.index(pred)
                    o, ev = [None], threading.Event()
                    ev.set()
                    tb = time.monotonic()
                    renew(server.port, ctxs[i], ev, o, 0, timeout=120)
                    figures["blocked_demo"] = {"status": o[0][0], "answer": o[0][1],
                                               "seconds": round(time.monotonic() - tb, 1)}
                clear = ink.run("doctor", "--clear-reservations", check=False)
                doc = ink.run("doctor", check=False)
            clean = doc.returncode == 0 and "PROBLEM" not in doc.stdout
            if not clean:
                bad.append({"kill": k, "doctor_after_recovery": doc.stdout[-400:]})
            retry = [None] * len(batch)
            ev = threading.Event()
            ev.set()
            rth = [threading.Thread(target=renew, args=(server.port, ctxs[i], ev, retry, i)) for i in range(len(batch))]
            for th in rth:
                th.start()
            for th in rth:
                th.join(timeout=120)
            rs = figures["retry_statuses"]
            for i, o in enumerate(retry):
                rs[str(o[0])] = rs.get(str(o[0]), 0) + 1
                if o[0] != 200 or o[2] != olds[i] or (olds[i] in answers and answers[olds[i]] != o[1]):
                    bad.append({"kill": k, "retry": olds[i], "got": o[:2], "handed_out_before": answers.get(olds[i])})
            rows = db_rows(ink.db)
            after = {p: c for p, c in ((p, sum(1 for r in rows if r[2] == p)) for p in olds)}
            if any(c != 1 for c in after.values()):
                bad.append({"kill": k, "successors_after_retry": after})
            print(f"kill {k + 1}/{args.kills}: integrity={integrity} answered_200={sum(1 for o in out if o[0] == 200)}"
                  f" reservations_left={len(reserved)} doctor_after_restart={doctor_rc}"
                  f" retry={sorted({o[0] for o in retry})} one_successor_each={all(c == 1 for c in after.values())}",
                  flush=True)
        secs = time.monotonic() - t0
        rows = db_rows(ink.db)
        t.check(not bad, f"after each of {args.kills} kills: integrity ok, 0 duplicate/lost serials, <= 1 successor, "
                         f"links agree, every 200 recorded with its DER, doctor clean after recovery, retries "
                         f"return the same successor: {json.dumps(bad[:4])}")
        # A figure, not a condition: a kill between reserving and committing leaves a reservation by
        # design (design.md §7), and doctor names it until the documented recovery clears it.
        print(f"doctor PROBLEM right after the restart (leftover reservations, before the documented "
              f"recovery): {figures['doctor_problem_after_restart']} of {args.kills} restarts")
        t.check(figures["kills"] == args.kills, f"kills: {figures['kills']}")
        t.check(figures["ok_answers_before_kill"] > 0, f"200 answers received before the kills: {figures['ok_answers_before_kill']}")
        succ = {}
        for r in rows:
            if r[2]:
                succ[r[2]] = succ.get(r[2], 0) + 1
        t.check(len(succ) == n and set(succ.values()) == {1}, f"exactly one successor for each of the {n} certificates")
        t.check(sum(1 for r in rows if r[1] == "reserved") == 0, "no reservation left at the end")
        t.check(len(rows) == 2 * n, f"store holds {len(rows)} certificates (want {2 * n})")
        doctor = ink.run("doctor", check=False)
        t.check(doctor.returncode == 0 and "PROBLEM" not in doctor.stdout, f"final doctor exit {doctor.returncode}")
        figures.update({"certs_per_round": args.certs, "clients_per_round": args.certs * CLIENTS_PER_CERT,
                        "seconds": round(secs, 1)})
        print(json.dumps(figures))
    finally:
        if server.proc.poll() is None:
            server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
