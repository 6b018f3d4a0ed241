"""Calendar feeds: the named feeds and everyone's personal feed, with the sequence state they share.

Rendered by the build's own process: every feed file depends on one sequence state, and the
same entry's text appears in many files, so the entries are worked out once here (and kept in
the cache between builds) while worker processes render the programmes and badges.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from motesplats.cache import BuildCache
from motesplats.outputs import Context, Job, Output
from motesplats.render import feeds
from motesplats.render.feed_entries import Part
from motesplats.workspace import SEQUENCE_FILE

BUCKETS = 64  # entry texts are kept in this many cache files, each read only when needed


class _CachedEntries:
    """An EntryStore kept in the build cache, in buckets of events, read lazily and written when changed."""

    def __init__(self, cache: BuildCache):
        self.cache = cache
        self.buckets: dict[int, dict[str, dict[str, list]]] = {}
        self.changed: set[int] = set()
        self.used: dict[str, set[str]] = {}

    def get(self, event_id: str, key: str) -> list | None:
        self.used.setdefault(event_id, set()).add(key)
        return self._bucket(event_id).get(event_id, {}).get(key)

    def keep(self, event_id: str, key: str) -> None:
        self.used.setdefault(event_id, set()).add(key)

    def put(self, event_id: str, key: str, record: list) -> None:
        self.used.setdefault(event_id, set()).add(key)
        number = _bucket_of(event_id)
        self._bucket(event_id).setdefault(event_id, {})[key] = record
        self.changed.add(number)

    def save(self) -> None:
        """Write the changed buckets back, keeping only the records this build used."""
        for number in self.changed:
            kept = {event_id: {key: record for key, record in records.items() if key in self.used.get(event_id, ())}
                    for event_id, records in self.buckets[number].items()}
            self.cache.write_json(self._path(number), {event_id: records for event_id, records in kept.items()
                                                       if records})

    def _bucket(self, event_id: str) -> dict[str, dict[str, list]]:
        number = _bucket_of(event_id)
        if number not in self.buckets:
            self.buckets[number] = self.cache.read_json(self._path(number)) or {}
        return self.buckets[number]

    def _path(self, number: int) -> Path:
        return self.cache.path("feed-entries", f"{number:02d}.json")


def _bucket_of(event_id: str) -> int:
    return zlib.crc32(event_id.encode("utf-8")) % BUCKETS


@dataclass(frozen=True)
class _Built:
    """What the feeds' jobs worked out, for rendering and for what is kept afterwards."""

    ledger: feeds.Ledger
    files: dict[str, feeds.FeedFile]
    store: _CachedEntries | None
    state_before: dict


class Feeds(Output):
    name = "feeds"
    folder = "calendars"
    in_parent = True
    owned_folders = ("calendars", feeds.PERSONAL_FOLDER)

    def jobs(self, context: Context) -> list[Job]:
        if context.request.event_ids:
            return []  # feeds are always made whole: one event's command leaves them alone
        plan = context.plan
        store = _CachedEntries(context.cache) if context.cache else None
        base_url = plan.settings.base_url  # its host makes the UIDs; minutes are linked under it

        def part_key(part: Part) -> str:
            """A part's records are valid while its content is: the key digests it."""
            return f"{base_url}|{part.uid_key}|{context.digests.of(part)}"

        memory = feeds.EntryMemory(plan, store, part_key if store is not None else None)
        state = context.sequence_state
        ledger = feeds.Ledger(state, plan, context.now, memory)
        files = feeds.feed_files(plan, context.secret)
        ledger.record(files)
        context.shared["feeds"] = _Built(ledger, {file.path: file for file in files}, store, state)
        return [Job(self.name, (file.path,), (file.path,), feeds.file_fingerprint(plan, ledger, file),
                    f"feed {file.path.rsplit('/', 1)[-1]}") for file in files]

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        built = context.shared["feeds"]
        return {job.paths[0]: feeds.calendar(context.plan, built.ledger, built.files[job.subject[0]])}

    def state_files(self, context: Context) -> list[tuple[Path, bytes]]:
        built = context.shared.get("feeds")
        if built is None:
            return []
        state = built.ledger.state
        target = context.workspace.root / SEQUENCE_FILE
        if state == built.state_before and target.is_file():
            return []  # comparing the data is much cheaper than writing out ten thousand entries
        return [(target, feeds.dump_state(state))]

    def after_commit(self, context: Context) -> None:
        built = context.shared.get("feeds")
        if built is not None and built.store is not None:
            built.store.save()
