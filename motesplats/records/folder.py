"""Record folders on disk: where a meeting's record lives, reading it back, and holding every file
to the manifest's digest.

A record folder `records/<organ>/<year>/<meeting stem>/` holds `facts.json`, `manifest.json` and
the sealed documents, named by what they are, not where they are published:
`minutes.sv.pdf`, `minutes.sv.html`, `extract.p24.sv.pdf`. The manifest lists every file with its
SHA-256; a later step that adds a file to the folder adds it to the manifest too.

Where the web copy of the minutes leaves something out, the record holds it beside the archive
copy (`minutes.sv.web.pdf`, `minutes.sv.web.html`) and the manifest lists under `left_out_of_web`
the § numbers whose extracts, whole for dispatch, are therefore not published.

A correction (rättelse) is sealed as a folder of its own beside the record, never into it:
`<meeting stem>.rattelse-<date>/` with `correction.sv.pdf`, the facts as corrected and a manifest
whose `corrects` names the meeting, the record's manifest digest and the correction itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from motesplats.meetings import Meeting
from motesplats.model import Correction
from motesplats.problems import Problem
from motesplats.workspace import RECORDS, Workspace

FACTS = "facts.json"
MANIFEST = "manifest.json"
_EXTRACT = re.compile(r"^extract\.p(\d+)\.([a-z]{2})\.pdf$")
_MINUTES = re.compile(r"^minutes\.([a-z]{2})(\.web)?\.(pdf|html)$")
LEFT_OUT_OF_WEB = "left_out_of_web"  # the manifest's list of § numbers whose extracts are not published
CORRECTION_MARK = ".rattelse-"  # a correction's folder: the record's name, this, and the day


@dataclass(frozen=True)
class Record:
    """One sealed folder read back and found whole: a meeting's record, with the corrections
    sealed beside it (oldest first); or one such correction, whose manifest says what it `corrects`."""

    key: str           # the meeting's key, as the facts say it
    folder: Path
    shown: str         # the folder as the organiser sees it: 'records/board/2018/styrelsemote-2018-06-08'
    facts: dict
    manifest: dict
    corrections: tuple["Record", ...] = ()

    @property
    def corrects(self) -> dict | None:
        """For a correction: the meeting, the record's manifest digest, the day it was adjusted, the
        § numbers, its text and adjusters."""
        return self.manifest.get("corrects")

    @property
    def newest_facts(self) -> dict:
        """The facts as they now stand: the newest correction's, else the record's."""
        return self.corrections[-1].facts if self.corrections else self.facts

    def not_sealed(self, corrections: tuple[Correction, ...]) -> tuple[Correction, ...]:
        """Those of the data's `corrections` of this record not yet sealed beside it."""
        sealed = {c.corrects["adjusted"] for c in self.corrections}
        return tuple(c for c in corrections if c.adjusted.isoformat() not in sealed)

    def correction_file(self, language: str) -> str | None:
        """A correction's document in `language`, where it has one."""
        name = correction_name(language)
        return name if name in self.files else None

    @property
    def files(self) -> dict[str, str]:
        """Every file of the record (name -> SHA-256)."""
        return self.manifest["files"]

    @property
    def first_paragraph(self) -> int:
        return self.facts["paragraphs"][0]["number"]

    @property
    def following_paragraph(self) -> int:
        """The § number the organ's next meeting that year starts at."""
        return self.facts["paragraphs"][-1]["number"] + 1

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({m.group(1) for name in self.files if (m := _MINUTES.match(name))}))

    def documents(self, language: str) -> list[tuple[str, str, int | None]]:
        """The published documents in `language`, minutes first, then extracts by §: (file name,
        form 'pdf' | 'html' | 'extract', § number). The minutes are the web copy where the record
        has one, never the archive copy beside it; an extract of a § the web copy leaves anything
        out of is not published."""
        found, web = [], {m.group(3) for name in self.files
                          if (m := _MINUTES.match(name)) and m.group(1) == language and m.group(2)}
        withheld = set(self.manifest.get(LEFT_OUT_OF_WEB, ()))
        for name in self.files:
            if (m := _MINUTES.match(name)) and m.group(1) == language and (m.group(2) or m.group(3) not in web):
                found.append((name, m.group(3), None))
            elif (m := _EXTRACT.match(name)) and m.group(2) == language and int(m.group(1)) not in withheld:
                found.append((name, "extract", int(m.group(1))))
        return sorted(found, key=lambda document: (document[2] or 0, document[1] != "pdf"))

    def problem(self, message: str, hint: str, name: str = FACTS) -> Problem:
        return Problem(f"{self.shown}/{name}", 1, message, hint)


def record_folder(meeting: Meeting) -> str:
    """Where `meeting`'s record goes, under the workspace: 'records/board/2018/styrelsemote-2018-06-08'."""
    organ = meeting.organ.id if meeting.organ else "meetings"
    return f"{RECORDS}/{organ}/{meeting.start.year}/{meeting.stem}"


def minutes_name(language: str, form: str, web: bool = False) -> str:
    """The archive copy 'minutes.sv.pdf', or the web copy 'minutes.sv.web.pdf'."""
    return f"minutes.{language}{'.web' if web else ''}.{form}"


def extract_name(number: int, language: str) -> str:
    return f"extract.p{number}.{language}.pdf"


def notice_name(language: str) -> str:
    """The notice of adjustment (anslag om justerat protokoll), as sealed with the minutes."""
    return f"notice.{language}.pdf"


def correction_name(language: str) -> str:
    return f"correction.{language}.pdf"


def correction_folder(meeting: Meeting, adjusted: date) -> str:
    """Where a correction of `meeting`'s minutes adjusted on `adjusted` goes, beside the record:
    'records/board/2018/styrelsemote-2018-06-08.rattelse-2018-09-03'."""
    return f"{record_folder(meeting)}{CORRECTION_MARK}{adjusted.isoformat()}"


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_records(workspace: Workspace) -> tuple[dict[str, Record], list[Problem]]:
    """Every record of the workspace by meeting key, and what is wrong with any: a file that does not
    match the manifest, is missing from it or not listed in it, a manifest or facts that cannot be read."""
    records: dict[str, Record] = {}
    corrections: list[Record] = []
    problems: list[Problem] = []
    for manifest_file in sorted((workspace.root / RECORDS).glob(f"*/*/*/{MANIFEST}")):
        folder = manifest_file.parent
        if any(part.startswith(".") for part in folder.relative_to(workspace.root).parts):
            continue
        shown = workspace.shown(folder)
        record = _read_record(folder, shown, problems)
        if record is None:
            continue
        if record.corrects is not None:
            corrections.append(record)
            continue
        if record.key in records:
            problems.append(record.problem(f"{record.key} is also sealed in {records[record.key].shown}",
                                           "a meeting has one record: remove the copy that git does not know"))
            continue
        records[record.key] = record
    return _with_corrections(records, corrections, problems), problems


def _with_corrections(records: dict[str, Record], corrections: list[Record],
                      problems: list[Problem]) -> dict[str, Record]:
    """`records` with each correction beside the record it corrects, oldest first; a correction of
    no record, or of a record whose manifest is not the one it was sealed against, is an error."""
    found: dict[str, list[Record]] = {}
    for correction in corrections:
        record = records.get(correction.key)
        if record is None:
            problems.append(correction.problem(f"{correction.shown} corrects {correction.key}, which has no record",
                                               _RESTORE.format(path=correction.shown.rpartition(CORRECTION_MARK)[0]), MANIFEST))
            continue
        if correction.corrects.get("record") != digest((record.folder / MANIFEST).read_bytes()):
            problems.append(correction.problem(f"{correction.shown} corrects another record of {correction.key} "
                                               f"than {record.shown}", _RESTORE.format(path=record.shown), MANIFEST))
            continue
        found.setdefault(correction.key, []).append(correction)
    return {key: dataclasses.replace(record, corrections=tuple(sorted(
        found.get(key, ()), key=lambda c: c.corrects["adjusted"]))) for key, record in records.items()}


_RESTORE = "restore it as it was sealed ('git checkout -- {path}'); a record is never edited: " \
           "a correction (rättelse) is a new adjusted addendum beside it"


def _read_record(folder: Path, shown: str, problems: list[Problem]) -> Record | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes())
        files = manifest["files"]
        facts_bytes = (folder / FACTS).read_bytes()
        facts = json.loads(facts_bytes)
        key = facts["meeting"]
        corrects = manifest.get("corrects")
        if not isinstance(files, dict) or not isinstance(key, str) or not facts["paragraphs"] or \
                (corrects is not None and (corrects.get("meeting") != key or "adjusted" not in corrects)):
            raise ValueError("not a record")
    except (OSError, ValueError, KeyError, TypeError) as error:
        problems.append(Problem(f"{shown}/{MANIFEST}", 1, f"the record cannot be read ({error})",
                                _RESTORE.format(path=shown)))
        return None
    record = Record(key, folder, shown, facts, manifest)
    listed = set(files) | {MANIFEST}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name not in listed:
            problems.append(record.problem(f"{name} is in the record of {key} but not in its manifest",
                                           "remove it; what is added to a record is listed in its manifest", name))
    for name, expected in sorted(files.items()):
        try:
            found = digest((folder / name).read_bytes())
        except OSError:
            found = None
        if found != expected:
            what = "is missing" if found is None else "no longer matches its manifest"
            problems.append(record.problem(f"{name} of the sealed record of {key} {what}",
                                           _RESTORE.format(path=f"{shown}/{name}"), name))
    return record
