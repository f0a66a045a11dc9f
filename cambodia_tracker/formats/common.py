"""The site's date formats, the same in English and Khmer (the month names come from each
language's catalogue): "5 January 2024" and "5 មករា 2024", as core/dates.py writes them on the
public pages, never Django's US "Jan. 5, 2024" or its Khmer "j ខែ F ឆ្នាំ Y".

What a date or time typed into a form may look like, in every language: ISO only. Django's
English defaults also take "05/01/2024" and read it the US way (1 May), which a monitor who
means 5 January would never notice; the inputs say "YYYY-MM-DD" beside them."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
]
