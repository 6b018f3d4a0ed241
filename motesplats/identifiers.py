"""What an id and an e-mail address look like, and how an id is made from a name.

Both the loaders (importing a participant list) and the validator (checking the workspace's
files) need them, so they live here rather than in either: the pipeline's arrows point one way.
"""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


def slug(name: str) -> str:
    """A person id from a name: 'Åsa Öberg' -> 'asa-oberg'."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
