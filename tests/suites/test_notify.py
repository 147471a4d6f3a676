"""Issue 19, item 3: `inkan notify expiring` through a real SMTP server on loopback (Debian's
python3-aiosmtpd, started and stopped here on 127.0.0.1). The messages are read back with
Python's `email` package: recipients per tenant (no administrator receives another tenant's
certificates), the decoded Japanese subject and body (the seed's wording), English by the
account's language, Message-ID and Date; a second run sends nothing new; a relay that is down or
refuses leaves nothing marked and the command exits non-zero with the relay's answer; the next
run sends. Renewed and revoked certificates are never announced."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import time
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from helpers import free_port, write_secret
from serve_support import not_before_for

SEED_WARNING = "更新せず有効期限切れとなった場合、サービスが利用できなくなりますので、ご注意ください。"


class Recorder:
    """Keeps every message the relay accepted; refuses recipients while `refuse` is set."""

    def __init__(self):
        self.messages = []
        self.refuse = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg, envelope.content))
        return "250 Message accepted for delivery"


class Relay:
    def __init__(self):
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def relay():
    r = Relay()
    r.start()
    yield r
    r.stop()


def issue(ca, tenant, cn, days_left):
    return ca.issue(tenant, cn, ca.root / "issued", "--key", "ec-p256", "--not-before", not_before_for(days_left))


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("notify")
    inkan.init()
    inkan.run("settings", "set", "--time-zone", "Asia/Tokyo")  # the mail's times (issue 16 item 8)
    inkan.tenant_add("acme", "アクメ介護")
    inkan.tenant_add("beta", "Beta Clinic")
    inkan.run("user", "add", "alice", "--tenant", "acme", "--email", "alice@acme.example")
    inkan.run("user", "add", "bob", "--tenant", "acme", "--email", "bob@acme.example", "--language", "en")
    inkan.run("user", "add", "carol", "--tenant", "beta")
    inkan.run("user", "set", "carol", "--email", "carol@beta.example")
    inkan.run("user", "add", "dave", "--tenant", "beta")  # no address: named on stderr
    inkan.run("user", "add", "root-op", "--operator", "--email", "ops@ca.example")  # operators get none
    return inkan


@pytest.fixture(scope="module")
def certs(ca):
    c = {
        "a5": issue(ca, "acme", "acme-five", 5),
        "a20": issue(ca, "acme", "acme-twenty", 20),
        "a25": issue(ca, "acme", "acme-twentyfive", 25),
        "a60": issue(ca, "acme", "acme-sixty", 60),
        "a200": issue(ca, "acme", "acme-far", 200),
        "aexp": issue(ca, "acme", "acme-expired", -3),
        "arenewed": issue(ca, "acme", "acme-renewed", 10),
        "b25": issue(ca, "beta", "beta-twentyfive", 25),
        "brevoked": issue(ca, "beta", "beta-revoked", 3),
    }
    ca.json("renew", c["arenewed"]["serial"], "--out", ca.root / "renewed", "--format", "json")
    ca.run("revoke", c["brevoked"]["serial"], "--reason", "unspecified")
    return c


def notify(ca, relay, *extra, check=True):
    args = ["notify", "expiring", "--smtp", relay.url, "--from", "inkan@ca.example", *extra]
    return ca.run(*args) if check else ca.run(*args, check=False)


def notices(ca) -> int:
    return int(ca.sql("SELECT count(*) FROM expiry_notices").strip())


def subject(msg) -> str:
    return str(make_header(decode_header(msg["Subject"])))


def by_recipient(messages):
    out = {}
    for _, rcpts, msg, raw in messages:
        assert len(rcpts) == 1
        out.setdefault(rcpts[0], []).append((msg, raw))
    return out


def test_dry_run_prints_and_records_nothing(ca, certs, relay):
    proc = ca.run("notify", "expiring", "--dry-run")
    assert "To: alice@acme.example" in proc.stdout and "acme-five" in proc.stdout
    assert "9 message(s) would be sent" in proc.stdout, proc.stdout
    assert relay.recorder.messages == [] and notices(ca) == 0


def test_each_administrator_gets_their_tenants_certificates_in_their_language(ca, certs, relay):
    proc = notify(ca, relay)
    assert "dave" in proc.stderr  # has certificates to hear about, but no address
    got = by_recipient(relay.recorder.messages)
    assert set(got) == {"alice@acme.example", "bob@acme.example", "carol@beta.example"}
    # alice and bob: 7 (five), 30 (twenty, twentyfive), 90 (sixty), expired; carol: 30 (beta's).
    assert len(got["alice@acme.example"]) == 4 and len(got["bob@acme.example"]) == 4
    assert len(got["carol@beta.example"]) == 1
    acme_cns = {"acme-five", "acme-twenty", "acme-twentyfive", "acme-sixty", "acme-expired"}
    for rcpt, msgs in got.items():
        for msg, raw in msgs:
            body = msg.get_content()
            assert msg["From"] == "inkan@ca.example" and msg["To"] == rcpt
            assert re.fullmatch(r"<[0-9a-f]{32}@ca\.example>", msg["Message-ID"]), msg["Message-ID"]
            assert msg["Date"] and msg["Date"].datetime.tzinfo is not None
            assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
            assert b"=?UTF-8?B?" in raw.split(b"\r\n\r\n", 1)[0] or rcpt == "bob@acme.example"
            assert "acme-far" not in body and "acme-renewed" not in body and "beta-revoked" not in body
            if rcpt == "carol@beta.example":
                assert not any(cn in body for cn in acme_cns)
                assert "beta-twentyfive" in body
            else:
                assert "beta-" not in body
    alice = {subject(m): m.get_content() for m, _ in got["alice@acme.example"]}
    seven = next(s for s in alice if "残り7日以内" in s)
    assert seven == "【inkan】クライアント証明書の有効期限が近づいています（残り7日以内、アクメ介護、1件）"
    assert SEED_WARNING in alice[seven] and "acme-five" in alice[seven] and certs["a5"]["serial"].upper() in alice[seven].upper()
    # The expiry in the installation's zone (Asia/Tokyo), as on the screens.
    five_jst = dt.datetime.fromisoformat(certs["a5"]["not_after"].replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"有効期限: {five_jst:%Y/%m/%d %H:%M} JST（残り" in alice[seven], alice[seven]
    thirty = next(s for s in alice if "残り30日以内" in s)
    assert "acme-twenty" in alice[thirty] and "acme-twentyfive" in alice[thirty] and "2件" in thirty
    expired = next(s for s in alice if "切れています" in s)
    assert "acme-expired" in alice[expired]
    bob = {subject(m): m.get_content() for m, _ in got["bob@acme.example"]}
    assert "[inkan] Client certificates expire within 7 days (アクメ介護, 1)" in bob
    assert all("renew" in b or "expired" in b for b in bob.values())
    assert any(f"Expires: {five_jst:%Y-%m-%d %H:%M} JST" in b for b in bob.values()), bob
    # Every notice recorded and audited: (certificate, administrator) pairs.
    assert notices(ca) == 11
    audit = ca.json("audit", "--format", "json", "--limit", "1000")
    entries = audit["entries"] if isinstance(audit, dict) else audit
    assert sum(1 for e in entries if e["action"] == "notify.expiring") == 11


def test_a_second_run_sends_nothing_new(ca, certs, relay):
    before = len(relay.recorder.messages)
    proc = notify(ca, relay)
    assert "Nothing to announce" in proc.stdout
    assert len(relay.recorder.messages) == before and notices(ca) == 11


def test_a_relay_that_is_down_or_refuses_marks_nothing_and_the_next_run_sends(ca, certs, relay):
    issue(ca, "acme", "acme-three", 3)  # a new notice for alice and bob (7 days)
    before = len(relay.recorder.messages)
    relay.stop()
    try:
        down = notify(ca, relay, check=False)
    finally:
        relay.start()
    assert down.returncode != 0
    assert "did not take the message" in down.stderr and relay.url in down.stderr, down.stderr
    assert notices(ca) == 11

    relay.recorder.refuse = "550 5.1.1 mailbox unavailable"
    try:
        refused = notify(ca, relay, check=False)
    finally:
        relay.recorder.refuse = None
    assert refused.returncode != 0 and "550" in refused.stderr, refused.stderr
    assert notices(ca) == 11 and len(relay.recorder.messages) == before

    notify(ca, relay)
    new = relay.recorder.messages[before:]
    assert sorted(r[1][0] for r in new) == ["alice@acme.example", "bob@acme.example"]
    assert all("acme-three" in m.get_content() for _, _, m, _ in new)
    assert notices(ca) == 13


def test_renewed_certificates_are_not_announced_again(ca, certs, relay, tmp_path):
    old = certs["a20"]
    ca.json("renew", old["serial"], "--out", ca.root / "renewed", "--format", "json")
    clock = write_secret(tmp_path / "clock", f"+{16 * 86400}")  # acme-twenty would be at 4 days
    proc = ca.run("notify", "expiring", "--dry-run", env={"INKAN_TEST_CLOCK_FILE": str(clock)})
    assert old["serial"].upper() not in proc.stdout.upper()
    assert "acme-five" in proc.stdout  # expired by then: a new notice, so the run would send


def test_bad_options_are_refused_clearly(ca, relay):
    assert "1-3650" in ca.fail("notify", "expiring", "--dry-run", "--thresholds", "0").stderr
    assert "--smtp" in ca.fail("notify", "expiring").stderr
    assert "smtp://" in ca.fail("notify", "expiring", "--smtp", "http://x:25", "--from", "a@b.example").stderr
