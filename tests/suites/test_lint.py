"""`inkan lint` (issue 7): a corpus of bad certificates and CRLs made with openssl, each differing
from a good baseline by one fault, and the rule each fault must fire. The baseline made the same
way lints clean, so a rule that fires is the fault's doing, not the generator's.

Faults openssl cannot make (a GeneralizedTime before 2050) are made by re-encoding a good
certificate's DER and re-signing it with the CA key (python-cryptography).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from helpers import inkan_bin, run

GOOD_EXT = [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=clientAuth",
    "subjectKeyIdentifier=hash",
    "authorityKeyIdentifier=keyid:always",
]
GOOD_SERIAL = "0x4A5B6C7D8E9F00112233445566778899"


class Corpus:
    def __init__(self, root: Path, ca_name: str = "Corpus CA"):
        self.root = root
        self.n = 0
        self.ca_key = root / "ca.key"
        self.ca = root / "ca.pem"
        run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", self.ca_key])
        run(["openssl", "req", "-x509", "-new", "-key", self.ca_key, "-subj", f"/O=Corpus/CN={ca_name}", "-days", "3650",
             "-set_serial", GOOD_SERIAL, "-out", self.ca,
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-addext", "subjectKeyIdentifier=hash"])
        self.ec_key = self.key(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])

    def path(self, suffix: str) -> Path:
        self.n += 1
        return self.root / f"{self.n:02d}{suffix}"

    def key(self, genpkey_args) -> Path:
        out = self.path(".key")
        run(["openssl", "genpkey", *genpkey_args, "-out", out])
        return out

    def leaf(self, *, ext=GOOD_EXT, key=None, subject="/O=Acme/CN=terminal-1", serial=GOOD_SERIAL,
             digest="-sha256", days="1095") -> Path:
        csr, ext_file, out = self.path(".csr"), self.path(".cnf"), self.path(".pem")
        run(["openssl", "req", "-new", "-key", key or self.ec_key, "-subj", subject, "-out", csr])
        ext_file.write_text("\n".join(ext) + "\n")
        run(["openssl", "x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key, "-set_serial", serial,
             digest, "-days", days, "-extfile", ext_file, "-out", out])
        return out

    def crl(self, *, crl_ext=("authorityKeyIdentifier=keyid:always",), number=True, revoke=None,
            reason="keyCompromise", digest="sha256") -> Path:
        """openssl ca -gencrl over a minimal CA database."""
        d = self.path(".ca")
        d.mkdir()
        (d / "index.txt").write_text("")
        if number:
            (d / "crlnumber").write_text("1000\n")
        conf = d / "ca.cnf"
        conf.write_text("\n".join([
            "[ca]", "default_ca = c", "[c]", f"database = {d}/index.txt", f"certificate = {self.ca}",
            f"private_key = {self.ca_key}", f"default_md = {digest}", "default_crl_days = 7",
            *([f"crlnumber = {d}/crlnumber"] if number else []), "crl_extensions = crl_ext", "[crl_ext]", *crl_ext, ""]))
        if revoke:
            run(["openssl", "ca", "-config", conf, "-revoke", revoke, "-crl_reason", reason, "-batch"])
        out = self.path(".crl.pem")
        run(["openssl", "ca", "-config", conf, "-gencrl", "-out", out, "-batch"])
        return out


def lint(*files, issuer=None, check=False):
    args = [inkan_bin(), "lint", *files, "--format", "json"]
    if issuer:
        args += ["--issuer", issuer]
    proc = run(args, check=check)
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else None


def rules(report) -> set[str]:
    return {f["rule"] for entry in report for f in entry["findings"]}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("lint-corpus"))


def test_the_baselines_lint_clean(corpus):
    status, report = lint(corpus.leaf(), issuer=corpus.ca)
    assert status == 0 and rules(report) == set(), report
    status, report = lint(corpus.ca)
    assert status == 0 and rules(report) == set(), report
    status, report = lint(corpus.crl(), issuer=corpus.ca)
    assert status == 0 and rules(report) == set(), report


# Each case: a name, how to make the fault, and the rule it must fire.
CERT_CASES = {
    "rsa-1024 key": (lambda c: c.leaf(key=c.key(["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]),
                                      ext=GOOD_EXT[:1] + ["keyUsage=critical,digitalSignature,keyEncipherment"] + GOOD_EXT[2:]),
                     "e_rsa_modulus_too_small"),
    "rsa exponent 3": (lambda c: c.leaf(key=c.key(["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                                                    "-pkeyopt", "rsa_keygen_pubexp:3"])), "e_rsa_exponent_invalid"),
    "secp256k1 key": (lambda c: c.leaf(key=c.key(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"])),
                      "e_ec_curve_unsupported"),
    "ed25519 key": (lambda c: c.leaf(key=c.key(["-algorithm", "ED25519"])), "e_key_algorithm_unsupported"),
    "63-bit serial": (lambda c: c.leaf(serial="0x7FFFFFFFFFFFFFFF"), "e_serial_low_entropy"),
    "zero serial": (lambda c: c.leaf(serial="0"), "e_serial_not_positive"),
    "negative serial": (lambda c: c.leaf(serial="-5"), "e_serial_not_positive"),
    "21-octet serial": (lambda c: c.leaf(serial="0x" + "41" * 21), "e_serial_too_long"),
    "sha1 signature": (lambda c: c.leaf(digest="-sha1"), "e_signature_algorithm_weak"),
    "v1 certificate": (lambda c: c.leaf(ext=[]), "e_cert_version_not_v3"),
    "no common name": (lambda c: c.leaf(subject="/O=Acme/OU=terminals"), "e_subject_common_name_missing"),
    "keyUsage not critical": (lambda c: c.leaf(ext=[e.replace("keyUsage=critical,", "keyUsage=") for e in GOOD_EXT]),
                              "e_key_usage_not_critical"),
    "no keyUsage": (lambda c: c.leaf(ext=[e for e in GOOD_EXT if not e.startswith("keyUsage")]), "e_key_usage_missing"),
    "keyCertSign on a leaf": (lambda c: c.leaf(ext=[e.replace("digitalSignature", "digitalSignature,keyCertSign")
                                                   for e in GOOD_EXT]), "e_key_usage_cert_sign_on_leaf"),
    "no extKeyUsage": (lambda c: c.leaf(ext=[e for e in GOOD_EXT if not e.startswith("extendedKeyUsage")]),
                       "e_ext_key_usage_missing"),
    "anyExtendedKeyUsage": (lambda c: c.leaf(ext=[e.replace("clientAuth", "clientAuth,anyExtendedKeyUsage")
                                                 for e in GOOD_EXT]), "e_ext_key_usage_any"),
    "no subjectKeyIdentifier": (lambda c: c.leaf(ext=[e.replace("=hash", "=none") for e in GOOD_EXT]),
                                "e_subject_key_id_missing"),
    "no authorityKeyIdentifier": (lambda c: c.leaf(ext=[e.replace("keyid:always", "none") for e in GOOD_EXT]),
                                  "e_authority_key_id_missing"),
    "no basicConstraints": (lambda c: c.leaf(ext=GOOD_EXT[1:]), "e_basic_constraints_missing"),
    "pathlen on a leaf": (lambda c: c.leaf(ext=["basicConstraints=critical,CA:FALSE,pathlen:0"] + GOOD_EXT[1:]),
                          "e_path_len_on_leaf"),
    "CA not critical": (lambda c: c.leaf(ext=["basicConstraints=CA:TRUE", "keyUsage=critical,keyCertSign"] + GOOD_EXT[3:]),
                        "e_basic_constraints_not_critical"),
    "CA without keyCertSign": (lambda c: c.leaf(ext=["basicConstraints=critical,CA:TRUE"] + GOOD_EXT[1:]),
                               "e_key_usage_ca_without_cert_sign"),
    "unknown critical extension": (lambda c: c.leaf(ext=GOOD_EXT + ["1.2.3.4.5=critical,ASN1:UTF8String:surprise"]),
                                   "e_extension_unknown_critical"),
    "outlives its issuer": (lambda c: c.leaf(days="7300"), "e_validity_beyond_issuer"),
}


@pytest.mark.parametrize("name", CERT_CASES)
def test_each_certificate_fault_fires_its_rule(corpus, name):
    make, rule = CERT_CASES[name]
    status, report = lint(make(corpus), issuer=corpus.ca)
    assert rule in rules(report), report
    assert status == 1, report


def test_a_foreign_issuer_fails_name_key_id_and_signature(corpus, tmp_path):
    other = Corpus(tmp_path, ca_name="Another CA")
    status, report = lint(corpus.leaf(), issuer=other.ca)
    assert {"e_issuer_name_mismatch", "e_authority_key_id_mismatch", "e_signature_invalid"} <= rules(report)
    assert status == 1


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(body)) + body


def _children(der: bytes):
    """(tag, whole element) of each child of a constructed element's content."""
    i, out = 0, []
    while i < len(der):
        tag, first = der[i], der[i + 1]
        if first < 0x80:
            length, head = first, 2
        else:
            k = first & 0x7F
            length, head = int.from_bytes(der[i + 2:i + 2 + k], "big"), 2 + k
        out.append((tag, der[i:i + head + length], der[i + head:i + head + length]))
        i += head + length
    return out


def test_generalized_time_before_2050_fires(corpus, tmp_path):
    """Re-encode a good certificate's notAfter (2020s, UTCTime) as GeneralizedTime and re-sign."""
    good = corpus.leaf()
    der = run(["openssl", "x509", "-in", good, "-outform", "DER"], binary=True).stdout
    (_, cert_whole, cert_body), = _children(der)
    tbs, alg, _sig = _children(cert_body)
    fields = _children(tbs[2])
    validity_index = 4  # [0] version, serial, signature, issuer, validity
    not_before, not_after = _children(fields[validity_index][2])
    assert not_after[0] == 0x17
    text = not_after[2].decode()
    generalized = _tlv(0x18, ("20" + text).encode())
    validity = _tlv(0x30, not_before[1] + generalized)
    new_tbs = _tlv(0x30, b"".join(f[1] if i != validity_index else validity for i, f in enumerate(fields)))
    key = serialization.load_pem_private_key(corpus.ca_key.read_bytes(), None)
    signature = key.sign(new_tbs, ec.ECDSA(hashes.SHA256()))
    new_der = _tlv(0x30, new_tbs + alg[1] + _tlv(0x03, b"\x00" + signature))
    out = tmp_path / "generalized.der"
    out.write_bytes(new_der)
    status, report = lint(out, issuer=corpus.ca)
    assert rules(report) == {"e_time_generalized_before_2050"}, report
    assert status == 1


CRL_CASES = {
    "no cRLNumber": (lambda c: c.crl(number=False), "e_crl_number_missing"),
    "no authorityKeyIdentifier": (lambda c: c.crl(crl_ext=()), "e_crl_authority_key_id_missing"),
    "sha1 signature": (lambda c: c.crl(digest="sha1"), "e_signature_algorithm_weak"),
}


@pytest.mark.parametrize("name", CRL_CASES)
def test_each_crl_fault_fires_its_rule(corpus, name):
    make, rule = CRL_CASES[name]
    status, report = lint(make(corpus), issuer=corpus.ca)
    assert rule in rules(report), report
    assert status == 1


def test_unspecified_reason_is_a_warning_only(corpus):
    crl = corpus.crl(revoke=corpus.leaf(), reason="unspecified")
    status, report = lint(crl, issuer=corpus.ca)
    assert rules(report) == {"w_crl_entry_reason_unspecified"}, report
    assert status == 0


def test_what_inkan_issues_lints_clean(fresh):
    """Every key type, the CA certificates and the CRL, through the CLI the operator uses."""
    fresh.init()
    fresh.tenant_add("acme", "Acme")
    issuing, root, _ = fresh.write_chain(fresh.root / "chain")
    for key in ("ec-p256", "ec-p384", "rsa-2048"):
        issued = fresh.issue("acme", f"t-{key}", fresh.root / "out", "--key", key)
        leaf = fresh.root / f"{key}.pem"
        run(["openssl", "pkcs12", "-in", issued["p12"], "-passin", f"file:{issued['password_file']}",
             "-nokeys", "-clcerts", "-out", leaf])
        status, report = lint(leaf, issuer=issuing)
        assert status == 0 and rules(report) == set(), report
    status, report = lint(issuing, issuer=root)
    assert status == 0 and rules(report) == set(), report
    status, report = lint(root)
    assert status == 0 and rules(report) == set(), report
    crl = fresh.root / "crl.der"
    fresh.run("crl", "--out", crl)
    status, report = lint(crl, issuer=issuing)
    assert status == 0 and rules(report) == set(), report


def test_usage_errors_are_clear(tmp_path):
    proc = run([inkan_bin(), "lint"], check=False)
    assert proc.returncode == 2 and "name at least one file" in proc.stderr
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    proc = run([inkan_bin(), "lint", junk], check=False)
    assert proc.returncode == 2 and "no CERTIFICATE or X509 CRL block" in proc.stderr
    proc = run([inkan_bin(), "lint", "--rules"])
    assert "e_serial_low_entropy" in proc.stdout and "RFC 5280" in proc.stdout


def test_a_certificate_failing_lint_is_never_stored(fresh, tmp_path):
    """Boulder's rule in the real issuance path: a CSR whose key passes the CSR checks but breaks
    a lint (RSA exponent 3) is signed, fails the lint, and leaves nothing behind."""
    fresh.init()
    fresh.tenant_add("acme", "Acme")
    key, csr, out = tmp_path / "e3.key", tmp_path / "e3.csr", tmp_path / "e3.pem"
    run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
         "-pkeyopt", "rsa_keygen_pubexp:3", "-out", key])
    run(["openssl", "req", "-new", "-key", key, "-subj", "/CN=exponent-three", "-out", csr])
    before = fresh.sql("SELECT count(*) FROM certificates")
    proc = fresh.fail("sign", "--csr", csr, "--tenant", "acme", "--out", out)
    assert proc.returncode == 7, proc.stderr
    assert "failed lint (e_rsa_exponent_invalid)" in proc.stderr
    assert not out.exists()
    assert fresh.sql("SELECT count(*) FROM certificates") == before
    assert "no leftover reservations" in fresh.run("doctor").stdout
