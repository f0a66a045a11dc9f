"""What a date or time typed into a form may look like, in every language: ISO only. Django's
English defaults also take "05/01/2024" and read it the US way (1 May), which a monitor who
means 5 January would never notice; the inputs say "YYYY-MM-DD" beside them."""

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
]
