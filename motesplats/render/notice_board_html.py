"""The notice board's page (build/notice-board/index.html): current notices first, then the archive,
in the workspace's language, with links to the minutes, the sealed notices and the board's feeds."""

from __future__ import annotations

from pathlib import Path

from motesplats.render.dates import plain_day
from motesplats.render.labels import label
from motesplats.render.notices import ATOM, CALENDAR, FOLDER, Board
from motesplats.render.templates import environment, templates_used

TEMPLATE = "notice_board.html"
WORDS = ("notice board", "notice board intro", "current notices", "no current notices", "archived notices",
         "no archived notices", "notice of adjustment", "notice adjusted text", "notice adjusted",
         "notice last appeal day", "notice kept at", "notice how to appeal", "notice appeal text", "announcement",
         "announcement text", "meeting time", "link minutes html", "link minutes pdf", "link notice pdf",
         "notices calendar", "notices feed", "notices follow", "organ", "meeting date", "posted", "taken down",
         "place", "agenda items")


def link(path: str) -> str:
    """A path under build/ as the page, in its own folder, links to it."""
    return path.removeprefix(f"{FOLDER}/") if path.startswith(f"{FOLDER}/") else f"../{path}"


def render(board: Board, templates: Path | None) -> bytes:
    language = board.language
    page = environment(templates).get_template(TEMPLATE).render(
        language=language, organisation=board.organisation, current=board.current, archived=board.archived,
        words={key: label(key, language) for key in WORDS}, day=lambda value: plain_day(value, language),
        link=link, atom=link(ATOM), calendar=link(CALENDAR))
    return page.encode("utf-8")


def templates_read(templates: Path | None) -> frozenset[str] | None:
    """The templates the page is made from (None: it cannot be told)."""
    return templates_used(environment(templates), TEMPLATE)
