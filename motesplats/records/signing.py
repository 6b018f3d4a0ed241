"""Signed adjustment: the minutes issued for signing, the signed copies brought back, and the
record sealed once the chair and every adjuster have signed.

`issue` writes the document to sign into `signing/<organ>/<year>/<meeting>/` (the PDF, and
`issued.json` with its digest, the digest of the facts it was made from, when, and who must sign).
`adjust` checks each signed copy (`pades.verify`), matches each signature to the chair or an
adjuster, and keeps what it accepts in that folder (`signatures.json`, the signed files). When all
have signed it writes `adjusted = DAY` (the day of the last signature) under the meeting's minutes
and seals the record with the signed PDF in it; the signing folder is then removed: the record
holds all of it. An organisation's seal (PKCS#12) may adjust instead of the persons' signatures.

pyHanko is imported only inside the functions that sign or verify.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from motesplats.meetings import Meeting, chair_of, first_paragraphs
from motesplats.model import Person, Plan, SigningSettings
from motesplats.problems import Problem, ProblemsFound
from motesplats.records.facts import canonical_json, meeting_facts
from motesplats.records.folder import Record, digest, minutes_name, record_folder
from motesplats.records.seal import write_folder
from motesplats.workspace import RECORDS, Workspace
from motesplats.write import replace_atomically

SIGNING = "signing"  # the workspace's folder of minutes out for signing
ISSUED = "issued.json"
SIGNATURES = "signatures.json"
SEAL_PASSWORD = "MOTESPLATS_SEAL_PASSWORD"
ORGANISATION = "organisation"  # who signed, in signatures.json, for the organisation's seal
_SKEW = timedelta(minutes=10)  # clocks differ: a signature this much before the issue is not refused


class Refused(ValueError):
    """What the secretary asked cannot be done, and why; nothing was written."""


@dataclass(frozen=True)
class Signer:
    """Someone who must sign: the chair or an adjuster."""

    person: Person
    role: str  # "chair" | "adjuster"


@dataclass(frozen=True)
class Issued:
    folder: str          # as shown: 'signing/board/2018/styrelsemote-2018-06-08'
    document: str        # the PDF to sign, as shown
    digest: str
    signers: tuple[Signer, ...]


@dataclass(frozen=True)
class Adjusted:
    """What `adjust` did: the record sealed (its folder), or the signatures still awaited."""

    accepted: tuple[str, ...]      # the names of those whose signatures were accepted now
    waiting: tuple[Signer, ...]
    sealed: str = ""
    adjusted_on: str = ""


def signers(meeting: Meeting) -> tuple[Signer, ...]:
    """Who adjusts `meeting`'s minutes: its chair and its adjusters, each once."""
    found = {} if chair_of(meeting) is None else {chair_of(meeting).id: Signer(chair_of(meeting), "chair")}
    for person in meeting.minutes.adjusters if meeting.minutes else ():
        found.setdefault(person.id, Signer(person, "adjuster"))
    return tuple(found.values())


def signing_folder(meeting: Meeting) -> str:
    """'signing/board/2018/styrelsemote-2018-06-08'."""
    return SIGNING + record_folder(meeting).removeprefix(RECORDS)


def awaited(workspace: Workspace, meeting: Meeting) -> tuple[int, int] | None:
    """For minutes issued for signing: how many of those who must sign have (n, of m); else None."""
    folder = workspace.root / signing_folder(meeting)
    try:
        issued = json.loads((folder / ISSUED).read_bytes())
    except (OSError, ValueError):
        return None
    return len(_recorded(folder)), len(issued.get("signers", ()))


def signing_settings_problems(settings: SigningSettings | None, root: Path) -> list[Problem]:
    """The [signing] settings' files that cannot be used: a trust root that is missing or not a
    certificate, an organisation seal that is missing."""
    if settings is None:
        return []
    where = settings.source
    problems = []
    for name in settings.trust_roots:
        try:
            content = (root / name).read_bytes()
        except OSError:
            problems.append(Problem(where.file, where.line, f"the trust root '{name}' cannot be read",
                                    "name a certificate file (PEM or DER), relative to the workspace"))
            continue
        if b"-----BEGIN CERTIFICATE-----" not in content and not content.startswith(b"\x30"):
            problems.append(Problem(where.file, where.line, f"the trust root '{name}' is not a certificate",
                                    "name the certificate authority's certificate (PEM or DER), not a key or a list"))
    if settings.organisation_seal and not (root / settings.organisation_seal).is_file():
        problems.append(Problem(where.file, where.line, f"the organisation seal '{settings.organisation_seal}' "
                                "cannot be read", "name the seal's PKCS#12 file, relative to the workspace"))
    return problems


# --- issuing ------------------------------------------------------------------------------

def issue(workspace: Workspace, plan: Plan, meeting: Meeting, records: dict[str, Record], now: datetime,
          again: bool = False) -> Issued:
    """Write the minutes of `meeting` as they will be sealed, ready to sign, with their digest and
    who must sign. Raises Refused for minutes sealed already, without chair or adjusters, or out for
    signing already (unless `again`: the copies signed so far are then of a document no longer issued)."""
    from motesplats.records import pades
    from motesplats.render import minutes_pdf
    from motesplats.render.minutes import build_minutes
    if meeting.key in records:
        raise Refused(f"{meeting.key} is sealed already ({records[meeting.key].shown}): a record is never "
                      "signed again; record a correction (rättelse) instead")
    if meeting.minutes is None:
        raise Refused(f"{meeting.key} has no minutes yet: record them in a [event.minutes] table")
    needed = signers(meeting)
    if chair_of(meeting) is None:
        raise Refused(f"the minutes of {meeting.key} name no chair: write chair = \"PERSON\" under the minutes")
    if not meeting.minutes.adjusters:
        raise Refused(f"the minutes of {meeting.key} name no adjusters: write adjusters = [\"PERSON\"] under the "
                      "decision that chose them")
    shown = signing_folder(meeting)
    folder = workspace.root / shown
    pending = awaited(workspace, meeting)
    if pending is not None and not again:
        signed, total = pending
        raise Refused(f"{meeting.key} is out for signing already ({signed} of {total} signed, {shown}): "
                      "add --again to issue it anew; the copies signed so far are then no longer accepted")
    language = meeting.language
    document = pades.signable(minutes_pdf.render_minutes(build_minutes(plan, meeting, language, signing=True)))
    name = minutes_name(language, "pdf")
    issued = {"meeting": meeting.key, "language": language, "issued_at": now.isoformat(),
              "document": {"file": name, "sha256": digest(document)},
              "facts_sha256": digest(unadjusted_facts(plan, meeting)),
              "signers": [{"person": s.person.id, "name": s.person.name, "role": s.role} for s in needed]}
    _replace_folder(folder, {name: document, ISSUED: canonical_json(issued)})
    return Issued(shown, f"{shown}/{name}", digest(document), needed)


def unadjusted_facts(plan: Plan, meeting: Meeting) -> bytes:
    """The facts the issued document is made from, as bytes, without what the adjustment adds
    (its day and place, the posting): the same before and after `adjusted` is written."""
    facts = meeting_facts(meeting, plan.attendance_of(meeting.key), first_paragraphs(plan).get(meeting.key, 1))
    facts["minutes"] |= {"adjusted": None, "adjusted_place": None, "posted": None}
    return canonical_json(facts)


# --- bringing signatures back -------------------------------------------------------------

def adjust(workspace: Workspace, plan: Plan, meeting: Meeting, files: list[Path], now: datetime,
           seal_file: Path | None = None, password: str | None = None) -> Adjusted:
    """Check the signed copies `files` (or sign with the organisation's seal `seal_file`), record
    the signatures accepted and, once the chair and every adjuster have signed, seal the record.
    Raises Refused (naming the file and the reason) with nothing recorded; ProblemsFound when the
    workspace would not check with the adjustment written."""
    from motesplats.records import pades
    shown = signing_folder(meeting)
    folder = workspace.root / shown
    try:
        issued = json.loads((folder / ISSUED).read_bytes())
        document = (folder / issued["document"]["file"]).read_bytes()
    except (OSError, ValueError, KeyError):
        raise Refused(f"{meeting.key} is not out for signing: issue it first with "
                      f"'motesplats minutes {meeting.key} --for-signing'") from None
    if digest(document) != issued["document"]["sha256"]:
        raise Refused(f"{shown}/{issued['document']['file']} is not the document issued: issue it again (--again)")
    if digest(unadjusted_facts(plan, meeting)) != issued["facts_sha256"]:
        raise Refused(f"the minutes of {meeting.key} have changed since they were issued for signing on "
                      f"{issued['issued_at'][:10]}: issue them again (--again) and have them signed anew")
    roots = _trust_roots(workspace, plan.settings.signing)
    issued_on = issued["issued_at"][:10]
    needed = signers(meeting)
    recorded = _recorded(folder)
    if seal_file is not None:
        files_found = _sealed(document, seal_file, password, recorded, roots, now, issued_on)
    else:
        files_found = {}
        for file in files:
            content = _read(file)
            try:
                found = pades.verify(content, document, roots, now, issued_on)
            except pades.Refused as refused:
                raise Refused(f"{file}: {refused}") from None
            files_found[file] = (content, [_whose(s, needed, meeting, file, issued["issued_at"]) for s in found])
    accepted = dict(recorded)
    for file, (content, found) in files_found.items():
        stored = f"signed-{digest(content)[:16]}.pdf"
        for signer, signature in found:
            accepted[signer.person.id] = _entry(signer, signature, stored)
    names = tuple(dict.fromkeys(signer.person.name for _, found in files_found.values() for signer, _ in found))
    waiting = tuple(s for s in needed if s.person.id not in accepted and ORGANISATION not in accepted)
    contents = {f"signed-{digest(content)[:16]}.pdf": content for content, _ in files_found.values()}
    if waiting:
        for name, content in contents.items():
            replace_atomically(folder / name, content, sync=True)
        replace_atomically(folder / SIGNATURES, canonical_json(sorted(accepted.values(), key=_by_time)), sync=True)
        return Adjusted(names, waiting)
    return _seal_signed(workspace, meeting, issued, document, accepted, contents, now, names)


def _sealed(document: bytes, seal_file: Path, password: str | None, recorded: dict, roots: list, now: datetime,
            issued_on: str) -> dict:
    """The issued document signed with the organisation's seal, checked like a signed copy."""
    from motesplats.records import pades
    if recorded:
        raise Refused(f"{', '.join(e['name'] for e in recorded.values())} signed already: bring the other "
                      "signatures instead, or issue the minutes again (--again) to adjust them with the seal alone")
    if not password:
        raise Refused(f"the seal's password is not set: put it in the environment variable {SEAL_PASSWORD} "
                      "(never in a file)")
    try:
        sealed = pades.apply_seal(document, _read(seal_file), password.encode("utf-8"))
        found = pades.verify(sealed, document, roots, now, issued_on)
    except pades.Refused as refused:
        raise Refused(f"{seal_file}: {refused}") from None
    organisation = Signer(Person(ORGANISATION, found[0].common_name), ORGANISATION)
    return {seal_file: (sealed, [(organisation, found[0])])}


def _seal_signed(workspace: Workspace, meeting: Meeting, issued: dict, document: bytes, accepted: dict,
                 contents: dict[str, bytes], now: datetime, names: tuple[str, ...]) -> Adjusted:
    """Write `adjusted = DAY` (the last signature's) and seal the record with the signed files in it;
    the signing folder then goes: the record holds all it held."""
    from motesplats.meetings import find_meeting
    from motesplats.records.seal import seal
    from motesplats.validate import check_workspace
    folder = workspace.root / signing_folder(meeting)
    stored = {name: (folder / name).read_bytes() for name in {e["file"] for e in accepted.values()} - set(contents)}
    stored |= contents
    last = max(datetime.fromisoformat(e["signed_at"]) for e in accepted.values())
    day = last.astimezone(meeting.start.tzinfo).date()  # the day in the meeting's time zone
    events_file, text = _with_adjusted(workspace, meeting, day.isoformat())
    checked = check_workspace(workspace, pending={events_file: text.encode("utf-8")})
    if checked.plan is None:
        raise ProblemsFound(list(checked.errors))
    language = issued["language"]
    everyone = [file for file in stored if all(e["file"] == file for e in accepted.values())]
    entries = sorted(accepted.values(), key=_by_time)
    if everyone:  # one file signed by all: it is the minutes
        files = {minutes_name(language, "pdf"): stored[everyone[0]],
                 # The web gets the document as issued: the signed file carries the signers'
                 # certificates, and a BankID certificate holds the signer's personnummer.
                 minutes_name(language, "pdf", web=True): document}
        entries = [e | {"file": minutes_name(language, "pdf")} for e in entries]
    else:  # one per signer: the issued document, and beside it each signer's copy
        files = {minutes_name(language, "pdf"): document}
        entries = [e | {"file": f"minutes.{language}.signed-{e['person']}.pdf"} for e in entries]
        files |= {e["file"]: stored[accepted[e["person"]]["file"]] for e in entries}
    files[SIGNATURES] = canonical_json({
        "meeting": meeting.key, "adjusted": day.isoformat(),
        "issued": {"at": issued["issued_at"], "sha256": issued["document"]["sha256"]}, "signatures": entries})
    sealed = seal(workspace, checked.plan, find_meeting(checked.plan, meeting.key), now, files)
    replace_atomically(events_file, text.encode("utf-8"), sync=True)
    shutil.rmtree(folder, ignore_errors=True)
    return Adjusted(names, (), sealed, day.isoformat())


def _whose(found, needed: tuple[Signer, ...], meeting: Meeting, file: Path, issued_at: str):
    """The chair or adjuster a signature's certificate names, by e-mail, else by name."""
    emails = {e.lower() for e in found.emails}
    by_email = [s for s in needed if s.person.email and s.person.email.lower() in emails]
    by_name = [s for s in needed if _spaced(s.person.name) == _spaced(found.common_name)]
    match = (by_email or by_name or [None])[0]
    if match is None:
        raise Refused(f"{file}: signed by {found.common_name}, who is neither the chair nor an adjuster of "
                      f"{meeting.key}")
    if found.signed_at < datetime.fromisoformat(issued_at) - _SKEW:
        raise Refused(f"{file}: the signature of {found.common_name} says it was made before the document was "
                      f"issued ({issued_at[:16]}): not a signature of this document")
    return match, found


def _entry(signer: Signer, signature, stored: str) -> dict:
    return {"person": signer.person.id, "name": signer.person.name, "role": signer.role,
            "email": next(iter(signature.emails), ""), "signed_at": signature.signed_at.isoformat(),
            "certificate": {"subject": signature.subject, "sha256": signature.fingerprint}, "file": stored}


def _recorded(folder: Path) -> dict[str, dict]:
    """The signatures accepted so far, by person id."""
    try:
        return {e["person"]: e for e in json.loads((folder / SIGNATURES).read_bytes())}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _trust_roots(workspace: Workspace, settings: SigningSettings | None) -> list:
    from motesplats.records import pades
    if settings is None or not settings.trust_roots:
        raise Refused("no trust roots are named: add [signing] trust_roots = [\"path/to/root.pem\"] to "
                      "motesplats.toml (the certificate authorities your signing service's certificates chain to)")
    try:
        return pades.read_certificates([(workspace.root / name).read_bytes() for name in settings.trust_roots])
    except (OSError, ValueError) as error:
        raise Refused(f"a trust root in motesplats.toml cannot be read ({error}): run 'motesplats check'") from None


def _with_adjusted(workspace: Workspace, meeting: Meeting, day: str) -> tuple[Path, str]:
    """The meeting's events file with `adjusted = DAY` under its minutes, the rest as written."""
    from motesplats import fields as spec
    from motesplats.editor.edits import Edit, apply_edits
    owner = meeting.event
    file = workspace.root / owner.source.file
    text = file.read_bytes().decode("utf-8-sig")
    events = tomllib.loads(text).get("event", [])
    index = next(i for i, e in enumerate(events) if e.get("id") == owner.id)
    path: tuple = ("event", index)
    if meeting.session is not None:
        sessions = events[index].get("session", [])
        path += ("session", next(i for i, s in enumerate(sessions) if s.get("id") == meeting.session.id))
    written = apply_edits(text, spec.EVENTS_FILE, [Edit("set", path + ("minutes", "adjusted"), day)],
                          owner.languages[0] if owner.languages else "sv")
    return file, written


def _replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    """`folder` holding just `files`, replaced whole: a reader sees the old folder or the new one."""
    if not folder.exists():
        write_folder(folder, files)
        return
    old = folder.with_name(f".{folder.name}.replaced-{os.getpid()}")
    os.rename(folder, old)
    try:
        write_folder(folder, files)
    except BaseException:
        os.rename(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise Refused(f"{file}: cannot be read ({error.strerror or error})") from None


def _spaced(name: str) -> str:
    """A name compared as written (case and accents count), its spaces made one."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def _by_time(entry: dict) -> str:
    return entry["signed_at"]

