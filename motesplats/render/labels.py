"""Words the toolkit itself prints, in each language it speaks; organisers' own text stays in data."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "conference": {"sv": "konferens", "en": "conference", "fr": "conférence"},
    "formal_meeting": {"sv": "sammanträde", "en": "meeting", "fr": "réunion"},
    "festival_week": {"sv": "politikervecka", "en": "political week", "fr": "semaine politique"},
    "study_trip": {"sv": "studieresa", "en": "study trip", "fr": "voyage d'études"},
    "ceremony": {"sv": "ceremoni", "en": "ceremony", "fr": "cérémonie"},
    "tentative": {"sv": "preliminärt", "en": "tentative", "fr": "provisoire"},
    "cancelled": {"sv": "inställt", "en": "cancelled", "fr": "annulé"},
    "sessions": {"sv": "programpunkter", "en": "sessions", "fr": "séances"},
    "agenda items": {"sv": "ärenden", "en": "agenda items", "fr": "points à l'ordre du jour"},
    "legs": {"sv": "resor", "en": "travel legs", "fr": "trajets"},
    "nothing planned": {"sv": "Inget planerat.", "en": "Nothing planned.", "fr": "Rien de prévu."},
    "whole day": {"sv": "heldag", "en": "all day", "fr": "toute la journée"},
}


def label(key: str, language: str) -> str:
    """The toolkit's word for `key` in `language`, falling back to English."""
    words = LABELS[key]
    return words.get(language, words["en"])
