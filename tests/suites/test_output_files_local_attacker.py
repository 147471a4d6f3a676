"""Issue 14 item 1: output files another local user could end up owning.

The attacker is a second local account (`nobody`, dropped with setpriv as the review did). With
`--out` in a directory that account can write, it kept re-creating `.passwords.csv.partial` (and a
p12's `.partial` after deleting the p12); the batch opened those with O_CREAT|O_TRUNC, so the
published files stayed the attacker's and it read every password and key. The rule now: the output
directory and each tenant sub-directory must be a real directory (no symlink) that the operator's
account owns and nobody else can write, and every output file is created exclusively, then checked
(owner, link count) on its descriptor. These tests assert the outcome an attacker cares about: the
run is refused or every secret is root's, 0600, and unreadable by the attacker.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from helpers import describe

PYTHON = "/usr/bin/python3"
ATTACKER = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
NOBODY = 65534

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/usr/bin/setpriv"),
                                reason="needs root to drop to the unprivileged attacker")


def as_attacker(code: str, *args, wait=True):
    """Run Python code as nobody:nogroup with no supplementary groups."""
    cmd = [*ATTACKER, PYTHON, "-c", code, *map(str, args)]
    if not wait:
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


# Re-creates the partial whenever it is missing, until told to stop (a file appears) or 60 s pass.
RECREATE = r"""
import os, sys, time
target, stop = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + 60
while time.monotonic() < deadline and not os.path.exists(stop):
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.fchmod(fd, 0o666)
        os.close(fd)
    except OSError:
        pass
"""

# Prints every regular file under a tree that the attacker can read, with its first bytes.
READ_ALL = r"""
import os, sys
for root, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(root, f)
        try:
            with open(p, 'rb') as h:
                data = h.read()
        except OSError:
            continue
        print(p, len(data), data[:64].hex(), flush=True)
        if b'file,serial,cn,password' in data:
            print('LEAK passwords', p)
        if data[:1] == b'\x30' and len(data) > 500 and p.endswith('.p12'):
            print('LEAK p12', p)
"""


@pytest.fixture
def shared_dir():
    """A directory everyone can traverse (pytest's own tmp is 0700, closed to nobody)."""
    d = Path(tempfile.mkdtemp(prefix="inkan-attack-"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("attack")
    inkan.init()
    inkan.tenant_add("acme", "Acme Care")
    src = inkan.root / "rows.csv"
    src.write_text("tenant,cn,kind,email\r\n" + "".join(f"acme,term-{i:02d},,\r\n" for i in range(20)))
    return inkan


def attacker_reads(tree: Path) -> str:
    proc = as_attacker(READ_ALL, tree)
    assert proc.returncode == 0, describe(proc)
    return proc.stdout


def assert_secret_or_absent(path: Path):
    """A secret output either does not exist or is root's, 0600, and the attacker cannot read it."""
    if not path.exists():
        return
    st = path.lstat()
    assert stat.S_ISREG(st.st_mode), f"{path} is not a regular file"
    assert st.st_uid == 0, f"{path} is owned by uid {st.st_uid}, not by the operator (root)"
    assert stat.S_IMODE(st.st_mode) == 0o600, f"{path} has mode {oct(st.st_mode)}"
    proc = as_attacker("import sys; open(sys.argv[1], 'rb').read()", path)
    assert proc.returncode != 0, f"the attacker read {path}"


def test_recreated_passwords_partial_in_world_writable_out(ca, shared_dir):
    out = shared_dir / "out"
    out.mkdir()
    out.chmod(0o777)
    stop = shared_dir / "stop"
    # The attacker prepares the tenant directory the batch will use, then races for the partial.
    proc = as_attacker("import os, sys; os.mkdir(sys.argv[1]); os.chmod(sys.argv[1], 0o777)", out / "acme")
    assert proc.returncode == 0, describe(proc)
    racer = as_attacker(RECREATE, out / "acme" / ".passwords.csv.partial", stop, wait=False)
    try:
        time.sleep(0.3)  # the racer is running before the batch starts (not a timing assertion)
        run = ca.run("batch", "issue", "--from", ca.root / "rows.csv", "--key", "ec-p256", "--out", out,
                     check=False)
    finally:
        stop.touch()
        racer.wait(timeout=70)
    seen = attacker_reads(out)
    assert "LEAK" not in seen, f"the attacker read secrets:\n{seen}" + describe(run)
    assert_secret_or_absent(out / "acme" / "passwords.csv")
    if run.returncode != 0:
        assert "writable by" in run.stderr or "owned by" in run.stderr, describe(run)


def test_rerun_reexport_into_loosened_out(ca, shared_dir):
    """First run into a private directory; later the directory is opened to everyone, the attacker
    deletes a p12 and races for its partial, and the rerun re-exports it from the store."""
    out = shared_dir / "rerun"
    out.mkdir(mode=0o700)
    src = ca.root / "rows2.csv"
    src.write_text("tenant,cn,kind,email\r\n" + "".join(f"acme,rerun-{i:02d},,\r\n" for i in range(5)))
    ca.run("batch", "issue", "--from", src, "--key", "ec-p256", "--out", out)
    p12 = sorted((out / "acme").glob("*.p12"))[0]
    out.chmod(0o777)
    (out / "acme").chmod(0o777)
    stop = shared_dir / "stop-rerun"
    proc = as_attacker("import os, sys; os.unlink(sys.argv[1])", p12)
    assert proc.returncode == 0, describe(proc)
    racer = as_attacker(RECREATE, p12.parent / f".{p12.name}.partial", stop, wait=False)
    try:
        time.sleep(0.3)
        run = ca.run("batch", "issue", "--from", src, "--key", "ec-p256", "--out", out, check=False)
    finally:
        stop.touch()
        racer.wait(timeout=70)
    seen = attacker_reads(out)
    assert "LEAK p12" not in seen, f"the attacker read a re-exported p12:\n{seen}" + describe(run)
    assert_secret_or_absent(p12)
    if run.returncode != 0:
        assert "writable by" in run.stderr, describe(run)


def test_tenant_directory_owned_by_another_user_is_refused(ca, shared_dir):
    out = shared_dir / "owned"
    out.mkdir(mode=0o700)
    (out / "acme").mkdir(mode=0o700)
    os.chown(out / "acme", NOBODY, NOBODY)  # the attacker owns it: it could swap files later
    run = ca.run("batch", "issue", "--from", ca.root / "rows.csv", "--key", "ec-p256", "--out", out, check=False)
    assert run.returncode != 0, "a tenant directory owned by nobody was written into" + describe(run)
    assert "owned by" in run.stderr, describe(run)
    assert not (out / "acme" / "passwords.csv").exists()


def test_issue_out_refuses_symlinked_and_world_writable_dirs(ca, shared_dir):
    real = shared_dir / "real"
    real.mkdir(mode=0o700)
    link = shared_dir / "link"
    link.symlink_to(real)
    run = ca.run("issue", "--tenant", "acme", "--cn", "via-link", "--out", link, check=False)
    assert run.returncode != 0 and "symbolic link" in run.stderr, describe(run)
    assert not any(real.iterdir()), "issue wrote through a symlinked --out"

    open_dir = shared_dir / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)
    run = ca.run("issue", "--tenant", "acme", "--cn", "into-open", "--out", open_dir, check=False)
    assert run.returncode != 0 and "writable by" in run.stderr, describe(run)
    assert not any(open_dir.iterdir())
    # Nothing was reserved or issued for the refused calls.
    assert "via-link" not in ca.run("list").stdout and "into-open" not in ca.run("list").stdout


def test_export_and_backup_follow_no_symlink(ca, shared_dir):
    serial = ca.issue("acme", "exported", ca.root / "issued")["serial"]
    victim = shared_dir / "victim"
    for target, cmd in ((shared_dir / "export.p12", ["export", serial, "--out"]),
                        (shared_dir / "backup.zip", ["backup", "--out"])):
        target.symlink_to(victim)  # dangling: O_CREAT alone would create the victim through it
        run = ca.run(*cmd, target, check=False)
        assert run.returncode != 0, describe(run)
        assert "exists" in run.stderr or "refus" in run.stderr, describe(run)
        assert not victim.exists(), f"{cmd[0]} followed a symlink to {victim}"
        target.unlink()
