# As the public /km/ pages write a date (core/dates.py): "5 មករា 2024", the day, the Khmer
# month name and the year; not Django's "j ខែ F ឆ្នាំ Y", which no page of the site uses.
from cambodia_tracker.formats.inputs import (  # noqa: F401 - read by Django
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
