"""Reading public pages the way a reader does: the HTML as a small tree (the standard library
only), the iCalendar and CSV bodies as lines and rows."""

import csv
import io
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        """The text inside, with runs of white space made one space."""
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, class_=None, **attrs):
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (class_ is None or class_ in element.classes)
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag=None, class_=None, **attrs):
        found = self.find_all(tag, class_, **attrs)
        assert found, f"no <{tag or '*'}> with class={class_!r} {attrs} on the page"
        return found[0]


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def page(response):
    """The response's HTML as a tree."""
    builder = TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def body(response):
    return response.content.decode()


def link_params(href):
    """``?a=1&b=2`` as a set of (name, value) pairs."""
    return set(parse_qsl(urlsplit(href).query))


def facet_counts(response):
    """{(filter name, value): count shown beside it} for every filter the sidebar offers to add
    (an active filter links to its own removal and is left out)."""
    current = set(response.wsgi_request.GET.items())
    counts = {}
    for link in page(response).find("aside", class_="facets").find_all("a"):
        count = link.find_all("span", class_="count")
        if not count or "aria-current" in link.attrs:
            continue  # "Clear all filters", or an active filter
        (added,) = link_params(link.attrs["href"]) - current
        counts[added] = int(count[0].text())
    return counts


def facet_values(response, name):
    """{value: count} of one facet."""
    return {value: n for (key, value), n in facet_counts(response).items() if key == name}


def result_titles(response):
    """The case titles listed on a case list page, in order."""
    results = page(response).find("ol", class_="case-results")
    return [h3.text() for h3 in results.find_all("h3")]


def table_rows(table):
    """A table's body as rows of cell text."""
    body_ = table.find("tbody")
    return [[cell.text() for cell in row.find_all("td")] for row in body_.find_all("tr")]


def csv_rows(response):
    """A statistics CSV's rows; the file starts with a byte-order mark (utf-8-sig)."""
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def ics_lines(response):
    """The iCalendar body unfolded into logical lines (RFC 5545, 3.1)."""
    text = response.content.decode()
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def ics_events(response):
    """Each VEVENT as a dict of property name (with parameters) -> value."""
    events, current = [], None
    for line in ics_lines(response):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events
