"""Shared helpers for the suites: drive the real `inkan` binary and third-party readers.

Every helper raises an AssertionError carrying the command, exit status, stdout and stderr, so a
failing test says what went wrong without a rerun.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import socket
import subprocess
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

PYTHON = "/usr/bin/python3"
UTC = dt.timezone.utc
FAST_KEYS = ("--root-key", "ec-p256", "--issuing-key", "ec-p256")
PASSPHRASE = "correct horse battery staple 7f3a"

# Variables that would leak the caller's environment into the CLI under test.
_SCRUB = ("INKAN_DIR", "INKAN_PASSPHRASE_FILE", "INKAN_DB", "PGPASSFILE", "PGPASSWORD")


def inkan_bin() -> str:
    path = os.environ.get("INKAN_BIN")
    assert path, "INKAN_BIN is not set (CTest sets it to the built inkan binary)"
    assert os.access(path, os.X_OK), f"INKAN_BIN={path} is not an executable file"
    return path


def clean_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.setdefault("LC_ALL", "C.UTF-8")
    if extra:
        env.update(extra)
    return env


def describe(proc: subprocess.CompletedProcess) -> str:
    out = proc.stdout if isinstance(proc.stdout, str) else proc.stdout.decode("utf-8", "replace")
    err = proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode("utf-8", "replace")
    args = proc.args if isinstance(proc.args, str) else shlex.join(str(a) for a in proc.args)
    return (f"\n$ {args}\nexit status: {proc.returncode}\n"
            f"--- stdout ---\n{out[-4000:]}\n--- stderr ---\n{err[-4000:]}")


def run(cmd, *, check=True, binary=False, env=None, cwd=None, timeout=180, input=None):
    """Run a command; with check=True a non-zero exit fails the test with full context."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=not binary, env=env,
                          cwd=cwd, timeout=timeout, input=input)
    if check and proc.returncode != 0:
        raise AssertionError("command failed" + describe(proc))
    return proc


def write_secret(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")
    os.chmod(path, 0o600)
    return path


def norm_serial(s) -> int:
    """Serial as printed by inkan/openssl (hex, any case, optional colons) or an int -> int."""
    if isinstance(s, int):
        return s
    s = s.strip().replace(":", "")
    if s.lower().startswith("serial="):
        s = s[len("serial="):]
    assert re.fullmatch(r"[0-9A-Fa-f]+", s), f"not a hex serial: {s!r}"
    return int(s, 16)


def parse_time(s: str) -> dt.datetime:
    """RFC 3339 UTC as the contract demands ("2023-09-08T00:00:00Z")."""
    assert isinstance(s, str) and re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]00:00)", s), f"not RFC 3339 UTC: {s!r}"
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def add_years(d: dt.datetime, years: int) -> dt.datetime:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February -> 28 February (or 1 March); accept the 28th here
        return d.replace(year=d.year + years, day=28)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def split_pem(text: str) -> list[str]:
    return re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", text,
                      flags=re.S)


def snapshot_tree(path: Path) -> dict:
    """Recursive listing with kinds, modes and contents; a missing path snapshots as None."""
    path = Path(path)
    if not path.exists():
        return {"<missing>": str(path)}
    if path.is_file():
        return {".": ("file", oct(path.stat().st_mode & 0o7777), path.read_bytes())}
    snap = {}
    for p in sorted(path.rglob("*")):
        rel = str(p.relative_to(path))
        st = p.lstat()
        if p.is_symlink():
            snap[rel] = ("link", os.readlink(p))
        elif p.is_dir():
            snap[rel] = ("dir", oct(st.st_mode & 0o7777))
        else:
            snap[rel] = ("file", oct(st.st_mode & 0o7777), p.read_bytes())
    return snap


class Inkan:
    """One data directory plus its passphrase file, driven through the real CLI."""

    def __init__(self, root: Path, passphrase: str = PASSPHRASE):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.dir = self.root / "data"
        self.passfile = write_secret(self.root / "passphrase.txt", passphrase)
        self.bin = inkan_bin()

    @property
    def db(self) -> Path:
        return self.dir / "inkan.db"

    def cmd(self, *args, passfile=None):
        return [self.bin, "--dir", self.dir, "--passphrase-file", passfile or self.passfile,
                *args]

    def run(self, *args, check=True, passfile=None, binary=False, env=None):
        return run(self.cmd(*args, passfile=passfile), check=check, binary=binary,
                   env=clean_env(env), cwd=self.root)

    def fail(self, *args, one_line=True, **kw):
        """Run a command that must fail: non-zero exit and (by default) a one-line stderr."""
        proc = self.run(*args, check=False, **kw)
        assert proc.returncode != 0, "expected a non-zero exit" + describe(proc)
        err = proc.stderr.strip() if isinstance(proc.stderr, str) else proc.stderr.decode().strip()
        assert err, "expected a reason on stderr" + describe(proc)
        if one_line:
            assert len(err.splitlines()) == 1, "expected a one-line reason on stderr" + describe(proc)
        return proc

    def json(self, *args, **kw):
        proc = self.run(*args, **kw)
        try:
            return json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            raise AssertionError(f"output is not JSON: {e}" + describe(proc)) from None

    def cas(self) -> list[dict]:
        """`ca list --format json` without a pending key's element: the CAs that exist."""
        return [c for c in self.json("ca", "list", "--format", "json") if not c["pending"]]

    # --- commands -------------------------------------------------------------------------
    def init(self, name="Suite Test CA", keys=FAST_KEYS, crl_url=None, extra=()):
        args = ["init", "--name", name, *keys]
        if crl_url:
            args += ["--crl-url", crl_url]
        return self.run(*args, *extra)

    def tenant_add(self, tid, name):
        return self.run("tenant", "add", tid, "--name", name)

    def issue(self, tenant, cn, out, *opts) -> dict:
        obj = self.json("issue", "--tenant", tenant, "--cn", cn, "--out", out, "--format",
                        "json", *opts)
        assert isinstance(obj, dict), f"issue --format json did not print an object: {obj!r}"
        for key in ("serial", "p12", "password_file", "not_before", "not_after", "sha256"):
            assert key in obj, f"issue JSON lacks {key!r}: {obj!r}"
        obj["password"] = read_password(Path(obj["password_file"]))
        return obj

    def chain(self) -> tuple[str, str]:
        """(issuing PEM, root PEM) from `inkan ca cert --chain`."""
        proc = self.run("ca", "cert", "--chain")
        certs = split_pem(proc.stdout)
        assert len(certs) == 2, "ca cert --chain must print issuing then root" + describe(proc)
        return certs[0], certs[1]

    def write_chain(self, where: Path) -> tuple[Path, Path, Path]:
        issuing, root = self.chain()
        where.mkdir(parents=True, exist_ok=True)
        (where / "issuing.pem").write_text(issuing)
        (where / "root.pem").write_text(root)
        (where / "chain.pem").write_text(issuing + root)
        return where / "issuing.pem", where / "root.pem", where / "chain.pem"

    def dump(self) -> str:
        """The store's logical content (sqlite3 .dump reads the WAL too)."""
        assert self.db.exists(), f"no database at {self.db}"
        return run(["sqlite3", self.db, ".dump"]).stdout

    def sql(self, statement: str) -> str:
        return run(["sqlite3", self.db, statement]).stdout


def read_password(path: Path) -> str:
    raw = Path(path).read_text()
    assert raw.endswith("\n") or "\n" not in raw, f"{path}: unexpected layout {raw!r}"
    lines = raw.splitlines()
    assert len(lines) == 1 and lines[0].strip(), \
        f"{path} must hold the password alone on one line, got {raw!r}"
    return lines[0]


def p12_leaf(p12: Path, password: str):
    """(key, leaf cert, additional certs) through python cryptography."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    return pkcs12.load_key_and_certificates(Path(p12).read_bytes(), password.encode())


def verify_signed_by(cert, issuer) -> None:
    """Raise unless `cert` (certificate or CRL) carries a valid signature by `issuer`'s key
    (cryptography 38 has no verify_directly_issued_by)."""
    from cryptography.hazmat.primitives.asymmetric import padding
    pub = issuer.public_key()
    if isinstance(pub, rsa.RSAPublicKey):
        pub.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(),
                   cert.signature_hash_algorithm)
    elif isinstance(pub, ec.EllipticCurvePublicKey):
        pub.verify(cert.signature, cert.tbs_certificate_bytes,
                   ec.ECDSA(cert.signature_hash_algorithm))
    else:
        raise AssertionError(f"unexpected issuer key {pub!r}")


# --- the client-certificate profile (issue 2, "Client-certificate profile") ------------------
ALLOWED_EXTS = {ExtensionOID.BASIC_CONSTRAINTS, ExtensionOID.KEY_USAGE,
                ExtensionOID.EXTENDED_KEY_USAGE, ExtensionOID.SUBJECT_KEY_IDENTIFIER,
                ExtensionOID.AUTHORITY_KEY_IDENTIFIER, ExtensionOID.CRL_DISTRIBUTION_POINTS,
                ExtensionOID.SUBJECT_ALTERNATIVE_NAME}


def nb(cert) -> dt.datetime:
    return cert.not_valid_before.replace(tzinfo=UTC)


def na(cert) -> dt.datetime:
    return cert.not_valid_after.replace(tzinfo=UTC)


def serial_der_octets(n: int) -> int:
    """Length of the DER INTEGER content octets for a positive serial."""
    return (n.bit_length() + 8) // 8  # one extra bit for the sign


def check_client_profile(cert: x509.Certificate, issuing: x509.Certificate, *, cn: str,
                         org: str, key_type: str, crl_url: str | None, email: str | None):
    assert cert.version == x509.Version.v3
    attrs = sorted((a.oid.dotted_string, a.value) for a in cert.subject)
    want = sorted([(NameOID.COMMON_NAME.dotted_string, cn),
                   (NameOID.ORGANIZATION_NAME.dotted_string, org)])
    assert attrs == want, f"subject must be exactly CN + O: {cert.subject.rfc4514_string()}"
    assert cert.issuer == issuing.subject
    verify_signed_by(cert, issuing)

    s = cert.serial_number
    assert s > 0, s
    assert serial_der_octets(s) <= 20, f"serial longer than 20 octets: {s:X}"
    assert s.bit_length() >= 64, f"serial has fewer than 64 bits: {s:X}"

    exts = {e.oid: e for e in cert.extensions}
    unexpected = set(exts) - ALLOWED_EXTS
    assert not unexpected, f"unexpected extensions: {[o.dotted_string for o in unexpected]}"

    bc = exts.get(ExtensionOID.BASIC_CONSTRAINTS)
    assert bc is not None and bc.critical and bc.value.ca is False, bc

    ku = exts.get(ExtensionOID.KEY_USAGE)
    assert ku is not None and ku.critical, ku
    ku = ku.value
    is_rsa = key_type.startswith("rsa")
    assert ku.digital_signature is True
    assert ku.key_encipherment is is_rsa, f"keyEncipherment must be {is_rsa} for {key_type}"
    assert not (ku.content_commitment or ku.data_encipherment or ku.key_agreement
                or ku.key_cert_sign or ku.crl_sign), ku

    eku = exts.get(ExtensionOID.EXTENDED_KEY_USAGE)
    assert eku is not None and list(eku.value) == [ExtendedKeyUsageOID.CLIENT_AUTH], eku

    ski = exts.get(ExtensionOID.SUBJECT_KEY_IDENTIFIER)
    assert ski is not None and len(ski.value.digest) > 0, "SKI missing"
    aki = exts.get(ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    ca_ski = issuing.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert aki is not None and aki.value.key_identifier == ca_ski, \
        f"AKI {aki and aki.value.key_identifier!r} != issuing SKI {ca_ski!r}"

    cdp = exts.get(ExtensionOID.CRL_DISTRIBUTION_POINTS)
    if crl_url is None:
        assert cdp is None, f"CRL distribution point without a configured URL: {cdp}"
    else:
        assert cdp is not None, "CRL distribution point missing"
        uris = [n.value for dp in cdp.value for n in (dp.full_name or [])
                if isinstance(n, x509.UniformResourceIdentifier)]
        assert uris == [crl_url], uris

    san = exts.get(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    if email is None:
        assert san is None, f"unexpected SAN: {san}"
    else:
        assert san is not None, "SAN email missing"
        assert list(san.value) == [x509.RFC822Name(email)], san

    key = cert.public_key()
    if key_type == "rsa-2048":
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    elif key_type == "rsa-3072":
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 3072
    elif key_type == "ec-p256":
        assert isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)
    else:
        raise AssertionError(key_type)


def openssl_verify(root: Path, issuing: Path, leaf_pem: Path, *extra):
    return run(["openssl", "verify", "-x509_strict", "-purpose", "sslclient", *extra, "-CAfile",
                root, "-untrusted", issuing, leaf_pem], check=False)


