"""The registry of outputs: every kind of file a build makes, each one entry.

An entry says what it is called, whether it may be published, what each of its files is made
from (as a fingerprint over the plan's parts and the workspace's files it reads) and how to
render it. `motesplats build`, `--only`, `serve --watch` and the single-output commands all find
outputs here; adding an output means one module in this package and one line in `_ENTRIES`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from motesplats.cache import BuildCache
from motesplats.fingerprint import ModelDigests, code_digest, digest_text, files_digest
from motesplats.model import Event, Plan
from motesplats.workspace import Workspace

DEFAULT_BADGE_LAYOUT = "a4-8up"


@dataclass(frozen=True)
class Request:
    """What a build is asked for: which outputs, and for the single-output commands, their options."""

    outputs: tuple[str, ...]
    event_ids: tuple[str, ...] = ()   # only these events' files (all events when empty)
    language: str | None = None       # only this language (each event's own when None)
    paper: str = "A4"
    badge_layout: str = DEFAULT_BADGE_LAYOUT
    qr: str = "checkin"


@dataclass(frozen=True)
class Job:
    """One unit of rendering: the files it writes and the fingerprint of what they are made from."""

    output: str
    subject: tuple[str, ...]   # what to render, in the output's own terms (an event id and a language)
    paths: tuple[str, ...]     # under build/
    fingerprint: str
    label: str                 # shown while it renders


@dataclass
class Context:
    """Everything outputs read during one build; shared with worker processes by forking."""

    workspace: Workspace
    plan: Plan
    request: Request
    now: datetime
    secret: bytes
    cache: BuildCache | None
    sequence_state: dict        # the feeds' state as the check read it (calendars/sequence.json)
    digests: ModelDigests = field(default_factory=ModelDigests)
    shared: dict = field(default_factory=dict)  # per-build values an output computes once

    @property
    def templates(self) -> Path:
        return self.workspace.root / "templates"

    def events(self) -> list[Event]:
        """The events this build is for: those requested, or all."""
        if not self.request.event_ids:
            return list(self.plan.events)
        wanted = set(self.request.event_ids)
        return [event for event in self.plan.events if event.id in wanted]

    def event(self, event_id: str) -> Event:
        by_id = self.shared.get("events by id")
        if by_id is None:
            by_id = self.shared["events by id"] = {event.id: event for event in self.plan.events}
        return by_id[event_id]

    def languages(self, event: Event) -> tuple[str, ...]:
        return (self.request.language,) if self.request.language else event.languages

    def fingerprint(self, *parts: object) -> str:
        """A fingerprint over the code, the workspace's settings and `parts` (model values or strings)."""
        base = self.shared.get("base")
        if base is None:
            base = self.shared["base"] = digest_text(code_digest(), self.digests.of(self.plan.settings))
        return digest_text(base, *(self.digests.of(part) for part in parts))

    def template_files(self, *, excluding: tuple[str, ...] = ()) -> str:
        """The digest of the workspace's template overrides, but those under the `excluding` paths."""
        key = ("templates", excluding)
        if key not in self.shared:
            files = [path for path in self.workspace.template_files()
                     if not any(path.relative_to(self.templates).as_posix().startswith(prefix) for prefix in excluding)]
            self.shared[key] = files_digest(files, self.templates)
        return self.shared[key]


class Output:
    """One kind of output. Subclasses set the names and implement `jobs` and `render`."""

    name = ""
    folder = ""         # where under build/ its files go ("" for the top)
    published = True    # may go to the public web; False: for printing only, never served
    in_parent = False   # rendered by the build's own process, not by worker processes
    owned_folders: tuple[str, ...] = ()  # under build/, written by it alone: files there it no longer makes go

    def jobs(self, context: Context) -> list[Job]:
        """Every file this output makes for the request, with its fingerprint; renders nothing."""
        raise NotImplementedError

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        """The bytes of `job`'s files."""
        raise NotImplementedError

    def state_files(self, context: Context) -> list[tuple[Path, bytes]]:
        """Files outside build/ that the workspace keeps (written before the outputs); none by default."""
        return []

    def after_commit(self, context: Context) -> None:
        """Keep what this output learned in the cache, once its files are in place."""


# name -> where its entry lives; an entry's module (and its renderers) is imported only when used,
# so a build with nothing to do does not pay for loading reportlab.
_ENTRIES = {
    "feeds": "motesplats.outputs.feeds:Feeds",
    "page": "motesplats.outputs.page:SubscriptionPage",
    "programmes": "motesplats.outputs.programmes:Programmes",
    "minutes": "motesplats.outputs.minutes:Minutes",
    "badges": "motesplats.outputs.badges:Badges",
    "table-cards": "motesplats.outputs.badges:TableCards",
    "year-wheel": "motesplats.outputs.year_wheel:YearWheel",
    "notice-board": "motesplats.outputs.notice_board:NoticeBoard",
}
NAMES: tuple[str, ...] = tuple(_ENTRIES)
_LOADED: dict[str, Output] = {}


def output(name: str) -> Output:
    """The registry's entry called `name` (one of NAMES)."""
    if name not in _LOADED:
        module, _, attribute = _ENTRIES[name].partition(":")
        _LOADED[name] = getattr(importlib.import_module(module), attribute)()
    return _LOADED[name]
