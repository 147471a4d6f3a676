"""Issue 16 item 8: human CLI output shows times in the installation's zone; JSON stays RFC 3339 UTC.

Unset, the zone is the system's ($TZ here, so TZ=Asia/Tokyo now changes the tables);
`inkan settings set --time-zone` overrides it for every command; an unknown name is refused and
changes nothing. Expected texts are computed with Python's zoneinfo, not written out by hand."""
from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

from helpers import Inkan, write_secret

TENANT = "tz"
NOT_BEFORE = "2025-03-10T20:30:00Z"  # 3 years: notAfter 2028-03-10T20:30:00Z, already 03-11 in Tokyo


def local(rfc3339: str, zone: str, seconds=False) -> str:
    t = dt.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return t.strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


def new_ca(make_inkan, label) -> tuple[Inkan, dict]:
    ink = make_inkan(label)
    ink.init()
    ink.tenant_add(TENANT, "Zone Clinic")
    cert = ink.issue(TENANT, "tz-terminal", ink.root / "out", "--key", "ec-p256", "--not-before", NOT_BEFORE)
    assert cert["not_after"] == "2028-03-10T20:30:00Z"
    return ink, cert


def list_row(ink: Inkan, serial: str, env: dict) -> str:
    out = ink.run("list", env=env).stdout
    rows = [line for line in out.splitlines() if line.startswith(serial)]
    assert len(rows) == 1, out
    return rows[0]


def test_default_follows_the_system_zone(make_inkan):
    ink, cert = new_ca(make_inkan, "tz-default")
    tokyo = list_row(ink, cert["serial"], {"TZ": "Asia/Tokyo"})
    assert "2028-03-11 05:30 JST" in tokyo and "2025-03-11 05:30 JST" in tokyo
    assert "2028-03-10 20:30 UTC" in list_row(ink, cert["serial"], {"TZ": "UTC"})
    shown = ink.run("settings", "show", env={"TZ": "Asia/Tokyo"}).stdout
    assert "the system's (Asia/Tokyo)" in shown, shown


def test_the_setting_wins_over_tz_and_json_stays_utc(make_inkan):
    ink, cert = new_ca(make_inkan, "tz-setting")
    tokyo_env = {"TZ": "Asia/Tokyo"}
    out = ink.run("settings", "set", "--time-zone", "Europe/Berlin", env=tokyo_env).stdout
    assert "Europe/Berlin" in out
    assert ink.json("settings", "show", "--format", "json")["time_zone"] == "Europe/Berlin"

    # Tables and text: Berlin (CET in March before the switch), whatever $TZ says.
    row = list_row(ink, cert["serial"], tokyo_env)
    assert local(cert["not_after"], "Europe/Berlin") in row and "2028-03-10 21:30 CET" in row, row
    show = ink.run("show", cert["serial"], env=tokyo_env).stdout
    assert f"not_after: {local(cert['not_after'], 'Europe/Berlin', seconds=True)}" in show, show
    ca_list = ink.run("ca", "list", env=tokyo_env).stdout
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d CES?T", ca_list), ca_list
    tenants = ink.run("tenant", "list", env=tokyo_env).stdout
    assert re.search(r"^tz\s+Zone Clinic\s+\d{4}-\d\d-\d\d\s+-\s*$", tenants, re.M), tenants

    # The audit log: every row's time is the JSON's UTC instant, in Berlin, to the second.
    table = ink.run("audit", env=tokyo_env).stdout
    entries = ink.json("audit", "--format", "json", env=tokyo_env)["entries"]
    assert entries
    for e in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["at"]), e
        assert local(e["at"], "Europe/Berlin", seconds=True) in table, (e, table)
    assert "settings.set" in {e["action"] for e in entries}

    # The summaries of crl and backup, too.
    crl = ink.run("crl", "--out", ink.root / "r.crl", env=tokyo_env)
    assert re.search(r"\(next update \d{4}-\d\d-\d\d \d\d:\d\d CES?T\)", crl.stderr), crl.stderr
    backup = ink.run("backup", "--out", ink.root / "b.inkanbak", env=tokyo_env)
    assert re.search(r"created \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T by inkan", backup.stdout), backup.stdout

    # JSON: RFC 3339 UTC, unchanged by the setting or $TZ.
    listed = ink.json("list", "--format", "json", env=tokyo_env)
    assert [c["not_after"] for c in listed] == ["2028-03-10T20:30:00Z"]
    assert ink.json("show", cert["serial"], "--format", "json", env=tokyo_env)["not_before"] == NOT_BEFORE

    # Back to the system's zone.
    ink.run("settings", "set", "--system-time-zone")
    assert "2028-03-11 05:30 JST" in list_row(ink, cert["serial"], tokyo_env)
    assert ink.json("settings", "show", "--format", "json")["time_zone"] is None


def test_an_unknown_zone_is_refused_and_changes_nothing(make_inkan):
    ink, cert = new_ca(make_inkan, "tz-bad")
    ink.run("settings", "set", "--time-zone", "Asia/Tokyo")
    for bad in ("Asia/Tokio", "../../../etc/passwd", "JST"):
        proc = ink.fail("settings", "set", "--time-zone", bad)
        assert f"unknown time zone '{bad}'" in proc.stderr, proc.stderr
    assert ink.json("settings", "show", "--format", "json")["time_zone"] == "Asia/Tokyo"
    assert "2028-03-11 05:30 JST" in list_row(ink, cert["serial"], {"TZ": "UTC"})
    proc = ink.fail("settings", "set")
    assert "--time-zone" in proc.stderr


def test_audit_dates_are_days_of_the_installation_zone(make_inkan, tmp_path):
    """`audit --since/--until DATE` mean that day in the installation's zone, the day the table
    prints: an entry at 01:00 JST belongs to its JST day, though in UTC it is the day before."""
    ink = make_inkan("tz-audit")
    ink.init()
    ink.run("settings", "set", "--time-zone", "Asia/Tokyo")
    day = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).date()
    at = dt.datetime.combine(day, dt.time(1, 0), ZoneInfo("Asia/Tokyo"))  # 16:00 UTC the day before
    clock = write_secret(tmp_path / "clock", f"{int(at.timestamp() - time.time()):+d}")
    ink.run("tenant", "add", "night", "--name", "Night Shift", env={"INKAN_TEST_CLOCK_FILE": str(clock)})

    def added(*window) -> list[int]:
        page = ink.json("audit", "--action", "tenant.add", "--format", "json", *window)
        return [e["seq"] for e in page["entries"]]

    entry = added()
    assert len(entry) == 1
    assert local(ink.json("audit", "--action", "tenant.add", "--format", "json")["entries"][0]["at"],
                 "Asia/Tokyo").startswith(day.isoformat())
    next_day = (day + dt.timedelta(days=1)).isoformat()
    assert added("--since", day.isoformat()) == entry  # UTC midnight of `day` would leave it out
    assert added("--until", day.isoformat()) == []
    assert added("--since", day.isoformat(), "--until", next_day) == entry
    assert added("--since", next_day) == []


def test_issue_refusals_and_offline_ocsp_print_local_times(make_inkan):
    """The delivery line of issue, the refusal of a second certificate for a name, and `inkan
    ocsp`'s summary print times in the installation's zone too, not UTC dates."""
    ink, cert = new_ca(make_inkan, "tz-lines")
    ink.run("settings", "set", "--time-zone", "Europe/Berlin")
    tokyo_env = {"TZ": "Asia/Tokyo"}
    proc = ink.run("issue", "--tenant", TENANT, "--cn", "tz-second", "--out", ink.root / "out2", "--key", "ec-p256",
                   "--not-before", "2026-07-01T22:30:00Z", env=tokyo_env)
    assert "(valid 2026-07-02 00:30 CEST to 2029-07-02 00:30 CEST)" in proc.stderr, proc.stderr

    refused = ink.run("issue", "--tenant", TENANT, "--cn", "tz-terminal", "--out", ink.root / "out3", env=tokyo_env,
                      check=False)
    assert refused.returncode == 4, refused.stderr
    assert f"valid until {local(cert['not_after'], 'Europe/Berlin')}" in refused.stderr, refused.stderr

    ink.run("revoke", cert["serial"], "--reason", "keyCompromise", "--yes")
    at = ink.json("show", cert["serial"], "--format", "json")["revoked_at"]
    answer = ink.run("ocsp", "--serial", cert["serial"], "--out", ink.root / "r.ocsp", env=tokyo_env)
    assert f"revoked at {local(at, 'Europe/Berlin', seconds=True)} (keyCompromise)" in answer.stdout, answer.stdout
    assert re.search(r"\(this update \d{4}-\d\d-\d\d \d\d:\d\d CES?T, next update \d{4}-\d\d-\d\d \d\d:\d\d CES?T\)",
                     answer.stderr), answer.stderr
