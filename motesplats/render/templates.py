"""The Jinja2 environment shared by HTML renderers: built-in templates, overridable per file.

A workspace's templates/ folder is searched first, so an organiser overrides one template by
saving a file of the same name there. Autoescaping is on: text from the data is never markup.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape


def environment(overrides: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(overrides))] if overrides and overrides.is_dir() else []
    loaders.append(PackageLoader("motesplats", "data/templates"))
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
