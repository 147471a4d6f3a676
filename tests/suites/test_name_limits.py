"""Issue 14 item 9 and the bidi extra: names that cannot be written are refused before anything
is reserved, and names that can are written.

- A 63-character tenant id with a CN of 64 x "田" committed the certificate, then failed to write
  the file (ENAMETOOLONG): the file stem is now capped (the serial kept), so it is delivered.
- A CN of 64 emoji failed in the p12's BMPString friendlyName after the commit: characters above
  U+FFFF are refused up front, and nothing is in the store.
- Bidirectional controls (U+202E and friends) in a CN were displayed as is: refused.
"""
from __future__ import annotations

import pytest

from helpers import describe

LONG_TENANT = "t" + "x" * 62  # 63 characters, the maximum


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("names")
    inkan.init()
    inkan.tenant_add(LONG_TENANT, "Long Tenant")
    inkan.tenant_add("acme", "Acme Care")
    return inkan


def listed_cns(ca) -> list:
    return [c["cn"] for c in ca.json("list", "--format", "json")]


def test_longest_tenant_and_widest_cn_are_delivered(ca):
    cn = "田" * 64
    got = ca.issue(LONG_TENANT, cn, ca.root / "out", "--key", "ec-p256")
    p12 = got["p12"]
    name = p12.rsplit("/", 1)[1]
    assert len(name.encode()) <= 200, name
    assert name.startswith(LONG_TENANT + "_") and got["serial"][:8] in name, name
    assert cn in listed_cns(ca)


@pytest.mark.parametrize("cn, why", [
    ("😀" * 64, "U+FFFF"),
    ("😀", "U+FFFF"),
    ("invoice\u202efdp.exe", "bidirectional"),
    ("a\u2066b", "bidirectional"),
    ("a\u200fb", "bidirectional"),
    ("a\u061cb", "bidirectional"),
])
def test_unencodable_and_bidi_cns_are_refused_before_anything_is_reserved(ca, cn, why):
    before = ca.dump()
    proc = ca.fail("issue", "--tenant", "acme", "--cn", cn, "--out", ca.root / "refused", "--key", "ec-p256")
    assert proc.returncode == 2, describe(proc)
    assert why in proc.stderr, describe(proc)
    assert cn not in listed_cns(ca)
    assert not (ca.root / "refused").exists() or not any((ca.root / "refused").iterdir())
    after = ca.dump()
    assert before.count("INSERT INTO certificates") == after.count("INSERT INTO certificates")
