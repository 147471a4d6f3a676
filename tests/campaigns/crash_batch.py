#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Crash"), batch half: `inkan batch reissue --expired` of N
certificates killed with SIGKILL at random moments, --kills times (each kill on a fresh batch run
resuming the last). After every kill: PRAGMA integrity_check = ok and no duplicate serial. At the
end the batch is re-run to completion (the documented recovery) and: every old certificate has
exactly one successor, no serial is lost or doubled, no reservation is left, every manifest entry
matches the store and its file's SHA-256, and `inkan doctor` is clean.
(Kills during server renewals are not covered yet.)

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/crash_batch.py [--kills 50] [--certs 200]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time

from common import Inkan, Tally, clean_env, workdir
from serve_support import not_before_for


def progress(ink) -> int:
    with sqlite3.connect(f"file:{ink.db}?mode=ro", uri=True, timeout=5) as con:
        return con.execute("SELECT count(*) FROM certificates WHERE predecessor IS NOT NULL").fetchone()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--certs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20261125)
    args = ap.parse_args()
    t = Tally("crash_batch")
    root = workdir("crash")
    ink = Inkan(root)
    ink.init(name="Crash CA")
    ink.tenant_add("acme", "Acme")
    csv = root / "expired.csv"
    csv.write_text("tenant,cn,kind,email\n" + "".join(f"acme,crash-{i:04d},,\n" for i in range(args.certs)))
    ink.run("batch", "issue", "--from", csv, "--not-before", not_before_for(-5), "--key", "ec-p256",
            "--out", root / "old")
    olds = set(ink.sql("SELECT serial FROM certificates").split())
    t.check(len(olds) == args.certs, f"{len(olds)} expired certificates to reissue")

    out = root / "reissued"
    rng = random.Random(args.seed)
    killed, finished_early, bad = 0, 0, []
    t0 = time.monotonic()
    for k in range(args.kills):
        proc = subprocess.Popen([str(c) for c in ink.cmd("batch", "reissue", "--expired", "--out", out)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(), cwd=ink.root)
        # Wait until this run has recorded something new (the passphrase KDF alone takes ~0.5 s),
        # then kill at a random moment in the next 0.15 s: every kill lands mid-batch.
        before = progress(ink)
        deadline = time.monotonic() + 60
        while proc.poll() is None and progress(ink) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.15))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            finished_early += 1
        proc.communicate(timeout=120)
        integrity = ink.sql("PRAGMA integrity_check").strip()
        dup = ink.sql("SELECT count(*) - count(DISTINCT serial) FROM certificates").strip()
        multi = ink.sql("SELECT count(*) FROM (SELECT predecessor FROM certificates WHERE predecessor IS NOT NULL"
                        " AND state != 'reserved' GROUP BY predecessor HAVING count(*) > 1)").strip()
        done = ink.sql("SELECT count(*) FROM certificates WHERE predecessor IS NOT NULL").strip()
        if integrity != "ok" or dup != "0" or multi != "0":
            bad.append({"kill": k, "integrity": integrity, "dup": dup, "multi_successor": multi})
        print(f"kill {k + 1}/{args.kills}: integrity={integrity} dup={dup} successors_so_far={done}", flush=True)

    final = ink.run("batch", "reissue", "--expired", "--out", out, check=False)
    t.check(final.returncode == 0, f"recovery run exit {final.returncode}: {final.stdout.strip()[-200:]} {final.stderr.strip()[-200:]}")
    t.check(not bad, f"after each of {args.kills} kills integrity ok and no duplicate/double successor: {bad[:3]}")
    t.check(killed >= args.kills // 2, f"runs killed mid-flight: {killed} (finished before the kill: {finished_early})")
    succ = ink.sql("SELECT predecessor, count(*) FROM certificates WHERE predecessor IS NOT NULL GROUP BY predecessor").split()
    t.check(len(succ) == args.certs and all(s.endswith("|1") for s in succ), f"exactly one successor for each of {args.certs}")
    t.check({s.split('|')[0] for s in succ} == olds, "no old certificate lost")
    t.check(ink.sql("SELECT count(*) - count(DISTINCT serial) FROM certificates").strip() == "0", "no duplicate serial")
    t.check(ink.sql("SELECT count(*) FROM certificates WHERE state = 'reserved'").strip() == "0", "no reservation left")
    total = ink.sql("SELECT count(*) FROM certificates").strip()
    t.check(total == str(2 * args.certs), f"store holds {total} certificates (want {2 * args.certs}: none signed twice)")
    manifest = json.loads((out / "manifest.json").read_text())
    new_serials = set(ink.sql("SELECT serial FROM certificates WHERE predecessor IS NOT NULL").split())
    entries = manifest["entries"]
    t.check(len(entries) == args.certs and {e["old_serial"] for e in entries} == olds, f"manifest has {len(entries)} entries")
    bad_files = [e["p12"] for e in entries if hashlib.sha256((out / e["p12"]).read_bytes()).hexdigest() != e["sha256"]]
    t.check(not bad_files, f"manifest files match their SHA-256 ({len(bad_files)} mismatches)")
    mserials = {e.get("serial") or e.get("new_serial") for e in entries}
    t.check(mserials <= new_serials and len(mserials) == args.certs,
            f"every manifest successor is recorded in the store ({len(mserials & new_serials)}/{args.certs})")
    t.check(not list(out.rglob(".*.partial")), "no .partial file left")
    doctor = ink.run("doctor", check=False)
    t.check(doctor.returncode == 0 and "PROBLEM" not in doctor.stdout, f"doctor clean (exit {doctor.returncode})")
    print(json.dumps({"certs": args.certs, "kills": args.kills, "killed_mid_run": killed,
                      "finished_before_kill": finished_early, "seconds": round(time.monotonic() - t0, 1),
                      "final_run": final.stdout.strip().splitlines()[-1:] if final.stdout else []}))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
