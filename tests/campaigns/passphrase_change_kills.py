#!/usr/bin/python3
"""Campaign (issue 18, item 2): `inkan passphrase change` killed with SIGKILL at random moments.
A first, uninterrupted change measures how long one takes; then --kills times a change from the
passphrase that works now to the other one is started and killed after a random delay between 0
and 1.2x that duration (so a few kills land after the commit). After every kill: exactly one of the
two passphrases works, for both the data key (`inkan password`) and the issuing CA key
(`inkan crl`), the other is refused with exit 5 by both, and `inkan doctor` is clean. A server
started before the first change keeps serving throughout (a renewal over the API at the end).

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/passphrase_change_kills.py [--kills 50]
"""
from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import time

from common import Inkan, Server, Tally, clean_env, curl, not_before_for, workdir, write_secret

A = "campaign passphrase A 4b7e"
B = "campaign passphrase B 9d21"


def works(ink: Inkan, passfile, serial) -> tuple[bool, bool]:
    """(data key opens, issuing CA key opens) with this passphrase; anything but 0 or 5 fails."""
    results = []
    for args in (("password", serial), ("crl", "--out", ink.root / "crl.der")):
        rc = ink.run(*args, check=False, passfile=passfile).returncode
        if rc not in (0, 5):
            raise AssertionError(f"{args[0]} exited with {rc}")
        results.append(rc == 0)
    return results[0], results[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20261207)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    t = Tally("passphrase_change_kills")
    root = workdir("passphrase")
    ink = Inkan(root, passphrase=A)
    files = {A: ink.passfile, B: write_secret(root / "b.txt", B)}
    ink.init(name="Passphrase Campaign CA")
    ink.tenant_add("acme", "Acme")
    cert = ink.issue("acme", "campaign", root / "out", "--key", "ec-p256")
    near = ink.issue("acme", "renew-at-end", root / "out", "--key", "ec-p256", "--not-before", not_before_for(30))
    server = Server(ink)  # creates the server key under A, so every change re-encrypts it too

    # Calibration: one full change A -> B, timed.
    start = time.monotonic()
    ink.run("passphrase", "change", "--new-passphrase-file", files[B])
    full = time.monotonic() - start
    current = B
    print(f"one uninterrupted change takes {full:.2f} s (process start to exit)", flush=True)

    committed = interrupted = 0
    for i in range(args.kills):
        target = A if current == B else B
        delay = rnd.uniform(0, 1.2 * full)
        proc = subprocess.Popen([str(c) for c in ink.cmd("passphrase", "change", "--new-passphrase-file", files[target],
                                                         passfile=files[current])],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_env(), cwd=root)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        old_ok = works(ink, files[current], cert["serial"])
        new_ok = works(ink, files[target], cert["serial"])
        one = (old_ok == (True, True) and new_ok == (False, False)) or (old_ok == (False, False) and new_ok == (True, True))
        t.check(one, f"kill {i + 1:2d} after {delay:5.2f} s: old {old_ok}, new {new_ok}: exactly one passphrase works")
        if new_ok == (True, True):
            committed += 1
            current = target
        else:
            interrupted += 1
        doctor = ink.run("doctor", check=False)
        t.check(doctor.returncode == 0 and "PROBLEM" not in doctor.stdout, f"kill {i + 1:2d}: doctor clean")

    print(f"{args.kills} kills: {interrupted} before the commit (old passphrase kept), {committed} after (new one)")
    t.check(interrupted > 0 and committed > 0, "kills landed both before and after the commit")
    reply = curl(server, "/api/v1/renew", p12=near["p12"], password=near["password"], method="POST",
                 data="{}", content_type="application/json")
    t.check(reply.status in (200, 201) and server.proc.poll() is None,
            f"the server started before the changes still renews (HTTP {reply.status})")
    server.stop()
    changes = ink.json("audit", "--action", "passphrase.change", "--limit", "1000", "--format", "json")["entries"]
    t.check(len(changes) == committed + 1, f"{len(changes)} passphrase.change audit entries = committed changes + 1")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
