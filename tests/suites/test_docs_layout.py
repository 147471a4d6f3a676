"""Issue 16 item 18: the docs and every --help follow one layout, the package's: the data directory
/var/lib/inkan owned by the inkan user, commands run as that user, the passphrase in root's
/etc/inkan/passphrase, piped with `--passphrase-file -` where a script needs it. Before, examples
used /srv/inkan in one guide and /var/lib/inkan in another, and three passphrase file names.

The piped form is run for real: root's 0600 passphrase file, read by a command running as another
account (`/dev/stdin` cannot be reopened there: the pipe is root's)."""
from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from helpers import Inkan, clean_env, describe

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Names the examples used before: other data directories and passphrase files.
STALE = re.compile(r"/srv/inkan|/root/inkan|inkan\.pass\b|inkan-pass\b|pass\.txt")
SUBCOMMANDS = ["init", "restore", "backup", "crl", "serve", "ca", "passphrase", "batch", "doctor"]


def test_docs_use_the_packaged_layout_only():
    stale = [f"{d.relative_to(REPO)}:{n}: {line.strip()}"
             for d in DOCS for n, line in enumerate(d.read_text().splitlines(), 1) if STALE.search(line)]
    assert not stale, "\n".join(stale)
    dirs = {m for d in DOCS for m in re.findall(r"INKAN_DIR=(\S+)", d.read_text())}
    assert dirs <= {"/var/lib/inkan", '"$B/d"'}, dirs  # benchmarks.md uses a scratch directory


def test_help_texts_use_the_packaged_layout_only(bin_path):
    for sub in SUBCOMMANDS:
        out = subprocess.run([str(bin_path), sub, "--help"], capture_output=True, text=True,
                             env=clean_env()).stdout
        assert out and not STALE.search(out), f"inkan {sub} --help:\n{out}"


def test_passphrase_file_dash_reads_standard_input(make_inkan):
    ink: Inkan = make_inkan("stdin-pass")
    ink.init()
    passphrase = Path(ink.passfile).read_text()
    proc = subprocess.run([str(c) for c in [ink.bin, "--dir", ink.dir, "--passphrase-file", "-", "crl",
                                            "--out", ink.root / "a.crl"]],
                          input=passphrase, capture_output=True, text=True, env=clean_env())
    assert proc.returncode == 0, describe(proc)
    proc = subprocess.run([str(c) for c in [ink.bin, "--dir", ink.dir, "--passphrase-file", "-", "crl",
                                            "--out", ink.root / "b.crl"]],
                          input="not the passphrase\n", capture_output=True, text=True, env=clean_env())
    assert proc.returncode != 0 and not (ink.root / "b.crl").exists(), describe(proc)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"),
                    reason="the cross-account pipe needs root (CI runs as root)")
def test_root_only_passphrase_piped_to_another_account(make_inkan, tmp_path_factory):
    """The operator guide's cron line: `cat /etc/inkan/passphrase | runuser -u inkan -- inkan
    --passphrase-file - crl ...`, with nobody standing in for inkan."""
    ink: Inkan = make_inkan("pipe-pass")
    ink.init()
    home = Path(tempfile.mkdtemp(prefix="inkan-pipe-"))  # pytest's tmp is 0700, closed to nobody
    request_cleanup = home
    data = home / "data"
    shutil.copytree(ink.dir, data)
    for p in [home, *home.rglob("*")]:
        shutil.chown(p, "nobody", "nogroup")
    home.chmod(0o755)
    secret = tmp_path_factory.mktemp("etc") / "passphrase"
    secret.write_text(Path(ink.passfile).read_text())
    secret.chmod(0o600)  # root's only, as /etc/inkan/passphrase

    def as_nobody(passphrase_arg: str, out: Path):
        return subprocess.run(
            f"cat {secret} | runuser -u nobody -- {ink.bin} --dir {data} --passphrase-file {passphrase_arg}"
            f" crl --out {out}", shell=True, capture_output=True, text=True, env=clean_env())

    dev_stdin = as_nobody("/dev/stdin", home / "x.crl")
    assert dev_stdin.returncode != 0 and "Permission denied" in dev_stdin.stderr, describe(dev_stdin)
    dash = as_nobody("-", home / "y.crl")
    assert dash.returncode == 0, describe(dash)
    assert (home / "y.crl").stat().st_uid == pwd.getpwnam("nobody").pw_uid
    shutil.rmtree(request_cleanup, ignore_errors=True)
