"""`motesplats build`: check the workspace, render every output, and write what changed — or nothing.

Every output is rendered in memory first; only when all renderers have succeeded are files
replaced, each atomically, so a subscriber never downloads a half-written feed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from motesplats.model import Event, Plan
from motesplats.problems import ProblemsFound
from motesplats.render import badges_pdf, feeds, programme_html, programme_pdf, subscription_page, table_cards_pdf
from motesplats.render.programme import build_programme
from motesplats.validate import check_workspace
from motesplats.workspace import Workspace
from motesplats.write import prune, replace_atomically, write_files

SECRET_FILE = ".motesplats-secret"
BADGES_FOLDER = "badges"  # names of everyone attending: never published (serve refuses it)
DEFAULT_BADGE_LAYOUT = "a4-8up"


@dataclass(frozen=True)
class BuildReport:
    plan: Plan
    written: list[str]    # paths under build/ whose bytes changed
    unchanged: int        # outputs left as they were
    removed: list[str]    # stale outputs deleted (personal feeds of a rotated secret, removed people)
    warnings: tuple


OUTPUTS = ("feeds", "programmes", "badges")


def build(workspace: Workspace, now: datetime | None = None, outputs: tuple[str, ...] = OUTPUTS) -> BuildReport:
    """Build the outputs of the workspace into build/; raise ProblemsFound and write nothing on errors.

    `outputs` picks among feeds (with personal feeds and the subscription page), programmes and
    badges; the sequence state of the feeds is only touched when feeds are built.
    """
    checked = check_workspace(workspace)
    if checked.plan is None:
        raise ProblemsFound(list(checked.errors))
    plan = checked.plan
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    state_file = workspace.root / feeds.STATE_FILE
    state = feeds.load_state(state_file.read_text(encoding="utf-8") if state_file.is_file() else None)
    secret = workspace_secret(workspace)

    templates = workspace.root / "templates"
    files: dict[str, bytes] = {}
    if "feeds" in outputs:
        rendered = feeds.render(plan, state, now, secret)
        files |= rendered.files
        files["index.html"] = subscription_page.render(plan, templates)
    if "badges" in outputs:  # read the layout and role files once, not once per event
        layout = badges_pdf.load_layout(DEFAULT_BADGE_LAYOUT, templates)
        roles = badges_pdf.load_roles(templates)
    for event in plan.events:
        if "programmes" in outputs:
            for language in event.languages:
                files |= programme_files(plan, event, language, "A4", templates)
        if "badges" in outputs:
            files |= badge_files(plan, event, layout, roles)

    written = write_files(workspace.build_dir, files)
    removed = []
    if "feeds" in outputs:
        removed = prune(workspace.build_dir, feeds.PERSONAL_FOLDER, keep=set(files))
        new_state = feeds.dump_state(rendered.state)
        if not state_file.is_file() or state_file.read_bytes() != new_state:
            replace_atomically(state_file, new_state)
    return BuildReport(plan, written, len(files) - len(written), removed, checked.warnings)


def programme_files(plan: Plan, event: Event, language: str, paper: str, templates: Path) -> dict[str, bytes]:
    """The printed (PDF) and web (HTML) programme of one event in one language."""
    programme = build_programme(plan, event, language)
    stem = f"programmes/{event.id}.{language}"
    signed_by = event.organiser.name if event.organiser else plan.settings.organisation
    return {f"{stem}.pdf": programme_pdf.render(programme, paper, signed_by),
            f"{stem}.html": programme_html.render(programme, templates, signed_by)}


def badge_files(plan: Plan, event: Event, layout: badges_pdf.Layout, roles: badges_pdf.RoleStyles,
                qr: str = "checkin", language: str | None = None) -> dict[str, bytes]:
    """Badges for everyone attending, and for ceremonies the dinner's table cards (none if nobody attends)."""
    if not badges_pdf.attendees(plan, event, roles):
        return {}
    language = language or event.languages[0]
    files = {f"{BADGES_FOLDER}/{event.id}.pdf": badges_pdf.render_badges(plan, event, layout, roles, qr, language)}
    if event.kind == "ceremony":
        files[f"{BADGES_FOLDER}/{event.id}.table-cards.pdf"] = table_cards_pdf.render_table_cards(
            plan, event, "A4", language, roles)
    return files


def workspace_secret(workspace: Workspace) -> bytes:
    """The key behind personal feed names, created on first use and kept out of git.

    Replacing the file (`motesplats rotate-secret`) gives every personal feed a new name and the
    next build deletes the old ones, revoking every link handed out before.
    """
    path = workspace.root / SECRET_FILE
    if not path.is_file():
        write_secret(path)
    return path.read_text(encoding="ascii").strip().encode()


def write_secret(path: Path) -> None:
    replace_atomically(path, (secrets.token_hex(32) + "\n").encode("ascii"), mode=0o600)
