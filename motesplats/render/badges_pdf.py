"""Name badges as a PDF, ready to print on the morning of the event.

Who gets a badge and with which role comes from the plan (`attendees`); how the badges sit on
the paper (`Layout`) and the roles' words and band colours (`RoleStyles`) are data, read by
`motesplats.badge_styles`.

Each badge shows the event and its dates, the name as large as it fits (shrinking, then
wrapping onto two lines, never clipped), organisation and title, the role as a coloured band
with its word, and a QR code. The QR code says either a check-in id or a vCard 3.0 with only
the name, organisation and title: the roster's e-mail address is never printed or encoded,
since members have not agreed to share it with whoever scans their badge. (When a consent
field exists in the roster, `vcard` is the one place to add what a person agreed to share.)

The PDF embeds one subset of Noto Sans for the whole document and draws QR codes as vector
rectangles (runs of dark modules merged), so 10,000 badges stay small and fast to print.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from io import BytesIO

import arrow
import qrcode
import qrcode.base as qrbase
import qrcode.util
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from motesplats import fonts
from motesplats.badge_styles import (CROP_LENGTH, CROP_OFFSET, STAFF_ROLE, STAFF_ROSTER, Layout, RoleStyle, RoleStyles,
                                     load_roles, parse_colour)
from motesplats.model import Event, Person, Plan
from motesplats.render.pdf_outline import one_line

SPEAKER_ROLE = "talare"
MODERATOR_ROLE = "moderator"
GUEST_ROLE = "gäst"
QR_KINDS = ("checkin", "vcard", "none")


# ---------------------------------------------------------------- who gets a badge


@dataclass(frozen=True)
class Attendee:
    """One badge: the person and the role its band shows (a key of roles.toml, e.g. 'ledamot')."""

    person: Person
    role: str


def attendees(plan: Plan, event: Event, roles: RoleStyles | None = None) -> list[Attendee]:
    """Everyone who comes to `event`, once each, with the role for their badge, by surname.

    The rosters taking part or summoned (to the event or to one of its sessions) give their
    members' roles (the staff roster gives 'personal'); speakers and moderators of sessions get
    'talare' and 'moderator'; agenda presenters, signatories and contacts who are on no roster
    are 'gäst'. When a person has several roles the one ranked highest in roles.toml wins.
    """
    roles = roles or load_roles()
    found: dict[str, tuple[Person, list[str]]] = {}

    def add(person: Person, role: str) -> None:
        found.setdefault(person.id, (person, []))[1].append(role)

    rosters = [*event.participants, *event.summoned]
    for session in event.sessions:
        rosters.extend(session.summoned)
    for roster in rosters:
        for member in roster.members:
            add(member.person, STAFF_ROLE if roster.id == STAFF_ROSTER else member.role)
    for session in event.sessions:
        for person in session.speakers:
            add(person, SPEAKER_ROLE)
        for person in session.moderators:
            add(person, MODERATOR_ROLE)
    items = [*event.agenda, *(item for session in event.sessions for item in session.agenda)]
    for person in [*(item.presenter for item in items if item.presenter), *event.signatories, *event.contacts]:
        add(person, GUEST_ROLE)

    badges = []
    for person, candidates in found.values():
        # max() keeps the first of equal ranks: roster roles come before session roles
        role = max(candidates, key=roles.rank)
        badges.append(Attendee(person, role))
    return sorted(badges, key=lambda attendee: person_sort_key(attendee.person))


# Swedish alphabetical order: å, ä, ö come after z (æ and ø sort with ä and ö, ü with y, as in
# Swedish dictionaries); every other accent is ignored (é as e, ł as l, ş as s), and so is case.
_SWEDISH = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y",
            "ł": "l", "đ": "d", "ð": "d", "ı": "i", "þ": "th", "œ": "oe"}


@lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """A key that orders text as a Swedish reader expects (Åsa after Zeynep, Çağlar with C)."""
    out = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        if char in _SWEDISH:
            out.append(_SWEDISH[char])
        else:
            base = unicodedata.normalize("NFD", char)[0]
            out.append(_SWEDISH.get(base, base))
    return "".join(out)


def person_sort_key(person: Person) -> tuple[str, str, str]:
    """Surname, then the whole name, then the id (so that equal names keep a stable order)."""
    return sort_key(person.surname), sort_key(person.name), person.id


# ---------------------------------------------------------------- QR codes


def qr_payload(event: Event, person: Person, kind: str = "checkin") -> str:
    """What the badge's QR code says: 'motesplats:checkin:<event>:<person>', or a vCard 3.0.

    The vCard holds only what is on the badge already (name, organisation, title): never the
    e-mail address, which members gave the organisers, not everyone who scans their badge.
    """
    if kind == "checkin":
        return f"motesplats:checkin:{event.id}:{person.id}"
    if kind == "vcard":
        return vcard(person)
    raise ValueError(f"unknown QR kind {kind!r}; use one of {', '.join(QR_KINDS)}")


def _vcard_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def vcard(person: Person) -> str:
    """A vCard 3.0 (RFC 2426) with the name, organisation and title only."""
    words = person.name.split()
    given, family = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", person.name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{_vcard_text(family)};{_vcard_text(given)};;;",
             f"FN:{_vcard_text(person.name)}"]
    if person.organisation:
        lines.append(f"ORG:{_vcard_text(person.organisation)}")
    if person.title:
        lines.append(f"TITLE:{_vcard_text(person.title)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


# ISO/IEC 18004 lets an encoder use any of the eight masks. Scoring all eight (what the qrcode
# package does by default) costs ~3 ms a code, half a minute for 10,000 badges; mask 2
# (vertical stripes every third column) scans well on the short payloads badges carry.
QR_MASK = 2


@lru_cache(maxsize=64)
def _rs_generator(degree: int) -> tuple[int, ...]:
    """Coefficients (as logs) of the Reed–Solomon generator polynomial of `degree`, highest first."""
    poly = [1]
    for i in range(degree):  # multiply by (x − α^i)
        nxt = [0] * (len(poly) + 1)
        for j, coefficient in enumerate(poly):
            nxt[j] ^= coefficient
            if coefficient:
                nxt[j + 1] ^= qrbase.gexp(qrbase.glog(coefficient) + i)
        poly = nxt
    return tuple(qrbase.glog(c) for c in poly[1:])


def _rs_remainder(data: list[int], degree: int) -> list[int]:
    generator = _rs_generator(degree)
    exp, log = qrbase.EXP_TABLE, qrbase.LOG_TABLE
    remainder = [0] * degree
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = remainder[1:] + [0]
        if factor:
            lf = log[factor]
            remainder = [r ^ exp[(lf + g) % 255] for r, g in zip(remainder, generator)]
    return remainder


@lru_cache(maxsize=64)
def _blocks(version: int) -> tuple[tuple[int, int], ...]:
    return tuple((block.data_count, block.total_count - block.data_count)
                 for block in qrbase.rs_blocks(version, ERROR_CORRECT_M))


def _codewords(data: bytes) -> tuple[int, list[int]]:
    """The smallest version holding `data` in byte mode at level M, and its interleaved codewords.

    The same bits the qrcode package makes (the tests compare them), without its slow polynomial
    arithmetic: a Reed–Solomon remainder by table look-up is ~20 times faster.
    """
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        capacity = sum(d for d, _ in _blocks(version)) * 8
        if 4 + count_bits + 8 * len(data) <= capacity:
            break
    else:
        raise ValueError(f"{len(data)} bytes do not fit a QR code")
    bits = (0b0100 << count_bits | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * len(data)
    terminator = min(4, capacity - length)
    bits, length = bits << terminator, length + terminator
    if length % 8:
        bits, length = bits << (8 - length % 8), length + 8 - length % 8
    stream = list(bits.to_bytes(length // 8, "big"))
    stream += [0xEC, 0x11] * ((capacity // 8 - len(stream)) // 2 + 1)
    stream = stream[:capacity // 8]
    data_blocks, ecc_blocks, offset = [], [], 0
    for data_count, ecc_count in _blocks(version):
        block = stream[offset:offset + data_count]
        offset += data_count
        data_blocks.append(block)
        ecc_blocks.append(_rs_remainder(block, ecc_count))
    out = [block[i] for i in range(max(map(len, data_blocks))) for block in data_blocks if i < len(block)]
    out += [block[i] for i in range(max(map(len, ecc_blocks))) for block in ecc_blocks if i < len(block)]
    return version, out


class _Blank(qrcode.QRCode):
    """qrcode's symbol with every function pattern and the format information, before the data."""

    def map_data(self, data, mask_pattern):  # noqa: ARG002 - the data is placed by _template's caller
        self.blank = [row[:] for row in self.modules]


@lru_cache(maxsize=64)
def _template(version: int) -> tuple[tuple[tuple[bool | None, ...], ...], tuple[tuple[int, int, bool], ...]]:
    """The blank symbol of `version`, and where each data bit goes with the mask's value there,
    in the order of ISO/IEC 18004 §7.7.3 (two-module columns zigzagging up and down from the right)."""
    code = _Blank(version=version, border=0, error_correction=ERROR_CORRECT_M, mask_pattern=QR_MASK)
    code.data_cache = []
    code.makeImpl(False, QR_MASK)
    blank, size, mask = code.blank, code.modules_count, qrcode.util.mask_func(QR_MASK)
    positions, row, step = [], size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1  # skip the vertical timing pattern
        while 0 <= row < size:
            for c in (col, col - 1):
                if blank[row][c] is None:
                    positions.append((row, c, bool(mask(row, c))))
            row += step
        row -= step
        step = -step
    return tuple(map(tuple, blank)), tuple(positions)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code's modules, dark = True, without the quiet zone (byte mode, error correction M)."""
    version, codewords = _codewords(payload.encode("utf-8"))
    blank, positions = _template(version)
    modules = [list(row) for row in blank]
    bits = "".join(f"{byte:08b}" for byte in codewords).ljust(len(positions), "0")
    for (row, col, masked), bit in zip(positions, bits):
        modules[row][col] = (bit == "1") != masked
    return modules


def qr_rectangles(matrix: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """Dark modules as few rectangles (x, y, width, height), y downwards: runs of a row merged,
    and a run continued down while the rows below have exactly the same run."""
    runs_by_row: list[set[tuple[int, int]]] = []
    for row in matrix:
        runs, x, size = set(), 0, len(row)
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.add((start, x - start))
            else:
                x += 1
        runs_by_row.append(runs)
    rectangles = []
    for y, runs in enumerate(runs_by_row):
        for run in sorted(runs):
            height = 1
            while y + height < len(runs_by_row) and run in runs_by_row[y + height]:
                runs_by_row[y + height].discard(run)
                height += 1
            rectangles.append((run[0], y, run[1], height))
    return rectangles


def _draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> float:
    """Draw the code with its top-left module at (x, y + size); return the module size (pt)."""
    matrix = qr_matrix(payload)
    module = size / len(matrix)
    # one path in module units (y downwards): every number written is a small integer
    ops = " ".join(f"{a} {b} {w} {h} re" for a, b, w, h in qr_rectangles(matrix))
    canvas.addLiteral(f"q 1 0 0 -1 {x:.2f} {y + size:.2f} cm {module:.4f} 0 0 {module:.4f} 0 0 cm 0 g {ops} f Q")
    return module


# ---------------------------------------------------------------- text that fits


@lru_cache(maxsize=262144)
def _width(text: str, font: str) -> float:
    return stringWidth(text, font, 1.0)


def _break_pieces(text: str) -> list[str]:
    """Pieces a line may break between: after a space (dropped) or after a hyphen (kept)."""
    pieces, current = [], ""
    for char in text:
        current += char
        if char in " -\u2010" and current.strip():
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _splits(pieces: list[str], lines: int):
    """Every way to cut `pieces` into `lines` non-empty consecutive groups."""
    if lines == 1:
        yield ["".join(pieces).strip()]
        return
    for cut in range(1, len(pieces) - lines + 2):
        head = "".join(pieces[:cut]).strip()
        for rest in _splits(pieces[cut:], lines - 1):
            yield [head, *rest]


LEADING = 1.12


def fit_text(text: str, font: str, width: float, height: float, largest: float, smallest: float,
             max_lines: int = 2) -> tuple[list[str], float]:
    """Lines and a size (pt) for `text` in a `width` × `height` box: one line as large as fits,
    shrinking to `smallest`; then two lines (at a space or after a hyphen, most even first), and
    so on up to `max_lines`; and if nothing fits at `smallest`, smaller still, never clipped."""
    text = " ".join(text.split())
    if not text:
        return [], largest
    pieces = _break_pieces(text)
    best: tuple[float, list[str]] | None = None
    for count in range(1, min(max_lines, len(pieces)) + 1):
        by_height = height / (1 + (count - 1) * LEADING)
        top: tuple[float, list[str]] | None = None
        ranked = None
        for lines in _splits(pieces, count):
            widest = max(_width(line, font) for line in lines)
            size = min(largest, by_height, width / widest if widest else largest)
            # a break after a hyphen (splitting a double-barrelled name) must buy a quarter
            # more size than one at a space, unless only it reaches the smallest size
            hyphens = sum(line.endswith(("-", "\u2010")) for line in lines[:-1])
            score = (size >= smallest, size * (0.8 ** hyphens))
            if ranked is None or score > ranked:
                ranked, top = score, (size, lines)
        if top is None:
            continue
        if top[0] >= smallest:
            return top[1], math.floor(top[0] * 4) / 4  # quarter points, never rounded up
        if best is None or top[0] > best[0]:
            best = top
    assert best is not None
    return best[1], math.floor(best[0] * 20) / 20


# ---------------------------------------------------------------- dates


def date_span(first: date, last: date, language: str) -> str:
    """'17–18 maj 2018', '30 maj – 2 juni 2018', '13 février 2020': short, as on a badge."""
    def day(d: date, pattern: str) -> str:
        return arrow.get(d).format(pattern, locale=language)

    if first == last:
        return day(first, "D MMMM YYYY")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day(last, 'D MMMM YYYY')}"
    if first.year == last.year:
        return f"{day(first, 'D MMMM')} – {day(last, 'D MMMM YYYY')}"
    return f"{day(first, 'D MMMM YYYY')} – {day(last, 'D MMMM YYYY')}"


def event_line(plan: Plan, event: Event, language: str, width: float = 0.0, size: float = 0.0) -> str:
    """'Mälartinget 2018 · 17–18 maj 2018'; given a `width` at type `size`, a longer title is cut
    after a word (with an ellipsis) so that the line takes no more: the dates are always there."""
    title = event.title.get(language, plan.settings.language, "en")
    days = event.days
    dates = f" · {date_span(days[0], days[-1], language)}"
    if width:
        title = one_line(title, fonts.REGULAR, size, width - _width(dates, fonts.REGULAR) * size)
    return f"{title}{dates}"


# ---------------------------------------------------------------- drawing


_INK = (0.10, 0.10, 0.12)
_GREY = (0.33, 0.33, 0.36)
_CAP = 0.714  # Noto Sans cap height, em
_DESCENT = 0.24  # room below the baseline for descenders (g, y, ç), em


def _rgb(colour: str) -> tuple[float, float, float]:
    return parse_colour(colour) or (0.0, 0.0, 0.0)


def _draw_lines(canvas: Canvas, lines: list[str], font: str, size: float, x: float, top: float,
                colour: tuple[float, float, float], align: str = "left", width: float = 0.0) -> float:
    """Draw lines with the first cap height at `top`; return y of the last line's descender."""
    canvas.setFillColorRGB(*colour)
    canvas.setFont(font, size)
    baseline = top - size * _CAP
    for number, line in enumerate(lines):
        if number:
            baseline -= size * LEADING
        if align == "centre":
            canvas.drawCentredString(x + width / 2, baseline, line)
        else:
            canvas.drawString(x, baseline, line)
    return baseline - size * _DESCENT


def draw_badge(canvas: Canvas, layout: Layout, x: float, y: float, person: Person, role_word: str,
               style: RoleStyle, event_text: str, qr_payload_text: str | None) -> None:
    """One badge with its bottom-left corner at (x, y) points."""
    width, height = layout.badge_width * mm, layout.badge_height * mm
    pad = layout.padding * mm
    band = layout.band_height * mm
    inner = width - 2 * pad

    # the role band along the bottom edge, its word left-aligned and vertically centred
    canvas.setFillColorRGB(*_rgb(style.band))
    canvas.rect(x, y, width, band, stroke=0, fill=1)
    lines, size = fit_text(role_word.upper(), fonts.BOLD, inner, band * 0.6, layout.role, 6, 1)
    _draw_lines(canvas, lines, fonts.BOLD, size, x + pad, y + band / 2 + size * _CAP / 2, _rgb(style.text))

    # the QR code in the bottom-right corner, its quiet zone (4 modules) kept clear of the band
    qr = layout.qr_size * mm if qr_payload_text else 0.0
    qr_zone = y + band  # everything above this is free of the QR code and its quiet zone
    if qr_payload_text:
        quiet = max(4 * qr / 33, 1.5 * mm)  # 4 modules of a version-4 code (a check-in id)
        _draw_qr(canvas, qr_payload_text, x + width - pad - qr, y + band + quiet, qr)
        qr_zone = y + band + quiet + qr + quiet

    top = y + height - layout.top_reserve * mm - pad
    # the event, small, at the top
    lines, size = fit_text(event_text, fonts.REGULAR, inner, layout.event * 2.4, layout.event,
                           layout.event * 0.8, 2)
    below_event = _draw_lines(canvas, lines, fonts.REGULAR, size, x + pad, top, _GREY)

    # Three arrangements, the best for the name wins (it fits at the minimum size, on fewest
    # lines, largest): everything above the QR code at full width (tall badges); the name across
    # the top with organisation and title beside the QR code; or all of it beside the QR code.
    name_top = below_event - 0.3 * layout.name_max
    floor = y + band + pad * 0.6
    side = inner - (qr + 3 * mm if qr else 0)
    arrangements = [(inner, inner, qr_zone)]
    if qr:
        arrangements += [(inner, side, None), (side, side, floor)]
    best = None
    for order, (name_width, detail_width, bottom) in enumerate(arrangements):
        org = fit_text(person.organisation, fonts.REGULAR, detail_width, layout.organisation * 2.3,
                       layout.organisation, layout.organisation * 0.8, 2)
        title = fit_text(person.title, fonts.REGULAR, detail_width, layout.title * 2.3,
                         layout.title, layout.title * 0.8, 2)
        details = (len(org[0]) * org[1] + len(title[0]) * title[1]) * LEADING + 0.35 * layout.organisation
        room = name_top - (bottom + details if bottom is not None else max(qr_zone, floor + details))
        name = fit_text(person.name, fonts.BOLD, name_width, room, layout.name_max, layout.name_min, 2)
        quality = (name[1] < layout.name_min, len(name[0]), -name[1], order)
        if best is None or quality < best[0]:
            best = (quality, name, org, title)
    _, (name_lines, name_size), (org_lines, org_size), (title_lines, title_size) = best

    after_name = _draw_lines(canvas, name_lines, fonts.BOLD, name_size, x + pad, name_top, _INK)
    gap = 0.25 * layout.organisation
    if org_lines:
        after_name = _draw_lines(canvas, org_lines, fonts.REGULAR, org_size, x + pad, after_name - gap, _INK)
        gap = 0.1 * layout.title
    if title_lines:
        _draw_lines(canvas, title_lines, fonts.REGULAR, title_size, x + pad, after_name - gap, _GREY)


def _draw_crop_marks(canvas: Canvas, layout: Layout) -> None:
    """Hairlines in the margins, continuing each cut line of the grid; none enters a badge."""
    xs = sorted({round(layout.margin_left + c * (layout.badge_width + layout.gap_x) + edge, 3)
                 for c in range(layout.columns) for edge in (0, layout.badge_width)})
    tops = sorted({round(layout.margin_top + r * (layout.badge_height + layout.gap_y) + edge, 3)
                   for r in range(layout.rows) for edge in (0, layout.badge_height)})
    left, right, first, last = xs[0], xs[-1], tops[0], tops[-1]
    page_h = layout.page_height
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.25)
    path = canvas.beginPath()
    for x in xs:
        for start, direction in ((first, -1), (last, 1)):
            a = start + direction * CROP_OFFSET
            b = start + direction * (CROP_OFFSET + CROP_LENGTH)
            b = min(max(b, 0.0), page_h)
            path.moveTo(x * mm, (page_h - a) * mm)
            path.lineTo(x * mm, (page_h - b) * mm)
    for top in tops:
        for start, direction in ((left, -1), (right, 1)):
            a = start + direction * CROP_OFFSET
            b = min(max(start + direction * (CROP_OFFSET + CROP_LENGTH), 0.0), layout.page_width)
            path.moveTo(a * mm, (page_h - top) * mm)
            path.lineTo(b * mm, (page_h - top) * mm)
    canvas.drawPath(path, stroke=1, fill=0)


@contextmanager
def plain_streams():
    """Compressed streams without an ASCII85 layer: a quarter smaller, and reportlab's pure-Python
    ASCII85 encoder was a tenth of the time. reportlab reads this setting while saving, so it is
    changed only for the duration of one document."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def new_canvas(buffer: BytesIO, width: float, height: float, title: str) -> Canvas:
    """A canvas whose only font is Noto Sans (no Helvetica in the file), compressed, reproducible."""
    fonts.register()  # once per process: the subset is per document, not per page
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1, invariant=1,
                    initialFontName=fonts.REGULAR, initialFontSize=10)
    canvas.setTitle(title)
    canvas.setCreator("motesplats")
    return canvas


def render_badges(plan: Plan, event: Event, layout: Layout, roles: RoleStyles | None = None,
                  qr: str = "checkin", language: str = "sv") -> bytes:
    """The PDF of every attendee's badge, in surname order, laid out as `layout` says.

    `qr` is 'checkin', 'vcard' or 'none'. A double-sided layout follows each sheet with its
    back: the same badges mirrored left–right, name, organisation and role but no QR code.
    """
    if qr not in QR_KINDS:
        raise ValueError(f"unknown QR kind {qr!r}; use one of {', '.join(QR_KINDS)}")
    with plain_streams():
        return _render_badges(plan, event, layout, roles or load_roles(), qr, language)


def _render_badges(plan: Plan, event: Event, layout: Layout, roles: RoleStyles, qr: str, language: str) -> bytes:
    people = attendees(plan, event, roles)
    buffer = BytesIO()
    title = event.title.get(language, plan.settings.language)
    canvas = new_canvas(buffer, layout.page_width * mm, layout.page_height * mm, title)
    # the event's line takes at most two lines at its smallest size (a word's room spare on each)
    inner = (layout.badge_width - 2 * layout.padding) * mm
    event_text = event_line(plan, event, language, 1.8 * inner, layout.event * 0.8)
    words = {}
    per_page = layout.per_page
    for first in range(0, max(len(people), 1), per_page):
        sheet = people[first:first + per_page]
        sides = (False, True) if layout.double_sided else (False,)
        for back in sides:
            if layout.crop_marks and not back:
                _draw_crop_marks(canvas, layout)
            for index, attendee in enumerate(sheet):
                if attendee.role not in words:
                    words[attendee.role] = roles.word(attendee.role, language)
                x, y = layout.badge_origin(index, back)
                payload = None if back or qr == "none" else qr_payload(event, attendee.person, qr)
                draw_badge(canvas, layout, x, y, attendee.person, words[attendee.role],
                           roles.style(attendee.role), event_text, payload)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


__all__ = ["Attendee", "attendees", "date_span", "fit_text", "qr_payload", "qr_rectangles", "render_badges",
           "sort_key", "vcard"]
