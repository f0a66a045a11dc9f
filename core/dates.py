"""Dates that are only as precise as their source.

A source may say "7 February 2024", "October 2023", "2021" or "the week before the elections".
We store such a date as two columns: the first day of the period it names, and its precision.
``PartialDate`` turns that pair into honest text ("October 2023", never "1 October 2023"),
into ISO-like strings for the API ("2023-10"), and back again.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("exact day")
    MONTH = "month", _("month only")
    YEAR = "year", _("year only")
    # Known roughly: stored as our best estimate of the month, shown as "c. July 2023".
    APPROXIMATE = "approximate", _("approximate")


_ISO_PATTERN = re.compile(
    r"^(?P<approx>[~]|c\.\s*)?(?P<year>\d{4})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?$"
)


@dataclass(frozen=True, order=True)
class PartialDate:
    date: datetime.date
    precision: str = DatePrecision.DAY

    def __post_init__(self):
        if self.precision not in DatePrecision.values:
            raise ValueError(f"unknown date precision {self.precision!r}")
        object.__setattr__(self, "date", self.normalise(self.date, self.precision))

    @staticmethod
    def normalise(value, precision):
        """The first day of the period that ``value`` names at ``precision``."""
        if precision in (DatePrecision.MONTH, DatePrecision.APPROXIMATE):
            return value.replace(day=1)
        if precision == DatePrecision.YEAR:
            return value.replace(month=1, day=1)
        return value

    @property
    def earliest(self):
        return self.date

    @property
    def latest(self):
        """The last day the period could be."""
        if self.precision in (DatePrecision.MONTH, DatePrecision.APPROXIMATE):
            last = calendar.monthrange(self.date.year, self.date.month)[1]
            return self.date.replace(day=last)
        if self.precision == DatePrecision.YEAR:
            return self.date.replace(month=12, day=31)
        return self.date

    def isoformat(self):
        text = iso_at_precision(self.date, self.precision)
        return f"~{text}" if self.precision == DatePrecision.APPROXIMATE else text

    def __str__(self):
        if self.precision == DatePrecision.DAY:
            return date_format(self.date, "j F Y")
        if self.precision == DatePrecision.MONTH:
            return date_format(self.date, "F Y")
        if self.precision == DatePrecision.YEAR:
            return date_format(self.date, "Y")
        return _("c. %(month)s") % {"month": date_format(self.date, "F Y")}

    @classmethod
    def parse(cls, text):
        """Parse "2024", "2024-03", "2024-03-07" or "~2024-03" (approximate).

        Raises ``ValidationError`` with a message a person can act on.
        """
        if isinstance(text, datetime.date):
            return cls(text, DatePrecision.DAY)
        raw = str(text).strip()
        match = _ISO_PATTERN.match(raw)
        if not match:
            raise ValidationError(
                _("“%(value)s” is not a date. Use YYYY, YYYY-MM, YYYY-MM-DD or ~YYYY-MM."),
                code="invalid",
                params={"value": raw},
            )
        year, month, day = match["year"], match["month"], match["day"]
        if match["approx"]:
            if day or not month:
                raise ValidationError(
                    _("An approximate date is written as ~YYYY-MM, not “%(value)s”."),
                    code="invalid",
                    params={"value": raw},
                )
            precision = DatePrecision.APPROXIMATE
        elif day:
            precision = DatePrecision.DAY
        elif month:
            precision = DatePrecision.MONTH
        else:
            precision = DatePrecision.YEAR
        try:
            value = datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a real date."), code="invalid", params={"value": raw}
            ) from None
        return cls(value, precision)


def precision_field(verbose_name=None, **kwargs):
    """The companion column that says how precise a date column is."""
    return models.CharField(
        verbose_name or _("date precision"),
        max_length=12,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        **kwargs,
    )


def iso_at_precision(value, precision):
    """``value`` written at ``precision`` without the approximate mark: 2024-03-07, 2024-03 or
    2024 (an approximate date is a month); None when the date is unknown. The API writes dates
    this way, the precision in a field of its own."""
    if value is None:
        return None
    if precision == DatePrecision.DAY:
        return value.isoformat()
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    return f"{value.year:04d}-{value.month:02d}"


def precision_of(value, precision):
    """The precision to write beside ``value``: none when the date itself is unknown."""
    return None if value is None else precision


def partial(value, precision):
    """A PartialDate, or None when the date is unknown."""
    if value is None:
        return None
    return PartialDate(value, precision)


IMPOSSIBLE_OFFSET = _("That UTC offset does not exist; use -12:00 to +14:00.")


def offset_exists(moment):
    """False for a time whose UTC offset no place on Earth uses (beyond ±14 hours), which
    databases refuse to store or compare."""
    offset = moment.utcoffset() if moment is not None else None
    return offset is None or abs(offset) <= datetime.timedelta(hours=14)


NAIVE_TIME = _("Give the time with its UTC offset (e.g. 2024-05-31T00:00:00Z).")


def names_its_offset(text):
    """True when an ISO 8601 time says which UTC offset it is in. A time without one would be
    read in the server's zone, which a caller elsewhere would not expect."""
    from django.utils.dateparse import parse_datetime

    try:
        moment = parse_datetime(str(text).strip())
    except ValueError:
        return True  # not a time at all: the field's own parser says so
    return moment is None or moment.tzinfo is not None


def utc_iso(value):
    """A timestamp as the API writes it everywhere (JSON, CSV, server_time): ISO 8601 in UTC,
    with ``Z``. A naive value is taken as UTC (SQLite's text)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
