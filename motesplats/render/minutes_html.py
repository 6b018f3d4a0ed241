"""The minutes as a web page, from the built-in template `minutes.html` (or the workspace's own)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment

from motesplats.render.minutes import MinutesDocument, paragraph_rows, present_rows
from motesplats.render.templates import environment, overrides_signature, templates_used

TEMPLATE = "minutes.html"
OTHER_OUTPUTS_TEMPLATES = ("subscribe.html",)


def render(document: MinutesDocument, templates: Path | None) -> bytes:
    """The minutes as UTF-8 HTML; `templates` is the workspace's templates/ folder (or None)."""
    folder = templates if templates is not None and templates.is_dir() else None
    template = _environment(folder, overrides_signature(folder)).get_template(TEMPLATE)
    signers = [(document.secretary, document.word("secretary"))]
    if document.chair:
        signers.append((document.chair, document.word("chair")))
    signers += [(person, document.word("adjusters")) for person in document.adjusters]
    return template.render(
        m=document, present=present_rows(document), signers=signers,
        paragraphs=[{"paragraph": p, "rows": paragraph_rows(document, p)} for p in document.paragraphs],
    ).encode("utf-8")


def templates_read(templates: Path | None) -> frozenset[str] | None:
    """The templates the minutes page is made from (None: it cannot be told)."""
    folder = templates if templates is not None and templates.is_dir() else None
    return templates_used(_environment(folder, overrides_signature(folder)), TEMPLATE)


@lru_cache(maxsize=8)
def _environment(templates: Path | None, signature: tuple) -> Environment:
    return environment(templates, hidden=OTHER_OUTPUTS_TEMPLATES)
