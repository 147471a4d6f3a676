"""`inkan store migrate` on a throwaway PostgreSQL 15 (issue 22): the schema is created only when
asked, once, under a lock; the URI comes from --db or INKAN_DB and never carries a password;
the help teaches; a node on an unmigrated database is told to run it, and creates nothing."""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from helpers import clean_env, inkan_bin, run
from postgres_support import postgres  # noqa: F401  (pytest fixture)

EXIT_OK = 0


def inkan(*args, env=None):
    return run([inkan_bin(), *args], check=False, env=clean_env(env))


def test_the_throwaway_server_reports_its_start_up_time(postgres):
    print(f"throwaway PostgreSQL started in {postgres.startup_seconds:.2f} s", file=sys.stderr)
    assert postgres.sql("postgres", "SHOW listen_addresses") == ""
    assert postgres.sql("postgres", "SHOW fsync") == "off"


def test_migrate_creates_the_schema_once_and_then_changes_nothing(postgres):
    uri = postgres.create_database("once")
    assert postgres.sql("once", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0"
    first = inkan("store", "migrate", "--db", uri)
    assert first.returncode == EXIT_OK, first
    assert "PostgreSQL database 'once'" in first.stdout
    assert "schema version 0 -> 1" in first.stdout
    tables = postgres.sql("once", "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables "
                                  "WHERE schemaname = 'public'").split()
    for table in ("certificates", "tenants", "cas", "audit_log", "settings", "schema_version", "admin_users"):
        assert table in tables
    again = inkan("store", "migrate", env={"INKAN_DB": uri})
    assert again.returncode == EXIT_OK, again
    assert "nothing to do" in again.stdout
    assert postgres.sql("once", "SELECT count(*) FROM schema_version") == "1"


def test_two_nodes_migrating_at_once_apply_the_schema_once(postgres):
    uri = postgres.create_database("race")
    with ThreadPoolExecutor(2) as pool:
        procs = list(pool.map(lambda _: inkan("store", "migrate", "--db", uri), range(2)))
    assert all(p.returncode == EXIT_OK for p in procs), procs
    outputs = sorted(p.stdout for p in procs)
    assert sum("0 -> 1" in o for o in outputs) == 1, outputs
    assert sum("nothing to do" in o for o in outputs) == 1, outputs


def test_a_password_in_the_uri_is_refused_and_not_echoed(postgres):
    proc = inkan("store", "migrate", "--db", f"postgresql://inkan:hunter2-secret@localhost/x?host={postgres.dir}")
    assert proc.returncode != EXIT_OK
    assert "PGPASSFILE" in proc.stderr
    assert "hunter2-secret" not in proc.stderr + proc.stdout


def test_migrate_without_a_database_says_what_it_needs():
    proc = inkan("store", "migrate")
    assert proc.returncode != EXIT_OK
    assert "--db postgresql://" in proc.stderr and "INKAN_DB" in proc.stderr


def test_migrate_help_teaches():
    proc = inkan("store", "migrate", "--help")
    assert proc.returncode == EXIT_OK, proc
    for needle in ("Usage: inkan store migrate", "PGPASSFILE", "advisory lock", "inkan store migrate --db"):
        assert needle in proc.stdout, needle


def test_a_node_on_an_unmigrated_database_is_told_to_run_store_migrate(postgres, tmp_path):
    uri = postgres.create_database("unmigrated")
    data = tmp_path / "data"
    proc = inkan("list", "--dir", data, "--db", uri)
    assert proc.returncode == 8, proc
    assert "inkan store migrate" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (data / "inkan.db").exists()
    assert postgres.sql("unmigrated", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0"
