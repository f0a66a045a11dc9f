"""Reading the monitor's dashboard as a person does: a section, its lines, its clock table."""

import datetime
import html
import re
import zoneinfo

import time_machine

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


def dashboard_section(client, user, heading_id):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    match = re.search(
        rf'<section aria-labelledby="{heading_id}"[^>]*>(.*?)</section>',
        response.content.decode(),
        flags=re.DOTALL,
    )
    assert match, f"no dashboard section {heading_id!r}"
    return match.group(1)


def text(fragment):
    """The words of an HTML fragment, spaced as a reader sees them."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([:),])", r"\1", words))


def alert_lines(section):
    return [text(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", section, flags=re.DOTALL)]


def clock_rows(section):
    """The clock table as dicts keyed by its column headings."""
    headings = [text(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", section, re.DOTALL)]
    rows = []
    for row in re.findall(r"<tr class=[^>]*>(.*?)</tr>", section, flags=re.DOTALL):
        cells = [text(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        rows.append(dict(zip(headings, cells, strict=True)))
    return rows


def on_phnom_penh_day(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), tzinfo=PHNOM_PENH), tick=False
    )
