"""The CLI on a shared PostgreSQL store (issue 22): `inkan init`, `tenant add`, `issue`, `list`
and `revoke` with --db / INKAN_DB on a throwaway PostgreSQL 15, no inkan.db anywhere, and a
second node started from an empty data directory that sees the same CA, certificates and
revocation. The issued certificate is checked by OpenSSL against the chain the second node prints."""
from __future__ import annotations

import pytest

import json

from helpers import Inkan, clean_env, inkan_bin, run, split_pem
from postgres_support import postgres  # noqa: F401  (pytest fixture)

TENANT = "clinic"


@pytest.fixture(scope="module")
def nodes(postgres, tmp_path_factory):
    uri = postgres.create_database("cli")
    run([inkan_bin(), "store", "migrate", "--db", uri], env=clean_env())
    a = Inkan(tmp_path_factory.mktemp("node-a"))
    b = Inkan(tmp_path_factory.mktemp("node-b"))
    env = {"INKAN_DB": uri}
    a.run("init", "--name", "Shared CA", "--root-key", "ec-p256", "--issuing-key", "ec-p256", env=env)
    a.run("tenant", "add", TENANT, "--name", "Clinic", env=env)
    return {"a": a, "b": b, "env": env, "uri": uri}


def issue(node: Inkan, env, cn: str) -> dict:
    proc = node.run("issue", "--tenant", TENANT, "--cn", cn, "--out", node.root / "out", "--format", "json",
                    "--key", "ec-p256", env=env)
    return json.loads(proc.stdout)


def listed(node: Inkan, env) -> dict[str, str]:
    rows = json.loads(node.run("list", "--format", "json", env=env).stdout)
    return {r["cn"]: r["status"] for r in rows}


def test_crl_show_and_a_second_init_on_the_shared_store(nodes):
    a, b, env = nodes["a"], nodes["b"], nodes["env"]
    # The CA exists once for all nodes: a second node's init is refused.
    proc = b.run("init", "--name", "Second CA", "--root-key", "ec-p256", "--issuing-key", "ec-p256", env=env,
                 check=False)
    assert proc.returncode != 0 and "already" in proc.stderr, proc
    first = b.root / "first.crl"
    second = a.root / "second.crl"
    b.run("crl", "--out", first, env=env)
    a.run("crl", "--out", second, env=env)
    numbers = []
    for crl in (first, second):
        text = run(["openssl", "crl", "-inform", "DER", "-in", crl, "-noout", "-crlnumber"]).stdout
        numbers.append(int(text.strip().split("=")[1], 16))
    assert numbers[1] > numbers[0], numbers


def test_no_sqlite_file_is_created(nodes):
    for node in (nodes["a"], nodes["b"]):
        assert not node.db.exists(), f"{node.db} exists"


def test_issue_on_one_node_list_and_revoke_on_the_other(nodes, postgres):
    a, b, env = nodes["a"], nodes["b"], nodes["env"]
    kept = issue(a, env, "terminal-kept")
    gone = issue(a, env, "terminal-gone")
    assert listed(b, env) == {"terminal-kept": "active", "terminal-gone": "active"}
    b.run("revoke", gone["serial"], "--reason", "keyCompromise", "--yes", env=env)
    assert listed(a, env) == {"terminal-kept": "active", "terminal-gone": "revoked"}
    assert not b.db.exists()
    # The same rows in PostgreSQL, and an audit chain that verifies from either node.
    assert postgres.sql("cli", "SELECT count(*) FROM certificates WHERE state <> 'reserved'") == "2"
    a.run("audit", "verify", env=env)
    assert "terminal-gone" in b.run("show", gone["serial"], env=env).stdout

    issuing_pem, root_pem = split_pem(b.run("ca", "cert", "--chain", env=env).stdout)
    (b.root / "issuing.pem").write_text(issuing_pem)
    (b.root / "root.pem").write_text(root_pem)
    leaf = a.root / "kept.pem"
    run(["openssl", "pkcs12", "-in", kept["p12"], "-nokeys", "-clcerts", "-passin", f"file:{kept['password_file']}",
         "-out", leaf])
    run(["openssl", "verify", "-CAfile", b.root / "root.pem", "-untrusted", b.root / "issuing.pem", leaf])
