"""Publication dates inferred from an article's own text (dates and weekday names)."""
from __future__ import annotations

import bisect
import re
from datetime import date, timedelta
from typing import Optional


_MONTHS = {m: i for i, names in enumerate((
    ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
    ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"),
    ("October", "Oct"), ("November", "Nov"), ("December", "Dec")), start=1) for m in names}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
# Month names are matched capitalised only, so the verb "may" is not a month.
_FULL_DATES = (
    re.compile(rf"\b{_MON}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}"),          # May 8, 2024
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\s*,?\s+{_YEAR}"),       # 8 May 2024
    re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)(?![\d-])"),  # ISO
)
_PARTIAL_DATES = (
    re.compile(rf"\b{_MON}\s+{_DAY}(?![\d:])"),                       # April 17
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b"),                    # 17 April
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = re.compile(r"\b(?P<wd>" + "|".join(_WEEKDAYS) + r")\b(?!\s*,?\s*(?:[0-3]?\d\s+)?(?:"
                      + "|".join(_MONTHS) + r")\b)")
_NOT_THIS_WEEK = re.compile(r"\b(?:last|next|every|coming|following|previous|past|each)\s+$", re.I)
_HALF_YEAR = timedelta(days=183)


def _month(value: str) -> int:
    return int(value) if value.isdigit() else _MONTHS[value]


def _make_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def infer_published(text: str) -> Optional[date]:
    """Infer a publication date from dates and weekday names in ``text``.

    The base is the latest full date (with year) in the text; dates without a
    year ("April 17") take the year of the latest full date (the year before if
    that would put them over half a year later) and count too. A weekday named
    on its own ("said on Thursday", not "last Thursday") is placed at its
    nearest occurrence to the base (within three days either way, since news
    refers to the current week); when later than the base it becomes the
    published date. None when the text holds no full date.
    """
    full: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _FULL_DATES:
        for m in pattern.finditer(text):
            day = _make_date(int(m["year"]), _month(m["mon"]), int(m["day"]))
            if day is not None:
                full.append((m.start(), m.end(), day))
                taken.append(m.span())
    if not full:
        return None
    taken.sort()
    starts = [start for start, _ in taken]
    latest_full = max(d for _, _, d in full)
    candidates = [latest_full]
    for pattern in _PARTIAL_DATES:
        for m in pattern.finditer(text):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and m.start() < taken[k][1]:
                continue  # part of a full date already counted
            day = _make_date(latest_full.year, _month(m["mon"]), int(m["day"]))
            if day is not None and day - latest_full > _HALF_YEAR:
                day = _make_date(latest_full.year - 1, _month(m["mon"]), int(m["day"]))
            if day is not None:
                candidates.append(day)
    base = max(candidates)
    published = base
    for m in _WEEKDAY.finditer(text):
        if _NOT_THIS_WEEK.search(text[max(0, m.start() - 20):m.start()]):
            continue
        offset = (_WEEKDAYS.index(m["wd"]) - base.weekday()) % 7
        if offset > 3:
            offset -= 7  # nearest occurrence: the Monday before a Wednesday, not after
        published = max(published, base + timedelta(days=offset))
    return published
