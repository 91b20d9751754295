"""Support hours: a weekly schedule in one IANA time zone, minus closed dates, read from setting strings.

The weekly setting (case-insensitive; a day no clause names is closed):

    weekly   := clause (";" clause)*
    clause   := days (interval+ | "closed" | "24h")
    days     := span ("," span)*
    span     := day | day "-" day          a range may wrap round the week: "fri-mon"
    day      := mon | tue | wed | thu | fri | sat | sun, or the full English name
    interval := HH:MM "-" HH:MM            opens before it closes on the same day; "24:00" closes at midnight

    "mon-fri 09:00-18:00; sat 10:00-14:00"
    "mon,wed 08:30-12:00 13:00-17:00; sun closed"
    "mon-fri 08:00-20:00; sat,sun 24h"

Each day belongs to one clause and its intervals may not overlap. An interval includes its opening minute and
excludes its closing one. Closed dates ("2026-12-25, 2027-01-01") are dates on the support zone's calendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Interval = tuple[time, time]
END_OF_DAY = time.max  # "24:00": an interval that closes at midnight
HORIZON = timedelta(days=14)  # how far next_opening looks

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {name: day for day, full in enumerate(_DAYS) for name in (full, full[:3])}
_INTERVAL = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class SupportHours:
    """When people answer: intervals per weekday (0 = Monday) in `time_zone`, except on `closed_dates`."""

    time_zone: str
    weekly: Mapping[int, Sequence[Interval]]
    closed_dates: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        _zone(self.time_zone)
        if unknown := set(self.weekly) - set(range(7)):
            raise ValueError(f"weekdays run from 0 (Monday) to 6 (Sunday), not {sorted(unknown)}")
        weekly = {day: _checked(day, self.weekly.get(day, ())) for day in range(7)}
        object.__setattr__(self, "weekly", MappingProxyType(weekly))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))

    @classmethod
    def parse(cls, time_zone: str, weekly: str, closed_dates: str = "") -> SupportHours:
        """Support hours from the three setting strings."""
        return cls(time_zone, parse_weekly(weekly), parse_closed_dates(closed_dates))

    @property
    def zone(self) -> ZoneInfo:
        """The support time zone."""
        return ZoneInfo(self.time_zone)


def parse_weekly(text: str) -> dict[int, list[Interval]]:
    """Weekday (0 = Monday) to its sorted opening intervals, for all seven days, from the grammar above."""
    weekly: dict[int, list[Interval]] = {day: [] for day in range(7)}
    named: set[int] = set()
    clauses = [clause.strip() for clause in text.split(";") if clause.strip()]
    if not clauses:
        raise ValueError("support hours are empty; write e.g. 'mon-fri 09:00-18:00'")
    for clause in clauses:
        tokens = re.sub(r"\s*[-–]\s*", "-", re.sub(r"\s*,\s*", ",", clause.lower())).split()
        try:
            days, intervals = _days(tokens[0]), _intervals(tokens[1:])
            if twice := named & set(days):
                raise ValueError(f"{_DAYS[min(twice)].title()} is already set by an earlier clause")
            named.update(days)
            weekly.update({day: list(_checked(day, intervals)) for day in days})
        except ValueError as error:
            raise ValueError(f"support hours {clause!r}: {error}") from None
    return weekly


def parse_closed_dates(text: str) -> frozenset[date]:
    """The dates in a comma- or space-separated list of YYYY-MM-DD dates (empty text: none)."""
    parts = [part for part in re.split(r"[\s,]+", text) if part]
    return frozenset(_date(part) for part in parts)


def is_open(hours: SupportHours, at: datetime) -> bool:
    """Whether support is open at the aware datetime `at`, read on the support zone's clock."""
    local = local_time(hours, at)
    if local.date() in hours.closed_dates:
        return False
    now = local.time()
    return any(
        opens <= now and (now < closes or closes == END_OF_DAY) for opens, closes in hours.weekly[local.weekday()]
    )


def next_opening(hours: SupportHours, at: datetime) -> datetime | None:
    """The first instant at or after `at` when support is open, in the support zone; None if not within 14 days."""
    if is_open(hours, at):
        return local_time(hours, at)
    start = at.astimezone(UTC)
    for candidate in sorted(_candidates(hours, local_time(hours, at).date())):
        if candidate > start + HORIZON:
            break
        if candidate > start and is_open(hours, candidate):
            return candidate.astimezone(hours.zone)
    return None


def _candidates(hours: SupportHours, first_day: date) -> Iterator[datetime]:
    # Support can only open when the clock reaches an opening time (either pass of a repeated hour) or jumps.
    zone = hours.zone
    for offset in range(HORIZON.days + 2):
        day = first_day + timedelta(days=offset)
        for opens, _ in hours.weekly[day.weekday()]:
            for fold in (0, 1):
                yield datetime.combine(day, opens.replace(fold=fold), tzinfo=zone).astimezone(UTC)
        if change := _clock_change(zone, day):
            yield change


def _clock_change(zone: ZoneInfo, day: date) -> datetime | None:
    """The instant the zone's UTC offset changes between the midnights that start and end `day`, if it does."""
    low = int(datetime.combine(day, time(), tzinfo=zone).timestamp())
    high = int(datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).timestamp())
    after = datetime.fromtimestamp(high, zone).utcoffset()
    if datetime.fromtimestamp(low, zone).utcoffset() == after:
        return None
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if datetime.fromtimestamp(middle, zone).utcoffset() == after else (middle, high)
    return datetime.fromtimestamp(high, UTC)


def local_time(hours: SupportHours, at: datetime) -> datetime:
    """`at` on the support zone's clock."""
    if at.utcoffset() is None:
        raise ValueError(f"{at.isoformat()} has no time zone; support hours need an aware datetime")
    return at.astimezone(hours.zone)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'America/New_York'") from None


def _date(text: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"closed date {text!r} is not a YYYY-MM-DD date")


def _days(spec: str) -> list[int]:
    days: list[int] = []
    for span in spec.split(","):
        first, dash, last = span.partition("-")
        start = _day(first)
        end = _day(last) if dash else start
        days.extend((start + step) % 7 for step in range((end - start) % 7 + 1))
    return list(dict.fromkeys(days))


def _day(name: str) -> int:
    if name not in _DAY_NAMES:
        raise ValueError(f"{name!r} is not a day (use mon, tue, wed, thu, fri, sat, sun)")
    return _DAY_NAMES[name]


def _intervals(tokens: list[str]) -> list[Interval]:
    if not tokens:
        raise ValueError("give intervals such as 09:00-18:00, or 'closed', or '24h' after the days")
    if tokens == ["closed"]:
        return []
    if tokens == ["24h"]:
        return [(time(), END_OF_DAY)]
    return [_interval(token) for token in tokens]


def _interval(token: str) -> Interval:
    match = _INTERVAL.fullmatch(token)
    if match is None:
        raise ValueError(f"{token!r} is not an HH:MM-HH:MM interval ('closed' and '24h' stand alone)")
    opens, closes = _clock(match[1], match[2], token), _clock(match[3], match[4], token)
    if closes <= opens:
        raise ValueError(f"{token!r} does not close after it opens; split one crossing midnight at 24:00")
    return opens, closes


def _clock(hour: str, minute: str, token: str) -> time:
    if (int(hour), int(minute)) == (24, 0):
        return END_OF_DAY
    if int(hour) > 23 or int(minute) > 59:
        raise ValueError(f"{token!r}: {hour}:{minute} is not a time of day")
    return time(int(hour), int(minute))


def _checked(day: int, intervals: Sequence[Interval]) -> tuple[Interval, ...]:
    ordered = tuple(sorted(intervals))
    for opens, closes in ordered:
        if closes <= opens:
            raise ValueError(
                f"{_DAYS[day].title()}: {clock_text(opens)}-{clock_text(closes)} does not close after it opens"
            )
    for (_, closes), (opens, _) in pairwise(ordered):
        if opens < closes:
            raise ValueError(f"{_DAYS[day].title()}: intervals overlap at {clock_text(opens)}")
    return ordered


def clock_text(moment: time) -> str:
    """A 24-hour clock time without a leading zero ("9:00"); midnight at the end of a day is "24:00"."""
    return "24:00" if moment == END_OF_DAY else f"{moment.hour}:{moment.minute:02d}"
