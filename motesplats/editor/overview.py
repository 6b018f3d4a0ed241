"""What the editor shows around its forms, read from the files and the checked plan: the year's
events (where each is written), and the people, venues, rooms and rosters fields choose from."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time

from motesplats.model import Plan


def as_json(value: object) -> object:
    """TOML data as the page reads it: dates and times as ISO text, everything else as it is."""
    if isinstance(value, dict):
        return {key: as_json(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [as_json(inner) for inner in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def year_events(files: dict[str, dict]) -> list[dict]:
    """Every event of the events files (shown path -> data), with [defaults] applied, by start."""
    found = []
    for shown, data in files.items():
        if not shown.startswith("events/"):
            continue
        defaults = data.get("defaults") if isinstance(data.get("defaults"), dict) else {}
        events = data.get("event") if isinstance(data.get("event"), list) else []
        for index, event in enumerate(events):
            if not isinstance(event, dict):
                continue
            merged = {**defaults, **event}
            found.append({
                "id": str(merged.get("id", "")), "file": shown, "index": index,
                "kind": str(merged.get("kind", "")), "status": str(merged.get("status", "confirmed")),
                "title": as_json(merged.get("title", "")),
                "start": as_json(merged.get("start", "")), "end": as_json(merged.get("end", "")),
                "venue": str(merged.get("venue", "")),
                "sessions": len(event.get("session", [])) if isinstance(event.get("session"), list) else 0,
                "agenda": len(event.get("agenda", [])) if isinstance(event.get("agenda"), list) else 0,
            })
    return sorted(found, key=lambda e: (str(e["start"]), e["id"]))


def choices(plan: Plan | None, settings: dict) -> dict:
    """What reference fields choose from, by what they refer to; from the last plan that checked."""
    audiences = [a for a in settings.get("audiences", []) if isinstance(a, str)]
    if plan is None:
        return {"person": [], "venue": [], "room": [], "roster": [], "audience": _plain(audiences),
                "organiser": [], "event": [], "zones": {}, "rosters": []}
    language = plan.settings.languages[0]
    return {
        "person": [{"id": p.id, "name": p.name, "detail": p.organisation or p.title} for p in plan.people],
        "venue": [{"id": v.id, "name": v.name, "detail": v.city, "zone": v.time_zone} for v in plan.venues],
        "room": [{"id": r.id, "name": r.name, "detail": v.name, "venue": v.id} for v in plan.venues for r in v.rooms],
        "roster": [{"id": r.id, "name": r.title.get(language), "detail": f"{len(r.members)}"} for r in plan.rosters],
        "audience": _plain(plan.settings.audiences),
        "organiser": [{"id": o.id, "name": o.name, "detail": ""} for o in plan.organisers],
        "event": [{"id": e.id, "name": e.title.get(language), "detail": e.start.isoformat()[:10]} for e in plan.events],
        "zones": {"": plan.settings.time_zone, **{e.id: e.time_zone for e in plan.events}},
        "rosters": [{"id": r.id, "title": r.title.get(language), "file": r.source.file,
                     "members": [{"id": m.person.id, "name": m.person.name, "role": m.role,
                                  "party": m.person.party, "organisation": m.person.organisation}
                                 for m in r.members]} for r in plan.rosters],
    }


def _plain(ids) -> list[dict]:
    return [{"id": a, "name": a, "detail": ""} for a in ids]


def parse_or_none(text: str) -> dict | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
