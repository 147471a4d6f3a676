"""Issue 3 "Crashes": a 300-certificate `inkan batch reissue` killed with SIGKILL at random
moments, 10 times, then run to completion. Afterwards every identity has exactly one successor,
no serial is doubled, no reservation is left, `doctor` is clean, and every file named in the
manifest is present with its SHA-256."""
from __future__ import annotations

import hashlib
import json
import random
import signal
import subprocess
import time

from helpers import clean_env, describe
from test_batch import TENANTS, expired_not_before, write_csv

TOTAL = 300


def test_kill_9_at_random_points_then_finish(make_inkan):
    ca = make_inkan("crash")
    ca.init()
    for t in TENANTS:
        ca.tenant_add(t, f"{t.title()} Clinic")
    rows = [f"{t},{t}-crash-{i:03d},," for t in TENANTS for i in range(TOTAL // len(TENANTS))]
    ca.run("batch", "issue", "--from", write_csv(ca.root / "expired.csv", rows), "--not-before",
           expired_not_before(), "--key", "ec-p256", "--out", ca.root / "old")
    olds = {r.split("|")[0] for r in ca.sql("SELECT serial FROM certificates").split()}
    assert len(olds) == TOTAL

    out = ca.root / "reissued"
    rng = random.Random(20240607)
    killed_while_running = 0
    for attempt in range(10):
        proc = subprocess.Popen([str(c) for c in ca.cmd("batch", "reissue", "--expired", "--out", out)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(), cwd=ca.root)
        time.sleep(rng.uniform(0.05, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_while_running += 1
        proc.communicate(timeout=120)

    final = ca.run("batch", "reissue", "--expired", "--out", out)
    assert "300 of 300 issued in total" in final.stdout or "issued 0 new certificates (300 in total" in final.stdout, \
        describe(final)
    assert killed_while_running >= 1, "no run was ever interrupted: the test proved nothing"

    successors = ca.sql("SELECT predecessor, count(*) FROM certificates WHERE predecessor IS NOT NULL"
                        " GROUP BY predecessor").split()
    assert len(successors) == TOTAL
    assert all(line.endswith("|1") for line in successors)
    assert {line.split("|")[0] for line in successors} == olds
    assert ca.sql("SELECT count(*) FROM certificates WHERE successor IS NOT NULL").strip() == str(TOTAL)
    assert ca.sql("SELECT count(*) - count(DISTINCT serial) FROM certificates").strip() == "0"
    assert ca.sql("SELECT count(*) FROM certificates WHERE state = 'reserved'").strip() == "0"
    assert ca.sql("SELECT count(*) FROM certificates").strip() == str(2 * TOTAL)

    doctor = ca.run("doctor", check=False)
    assert doctor.returncode == 0, describe(doctor)
    assert "PROBLEM" not in doctor.stdout and "unfinished" not in doctor.stdout

    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["entries"]) == TOTAL and manifest["counts"]["issued"] == TOTAL
    assert {e["old_serial"] for e in manifest["entries"]} == olds
    for e in manifest["entries"]:
        data = (out / e["p12"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"], e["p12"]
    leftovers = [p for p in out.rglob(".*.partial")]
    assert not leftovers, leftovers
