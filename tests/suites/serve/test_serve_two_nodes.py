"""Issue 22 item 3, stateless nodes: two `inkan serve` processes on one data directory (one SQLite
file in WAL mode, one machine) are two nodes on one database, as a load balancer without sticky
sessions would use them. A form fetched from one node is accepted by the other; an admin session
and the login throttle hold across both; a revocation through one is refused by the other's
mutual-TLS check on the next request; both serve the same CRL and server certificate; a node
killed during renewals leaves the other serving and `doctor` clean; and many clients renewing the
same certificates through both nodes at once get exactly one successor each.

INKAN_NODES_ROUNDS sets the concurrency run's rounds (default 3; the issue's full size is 100:
`INKAN_NODES_ROUNDS=100 pytest -s -k concurrent`), and it prints its figures."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from cryptography import x509

from admin_support import Browser, client_pem, csrf_of
from helpers import write_secret
from nodes_support import (Node, api_renew, is_try_again, peer_certificate, request, start_nodes,
                           successors_by_predecessor, tls_context)
from serve_support import not_before_for

ALICE_PASSWORD = "alice has a long password 42"


def issue(ink, cn, days_left=None, *extra):
    opts = ["--key", "ec-p256"]
    if days_left is not None:
        opts += ["--not-before", not_before_for(days_left)]
    c = ink.issue("acme", cn, ink.root / "issued", *opts, *extra)
    c["pem"] = client_pem(Path(c["p12"]), c["password"], ink.root / "pem")
    return c


@pytest.fixture(scope="module")
def ink(make_inkan):
    ink = make_inkan("two-nodes")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    ink.run("user", "add", "alice", "--tenant", "acme",
            "--password-file", write_secret(ink.root / "alice.pw", ALICE_PASSWORD))
    ink.run("user", "add", "mallory-target", "--tenant", "acme",
            "--password-file", write_secret(ink.root / "target.pw", "target has a long password 42"))
    ink.admin_cert = issue(ink, "alice-admin", None, "--kind", "tenant-admin", "--admin", "alice")
    return ink


@pytest.fixture(scope="module")
def nodes(ink):
    a, b = start_nodes(ink, 2)
    yield a, b
    a.stop()
    b.stop()


def browser_on(node, cert, source="127.0.0.1") -> Browser:
    return Browser(node, cert, source=source)


# --- forms and sessions ---------------------------------------------------------------------------

def test_portal_form_from_node_a_is_accepted_by_node_b(ink, nodes):
    a, b = nodes
    c = issue(ink, "form-holder", 30)
    on_a = browser_on(a, c["pem"])
    page = on_a.get("/")
    assert page.status == 200 and 'name="csrf"' in page.text, page
    token = csrf_of(page.text)
    on_b = browser_on(b, c["pem"])
    r = on_b.post("/renew", {"csrf": token, "profile": "compat"})
    assert r.status == 200, r
    assert len(successors_by_predecessor(ink, "acme").get(c["serial"].upper(), [])) == 1
    # A token that no node made is still refused.
    other = issue(ink, "form-forger", 30)
    forged = browser_on(b, other["pem"]).post("/renew", {"csrf": "0" * 64, "profile": "compat"})
    assert forged.status == 403, forged


def test_login_form_from_a_and_session_from_a_work_on_b(ink, nodes):
    a, b = nodes
    on_a = browser_on(a, ink.admin_cert["pem"])
    token = on_a.login_form()
    on_b = browser_on(b, ink.admin_cert["pem"])
    on_b.cookies = dict(on_a.cookies)  # the nonce cookie of A's form
    r = on_b.login("alice", ALICE_PASSWORD, token=token)
    assert r.status == 303 and on_b.session, r  # the login form of A, posted to B

    # The session made on B works on A, and a form of its pages posts on the other node.
    on_a.cookies = dict(on_b.cookies)
    overview = on_a.get("/admin/")
    assert overview.status == 200, overview
    session_csrf = csrf_of(overview.text)
    logout = on_b.post("/admin/logout", {"csrf": session_csrf})
    assert logout.status == 303, logout
    assert on_a.get("/admin/").status in (401, 303)  # ended on B, so gone on A


def test_login_throttle_counts_failures_on_both_nodes(ink, nodes):
    a, b = nodes
    statuses = []
    for i in range(10):  # five wrong passwords on each node, alternating
        node = a if i % 2 == 0 else b
        br = browser_on(node, ink.admin_cert["pem"], source="127.0.2.1")
        statuses.append(br.login("mallory-target", f"wrong guess {i}").status)
    assert statuses == [401] * 10, statuses
    # The account is locked on both nodes now, the right password included.
    for node in (a, b):
        r = browser_on(node, ink.admin_cert["pem"], source="127.0.2.2").login(
            "mallory-target", "target has a long password 42")
        assert r.status == 429, r


# --- revocation, CRL, server certificate ----------------------------------------------------------

def crl_of(node) -> x509.CertificateRevocationList:
    status, der = request(node, "GET", "/crl", ctx=tls_context(node))
    assert status == 200
    return der


def crl_number(der: bytes) -> int:
    crl = x509.load_der_x509_crl(der)
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def test_revocation_through_a_is_refused_by_b_on_the_next_request(ink, nodes):
    a, b = nodes
    victim = issue(ink, "revoked-on-a")
    ctx = tls_context(b, victim["pem"])
    status, _ = request(b, "GET", "/api/v1/me", ctx=ctx)
    assert status == 200
    crl_before = crl_of(b)

    admin = browser_on(a, ink.admin_cert["pem"])
    assert admin.login("alice", ALICE_PASSWORD).status == 303
    token = csrf_of(admin.get(f"/admin/certificates/{victim['serial']}").text)
    r = admin.post(f"/admin/certificates/{victim['serial']}/revoke", {"csrf": token, "reason": "keyCompromise"})
    assert r.status == 303, r

    status, body = request(b, "GET", "/api/v1/me", ctx=tls_context(b, victim["pem"]))
    assert status == 403 and b"revoked" in body, (status, body)
    # Both nodes now serve one CRL, newer than before, that lists it.
    on_b, on_a = crl_of(b), crl_of(a)
    assert on_a == on_b
    assert crl_number(on_b) > crl_number(crl_before)
    listed = {e.serial_number for e in x509.load_der_x509_crl(on_b)}
    assert int(victim["serial"], 16) in listed


def test_both_nodes_serve_the_same_crl_and_server_certificate(nodes):
    a, b = nodes
    first = crl_of(a)
    assert crl_of(b) == first  # the same bytes, so the same number
    numbers = [crl_number(crl_of(n)) for n in (a, b, a, b)]
    assert numbers == sorted(numbers)  # never goes back between nodes
    assert peer_certificate(a) == peer_certificate(b)


def test_nodes_started_at_once_issue_one_server_certificate(make_inkan):
    ink = make_inkan("nodes-at-once")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    nodes = start_nodes(ink, 3)
    try:
        certs = {peer_certificate(n) for n in nodes}
        assert len(certs) == 1, "each node presents its own server certificate"
        crls = {crl_of(n) for n in nodes}
        assert len(crls) == 1, "each node signed its own CRL"
        issued = ink.json("audit", "--action", "server.issue", "--format", "json")
        issued = issued["entries"] if isinstance(issued, dict) else issued
        assert len(issued) == 1, issued
    finally:
        for n in nodes:
            n.stop()


# --- kill -9 during renewals ----------------------------------------------------------------------

def test_kill_9_of_one_node_during_renewals_leaves_the_other_serving(make_inkan):
    ink = make_inkan("nodes-kill")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    certs = [issue(ink, f"kill-{i:02d}", 30) for i in range(24)]
    a, b = start_nodes(ink, 2)
    results: dict[int, tuple[str, int]] = {}
    killed = threading.Event()

    def client(i):
        c = certs[i]
        # Before the kill the balancer alternates; after it, A fails its health check.
        node = b if killed.is_set() or i % 2 else a
        for _ in range(20):
            try:
                status, body = api_renew(node, tls_context(node, c["pem"]))
            except OSError:
                if node is a:
                    results[i] = ("lost with a", 0)  # A died under this request
                    return
                raise
            if is_try_again(status, body):
                time.sleep(0.2)
                continue
            results[i] = ("a" if node is a else "b", status)
            return
        results[i] = ("gave up", status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(certs))]
    for t in threads[:12]:
        t.start()
    time.sleep(0.05)
    a.kill()
    killed.set()
    for t in threads[12:]:
        t.start()
    for t in threads:
        t.join()

    assert len(results) == len(certs), results
    print(f"\nkill -9: {sum(n == 'a' for n, _ in results.values())} renewed on A before it died, "
          f"{sum(n == 'lost with a' for n, _ in results.values())} lost with it, "
          f"{sum(n == 'b' for n, _ in results.values())} on B")
    served_by_b = [s for node, s in results.values() if node == "b"]
    assert len(served_by_b) >= 18 and all(s == 200 for s in served_by_b), results
    assert all(s == 200 for node, s in results.values() if node == "a"), results
    status, _ = request(b, "GET", "/healthz", ctx=tls_context(b))
    assert status == 200

    doctor = ink.run("doctor", check=False)
    if doctor.returncode != 0:
        # A renewal A was signing when it died leaves its reservation: the one thing doctor may
        # report, handled as after any crash.
        problems = [l for l in doctor.stdout.splitlines() if "PROBLEM" in l]
        assert problems and all("leftover serial" in l for l in problems), doctor.stdout
        print(f"kill -9: doctor found {len(problems)} reservation(s) A left behind")
        ink.run("doctor", "--clear-reservations")
    # What A lost is renewed through B.
    for i, (node, _) in results.items():
        if node == "lost with a":
            status, body = api_renew(b, tls_context(b, certs[i]["pem"]))
            assert status == 200, body
    b.stop()

    successors = successors_by_predecessor(ink, "acme")
    for c in certs:
        assert len(successors.get(c["serial"].upper(), [])) == 1, (c["serial"], successors)
    doctor = ink.run("doctor", check=False)
    assert doctor.returncode == 0, doctor.stdout
    ink.run("audit", "verify")


# --- many clients through both nodes at once ------------------------------------------------------

def test_concurrent_renewals_through_both_nodes_make_one_successor_each(ink, nodes):
    a, b = nodes
    rounds = int(os.environ.get("INKAN_NODES_ROUNDS", "3"))
    clients, cert_count = 50, 20
    certs = [issue(ink, f"wave-{i:02d}", 30) for i in range(cert_count)]
    contexts = {(i, n.port): tls_context(n, certs[i]["pem"]) for i in range(cert_count) for n in nodes}
    answers: dict[str, set[str]] = {c["serial"].upper(): set() for c in certs}
    counts = {"ok": 0, "try_again": 0, "errors": []}
    lock = threading.Lock()
    barrier = threading.Barrier(clients, timeout=600)

    def client(k):
        c = certs[k % cert_count]
        for r in range(rounds):
            node = nodes[(k + r) % 2]
            barrier.wait()
            for _ in range(50):
                try:
                    status, body = api_renew(node, contexts[(k % cert_count, node.port)])
                except OSError as e:
                    with lock:
                        counts["errors"].append(f"{node.port}: {e!r}")
                    break
                if is_try_again(status, body):
                    with lock:
                        counts["try_again"] += 1
                    time.sleep(0.05)
                    continue
                with lock:
                    if status == 200 and body.get("predecessor", "").upper() == c["serial"].upper():
                        counts["ok"] += 1
                        answers[c["serial"].upper()].add(body["serial"].upper())
                    else:
                        counts["errors"].append(f"{status} {body}")
                break

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    print(f"\nconcurrent renewals: {clients} clients x {rounds} rounds over 2 nodes, {cert_count} certificates: "
          f"{counts['ok']} answers in {elapsed:.1f} s ({counts['ok'] / elapsed:.0f}/s), "
          f"{counts['try_again']} try-again, {len(counts['errors'])} errors")

    assert counts["errors"] == [], counts["errors"][:5]
    assert counts["ok"] == clients * rounds
    for serial, successors in answers.items():
        assert len(successors) == 1, (serial, successors)  # every answer named one successor
    listed = successors_by_predecessor(ink, "acme")
    for c in certs:
        assert listed.get(c["serial"].upper()) == list(answers[c["serial"].upper()]), c["serial"]
    assert ink.run("doctor", check=False).returncode == 0
    ink.run("audit", "verify")
