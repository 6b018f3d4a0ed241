"""What an id, an e-mail address and a web address look like, and how an id is made from a name.

Both the loaders (importing a participant list) and the validator (checking the workspace's
files) need them, so they live here rather than in either: the pipeline's arrows point one way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import urlsplit

from anyascii import anyascii

# Used with fullmatch, never match: Python's $ also matches before a final line break, and an id
# or address with one would name files and calendar entries with a line break in them.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EMAIL_PATTERN = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and line breaks
LINE_BREAK = re.compile(r"[\n\r\x85\u2028\u2029]")
URL_SCHEMES = ("http", "https", "mailto")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def url_problem(value: str, web_only: bool = False) -> str:
    """What is wrong with `value` as an address that feeds and pages link to; "" when nothing is.

    Only http, https and mailto are accepted (never javascript: or data:), and no spaces or
    control characters: a line break in a URL would end the line of a calendar file and let
    the rest of the value write entries of its own.
    """
    if _CONTROL_OR_SPACE.search(value):
        return "holds a space, a line break or another control character"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a web address"
    schemes = URL_SCHEMES[:2] if web_only else URL_SCHEMES
    if parts.scheme.lower() not in schemes:
        named = [f"{scheme}:" for scheme in schemes]
        return f"must begin with {', '.join(named[:-1])} or {named[-1]}"
    if parts.scheme.lower() != "mailto" and not parts.hostname:
        return "has no host name"
    if parts.scheme.lower() == "mailto" and not EMAIL_PATTERN.fullmatch(parts.path):
        return "is not a mailto: address"
    return ""


def control_character_problem(value: str, one_line: bool = False) -> str:
    """What is wrong with text that holds a control character (NUL, ESC ...); "" when it holds none.

    Such characters print as nothing or as boxes, and sent raw to a terminal they can rewrite
    what it shows. In `one_line` text (a name, an id, a title) line breaks count as well,
    U+2028 and U+2029 among them: a heading or a file name cannot hold one.
    """
    found = CONTROL_CHARACTER.search(value)
    if found:
        return f"holds the control character U+{ord(found.group()):04X}"
    found = LINE_BREAK.search(value) if one_line else None
    return f"holds a line break (U+{ord(found.group()):04X}) but is one line of text" if found else ""


def length_problem(value: str, limit: int) -> str:
    """What is wrong with text longer than `limit` characters; "" when it is not."""
    return f"is {len(value)} characters; at most {limit}" if len(value) > limit else ""


def unguessable(secret: bytes, key: str) -> str:
    """A stable name for a private file: an HMAC of `key`, so only the secret's holder can work it out."""
    return hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def slug(name: str) -> str:
    """A person id from a name in any script: 'Åsa Öberg' -> 'asa-oberg', 'Weiß' -> 'weiss',
    'Γιώργος Παπαδόπουλος' -> 'giorgos-papadopoylos' (transliterated by anyascii, so nobody's name
    is refused for its script)."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-")


def uid_host(base_url: str) -> str:
    """The host of the workspace's public address: calendar UIDs are globally unique under it."""
    return urlsplit(base_url).hostname or "motesplats.invalid"
