"""The Jinja2 environment shared by HTML renderers: built-in templates, overridable per file.

A workspace's templates/ folder is searched first, so an organiser overrides one template by
saving a file of the same name there. Autoescaping is on: text from the data is never markup.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import (BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined,
                    TemplateError, TemplateNotFound, TemplateSyntaxError, meta, nodes, select_autoescape)
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from motesplats.load.files import read_text
from motesplats.problems import Problem
from motesplats.workspace import Workspace

__all__ = ["TemplateError", "environment", "overrides_signature", "template_problem", "templates_used",
           "workspace_template_problems"]

TEMPLATE_SUFFIXES = (".html", ".txt")  # the rest of templates/ (badge layouts, roles) is not Jinja
LARGEST_TEMPLATE = 1024 * 1024  # the built-in programme template, the largest, is 12 kB


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


def workspace_template_problems(workspace: Workspace) -> list[Problem]:
    """What is wrong with the workspace's own templates, found without rendering them: a file too
    large, a syntax error, or a template that extends, includes or imports itself (however
    indirectly), which would recurse until Python gives up."""
    folder = workspace.root / "templates"
    env = environment(folder)
    problems: list[Problem] = []
    references: dict[str, list[tuple[str, int]]] = {}
    for file in workspace.template_files():
        if file.suffix not in TEMPLATE_SUFFIXES:
            continue
        text = read_text(file, workspace.shown(file), largest=LARGEST_TEMPLATE)
        if isinstance(text, Problem):
            problems.append(text)
            continue
        name = file.relative_to(folder).as_posix()
        try:
            references[name] = _references(env.parse(text, name, str(file)))
        except TemplateSyntaxError as error:
            problems.append(template_problem(error, workspace))
    for name in list(references):  # the workspace's own; built-ins are added as they are reached
        line = _line_reaching(name, references, env)
        if line:
            problems.append(Problem(workspace.shown(folder / name), line, f"the template {name} uses itself, "
                                    "through this line: rendering it would never end",
                                    "extend or include another template; a workspace template replaces "
                                    "the built-in one of the same name, so it cannot extend that one"))
    return problems


def _references(parsed: nodes.Template) -> list[tuple[str, int]]:
    """The templates a parsed template names in extends, include and import tags, with their lines
    (one chosen by a value known only when it renders is not followed)."""
    tags = parsed.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport))
    return [(tag.template.value, tag.lineno) for tag in tags
            if isinstance(tag.template, nodes.Const) and isinstance(tag.template.value, str)]


def _line_reaching(name: str, known: dict[str, list[tuple[str, int]]], env: Environment) -> int:
    """The line of `name` whose tag leads back to `name` itself; 0 when none does."""
    for first, line in known[name]:
        seen: set[str] = set()
        waiting = [first]
        while waiting:
            current = waiting.pop()
            if current == name:
                return line
            if current in seen:
                continue
            seen.add(current)
            if current not in known:  # a built-in template: parsed once, when first reached
                try:
                    source, _, _ = env.loader.get_source(env, current)
                    known[current] = _references(env.parse(source))
                except (TemplateNotFound, TemplateSyntaxError):
                    known[current] = []
            waiting += [referenced for referenced, _ in known[current]]
    return 0


def template_problem(error: TemplateError | RecursionError, workspace: Workspace) -> Problem:
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
    if isinstance(error, RecursionError):
        return Problem(shown, line, "the template calls itself without end (a macro or block that uses itself)",
                       "fix it, or delete it to use the built-in template")
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
