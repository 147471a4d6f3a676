"""Issue 16 item 9: Japanese names and Excel. A CSV as Japanese Excel saves it (CP932, written by
Python's `cp932` codec) imports, and the output says it was read as CP932; the file names on
disk, the zip members (with the general-purpose bit 11 UTF-8 flag, as Windows Explorer needs) and
passwords.csv keep the Japanese CNs; passwords.csv and `list --format csv` start with a UTF-8 BOM
(Excel) and read back with Python's `utf-8-sig` codec; a wrong --encoding names the line and byte
offset and suggests the right one, and nothing is issued."""
from __future__ import annotations

import csv
import io
import struct
import zipfile
from pathlib import Path

import pytest
from cryptography.x509.oid import NameOID

from helpers import describe, p12_leaf

TENANT = "himawari"
CNS = ["ひまわり苑 事務室PC", "介護記録端末①", "ナースステーション\uff0d２", "ケアプラン～作成用"]
BOM = b"\xef\xbb\xbf"


def cp932_csv(path: Path, rows: list[str]) -> Path:
    path.write_bytes(("tenant,cn,kind,email\r\n" + "".join(r + "\r\n" for r in rows)).encode("cp932"))
    return path


@pytest.fixture(scope="module")
def ca(make_inkan):
    inkan = make_inkan("japanese")
    inkan.init()
    inkan.tenant_add(TENANT, "ひまわり苑")
    return inkan


@pytest.fixture(scope="module")
def batch(ca):
    src = cp932_csv(ca.root / "excel.csv", [f"{TENANT},{cn},," for cn in CNS])
    assert b"\x82\xd0\x82\xdc" in src.read_bytes()  # ひま in CP932: the file is not UTF-8
    out = ca.root / "out"
    proc = ca.run("batch", "issue", "--from", src, "--key", "ec-p256", "--out", out)
    return out, proc


def test_a_cp932_csv_imports_and_says_it_was_read_as_cp932(ca, batch):
    out, proc = batch
    assert "issued 4 new certificates" in proc.stdout, describe(proc)
    assert "read as CP932" in proc.stderr, describe(proc)
    listed = {c["cn"] for c in ca.json("list", "--tenant", TENANT, "--format", "json")}
    assert listed == set(CNS)


def test_passwords_csv_has_a_bom_and_reads_back_with_utf8_sig(batch):
    out, _ = batch
    raw = (out / TENANT / "passwords.csv").read_bytes()
    assert raw.startswith(BOM + b"file,serial,cn,password\r\n"), raw[:40]
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["cn"] for r in rows) == sorted(CNS)
    for r in rows:
        # The file column names the p12 on disk, the Japanese CN in it.
        assert r["file"].startswith(f"{TENANT}_") and r["file"].endswith(f"_{r['serial'][:8]}.p12"), r
        p12 = out / TENANT / r["file"]
        assert p12.exists(), sorted(p.name for p in (out / TENANT).iterdir())
        _, leaf, _ = p12_leaf(p12, r["password"])
        assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == r["cn"]
    names = {r["cn"]: r["file"] for r in rows}
    assert names["ひまわり苑 事務室PC"].startswith(f"{TENANT}_ひまわり苑_事務室PC_"), names
    assert names["介護記録端末①"].startswith(f"{TENANT}_介護記録端末①_"), names
    assert names["ケアプラン～作成用"].startswith(f"{TENANT}_ケアプラン～作成用_"), names


def central_directory_flags(zip_bytes: bytes) -> dict[bytes, int]:
    """Each central-directory entry's raw name and general-purpose flags, read by hand."""
    found = {}
    i = zip_bytes.find(b"PK\x01\x02")
    while i >= 0:
        flags, = struct.unpack_from("<H", zip_bytes, i + 8)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", zip_bytes, i + 28)
        found[zip_bytes[i + 46:i + 46 + name_len]] = flags
        i = zip_bytes.find(b"PK\x01\x02", i + 46 + name_len + extra_len + comment_len)
    return found


def test_zip_members_keep_japanese_names_with_the_utf8_flag(batch):
    out, _ = batch
    raw = (out / f"{TENANT}.zip").read_bytes()
    with zipfile.ZipFile(out / f"{TENANT}.zip") as z:
        p12s = [i for i in z.infolist() if i.filename.endswith(".p12")]
        assert len(p12s) == len(CNS)
        for info in p12s:
            assert info.flag_bits & 0x800, f"{info.filename!r} lacks the UTF-8 flag"
        names = {i.filename for i in p12s}
        on_disk = {p.name for p in (out / TENANT).glob("*.p12")}
        assert names == on_disk
        assert any(n.startswith(f"{TENANT}_ひまわり苑_事務室PC_") for n in names), names
    # The names are stored as UTF-8 in the archive itself, flagged (what Explorer reads).
    raw_names = central_directory_flags(raw)
    for name in names:
        assert raw_names[name.encode("utf-8")] & 0x800


def test_issue_writes_the_japanese_cn_into_its_file_names(ca):
    obj = ca.issue(TENANT, "受付端末", ca.root / "one", "--key", "ec-p256")
    p12 = Path(obj["p12"])
    assert p12.name == f"{TENANT}_受付端末_{obj['serial'][:8]}.p12", p12.name
    other = ca.issue(TENANT, "Müller Café", ca.root / "one", "--key", "ec-p256")
    assert Path(other["p12"]).name == f"{TENANT}_Müller_Café_{other['serial'][:8]}.p12"
    assert Path(obj["password_file"]).name.startswith(f"{TENANT}_受付端末_")
    assert p12.exists() and oct(p12.stat().st_mode & 0o777) == "0o600"


def test_hostile_cn_characters_never_reach_a_file_name(ca):
    obj = ca.issue(TENANT, 'a/b\\c:d*e?"<>|f', ca.root / "hostile", "--key", "ec-p256")
    assert Path(obj["p12"]).name == f"{TENANT}_a_b_c_d_e_____f_{obj['serial'][:8]}.p12"
    assert Path(obj["p12"]).parent == ca.root / "hostile"


def test_list_csv_has_a_bom_and_the_japanese_names(ca, batch):
    out = ca.run("list", "--tenant", TENANT, "--format", "csv", binary=True).stdout
    assert out.startswith(BOM + b"serial,tenant,cn,"), out[:40]
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert set(CNS) <= {r["cn"] for r in rows}


def test_formula_cells_stay_neutralised_in_list_csv(ca):
    ca.issue(TENANT, "=HYPERLINK(1)", ca.root / "formula", "--key", "ec-p256")
    out = ca.run("list", "--tenant", TENANT, "--format", "csv", binary=True).stdout.decode("utf-8-sig")
    cns = {r["cn"] for r in csv.DictReader(io.StringIO(out))}
    assert "'=HYPERLINK(1)" in cns and "=HYPERLINK(1)" not in cns


def test_wrong_encoding_names_line_and_offset_and_suggests_cp932(ca):
    src = cp932_csv(ca.root / "sjis.csv", [f"{TENANT},plain-one,,", f"{TENANT},ひまわり二号,,"])
    before = ca.sql("SELECT count(*) FROM certificates")
    proc = ca.fail("batch", "issue", "--from", src, "--encoding", "utf-8", "--key", "ec-p256",
                   "--out", ca.root / "never")
    offset = src.read_bytes().index("ひ".encode("cp932"))
    assert f"line 3, byte offset {offset}" in proc.stderr, describe(proc)
    assert "--encoding cp932" in proc.stderr and "nothing was issued" in proc.stderr, describe(proc)
    assert ca.sql("SELECT count(*) FROM certificates") == before
    assert not (ca.root / "never").exists()


def test_neither_utf8_nor_cp932_is_refused_with_both_offsets(ca):
    src = ca.root / "binary.csv"
    src.write_bytes(b"tenant,cn,kind,email\r\n" + TENANT.encode() + b",\x82\xd0\xff\xfe,,\r\n")
    proc = ca.fail("batch", "issue", "--from", src, "--key", "ec-p256", "--out", ca.root / "never2")
    assert "neither UTF-8" in proc.stderr and "line 2, byte offset 31" in proc.stderr, describe(proc)
    assert "byte offset 33" in proc.stderr and "--encoding" in proc.stderr, describe(proc)


def test_explicit_cp932_reads_the_same_file(ca):
    src = cp932_csv(ca.root / "explicit.csv", [f"{TENANT},訪問看護タブレット,,"])
    proc = ca.run("batch", "issue", "--from", src, "--encoding", "cp932", "--key", "ec-p256",
                  "--out", ca.root / "explicit")
    assert "issued 1 new certificates" in proc.stdout, describe(proc)
    assert any(p.name.startswith(f"{TENANT}_訪問看護タブレット_")
               for p in (ca.root / "explicit" / TENANT).iterdir())
