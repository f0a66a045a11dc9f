"""Date formats for the admin and every date Django formats by itself (change lists, read-only
fields, history), the way the public site writes them: "5 January 2024", in Khmer with Khmer
month names ("5 មករា 2024", as core.dates.PartialDate writes them on /km/ pages). Inputs stay
ISO only (common.py): typing 2024-01-05 is never ambiguous."""
