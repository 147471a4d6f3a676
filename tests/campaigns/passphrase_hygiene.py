#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Passphrase hygiene"): run `inkan serve`, renew over the API and on
the management site, reveal passwords there, then `gcore` the running server and grep the core for
the operator passphrase, the stored p12 passwords (read back with `inkan password`) and the
administrator's login password, in UTF-8 and UTF-16LE (PKCS#12 derives keys from the BMPString);
also /proc/PID/cmdline and /proc/PID/environ of the server and its children, and the server's log.
Pass: none of these secrets is in any of them.

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/passphrase_hygiene.py
"""
from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

from common import Browser, Inkan, Server, Tally, client_pem, csrf_of, not_before_for, workdir, write_secret

PASSPHRASE = "hygiene passphrase Q7vX-2k9p-ZZ41"
ADMIN_PASSWORD = "admin login password Rk3m-88Qa"


def encodings(secret: str) -> dict[str, bytes]:
    return {"utf-8": secret.encode(), "utf-16le": secret.encode("utf-16le")}


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def main() -> int:
    argparse.ArgumentParser(description=__doc__).parse_args()
    t = Tally("passphrase_hygiene")
    if not shutil.which("gcore"):
        print("gcore (gdb) is not installed")
        return 2
    root = workdir("hygiene")
    ink = Inkan(root, passphrase=PASSPHRASE)
    ink.init(name="Hygiene CA")
    ink.tenant_add("acme", "Acme")
    certs = [ink.issue("acme", f"hyg-{i}", root / "issued", "--key", "ec-p256", "--not-before", not_before_for(30))
             for i in range(4)]
    ink.run("user", "add", "alice", "--tenant", "acme", "--password-file",
            write_secret(root / "alice.pw", ADMIN_PASSWORD))
    server = Server(ink, "--admin-client-cert", "off")
    found: dict[str, list[str]] = {}
    try:
        renewed = []
        # The management site: log in, renew one certificate, reveal two passwords (JSON and HTML).
        b = Browser(server)
        r = b.login("alice", ADMIN_PASSWORD)
        t.check(r.status in (200, 303), f"admin login {r.status}")
        detail = b.get(f"/admin/certificates/{certs[3]['serial']}").text
        r = b.post(f"/admin/certificates/{certs[3]['serial']}/renew", {"csrf": csrf_of(detail)})
        t.check(r.status == 200, f"admin renew {r.status}")
        m = re.search(r'id="new-serial">([0-9A-F]+)<', r.text)
        t.check(m is not None, "admin renew names the successor")
        if m:
            renewed.append(m.group(1))
        for serial, accept in ((certs[3]["serial"], "application/json"), (certs[0]["serial"], "text/html")):
            r = b.post(f"/admin/certificates/{serial}/password", {"csrf": csrf_of(detail)},
                       headers={"Accept": accept})
            t.check(r.status == 200, f"admin reveal {r.status}")
        for c in certs[:3]:
            pem = client_pem(Path(c["p12"]), c["password"], root / "pem")
            ctx = ssl.create_default_context(cafile=str(server.ca_file))
            ctx.load_cert_chain(str(pem[0]), str(pem[1]))
            conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=60)
            conn.request("POST", "/api/v1/renew", body="{}", headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            j = json.loads(r.read())
            conn.close()
            t.check(r.status == 200, f"API renew {r.status}")
            renewed.append(j["serial"])
        # The stored passwords, revealed through the CLI (issued ones and the server's successors).
        secrets = {"passphrase": PASSPHRASE, "admin password": ADMIN_PASSWORD}
        for c in certs:
            secrets[f"p12 password of issued {c['serial'][:8]}"] = ink.run("password", c["serial"]).stdout.strip()
        for s in renewed:
            secrets[f"p12 password of successor {s[:8]}"] = ink.run("password", s).stdout.strip()

        pid = server.proc.pid
        procs = [pid] + children(pid)
        for p in procs:
            cmdline = Path(f"/proc/{p}/cmdline").read_bytes()
            environ = Path(f"/proc/{p}/environ").read_bytes()
            for name, value in secrets.items():
                for enc, needle in encodings(value).items():
                    if needle in cmdline:
                        found.setdefault(name, []).append(f"/proc/{p}/cmdline")
                    if needle in environ:
                        found.setdefault(name, []).append(f"/proc/{p}/environ")
        core_prefix = root / "core"
        g = subprocess.run(["gcore", "-o", str(core_prefix), str(pid)], capture_output=True, text=True, timeout=300)
        core = Path(f"{core_prefix}.{pid}")
        t.check(core.exists(), f"gcore wrote {core} ({g.returncode}) {g.stderr.strip()[-200:]}")
        data = core.read_bytes() if core.exists() else b""
        for name, value in secrets.items():
            for enc, needle in encodings(value).items():
                n = data.count(needle)
                if n:
                    found.setdefault(name, []).append(f"core ({enc}) x{n}")
                    # Where: the bytes around each copy usually tell which buffer held it.
                    at = data.find(needle)
                    while at >= 0:
                        print(f"{name} ({enc}) at core offset {at}: {data[max(0, at - 96):at + len(needle) + 96]!r}")
                        at = data.find(needle, at + 1)
        logs = (server.log_text() + server.out.read_text(errors="replace")).encode()
        for name, value in secrets.items():
            if value.encode() in logs:
                found.setdefault(name, []).append("server log")
        if core.exists():
            core.unlink()
        for name in secrets:
            t.check(name not in found, f"{name} absent from argv, environ, logs and core: {found.get(name, [])}")
        print(json.dumps({"processes_checked": len(procs), "core_bytes": len(data),
                          "secrets": len(secrets),
                          "p12_passwords": sum(1 for k in secrets if k.startswith("p12")),
                          "found": found}, indent=1))
    finally:
        server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
