#!/usr/bin/env python3
"""The dependency direction of docs/ARCHITECTURE.md, checked on the sources (issue 13).

    ca/domain  <-  ca/crypto, ca/policy, ca/lint, ca/store  <-  ca/service  <-  tools/, web/, mail/

Every product source (ca/, web/, tools/) is read; each rule names what a file may not include or
contain. A finding prints `path:line: rule: the offending text` and the exit status is 1.

    check_layers.py [ROOT]      check the tree (default: the repository holding this script)
    check_layers.py --self-test  plant one violation of each rule in a scratch tree and require
                                 that each is reported (so the checker itself cannot rot)
"""
from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

PRODUCT_DIRS = ("ca", "web", "tools", "mail")
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h")

# The one documented exception (ARCHITECTURE.md, "Botan outside ca/crypto"): the audit chain
# hashes rows inside the transaction that appends them (either backend).
BOTAN_EXCEPTIONS = ("ca/store/audit_chain.cpp",)

# The store backends: the only folders that hold SQL.
SQL_FOLDERS = ("ca/store/sqlite", "ca/store/postgresql")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# SQL statements as they appear in string literals: keywords in upper case, as the store writes them.
SQL = re.compile(r'"[^"\n]*\b(SELECT\s+\S+.*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|'
                 r'DELETE\s+FROM|CREATE\s+(TABLE|INDEX|UNIQUE INDEX|TRIGGER)|DROP\s+TABLE|PRAGMA\s+\w+|'
                 r'BEGIN\s+IMMEDIATE)\b')


@dataclass(frozen=True)
class Include:
    system: bool  # <...> rather than "..."
    path: str


def under(rel: str, *prefixes: str) -> bool:
    return any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in prefixes)


# A rule: (name, applies to this file?, is this include forbidden?)
IncludeRule = tuple[str, Callable[[str], bool], Callable[[Include], bool]]

INCLUDE_RULES: list[IncludeRule] = [
    ("ca-includes-front-end",
     lambda f: under(f, "ca"),
     lambda i: (not i.system and under(i.path, "web", "tools", "cli", "commands", "mail"))
     or (i.system and (i.path == "httplib.h" or i.path.startswith("CLI/")))),
    ("domain-includes-only-domain",
     lambda f: under(f, "ca/domain"),
     lambda i: not i.system and under(i.path, "ca") and not under(i.path, "ca/domain")),
    ("lower-layer-includes-service",
     lambda f: under(f, "ca/crypto", "ca/policy", "ca/lint", "ca/store"),
     lambda i: not i.system and under(i.path, "ca/service")),
    ("store-interface-includes-sqlite",
     lambda f: under(f, "ca/store") and not under(f, "ca/store/sqlite"),
     lambda i: not i.system and under(i.path, "ca/store/sqlite")),
    ("sql-library-outside-store-sqlite",
     lambda f: not under(f, "ca/store/sqlite"),
     lambda i: i.system and (i.path.startswith("SQLiteCpp/") or i.path == "sqlite3.h")),
    # The PostgreSQL backend (issue 22): libpq only in its own folder.
    ("libpq-outside-store-postgresql",
     lambda f: not under(f, "ca/store/postgresql"),
     lambda i: i.system and i.path == "libpq-fe.h"),
    ("store-interface-includes-postgresql",
     lambda f: under(f, "ca/store") and not under(f, "ca/store/postgresql"),
     lambda i: not i.system and under(i.path, "ca/store/postgresql")),
    ("botan-outside-crypto",
     lambda f: not under(f, "ca/crypto") and f not in BOTAN_EXCEPTIONS,
     lambda i: i.system and i.path.startswith("botan/")),
    ("web-includes-store-or-cli",
     lambda f: under(f, "web"),
     lambda i: not i.system and under(i.path, "ca/store/sqlite", "ca/store/postgresql", "tools", "cli", "commands")),
    ("httplib-outside-https-server",
     lambda f: f != "web/server/https_server.cpp",
     lambda i: i.path == "httplib.h"),
    ("mstch-outside-render",
     lambda f: f != "web/http/render.cpp",
     lambda i: i.system and i.path.startswith("mstch/")),
    # OpenSSL adapters (PKCS#12, and the OCSP responder of design.md §9) live in ca/crypto too.
    ("curl-outside-mail",
     lambda f: not under(f, "mail"),
     lambda i: i.system and i.path.startswith("curl/")),
    ("mail-includes-front-end-or-store",
     lambda f: under(f, "mail"),
     lambda i: not i.system and under(i.path, "web", "tools", "cli", "commands", "ca/store/sqlite")),
    ("openssl-in-ca-outside-crypto",
     lambda f: under(f, "ca") and not under(f, "ca/crypto"),
     lambda i: i.system and i.path.startswith("openssl/")),
    # PKCS#11 (issue 21): pkcs11.h in one header of the token adapter, and the tests' fault module.
    ("pkcs11-outside-token-adapter",
     lambda f: f not in ("ca/crypto/pkcs11/pkcs11_module.hpp", "tests/pkcs11/fault_module.cpp"),
     lambda i: i.system and i.path.startswith("p11-kit/")),
]


def code_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines with // and /* */ comments removed (string contents kept)."""
    in_block = False
    for number, line in enumerate(text.splitlines(), 1):
        out, i = [], 0
        in_string = False
        while i < len(line):
            if in_block:
                end = line.find("*/", i)
                if end < 0:
                    i = len(line)
                    continue
                in_block, i = False, end + 2
                continue
            c = line[i]
            if in_string:
                out.append(c)
                if c == "\\" and i + 1 < len(line):
                    out.append(line[i + 1])
                    i += 2
                    continue
                if c == '"':
                    in_string = False
            elif line.startswith("//", i):
                break
            elif line.startswith("/*", i):
                in_block, i = True, i + 2
                continue
            else:
                out.append(c)
                if c == '"':
                    in_string = True
            i += 1
        yield number, "".join(out)


def check_file(rel: str, text: str) -> list[str]:
    findings = []
    for number, line in code_lines(text):
        m = INCLUDE.match(line)
        if m:
            inc = Include(system=m.group(1) == "<", path=m.group(2))
            for name, applies, forbidden in INCLUDE_RULES:
                if applies(rel) and forbidden(inc):
                    findings.append(f"{rel}:{number}: {name}: {line.strip()}")
            continue
        if not under(rel, *SQL_FOLDERS) and SQL.search(line):
            findings.append(f"{rel}:{number}: sql-outside-store-sqlite: {line.strip()[:120]}")
    return findings


def check_tree(root: Path) -> tuple[list[str], int]:
    findings, files = [], 0
    for top in PRODUCT_DIRS:
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            files += 1
            rel = path.relative_to(root).as_posix()
            findings += check_file(rel, path.read_text(encoding="utf-8", errors="replace"))
    return findings, files


# One planted violation per rule: (file, content, the rule that must report it).
PLANTED = [
    ("ca/service/bad_web.cpp", '#include "web/http/http.hpp"\n', "ca-includes-front-end"),
    ("ca/service/bad_cli.cpp", "#include <CLI/CLI.hpp>\n", "ca-includes-front-end"),
    ("ca/domain/bad.hpp", '#include "ca/crypto/rng.hpp"\n', "domain-includes-only-domain"),
    ("ca/crypto/bad.cpp", '#include "ca/service/doctor.hpp"\n', "lower-layer-includes-service"),
    ("ca/store/bad.hpp", '#include "ca/store/sqlite/sqlite_store.hpp"\n', "store-interface-includes-sqlite"),
    ("ca/service/bad_sql.cpp", "#include <SQLiteCpp/Database.h>\n", "sql-library-outside-store-sqlite"),
    ("web/admin/bad_sql.cpp", 'auto q = "SELECT serial FROM certificates";\n', "sql-outside-store-sqlite"),
    ("tools/cli/bad_sql.cpp", 'run("UPDATE certificates SET status = 2");\n', "sql-outside-store-sqlite"),
    ("ca/service/bad_botan.cpp", "#include <botan/rsa.h>\n", "botan-outside-crypto"),
    ("ca/store/sqlite/bad_botan.cpp", "#include <botan/hash.h>\n", "botan-outside-crypto"),
    ("web/api/bad_store.cpp", '#include "ca/store/sqlite/sqlite_store.hpp"\n', "web-includes-store-or-cli"),
    ("web/portal/bad_httplib.cpp", "#include <httplib.h>\n", "httplib-outside-https-server"),
    ("web/admin/bad_mstch.cpp", "#include <mstch/mstch.hpp>\n", "mstch-outside-render"),
    ("ca/service/bad_openssl.cpp", "#include <openssl/evp.h>\n", "openssl-in-ca-outside-crypto"),
    ("ca/crypto/x509/bad_p11.cpp", "#include <p11-kit/pkcs11.h>\n", "pkcs11-outside-token-adapter"),
    ("ca/service/bad_p11.cpp", "#include <p11-kit/pkcs11.h>\n", "pkcs11-outside-token-adapter"),
    ("ca/service/notify/bad_curl.cpp", "#include <curl/curl.h>\n", "curl-outside-mail"),
    ("tools/commands/bad_curl.cpp", "#include <curl/curl.h>\n", "curl-outside-mail"),
    ("mail/bad_web.cpp", '#include "web/http/http.hpp"\n', "mail-includes-front-end-or-store"),
    ("ca/service/bad_pq.cpp", "#include <libpq-fe.h>\n", "libpq-outside-store-postgresql"),
    ("ca/store/sqlite/bad_pq.cpp", '#include "ca/store/postgresql/connection.hpp"\n', "store-interface-includes-postgresql"),
    ("web/api/bad_pg.cpp", '#include "ca/store/postgresql/postgresql_store.hpp"\n', "web-includes-store-or-cli"),
]
# Allowed on purpose: each must stay silent.
ALLOWED = [
    ("ca/store/audit_chain.cpp", "#include <botan/hash.h>\n"),
    ("ca/store/sqlite/certificates/q.cpp", 'auto q = "SELECT serial FROM certificates";\n'),
    ("ca/store/postgresql/q.cpp", 'auto q = "SELECT serial FROM certificates";\n'),
    ("ca/store/postgresql/connection.hpp", "#include <libpq-fe.h>\n"),
    ("ca/service/comment.cpp", '// "SELECT x FROM y" in a comment\n/* #include <botan/rsa.h> */\n'),
    ("web/server/https_server.cpp", "#include <httplib.h>\n"),
    ("ca/crypto/pkcs12/pkcs12.cpp", "#include <openssl/pkcs12.h>\n"),
    ("ca/crypto/pkcs11/pkcs11_module.hpp", "#include <p11-kit/pkcs11.h>\n"),
    ("ca/service/words.cpp", 'auto s = "Select the file from the list";\n'),
    ("mail/smtp_transport.cpp", "#include <curl/curl.h>\n"),
]


def self_test() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, content, _ in PLANTED + [(r, c, None) for r, c in ALLOWED]:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(content)
        findings, _ = check_tree(root)
    for rel, _, rule in PLANTED:
        if not any(f.startswith(rel + ":") and f": {rule}:" in f for f in findings):
            failures.append(f"planted {rule} in {rel} was not reported")
    for rel, _ in ALLOWED:
        failures += [f"false finding: {f}" for f in findings if f.startswith(rel + ":")]
    for f in failures:
        print("SELF-TEST:", f)
    print(f"self-test: {len(PLANTED)} planted violations, {len(ALLOWED)} allowed cases, "
          f"{len(failures)} failures")
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--self-test"]:
        return self_test()
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2]
    findings, files = check_tree(root)
    for f in findings:
        print(f)
    print(f"layering: {files} files checked, {len(findings)} findings")
    return 1 if findings or files == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
