"""The årshjul: a year's events, meetings and deadlines as a circle of twelve months, January at
the top and clockwise, one ring per kind of entry.

Each entry is numbered in date order and shown on its ring as a numbered badge; the numbered
list beside the wheel (the text alternative on the web page, the column beside it in print)
says what each is. The layout is worked out here once, in wheel units (radius 500, y down), for
both the inline SVG and the PDF: badges that would overlap move to another lane of their ring
or along it, with a leader line back to their day, and shrink only when the ring is crowded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

import arrow

from motesplats.identifiers import unguessable
from motesplats.meetings import deadlines, meetings
from motesplats.model import Plan
from motesplats.render.dates import long_day, short_day
from motesplats.render.labels import label
from motesplats.render.programme import PUBLIC

FOLDER = "year"
RINGS = ("events", "meetings", "deadlines")  # outermost first


@dataclass(frozen=True)
class Entry:
    """One thing on the wheel: its days (in its event's own time zone), its ring and what it is called."""

    first: date
    last: date
    ring: str   # one of RINGS
    label: str


@dataclass(frozen=True)
class Wheel:
    """What one year's wheel shows; an entry's number is its place in `entries`, from 1."""

    year: int
    language: str
    organisation: str
    public: bool   # the public wheel (public events only) or the secretariat's (everything)
    entries: tuple[Entry, ...]

    @property
    def rings(self) -> tuple[str, ...]:
        """The rings that hold entries, outermost first (an empty wheel keeps the events' ring)."""
        used = {entry.ring for entry in self.entries}
        return tuple(ring for ring in RINGS if ring in used) or RINGS[:1]

    @property
    def title(self) -> str:
        return label("year wheel", self.language).format(year=self.year)

    @property
    def subtitle(self) -> str:
        return label("year wheel public" if self.public else "year wheel secretariat", self.language)


def all_entries(plan: Plan, language: str, public: bool) -> tuple[Entry, ...]:
    """Every entry of every year, in date order; cancelled ones left out. The public wheel holds the
    events open to the public (and their public meetings); the secretariat's every event, meeting
    and deadline."""
    found = []
    for event in plan.events:
        if event.status == "cancelled" or (public and PUBLIC not in event.audiences):
            continue
        title = event.title.get(language, *event.languages)
        if event.status == "tentative":
            title = f"{title} ({label('tentative', language)})"
        ring = "meetings" if event.kind == "formal_meeting" else "events"
        found.append(Entry(event.days[0], event.days[-1], ring, title))
    for meeting in meetings(plan):
        if meeting.session is None or meeting.status == "cancelled":
            continue  # formal meetings are among the events above
        audiences = meeting.session.audiences or meeting.event.audiences
        if public and not (PUBLIC in meeting.event.audiences and PUBLIC in audiences):
            continue
        last = (meeting.end - timedelta(microseconds=1)).date()
        found.append(Entry(meeting.start.date(), max(last, meeting.start.date()), "meetings",
                           meeting.title.get(language, *meeting.event.languages)))
    if not public:
        for deadline in deadlines(plan):
            title = deadline.meeting.title.get(language, *deadline.meeting.event.languages)
            found.append(Entry(deadline.day, deadline.day, "deadlines",
                               label(f"deadline {deadline.kind}", language).format(meeting=title)))
    return tuple(sorted(found, key=lambda e: (e.first, RINGS.index(e.ring), e.last, e.label)))


def years(entries: tuple[Entry, ...]) -> tuple[int, ...]:
    """The years the entries touch."""
    return tuple(sorted({year for e in entries for year in range(e.first.year, e.last.year + 1)}))


def wheel(plan: Plan, year: int, language: str, public: bool) -> Wheel:
    return wheel_of(plan, all_entries(plan, language, public), year, language, public)


MOST_ON_A_RING = 48  # beyond this a ring shows its entries by the week, so the wheel stays readable


def wheel_of(plan: Plan, entries: tuple[Entry, ...], year: int, language: str, public: bool) -> Wheel:
    """The wheel of `year` from entries of any years (those touching it). A ring with more than
    MOST_ON_A_RING entries (a political week's hundreds of seminars) shows one entry per week that
    has several, saying how many and naming the first."""
    inside = [e for e in entries if e.first.year <= year <= e.last.year]
    for ring in RINGS:
        on_ring = [e for e in inside if e.ring == ring]
        if len(on_ring) > MOST_ON_A_RING:
            inside = [e for e in inside if e.ring != ring] + _by_week(on_ring, language)
    inside.sort(key=lambda e: (e.first, RINGS.index(e.ring), e.last, e.label))
    return Wheel(year, language, plan.settings.organisation, public, tuple(inside))


def _by_week(entries: list[Entry], language: str) -> list[Entry]:
    weeks: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:
        weeks.setdefault(entry.first.isocalendar()[:2], []).append(entry)
    grouped = []
    for group in weeks.values():
        if len(group) == 1:
            grouped += group
            continue
        names = "; ".join(e.label for e in group[:2]) + " …"
        what = ring_name(group[0].ring, language).lower()
        grouped.append(Entry(min(e.first for e in group), max(e.last for e in group), group[0].ring,
                             label("year wheel group", language).format(n=len(group), what=what, names=names)))
    return grouped


def year_to_show(shown: tuple[int, ...], today: date | None) -> int | None:
    """The year a page shows: this year's or the next with entries, else the latest (None: none)."""
    coming = [year for year in shown if today is not None and year >= today.year]
    return coming[0] if coming else (shown[-1] if shown else None)


def public_pdf_path(year: int, language: str) -> str:
    return f"{FOLDER}/{year}.{language}.pdf"


def secretariat_pdf_path(year: int, language: str, secret: bytes) -> str:
    """The full wheel, with every board meeting and deadline: under a name only the secret gives."""
    return f"{FOLDER}/{year}-{unguessable(secret, f'year:{year}')}.{language}.pdf"


# ---- dates and months, in the reader's language ----

def when(entry: Entry, language: str) -> str:
    """'tor 17 maj' or 'tor 17 maj – fre 18 maj'; with years when it runs over New Year."""
    if entry.first == entry.last:
        return short_day(entry.first, language)
    if entry.first.year != entry.last.year:
        return f"{long_day(entry.first, language)} – {long_day(entry.last, language)}"
    return f"{short_day(entry.first, language)} – {short_day(entry.last, language)}"


def month_name(month: int, language: str) -> str:
    name = arrow.locales.get_locale(language).month_name(month)
    return name[:1].upper() + name[1:]


def by_month(wheel: Wheel) -> list[tuple[int, list[tuple[int, Entry]]]]:
    """The numbered entries under the month they start in (January for those begun the year before)."""
    months: dict[int, list[tuple[int, Entry]]] = {}
    for number, entry in enumerate(wheel.entries, 1):
        month = entry.first.month if entry.first.year == wheel.year else 1
        months.setdefault(month, []).append((number, entry))
    return sorted(months.items())


# ---- the layout, shared by the SVG and the PDF ----

OUTER = 500.0          # the wheel's radius, in wheel units
MONTH_INNER = 436.0    # the month names' band lies between this and OUTER
CENTRE = 118.0         # the smallest centre disc, where the year is
RING_GAP = 6.0
WIDEST_RING = 160.0
SHORTEST_MARK = 1.2    # degrees: a single day stays visible
# Badge radii tried in turn, each with how far (in degrees) a badge may move from its day: large
# badges near their days first, then smaller ones moved further, before they become too small to read.
ATTEMPTS = ((30.0, 14.0), (26.0, 14.0), (22.0, 14.0), (19.0, 14.0), (16.0, 14.0), (16.0, 30.0), (14.0, 45.0),
            (12.0, 90.0), (10.0, 360.0), (8.0, 360.0), (6.0, 360.0), (4.0, 360.0), (2.0, 360.0))
CLEAR_LEADERS = 30.0  # degrees: badges moved further than this are crowded, their leaders may pass under others
SHIFT_STEP = 0.5


@dataclass(frozen=True)
class Band:
    ring: str
    inner: float
    outer: float


@dataclass(frozen=True)
class Mark:
    """An entry's days on its ring: a sector from `start` to `end` (degrees clockwise from the top)."""

    number: int
    ring: str
    start: float
    end: float


@dataclass(frozen=True)
class Badge:
    """An entry's number: a circle of `radius` at (x, y); `leader` runs from it to its mark when moved."""

    number: int
    ring: str
    x: float
    y: float
    radius: float
    leader: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Layout:
    """The wheel laid out in wheel units: rings, entries' days, badges and month sectors."""

    bands: tuple[Band, ...]
    marks: tuple[Mark, ...]
    badges: tuple[Badge, ...]
    centre: float                           # the centre disc's radius
    months: tuple[tuple[float, float], ...]  # each month's start and end, in degrees


def point(radius: float, degrees: float) -> tuple[float, float]:
    """Where `degrees` clockwise from the top lies at `radius` (y grows downwards)."""
    angle = math.radians(degrees)
    return radius * math.sin(angle), -radius * math.cos(angle)


def layout(wheel: Wheel) -> Layout:
    """Where everything on the wheel goes: the same for the screen and for paper."""
    year_start = date(wheel.year, 1, 1)
    length = (date(wheel.year + 1, 1, 1) - year_start).days

    def degrees(day: date) -> float:
        return 360.0 * (day - year_start).days / length

    months = tuple((degrees(date(wheel.year, m, 1)), degrees(date(wheel.year + m // 12, m % 12 + 1, 1)))
                   for m in range(1, 13))
    marks = []
    for number, entry in enumerate(wheel.entries, 1):
        start = degrees(max(entry.first, year_start))
        end = degrees(min(entry.last, date(wheel.year, 12, 31)) + timedelta(days=1))
        middle, half = (start + end) / 2, max(end - start, SHORTEST_MARK) / 2
        marks.append(Mark(number, entry.ring, max(0.0, middle - half), min(360.0, middle + half)))
    bands, badges = _badges(wheel.rings, marks)
    return Layout(bands, tuple(marks), badges, bands[-1].inner - RING_GAP, months)


def _badges(rings: tuple[str, ...], marks: list[Mark]) -> tuple[tuple[Band, ...], tuple[Badge, ...]]:
    """The rings' bands and the badges on them, as large as leaves every badge near its day."""
    counts = {ring: sum(1 for mark in marks if mark.ring == ring) for ring in rings}
    for radius, furthest in ATTEMPTS:
        bands = _bands(counts, radius)
        placed = _place(marks, bands, radius, furthest) if bands else None
        if placed is not None:
            return bands, placed
    raise ValueError(f"{len(marks)} entries do not fit on one wheel")


def _bands(counts: dict[str, int], radius: float) -> tuple[Band, ...] | None:
    """Bands for the rings, outermost first: a lane of badges each, more for the crowded ones, and
    the room left shared out; None when the badges are too large for one lane each."""
    pitch = _pitch(radius)
    space = MONTH_INNER - RING_GAP - CENTRE - RING_GAP * (len(counts) - 1)
    most = max(1, int(WIDEST_RING // pitch))
    lanes = dict.fromkeys(counts, 1)
    spare = int(space // pitch) - len(counts)
    if spare < 0:
        return None
    while spare:
        open_rings = [ring for ring in counts if lanes[ring] < most and counts[ring] > lanes[ring]]
        if not open_rings:
            break
        busiest = max(open_rings, key=lambda ring: counts[ring] / lanes[ring])
        lanes[busiest] += 1
        spare -= 1
    share = (space - pitch * sum(lanes.values())) / len(counts)
    outer = MONTH_INNER - RING_GAP
    found = []
    for ring in counts:
        width = min(WIDEST_RING, lanes[ring] * pitch + share)
        found.append(Band(ring, outer - width, outer))
        outer -= width + RING_GAP
    return tuple(found)


def _pitch(radius: float) -> float:
    return 2 * radius + _gap(radius)


def _lanes(band: Band, radius: float) -> list[float]:
    """The radii a ring's badges may sit at: as many lanes as fit across it, middle ones first."""
    pitch = _pitch(radius)
    count = max(1, int((band.outer - band.inner) // pitch))
    middle = (band.inner + band.outer) / 2
    offsets = [(n - (count - 1) / 2) * pitch for n in range(count)]
    return [middle + offset for offset in sorted(offsets, key=lambda o: (abs(o), -o))]


def _gap(radius: float) -> float:
    return max(2.0, radius * 0.3)


def _place(marks: list[Mark], bands: tuple[Band, ...], radius: float, furthest: float) -> tuple[Badge, ...] | None:
    """Badges for every mark, none overlapping another (nor, unless crowded, another's leader); None
    if some cannot move less than `furthest` degrees from its day."""
    lanes = {band.ring: _lanes(band, radius) for band in bands}
    clear = furthest <= CLEAR_LEADERS
    placed: list[Badge] = []
    for mark in marks:
        badge = next((b for b in _candidates(mark, lanes[mark.ring], radius, furthest) if _fits(b, placed, clear)),
                     None)
        if badge is None:
            return None
        placed.append(badge)
    return tuple(placed)


def _candidates(mark: Mark, lanes: list[float], radius: float, furthest: float):
    wanted = (mark.start + mark.end) / 2
    steps = int(furthest / SHIFT_STEP)
    for step in range(steps + 1):
        for shift in ((step * SHIFT_STEP,) if step == 0 else (step * SHIFT_STEP, -step * SHIFT_STEP)):
            angle = wanted + shift
            if not 0.0 <= angle <= 360.0:
                continue  # past New Year a badge would point at the wrong end of the year
            for lane in lanes:
                x, y = point(lane, angle)
                target = min(max(angle, mark.start), mark.end)
                leader = None if target == angle else (x, y, *point(lane, target))
                yield Badge(mark.number, mark.ring, x, y, radius, leader)


def _fits(badge: Badge, placed: list[Badge], clear: bool) -> bool:
    for other in placed:
        if math.dist((badge.x, badge.y), (other.x, other.y)) < badge.radius + other.radius + _gap(badge.radius):
            return False
        if not clear:
            continue
        if other.leader and _distance_to_segment((badge.x, badge.y), other.leader) < badge.radius + 1:
            return False
        if badge.leader and _distance_to_segment((other.x, other.y), badge.leader) < other.radius + 1:
            return False
    return True


def _distance_to_segment(p: tuple[float, float], segment: tuple[float, float, float, float]) -> float:
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - x1) * dx + (p[1] - y1) * dy) / length))
    return math.dist(p, (x1 + t * dx, y1 + t * dy))


# ---- colours and shapes: told apart in grey print too (filled circle, filled square, ring) ----

@dataclass(frozen=True)
class RingStyle:
    band: str    # the ring's tint
    mark: str    # an entry's days
    ink: str     # its badge and leader
    shape: str   # circle | square | ring


STYLES = {
    "events": RingStyle("#dce9f6", "#7ea8d4", "#0b4f8a", "circle"),
    "meetings": RingStyle("#fbe6d5", "#eaa46f", "#a34400", "square"),
    "deadlines": RingStyle("#ece4f3", "#b29ccb", "#5b2a86", "ring"),
}
MONTH_BANDS = ("#dfe5ec", "#eef1f5")
SEPARATOR = "#ffffff"
INK = "#1b1f24"


def ring_name(ring: str, language: str) -> str:
    return label(f"ring {ring}", language)


def number_size(badge_radius: float, number: int) -> float:
    """The font size of a badge's number: smaller for three digits."""
    return badge_radius * (1.0 if number < 100 else 0.78)


# ---- the inline SVG ----

LEGEND_HEIGHT = 90.0
MONTH_SIZE = 34.0  # wheel units: month names read on a phone
FONT = "'Noto Sans', system-ui, -apple-system, 'Segoe UI', sans-serif"


def svg(wheel: Wheel, described_by: str) -> str:
    """The wheel as inline SVG, sized by CSS; `described_by` is the id of its text alternative.

    Everything is drawn, nothing loaded: no fonts, images or scripts from elsewhere.
    """
    shape = layout(wheel)
    title_id = f"year-wheel-{wheel.year}-title"
    desc_id = f"year-wheel-{wheel.year}-desc"
    top, height = -OUTER - 4, 2 * OUTER + 8 + LEGEND_HEIGHT
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="year-wheel" role="img" '
             f'viewBox="{-OUTER - 4:g} {top:g} {2 * OUTER + 8:g} {height:g}" '
             f'aria-labelledby="{title_id}" aria-describedby="{desc_id} {escape(described_by)}" '
             f'font-family="{escape(FONT)}">',
             f'<title id="{title_id}">{escape(wheel.title)} – {escape(wheel.organisation)}</title>',
             f'<desc id="{desc_id}">{escape(label("year wheel how", wheel.language))}</desc>']
    parts += _svg_months(wheel, shape)
    parts += _svg_rings(shape)
    parts += [_svg_badge(wheel, badge) for badge in shape.badges]
    year_size = min(shape.centre * 0.62, 120.0)
    parts.append(f'<text x="0" y="{year_size * 0.36:.1f}" text-anchor="middle" font-size="{year_size:.1f}" '
                 f'font-weight="700" fill="{INK}">{wheel.year}</text>')
    parts += _svg_legend(wheel)
    parts.append("</svg>")
    return "".join(parts)


def _sector(inner: float, outer: float, start: float, end: float) -> str:
    """An annular sector as SVG path data."""
    large = 1 if end - start > 180 else 0
    if end - start >= 360:
        return (f"M 0 {-outer:.1f} A {outer:.1f} {outer:.1f} 0 1 1 0 {outer:.1f} A {outer:.1f} {outer:.1f} 0 1 1 0 {-outer:.1f} Z "
                f"M 0 {-inner:.1f} A {inner:.1f} {inner:.1f} 0 1 0 0 {inner:.1f} A {inner:.1f} {inner:.1f} 0 1 0 0 {-inner:.1f} Z")
    (x1, y1), (x2, y2) = point(outer, start), point(outer, end)
    (x3, y3), (x4, y4) = point(inner, end), point(inner, start)
    return (f"M {x1:.1f} {y1:.1f} A {outer:.1f} {outer:.1f} 0 {large} 1 {x2:.1f} {y2:.1f} "
            f"L {x3:.1f} {y3:.1f} A {inner:.1f} {inner:.1f} 0 {large} 0 {x4:.1f} {y4:.1f} Z")


def month_label_rotation(middle: float) -> float:
    """Month names follow the circle and read upright: turned over in the lower half."""
    return middle - 180 if 90 < middle < 270 else middle


def _svg_months(wheel: Wheel, shape: Layout) -> list[str]:
    parts = []
    radius = (MONTH_INNER + OUTER) / 2
    for month, (start, end) in enumerate(shape.months, 1):
        parts.append(f'<path d="{_sector(MONTH_INNER, OUTER, start, end)}" fill="{MONTH_BANDS[month % 2]}"/>')
        middle = (start + end) / 2
        x, y = point(radius, middle)
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate({month_label_rotation(middle):.2f} {x:.1f} {y:.1f})" '
                     f'text-anchor="middle" dominant-baseline="central" font-size="{MONTH_SIZE:g}" font-weight="600" '
                     f'fill="{INK}">{escape(month_name(month, wheel.language))}</text>')
    return parts


def _svg_rings(shape: Layout) -> list[str]:
    parts = [f'<path d="{_sector(band.inner, band.outer, 0, 360)}" fill="{STYLES[band.ring].band}" '
             f'fill-rule="evenodd"/>' for band in shape.bands]
    inner, outer = shape.bands[-1].inner, OUTER
    for start, _ in shape.months:
        (x1, y1), (x2, y2) = point(inner, start), point(outer, start)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{SEPARATOR}" stroke-width="4"/>')
    bands = {band.ring: band for band in shape.bands}
    for mark in shape.marks:
        band = bands[mark.ring]
        parts.append(f'<path d="{_sector(band.inner, band.outer, mark.start, mark.end)}" fill="{STYLES[mark.ring].mark}"/>')
    for badge in shape.badges:
        if badge.leader:
            x1, y1, x2, y2 = badge.leader
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                         f'stroke="{STYLES[badge.ring].ink}" stroke-width="2.5"/>')
    return parts


def _svg_badge(wheel: Wheel, badge: Badge) -> str:
    entry = wheel.entries[badge.number - 1]
    tooltip = f"{badge.number}. {when(entry, wheel.language)}: {entry.label}"
    return (f'<g><title>{escape(tooltip)}</title>'
            f'{_svg_shape(badge.ring, badge.x, badge.y, badge.radius)}'
            f'{_svg_number(badge.ring, badge.x, badge.y, number_size(badge.radius, badge.number), str(badge.number))}</g>')


def _svg_shape(ring: str, x: float, y: float, radius: float) -> str:
    style = STYLES[ring]
    if style.shape == "square":
        side = radius * 1.76
        return (f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" height="{side:.1f}" '
                f'rx="{radius * 0.3:.1f}" fill="{style.ink}"/>')
    if style.shape == "ring":
        stroke = max(1.0, radius * 0.2)
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius - stroke / 2:.1f}" fill="#ffffff" '
                f'stroke="{style.ink}" stroke-width="{stroke:.1f}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{style.ink}"/>'


def _svg_number(ring: str, x: float, y: float, size: float, text: str) -> str:
    colour = STYLES[ring].ink if STYLES[ring].shape == "ring" else "#ffffff"
    return (f'<text x="{x:.1f}" y="{y + size * 0.36:.1f}" text-anchor="middle" font-size="{size:.1f}" '
            f'font-weight="700" fill="{colour}">{escape(text)}</text>')


def _svg_legend(wheel: Wheel) -> list[str]:
    rings = wheel.rings
    width = 2 * OUTER / len(rings)
    y = OUTER + LEGEND_HEIGHT / 2 + 4
    parts = []
    for n, ring in enumerate(rings):
        x = -OUTER + width * n + 30
        parts.append(_svg_shape(ring, x, y, 24))
        parts.append(f'<text x="{x + 38:.1f}" y="{y + 12:.1f}" font-size="34" fill="{INK}">'
                     f'{escape(ring_name(ring, wheel.language))}</text>')
    return parts


# ---- the text alternative ----

def text_alternative(wheel: Wheel, element_id: str) -> str:
    """Everything on the wheel as HTML: a heading per month and its entries in an ordered list
    numbered as on the wheel."""
    parts = [f'<div class="year-wheel-list" id="{escape(element_id)}">']
    if not wheel.entries:
        parts.append(f"<p>{escape(label('nothing planned', wheel.language))}</p>")
    for month, numbered in by_month(wheel):
        parts.append(f"<h3>{escape(month_name(month, wheel.language))}</h3>")
        parts.append(f'<ol start="{numbered[0][0]}">')
        for number, entry in numbered:
            parts.append(f'<li class="ring-{entry.ring}"><span class="when">{escape(when(entry, wheel.language))}</span>'
                         f' {escape(entry.label)}</li>')
        parts.append("</ol>")
    parts.append("</div>")
    return "".join(parts)
