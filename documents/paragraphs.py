"""A document's text as blocks, its numbered paragraphs found so that "para. 39" can link to
``#para-39``. A line starting "39. " begins paragraph 39 only when 38 came before it, so a
line starting with a year ("2023. ") or a list item is not taken for one."""

import re
from dataclasses import dataclass, field

NUMBERED = re.compile(r"^\s*(\d{1,4})\.\s+\S")


@dataclass
class Block:
    number: int | None = None
    lines: list = field(default_factory=list)

    @property
    def text(self):
        return "\n".join(self.lines).strip()


def blocks(text):
    """[Block, …]: the text split at blank lines and at each numbered paragraph's start."""
    result = []
    expected = 1
    current = None
    for line in (text or "").splitlines():
        found = NUMBERED.match(line)
        if found and int(found.group(1)) == expected:
            current = Block(number=expected, lines=[line.strip()])
            result.append(current)
            expected += 1
        elif not line.strip():
            current = None
        elif current is None:
            current = Block(lines=[line.strip()])
            result.append(current)
        else:
            current.lines.append(line.strip())
    return result


_NUMBER = re.compile(r"\d+")


def first_paragraph(paragraph):
    """The first paragraph number a citation names ("40-41" → 40), or None."""
    found = _NUMBER.search(str(paragraph or ""))
    return int(found.group()) if found else None
