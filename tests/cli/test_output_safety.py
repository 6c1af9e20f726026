"""``--out`` under attack and on a full disk (issue 8, items 2, 15 and 16), run as a separate process.

A planted symbolic link is never written through; an existing file is not overwritten without ``--force``
and a key file is 0600 whatever was there; a full disk leaves either complete files or nothing issued, and
the message says which; ``device export`` leaves a held key held when its file cannot be written; ``crl
generate`` to a folder or an unwritable path signs, stores and audits nothing. Every refusal is one clear
line and leaves the store as it was (``tests/support/storestate.py``, plain sqlite3).
"""

from __future__ import annotations

import stat
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.support import cli, fulldisk, pki, referees, storestate
from zmconsole.core import ca, issuance
from zmconsole.core.store import Store

PASSWORD = "delivery password 1"


def _state(home: Path) -> tuple[storestate.Snapshot, list[str]]:
    return storestate.snapshot(home), storestate.audit_actions(home)


def _issue(home: Path, out: Path, password: Path, *extra: str) -> cli.Result:
    return cli.run(home, "device", "issue", "ZM-980", "--generate-key", "--key", "ec-p256", "--out", out,
                   "--key-password-file", password, *extra)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_planted_symlink_is_never_written_through(ca_home: Path, tmp_path: Path) -> None:
    out, password = tmp_path / "out", pki.write_text(tmp_path / "pw", PASSWORD)
    out.mkdir()
    bystander = pki.write_text(tmp_path / "bystander.conf", "an unrelated file\n")
    (out / "ZM-980.crt.pem").symlink_to(bystander)
    before = _state(ca_home)
    cli.assert_clean_error(_issue(ca_home, out, password), "ZM-980.crt.pem", "symbolic link")
    assert _state(ca_home) == before
    assert bystander.read_text() == "an unrelated file\n"
    # --force replaces the link itself, never the file it points at.
    cli.ok(ca_home, "device", "issue", "ZM-980", "--generate-key", "--key", "ec-p256", "--out", out,
           "--key-password-file", password, "--force")
    assert not (out / "ZM-980.crt.pem").is_symlink()
    assert bystander.read_text() == "an unrelated file\n"
    assert _leftovers(out) == []


def test_a_pre_existing_0666_key_file_is_refused_then_replaced_0600_with_force(ca_home: Path, tmp_path: Path) -> None:
    out, password = tmp_path / "out", pki.write_text(tmp_path / "pw", PASSWORD)
    out.mkdir()
    key = out / "ZM-980.key.pem"
    key.write_text("an old key\n")
    key.chmod(0o666)
    before = _state(ca_home)
    cli.assert_clean_error(_issue(ca_home, out, password), "ZM-980.key.pem", "already exists", "--force")
    assert _state(ca_home) == before
    assert key.read_text() == "an old key\n"
    cli.ok(ca_home, "device", "issue", "ZM-980", "--generate-key", "--key", "ec-p256", "--out", out,
           "--key-password-file", password, "--force")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "ZM-980.p12").stat().st_mode) == 0o600
    assert referees.open_key(key, password).returncode == 0


def test_device_export_does_not_overwrite_without_force(ca_home: Path, tmp_path: Path) -> None:
    cli.ok(ca_home, "device", "issue", "ZM-980", "--generate-key", "--key", "ec-p256", "--out", tmp_path / "out",
           "--key-password-file", pki.write_text(tmp_path / "pw", PASSWORD))
    target = pki.write_text(tmp_path / "zm980.pem", "keep me\n")
    cli.assert_clean_error(cli.run(ca_home, "device", "export", "ZM-980", "--format", "pem", "--out", target),
                           "already exists", "--force")
    assert target.read_text() == "keep me\n"
    cli.ok(ca_home, "device", "export", "ZM-980", "--format", "pem", "--out", target, "--force")
    assert x509.load_pem_x509_certificate(target.read_bytes()).subject.rfc4514_string().startswith("CN=ZM-980")


def test_device_issue_on_a_full_disk_issues_nothing_and_says_so(ca_home: Path, tmp_path: Path) -> None:
    password = pki.write_text(tmp_path / "pw", PASSWORD)
    with fulldisk.mounted(tmp_path / "disk", size_kib=64) as disk:
        out = disk / "out"
        out.mkdir()
        fulldisk.fill(disk)
        before = _state(ca_home)
        line = cli.assert_clean_error(_issue(ca_home, out, password), "Nothing was issued for ZM-980",
                                      "No space left on device")
        assert "refused" not in line
        assert _state(ca_home) == before
        assert list(out.iterdir()) == []  # no zero-length file, no temporary file


def test_bulk_on_a_disk_that_fills_up_part_way(ca_home: Path, tmp_path: Path) -> None:
    """The rows that fit are issued with complete files; the rest are refused, truly: nothing was issued."""
    csv = pki.write_text(tmp_path / "ward.csv", "device_id\n" + "".join(f"ZM-{700 + i}\n" for i in range(8)))
    password = pki.write_text(tmp_path / "pw", PASSWORD)
    with fulldisk.mounted(tmp_path / "disk", size_kib=256) as disk:
        out = disk / "out"
        out.mkdir()
        fulldisk.fill(disk, leave_bytes=64 * 1024)  # room for a few rows, not for eight
        done = cli.run(ca_home, "device", "import-csv", csv, "--out", out, "--key", "ec-p256",
                       "--key-password-file", password)
        assert done.returncode == 1, str(done)
        active = {r["common_name"]: r for r in storestate.rows(ca_home, "certificates")}
        assert 0 < len(active) < 8, str(done)
        assert f"Issued {len(active)} certificate(s)" in done.stdout
        assert f"refused {8 - len(active)} row(s)" in done.stdout
        refused = [line for line in done.stdout.splitlines() if line.startswith("  line ")]
        assert len(refused) == 8 - len(active)
        assert all("Nothing was issued for ZM-" in line and "No space left" in line for line in refused), refused
        for name, row in active.items():
            cert = x509.load_der_x509_certificate(row["der"])
            assert (out / f"{name}.crt.pem").read_bytes() == cert.public_bytes(serialization.Encoding.PEM)
            assert referees.open_key(out / f"{name}.key.pem", password).returncode == 0
            assert (out / f"{name}.p12").stat().st_size > 0
        assert all(p.stat().st_size > 0 for p in out.iterdir() if p.name != ".filler")
        assert _leftovers(out) == []
        assert storestate.rows(ca_home, "held_keys") == []


def test_device_export_on_a_full_disk_keeps_the_key_held_then_delivers_it(
        ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    issuance.issue_device(ca_store, ca_unlocked, "ZM-981", generate="ec-p256", hold_key=True)
    password = pki.write_text(tmp_path / "pw", PASSWORD)
    with fulldisk.mounted(tmp_path / "disk", size_kib=64) as disk:
        fulldisk.fill(disk)
        before = _state(ca_home)
        p12 = disk / "zm981.p12"
        export = ("device", "export", "ZM-981", "--format", "p12", "--out", p12, "--key-password-file", password)
        cli.assert_clean_error(cli.run(ca_home, *export), "No space left on device")
        assert _state(ca_home) == before  # still held: nothing was delivered
        assert not p12.exists() and _leftovers(disk) == []
        (disk / ".filler").unlink()
        cli.ok(ca_home, *export)
        assert storestate.rows(ca_home, "held_keys") == []
        assert referees.openssl("pkcs12", "-in", p12, "-passin", f"file:{password}", "-nokeys",
                                "-noout").returncode == 0


def test_crl_generate_to_a_folder_or_an_unwritable_path_changes_nothing(ca_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "crl.pem"
    folder.mkdir()
    blocker = pki.write_text(tmp_path / "a-file", "x")
    before = _state(ca_home)
    cli.assert_clean_error(cli.run(ca_home, "crl", "generate", "--out", folder), "is a folder")
    cli.assert_clean_error(cli.run(ca_home, "crl", "generate", "--out", blocker / "sub" / "crl.pem"), "Cannot write")
    assert _state(ca_home) == before
    assert list(folder.iterdir()) == []


def test_crl_generate_replaces_its_own_crl_file_but_no_other_file(ca_home: Path, tmp_path: Path) -> None:
    crl = tmp_path / "crl.der"
    cli.ok(ca_home, "crl", "generate", "--out", crl, "--der")
    cli.ok(ca_home, "crl", "generate", "--out", crl, "--der")  # the daily publish replaces yesterday's CRL
    assert "X509v3 CRL Number: \n                2\n" in referees.crl_text(crl, der=True)
    other = pki.write_text(tmp_path / "index.html", "<html></html>\n")
    before = _state(ca_home)
    cli.assert_clean_error(cli.run(ca_home, "crl", "generate", "--out", other), "already exists", "--force")
    assert _state(ca_home) == before and other.read_text() == "<html></html>\n"


def test_crl_generate_on_a_full_disk_says_the_crl_was_signed(ca_home: Path, tmp_path: Path) -> None:
    with fulldisk.mounted(tmp_path / "disk", size_kib=64) as disk:
        fulldisk.fill(disk)
        line = cli.assert_clean_error(cli.run(ca_home, "crl", "generate", "--out", disk / "crl.pem"),
                                      "CRL #1 was signed and stored", "No space left on device", "again")
        assert "refused" not in line
        assert not (disk / "crl.pem").exists() and _leftovers(disk) == []


def test_audit_export_is_never_written_through_a_link_nor_over_a_file(ca_home: Path, tmp_path: Path) -> None:
    bystander = pki.write_text(tmp_path / "bystander.txt", "unrelated\n")
    link = tmp_path / "audit.csv"
    link.symlink_to(bystander)
    cli.assert_clean_error(cli.run(ca_home, "audit", "export", "--out", link), "symbolic link")
    assert bystander.read_text() == "unrelated\n"
    cli.assert_clean_error(cli.run(ca_home, "audit", "export", "--out", bystander), "already exists", "--force")
    cli.ok(ca_home, "audit", "export", "--out", link, "--force")
    assert not link.is_symlink() and link.read_text().startswith("seq,time_utc,")
    assert bystander.read_text() == "unrelated\n"


def test_a_bulk_row_whose_file_exists_is_refused_with_the_way_to_replace_it(ca_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ZM-990.key.pem").write_text("an old key\n")
    csv = pki.write_text(tmp_path / "ward.csv", "device_id\nZM-990\nZM-991\n")
    done = cli.run(ca_home, "device", "import-csv", csv, "--out", out, "--key", "ec-p256", "--key-password-file",
                   pki.write_text(tmp_path / "pw", PASSWORD))
    assert done.returncode == 1, str(done)
    [line] = [line for line in done.stdout.splitlines() if line.startswith("  line 2:")]
    assert "Nothing was issued for ZM-990" in line and "already exists" in line and "--force" in line
    assert [r["common_name"] for r in storestate.rows(ca_home, "certificates")] == ["ZM-991"]
    assert (out / "ZM-990.key.pem").read_text() == "an old key\n"
