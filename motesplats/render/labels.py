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
    # session kinds
    "session": {"sv": "programpunkt", "en": "session", "fr": "séance"},
    "keynote": {"sv": "huvudtalare", "en": "keynote", "fr": "conférence plénière"},
    "panel": {"sv": "panelsamtal", "en": "panel", "fr": "table ronde"},
    "seminar": {"sv": "seminarium", "en": "seminar", "fr": "séminaire"},
    "workshop": {"sv": "workshop", "en": "workshop", "fr": "atelier"},
    "break": {"sv": "paus", "en": "break", "fr": "pause"},
    "meal": {"sv": "måltid", "en": "meal", "fr": "repas"},
    "reception": {"sv": "mottagning", "en": "reception", "fr": "réception"},
    "registration": {"sv": "registrering", "en": "registration", "fr": "accueil"},
    "meeting": {"sv": "sammanträde", "en": "meeting", "fr": "réunion"},
    "party_group": {"sv": "partigruppsmöte", "en": "party group meeting", "fr": "réunion de groupe politique"},
    "visit": {"sv": "studiebesök", "en": "study visit", "fr": "visite d'étude"},
    "signing": {"sv": "undertecknande", "en": "signing", "fr": "signature"},
    "speech": {"sv": "föredrag", "en": "talk", "fr": "intervention"},
    "press": {"sv": "press", "en": "press", "fr": "presse"},
    # travel
    "flight": {"sv": "Flyg", "en": "Flight", "fr": "Vol"},
    "train": {"sv": "Tåg", "en": "Train", "fr": "Train"},
    "bus": {"sv": "Buss", "en": "Bus", "fr": "Bus"},
    "boat": {"sv": "Båt", "en": "Boat", "fr": "Bateau"},
    "car": {"sv": "Bil", "en": "Car", "fr": "Voiture"},
    "walk": {"sv": "Promenad", "en": "Walk", "fr": "À pied"},
    "departs": {"sv": "Avgång", "en": "Departs", "fr": "Départ"},
    "arrives": {"sv": "Ankomst", "en": "Arrives", "fr": "Arrivée"},
    "booking": {"sv": "Bokningsnummer", "en": "Booking reference", "fr": "Référence de réservation"},
    # people and agendas
    "speakers": {"sv": "Talare", "en": "Speakers", "fr": "Intervenants"},
    "moderators": {"sv": "Moderator", "en": "Moderator", "fr": "Modération"},
    "presenter": {"sv": "Föredragande", "en": "Presenter", "fr": "Rapporteur"},
    "proposal": {"sv": "Förslag till beslut", "en": "Proposed decision", "fr": "Proposition de décision"},
    "documents": {"sv": "Handlingar", "en": "Documents", "fr": "Documents"},
    "agenda": {"sv": "Föredragningslista", "en": "Agenda", "fr": "Ordre du jour"},
    "summoned": {"sv": "Kallade", "en": "Summoned", "fr": "Convoqués"},
    "partners": {"sv": "Partner", "en": "Partners", "fr": "Partenaires"},
    "parties": {"sv": "Parter", "en": "Parties", "fr": "Parties"},
    "signatories": {"sv": "Undertecknare", "en": "Signatories", "fr": "Signataires"},
    "hotel": {"sv": "Hotell", "en": "Hotel", "fr": "Hôtel"},
    "day of": {"sv": "dag {n} av {total}", "en": "day {n} of {total}", "fr": "jour {n} sur {total}"},
    # subscription page
    "calendars": {"sv": "Kalendrar", "en": "Calendars", "fr": "Calendriers"},
    "calendars intro": {"sv": "Prenumerera en gång, så visar din kalender varje ändring: flyttade möten, "
                        "inställda seminarier och nya programpunkter.",
                        "en": "Subscribe once and your calendar shows every change: moved meetings, "
                        "cancelled seminars and new sessions.",
                        "fr": "Abonnez-vous une fois : votre calendrier affichera chaque modification, "
                        "réunions déplacées, séminaires annulés et nouvelles séances."},
    "subscribe on this device": {"sv": "Prenumerera på den här enheten", "en": "Subscribe on this device",
                                 "fr": "S'abonner sur cet appareil"},
    "add to google": {"sv": "Lägg till i Google Kalender", "en": "Add to Google Calendar",
                      "fr": "Ajouter à Google Agenda"},
    "add to outlook": {"sv": "Lägg till i Outlook.com", "en": "Add to Outlook.com", "fr": "Ajouter à Outlook.com"},
    "add to office365": {"sv": "Lägg till i Outlook (Microsoft 365)", "en": "Add to Outlook (Microsoft 365)",
                         "fr": "Ajouter à Outlook (Microsoft 365)"},
    "copy link": {"sv": "Länk att klistra in i andra kalenderprogram", "en": "Link to paste into other calendar apps",
                  "fr": "Lien à coller dans d'autres applications"},
    "scan": {"sv": "Skanna med mobilen", "en": "Scan with your phone", "fr": "Scannez avec votre téléphone"},
    "qr for": {"sv": "QR-kod för kalendern {name}", "en": "QR code for the calendar {name}",
               "fr": "Code QR du calendrier {name}"},
    "how it works": {"sv": "Så fungerar det", "en": "How it works", "fr": "Comment ça marche"},
    "how it works text": {"sv": "Kalenderprogrammet hämtar kalendern på nytt med jämna mellanrum. Ändringar "
                          "syns därför inom några timmar; inställda möten visas som inställda.",
                          "en": "Your calendar app fetches the calendar again at regular intervals, so changes "
                          "show within a few hours; cancelled meetings are shown as cancelled.",
                          "fr": "Votre application recharge le calendrier régulièrement : les modifications "
                          "apparaissent en quelques heures, les réunions annulées sont indiquées comme telles."},
    "no feeds": {"sv": "Inga kalendrar är publicerade ännu.", "en": "No calendars are published yet.",
                 "fr": "Aucun calendrier n'est encore publié."},
    # programmes
    "programme": {"sv": "Program", "en": "Programme", "fr": "Programme"},
    "speakers and moderators": {"sv": "Talare och moderatorer", "en": "Speakers and moderators",
                                "fr": "Intervenants et modérateurs"},
    "practical information": {"sv": "Praktisk information", "en": "Practical information",
                              "fr": "Informations pratiques"},
    "venue": {"sv": "Plats", "en": "Venue", "fr": "Lieu"},
    "venues": {"sv": "Platser", "en": "Venues", "fr": "Lieux"},
    "notice": {"sv": "Kallelse", "en": "Notice of meeting", "fr": "Convocation"},
    "members": {"sv": "Ledamöter", "en": "Members", "fr": "Membres"},
    "deputies": {"sv": "Ersättare", "en": "Deputies", "fr": "Suppléants"},
    "time": {"sv": "Tid", "en": "Time", "fr": "Heure"},
    "place": {"sv": "Plats", "en": "Place", "fr": "Lieu"},
    "room": {"sv": "Lokal", "en": "Room", "fr": "Salle"},
    "itinerary": {"sv": "Resplan", "en": "Itinerary", "fr": "Itinéraire"},
    "contacts": {"sv": "Kontaktpersoner", "en": "Contacts", "fr": "Contacts"},
    "milestones": {"sv": "Avtalets tidsplan", "en": "Milestones", "fr": "Calendrier de l'accord"},
    "page": {"sv": "Sida {n} av {total}", "en": "Page {n} of {total}", "fr": "Page {n} sur {total}"},
    "parallel sessions": {"sv": "Parallella programpunkter", "en": "Parallel sessions", "fr": "Séances parallèles"},
    "organiser": {"sv": "Arrangör", "en": "Organiser", "fr": "Organisateur"},
    "own activities": {"sv": "Våra aktiviteter", "en": "Our activities", "fr": "Nos activités"},
    "my schedule": {"sv": "Mitt schema", "en": "My schedule", "fr": "Mon programme"},
    "my schedule for": {"sv": "Personligt schema för {name} från {organisation}",
                        "en": "Personal schedule for {name} from {organisation}",
                        "fr": "Programme personnel de {name}, {organisation}"},
}


def label(key: str, language: str) -> str:
    """The toolkit's word for `key` in `language`, falling back to English."""
    words = LABELS[key]
    return words.get(language, words["en"])
