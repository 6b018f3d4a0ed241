"""A meeting's attendance as plain text, for the terminal: the present list, the voting roll and
quorum, and the deputies to call in."""

from __future__ import annotations

from motesplats.meetings import Meeting, Presence, Proposal
from motesplats.model import Member, Person
from motesplats.render.dates import clock, long_day
from motesplats.render.labels import label


def person_line(person: Person, role: str = "") -> str:
    """'Anna-Karin Lindqvist, ordförande (M), Stockholms läns landsting'."""
    text = person.name + (f", {role}" if role and role.lower() not in ("ledamot", "member") else "")
    text += f" ({person.party})" if person.party else ""
    return text + (f", {person.organisation}" if person.organisation else "")


def short_name(person: Person) -> str:
    """'Emma Forslund (MP)'."""
    return person.name + (f" ({person.party})" if person.party else "")


def comings_and_goings(came: int | None, left: int | None, paragraph, language: str) -> str:
    parts = []
    if came:
        parts.append(label("from item", language).format(n=paragraph(came)))
    if left:
        parts.append(label("until item", language).format(n=paragraph(left)))
    return ", ".join(parts)


def render_text(meeting: Meeting, presence: Presence, proposals: tuple[Proposal, ...], first_paragraph: int,
                language: str) -> str:
    """The attendance of `meeting` as the secretary reads it before and during the meeting."""
    def word(key: str) -> str:
        return label(key, language)

    def paragraph(item: int) -> int:
        return first_paragraph + item - 1

    def member_line(entry: tuple[Member, int | None, int | None]) -> str:
        member, came, left = entry
        note = comings_and_goings(came, left, paragraph, language)
        return f"  {person_line(member.person, member.role)}" + (f"; {note}" if note else "")

    lines = [f"{word('attendance list')}: {meeting.title.get(language)} ({meeting.key})",
             f"{long_day(meeting.start.date(), language)} {clock(meeting.start)}–{clock(meeting.end)}"
             + (f", {meeting.venue.name}" if meeting.venue else ""), ""]
    lines += [f"{word('members present')} ({len(presence.members)})", *map(member_line, presence.members)]
    if presence.serving:
        lines += ["", f"{word('serving deputies')} ({len(presence.serving)})"]
        for serving in presence.serving:
            note = comings_and_goings(serving.from_item if serving.from_item > 1 else None, serving.to_item,
                                      paragraph, language)
            lines.append("  " + word("serves for").format(deputy=short_name(serving.deputy),
                                                          member=short_name(serving.member)) + (f"; {note}" if note else ""))
    if presence.deputies:
        lines += ["", f"{word('other deputies')} ({len(presence.deputies)})", *map(member_line, presence.deputies)]
    if presence.others or presence.guests:
        lines += ["", f"{word('others present')} ({len(presence.others) + len(presence.guests)})"]
        lines += [f"  {person_line(person, person.title)}" for person in presence.others]
        lines += [f"  {', '.join(part for part in (g.name, g.role, g.organisation) if part)}" for g in presence.guests]
    if presence.absent:
        lines += ["", f"{word('absent')} ({len(presence.absent)})"]
        lines += [f"  {person_line(m.person, m.role)}" + (f"; {word('apologies')}" if sent else "")
                  for m, sent in presence.absent]
    roll = presence.roll
    lines += ["", word("quorate" if roll.quorate else "not quorate").format(
        n=len(roll.voting), total=roll.member_count, quorum=roll.quorum)]
    for proposal in proposals:
        if proposal.deputy is None:
            lines.append(word("no deputy left").format(member=proposal.member.person.name))
        else:
            lines.append(word("call in").format(deputy=person_line(proposal.deputy.person),
                                                member=short_name(proposal.member.person)))
    return "\n".join(lines) + "\n"


def render_roll(presence: Presence, language: str) -> str:
    """The voting roll (röstlängd): numbered, members present then deputies serving, and the count."""
    roll = presence.roll
    lines = [f"{label('voting roll', language)} ({len(roll.voting)})"]
    entries = [person_line(m.person, m.role) for m in roll.members]
    entries += [label("serves for", language).format(deputy=short_name(s.deputy), member=short_name(s.member))
                for s in roll.serving]
    lines += [f"{n:4}. {entry}" for n, entry in enumerate(entries, start=1)]
    lines.append(label("quorate" if roll.quorate else "not quorate", language).format(
        n=len(roll.voting), total=roll.member_count, quorum=roll.quorum))
    return "\n".join(lines) + "\n"
