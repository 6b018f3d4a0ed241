"""What the minutes (protokoll) and their extracts (protokollsutdrag) say, before they are laid
out: shared by the PDF and the HTML renderers.

The minutes carry the heading (organ, date, time, place, the § numbers), who was present, each
item with the notice's proposal and the decision, the adjusters, signatures and the certificate
of posting. Until they are adjusted they are a draft, under a name only the secret gives.

Each comes as the archive copy, whole, and the web copy, which leaves out the § marked
`web = false` (keeping its number, title and reason), the passages marked in a text and personal
identity numbers, saying "utelämnat i webbversionen" in their place (`motesplats.left_out`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from motesplats import left_out
from motesplats.identifiers import unguessable
from motesplats.meetings import Meeting, Presence, chair_of, first_paragraphs, meetings, presence
from motesplats.model import AgendaItem, Decision, Person, Plan
from motesplats.render.attendance_list import comings_and_goings, short_name
from motesplats.render.dates import clock, long_day
from motesplats.render.labels import label
from motesplats.records.notice_dates import notice_comes_down

FOLDER = "minutes"


@dataclass(frozen=True)
class Paragraph:
    """One agenda item as the minutes record it: its § number, the item, and what was decided."""

    number: int
    item: AgendaItem
    decision: Decision | None


@dataclass(frozen=True)
class MinutesDocument:
    meeting: Meeting
    language: str
    organisation: str       # who keeps the minutes: the meeting's organiser
    organ: str              # 'Mälardalsrådets styrelse'
    title: str
    day: str                # 'fredag 16 mars 2018'
    hours: str              # '10:30–12:30'
    place: str
    presence: Presence
    paragraphs: tuple[Paragraph, ...]
    chair: Person | None
    secretary: Person
    adjusters: tuple[Person, ...]
    adjusted: date | None
    adjusted_place: str
    posted: date | None
    taken_down: date | None
    posting_days: int
    kept_at: str = ""       # förvaringsplats: where the complete minutes are kept
    web: bool = False       # the web copy (else the archive copy, whole)
    signing: bool = False   # issued for signed adjustment: the signatures in the file adjust it

    @property
    def draft(self) -> bool:
        return self.adjusted is None and not self.signing

    @property
    def span(self) -> str:
        """'§ 1–12'."""
        first, last = self.paragraphs[0].number, self.paragraphs[-1].number
        return f"§ {first}" if first == last else f"§ {first}–{last}"

    def word(self, key: str) -> str:
        return label(key, self.language)

    def text(self, value) -> str:
        """A text of the meeting in the document's language: whole, or as the web shows it."""
        return self.shown(value.get(self.language, *self.meeting.event.languages))

    def shown(self, text: str) -> str:
        """`text` without its markers, and in the web copy without what is marked to be left out."""
        if self.web:
            return left_out.for_web(text, f"[{self.word('left out')}]")
        return left_out.whole(text)

    @property
    def web_note(self) -> str:
        """What the web copy says of itself, under its heading."""
        return self.word("web copy").format(kept=self.kept_at or self.organisation) if self.web else ""

    def long_date(self, day: date | None) -> str:
        return long_day(day, self.language) if day else ""

    def paragraph(self, item: int) -> int:
        return self.paragraphs[0].number + item - 1


def published(meeting: Meeting) -> bool:
    """Adjusted minutes of an organ whose minutes are public go out under their plain names."""
    minutes, organ = meeting.minutes, meeting.organ
    return bool(minutes and minutes.adjusted and organ and organ.public_minutes)


def published_minutes(plan: Plan) -> tuple[Meeting, ...]:
    """Meetings whose adjusted minutes are public, in time order."""
    return tuple(m for m in meetings(plan) if m.status != "cancelled" and published(m))


def public_minutes_path(meeting: Meeting) -> str:
    """The published minutes' PDF under build/ (for a meeting whose minutes are `published`)."""
    return f"{FOLDER}/{meeting.stem}.{meeting.language}.pdf"


def minutes_stem(meeting: Meeting, language: str, secret: bytes) -> str:
    """Where the minutes go (add .pdf or .html): 'minutes/styrelsemote-2018-03-16.sv', or under a
    name only the secret gives while they are a draft or when the organ's minutes are not public."""
    if published(meeting):
        return f"{FOLDER}/{meeting.stem}.{language}"
    return f"{FOLDER}/{meeting.stem}-{unguessable(secret, 'minutes:' + meeting.key)}.{language}"


def extract_path(meeting: Meeting, number: int, language: str, secret: bytes) -> str:
    """One § as an extract: 'minutes/styrelsemote-2018-03-16.p9.sv.pdf' (or its private name)."""
    stem, _, _ = minutes_stem(meeting, language, secret).rpartition(".")
    return f"{stem}.p{number}.{language}.pdf"


def build_minutes(plan: Plan, meeting: Meeting, language: str, signing: bool = False) -> MinutesDocument:
    """The minutes of `meeting` (which has some) in `language`; with `signing`, the document issued
    for signed adjustment (not a draft: the electronic signatures in the file adjust it)."""
    minutes = meeting.minutes
    assert minutes is not None, f"{meeting.key} has no minutes"
    first = first_paragraphs(plan).get(meeting.key, minutes.first_paragraph or 1)
    organ = meeting.organ
    posting = (organ.posting if organ else timedelta(weeks=3))
    event = meeting.event
    return MinutesDocument(
        meeting=meeting, language=language,
        organisation=event.organiser.name if event.organiser else plan.settings.organisation,
        organ=organ.title.get(language, *event.languages) if organ else "",
        title=meeting.title.get(language, *event.languages),
        day=long_day(meeting.start.date(), language), hours=f"{clock(meeting.start)}–{clock(meeting.end)}",
        place=meeting.place, presence=presence(meeting, plan.attendance_of(meeting.key)),
        paragraphs=tuple(Paragraph(first + item.number - 1, item, minutes.decision(item.number))
                         for item in meeting.agenda),
        chair=chair_of(meeting), secretary=minutes.secretary, adjusters=minutes.adjusters,
        adjusted=minutes.adjusted, adjusted_place=minutes.adjusted_place, posted=minutes.posted,
        taken_down=notice_comes_down(minutes.posted, posting) if minutes.posted else None, posting_days=posting.days,
        kept_at=organ.minutes_kept_at if organ else "", signing=signing)


def web_copy(document: MinutesDocument) -> MinutesDocument:
    """The same minutes as the web shows them: `document` itself where nothing is left out."""
    return _on_the_web(document) if web_copy_differs(document) else document


def _on_the_web(document: MinutesDocument) -> MinutesDocument:
    web = replace(document, web=True)
    return replace(web, title=web.shown(document.title), place=web.shown(document.place))


def left_out_of_web(document: MinutesDocument) -> frozenset[int]:
    """The § numbers of which the web copy leaves something out: the whole §, a passage, a number."""
    whole, web = replace(document, web=False), _on_the_web(document)
    return frozenset(p.number for p in document.paragraphs
                     if not p.item.web or paragraph_rows(whole, p) != paragraph_rows(web, p)
                     or whole.text(p.item.title) != web.text(p.item.title))


def web_copy_differs(document: MinutesDocument) -> bool:
    """Whether the web copy leaves anything out: else there is one copy, the whole one."""
    whole, web = replace(document, web=False), _on_the_web(document)
    return bool(left_out_of_web(document)) or present_rows(whole) != present_rows(web) or \
        (whole.title, whole.place) != (web.title, web.place)


def off_the_web(meeting: Meeting, today: date) -> bool:
    """Whether the organ's `web_minutes_for` has run out since the minutes were adjusted: the web
    copy comes down (the record stays)."""
    minutes, organ = meeting.minutes, meeting.organ
    period = organ.web_minutes_for if organ else None
    return bool(minutes and minutes.adjusted and period is not None and today >= minutes.adjusted + period)


@dataclass(frozen=True)
class Row:
    """One labelled line of the minutes: 'Beslut: …'. `joined` entries run on with commas;
    otherwise each entry is its own line."""

    label: str
    entries: tuple[str, ...]
    joined: bool = False
    strong: bool = False


def present_rows(document: MinutesDocument) -> tuple[Row, ...]:
    """Who was there, then the voting roll, chair, secretary, adjusters and the adjustment."""
    presence, word = document.presence, document.word

    def names(entries) -> tuple[str, ...]:
        shown = []
        for member, came, left in entries:
            note = comings_and_goings(came, left, document.paragraph, document.language)
            role = member.role if member.role.lower() not in ("ledamot", "ersättare", "member", "deputy") else ""
            shown.append(short_name(member.person) + (f", {role}" if role else "") + (f" ({note})" if note else ""))
        return tuple(shown)

    def serving(s) -> str:
        note = comings_and_goings(s.from_item if s.from_item > 1 else None, s.to_item, document.paragraph,
                                  document.language)
        text = word("serves for").format(deputy=short_name(s.deputy), member=short_name(s.member))
        return text + (f" ({note})" if note else "")

    others = [short_name(p) + (f", {p.title}" if p.title else "") for p in presence.others]
    others += [document.shown(", ".join(part for part in (g.name, g.role, g.organisation) if part))
               for g in presence.guests]
    roll = presence.roll
    rows = [Row(f"{word('members present')} ({len(presence.members)})", names(presence.members), joined=True),
            Row(f"{word('serving deputies')} ({len(presence.serving)})", tuple(map(serving, presence.serving))),
            Row(f"{word('other deputies')} ({len(presence.deputies)})", names(presence.deputies), joined=True),
            Row(f"{word('others present')} ({len(others)})", tuple(others)),
            Row(f"{word('absent')} ({len(presence.absent)})",
                tuple(short_name(m.person) + (f" ({word('apologies')})" if sent else "") for m, sent in presence.absent),
                joined=True),
            Row(word("voting roll"), (word("quorate" if roll.quorate else "not quorate").format(
                n=len(roll.voting), total=roll.member_count, quorum=roll.quorum),)),
            Row(word("chair"), (document.chair.name,) if document.chair else ()),
            Row(word("secretary"), (document.secretary.name,)),
            Row(word("adjusters"), tuple(p.name for p in document.adjusters), joined=True),
            Row(word("adjusted"), (", ".join(part for part in (document.adjusted_place, document.long_date(document.adjusted))
                                            if part),) if document.adjusted else
                (word("adjusted by signature"),) if document.signing else ())]
    return tuple(row for row in rows if row.entries)


def paragraph_rows(document: MinutesDocument, paragraph: Paragraph) -> tuple[Row, ...]:
    """One §: presenter, documents, the notice's proposal, the decision, reservations, notes, dispatch."""
    item, decision, word = paragraph.item, paragraph.decision, document.word
    if document.web and not item.web:
        reason = f" ({item.web_reason})" if item.web_reason else ""
        return (Row("", (word("left out paragraph") + reason,)),)  # a note, as the minutes' own notes
    rows = [Row(word("presenter"), (item.presenter.name,) if item.presenter else ()),
            Row(word("documents"), tuple(f"– {document.shown(d)}" for d in item.documents)),
            Row(word("proposal"), (document.text(item.proposal),) if item.proposal else ())]
    if decision is not None:
        reason = document.text(decision.reservation_reason)
        reserved = word("reserved").format(names=", ".join(short_name(p) for p in decision.reservations))
        rows += [Row(word("decision"), (document.text(decision.text) if decision.text else word("as proposed"),),
                     strong=True),
                 Row(word("reservation"), (reserved + (f" {reason}" if reason else ""),) if decision.reservations else ()),
                 Row("", (document.text(decision.notes),) if decision.notes else ()),
                 Row(word("dispatch"), (document.shown(", ".join(decision.dispatch)),) if decision.dispatch else ())]
    return tuple(row for row in rows if row.entries)
