"""Issue 18, item 3, through the CLI: `inkan tenant set ID --revoke-predecessor-after DAYS|never`.
With 0 days a renewal's predecessor is revoked at once (the 7-day case with a clock 8 days later
is unit/predecessor_policy_test.cpp, time injected); with the default (never) it stays superseded.
`list`, `show` and the CRL (read with openssl) agree, and the revocation is audited."""
from __future__ import annotations

from helpers import describe, norm_serial, run
from serve_support import not_before_for


def renew_one(ink, tenant, cn):
    old = ink.issue(tenant, cn, ink.root / "out", "--key", "ec-p256", "--not-before", not_before_for(30))
    new = ink.json("renew", old["serial"], "--out", ink.root / "out" / cn, "--format", "json")
    return old["serial"], new["serial"]


def status(ink, serial):
    return ink.json("show", serial, "--format", "json")["status"]


def test_policy_revokes_the_predecessor_and_never_keeps_it(make_inkan):
    ink = make_inkan("predecessor")
    ink.init()
    ink.tenant_add("strict", "Strict Care")
    ink.tenant_add("lenient", "Lenient Care")
    out = ink.run("tenant", "set", "strict", "--revoke-predecessor-after", "0")
    assert "revoked 0 days after" in out.stdout, describe(out)
    tenants = {t["id"]: t for t in ink.json("tenant", "list", "--format", "json")}
    assert tenants["strict"]["revoke_predecessor_after_days"] == 0
    assert tenants["lenient"]["revoke_predecessor_after_days"] is None  # the default: never

    s_old, s_new = renew_one(ink, "strict", "s-1")
    l_old, l_new = renew_one(ink, "lenient", "l-1")
    listed = {c["serial"]: c["status"] for c in ink.json("list", "--format", "json")}
    assert listed[s_old] == "revoked" and listed[s_new] == "active", listed
    assert listed[l_old] == "superseded" and listed[l_new] == "active", listed
    assert status(ink, s_old) == "revoked"

    crl = ink.root / "crl.der"
    ink.run("crl", "--out", crl)
    text = run(["openssl", "crl", "-inform", "DER", "-in", crl, "-noout", "-text"]).stdout
    serials = {norm_serial(line.split(":", 1)[1]) for line in text.splitlines() if "Serial Number:" in line}
    assert norm_serial(s_old) in serials and norm_serial(l_old) not in serials, text
    assert "Superseded" in text, text

    entries = ink.json("audit", "--actor", "policy:revoke-predecessor", "--format", "json")["entries"]
    assert [e["object"] for e in entries] == [f"cert:{s_old}"], entries
    assert entries[0]["tenant"] == "strict" and "successor=" + s_new in entries[0]["detail"]

    ink.run("tenant", "set", "strict", "--revoke-predecessor-after", "never")
    s2_old, _ = renew_one(ink, "strict", "s-2")
    assert status(ink, s2_old) == "superseded"
    for bad in ("-1", "3651", "soon"):
        assert ink.fail("tenant", "set", "strict", "--revoke-predecessor-after", bad).returncode == 2
    assert ink.fail("tenant", "set", "strict").returncode == 2
    assert ink.fail("tenant", "set", "nosuch", "--revoke-predecessor-after", "7").returncode == 3
