"""How the CLI answers a command line it cannot run (issue 16, item 12): bare `inkan` and
`inkan help` teach, `-v` prints the version, a mistyped command gets a suggestion, every missing
option is named at once, and hints point at the help of the command in hand."""
from __future__ import annotations

import pytest

from helpers import clean_env, inkan_bin, run

EXIT_USAGE = 2


def inkan(*args):
    return run([inkan_bin(), *args], check=False, env=clean_env())


def test_bare_inkan_prints_the_overview():
    proc = inkan()
    assert proc.returncode == 0, proc
    assert "Usage: inkan [OPTIONS] SUBCOMMAND" in proc.stdout
    for command in ("init", "issue", "renew", "revoke", "serve", "help"):
        assert f"\n  {command} " in proc.stdout


@pytest.mark.parametrize("args, usage", [
    (["help"], "Usage: inkan [OPTIONS] SUBCOMMAND"),
    (["help", "issue"], "Usage: inkan issue [OPTIONS]"),
    (["help", "ca", "rollover"], "Usage: inkan ca rollover [OPTIONS]"),
])
def test_help_command_shows_the_named_commands_help(args, usage):
    proc = inkan(*args)
    assert proc.returncode == 0, proc
    assert usage in proc.stdout
    assert proc.stdout == inkan(*args[1:], "--help").stdout  # the same text as --help


def test_short_version_flag():
    proc = inkan("-v")
    assert proc.returncode == 0, proc
    assert proc.stdout.startswith("inkan ")
    assert proc.stdout == inkan("--version").stdout


@pytest.mark.parametrize("args, message", [
    (["lsit"], "inkan: 'lsit' is not a command of inkan. Did you mean 'list'? (see inkan --help)"),
    (["--dir", "/nonexistent", "lsit"],
     "inkan: 'lsit' is not a command of inkan. Did you mean 'list'? (see inkan --help)"),
    (["ca", "rolover"],
     "inkan: 'rolover' is not a command of inkan ca. Did you mean 'rollover'? (see inkan ca --help)"),
    (["user", "ad", "someone"],
     "inkan: 'ad' is not a command of inkan user. Did you mean 'add'? (see inkan user --help)"),
    (["frobnicate"], "inkan: 'frobnicate' is not a command of inkan. (see inkan --help)"),
    (["help", "lsit"], "inkan: 'lsit' is not a command of inkan. Did you mean 'list'? (see inkan --help)"),
    (["issue"], "inkan: issue: missing --tenant, --cn, --out (see inkan issue --help)"),
    (["issue", "--tenant", "acme"], "inkan: issue: missing --cn, --out (see inkan issue --help)"),
    (["list", "--bogus"], "(see inkan list --help)"),
    (["ca", "rollover", "--bogus"], "(see inkan ca rollover --help)"),
])
def test_usage_errors_name_the_problem_and_the_right_help(args, message):
    proc = inkan(*args)
    assert proc.returncode == EXIT_USAGE, proc
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert message in proc.stderr, proc.stderr
