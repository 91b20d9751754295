"""Support hours: parsing the settings, open or closed at an instant, the next opening and its wording."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

import pytest
from pydantic import BeforeValidator, TypeAdapter, ValidationError

from shared.core.schedule import END_OF_DAY, SupportHours, is_open, next_opening, parse_closed_dates, parse_weekly
from shared.handover.hours import describe_next_opening, describe_weekly

NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = "mon-fri 09:00-18:00"
BUSINESS = SupportHours.parse("America/New_York", "mon-fri 09:00-18:00; sat 10:00-14:00", "2026-12-25")
YEAR_END = "2026-12-24, 2026-12-25, 2026-12-28, 2026-12-29, 2026-12-30, 2026-12-31, 2027-01-01"


def ny(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=NEW_YORK)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def weekdays(zone: str = "America/New_York", closed: str = "") -> SupportHours:
    return SupportHours.parse(zone, WEEKDAYS, closed)


# Parsing


def test_parse_weekly_reads_ranges_lists_and_several_intervals_and_leaves_other_days_closed() -> None:
    weekly = parse_weekly("mon-wed 09:00-18:00; thu,sat 08:30-12:00 13:00-17:00; sun closed")

    assert weekly[0] == weekly[1] == weekly[2] == [(time(9), time(18))]
    assert weekly[3] == weekly[5] == [(time(8, 30), time(12)), (time(13), time(17))]
    assert weekly[4] == weekly[6] == []


def test_parse_weekly_is_forgiving_about_case_spaces_full_names_and_dashes() -> None:
    relaxed = parse_weekly(" Monday - FRI 9:00 – 18:00 ;  sat ,  Sunday 14:00-16:00  10:00-12:00 ")

    assert relaxed == parse_weekly("mon-fri 09:00-18:00; sat,sun 10:00-12:00 14:00-16:00")


def test_parse_weekly_lets_a_range_wrap_round_the_week() -> None:
    weekly = parse_weekly("fri-mon 10:00-16:00")

    assert [day for day, intervals in weekly.items() if intervals] == [0, 4, 5, 6]


def test_parse_weekly_reads_24h_as_the_whole_day_like_00_00_to_24_00() -> None:
    weekly = parse_weekly("sat 24h; sun 00:00-24:00")

    assert weekly[5] == weekly[6] == [(time(0), END_OF_DAY)]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "support hours are empty"),
        (" ; ", "support hours are empty"),
        ("mon-fri", "'mon-fri': give intervals"),
        ("mon-fry 09:00-18:00", "'fry' is not a day"),
        ("mon 9-18", "'mon 9-18': '9-18' is not an HH:MM-HH:MM interval"),
        ("mon 09:00-25:00", "25:00 is not a time of day"),
        ("mon 09:60-10:00", "09:60 is not a time of day"),
        ("fri 22:00-02:00", "'22:00-02:00' does not close after it opens; split one crossing midnight"),
        ("mon 09:00-09:00", "does not close after it opens"),
        ("mon 09:00-12:00 11:00-13:00", "Monday: intervals overlap at 11:00"),
        ("mon-fri 09:00-18:00; fri 10:00-12:00", "'fri 10:00-12:00': Friday is already set by an earlier clause"),
        ("sun closed 10:00-12:00", "'closed' is not an HH:MM-HH:MM interval ('closed' and '24h' stand alone)"),
    ],
)
def test_parse_weekly_names_the_bad_part(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=r"^support hours") as raised:
        parse_weekly(text)

    assert problem in str(raised.value)


def test_a_bad_weekly_setting_surfaces_as_a_pydantic_validation_error() -> None:
    setting = TypeAdapter(Annotated[object, BeforeValidator(parse_weekly)])

    with pytest.raises(ValidationError, match="'9-18' is not an HH:MM-HH:MM interval"):
        setting.validate_python("mon-fri 9-18")


def test_parse_closed_dates_reads_dates_separated_by_commas_or_spaces() -> None:
    assert parse_closed_dates("2026-12-25, 2027-01-01 2026-12-25,2026-07-03") == {
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2026, 7, 3),
    }
    assert parse_closed_dates("  ") == frozenset()


@pytest.mark.parametrize("bad", ["2026-13-01", "christmas", "20261225", "2026-2-3"])
def test_parse_closed_dates_names_the_bad_date(bad: str) -> None:
    with pytest.raises(ValueError, match=f"closed date '{bad}' is not a YYYY-MM-DD date"):
        parse_closed_dates(f"2026-12-25, {bad}")


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", "EST5EDT/x"])
def test_support_hours_refuse_an_unknown_time_zone(zone: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        SupportHours.parse(zone, WEEKDAYS)


def test_support_hours_built_in_code_are_sorted_checked_and_read_only() -> None:
    hours = SupportHours("Europe/Paris", {2: [(time(14), time(18)), (time(9), time(12))]})

    assert hours.weekly[2] == ((time(9), time(12)), (time(14), time(18)))
    assert hours.weekly[0] == ()
    with pytest.raises(TypeError):
        hours.weekly[0] = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        hours.time_zone = "UTC"
    with pytest.raises(ValueError, match="Wednesday: intervals overlap"):
        SupportHours("Europe/Paris", {2: [(time(9), time(12)), (time(11), time(13))]})
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6 \\(Sunday\\), not \\[7\\]"):
        SupportHours("Europe/Paris", {7: [(time(9), time(12))]})


# Open or closed


@pytest.mark.parametrize(
    "at, expected",
    [
        (ny(2026, 7, 1, 8, 59, 59), False),
        (ny(2026, 7, 1, 9, 0), True),
        (ny(2026, 7, 1, 17, 59, 59), True),
        (ny(2026, 7, 1, 18, 0), False),
    ],
)
def test_support_is_open_from_the_opening_minute_until_the_closing_minute(at: datetime, expected: bool) -> None:
    assert is_open(BUSINESS, at) is expected


def test_is_open_reads_any_zone_on_the_support_clock() -> None:
    assert is_open(BUSINESS, utc(2026, 7, 1, 13, 0))  # 9:00 EDT
    assert not is_open(BUSINESS, utc(2026, 7, 1, 12, 59))
    assert is_open(BUSINESS, datetime(2026, 7, 1, 15, 0, tzinfo=PARIS))  # 9:00 EDT


def test_support_is_closed_on_sunday_and_open_on_saturday_morning_only() -> None:
    assert not is_open(BUSINESS, ny(2026, 7, 5, 11, 0))
    assert is_open(BUSINESS, ny(2026, 7, 4, 11, 0))
    assert not is_open(BUSINESS, ny(2026, 7, 4, 15, 0))


def test_support_is_closed_on_a_closed_date() -> None:
    assert not is_open(BUSINESS, ny(2026, 12, 25, 11, 0))
    assert is_open(BUSINESS, ny(2026, 12, 24, 11, 0))


def test_closed_dates_follow_the_support_calendar_not_utc() -> None:
    always = SupportHours.parse("America/New_York", "mon-sun 24h", "2026-12-25")

    assert is_open(always, utc(2026, 12, 25, 3, 0))  # 22:00 on the 24th in New York
    assert not is_open(always, utc(2026, 12, 26, 3, 0))  # 22:00 on the 25th


def test_a_24h_day_runs_from_midnight_to_midnight() -> None:
    hours = SupportHours.parse("America/New_York", "sat 24h")

    assert not is_open(hours, ny(2026, 7, 3, 23, 59, 59, 999999))
    assert is_open(hours, ny(2026, 7, 4, 0, 0))
    assert is_open(hours, ny(2026, 7, 4, 23, 59, 59, 999999))
    assert not is_open(hours, ny(2026, 7, 5, 0, 0))


def test_an_interval_closing_at_24_00_stays_open_until_midnight() -> None:
    hours = SupportHours.parse("America/New_York", "fri 20:00-24:00")

    assert is_open(hours, ny(2026, 7, 3, 23, 59, 59, 999999))
    assert not is_open(hours, ny(2026, 7, 4, 0, 0))


def test_is_open_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        is_open(BUSINESS, datetime(2026, 7, 1, 10, 0))


@pytest.mark.parametrize(
    "zone, at, expected",
    [
        ("America/New_York", utc(2026, 3, 6, 13, 30), False),  # Friday 8:30 EST
        ("America/New_York", utc(2026, 3, 6, 22, 30), True),  # Friday 17:30 EST
        ("America/New_York", utc(2026, 3, 9, 13, 30), True),  # Monday 9:30 EDT
        ("America/New_York", utc(2026, 3, 9, 22, 30), False),  # Monday 18:30 EDT
        ("America/New_York", utc(2026, 10, 30, 13, 30), True),  # Friday 9:30 EDT
        ("America/New_York", utc(2026, 11, 2, 13, 30), False),  # Monday 8:30 EST
        ("Europe/Paris", utc(2026, 3, 27, 7, 30), False),  # Friday 8:30 CET
        ("Europe/Paris", utc(2026, 3, 30, 7, 30), True),  # Monday 9:30 CEST
        ("Europe/Paris", utc(2026, 10, 23, 7, 30), True),  # Friday 9:30 CEST
        ("Europe/Paris", utc(2026, 10, 26, 7, 30), False),  # Monday 8:30 CET
    ],
)
def test_hours_follow_the_local_clock_across_a_daylight_saving_change(zone: str, at: datetime, expected: bool) -> None:
    assert is_open(weekdays(zone), at) is expected


# The next opening


def test_next_opening_after_friday_closing_is_monday_morning() -> None:
    assert next_opening(weekdays(), ny(2026, 7, 3, 18, 0)) == ny(2026, 7, 6, 9, 0)


def test_next_opening_skips_a_holiday_and_the_weekend() -> None:
    assert next_opening(weekdays(closed="2026-12-25"), ny(2026, 12, 24, 18, 0)) == ny(2026, 12, 28, 9, 0)


def test_next_opening_can_be_later_the_same_day() -> None:
    hours = SupportHours.parse("America/New_York", "mon-fri 09:00-12:00 13:00-17:00")

    assert next_opening(hours, ny(2026, 7, 1, 12, 0)) == ny(2026, 7, 1, 13, 0)
    assert next_opening(hours, ny(2026, 7, 1, 7, 0)) == ny(2026, 7, 1, 9, 0)


def test_next_opening_while_open_is_now_on_the_support_clock() -> None:
    opening = next_opening(BUSINESS, utc(2026, 7, 1, 14, 15))

    assert opening == utc(2026, 7, 1, 14, 15)
    assert opening is not None and opening.tzinfo == NEW_YORK


@pytest.mark.parametrize(
    "zone, at, expected, abbreviation",
    [
        ("America/New_York", ny(2026, 3, 6, 18, 0), utc(2026, 3, 9, 13, 0), "EDT"),
        ("America/New_York", ny(2026, 10, 30, 18, 0), utc(2026, 11, 2, 14, 0), "EST"),
        ("Europe/Paris", datetime(2026, 3, 27, 18, 0, tzinfo=PARIS), utc(2026, 3, 30, 7, 0), "CEST"),
        ("Europe/Paris", datetime(2026, 10, 23, 18, 0, tzinfo=PARIS), utc(2026, 10, 26, 8, 0), "CET"),
    ],
)
def test_next_opening_across_a_clock_change_weekend_is_nine_on_the_new_clock(
    zone: str, at: datetime, expected: datetime, abbreviation: str
) -> None:
    opening = next_opening(weekdays(zone), at)

    assert opening == expected
    assert opening is not None and opening.strftime("%H:%M %Z") == f"09:00 {abbreviation}"


def test_an_opening_time_the_clock_skips_opens_when_the_clock_jumps() -> None:
    hours = SupportHours.parse("America/New_York", "sun 02:30-05:00")  # 2:00 EST jumps to 3:00 EDT on 8 March

    assert next_opening(hours, ny(2026, 3, 7, 12, 0)) == utc(2026, 3, 8, 7, 0)
    assert not is_open(hours, utc(2026, 3, 8, 6, 59, 59))
    assert is_open(hours, utc(2026, 3, 8, 7, 0))


def test_a_24h_day_that_starts_with_a_clock_jump_opens_at_the_jump() -> None:
    hours = SupportHours.parse("America/Santiago", "sun 24h")  # Saturday 24:00 becomes Sunday 1:00 on 6 September
    opening = next_opening(hours, datetime(2026, 9, 5, 12, 0, tzinfo=ZoneInfo("America/Santiago")))

    assert opening == utc(2026, 9, 6, 4, 0)
    assert opening is not None and opening.strftime("%a %H:%M") == "Sun 01:00"


def test_an_hour_the_clock_repeats_opens_on_each_pass() -> None:
    hours = SupportHours.parse("America/New_York", "sun 01:00-01:30")  # 1:00 to 2:00 happens twice on 1 November

    # Python never finds a time in a repeated hour equal to one in another zone: compare in UTC.
    first = next_opening(hours, ny(2026, 10, 31, 12, 0))
    second = next_opening(hours, utc(2026, 11, 1, 5, 45))

    assert first is not None and (first.astimezone(UTC), first.strftime("%H:%M %Z")) == (
        utc(2026, 11, 1, 5),
        "01:00 EDT",
    )
    assert second is not None and (second.astimezone(UTC), second.strftime("%H:%M %Z")) == (
        utc(2026, 11, 1, 6),
        "01:00 EST",
    )


def test_next_opening_is_none_when_support_does_not_open_within_fourteen_days() -> None:
    never = SupportHours.parse("Europe/Paris", "mon-sun closed")
    mondays = SupportHours.parse("Europe/Paris", "mon 09:00-10:00", "2026-07-06, 2026-07-13")

    assert next_opening(never, utc(2026, 7, 1, 12, 0)) is None
    assert next_opening(mondays, utc(2026, 7, 1, 12, 0)) is None
    assert next_opening(mondays, utc(2026, 7, 6, 12, 0)) == datetime(2026, 7, 20, 9, 0, tzinfo=PARIS)


# Words


@pytest.mark.parametrize(
    "at, closed, expected",
    [
        (ny(2026, 7, 1, 7, 0), "", "today at 9:00 EDT"),
        (ny(2026, 7, 1, 18, 0), "", "tomorrow at 9:00 EDT"),
        (ny(2026, 7, 3, 18, 0), "", "Monday at 9:00 EDT"),
        (ny(2026, 3, 6, 18, 0), "", "Monday at 9:00 EDT"),  # asked in EST, opens in EDT
        (ny(2026, 12, 23, 18, 0), YEAR_END, "Monday, January 4 at 9:00 EST"),
        (ny(2026, 7, 1, 10, 15), "", "today at 10:15 EDT"),
    ],
)
def test_describe_next_opening_says_today_tomorrow_a_weekday_or_a_date(
    at: datetime, closed: str, expected: str
) -> None:
    assert describe_next_opening(weekdays(closed=closed), at) == expected


@pytest.mark.parametrize(
    "locale, today, tomorrow, weekday, later",
    [
        ("fr", "aujourd'hui à 9:00 EDT", "demain à 9:00 EDT", "lundi à 9:00 EDT", "lundi 4 janvier à 9:00 EST"),
        (
            "es",
            "hoy a las 9:00 EDT",
            "mañana a las 9:00 EDT",
            "el lunes a las 9:00 EDT",
            "el lunes 4 de enero a las 9:00 EST",
        ),
        ("de", "heute um 9:00 EDT", "morgen um 9:00 EDT", "Montag um 9:00 EDT", "Montag, 4. Januar um 9:00 EST"),
        ("it", "oggi alle 9:00 EDT", "domani alle 9:00 EDT", "lunedì alle 9:00 EDT", "lunedì 4 gennaio alle 9:00 EST"),
        (
            "pt",
            "hoje às 9:00 EDT",
            "amanhã às 9:00 EDT",
            "segunda-feira às 9:00 EDT",
            "segunda-feira, 4 de janeiro às 9:00 EST",
        ),
        ("nl", "vandaag om 9:00 EDT", "morgen om 9:00 EDT", "maandag om 9:00 EDT", "maandag 4 januari om 9:00 EST"),
    ],
)
def test_describe_next_opening_in_each_language(
    locale: str, today: str, tomorrow: str, weekday: str, later: str
) -> None:
    hours = weekdays(closed=YEAR_END)

    assert describe_next_opening(hours, ny(2026, 7, 1, 7, 0), locale) == today
    assert describe_next_opening(hours, ny(2026, 7, 1, 18, 0), locale) == tomorrow
    assert describe_next_opening(hours, ny(2026, 7, 3, 18, 0), locale) == weekday
    assert describe_next_opening(hours, ny(2026, 12, 23, 18, 0), locale) == later


def test_describe_next_opening_uses_the_support_zone_abbreviation_at_that_instant() -> None:
    paris = weekdays("Europe/Paris")

    assert describe_next_opening(paris, utc(2026, 1, 14, 20, 0), "fr") == "demain à 9:00 CET"
    assert describe_next_opening(paris, utc(2026, 7, 14, 20, 0), "fr") == "demain à 9:00 CEST"
    assert describe_next_opening(weekdays("America/Sao_Paulo"), utc(2026, 7, 14, 23, 0)) == "tomorrow at 9:00 UTC-03"


def test_describe_next_opening_says_one_oclock_as_each_language_does() -> None:
    hours = SupportHours.parse("America/New_York", "mon 01:00-05:00")

    assert describe_next_opening(hours, ny(2026, 7, 5, 12, 0), "es") == "mañana a la 1:00 EDT"
    assert describe_next_opening(hours, ny(2026, 7, 5, 12, 0), "pt") == "amanhã à 1:00 EDT"
    assert describe_next_opening(hours, ny(2026, 7, 5, 12, 0), "it") == "domani alle ore 1:00 EDT"


def test_describe_next_opening_reads_regional_locales_and_falls_back_to_english() -> None:
    assert describe_next_opening(BUSINESS, ny(2026, 7, 1, 18, 0), "es-MX") == "mañana a las 9:00 EDT"
    assert describe_next_opening(BUSINESS, ny(2026, 7, 1, 18, 0), "fr_CA") == "demain à 9:00 EDT"
    assert describe_next_opening(BUSINESS, ny(2026, 7, 1, 18, 0), "pt-BR") == "amanhã às 9:00 EDT"
    assert describe_next_opening(BUSINESS, ny(2026, 7, 1, 18, 0), "ja-JP") == "tomorrow at 9:00 EDT"


def test_describe_next_opening_is_none_when_support_never_opens() -> None:
    assert describe_next_opening(SupportHours.parse("UTC", "sun closed"), utc(2026, 7, 1, 12, 0)) is None


@pytest.mark.parametrize(
    "locale, expected",
    [
        ("en", "Monday to Friday 9:00–18:00, Saturday 10:00–14:00 (America/New_York)"),
        ("fr", "du lundi au vendredi 9:00–18:00, samedi 10:00–14:00 (America/New_York)"),
        ("es", "de lunes a viernes 9:00–18:00, sábado 10:00–14:00 (America/New_York)"),
        ("de", "Montag bis Freitag 9:00–18:00, Samstag 10:00–14:00 (America/New_York)"),
        ("it", "da lunedì a venerdì 9:00–18:00, sabato 10:00–14:00 (America/New_York)"),
        ("pt", "de segunda-feira a sexta-feira 9:00–18:00, sábado 10:00–14:00 (America/New_York)"),
        ("nl", "maandag t/m vrijdag 9:00–18:00, zaterdag 10:00–14:00 (America/New_York)"),
    ],
)
def test_describe_weekly_in_each_language(locale: str, expected: str) -> None:
    assert describe_weekly(BUSINESS, locale) == expected


@pytest.mark.parametrize(
    "weekly, locale, expected",
    [
        ("mon,wed 08:30-12:00 13:00-17:00; sun closed", "en", "Monday and Wednesday 8:30–12:00 and 13:00–17:00"),
        ("mon-wed,fri 09:00-17:00", "en", "Monday to Wednesday and Friday 9:00–17:00"),
        ("mon-fri 08:00-20:00; sat,sun 24h", "en", "Monday to Friday 8:00–20:00, Saturday and Sunday 24 hours"),
        ("mon-fri 08:00-20:00; sat,sun 24h", "de", "Montag bis Freitag 8:00–20:00, Samstag und Sonntag 24 Stunden"),
        ("sat,sun 24h", "fr", "samedi et dimanche 24 h/24"),
        ("fri 20:00-24:00", "es", "viernes 20:00–24:00"),
        ("mon-sun closed", "en", "closed"),
        ("mon-sun closed", "fr", "fermé"),
        ("sat,sun 24h", "it", "sabato e domenica 24 ore su 24"),
        ("mon-fri 08:00-20:00; sat,sun 24h", "nl", "maandag t/m vrijdag 8:00–20:00, zaterdag en zondag 24 uur"),
    ],
)
def test_describe_weekly_groups_days_with_the_same_hours(weekly: str, locale: str, expected: str) -> None:
    hours = SupportHours.parse("Europe/Paris", weekly)

    assert describe_weekly(hours, locale) == f"{expected} (Europe/Paris)"
