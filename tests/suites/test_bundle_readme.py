"""README.txt in every zip bundle (issue 16, item 11): written for Windows Notepad (UTF-8 with a
BOM, CRLF), in Japanese and English, and it starts with trusting the CA, whose root certificate
travels in the zip as ca-root.crt with the SHA-1 thumbprint Windows will show."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from helpers import run


def thumbprint(pem: bytes, tmp_path: Path) -> str:
    f = tmp_path / "root.crt"
    f.write_bytes(pem)
    out = run(["openssl", "x509", "-in", f, "-noout", "-fingerprint", "-sha1"]).stdout
    hexdigits = out.strip().split("=", 1)[1].replace(":", "")
    return " ".join(hexdigits[i:i + 8] for i in range(0, len(hexdigits), 8))


def check_bundle(z: zipfile.ZipFile, ink, tmp_path: Path, p12_pattern: str):
    names = z.namelist()
    assert "ca-root.crt" in names and "README.txt" in names, names
    root_pem = z.read("ca-root.crt")
    # The member is the root: self-issued, and the last certificate of the chain.
    f = tmp_path / "member.crt"
    f.write_bytes(root_pem)
    subject = run(["openssl", "x509", "-in", f, "-noout", "-subject", "-nameopt", "RFC2253"]).stdout.split("=", 1)[1]
    issuer = run(["openssl", "x509", "-in", f, "-noout", "-issuer", "-nameopt", "RFC2253"]).stdout.split("=", 1)[1]
    assert subject == issuer, (subject, issuer)
    assert root_pem.strip() in z.read("ca-chain.pem")

    raw = z.read("README.txt")
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
    assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF: Notepad would run lines together"
    text = raw.decode("utf-8-sig")
    assert "信頼されたルート証明機関" in text and "Trusted Root Certification Authorities" in text
    assert "NET::ERR_CERT_AUTHORITY_INVALID" in text
    assert text.index("ca-root.crt") < text.index(p12_pattern)  # trust first, then import
    assert thumbprint(root_pem, tmp_path) in text
    assert "パスワードはこのファイルには含まれていません" in text


def test_export_zip_readme_and_root(make_inkan, tmp_path):
    ink = make_inkan("bundle-readme")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    c = ink.issue("acme", "readme-pc", ink.root / "issued", "--key", "ec-p256")
    out = tmp_path / "bundle.zip"
    ink.run("export", c["serial"], "--out", out)
    with zipfile.ZipFile(out) as z:
        p12 = next(n for n in z.namelist() if n.endswith(".p12"))
        check_bundle(z, ink, tmp_path, p12)


def test_batch_tenant_zip_readme_and_root(make_inkan, tmp_path):
    ink = make_inkan("bundle-readme-batch")
    ink.init()
    ink.tenant_add("acme", "Acme Care")
    src = ink.root / "in.csv"
    src.write_text("tenant,cn,kind,email\nacme,pc-1,,\nacme,pc-2,,\n")
    ink.run("batch", "issue", "--from", src, "--key", "ec-p256", "--out", ink.root / "batch")
    with zipfile.ZipFile(ink.root / "batch" / "acme.zip") as z:
        check_bundle(z, ink, tmp_path, "acme_<CN>_<serial>.p12")
