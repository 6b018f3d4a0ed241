"""Badge layouts and role styles: how badges sit on the paper and what each role's band looks like.

Both are data an organiser may edit without code: layouts in motesplats/data/badges/layouts/*.toml
or the workspace's templates/badges/layouts/, and the roles' words and band colours in
motesplats/data/badges/roles.toml, overridable role by role in templates/badges/roles.toml.
The badge renderer draws with them and `motesplats check` reports what is wrong in them, so
they live outside render/: the validator must not import a renderer.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

from reportlab.lib.units import mm

from motesplats.load.files import read_text
from motesplats.problems import Problem, ProblemsFound, Severity

STAFF_ROSTER = "staff"
STAFF_ROLE = "personal"  # the staff roster's badges all show this role, whatever the roster says
MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text
CROP_OFFSET, CROP_LENGTH = 2.0, 5.0  # mm: gap between the grid and a mark, and the mark's length


# ---------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """How badges sit on the paper, in millimetres (fonts in points). Read from a TOML file."""

    name: str
    page_width: float
    page_height: float
    badge_width: float
    badge_height: float
    columns: int = 1
    rows: int = 1
    margin_left: float = 0.0
    margin_top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0
    crop_marks: bool = False
    double_sided: bool = False
    name_max: float = 24.0
    name_min: float = 14.0
    organisation: float = 9.0
    title: float = 8.0
    event: float = 7.0
    role: float = 11.0
    padding: float = 5.0
    top_reserve: float = 0.0
    band_height: float = 10.0
    qr_size: float = 17.0
    description: str = ""
    source: str = ""

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def badge_origin(self, index: int, back: bool = False) -> tuple[float, float]:
        """Bottom-left corner (pt) of the `index`-th badge of a sheet; backs mirrored left–right."""
        column, row = index % self.columns, index // self.columns
        x = self.margin_left + column * (self.badge_width + self.gap_x)
        if back:  # a long-edge flip puts the front's x on the back at page width − x − width
            x = self.page_width - x - self.badge_width
        top = self.margin_top + row * (self.badge_height + self.gap_y)
        return x * mm, (self.page_height - top - self.badge_height) * mm


# TOML table -> the Layout fields it may hold
_LAYOUT_TABLES = {
    "page": {"width": "page_width", "height": "page_height"},
    "badge": {"width": "badge_width", "height": "badge_height", "columns": "columns", "rows": "rows"},
    "sheet": {"margin_left": "margin_left", "margin_top": "margin_top", "gap_x": "gap_x", "gap_y": "gap_y",
              "crop_marks": "crop_marks", "double_sided": "double_sided"},
    "text": {"name_max": "name_max", "name_min": "name_min", "organisation": "organisation", "title": "title",
             "event": "event", "role": "role"},
    "parts": {"padding": "padding", "top_reserve": "top_reserve", "band_height": "band_height",
              "qr_size": "qr_size"},
}
_REQUIRED = ("page_width", "page_height", "badge_width", "badge_height")


def _builtin_folder():
    return resources.files("motesplats") / "data" / "badges"


def _layout_files(templates: Path | None) -> dict[str, tuple[str | Problem, str]]:
    """Layout name -> (text, file as shown); workspace files replace built-in ones of the same name."""
    files: dict[str, tuple[str, str]] = {}
    for entry in (_builtin_folder() / "layouts").iterdir():
        if entry.name.endswith(".toml"):
            files[entry.name[:-5]] = (entry.read_text(encoding="utf-8"), f"(built-in) layouts/{entry.name}")
    folder = templates / "badges" / "layouts" if templates else None
    if folder and folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            shown = _shown(path, templates)
            files[path.stem] = (read_text(path, shown), shown)
    return files


def _shown(path: Path, templates: Path | None) -> str:
    try:
        return path.relative_to(templates.parent).as_posix() if templates else str(path)
    except ValueError:
        return str(path)


def layout_names(templates: Path | None = None) -> list[str]:
    """Every layout available: the built-in ones and the workspace's own."""
    return sorted(_layout_files(templates))


def load_layout(name: str, templates: Path | None = None) -> Layout:
    """The layout called `name` (templates/badges/layouts/NAME.toml first, then the built-in).

    Raises ProblemsFound listing everything wrong with the file, or that no such layout exists.
    """
    files = _layout_files(templates)
    if name not in files:
        raise ProblemsFound([Problem("templates/badges/layouts", 0, f"no badge layout called {name!r}",
                                     "choose one of " + ", ".join(sorted(files)))])
    text, shown = files[name]
    layout, problems = _parse_layout(name, text, shown)
    if layout is None or any(p.severity is Severity.ERROR for p in problems):
        raise ProblemsFound(problems)
    return layout


def layout_problems(templates: Path | None = None) -> list[Problem]:
    """Everything wrong in the workspace's layout files and roles.toml, for `motesplats check`."""
    problems: list[Problem] = []
    for name, (text, shown) in sorted(_layout_files(templates).items()):
        problems.extend(_parse_layout(name, text, shown)[1])
    problems.extend(load_roles(templates).problems)
    return problems


def _line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            return number
    return 1


def _parse_layout(name: str, text: str | Problem, shown: str) -> tuple[Layout | None, list[Problem]]:
    if isinstance(text, Problem):
        return None, [text]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or 1
        return None, [Problem(shown, line, f"cannot read the layout: {error}", "fix the TOML syntax")]
    problems: list[Problem] = []
    values: dict[str, object] = {"name": name, "source": shown, "description": str(data.get("description", ""))}
    types = {f.name: f.type for f in fields(Layout)}
    for table, value in data.items():
        if table == "description":
            continue
        if table not in _LAYOUT_TABLES or not isinstance(value, dict):
            problems.append(Problem(shown, _line_of(text, f"[{table}"), f"unknown part {table!r} in a badge layout",
                                    "the parts are " + ", ".join(f"[{t}]" for t in _LAYOUT_TABLES)))
            continue
        for key, item in value.items():
            target = _LAYOUT_TABLES[table].get(key)
            if target is None:
                problems.append(Problem(shown, _line_of(text, key), f"unknown key {key!r} in [{table}]",
                                        "known keys: " + ", ".join(_LAYOUT_TABLES[table])))
                continue
            expected = types[target]
            ok = (isinstance(item, bool) if expected == "bool" else
                  isinstance(item, int) and not isinstance(item, bool) if expected == "int" else
                  isinstance(item, (int, float)) and not isinstance(item, bool))
            if not ok:
                problems.append(Problem(shown, _line_of(text, key), f"[{table}] {key} must be a {expected}",
                                        f"not {item!r}"))
                continue
            values[target] = float(item) if expected == "float" else item
    for required in _REQUIRED:
        if required not in values:
            table, key = next((t, k) for t, keys in _LAYOUT_TABLES.items() for k, v in keys.items() if v == required)
            problems.append(Problem(shown, 1, f"the layout has no [{table}] {key}", "give it in millimetres"))
    if problems:
        return None, problems
    layout = Layout(**values)  # type: ignore[arg-type]
    problems.extend(_geometry_problems(layout, text))
    return layout, problems


def _geometry_problems(layout: Layout, text: str) -> list[Problem]:
    """Badges must lie on the page, crop marks in the margins, and the parts must fit a badge."""
    problems = []
    at = layout.source
    if layout.columns < 1 or layout.rows < 1:
        problems.append(Problem(at, _line_of(text, "columns"), "columns and rows must be at least 1"))
        return problems
    right = layout.margin_left + layout.columns * layout.badge_width + (layout.columns - 1) * layout.gap_x
    bottom = layout.margin_top + layout.rows * layout.badge_height + (layout.rows - 1) * layout.gap_y
    if right > layout.page_width + 1e-6 or bottom > layout.page_height + 1e-6 or min(
            layout.margin_left, layout.margin_top, layout.gap_x, layout.gap_y) < 0:
        problems.append(Problem(at, _line_of(text, "[sheet]"),
                                f"the badges do not fit the page: they reach {right:g} × {bottom:g} mm "
                                f"on a {layout.page_width:g} × {layout.page_height:g} mm page",
                                "make margins, gaps or the badge smaller, or the page larger"))
    if layout.crop_marks:
        room = min(layout.margin_left, layout.margin_top, layout.page_width - right, layout.page_height - bottom)
        if room < CROP_OFFSET + 1:
            problems.append(Problem(at, _line_of(text, "crop_marks"),
                                    f"crop marks need at least {CROP_OFFSET + 1:g} mm of margin round the badges, "
                                    f"there are {room:g} mm", "set crop_marks = false or widen the margins"))
    if layout.name_min > layout.name_max:
        problems.append(Problem(at, _line_of(text, "name_min"), "name_min is larger than name_max"))
    content = layout.badge_height - layout.top_reserve - layout.band_height - 2 * layout.padding
    if content < layout.qr_size or layout.badge_width - 2 * layout.padding < layout.qr_size + 20:
        problems.append(Problem(at, _line_of(text, "qr_size"), "the QR code and band leave no room for the name",
                                "make qr_size, band_height or padding smaller"))
    return problems


# ---------------------------------------------------------------- roles


@dataclass(frozen=True)
class RoleStyle:
    """A role's band: its word in each language, band and text colours (#RRGGBB) and its rank."""

    key: str
    words: tuple[tuple[str, str], ...]
    band: str
    text: str
    rank: int


@dataclass(frozen=True)
class RoleStyles:
    """All roles' bands, with the problems found reading them (warnings: the badges still print)."""

    styles: dict[str, RoleStyle]
    default: RoleStyle
    problems: tuple[Problem, ...] = ()

    def style(self, role: str) -> RoleStyle:
        return self.styles.get(role) or self.styles.get(role.casefold()) or RoleStyle(
            role, (), self.default.band, self.default.text, self.default.rank)

    def rank(self, role: str) -> int:
        return self.style(role).rank

    def word(self, role: str, language: str) -> str:
        """The band's word: in `language`, else Swedish, else English, else the role as written."""
        words = dict(self.style(role).words)
        return words.get(language) or words.get("sv") or words.get("en") or role[:1].upper() + role[1:]


_HEX_COLOUR = re.compile(r"#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


def parse_colour(colour: str) -> tuple[float, float, float] | None:
    """#RRGGBB (or #RGB) as red, green and blue from 0 to 1; None if it is neither."""
    match = _HEX_COLOUR.fullmatch(colour)  # int(..., 16) alone would take "+1", " 1" and "1_0"
    if not match:
        return None
    value = match.group(1)
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two #RRGGBB colours, from 1 to 21."""
    light, dark = sorted((_luminance(parse_colour(first)), _luminance(parse_colour(second))),  # type: ignore[arg-type]
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_text(band: str, text: str) -> str:
    """`text` if it has a contrast of at least 4.5:1 on `band`, else black or white, whichever is higher."""
    if contrast(band, text) >= MIN_CONTRAST:
        return text
    return max(("#000000", "#FFFFFF"), key=lambda candidate: contrast(band, candidate))


def load_roles(templates: Path | None = None) -> RoleStyles:
    """The built-in roles.toml with the workspace's templates/badges/roles.toml laid over it, role by role."""
    sources = [((_builtin_folder() / "roles.toml").read_text(encoding="utf-8"), "(built-in) roles.toml")]
    override = templates / "badges" / "roles.toml" if templates else None
    if override and override.is_file():
        text = read_text(override, _shown(override, templates))
        if isinstance(text, Problem):
            roles = _roles_from(sources)
            return replace(roles, problems=(*roles.problems, text))
        sources.append((text, _shown(override, templates)))
    return _roles_from(sources)


def _roles_from(sources: list[tuple[str, str]]) -> RoleStyles:
    problems: list[Problem] = []
    raw: dict[str, dict] = {}
    where: dict[str, tuple[str, str, str]] = {}  # role -> (text, file, header) of its last definition
    default: dict = {}
    for text, shown in sources:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            problems.append(Problem(shown, getattr(error, "lineno", None) or 1, f"cannot read the roles: {error}",
                                    "fix the TOML syntax"))
            continue
        for key in data:
            if key not in ("default", "role"):
                problems.append(Problem(shown, _line_of(text, key), f"unknown part {key!r} in roles.toml",
                                        "use [default] and [role.\"NAME\"]"))
        if isinstance(data.get("default"), dict):
            default.update(data["default"])
            where["\0default"] = (text, shown, "[default]")
        for role, values in (data.get("role") or {}).items():
            if not isinstance(values, dict):
                continue
            merged = raw.setdefault(role, {})
            merged.update(values)
            if "word" in values and isinstance(values["word"], dict):
                merged["word"] = {**raw.get(role, {}).get("word", {}), **values["word"]}
            where[role] = (text, shown, role)

    def style(key: str, values: dict, fallback: dict) -> RoleStyle:
        text, shown, header = where.get(key, ("", "roles.toml", key))
        line = _line_of(text, header) if text else 1
        band = str(values.get("band", fallback.get("band", "#455A64")))
        ink = str(values.get("text", fallback.get("text", "#FFFFFF")))
        if parse_colour(band) is None:
            problems.append(Problem(shown, line, f"role {key!r}: band colour {band!r} is not #RRGGBB",
                                    "using the default band"))
            band = "#455A64"
        if parse_colour(ink) is None:
            problems.append(Problem(shown, line, f"role {key!r}: text colour {ink!r} is not #RRGGBB",
                                    "using black or white"))
            ink = "#000000"
        chosen = readable_text(band, ink)
        if chosen != ink:
            problems.append(Problem(
                shown, line,
                f"role {key!r}: text {ink} on band {band} has a contrast of {contrast(band, ink):.1f}:1, "
                f"below {MIN_CONTRAST}:1", f"printing the word in {chosen} ({contrast(band, chosen):.1f}:1) instead",
                Severity.WARNING))
        words = values.get("word", {})
        words = tuple((str(k), str(v)) for k, v in words.items()) if isinstance(words, dict) else ()
        rank = values.get("rank", fallback.get("rank", 10))
        return RoleStyle(key, words, band.upper(), chosen.upper(), int(rank) if isinstance(rank, int) else 10)

    default_style = style("\0default", default, {})
    default_values = {"band": default_style.band, "text": default_style.text, "rank": default_style.rank}
    styles = {key: style(key, values, default_values) for key, values in raw.items()}
    return RoleStyles(styles, default_style, tuple(problems))


__all__ = ["CROP_LENGTH", "CROP_OFFSET", "Layout", "MIN_CONTRAST", "RoleStyle", "RoleStyles", "STAFF_ROLE",
           "STAFF_ROSTER", "contrast", "layout_names", "layout_problems", "load_layout", "load_roles",
           "parse_colour", "readable_text"]
