#!/usr/bin/python3
"""Campaign (issue 7 item 4, "Hostile names"): certificates whose CN holds `../`, `%2e%2e`, quotes,
backslashes and Japanese text are downloaded from the portal (API renewal, then /download/…) and
the management site (p12 and zip); each Content-Disposition must be one header, without CR/LF,
path separators or quotes inside filename="…", with RFC 6266 filename* decoding to a plain name;
the zip's member names must be plain. CNs with NUL or CR/LF are refused by the CLI (the control).
Hostile path segments on the download routes must get 4xx, never 5xx.

    INKAN_BIN=build/tools/inkan /usr/bin/python3 tests/campaigns/hostile_names.py
"""
from __future__ import annotations

import argparse
import base64
import http.client
import io
import json
import re
import ssl
import sys
import time
import urllib.parse
import zipfile
from pathlib import Path

from common import Browser, Inkan, Server, Tally, client_pem, not_before_for, workdir, write_secret

SEEN: list[str] = []
HOSTILE_CNS = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fetc",
    'quote"semi;colon=x',
    "田中 太郎 の端末",
    "a/b/c",
    "name.p12\"; filename=evil.exe",
    "..",
    "%00nul",
]
REFUSED_CNS = ["with\r\nSet-Cookie: x=1", "line\nfeed", "tab\there"]
SAFE_ASCII = re.compile(r'^attachment; filename="([A-Za-z0-9._-]+)"(?:; filename\*=UTF-8\'\'([A-Za-z0-9._~%-]+))?$')


def check_disposition(t: Tally, what: str, values: list[str]):
    t.check(len(values) == 1, f"{what}: exactly one Content-Disposition ({len(values)})")
    if not values:
        return
    v = values[0]
    m = SAFE_ASCII.match(v)
    t.check(bool(m), f"{what}: header shape is safe: {v!r}")
    SEEN.append(v)
    if not m:
        return
    name = m.group(1)
    t.check(not name.startswith(".") and "/" not in name and "\\" not in name and name not in ("..", "."),
            f"{what}: filename {name!r} has no path parts")
    if m.group(2):
        decoded = urllib.parse.unquote(m.group(2), errors="strict")
        t.check("/" not in decoded and "\\" not in decoded and "\x00" not in decoded and not decoded.startswith(".")
                and "\r" not in decoded and "\n" not in decoded, f"{what}: filename* decodes to a plain name {decoded!r}")


def raw_get(server, ctx, path: str, cookie: str | None = None) -> int:
    """GET a raw, unnormalised request target; returns the status (0 if the connection died)."""
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.putheader("Connection", "close")
        if cookie:
            conn.putheader("Cookie", cookie)
        conn.endheaders()
        return conn.getresponse().status
    except (http.client.HTTPException, OSError):
        return 0
    finally:
        conn.close()


def main() -> int:
    argparse.ArgumentParser(description=__doc__).parse_args()
    t = Tally("hostile_names")
    root = workdir("hostile")
    ink = Inkan(root)
    ink.init(name="Hostile Names CA")
    ink.tenant_add("acme", "Acme")
    admin = ink.issue("acme", "admin", root / "issued", "--kind", "tenant-admin", "--key", "ec-p256")
    admin_pem = client_pem(Path(admin["p12"]), admin["password"], root / "pem")
    pw = "alice has a long password 42"
    ink.run("user", "add", "alice", "--tenant", "acme", "--password-file", write_secret(root / "alice.pw", pw))
    ink.run("user", "bind-certificate", "alice", admin["serial"])  # issue 14 item 4

    # The control: the CLI refuses control characters (argv cannot even carry a NUL).
    for cn in REFUSED_CNS:
        p = ink.run("issue", "--tenant", "acme", "--cn", cn, "--out", root / "issued", check=False)
        t.check(p.returncode != 0 and "control" in p.stderr, f"CLI refuses CN {cn!r}: {p.stderr.strip()}")
    csv = root / "nul.csv"
    csv.write_bytes(b"tenant,cn,kind,email\nacme,nul\x00byte,,\n")
    p = ink.run("batch", "issue", "--from", csv, "--out", root / "batch", check=False)
    t.check(p.returncode != 0, f"batch refuses a NUL in the CSV: {p.stderr.strip()[:200]}")

    certs = {}
    for i, cn in enumerate(HOSTILE_CNS):
        c = ink.issue("acme", cn, root / "issued", "--key", "ec-p256", "--not-before", not_before_for(30))
        c["pem"] = client_pem(Path(c["p12"]), c["password"], root / "pem" / f"h{i}")
        t.check(Path(c["p12"]).parent == (root / "issued").resolve() or Path(c["p12"]).parent == root / "issued",
                f"CLI wrote {Path(c['p12']).name!r} inside --out")
        certs[cn] = c

    server = Server(ink)
    try:
        b = Browser(server, admin_pem)
        r = b.login("alice", pw)
        t.check(r.status == 303, f"admin login {r.status}")
        for cn, c in certs.items():
            # Portal: renew over the API, then download the successor.
            ctx = ssl.create_default_context(cafile=str(server.ca_file))
            ctx.load_cert_chain(str(c["pem"][0]), str(c["pem"][1]))
            conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=60)
            conn.request("POST", "/api/v1/renew", body="{}", headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
            conn.close()
            t.check(resp.status == 200, f"{cn!r}: API renew {resp.status}")
            if resp.status != 200:
                continue
            j = json.loads(body)
            fname = j["file_name"]
            t.check(re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.p12", fname) is not None,
                    f"{cn!r}: API file_name {fname!r} is plain")
            new = j["serial"]
            conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=60)
            conn.request("GET", f"/download/{new}.p12")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            t.check(resp.status == 200, f"{cn!r}: portal download {resp.status}")
            check_disposition(t, f"{cn!r} portal", [v for k, v in resp.getheaders() if k.lower() == "content-disposition"])
            # Admin: p12 and zip of the old and new certificate.
            for serial in (c["serial"], new):
                for kind in ("p12", "zip"):
                    d = b.get(f"/admin/certificates/{serial}/{kind}")
                    t.check(d.status == 200, f"{cn!r}: admin {kind} {d.status}")
                    check_disposition(t, f"{cn!r} admin {kind}", d.all("Content-Disposition"))
                    if kind == "zip" and d.status == 200:
                        names = zipfile.ZipFile(io.BytesIO(d.body)).namelist()
                        t.check(all("/" not in n and "\\" not in n and not n.startswith(".") for n in names),
                                f"{cn!r}: zip members {names}")

        # Hostile path segments: 4xx, never 5xx (nor a 200 with someone's file).
        cookie = "; ".join(f"{k}={v}" for k, v in b.cookies.items())
        actx = ssl.create_default_context(cafile=str(server.ca_file))
        actx.load_cert_chain(str(admin_pem[0]), str(admin_pem[1]))
        paths = ["/admin/certificates/..%2f..", "/admin/certificates/..%2f..%2fetc%2fpasswd/p12",
                 "/admin/certificates/%2e%2e/zip", "/admin/certificates/%00/p12", "/admin/certificates/AB%00CD/zip",
                 "/admin/certificates/../../etc/passwd", "/admin/certificates/%2e%2e%2f%2e%2e/p12",
                 "/admin/certificates/" + "A" * 5000 + "/p12", "/admin/certificates/%ff%fe/p12",
                 "/download/..%2f..%2fetc%2fpasswd.p12", "/download/%00.p12", "/download/../../inkan.db",
                 "/download/%2e%2e%2finkan.db", "/download/" + "F" * 5000 + ".p12", "/download/%c0%ae%c0%ae.p12"]
        statuses = {}
        for p in paths:
            statuses[p[:60]] = s = raw_get(server, actx, p, cookie)
            t.check(400 <= s < 500, f"hostile path {p[:60]!r} -> {s}")
        errors = server.log_text().count(" 500 ") + server.log_text().count("status=500")
        t.check(errors == 0, f"server log shows {errors} 5xx")
        alive = b.get("/admin/")
        t.check(alive.status == 200, f"server still answers after the campaign ({alive.status})")
        print(json.dumps({"hostile_cns": len(HOSTILE_CNS), "refused_cns": len(REFUSED_CNS) + 1,
                          "hostile_paths": len(paths), "path_statuses": statuses,
                          "dispositions_checked": len(SEEN)}, ensure_ascii=False))
        for v in sorted(set(SEEN))[:40]:
            print("  Content-Disposition:", v)
    finally:
        server.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
