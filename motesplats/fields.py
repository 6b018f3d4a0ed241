"""What organisers may write in each kind of record: the one description of the file formats.

The validator checks files against these records, and the JSON Schema that editors use is
generated from them, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

EVENT_KINDS = ("conference", "formal_meeting", "festival_week", "study_trip", "ceremony")
SESSION_KINDS = (
    "session", "keynote", "panel", "seminar", "workshop", "break", "meal", "reception",
    "registration", "meeting", "party_group", "visit", "signing", "speech", "press",
)
STATUSES = ("confirmed", "tentative", "cancelled")
LEG_MODES = ("flight", "train", "bus", "boat", "car", "walk")
DEPUTY_RULES = ("personal", "party", "order")
SESSION_MODES = ("none", "all", "days")
CORRECTION_COVERS = ("attendance", "time", "place")  # what of a meeting a correction corrects beyond its §

# How long a text may be, in characters. Longer is a paste gone wrong: it would overflow every
# page, badge and calendar app that shows it, and slow every check and build down.
ID_LENGTH = 64
NAME_LENGTH = 200           # names, titles and headings
LINE_LENGTH = 500           # other one-line texts: an address, a reference, a document's name
URL_LENGTH = 2000
PARAGRAPHS_LENGTH = 20_000  # descriptions, notes, proposals: text of several paragraphs
HEADINGS = ("name", "title", "subtitle")  # one line, however long the text around them


@dataclass(frozen=True)
class Field:
    """One key an organiser may write.

    `kind` is one of: string, url (an http, https or mailto address), text (a string, or a table
    of language -> string), datetime
    (a date and time, or a date for whole days), date, integer, boolean, strings (a list of
    strings), integers (a list of whole numbers), geo (latitude and longitude), duration (such as
    "1 hour"), durations, records (a list of tables of `record`), table (one table: of `record`
    where given, else free).
    """

    name: str
    kind: str
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    refers_to: str = ""  # "venue", "person", "roster", "room", "organiser", "audience", "event"
    record: "Record | None" = None  # for kind "records" the shape of each entry, for "table" of the table
    zone_from: str = ""  # for a datetime: the field naming the venue whose time zone it is in (else the event's)
    minimum: int = 0  # for an integer: the smallest allowed (1 for an agenda item's number)

    @property
    def multiline(self) -> bool:
        """Text that may run over several lines (a description, notes); every other text is one line."""
        return self.kind == "text" and self.name not in HEADINGS

    @property
    def max_length(self) -> int:
        """The most characters one text of this field may hold (each language's, each item's)."""
        if self.multiline:
            return PARAGRAPHS_LENGTH
        if self.kind == "url":
            return URL_LENGTH
        if self.name == "id":
            return ID_LENGTH
        return NAME_LENGTH if self.name in HEADINGS else LINE_LENGTH


@dataclass(frozen=True)
class Record:
    """A kind of table in a file: its fields, and how organisers call it."""

    name: str
    doc: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field_named(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


ID_DOC = "Short stable id of lowercase letters, digits and hyphens; never reuse or change it."

ROOM = Record("room", "A room at a venue.", (
    Field("id", "string", ID_DOC, required=True),
    Field("name", "string", "Name shown in programmes and feeds.", required=True),
    Field("capacity", "integer", "Number of seats."),
    Field("floor", "string", "Floor or wing, to help people find it."),
))

VENUE = Record("venue", "A place where things happen: conference centre, hotel, airport.", (
    Field("id", "string", ID_DOC, required=True),
    Field("name", "string", "Name of the venue.", required=True),
    Field("address", "string", "Street address."),
    Field("postcode", "string", "Postcode."),
    Field("city", "string", "City.", required=True),
    Field("country", "string", "Country, in the workspace's first language."),
    Field("geo", "geo", "Latitude and longitude, e.g. [59.8586, 17.6389]."),
    Field("time_zone", "string", "IANA time zone, e.g. Europe/Berlin (default: the workspace's)."),
    Field("url", "url", "Web page of the venue."),
    Field("directions", "text", "How to get there."),
    Field("room", "records", "Rooms at this venue.", record=ROOM),
))

ROSTER = Record("roster", "Title of a roster whose members are in the CSV file of the same name.", (
    Field("id", "string", "The CSV file's name without .csv.", required=True),
    Field("title", "text", "Title of the roster, e.g. {sv = 'Styrelsen', en = 'The board'}.", required=True),
    Field("description", "text", "What the roster is for."),
    Field("deputies", "string", "How a deputy is called in for a member who sends apologies: personal (the "
          "member's own deputy, named in the CSV's 'ersättare för' column, else the same party's in the "
          "file's order), party (the same party's deputies in the file's order; the default) or order "
          "(any deputy, in the file's order).", choices=DEPUTY_RULES),
    Field("quorum", "integer", "Members (or deputies serving) who must be present for a meeting to decide "
          "(default: more than half of the members)."),
    Field("posting", "duration", "How long the notice of adjusted minutes stays posted (default '3 weeks')."),
    Field("public_minutes", "boolean", "The organ's adjusted minutes are published and linked from its "
          "meetings' feed entries and the subscription page (default false)."),
    Field("minutes_kept_at", "string", "Where the organ's minutes are kept (förvaringsplats), as the notice "
          "of adjustment says, e.g. 'Mälardalsrådets kansli, Stockholm'."),
    Field("adjustment_limit", "duration", "How long after a meeting its minutes must be adjusted at the "
          "latest (default '14 days', KL 5 kap. 69 §)."),
    Field("web_minutes_for", "duration", "How long the web copy of the organ's minutes and extracts stays "
          "published after adjustment, e.g. '2 years' (default: for good); the record stays."),
    Field("announce", "duration", "How long before each meeting it is announced on the notice board "
          "(kungörelse, as KL 5 kap. 11 § wants for a council), e.g. '7 days'; none when left out."),
))

AGENDA_ITEM = Record("agenda item", "A numbered item of a meeting's agenda (föredragningslista).", (
    Field("title", "text", "What the item is about.", required=True),
    Field("presenter", "string", "Person presenting the item (föredragande).", refers_to="person"),
    Field("proposal", "text", "Proposed decision (förslag till beslut)."),
    Field("documents", "strings", "Documents for the item (handlingar)."),
    Field("notes", "text", "Anything else the members should know."),
    Field("web", "boolean", "false: the item's § is left out of the minutes' web copy (its number and title "
          "stay, with web_reason); the archive copy and the extract keep it whole (default true)."),
    Field("web_reason", "string", "Why the § is left out of the web copy, shown in its place, e.g. "
          "'OSL 21 kap. 7 §' or 'Personuppgifter (GDPR)'."),
))

DECISION = Record("decision", "What a meeting decided on one agenda item, as the minutes record it.", (
    Field("item", "integer", "The agenda item's number in the notice (1 for the first).", required=True,
          minimum=1),
    Field("text", "text", "The decision (beslut); leave it out when the item was decided as proposed."),
    Field("adjusters", "strings", "People chosen to adjust the minutes (justerare), on the 'Val av "
          "justerare' item.", refers_to="person"),
    Field("reservations", "strings", "People who entered a reservation against the decision.",
          refers_to="person"),
    Field("reservation_reason", "text", "What the reservation says, where it was given."),
    Field("dispatch", "strings", "Where the decision is sent (expediering), e.g. ['Akt', 'Trafiknämnden']."),
    Field("notes", "text", "What else the minutes say on the item: the discussion, a statement."),
))

CORRECTION = Record("correction", "A correction (rättelse) of adjusted minutes: a dated, adjusted addendum "
                    "sealed beside their record. The corrected values are the data as it now stands.", (
    Field("adjusted", "date", "Day the correction was adjusted (justerad).", required=True),
    Field("paragraphs", "integers", "The § numbers of the minutes it corrects, e.g. [22]."),
    Field("covers", "strings", "What else of the minutes it corrects: 'attendance' (the present list: who was "
          "there, who served for whom, who came or left when), 'time' (the day and hours), 'place'; e.g. "
          "['attendance']. A correction names at least one § or one of these.", choices=CORRECTION_COVERS),
    Field("text", "text", "What it corrects and why, e.g. 'Beslutet under § 22 ska lyda …'.", required=True),
    Field("adjusters", "strings", "Who adjusted it (default: the minutes' chair and adjusters).",
          refers_to="person"),
))

MINUTES = Record("minutes", "The minutes (protokoll) of a meeting, recorded by its secretary.", (
    Field("secretary", "string", "Who kept the minutes.", required=True, refers_to="person"),
    Field("chair", "string", "Who chaired the meeting (default: the organ's ordförande).", refers_to="person"),
    Field("as_proposed", "integers", "Items decided as the notice proposed, e.g. [2, 3, 4]."),
    Field("decision", "records", "Decisions in the meeting's own words.", record=DECISION),
    Field("first_paragraph", "integer", "The § number of this meeting's first item, where it does not "
          "follow on from the organ's earlier meetings of the year."),
    Field("adjusted", "date", "Day the minutes were adjusted (justerade)."),
    Field("adjusted_place", "string", "Where the minutes were adjusted."),
    Field("posted", "date", "Day the notice of adjustment was posted (anslag)."),
    Field("correction", "records", "Corrections (rättelser) of the minutes once adjusted.", record=CORRECTION),
))

SESSION = Record("session", "A part of an event's programme: talk, break, meeting, visit.", (
    Field("id", "string", ID_DOC, required=True),
    Field("kind", "string", "What sort of session.", choices=SESSION_KINDS),
    Field("title", "text", "Title, in one or more languages.", required=True),
    Field("description", "text", "What happens."),
    Field("start", "datetime", "Start, e.g. 2018-05-17T09:30, in the event's time zone.", required=True),
    Field("end", "datetime", "End, after the start.", required=True),
    Field("room", "string", "Room at the venue.", refers_to="room"),
    Field("venue", "string", "Venue, where it is not the event's own.", refers_to="venue"),
    Field("speakers", "strings", "People speaking.", refers_to="person"),
    Field("moderators", "strings", "People moderating.", refers_to="person"),
    Field("audiences", "strings", "Who it is for, where not everyone at the event.", refers_to="audience"),
    Field("status", "string", "Planning status.", choices=STATUSES),
    Field("summoned", "strings", "Rosters called to this meeting (kallelse).", refers_to="roster"),
    Field("agenda", "records", "Numbered agenda items.", record=AGENDA_ITEM),
    Field("minutes", "table", "The minutes of this meeting, once it has been held.", record=MINUTES),
))

LEG = Record("leg", "A leg of a journey; times are in each place's own time zone.", (
    Field("id", "string", ID_DOC, required=True),
    Field("mode", "string", "How the leg is travelled.", required=True, choices=LEG_MODES),
    Field("from", "string", "Where the leg starts.", required=True, refers_to="venue"),
    Field("to", "string", "Where the leg ends.", required=True, refers_to="venue"),
    Field("depart", "datetime", "Departure, in the time zone of 'from'.", required=True, zone_from="from"),
    Field("arrive", "datetime", "Arrival, in the time zone of 'to'.", required=True, zone_from="to"),
    Field("carrier", "string", "Airline, railway or bus company."),
    Field("number", "string", "Flight or train number."),
    Field("booking", "string", "Booking reference (shown to the delegation only)."),
    Field("notes", "text", "Meeting point and other practical notes."),
))

MILESTONE = Record("milestone", "A dated step, such as an agreement's review or end.", (
    Field("id", "string", ID_DOC, required=True),
    Field("date", "date", "The day.", required=True),
    Field("title", "text", "What happens that day.", required=True),
))

EVENT = Record("event", "Something that happens: a conference, meeting, week, trip or ceremony.", (
    Field("id", "string", ID_DOC, required=True),
    Field("kind", "string", "What sort of event.", required=True, choices=EVENT_KINDS),
    Field("title", "text", "Title, in one or more languages.", required=True),
    Field("subtitle", "text", "Theme or subtitle."),
    Field("description", "text", "What it is and who it is for."),
    Field("start", "datetime", "Start: a date and time, or a date for whole-day events.", required=True),
    Field("end", "datetime", "End: after the start; a date is the last whole day.", required=True),
    Field("time_zone", "string", "IANA time zone (default: the venue's, else the workspace's)."),
    Field("venue", "string", "Where it happens.", refers_to="venue"),
    Field("room", "string", "Room at the venue.", refers_to="room"),
    Field("status", "string", "Planning status (default confirmed).", choices=STATUSES),
    Field("audiences", "strings", "Who it is for; feeds select events by audience.", required=True,
          refers_to="audience"),
    Field("organiser", "string", "Who organises it.", refers_to="organiser"),
    Field("partners", "strings", "Partner organisations."),
    Field("url", "url", "Web page."),
    Field("languages", "strings", "Languages of the event, all with equal status (default: the workspace's first)."),
    Field("participants", "strings", "Rosters of people taking part.", refers_to="roster"),
    Field("contacts", "strings", "People to contact.", refers_to="person"),
    Field("summoned", "strings", "Rosters called to the meeting (kallelse); formal meetings.", refers_to="roster"),
    Field("agenda", "records", "Numbered agenda (föredragningslista); formal meetings.", record=AGENDA_ITEM),
    Field("minutes", "table", "The minutes (protokoll), once the meeting has been held; formal meetings.",
          record=MINUTES),
    Field("session", "records", "The programme.", record=SESSION),
    Field("leg", "records", "Travel legs; study trips.", record=LEG),
    Field("hotel", "string", "Where the delegation stays; study trips.", refers_to="venue"),
    Field("parties", "strings", "Parties to the agreement; ceremonies."),
    Field("signatories", "strings", "People who sign; ceremonies.", refers_to="person"),
    Field("term_years", "integer", "Years the agreement is in force from signing; ceremonies.", minimum=1),
    Field("milestone", "records", "Dated milestones; ceremonies.", record=MILESTONE),
    Field("badges", "boolean", "Print name badges (and a ceremony's table cards) for everyone attending "
          "(default: yes for conferences and ceremonies, no for other kinds)."),
))

# Which kinds of event get badges unless the event file says otherwise: a conference's and a
# ceremony's guests wear them; a board meeting's members know each other, a festival week's
# own activities and a study trip's delegation do not need them printed.
BADGES_BY_DEFAULT = {"conference": True, "ceremony": True, "formal_meeting": False, "festival_week": False,
                     "study_trip": False}

# Fields that only make sense for some kinds of event.
KIND_ONLY_FIELDS = {
    "summoned": ("formal_meeting",),
    "agenda": ("formal_meeting",),
    "minutes": ("formal_meeting",),
    "leg": ("study_trip",),
    "hotel": ("study_trip",),
    "parties": ("ceremony",),
    "signatories": ("ceremony",),
    "term_years": ("ceremony",),
    "milestone": ("ceremony",),
}

EVENTS_FILE = Record("events file", "A file in events/: events, venues and roster titles.", (
    Field("defaults", "table", "Values every event in this file gets unless it sets its own."),
    Field("event", "records", "Events.", record=EVENT),
    Field("venue", "records", "Venues.", record=VENUE),
    Field("roster", "records", "Roster titles.", record=ROSTER),
))

CALENDAR = Record("calendar", "A feed that members subscribe to (one file in calendars/).", (
    Field("name", "text", "Name shown in the calendar app.", required=True),
    Field("description", "text", "What the feed contains."),
    Field("language", "string", "Language of titles in the feed (default: the workspace's first)."),
    Field("audiences", "strings", "Events and sessions for these audiences.", refers_to="audience"),
    Field("events", "strings", "These events, whatever their audience.", refers_to="event"),
    Field("sessions", "string", "none: events only; all: each session as its own entry; "
          "days: one entry per day of multi-day events.", choices=SESSION_MODES),
    Field("include_tentative", "boolean", "Include tentative events (default true)."),
    Field("alarms", "durations", "Reminders before each event, e.g. ['1 day', '1 hour']."),
    Field("refresh", "duration", "How often apps should reload the feed (default '12 hours')."),
    Field("public", "boolean", "Listed on the subscription page (default true)."),
    Field("deadlines", "boolean", "Also the secretariat's deadlines ([[deadline]] in motesplats.toml) as "
          "whole-day entries (default false): for a staff feed."),
))

SERVING = Record("deputy", "A deputy serving for a member (ersättare tjänstgör).", (
    Field("person", "string", "The deputy.", required=True, refers_to="person"),
    Field("for", "string", "The member they serve for.", required=True, refers_to="person"),
    Field("from_item", "integer", "The first agenda item they serve at (default 1).", minimum=1),
    Field("to_item", "integer", "The last item they serve at (default: to the end).", minimum=1),
))

LATE = Record("late", "Someone who arrived after the meeting had begun.", (
    Field("person", "string", "Who.", required=True, refers_to="person"),
    Field("from_item", "integer", "The first agenda item they were present at.", required=True, minimum=1),
))

LEFT = Record("left", "Someone who left before the meeting ended.", (
    Field("person", "string", "Who.", required=True, refers_to="person"),
    Field("after_item", "integer", "The last agenda item they were present at.", required=True, minimum=1),
))

GUEST = Record("guest", "Someone present who is on no roster.", (
    Field("name", "string", "Name.", required=True),
    Field("organisation", "string", "Organisation."),
    Field("role", "string", "Why they are there, e.g. 'föredragande' or 'åhörare'."),
))

ATTENDANCE = Record("attendance", "A file in attendance/: who was summoned and who came to one meeting.", (
    Field("meeting", "string", "The meeting: an event id, or event-id/session-id for a meeting held "
          "inside an event (the council meeting at Mälartinget).", required=True, refers_to="event"),
    Field("apologies", "strings", "Who sent apologies (förhinder).", refers_to="person"),
    Field("absent", "strings", "Who stayed away without sending apologies.", refers_to="person"),
    Field("deputy", "records", "Deputies serving for members (tjänstgörande ersättare).", record=SERVING),
    Field("late", "records", "People who came late.", record=LATE),
    Field("left", "records", "People who left early.", record=LEFT),
    Field("others", "strings", "Others present: officials, the secretary, speakers.", refers_to="person"),
    Field("guest", "records", "Others present who are on no roster.", record=GUEST),
))

ORGANISER = Record("organiser", "An organisation that organises events.", (
    Field("id", "string", ID_DOC, required=True),
    Field("name", "string", "Name.", required=True),
    Field("email", "string", "Public contact address (shown in feeds as ORGANIZER)."),
    Field("url", "url", "Web site."),
))

DEADLINE = Record("deadline", "When an organ's meetings need their notice, documents and minutes.", (
    Field("organ", "string", "The roster whose meetings these are, e.g. 'board'.", required=True,
          refers_to="roster"),
    Field("notice", "duration", "How long before the meeting the notice (kallelse) must go out, e.g. '7 days'."),
    Field("documents", "duration", "How long before the meeting the documents (handlingar) are due."),
    Field("adjusted", "duration", "How long after the meeting the minutes must be adjusted (justerade)."),
    Field("posted", "duration", "How long after the meeting the adjustment must be posted (anslag)."),
))

MAIL_SECURITY = ("starttls", "tls", "none")
MAIL_AUTH = ("password", "oauth2")

MAIL = Record("mail", "How invitations are sent: the SMTP server and the account (passwords and secrets are never here).", (
    Field("host", "string", "The SMTP server, e.g. smtp.office365.com.", required=True),
    Field("port", "integer", "Its port (default 587 with starttls, 465 with tls, 25 with none)."),
    Field("security", "string", "starttls (the default), tls (implicit TLS) or none (a relay on this "
          "machine only).", choices=MAIL_SECURITY),
    Field("user", "string", "The account to log in as; no login when left out."),
    Field("password_env", "string", "The environment variable holding the password "
          "(default MOTESPLATS_SMTP_PASSWORD)."),
    Field("rate", "integer", "At most this many messages a minute (default 30), as servers limit senders."),
    Field("auth", "string", "password (the default: user and its password) or oauth2 (a token for an "
          "application, as Microsoft 365 requires; see the README).", choices=MAIL_AUTH),
    Field("tenant", "string", "With oauth2: the Microsoft Entra tenant, its id or domain (e.g. example.se)."),
    Field("client_id", "string", "With oauth2: the application (client) id of the app registration."),
    Field("scope", "string", "With oauth2: the token's scope (default https://outlook.office365.com/.default)."),
    Field("authority", "url", "With oauth2: the token authority instead of "
          "https://login.microsoftonline.com/TENANT, e.g. for a sovereign cloud."),
    Field("client_secret_env", "string", "With oauth2: the environment variable holding the client secret "
          "(default MOTESPLATS_OAUTH_CLIENT_SECRET)."),
    Field("replies_authenticated_by", "string", "The authserv-id (e.g. mx.region.se) of the Authentication-Results "
          "header the organisation's own mail server adds to what it receives: 'import replies' then uses a reply "
          "only when that server found it dmarc=pass (or dkim=pass for the sender's domain)."),
))

SIGNING = Record("signing", "Signed adjustment of minutes (PAdES): whose certificates are trusted, and the "
                 "organisation's own seal.", (
    Field("trust_roots", "strings", "Certificates (PEM or DER files, relative to the workspace) of the certificate "
          "authorities a signer's certificate must chain to, e.g. [\"signing/roots/bankid-root.pem\"]."),
    Field("organisation_seal", "string", "The organisation's seal (a PKCS#12 file, .p12 or .pfx, relative to the "
          "workspace) for 'motesplats adjust MEETING --seal'; its password comes only from the environment "
          "variable MOTESPLATS_SEAL_PASSWORD."),
    Field("password", "string", "Never written here: a password in this file is an error; the seal's password "
          "comes only from the environment variable MOTESPLATS_SEAL_PASSWORD."),
))

WORKSPACE = Record("workspace", "motesplats.toml: settings for the whole workspace.", (
    Field("organisation", "string", "Who publishes the workspace.", required=True),
    Field("time_zone", "string", "Default IANA time zone.", required=True),
    Field("languages", "strings", "Languages, the first the default.", required=True),
    Field("base_url", "url", "Public address where build/ is published (https://…).", required=True),
    Field("audiences", "strings", "Audiences events may name.", required=True),
    Field("keep_removed", "duration", "How long an event deleted from the data stays in feeds as "
          "cancelled, so subscribers' apps remove it (default '90 days')."),
    Field("organiser", "records", "Organisers events may name.", record=ORGANISER),
    Field("deadline", "records", "The secretariat's deadlines, per organ.", record=DEADLINE),
    Field("mail", "table", "The SMTP server invitations are sent through.", record=MAIL),
    Field("signing", "table", "Signed adjustment of minutes: trust roots and the organisation's seal.", record=SIGNING),
))

# Columns of a roster CSV file, with the header names organisers use for them.
ROSTER_COLUMNS = {
    "id": ("id",),
    "name": ("name", "namn"),
    "role": ("role", "roll"),
    "organisation": ("organisation", "organization", "organisation/kommun", "kommun"),
    "title": ("title", "titel", "befattning"),
    "email": ("email", "e-mail", "e-post", "epost", "mejl"),
    "party": ("party", "parti"),
    "languages": ("languages", "språk"),
    "deputy_for": ("deputy_for", "deputy for", "ersättare för", "personlig ersättare för"),
}
ROSTER_REQUIRED = ("name",)
ROSTER_CELL_LENGTHS = {"id": ID_LENGTH, "name": NAME_LENGTH}  # every other cell: LINE_LENGTH
