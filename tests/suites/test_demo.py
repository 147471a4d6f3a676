"""Issue 4 "Demo": `inkan demo` on a fresh directory reaches a serving appliance, prints what a
newcomer needs, and is idempotent. Loopback only; the server is stopped with SIGTERM."""
from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

from helpers import clean_env, free_port, inkan_bin, run


def wait_for_port(port: int, proc: subprocess.Popen, deadline_s: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        assert proc.poll() is None, f"inkan demo exited early: {proc.stderr.read()}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"inkan demo did not serve on {port} within {deadline_s} s")


def start_demo(root: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([inkan_bin(), "demo", "--port", str(port)], cwd=root, env=clean_env(None),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, f"demo did not stop cleanly ({proc.returncode}): {err}"
    return out, err


def test_demo_serves_and_explains_itself(tmp_path):
    port = free_port()
    proc = start_demo(tmp_path, port)
    try:
        wait_for_port(port, proc, 60)
        demo = tmp_path / "inkan-demo"
        creds = demo / "credentials"
        expiring = creds / "client-expiring.p12"
        password = (creds / "client-expiring.password.txt").read_text().strip()
        # The 30-days-left certificate sees the banner over mutual TLS.
        page = run(["curl", "-sS", "--fail", "--cacert", demo / "ca-chain.pem", "--cert-type", "P12",
                    "--cert", f"{expiring}:{password}", f"https://localhost:{port}/"]).stdout
        assert "クライアント証明書の有効期限が近づいています。" in page
    finally:
        out, _ = stop(proc)
    for what in ("client-fresh.p12", "client-expiring.p12", "client-expired.p12", "demo-admin.p12",
                 "one-time password", "https://localhost:", "inkan doctor"):
        assert what in out, f"the demo output lacks {what!r}:\n{out}"
    assert (demo / "passphrase").stat().st_mode & 0o777 == 0o600
    assert demo.stat().st_mode & 0o777 == 0o700

    # A second run reuses everything: no new certificates, the same CA.
    before = run([inkan_bin(), "--dir", demo, "--passphrase-file", demo / "passphrase", "list",
                  "--format", "json"], env=clean_env(None)).stdout
    proc = start_demo(tmp_path, port)
    try:
        wait_for_port(port, proc, 60)
    finally:
        out2, _ = stop(proc)
    after = run([inkan_bin(), "--dir", demo, "--passphrase-file", demo / "passphrase", "list",
                 "--format", "json"], env=clean_env(None)).stdout
    # Compare identities, not whole rows: days_left moves with the clock.
    def serials(listing):
        import json
        return sorted((c["serial"], c["not_after"]) for c in json.loads(listing))
    assert serials(before) == serials(after)
    assert len(serials(after)) == 4
    assert "one-time password" not in out2
