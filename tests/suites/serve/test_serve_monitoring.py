"""Issue 19, items 1 and 2: GET /healthz on the HTTPS port (no client certificate) and the
Prometheus metrics of `serve --metrics-listen`, parsed by Debian's python3-prometheus-client and
checked against the certificates this suite created through the real CLI and the real server:
counts by status (the values `inkan list` shows), expiring within 7/30/90 days, a failed TLS
handshake (a client certificate from a foreign CA), a revoked certificate refused, a renewal
through the API, and the server certificate's remaining seconds. The process clock is moved with
$INKAN_TEST_CLOCK_FILE to make the CRL stale and the server certificate near its end.
Loopback only."""
from __future__ import annotations

import datetime as dt
import json
import ssl
import time
import urllib.request

import pytest
from cryptography import x509
from prometheus_client.parser import text_string_to_metric_families

from helpers import UTC, free_port, run
from serve_support import Server, curl, not_before_for


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("monitoring")
    inkan.init()
    inkan.tenant_add("acme", "Acme Care")
    inkan.tenant_add("beta", "Beta Clinic")
    return inkan


@pytest.fixture(scope="module")
def clock_file(ca):
    f = ca.root / "clock-offset"
    f.write_text("0\n")
    return f


def issue(ca, tenant, cn, days_left=None):
    opts = ["--key", "ec-p256"]
    if days_left is not None:
        opts += ["--not-before", not_before_for(days_left)]
    return ca.issue(tenant, cn, ca.root / "issued", *opts)


@pytest.fixture(scope="module")
def state(ca):
    """The certificates whose counts the metrics must show."""
    s = {
        "long": issue(ca, "acme", "long-lived"),
        "in20": issue(ca, "acme", "twenty-days", 20),
        "in3": issue(ca, "beta", "three-days", 3),
        "renewed": issue(ca, "acme", "to-renew", 5),
        "revoked": issue(ca, "beta", "to-revoke"),
        "expired": issue(ca, "acme", "expired", -2),
    }
    ca.run("revoke", s["revoked"]["serial"], "--reason", "unspecified")
    return s


@pytest.fixture(scope="module")
def server(ca, state, clock_file):
    metrics_port = free_port()
    s = Server(ca, "--metrics-listen", f"127.0.0.1:{metrics_port}",
               env={"INKAN_TEST_CLOCK_FILE": str(clock_file)})
    s.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    yield s
    s.stop()


def set_offset(clock_file, seconds: int):
    clock_file.write_text(f"{seconds:+d}\n")
    time.sleep(0.02)  # a distinct modification time even on coarse file systems


def scrape(server) -> dict:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    key = (name, tuple(sorted(labels.items())))
    assert key in samples, f"no sample {key}; have: {sorted(k for k in samples if k[0] == name)}"
    return samples[key]


def healthz(server):
    r = curl(server, "/healthz")
    assert r.headers.lower().count("content-type: application/json") == 1, r.headers
    return r.status, r.json()


def test_counts_by_status_match_inkan_list(ca, server, state):
    samples = scrape(server)
    listed = ca.json("list", "--format", "json")
    by_status = {}
    for row in listed:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    assert by_status == {"active": 4, "expired": 1, "revoked": 1}, by_status
    for status in ("active", "superseded", "expired", "revoked"):
        assert value(samples, "inkan_certificates", status=status) == by_status.get(status, 0), status
    assert value(samples, "inkan_certificates", status="active") == 4
    assert value(samples, "inkan_certificates", status="expired") == 1
    assert value(samples, "inkan_certificates", status="revoked") == 1
    # Active and ending within N days: three-days and to-renew (5) in 7; twenty-days too in 30 and 90.
    assert value(samples, "inkan_certificates_expiring", within_days="7") == 2
    assert value(samples, "inkan_certificates_expiring", within_days="30") == 3
    assert value(samples, "inkan_certificates_expiring", within_days="90") == 3


def test_a_renewal_through_the_api_is_counted(ca, server, state):
    before = scrape(server)
    cert = state["renewed"]
    r = curl(server, "/api/v1/renew", p12=cert["p12"], password=cert["password"], method="POST",
             data="{}", content_type="application/json")
    assert r.status in (200, 201), r
    after = scrape(server)
    key = dict(operation="renewal", result="success")
    assert value(after, "inkan_certificate_operations_total", **key) == \
        value(before, "inkan_certificate_operations_total", **key) + 1
    # The predecessor is superseded now, its successor active (and far from its end).
    assert value(after, "inkan_certificates", status="superseded") == 1
    assert value(after, "inkan_certificates", status="active") == 4
    assert value(after, "inkan_certificates_expiring", within_days="7") == 1
    assert value(after, "inkan_http_requests_total", family="api", code="2xx") >= 1


def test_a_foreign_client_certificate_fails_the_handshake_as_unknown_ca(ca, server, tmp_path):
    key, cert = tmp_path / "foreign.key", tmp_path / "foreign.pem"
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=intruder",
         "-addext", "extendedKeyUsage=clientAuth", "-addext", "basicConstraints=critical,CA:FALSE"])
    before = value(scrape(server), "inkan_tls_handshake_failures_total", reason="unknown_ca")
    r = curl(server, "/api/v1/me", cert_pem=cert, key_pem=key)
    assert r.proc.returncode != 0 or r.status == 0, f"the handshake should have failed: {r}"
    samples = scrape(server)
    after = value(samples, "inkan_tls_handshake_failures_total", reason="unknown_ca")
    assert after == before + 1, {k: v for k, v in samples.items() if k[0] == "inkan_tls_handshake_failures_total"}


def test_a_revoked_certificate_is_refused_and_counted(ca, server, state):
    before = value(scrape(server), "inkan_client_certificate_refusals_total", reason="revoked")
    cert = state["revoked"]
    r = curl(server, "/api/v1/me", p12=cert["p12"], password=cert["password"])
    assert r.status == 403, r
    after = scrape(server)
    assert value(after, "inkan_client_certificate_refusals_total", reason="revoked") == before + 1
    assert value(after, "inkan_http_requests_total", family="api", code="4xx") >= 1


def served_certificate(server) -> x509.Certificate:
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    ctx.check_hostname = False
    import socket
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        with ctx.wrap_socket(sock) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def test_server_certificate_remaining_seconds(server):
    cert = served_certificate(server)
    expected = (cert.not_valid_after.replace(tzinfo=UTC) - dt.datetime.now(UTC)).total_seconds()
    got = value(scrape(server), "inkan_server_certificate_expiry_seconds")
    assert abs(got - expected) < 30, (got, expected)
    assert got > 300 * 86400  # one year, just issued


def test_ca_and_crl_lifetimes_are_exported(ca, server):
    samples = scrape(server)
    cas = {k: v for k, v in samples.items() if k[0] == "inkan_ca_certificate_expiry_seconds"}
    assert len(cas) == 2, cas  # the root and the issuing CA
    assert all(v > 365 * 86400 for v in cas.values())
    crl = value(samples, "inkan_crl_expiry_seconds", crl="issuing")
    assert 6 * 86400 < crl <= 7 * 86400
    assert value(samples, "inkan_health_check", check="crl") == 1


def test_no_serial_or_common_name_in_the_labels(server, state):
    samples = scrape(server)
    labels = " ".join(str(k[1]) for k in samples)
    for cert in state.values():
        assert cert["serial"].lower() not in labels.lower()
    for cn in ("long-lived", "twenty-days", "intruder"):
        assert cn not in labels


def test_metrics_are_not_on_the_https_port(server):
    assert curl(server, "/metrics").status == 404


def test_healthz_needs_no_certificate_and_names_its_checks(ca, server):
    status, body = healthz(server)
    assert status == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "keys", "server_certificate", "crl"}
    assert all(v == "ok" for v in body["checks"].values())


def test_healthz_fails_on_a_stale_crl_and_recovers(ca, server, clock_file):
    try:
        set_offset(clock_file, 8 * 86400)  # past the 7-day CRL's nextUpdate
        status, body = healthz(server)
        assert status == 503, body
        assert body["status"] == "unavailable" and body["failing"] == ["crl"]
        assert body["checks"]["crl"] == "stale"
        text = json.dumps(body)
        assert str(ca.dir) not in text and "/" not in text
        assert value(scrape(server), "inkan_health_check", check="crl") == 0
        # Fetching the CRL re-signs it at the (shifted) present: healthy again.
        assert curl(server, "/crl").status == 200
        status, body = healthz(server)
        assert status == 200, body
    finally:
        set_offset(clock_file, 0)


def test_healthz_fails_when_the_server_certificate_nears_its_end(ca, server, clock_file):
    cert = served_certificate(server)
    left = (cert.not_valid_after.replace(tzinfo=UTC) - dt.datetime.now(UTC)).total_seconds()
    try:
        set_offset(clock_file, int(left) - 3 * 86400)  # three days left
        assert curl(server, "/crl").status == 200  # a current CRL at that moment: only one check fails
        status, body = healthz(server)
        assert status == 503, body
        assert body["failing"] == ["server_certificate"] and body["checks"]["server_certificate"] == "expiring"
        remaining = value(scrape(server), "inkan_server_certificate_expiry_seconds")
        assert 2 * 86400 < remaining < 4 * 86400
    finally:
        set_offset(clock_file, 0)
    status, body = healthz(server)
    assert status == 200, body
