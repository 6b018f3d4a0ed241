"""build/index.html: every public feed with its links for phones, Google, Outlook, and a QR code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from markupsafe import Markup

from motesplats.model import Feed, Plan
from motesplats.render import year_wheel
from motesplats.render.dates import day_span, long_day
from motesplats.render.feeds import public_feed_path, webcal
from motesplats.render.programme import PUBLIC, public_programme_stem
from motesplats.render.labels import label
from motesplats.render.correction import correction_path
from motesplats.render.minutes import public_minutes_path, published_minutes
from motesplats.render.templates import environment

TEMPLATE = "subscribe.html"


@dataclass(frozen=True)
class FeedLinks:
    """What the page shows for one feed."""

    id: str
    name: str
    description: str
    https: str
    webcal: str
    google: str
    outlook: str
    office365: str
    qr_svg: Markup


def feed_links(plan: Plan, feed: Feed, language: str) -> FeedLinks:
    https = f"{plan.settings.base_url}/{public_feed_path(feed)}"
    webcal_link = webcal(https)
    name = feed.name.get(language, feed.language)
    return FeedLinks(
        id=feed.id, name=name, description=feed.description.get(language, feed.language),
        https=https, webcal=webcal_link,
        google="https://calendar.google.com/calendar/r?cid=" + quote(webcal_link, safe=""),
        outlook=f"https://outlook.live.com/calendar/0/addfromweb?url={quote(https, safe='')}&name={quote(name)}",
        office365=f"https://outlook.office.com/calendar/0/addfromweb?url={quote(https, safe='')}&name={quote(name)}",
        qr_svg=qr_code(https, label("qr for", language).format(name=name)))


def qr_code(data: str, description: str) -> Markup:
    """An inline SVG QR code (no image files, no external resources), sized by CSS."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r' (width|height)="[^"]*"', "", svg, count=2)
    svg = re.sub(r' id="[^"]*"', "", svg)  # the same id in every code: the page holds several
    title = str(Markup("<title>{}</title>").format(description))
    return Markup(svg.replace("<svg ", '<svg role="img" class="qr" ', 1).replace(">", ">" + title, 1))


@dataclass(frozen=True)
class ProgrammeLinks:
    """A public event's programme, in each of its languages."""

    title: str
    dates: str
    links: tuple[tuple[str, str, str], ...]   # (language, html path, pdf path)


def programme_links(plan: Plan, language: str) -> list[ProgrammeLinks]:
    """Programmes of the events open to the public, soonest first (the paths build writes)."""
    found = []
    for event in plan.events:
        if PUBLIC not in event.audiences or event.status == "cancelled":
            continue
        links = tuple((code, f"{public_programme_stem(event, code)}.html", f"{public_programme_stem(event, code)}.pdf")
                      for code in event.languages)
        found.append(ProgrammeLinks(event.title.get(language, *event.languages),
                                    day_span(event.days[0], event.days[-1], language), links))
    return found


@dataclass(frozen=True)
class MinutesLinks:
    """A meeting's adjusted, public minutes: web page and PDF."""

    organ: str
    title: str
    date: str
    html: str
    pdf: str
    corrections: tuple[tuple[str, str], ...] = ()  # each correction (rättelse): its day shown, its PDF


def minutes_links(plan: Plan, language: str) -> list[MinutesLinks]:
    """The minutes the public may read (adjusted, of organs whose minutes are public), latest first."""
    found = []
    for meeting in reversed(published_minutes(plan)):
        pdf = public_minutes_path(meeting)
        organ = meeting.organ.title.get(language, *meeting.event.languages) if meeting.organ else ""
        found.append(MinutesLinks(organ, meeting.title.get(language, *meeting.event.languages),
                                  day_span(meeting.start.date(), meeting.start.date(), language),
                                  pdf.removesuffix(".pdf") + ".html", pdf,
                                  tuple((long_day(c.adjusted, language), correction_path(meeting, c.adjusted,
                                                                                         meeting.language, b""))
                                        for c in meeting.minutes.corrections)))
    return found


def public_wheels(plan: Plan, language: str) -> tuple[year_wheel.Wheel, ...]:
    """The public årshjul of every year with public events, in order: the page shows them all."""
    entries = year_wheel.all_entries(plan, language, public=True)
    return tuple(year_wheel.wheel_of(plan, entries, year, language, public=True) for year in year_wheel.years(entries))


@dataclass(frozen=True)
class WheelOnPage:
    """A public årshjul: inline SVG, the list it shows (its text alternative), its printable PDF,
    and whether it is the year the page opens."""

    year: int
    title: str
    svg: Markup
    text: Markup
    pdf: str
    open: bool


def wheel_list_id(year: int) -> str:
    return f"year-wheel-list-{year}"


def wheel_on_page(plan: Plan, wheel: year_wheel.Wheel, open_year: int | None) -> WheelOnPage:
    # Both are built escaped, from data only: safe as markup.
    return WheelOnPage(wheel.year, wheel.title, Markup(year_wheel.svg(wheel, wheel_list_id(wheel.year))),
                       Markup(year_wheel.text_alternative(wheel, wheel_list_id(wheel.year))),
                       year_wheel.public_pdf_path(wheel.year, plan.settings.language), wheel.year == open_year)


def render(plan: Plan, templates: Path | None, language: str | None = None, today: date | None = None) -> bytes:
    """The subscription page, in the workspace's language unless another is asked for; it shows the
    årshjul of every year with public events, the one of the year `today` falls in (or the next
    with public events, else the latest) open."""
    language = language or plan.settings.language
    feeds = [feed_links(plan, feed, language) for feed in plan.feeds if feed.public]
    words = {key: label(key, language) for key in PAGE_WORDS}
    wheels = public_wheels(plan, language)
    open_year = year_wheel.year_to_show(tuple(wheel.year for wheel in wheels), today)
    shown = [wheel_on_page(plan, wheel, open_year) for wheel in wheels]
    page = environment(templates).get_template(TEMPLATE).render(
        language=language, organisation=plan.settings.organisation, feeds=feeds,
        programmes=programme_links(plan, language), minutes=minutes_links(plan, language), words=words,
        wheels=shown, wheel=next((wheel for wheel in shown if wheel.open), None),  # `wheel`: older templates' one
        language_names={code: label(f"language name {code}", language) for code in ("sv", "en", "fr")})
    return page.encode("utf-8")


PAGE_WORDS = ("calendars", "calendars intro", "subscribe on this device", "add to google", "add to outlook",
              "add to office365", "copy link", "scan", "how it works", "how it works text", "no feeds",
              "programmes", "web page", "printable pdf", "minutes", "year wheel how", "year wheel pdf",
              "notice board", "notice board link", "correction")
