"""Issue 18, item 2: `inkan passphrase change`, `inkan root passphrase`, and what backups do.
After the change the old passphrase is refused and the new one issues, renews, publishes CRLs and
serves; a server started before the change keeps serving (and renewing) on the keys it unlocked;
the change is audited; an offline root file gets a new copy, the original untouched."""
from __future__ import annotations

import hashlib

from helpers import Inkan, describe, write_secret
from serve_support import Server, curl, not_before_for

NEW = "the next operator's passphrase 91c2"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_change_refuses_the_old_passphrase_and_the_new_one_does_everything(make_inkan):
    ink = make_inkan("passphrase")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    out = ink.root / "out"
    near = ink.issue("acme", "near-expiry", out, "--key", "ec-p256", "--not-before", not_before_for(30))
    near2 = ink.issue("acme", "near-expiry-2", out, "--key", "ec-p256", "--not-before", not_before_for(30))
    server = Server(ink)
    try:
        newfile = write_secret(ink.root / "new.txt", NEW)
        backup = ink.root / "before.zip"
        ink.run("backup", "--out", backup)
        proc = ink.run("passphrase", "change", "--new-passphrase-file", newfile)
        assert "re-encrypted" in proc.stdout and NEW not in proc.stdout + proc.stderr, describe(proc)

        # The old passphrase opens nothing any more.
        for args in (("password", near["serial"]), ("crl",), ("issue", "--tenant", "acme", "--cn", "x", "--out", out)):
            refused = ink.fail(*args)
            assert refused.returncode == 5, describe(refused)
        # The new one reveals a password sealed before, issues, renews and signs CRLs.
        assert ink.run("password", near["serial"], passfile=newfile).stdout.strip() == near["password"]
        ink.run("issue", "--tenant", "acme", "--cn", "after", "--out", out, "--key", "ec-p256", passfile=newfile)
        ink.run("renew", near["serial"], "--out", out / "renewed", passfile=newfile)
        ink.run("crl", "--out", ink.root / "crl.der", passfile=newfile)
        entries = ink.json("audit", "--action", "passphrase.change", "--format", "json")["entries"]
        assert len(entries) == 1 and entries[0]["actor"].startswith("cli:"), entries
        assert entries[0]["detail"] == "ca_keys=2 pending_key=no server_key=yes", entries

        # The server started under the old passphrase keeps serving and renewing.
        reply = curl(server, "/api/v1/renew", p12=near2["p12"], password=near2["password"], method="POST",
                     data="{}", content_type="application/json")
        assert reply.status in (200, 201), reply
        assert curl(server, "/crl").status == 200
        assert server.proc.poll() is None
    finally:
        server.stop()
    # Restarted, it needs the new passphrase.
    stale = ink.fail("serve", "--listen", "127.0.0.1:1")
    assert stale.returncode == 5, describe(stale)
    old_passfile, ink.passfile = ink.passfile, newfile
    try:
        fresh = Server(ink)
        try:
            assert curl(fresh, "/ca.pem").status == 200
        finally:
            fresh.stop()
    finally:
        ink.passfile = old_passfile
    assert ink.run("doctor").returncode == 0

    # A backup keeps the passphrase it was taken under, and restore says so.
    restored = ink.root / "restored"
    wrong = ink.fail("restore", backup, "--dir", restored, passfile=newfile)
    assert wrong.returncode == 5 and "keeps the passphrase it was taken under" in wrong.stderr, describe(wrong)
    ok = ink.run("restore", backup, "--dir", restored)
    assert "passphrase in use when the backup was taken" in ok.stdout, describe(ok)


def test_a_bad_new_passphrase_changes_nothing(make_inkan):
    ink = make_inkan("passphrase-bad")
    ink.init()
    short = write_secret(ink.root / "short.txt", "short")
    same = ink.passfile
    assert ink.fail("passphrase", "change", "--new-passphrase-file", short).returncode == 2
    assert ink.fail("passphrase", "change", "--new-passphrase-file", same).returncode == 2
    wrong = write_secret(ink.root / "wrong.txt", "not the passphrase at all")
    assert ink.fail("passphrase", "change", "--new-passphrase-file", short, passfile=wrong).returncode == 5
    ink.run("crl", "--out", ink.root / "crl.der")  # the original still works
    ink.fail("passphrase", "change", "--new-passphrase", "secret-on-argv", one_line=False)


def test_root_passphrase_writes_a_new_file_and_leaves_the_original(make_inkan):
    ink = make_inkan("root-passphrase")
    root_file = ink.root / "root.pem"
    ink.init(extra=("--offline-root", root_file))
    before = sha(root_file)
    newfile = write_secret(ink.root / "new.txt", NEW)
    copy = ink.root / "root-new.pem"
    proc = ink.run("root", "passphrase", root_file, "--out", copy, "--new-passphrase-file", newfile)
    assert "unchanged" in proc.stdout, describe(proc)
    assert sha(root_file) == before
    assert (copy.stat().st_mode & 0o777) == 0o600
    assert root_file.read_text().split("-----BEGIN CERTIFICATE-----")[1] == \
        copy.read_text().split("-----BEGIN CERTIFICATE-----")[1], "the certificate must be the same"
    # The copy opens with the new passphrase only (checked with openssl, a third-party reader).
    from helpers import run
    key_new = run(["openssl", "pkey", "-in", copy, "-passin", f"file:{newfile}", "-pubout"], check=False)
    key_old = run(["openssl", "pkey", "-in", copy, "-passin", f"file:{ink.passfile}", "-pubout"], check=False)
    key_orig = run(["openssl", "pkey", "-in", root_file, "-passin", f"file:{ink.passfile}", "-pubout"])
    assert key_new.returncode == 0 and key_old.returncode != 0, describe(key_old)
    assert key_new.stdout == key_orig.stdout
    # Never overwrites.
    again = ink.fail("root", "passphrase", root_file, "--out", copy, "--new-passphrase-file", newfile)
    assert again.returncode == 4, describe(again)
    another = write_secret(ink.root / "another.txt", "yet another passphrase 5e0a")
    wrong = ink.fail("root", "passphrase", root_file, "--out", ink.root / "x.pem", "--new-passphrase-file", another,
                     passfile=newfile)
    assert wrong.returncode == 5 and not (ink.root / "x.pem").exists()
