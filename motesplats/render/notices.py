"""What the notice board (anslagstavla) shows, before it is laid out: shared by its page, its Atom
feed and its iCalendar feed, and by the notice of adjustment sealed with the minutes.

Two kinds of notice go up. The notice of adjustment (KL 8 kap. 12 §) per sealed record: posted
when the record says, up at least until the appeal period has run out, with where the minutes
are kept and how to appeal. The announcement (kungörelse, KL 5 kap. 11 §) of a meeting of an
organ whose roster says `announce`: up from that long before the meeting until its day. A notice
whose last day has passed goes to the archive: nothing ever drops off the board unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from motesplats.meetings import Meeting, meetings, meetings_by_key
from motesplats.model import Plan, Roster, Text
from motesplats.records.facts import recorded_notice
from motesplats.records.folder import Record, notice_name
from motesplats.render.dates import clock, plain_day
from motesplats.render.labels import label
from motesplats.render.minutes import public_minutes_path, published

FOLDER = "notice-board"
PAGE = f"{FOLDER}/index.html"
ATOM = f"{FOLDER}/notices.atom"
CALENDAR = f"{FOLDER}/notices.ics"


@dataclass(frozen=True)
class Notice:
    """One notice on the board, its dates as days in the workspace's time zone."""

    id: str                 # stable, 'adjustment-styrelsemote-2018-06-08': the page's anchor, the feeds' ids
    kind: str               # 'adjustment' or 'announcement'
    organ: str
    title: str              # the meeting's
    meeting_day: date
    up: date                # posted on
    down: date              # the day it comes down: the last day it is on the board
    adjusted: date | None = None
    last_appeal_day: date | None = None
    kept_at: str = ""
    time: str = ""          # an announcement's '10:30–12:30'
    place: str = ""
    agenda: tuple[str, ...] = ()
    minutes_html: str = ""  # under build/, where the organ's minutes are public
    minutes_pdf: str = ""
    notice_pdf: str = ""    # the sealed notice of adjustment, published under build/


@dataclass(frozen=True)
class Board:
    organisation: str
    language: str
    current: tuple[Notice, ...]   # up today, latest posted first
    archived: tuple[Notice, ...]  # taken down, latest first

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every notice that has gone up, latest first: what the feeds carry."""
        return tuple(sorted(self.current + self.archived, key=_latest_first))


def heading(notice: Notice, language: str) -> str:
    """'Anslag om justerat protokoll: Mälardalsrådets styrelse, Styrelsemöte 8 juni 2018'."""
    kind = label("notice of adjustment" if notice.kind == "adjustment" else "announcement", language)
    return f"{kind}: {notice.organ}, {notice.title}"


def stated(notice: Notice, language: str) -> list[tuple[str, str]]:
    """What the notice states, as (label, text) in `language`: what the feeds carry as its text."""
    def word(key: str) -> str:
        return label(key, language)

    def day(value: date | None) -> str:
        return plain_day(value, language) if value else ""

    if notice.kind == "adjustment":
        rows = [(word("organ"), notice.organ), (word("meeting date"), day(notice.meeting_day)),
                (word("notice adjusted"), day(notice.adjusted)), (word("posted"), day(notice.up)),
                (word("notice last appeal day"), day(notice.last_appeal_day)), (word("taken down"), day(notice.down)),
                (word("notice kept at"), notice.kept_at),
                (word("notice how to appeal"), word("notice appeal text").format(date=day(notice.last_appeal_day)))]
    else:
        rows = [(word("organ"), notice.organ), (word("meeting date"), day(notice.meeting_day)),
                (word("meeting time"), notice.time), (word("place"), notice.place), (word("posted"), day(notice.up)),
                (word("taken down"), day(notice.down)),
                (word("agenda items").capitalize(), "; ".join(f"{n}. {item}" for n, item in enumerate(notice.agenda, 1)))]
    return [(key, value) for key, value in rows if value]


def notice_pdf_path(record: Record, language: str) -> str:
    """Where a record's notice of adjustment is published: 'notice-board/styrelsemote-2018-06-08.notice.sv.pdf'."""
    return f"{FOLDER}/{record.folder.name}.{notice_name(language)}"


def sealed_notice_language(record: Record) -> str | None:
    """The language of the notice of adjustment sealed in `record`; None for a record sealed before
    notices were."""
    return next((language for language in record.languages if notice_name(language) in record.files), None)


def adjustment_notice(plan: Plan, facts: dict, notice: dict, language: str) -> Notice:
    """The notice of adjustment of the meeting `facts` describe (a record's facts.json), with the
    notice facts `notice` (what `facts.notice_facts` gives)."""
    organ = _organ(plan, facts["organ"])
    start = datetime.fromisoformat(facts["when"]["start"])
    adjusted = facts["minutes"]["adjusted"]
    return Notice(
        id=f"adjustment-{facts['meeting'].replace('/', '.')}", kind="adjustment",
        organ=organ.title.get(language, plan.settings.language) if organ else (facts["organ"] or ""),
        title=_text(facts["title"], language), meeting_day=start.date(), up=date.fromisoformat(notice["posted"]),
        down=date.fromisoformat(notice["taken_down"]), adjusted=date.fromisoformat(adjusted) if adjusted else None,
        last_appeal_day=date.fromisoformat(notice["last_appeal_day"]), kept_at=notice["kept_at"],
        place=facts["place"]["text"])


def announcement(meeting: Meeting, language: str) -> Notice:
    """The announcement (kungörelse) of `meeting`, whose organ announces its meetings."""
    organ, day = meeting.organ, meeting.start.date()
    fallbacks = meeting.event.languages
    return Notice(
        id=f"announcement-{meeting.stem}", kind="announcement", organ=organ.title.get(language, *fallbacks),
        title=meeting.title.get(language, *fallbacks), meeting_day=day, up=day - organ.announce, down=day,
        time=f"{clock(meeting.start)}–{clock(meeting.end)}", place=meeting.place,
        agenda=tuple(item.title.get(language, *fallbacks) for item in meeting.agenda))


def board(plan: Plan, records: dict[str, Record], today: date) -> Board:
    """The board as it stands on `today`, in the workspace's language."""
    language = plan.settings.language
    by_key = meetings_by_key(plan.events)
    found = [_with_links(plan, adjustment_notice(plan, record.facts, _notice_facts(plan, record), language),
                         by_key.get(key), record)
             for key, record in records.items()]
    found += [announcement(meeting, language) for meeting in meetings(plan)
              if meeting.status != "cancelled" and meeting.organ and meeting.organ.announce is not None]
    posted = sorted((notice for notice in found if notice.up <= today), key=_latest_first)
    return Board(plan.settings.organisation, language, tuple(n for n in posted if n.down >= today),
                 tuple(n for n in posted if n.down < today))


def _notice_facts(plan: Plan, record: Record) -> dict:
    organ = _organ(plan, record.facts["organ"])
    return recorded_notice(record.facts, record.manifest, organ, plan.settings.time_zone)


def _organ(plan: Plan, roster_id: str | None) -> Roster | None:
    return next((roster for roster in plan.rosters if roster.id == roster_id), None)


def _with_links(plan: Plan, notice: Notice, meeting: Meeting | None, record: Record) -> Notice:
    """`notice` with links to its sealed PDF and, where the organ's minutes are public, the minutes."""
    language = sealed_notice_language(record)
    links = {"notice_pdf": notice_pdf_path(record, language)} if language else {}
    if meeting is not None and published(meeting) and meeting.language in record.languages:
        pdf = public_minutes_path(meeting)
        links |= {"minutes_pdf": pdf, "minutes_html": pdf.removesuffix(".pdf") + ".html"}
    return replace(notice, **links)


def _latest_first(notice: Notice) -> tuple:
    return (-notice.up.toordinal(), -notice.meeting_day.toordinal(), notice.id)


def _text(translations: dict[str, str], language: str) -> str:
    return Text(tuple(sorted(translations.items()))).get(language)
