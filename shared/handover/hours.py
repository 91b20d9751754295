"""Support hours in words, in the customer's language: when support next opens and the weekly hours.

The schedule itself (parsing the settings, open or not at a moment) is `shared.core.schedule`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from shared.core.schedule import END_OF_DAY, Interval, SupportHours, clock_text, local_time, next_opening


def describe_next_opening(hours: SupportHours, at: datetime, locale: str = "en") -> str | None:
    """When support next opens, e.g. "tomorrow at 9:00 EST" or "lundi à 9:00 CET"; None if not within 14 days."""
    opening = next_opening(hours, at)
    if opening is None:
        return None
    words = _words(locale)
    ahead = (opening.date() - local_time(hours, at).date()).days
    name = words.days[opening.weekday()]
    if ahead < 2:
        day = (words.today, words.tomorrow)[ahead]
    elif ahead < 7:
        day = words.weekday.format(day=name)
    else:
        day = words.long_date.format(day=name, month=words.months[opening.month - 1], number=opening.day)
    preposition = words.at[1 if opening.hour == 1 else 0]
    return f"{day} {preposition} {clock_text(opening.time())} {_abbreviation(opening)}"


def describe_weekly(hours: SupportHours, locale: str = "en") -> str:
    """The weekly hours in words: "Monday to Friday 9:00–18:00, Saturday 10:00–14:00 (America/New_York)"."""
    words = _words(locale)
    groups: dict[tuple[Interval, ...], list[int]] = {}
    for day, intervals in hours.weekly.items():
        if intervals:
            groups.setdefault(tuple(intervals), []).append(day)
    parts = [f"{_days_text(days, words)} {_hours_text(intervals, words)}" for intervals, days in groups.items()]
    return f"{', '.join(parts) or words.closed} ({hours.time_zone})"


@dataclass(frozen=True)
class _Words:
    days: tuple[str, ...]
    months: tuple[str, ...]
    today: str
    tomorrow: str
    weekday: str  # a day within the coming week
    long_date: str  # a day further ahead
    at: tuple[str, str]  # before a time, and before one o'clock (Spanish: "a la 1:00")
    run: str  # three or more days in a row
    and_: str
    all_day: str
    closed: str


# fmt: off
_WORDS = {
    "en": _Words(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        ("January", "February", "March", "April", "May", "June",
         "July", "August", "September", "October", "November", "December"),
        "today", "tomorrow", "{day}", "{day}, {month} {number}", ("at", "at"), "{first} to {last}", "and",
        "24 hours", "closed",
    ),
    "fr": _Words(
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        ("janvier", "février", "mars", "avril", "mai", "juin",
         "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
        "aujourd'hui", "demain", "{day}", "{day} {number} {month}", ("à", "à"), "du {first} au {last}", "et",
        "24 h/24", "fermé",
    ),
    "es": _Words(
        ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        ("enero", "febrero", "marzo", "abril", "mayo", "junio",
         "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
        "hoy", "mañana", "el {day}", "el {day} {number} de {month}", ("a las", "a la"), "de {first} a {last}", "y",
        "24 horas", "cerrado",
    ),
    "de": _Words(
        ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        ("Januar", "Februar", "März", "April", "Mai", "Juni",
         "Juli", "August", "September", "Oktober", "November", "Dezember"),
        "heute", "morgen", "{day}", "{day}, {number}. {month}", ("um", "um"), "{first} bis {last}", "und",
        "24 Stunden", "geschlossen",
    ),
    "it": _Words(
        ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
        ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
         "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"),
        "oggi", "domani", "{day}", "{day} {number} {month}", ("alle", "alle ore"), "da {first} a {last}",
        "e", "24 ore su 24", "chiuso",
    ),
    "pt": _Words(
        ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
        ("janeiro", "fevereiro", "março", "abril", "maio", "junho",
         "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"),
        "hoje", "amanhã", "{day}", "{day}, {number} de {month}", ("às", "à"), "de {first} a {last}", "e",
        "24 horas", "fechado",
    ),
    "nl": _Words(
        ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        ("januari", "februari", "maart", "april", "mei", "juni",
         "juli", "augustus", "september", "oktober", "november", "december"),
        "vandaag", "morgen", "{day}", "{day} {number} {month}", ("om", "om"), "{first} t/m {last}", "en",
        "24 uur", "gesloten",
    ),
}
# fmt: on


def _words(locale: str) -> _Words:
    """The words for a locale such as "fr" or "es-MX"; English for a language we do not have."""
    return _WORDS.get(re.split(r"[-_]", locale.lower())[0], _WORDS["en"])


def _days_text(days: list[int], words: _Words) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names: list[str] = []
    for run in runs:
        if len(run) > 2:
            names.append(words.run.format(first=words.days[run[0]], last=words.days[run[-1]]))
        else:
            names.extend(words.days[day] for day in run)
    return _joined(names, words.and_)


def _hours_text(intervals: tuple[Interval, ...], words: _Words) -> str:
    if intervals == ((time(), END_OF_DAY),):
        return words.all_day
    return _joined([f"{clock_text(opens)}–{clock_text(closes)}" for opens, closes in intervals], words.and_)


def _joined(items: list[str], and_: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {and_} {items[-1]}"


def _abbreviation(moment: datetime) -> str:
    """The zone's abbreviation at that instant ("EST", "CEST"); "UTC-03" where the zone has none."""
    name = moment.strftime("%Z")
    return f"UTC{name}" if name.startswith(("+", "-")) else name
