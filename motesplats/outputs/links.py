"""The addresses of private files, for the people who should have them: never written to build/.

Personal feeds, the feeds that are not public, the programmes of events not open to the
public and minutes not (yet) public, with their extracts, are published under names only the
workspace's secret gives; these lists are how the secretariat hands them out (a mail merge, a
staff intranet page).
"""

from __future__ import annotations

from motesplats.meetings import first_paragraphs, meetings
from motesplats.model import Person, Plan
from motesplats.render.feeds import feed_path, personal_path, webcal
from motesplats.render import year_wheel
from motesplats.render.labels import label
from motesplats.render.minutes import extract_path, minutes_stem, published
from motesplats.render.programme import PUBLIC, programme_stem


def personal_links(plan: Plan, secret: bytes, people: tuple[Person, ...]) -> list[tuple[str, str, str]]:
    """(name, e-mail, webcal link) of each person's own feed."""
    base = plan.settings.base_url
    return [(person.name, person.email, webcal(f"{base}/{personal_path(secret, person.id)}")) for person in people]


def private_links(plan: Plan, secret: bytes) -> list[tuple[str, str, str, str]]:
    """(what, id, title, link) of every feed, programme, minutes and year wheel that is not public."""
    base = plan.settings.base_url
    found = []
    for feed in plan.feeds:
        if not feed.public:
            found.append(("feed", feed.id, feed.name.get(feed.language, plan.settings.language),
                          webcal(f"{base}/{feed_path(feed, secret)}")))
    for event in plan.events:
        if PUBLIC in event.audiences:
            continue
        for language in event.languages:
            stem = programme_stem(event, language, secret)
            title = event.title.get(language, *event.languages)
            found.append(("programme", event.id, title, f"{base}/{stem}.pdf"))
            found.append(("web programme", event.id, title, f"{base}/{stem}.html"))
    numbers = first_paragraphs(plan)
    for meeting in meetings(plan):
        if meeting.minutes is None or meeting.status == "cancelled" or published(meeting):
            continue
        stem = minutes_stem(meeting, meeting.language, secret)
        what = "minutes" if meeting.minutes.adjusted else "draft minutes"
        title = meeting.title.get(meeting.language)
        found.append((what, meeting.key, title, f"{base}/{stem}.pdf"))
        found.append((f"web {what}", meeting.key, title, f"{base}/{stem}.html"))
        if meeting.minutes.adjusted is None:
            continue  # a draft has no extracts
        for decision in meeting.minutes.decisions:  # as outputs/minutes.py numbers them
            number = numbers.get(meeting.key, 1) + decision.item - 1
            found.append(("extract", meeting.key, f"{title}, § {number}",
                          f"{base}/{extract_path(meeting, number, meeting.language, secret)}"))
    language = plan.settings.language
    for year in year_wheel.years(year_wheel.all_entries(plan, language, public=False)):
        found.append(("year wheel", str(year), label("year wheel", language).format(year=year),
                      f"{base}/{year_wheel.secretariat_pdf_path(year, language, secret)}"))
    return found
