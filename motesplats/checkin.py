"""The check-in desk at the door of one meeting, and the page the staff there use.

A badge's QR code says 'motesplats:checkin:<event>:<person>'; a USB scanner types it and Enter.
Each check-in is appended to the meeting's log (the format is in load/checkin_log.py) and is on
disk before the page confirms it, so pulling the plug loses nothing that was confirmed. With a
log, who is in the room is who checked in: the voting roll counts the members checked in and the
deputies serving who are.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from anyascii import anyascii

from motesplats.identifiers import ID_PATTERN
from motesplats.load.checkin_log import checkin_line
from motesplats.write import append_line
from motesplats.meetings import Meeting, Roll, roll, summoned_members
from motesplats.model import Attendance, CheckIn, Person, Plan
from motesplats.problems import Problem
from motesplats.render.dates import clock, long_day
from motesplats.render.labels import label

PAYLOAD_PREFIX = "motesplats:checkin:"
SEARCH_LIMIT = 30
CHECKED_IN, APOLOGIES, DUPLICATE, UNKNOWN, NOT_SUMMONED = (
    "checked-in", "apologies", "duplicate", "unknown", "not-summoned")
_TONES = {CHECKED_IN: "ok", APOLOGIES: "ok", DUPLICATE: "duplicate", UNKNOWN: "error", NOT_SUMMONED: "error"}


@dataclass(frozen=True)
class Expected:
    """Someone who may be checked in: a member or deputy summoned, or one of the others present."""

    person: Person
    role: str = ""  # their role on the roster; empty for the others present


@dataclass(frozen=True)
class Outcome:
    """What one scan or tick did; only checked-in and apologies (checked in all the same) are logged."""

    kind: str
    person: Person | None = None
    at: datetime | None = None  # when they checked in: now, or earlier for a duplicate


@dataclass(frozen=True)
class Counts:
    checked_in: int
    expected: int
    roll: Roll | None  # for a meeting of an organ: the voting roll as the door sees it


def _expected(meeting: Meeting, attendance: Attendance) -> dict[str, Expected]:
    """Who may be checked in, by person id: the rosters summoned, then the others present."""
    found = {person_id: Expected(member.person, member.role)
             for person_id, member in summoned_members(meeting).items()}
    for person in attendance.others:
        found.setdefault(person.id, Expected(person))
    return found


def decode_payload(text: str, event_id: str) -> str | None:
    """The person a scanned badge names, or None when the text is not a check-in code of `event_id`."""
    code = text.strip()
    prefix = f"{PAYLOAD_PREFIX}{event_id}:"
    person_id = code[len(prefix):] if code.startswith(prefix) else ""
    return person_id if ID_PATTERN.fullmatch(person_id) else None


def search(people: Iterable[Expected], query: str, limit: int = SEARCH_LIMIT) -> list[Expected]:
    """Who `query` finds, by surname: each word typed begins a word of the name, in any case and with
    or without accents ('oberg' finds Åsa Öberg, 'anna kar' Anna-Karin Lindqvist)."""
    wanted = _words(query)
    if not wanted:
        return []
    found = [entry for entry in people
             if all(any(word.startswith(part) for word in _words(entry.person.name)) for part in wanted)]
    return sorted(found, key=lambda entry: (_words(entry.person.surname), _words(entry.person.name)))[:limit]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", anyascii(text).lower())


class Desk:
    """The check-ins of one meeting: those in its log when the desk opened and each one since.

    One lock makes each check-in whole (decided, on disk, counted), so two desks scanning the same
    badge at once count it once. `elsewhere` are the errors in the rest of the workspace, which the
    door opens despite and its page shows.
    """

    def __init__(self, meeting: Meeting, attendance: Attendance, people: Iterable[Person], log: Path,
                 now: Callable[[], datetime] | None = None, elsewhere: tuple[Problem, ...] = ()) -> None:
        self.meeting, self.attendance, self.log, self.elsewhere = meeting, attendance, log, elsewhere
        self.expected = _expected(meeting, attendance)
        self._people = {person.id: person for person in people}
        self._apologies = {person.id for person in attendance.apologies}
        self._zone = meeting.start.tzinfo
        self._now = now or (lambda: datetime.now(self._zone))
        self._lock = threading.Lock()
        self._checkins = list(attendance.checkins)
        self._first: dict[str, datetime] = {}  # each person's first check-in, in the meeting's time zone
        for entry in self._checkins:
            self._first.setdefault(entry.person_id, entry.at.astimezone(self._zone))

    @property
    def language(self) -> str:
        return self.meeting.language

    def scan(self, text: str) -> Outcome:
        """Check in whoever the scanned badge names."""
        person_id = decode_payload(text, self.meeting.event.id)
        return Outcome(UNKNOWN) if person_id is None else self._check_in(person_id, "scan")

    def tick(self, person_id: str) -> Outcome:
        """Check in someone found by name."""
        return self._check_in(person_id, "search")

    def checked_in_at(self, person_id: str) -> datetime | None:
        with self._lock:
            return self._first.get(person_id)

    def now(self) -> datetime:
        """The time by the desk's clock, in the meeting's time zone, to the second."""
        return self._now().astimezone(self._zone).replace(microsecond=0)

    def sent_apologies(self, person_id: str) -> bool:
        return person_id in self._apologies

    def counts(self) -> Counts:
        with self._lock:
            checkins = tuple(self._checkins)
            checked = len(self._first)
        counted = roll(self.meeting, _at_the_door(self.attendance, checkins)) if self.meeting.organ else None
        return Counts(checked, len(self.expected), counted)

    def _check_in(self, person_id: str, how: str) -> Outcome:
        person = self._people.get(person_id)
        if person is None:
            return Outcome(UNKNOWN)
        if person_id not in self.expected:
            return Outcome(NOT_SUMMONED, person)
        with self._lock:
            if person_id in self._first:
                return Outcome(DUPLICATE, person, self._first[person_id])
            at = self.now()
            append_line(self.log, checkin_line(person_id, at, how))
            self._checkins.append(CheckIn(person_id, at, how))
            self._first[person_id] = at
        return Outcome(APOLOGIES if person_id in self._apologies else CHECKED_IN, person, at)


def open_desk(plan: Plan, meeting: Meeting, log: Path, elsewhere: tuple[Problem, ...] = ()) -> Desk:
    """The desk for `meeting`, knowing who its log (as the plan read it) has checked in already and
    what is wrong `elsewhere` in the workspace."""
    return Desk(meeting, plan.attendance_of(meeting.key), plan.people, log, elsewhere=elsewhere)


def _at_the_door(attendance: Attendance, checkins: tuple[CheckIn, ...]) -> Attendance:
    """The attendance as the door sees it: present is who checked in (a deputy serves once checked
    in). Late arrivals and early leavers are items in the minutes; at the door, in is in."""
    return replace(attendance, late=(), left=(), checkins=checkins, checked_in=True)


def _message(outcome: Outcome, language: str) -> str:
    """What the page says about an outcome, in the meeting's language."""
    if outcome.kind == DUPLICATE:
        return label("already checked in", language).format(time=clock(outcome.at))
    words = {CHECKED_IN: "checked in", APOLOGIES: "checked in", UNKNOWN: "unknown code", NOT_SUMMONED: "not summoned"}
    return label(words[outcome.kind], language)


def _counts_record(counts: Counts, language: str) -> dict[str, object]:
    """The counts as numbers, and as the page shows them."""
    record: dict[str, object] = {
        "checked_in": counts.checked_in, "expected": counts.expected,
        "checked_in_text": label("n of total", language).format(n=counts.checked_in, total=counts.expected)}
    if counts.roll is not None:
        voting, total = len(counts.roll.voting), counts.roll.member_count
        record.update({
            "voting": voting, "members": total, "quorum": counts.roll.quorum, "quorate": counts.roll.quorate,
            "voting_text": label("n of total", language).format(n=voting, total=total),
            "voting_parts": label("voting roll parts", language).format(
                members=len(counts.roll.members), serving=len(counts.roll.serving)),
            "quorum_text": label("quorate" if counts.roll.quorate else "not quorate", language).format(
                n=voting, total=total, quorum=counts.roll.quorum)})
    return record


def outcome_record(desk: Desk, outcome: Outcome) -> dict[str, object]:
    """What the page shows after a scan or tick: when, who, what it means, and the counts now."""
    return {"outcome": outcome.kind, "tone": _TONES[outcome.kind],
            "person": outcome.person.id if outcome.person else None,
            "name": outcome.person.name if outcome.person else "",
            "time": clock(outcome.at if outcome.kind in (CHECKED_IN, APOLOGIES) else desk.now()),
            "message": _message(outcome, desk.language),
            "note": label("apology on file", desk.language) if outcome.kind == APOLOGIES else "",
            "counts": _counts_record(desk.counts(), desk.language)}


def search_record(desk: Desk, query: str) -> dict[str, object]:
    """Who a name search finds (name, role, party, organisation, whether in: never an e-mail address),
    with the counts as they now are."""
    language = desk.language
    people = []
    for entry in search(desk.expected.values(), query):
        person, at = entry.person, desk.checked_in_at(entry.person.id)
        about = " · ".join(part for part in (entry.role or label("check-in other", language), person.party,
                                             person.organisation) if part)
        people.append({
            "id": person.id, "name": person.name, "about": about,
            "status": label("checked in at", language).format(time=clock(at)) if at else "",
            "note": label("apologies", language) if desk.sent_apologies(person.id) else ""})
    return {"people": people, "counts": _counts_record(desk.counts(), language)}


def page_html(desk: Desk, nonce: str) -> str:
    """The check-in page: one document, its style and script inline under `nonce`, nothing fetched
    from elsewhere; every text from the data is escaped, and the script sets text, never markup."""
    language = desk.language

    def say(key: str) -> str:
        return html.escape(label(key, language))

    meeting = desk.meeting
    title = html.escape(meeting.title.get(language))
    when = " · ".join(part for part in (long_day(meeting.start, language), clock(meeting.start),
                                        meeting.room_name) if part)
    counts = _counts_record(desk.counts(), language)
    elsewhere = "" if not desk.elsewhere else f"""
  <section class="problems" aria-labelledby="problems-title">
    <h2 id="problems-title">{say("check-in problems")}</h2>
    <ul>{"".join(f"<li>{html.escape(str(problem))}</li>" for problem in desk.elsewhere)}</ul>
  </section>"""
    words = {key: label(key, language) for key in ("check-in tick", "no match", "not saved")}
    roll_tiles = "" if "voting" not in counts else f"""
    <div class="tile"><dt>{say("voting roll")}</dt>
      <dd><span class="big" id="voting">{html.escape(counts["voting_text"])}</span>
      <span class="small" id="voting-parts">{html.escape(counts["voting_parts"])}</span></dd></div>
    <div class="tile quorum {"yes" if counts["quorate"] else "no"}" id="quorum-tile">
      <dt class="visually-hidden">{say("check-in quorum")}</dt>
      <dd id="quorum">{html.escape(counts["quorum_text"])}</dd></div>"""
    return _PAGE.format(
        language=html.escape(language), nonce=html.escape(nonce), title=title, when=html.escape(when),
        checkin=say("check-in"), scan=say("check-in scan"), scan_help=say("check-in scan help"),
        ready=say("check-in ready"), search=say("check-in search"), search_help=say("check-in search help"),
        counted=say("check-in count"), checked_in=html.escape(counts["checked_in_text"]), roll_tiles=roll_tiles,
        latest=say("check-in latest"), state=say("check-in state"), elsewhere=elsewhere,
        words=json.dumps(words, ensure_ascii=False).replace("<", "\\u003c"), style=_STYLE, script=_SCRIPT)


_PAGE = """<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{checkin} · {title}</title>
<style nonce="{nonce}">{style}</style>
</head>
<body>
<header>
  <p class="kicker">{checkin}</p>
  <h1>{title}</h1>
  <p class="when">{when}</p>
</header>
<main>
  <section class="desk" aria-label="{scan}">
    <form id="scan-form" autocomplete="off">
      <label for="scan">{scan}</label>
      <input id="scan" name="scan" autofocus autocomplete="off" autocapitalize="off" spellcheck="false"
             enterkeyhint="send" aria-describedby="scan-help">
      <p class="help" id="scan-help">{scan_help}</p>
    </form>
    <div id="outcome" class="outcome idle" role="status" aria-live="polite" aria-atomic="true">
      <p class="name" id="outcome-name"></p>
      <p class="message" id="outcome-message">{ready}</p>
      <p class="note" id="outcome-note"></p>
    </div>
  </section>
  <section class="tally" aria-labelledby="tally-title">
    <h2 id="tally-title" class="visually-hidden">{state}</h2>
    <dl>
    <div class="tile"><dt>{counted}</dt><dd><span class="big" id="checked-in">{checked_in}</span></dd></div>{roll_tiles}
    </dl>
  </section>
  <section class="search">
    <label for="search">{search}</label>
    <input id="search" type="search" autocomplete="off" autocapitalize="off" spellcheck="false"
           aria-describedby="search-help" aria-controls="results">
    <p class="help" id="search-help">{search_help}</p>
    <ul id="results" aria-label="{search}"></ul>
  </section>
  <section class="latest" aria-labelledby="latest-title">
    <h2 id="latest-title">{latest}</h2>
    <ol id="latest"></ol>
  </section>{elsewhere}
</main>
<script type="application/json" id="words">{words}</script>
<script nonce="{nonce}">{script}</script>
</body>
</html>
"""

_STYLE = """
:root { --ink: #17212b; --muted: #55606e; --line: #c7cdd5; --paper: #f3f4f6; --focus: #1d4ed8;
  --ok: #166534; --ok-bg: #dcf3e3; --dup: #8a5a00; --dup-bg: #fff1c7; --err: #b3261e; --err-bg: #fde4e2; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--paper); }
header { background: #1f2f3f; color: #fff; padding: .8rem 1rem; }
header h1 { margin: 0; font-size: 1.35rem; line-height: 1.25; }
.kicker { margin: 0; font-size: .8rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase;
  color: #b9c6d3; }
.when { margin: .15rem 0 0; color: #d7dee6; font-size: .95rem; }
main { display: grid; gap: 1rem; padding: 1rem; max-width: 75rem; margin: 0 auto;
  grid-template-columns: minmax(0, 1fr); }
@media (min-width: 56rem) {
  main { grid-template-columns: minmax(0, 3fr) minmax(17rem, 2fr);
    grid-template-areas: "desk tally" "search latest"; }
  .desk { grid-area: desk; } .tally { grid-area: tally; } .search { grid-area: search; } .latest { grid-area: latest; }
}
section { background: #fff; border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; }
label { display: block; font-weight: 700; font-size: 1.05rem; margin-bottom: .35rem; }
input { width: 100%; font: inherit; font-size: 1.25rem; padding: .6rem .75rem; border: 2px solid #6b7684;
  border-radius: .4rem; background: #fff; color: var(--ink); }
input:focus, button:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
#scan { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 1.1rem; }
.help { margin: .35rem 0 0; color: var(--muted); font-size: .9rem; }
.outcome { margin-top: 1rem; min-height: 6.5rem; padding: .8rem 1rem; border-radius: .4rem;
  border: 2px solid var(--line); border-left-width: .6rem; }
.outcome p { margin: 0; }
.outcome .name { font-size: 1.7rem; font-weight: 700; line-height: 1.2; overflow-wrap: anywhere; }
.outcome .message { font-size: 1.1rem; margin-top: .2rem; }
.outcome .code { font: 1rem/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.outcome .note:not(:empty) { margin-top: .4rem; padding: .3rem .5rem; border-radius: .25rem;
  background: var(--dup-bg); color: var(--dup); font-weight: 600; }
.outcome.idle .message { color: var(--muted); }
.outcome.fresh { animation: fresh .5s ease-out; }
@keyframes fresh { from { box-shadow: 0 0 0 .5rem rgba(29, 78, 216, .25); } to { box-shadow: none; } }
@media (prefers-reduced-motion: reduce) { .outcome.fresh { animation: none; } }
.outcome.ok { background: var(--ok-bg); border-color: var(--ok); }
.outcome.ok .message { color: var(--ok); font-weight: 600; }
.outcome.duplicate { background: var(--dup-bg); border-color: var(--dup); }
.outcome.duplicate .message { color: var(--dup); font-weight: 600; }
.outcome.error { background: var(--err-bg); border-color: var(--err); }
.outcome.error .message { color: var(--err); font-weight: 600; }
.tally dl { margin: 0; display: grid; gap: .75rem; }
.tile { border-bottom: 1px solid var(--line); padding-bottom: .6rem; }
.tile:last-child { border-bottom: 0; padding-bottom: 0; }
dt { font-size: .85rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
dd { margin: 0; }
.big { display: block; font-size: 2.2rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.15; }
.small { display: block; color: var(--muted); font-size: .95rem; }
.quorum dd { font-weight: 600; padding-left: 1.4rem; position: relative; }
.quorum dd::before { content: ""; position: absolute; left: 0; top: .3rem; width: .85rem; height: .85rem;
  border-radius: 50%; }
.quorum.yes dd { color: var(--ok); } .quorum.yes dd::before { background: var(--ok); }
.quorum.no dd { color: var(--err); } .quorum.no dd::before { background: var(--err); }
#results, #latest { list-style: none; margin: .75rem 0 0; padding: 0; }
#results li { display: flex; align-items: center; gap: .75rem; padding: .55rem 0; border-top: 1px solid var(--line); }
#results .who { flex: 1; min-width: 0; }
#results .who b { display: block; overflow-wrap: anywhere; }
#results .who small { display: block; color: var(--muted); }
#results .status { color: var(--ok); font-weight: 600; white-space: nowrap; }
#results .note { display: inline-block; margin-top: .15rem; padding: 0 .4rem; border-radius: .25rem;
  background: var(--dup-bg); color: var(--dup); font-size: .85rem; font-weight: 600; }
#results .empty { color: var(--muted); }
button { font: inherit; font-weight: 700; padding: .55rem .9rem; border-radius: .4rem; border: 2px solid #1f2f3f;
  background: #1f2f3f; color: #fff; cursor: pointer; white-space: nowrap; min-height: 2.75rem; }
button:hover { background: #34495e; }
.latest h2 { margin: 0; font-size: 1.05rem; }
#latest li { display: flex; gap: .6rem; padding: .35rem 0; border-top: 1px solid var(--line); }
#latest li:first-child { border-top: 0; }
#latest time { font-variant-numeric: tabular-nums; color: var(--muted); }
#latest .mark { width: .6rem; flex: none; border-radius: .15rem; }
#latest .ok .mark { background: var(--ok); } #latest .duplicate .mark { background: var(--dup); }
#latest .error .mark { background: var(--err); }
.problems { border-color: var(--err); background: var(--err-bg); }
.problems h2 { margin: 0; font-size: 1.05rem; color: var(--err); }
.problems ul { margin: .5rem 0 0; padding-left: 1.2rem; font: .9rem/1.4 ui-monospace, "SFMono-Regular", Menlo,
  Consolas, monospace; overflow-wrap: anywhere; }
@media (min-width: 56rem) { .problems { grid-column: 1 / -1; } }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
"""

_SCRIPT = """
"use strict";
const words = JSON.parse(document.getElementById("words").textContent);
const base = location.pathname.endsWith("/") ? location.pathname : location.pathname + "/";
const scan = document.getElementById("scan"), search = document.getElementById("search");
const results = document.getElementById("results"), latest = document.getElementById("latest");
const outcome = document.getElementById("outcome");
let asked = 0, sound = null;

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text) made.textContent = text;
  return made;
}

function showCounts(counts) {
  document.getElementById("checked-in").textContent = counts.checked_in_text;
  if (counts.voting_text === undefined) return;
  document.getElementById("voting").textContent = counts.voting_text;
  document.getElementById("voting-parts").textContent = counts.voting_parts;
  document.getElementById("quorum").textContent = counts.quorum_text;
  document.getElementById("quorum-tile").className = "tile quorum " + (counts.quorate ? "yes" : "no");
}

function beep(tone) {
  try {
    sound = sound || new AudioContext();
    const oscillator = sound.createOscillator(), gain = sound.createGain();
    oscillator.frequency.value = tone === "error" ? 220 : 520;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(sound.destination);
    oscillator.start();
    oscillator.stop(sound.currentTime + (tone === "error" ? 0.45 : 0.15));
  } catch (error) { /* no sound: the page still says it */ }
}

function show(answer, code) {
  outcome.className = "outcome " + answer.tone;
  void outcome.offsetWidth;  /* restart the flash, so two scans alike still look like two */
  outcome.classList.add("fresh");
  const name = document.getElementById("outcome-name");
  name.textContent = answer.name || code;
  name.className = answer.name ? "name" : "name code";
  document.getElementById("outcome-message").textContent = answer.message;
  document.getElementById("outcome-note").textContent = answer.note || "";
  if (answer.counts) showCounts(answer.counts);
  const entry = element("li", answer.tone);
  entry.append(element("span", "mark"), element("time", "", answer.time),
               element("span", "", (answer.name || code ? (answer.name || code) + ": " : "") + answer.message));
  latest.prepend(entry);
  while (latest.children.length > 12) latest.lastChild.remove();
  if (answer.tone !== "ok") beep(answer.tone);
}

async function post(action, body) {
  let answer;
  try {
    const response = await fetch(base + action, {method: "POST", cache: "no-store",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    if (!response.ok) throw new Error(String(response.status));
    answer = await response.json();
  } catch (error) {
    const time = new Date().toLocaleTimeString(document.documentElement.lang, {hour: "2-digit", minute: "2-digit"});
    answer = {tone: "error", name: "", time, message: words["not saved"]};
  }
  show(answer, answer.outcome === "unknown" ? body.code : "");
}

function person(found) {
  const row = element("li");
  const who = element("span", "who");
  who.append(element("b", "", found.name), element("small", "", found.about));
  if (found.note) who.append(element("span", "note", found.note));
  row.append(who);
  if (found.status) {
    row.append(element("span", "status", found.status));
  } else {
    const button = element("button", "", words["check-in tick"]);
    button.type = "button";
    button.dataset.person = found.id;
    button.setAttribute("aria-label", words["check-in tick"] + ": " + found.name);
    row.append(button);
  }
  return row;
}

async function find() {
  const mine = ++asked, query = search.value;
  let found;
  try {
    const response = await fetch(base + "people?q=" + encodeURIComponent(query), {cache: "no-store"});
    found = await response.json();
  } catch (error) {
    return;
  }
  if (mine !== asked) return;
  showCounts(found.counts);
  results.replaceChildren(...found.people.map(person));
  if (query.trim() && !found.people.length) results.append(element("li", "empty", words["no match"]));
}

function backToScan() {
  search.value = "";
  results.replaceChildren();
  asked++;
  scan.focus();
}

document.getElementById("scan-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = scan.value;
  scan.value = "";
  scan.focus();
  if (code.trim()) post("scan", {code});
});

search.addEventListener("input", find);
search.addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  if (search.value.trim().startsWith("motesplats:")) {  /* a badge scanned while the search had focus */
    const code = search.value;
    backToScan();
    post("scan", {code});
  }
});

results.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-person]");
  if (!button) return;
  button.disabled = true;
  await post("tick", {person: button.dataset.person});
  backToScan();
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") backToScan();
});

setInterval(async () => {  /* another desk at the same door checks people in too */
  try {
    const response = await fetch(base + "people?q=", {cache: "no-store"});
    showCounts((await response.json()).counts);
  } catch (error) { /* the next scan says whether the server is there */ }
}, 10000);
"""
