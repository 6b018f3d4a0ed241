"""The Jinja2 environment shared by HTML renderers: built-in templates, overridable per file.

A workspace's templates/ folder is searched first, so an organiser overrides one template by
saving a file of the same name there. Autoescaping is on: text from the data is never markup.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import (BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined,
                    TemplateError, TemplateNotFound, TemplateSyntaxError, meta, select_autoescape)
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from motesplats.problems import Problem
from motesplats.workspace import Workspace

__all__ = ["TemplateError", "environment", "overrides_signature", "template_problem", "templates_used"]


def environment(overrides: Path | None, hidden: tuple[str, ...] = ()) -> Environment:
    """The environment for the workspace `overrides` folder over the built-in templates.

    Sandboxed, because a workspace may come from someone else: its templates can format what the
    renderer hands them but cannot reach Python's internals. Templates named in `hidden` cannot
    be loaded at all: each output's fingerprint covers the templates it can load, and no more.
    """
    loaders = [FileSystemLoader(str(overrides))] if overrides and overrides.is_dir() else []
    loaders.append(PackageLoader("motesplats", "data/templates"))
    loader: BaseLoader = ChoiceLoader(loaders)
    if hidden:
        loader = _Hiding(loader, hidden)
    return SandboxedEnvironment(loader=loader, autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def overrides_signature(overrides: Path | None) -> tuple:
    """The override files' names, sizes and dates: a new environment is needed when they change.

    (Jinja reloads a template whose own file changed, but not one that a newly added override
    now replaces.)
    """
    if not overrides or not overrides.is_dir():
        return ()
    files = sorted(path for path in overrides.rglob("*.html") if path.is_file())
    return tuple((path.relative_to(overrides).as_posix(), path.stat().st_size, path.stat().st_mtime_ns)
                 for path in files)


def templates_used(env: Environment, name: str) -> frozenset[str] | None:
    """`name` and every template it extends, includes or imports, however deep; None when one of
    them picks a template by a value known only when it renders, or cannot be parsed (then any
    could be used; rendering reports the syntax error)."""
    seen: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = env.loader.get_source(env, current)
        try:
            parsed = env.parse(source)
        except TemplateSyntaxError:
            return None
        for referenced in meta.find_referenced_templates(parsed):
            if referenced is None:
                return None
            waiting.append(referenced)
    return frozenset(seen)


def template_problem(error: TemplateError, workspace: Workspace) -> Problem:
    """A template error as the organiser can act on it: the template file, its line, what is wrong."""
    file, line = "templates", 1
    if isinstance(error, TemplateSyntaxError) and error.filename:
        file, line = error.filename, error.lineno or 1
    else:  # Jinja's tracebacks name the template file and line where rendering failed
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith((".html", ".txt")):
                file, line = frame.filename, frame.lineno or 1
                break
    shown = workspace.shown(Path(file)) if file != "templates" else file
    if isinstance(error, SecurityError):
        return Problem(shown, line, f"the template does what templates may not: {error}",
                       "templates can show the values they are given, not reach Python's internals")
    return Problem(shown, line, f"the template cannot be used: {error.message or error}",
                   "fix it, or delete it to use the built-in template")


class _Hiding(BaseLoader):
    """A loader that acts as if some templates did not exist."""

    def __init__(self, loader: BaseLoader, hidden: tuple[str, ...]):
        self.loader, self.hidden = loader, hidden

    def get_source(self, environment: Environment, template: str):
        if template in self.hidden:
            raise TemplateNotFound(template)
        return self.loader.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return [name for name in self.loader.list_templates() if name not in self.hidden]
