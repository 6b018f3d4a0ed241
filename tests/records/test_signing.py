"""Signed adjustment (PAdES): the minutes issued for signing, signed copies brought back and
checked, the record sealed once the chair and every adjuster have signed; and every copy that is
not right refused with its reason, nothing sealed. Certificates come from a CA made in the test."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from pypdf import PdfReader

from motesplats.build import SECRET_FILE, build
from motesplats.outputs import Request
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import before_sealing
from tests.pdfa import archived
from tests.records.certificates import certificate_authority, issued_by, sign, with_changed_content

JUNE = "styrelsemote-2018-06-08"
SEPTEMBER = "styrelsemote-2018-09-21"
EVENTS = "events/styrelsemoten-2018.toml"
SIGNING = f"signing/board/2018/{JUNE}"
RECORD = f"records/board/2018/{JUNE}"


def _unadjusted(text: str, meeting: str) -> str:
    """`text` without the adjustment and posting lines of `meeting`'s minutes."""
    start = text.index(f'id = "{meeting}"')
    end = text.index("[[event]]", start) if "[[event]]" in text[start:] else len(text)
    part = "\n".join(line for line in text[start:end].split("\n")
                     if not line.startswith(("adjusted = ", "posted = ", "adjusted_place = ")))
    return text[:start] + part + text[end:]


def in_june(root: Path, old: str, new: str) -> None:
    """Replace the first `old` in the June meeting's part of the events file."""
    events = root / EVENTS
    text = events.read_text(encoding="utf-8")
    at = text.index(f'id = "{JUNE}"')
    assert old in text[at:]
    events.write_text(text[:at] + text[at:].replace(old, new, 1), encoding="utf-8")


def roster(root: Path) -> dict[str, tuple[str, str]]:
    """Person id -> (name, e-mail), as the board's roster has them."""
    rows = csv.reader(io.StringIO((root / "events/board.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    header = next(rows)
    return {row[0]: (row[header.index("namn")], row[header.index("e-post")]) for row in rows}


@pytest.fixture
def workspace(example_files: Path) -> Path:
    """The example before sealing, with the June board meeting's minutes not yet adjusted, and a
    test CA named as the trust root."""
    root = before_sealing(example_files)
    (root / SECRET_FILE).write_text("ab" * 32 + "\n", encoding="ascii")
    events = root / EVENTS
    events.write_text(_unadjusted(events.read_text(encoding="utf-8"), JUNE), encoding="utf-8")
    return root


@pytest.fixture
def ca(workspace: Path):
    authority = certificate_authority()
    (workspace / "trust").mkdir()
    (workspace / "trust/test-root.pem").write_bytes(authority.pem())
    settings = workspace / "motesplats.toml"
    example_roots = 'trust_roots = ["signing/trust-roots/exempel-test-ca.pem"]'
    text = settings.read_text(encoding="utf-8")
    assert example_roots in text  # the example trusts its own test CA; these tests trust theirs
    settings.write_text(text.replace(example_roots, 'trust_roots = ["trust/test-root.pem"]'), encoding="utf-8")
    return authority


@pytest.fixture
def people(workspace: Path, ca):
    """Certificates for the June meeting's chair (by e-mail) and adjuster (by name only)."""
    names = roster(workspace)
    chair_name, chair_mail = names["anna-karin-lindqvist"]
    adjuster_name, _ = names["ahmed-karimi"]
    return {"chair": issued_by(ca, chair_name, chair_mail), "adjuster": issued_by(ca, adjuster_name)}


def issue(cli, root: Path, *extra: str):
    result = cli("--workspace", str(root), "minutes", JUNE, "--for-signing", *extra)
    return result


def adjust(cli, root: Path, *files: Path | str):
    return cli("--workspace", str(root), "adjust", JUNE, *map(str, files))


def issued_pdf(root: Path) -> bytes:
    return (root / SIGNING / "minutes.sv.pdf").read_bytes()


def write(root: Path, name: str, content: bytes) -> Path:
    path = root.parent / name
    path.write_bytes(content)
    return path


def test_issuing_writes_the_document_its_digest_and_who_must_sign(cli, workspace, people):
    result = issue(cli, workspace)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{SIGNING}/minutes.sv.pdf"
    document = issued_pdf(workspace)
    assert lines[1] == f"SHA-256 {hashlib.sha256(document).hexdigest()}"
    assert lines[2:] == ["to sign: Anna-Karin Lindqvist (chair)", "to sign: Ahmed Karimi (adjuster)"]
    issued = json.loads((workspace / SIGNING / "issued.json").read_bytes())
    assert issued["document"]["sha256"] == hashlib.sha256(document).hexdigest()
    assert [s["person"] for s in issued["signers"]] == ["anna-karin-lindqvist", "ahmed-karimi"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)
    assert "Justeras med elektroniska underskrifter" in text and "Utkast" not in text
    # Out for signing: issuing again needs --again, and build does not seal it (adjusted or not).
    again = issue(cli, workspace)
    assert again.exit_code == 1 and "out for signing already (0 of 2 signed" in again.stderr
    in_june(workspace, 'secretary = "ulrika-granstrom"\n', 'secretary = "ulrika-granstrom"\nadjusted = 2018-06-13\n')
    built = cli("--workspace", str(workspace), "build", "--only", "minutes", "-q")
    assert built.exit_code == 0, built.output
    assert f"Not sealed: {JUNE} (0 of 2 signed) is out for signing" in built.stderr
    assert not (workspace / RECORD).exists() and (workspace / f"records/board/2018/{SEPTEMBER}").is_dir()


def test_minutes_without_adjusters_or_already_sealed_are_not_issued(cli, workspace, people):
    in_june(workspace, 'adjusters = ["ahmed-karimi"]\n', "")
    refused = issue(cli, workspace)
    assert refused.exit_code == 1 and f"the minutes of {JUNE} name no adjusters" in refused.stderr
    build(open_workspace(workspace), Request(("minutes",)))
    again = cli("--workspace", str(workspace), "minutes", SEPTEMBER, "--for-signing")
    assert again.exit_code == 1 and f"{SEPTEMBER} is sealed already" in again.stderr


def test_one_file_signed_by_all_is_sealed_as_the_minutes(cli, workspace, people):
    assert issue(cli, workspace).exit_code == 0
    document = issued_pdf(workspace)
    signed = sign(sign(document, people["chair"], "Ordforande"), people["adjuster"], "Justerare")
    result = adjust(cli, workspace, write(workspace, "signed.pdf", signed))
    assert result.exit_code == 0, result.output
    record = workspace / RECORD
    assert (record / "minutes.sv.pdf").read_bytes() == signed
    assert archived(document).language == archived(signed).language == "sv"  # issued PDF/A-2b, and signing keeps it
    signatures = json.loads((record / "signatures.json").read_bytes())
    by_person = {s["person"]: s for s in signatures["signatures"]}
    assert set(by_person) == {"anna-karin-lindqvist", "ahmed-karimi"}
    assert by_person["anna-karin-lindqvist"]["email"] == roster(workspace)["anna-karin-lindqvist"][1]
    chair_der = people["chair"].certificate.public_bytes(Encoding.DER)
    assert by_person["anna-karin-lindqvist"]["certificate"]["sha256"] == hashlib.sha256(chair_der).hexdigest()
    assert signatures["issued"]["sha256"] == hashlib.sha256(document).hexdigest()
    day = signatures["adjusted"]
    facts = json.loads((record / "facts.json").read_bytes())
    assert facts["minutes"]["adjusted"] == day
    assert f"adjusted = {day}" in (workspace / EVENTS).read_text(encoding="utf-8")
    assert result.stdout.strip().endswith("commit both.") and f"Sealed {RECORD}, adjusted {day}" in result.stdout
    assert not (workspace / SIGNING).exists()
    # The record checks (manifest, facts against the data) and build publishes the signed file.
    checked = check_workspace(open_workspace(workspace))
    assert checked.errors == ()
    manifest = json.loads((record / "manifest.json").read_bytes())
    assert manifest["files"]["signatures.json"] == hashlib.sha256((record / "signatures.json").read_bytes()).hexdigest()
    build(open_workspace(workspace), Request(("minutes",)))
    # The web gets the document as issued, byte for byte: not the signers' certificates (a BankID
    # certificate holds a personnummer), which the signed file in the record carries.
    published = (workspace / f"build/minutes/{JUNE}.sv.pdf").read_bytes()
    assert published == (record / "minutes.sv.web.pdf").read_bytes() == document
    assert chair_der.hex() in signed.decode("latin-1").lower() and chair_der.hex() not in published.decode("latin-1").lower()


def test_one_file_per_signer_waits_for_the_last_then_seals_each_copy(cli, workspace, people):
    assert issue(cli, workspace).exit_code == 0
    document = issued_pdf(workspace)
    by_chair = write(workspace, "chair.pdf", sign(document, people["chair"], "Ordforande"))
    first = adjust(cli, workspace, by_chair)
    assert first.exit_code == 0, first.output
    assert "Waiting for signatures from Ahmed Karimi (adjuster): 1 of 2 signed" in first.stdout
    assert not (workspace / RECORD).exists()
    by_adjuster = write(workspace, "adjuster.pdf", sign(document, people["adjuster"], "Justerare"))
    second = adjust(cli, workspace, by_adjuster)
    assert second.exit_code == 0, second.output
    record = workspace / RECORD
    assert (record / "minutes.sv.pdf").read_bytes() == document
    assert (record / "minutes.sv.signed-anna-karin-lindqvist.pdf").read_bytes() == by_chair.read_bytes()
    assert (record / "minutes.sv.signed-ahmed-karimi.pdf").read_bytes() == by_adjuster.read_bytes()
    assert check_workspace(open_workspace(workspace)).errors == ()


@pytest.mark.parametrize("case", ["tampered", "changed after", "stranger", "expired", "other CA", "issued again",
                                  "other meeting"])
def test_a_copy_that_is_not_right_is_refused_and_nothing_is_sealed(cli, workspace, people, ca, case):
    assert issue(cli, workspace).exit_code == 0
    document = issued_pdf(workspace)
    chair = people["chair"]
    expected = {"tampered": "the document was changed after it was signed",
                "changed after": "the document was changed after it was signed by Anna-Karin Lindqvist",
                "stranger": f"signed by Anna Berg, who is neither the chair nor an adjuster of {JUNE}",
                "expired": "the certificate of Anna-Karin Lindqvist expired on",
                "other CA": "does not chain to the trust roots named in motesplats.toml",
                "issued again": "not the document issued on",
                "other meeting": "not the document issued on"}[case]
    if case == "tampered":
        signed = bytearray(sign(document, chair, "Ordforande"))
        at = bytes(signed).index(b"/MediaBox") + 12
        signed[at] = ord("9") if signed[at] != ord("9") else ord("8")
        signed = bytes(signed)
    elif case == "changed after":
        signed = with_changed_content(sign(document, chair, "Ordforande"))
    elif case == "stranger":
        signed = sign(document, issued_by(ca, "Anna Berg", "anna.berg@example.se"), "Ordforande")
    elif case == "expired":
        name, mail = roster(workspace)["anna-karin-lindqvist"]
        old = issued_by(ca, name, mail, valid_days=(-400, -2))
        signed = sign(document, old, "Ordforande")
    elif case == "other CA":
        stranger_ca = certificate_authority("Någon annans CA")
        signed = sign(document, issued_by(stranger_ca, "Anna-Karin Lindqvist",
                                          roster(workspace)["anna-karin-lindqvist"][1]), "Ordforande")
    elif case == "issued again":
        signed = sign(document, chair, "Ordforande")
        in_june(workspace, "Inga övriga frågor anmäls.", "Inga övriga frågor anmäls till mötet.")
        assert issue(cli, workspace, "--again").exit_code == 0
    else:  # the September meeting's minutes, out for signing too
        assert cli("--workspace", str(workspace), "minutes", SEPTEMBER, "--for-signing").exit_code == 0
        signed = sign((workspace / f"signing/board/2018/{SEPTEMBER}/minutes.sv.pdf").read_bytes(), chair, "Ordforande")
    path = write(workspace, "signed.pdf", signed)
    result = adjust(cli, workspace, path)
    assert result.exit_code == 1, result.output
    assert f"motesplats: {path}: " in result.stderr and expected in result.stderr, result.stderr
    assert "Nothing was recorded or sealed." in result.stderr
    assert not (workspace / RECORD).exists()
    assert not (workspace / SIGNING / "signatures.json").exists()


def test_the_organisation_seal_adjusts_with_the_password_from_the_environment_only(cli, workspace, ca, monkeypatch):
    seal = issued_by(ca, "Mälardalsrådet", "kansliet@example.se", organisation="Mälardalsrådet")
    (workspace / "trust/seal.p12").write_bytes(seal.pkcs12(b"hemligt"))
    assert issue(cli, workspace).exit_code == 0
    document = issued_pdf(workspace)
    monkeypatch.delenv("MOTESPLATS_SEAL_PASSWORD", raising=False)
    without = cli("--workspace", str(workspace), "adjust", JUNE, "--seal-with", str(workspace / "trust/seal.p12"))
    assert without.exit_code == 1 and "MOTESPLATS_SEAL_PASSWORD" in without.stderr
    assert not (workspace / RECORD).exists()
    monkeypatch.setenv("MOTESPLATS_SEAL_PASSWORD", "hemligt")
    sealed = cli("--workspace", str(workspace), "adjust", JUNE, "--seal-with", str(workspace / "trust/seal.p12"))
    assert sealed.exit_code == 0, sealed.output
    record = workspace / RECORD
    minutes = (record / "minutes.sv.pdf").read_bytes()
    assert minutes.startswith(document) and len(minutes) > len(document)
    signatures = json.loads((record / "signatures.json").read_bytes())["signatures"]
    assert [(s["person"], s["role"], s["name"]) for s in signatures] == [
        ("organisation", "organisation", "Mälardalsrådet")]
    assert check_workspace(open_workspace(workspace)).errors == ()


def test_a_password_in_the_settings_is_an_error_at_its_line(cli, workspace):
    settings = workspace / "motesplats.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('trust_roots = ["signing/trust-roots/exempel-test-ca.pem"]',
                                     'trust_roots = ["trust/none.pem"]\npassword = "hemligt"'), encoding="utf-8")
    result = cli("--workspace", str(workspace), "check")
    assert result.exit_code == 1
    lines = (workspace / "motesplats.toml").read_text(encoding="utf-8").split("\n")
    at = lines.index('password = "hemligt"') + 1
    assert f"motesplats.toml:{at}: error: a password is written in the settings" in result.stdout
    assert "hemligt" not in result.stdout
    assert "the trust root 'trust/none.pem' cannot be read" in result.stdout


def test_check_does_not_load_pyhanko(workspace):
    """Start-up loads only what runs: pyHanko is for the signing commands."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "motesplats", "check"], cwd=workspace,
                            capture_output=True, text=True, timeout=120)
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert "motesplats.validate" in imported and "motesplats.records.signing" in imported
    assert not [name for name in imported if name.startswith(("pyhanko", "asn1crypto"))]
