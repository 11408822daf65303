"""Local time in the customer's (or the shop's) zone: the next matching time of day, and
the end of quiet hours.

Pure: every function is given `now`; none reads a clock.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.language.conditions import lookup
from engine.language.definition import QuietHours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def resolve_timezone(name: str, context: dict[str, Any]) -> tzinfo:
    """`customer` → the customer's zone, else the shop's; `shop` → the shop's; else IANA."""
    candidates = {
        "customer": [lookup(context, "customer.timezone"), lookup(context, "shop.timezone")],
        "shop": [lookup(context, "shop.timezone")],
    }.get(name, [name])
    for candidate in candidates:
        if isinstance(candidate, str) and candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue  # an unknown zone from the shop's data falls back, never fails
    return UTC


def next_matching_time(now: datetime, at: str, days: Sequence[str], zone: tzinfo) -> datetime:
    """The first moment after `now` that is `at` (HH:MM) local time on one of `days` (any day
    when empty), in UTC. A local time skipped by a DST change resolves to the next valid one."""
    hour, minute = (int(part) for part in at.split(":"))
    local_now = now.astimezone(zone)
    for offset in range(8):
        day = local_now.date() + timedelta(days=offset)
        if days and WEEKDAYS[day.weekday()] not in days:
            continue
        candidate = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
        if candidate > now:
            return candidate
    raise AssertionError("some day within a week always matches")


def quiet_hours_end(quiet: QuietHours, now: datetime, zone: tzinfo) -> datetime | None:
    """When the quiet window that contains `now` ends (UTC), or None outside the window.

    The window runs from `start` (inclusive) to `end` (exclusive) local time and may span
    midnight (21:00–08:00).
    """
    local = now.astimezone(zone).strftime("%H:%M:%S")
    start, end = f"{quiet.start}:00", f"{quiet.end}:00"
    inside = start <= local < end if start < end else (local >= start or local < end)
    return next_matching_time(now, quiet.end, [], zone) if inside else None
