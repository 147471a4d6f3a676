"""Issue 14, extra: the CLI's audit actor came from $USER, so `USER='x; admin:op1' inkan ...`
forged who did what. It now comes from the effective uid's entry in the password database."""
from __future__ import annotations

import os
import pwd


def test_user_variable_does_not_forge_the_audit_actor(make_inkan):
    ink = make_inkan("actor")
    ink.init()
    ink.run("tenant", "add", "forged", "--name", "Forged", env={"USER": "x; admin:op1", "LOGNAME": "admin:op1"})
    actor = ink.sql("SELECT actor FROM audit_log WHERE object LIKE '%forged%' ORDER BY rowid DESC LIMIT 1").strip()
    assert actor == "cli:" + pwd.getpwuid(os.geteuid()).pw_name, actor
