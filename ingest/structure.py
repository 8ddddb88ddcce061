"""Find the structure of minutes in cleaned lines: agenda items, sections, paragraphs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources

from kkr.ingest.dates import MONTHS
from kkr.ingest.normalise import Line, join_lines
from kkr.ingest.tables import Table, TableSpan, find_tables

ITEM_HEADING = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<title>[^\W\d_].*)$")
AGENDA_HEADING = re.compile(r"^(?P<number>\d{1,2})\.\s+(?P<title>[^\W\d_].*)$")
CASE_NUMBER = r"SAG-\d{4}-\d{3,6}"
CASE_LINE = re.compile(r"^(?:Sagsnr\.?:?\s*)?(?P<case>" + CASE_NUMBER + r")\b(?P<rest>.*)$", re.IGNORECASE)
INITIALS = re.compile(r"^[a-zæøå]{2,6}$")
INLINE_SECTION = re.compile(r"^(?P<head>[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå ]{3,40}?)\s*:\s+(?P<rest>\S.*)$")
BULLET = re.compile(r"^(?:[-–•*▪]\s|\d{1,2}[.)]\s|[a-z]\)\s)")


@dataclass
class Paragraph:
    """A paragraph: text with hyphenation undone, and the page it starts on."""

    text: str
    page: int


@dataclass
class Section:
    heading: str
    section_type: str  # local name of a kkr: section type
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # each after its `after` paragraphs

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def blocks(self) -> list[Paragraph | Table]:
        """Paragraphs and tables in document order."""
        out: list[Paragraph | Table] = list(self.paragraphs)
        for k, table in enumerate(self.tables):
            out.insert(table.after + k, table)
        return out

    def position_of(self, block: Paragraph | Table) -> int:
        """The 1-based position of a paragraph or table among the section's blocks."""
        return next(k for k, b in enumerate(self.blocks, start=1) if b is block)


@dataclass
class Item:
    """An agenda item: number ("3.2"), whole title, case number and its handlers' initials."""

    number: str
    title: str
    page: int
    position: int
    agenda_heading: str = ""
    case: str | None = None
    handlers: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def sections_of(self, section_type: str) -> list[Section]:
        return [s for s in self.sections if s.section_type == section_type]

    @property
    def decision_text(self) -> str | None:
        texts = [s.text for s in self.sections_of("DecisionSection") if s.text]
        return "\n\n".join(texts) if texts else None


@dataclass
class Minutes:
    """The structure of one document: its preamble lines and its items."""

    preamble: list[Line]
    items: list[Item]


def _load_section_map() -> dict:
    with resources.files("kkr.ingest").joinpath("patterns/sections.json").open(encoding="utf-8") as fh:
        return json.load(fh)


SECTION_MAP = _load_section_map()


def section_type_of(line: str) -> str | None:
    """The kkr: section type of a heading line, or None when it is not a section heading."""
    key = line.strip().rstrip(":").strip().lower()
    if key in SECTION_MAP["exact"]:
        return SECTION_MAP["exact"][key]
    for prefix, kind in SECTION_MAP["prefixes"].items():
        if key.startswith(prefix) and len(key) < 80:
            return kind
    return None


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(x) for x in number.split("."))


def _confirmed_agenda_headings(lines: list[Line]) -> set[int]:
    """Indexes of lines that are agenda headings ("4. Udpegninger").

    A numbered line is an agenda heading only when what follows it is an agenda item, another
    agenda heading, or the end of the document. A numbered list inside a case text is followed
    by ordinary text, so it is not taken for a heading.
    """
    confirmed: set[int] = set()
    next_kind, next_number = "end", None  # the nearest following non-blank line, and its major number
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text
        if not text:
            continue
        item = ITEM_HEADING.match(text)
        heading = AGENDA_HEADING.match(text)
        if heading and _is_date_line(heading):  # "2. februar 2026." wrapped onto a line of its own
            heading = None
        if item:
            next_kind, next_number = "item", _number_key(item["number"])[0]
        elif heading and _heading_fits(int(heading["number"]), next_kind, next_number):
            confirmed.add(i)
            next_kind, next_number = "heading", int(heading["number"])
        else:
            next_kind, next_number = "text", None
    return confirmed | _headings_without_items(lines, confirmed)


MAX_HEADING = 90  # an agenda heading is a short title line


def _headings_without_items(lines: list[Line], confirmed: set[int]) -> set[int]:
    """Agenda headings with no items under them that text follows ("5. Eventuelt" and then
    "Intet at bemærke.", or a page footer the cleaning left): a line "N. Title" where N is the
    next agenda number after the last heading or item, standing alone (a blank line or a page
    break before it), short, not ending like a sentence, and not the start of a numbered list
    (no "N+1. …" line right after it)."""
    found: set[int] = set()
    major = 0
    for i, line in enumerate(lines):
        text = line.text
        if not text:
            continue
        item = ITEM_HEADING.match(text)
        if item:
            major = max(major, _number_key(item["number"])[0])
            continue
        heading = AGENDA_HEADING.match(text)
        if not heading or _is_date_line(heading):
            continue
        number = int(heading["number"])
        if i in confirmed:
            major = number
            continue
        alone = i == 0 or not lines[i - 1].text or lines[i - 1].page != line.page
        following = next((ln.text for ln in lines[i + 1 :] if ln.text), "")
        list_goes_on = bool(re.match(rf"^{number + 1}\.\s", following))
        if (
            number == major + 1
            and alone
            and len(text) <= MAX_HEADING
            and not text.rstrip().endswith((".", ",", ":", ";"))
            and not list_goes_on
        ):
            found.add(i)
            major = number
    return found


def _is_date_line(heading: re.Match) -> bool:
    """Whether a line that looks like "N. Title" is the rest of a date broken over two lines."""
    first = heading["title"].split()[0].lower().rstrip(".,")
    return first in MONTHS


def _heading_fits(number: int, next_kind: str, next_number: int | None) -> bool:
    """A heading N is followed by its own items N.x, by a later heading, or by the end."""
    if next_kind == "end":
        return True
    if next_kind == "item":
        return next_number == number
    return next_kind == "heading" and next_number is not None and next_number > number


def parse_structure(lines: list[Line]) -> Minutes:
    """Split cleaned lines into preamble and agenda items with sections and paragraphs.

    Items are numbered "N.M." under agenda headings "N."; minutes that number their items with
    one level only ("4. Budget 2026", followed by a case number or a section heading) are read
    that way when no "N.M." item is found.
    """
    minutes = _parse(lines, single_level=False)
    return minutes if minutes.items else _parse(lines, single_level=True)


def _single_level_item(lines: list[Line], i: int, expected: int) -> re.Match | None:
    """A "N. Title" line that starts an item: a case number or a section heading follows soon, or
    it is the next number in sequence, on a line of its own after a blank line ("7. Eventuelt")."""
    m = AGENDA_HEADING.match(lines[i].text)
    if not m:
        return None
    following = [ln.text for ln in lines[i + 1 : i + 8] if ln.text][:4]
    if any(CASE_LINE.match(t) or section_type_of(t) or _inline_section(t) for t in following):
        return m
    title = m["title"].strip()
    after_blank = i == 0 or not lines[i - 1].text
    if int(m["number"]) == expected and after_blank and len(title) <= 80 and not title.endswith((".", ",", ";")):
        return m
    return None


def _inline_section(text: str) -> tuple[str, str, str] | None:
    """'Beslutning: Godkendt.' → (heading, kind, rest)."""
    m = INLINE_SECTION.match(text)
    if m:
        kind = section_type_of(m["head"])
        if kind:
            return m["head"].strip(), kind, m["rest"].strip()
    return None


def _parse(lines: list[Line], single_level: bool) -> Minutes:
    headings = set() if single_level else _confirmed_agenda_headings(lines)
    lengths = sorted(len(ln.text) for ln in lines if ln.text)
    full_line = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 80
    tables, table_end = _table_spans(lines), 0

    preamble: list[Line] = []
    items: list[Item] = []
    agenda_major = 0
    agenda_title = ""
    item: Item | None = None
    section: Section | None = None
    buffer: list[Line] = []
    state = "text"  # "title" while an item's title may continue on the next line
    title_line = ""

    def flush():
        nonlocal buffer
        if buffer and item is not None:
            target = section or _implicit_section(item)
            target.paragraphs.append(Paragraph(join_lines([b.text for b in buffer]), buffer[0].page))
        buffer = []

    for i, line in enumerate(lines):
        text = line.text
        if i < table_end:  # a line of the table just taken
            continue
        if i in headings:
            flush()
            heading = AGENDA_HEADING.match(text)
            assert heading is not None  # `headings` holds only lines that match it
            agenda_major, agenda_title = int(heading["number"]), heading["title"].strip()
            item, section, state = None, None, "text"
            continue
        expected = _number_key(items[-1].number)[0] + 1 if items else 1
        m = _single_level_item(lines, i, expected) if single_level else ITEM_HEADING.match(text)
        if m and _is_next_item(m["number"], items, agenda_major):
            flush()
            item = Item(m["number"], m["title"].strip(), line.page, len(items) + 1, agenda_title)
            items.append(item)
            section, state = None, "title"
            title_line = text
            continue
        if item is None:
            preamble.append(line)
            continue
        if state == "title":
            case = CASE_LINE.match(text)
            if case:
                item.case = case["case"].upper()
                item.handlers = [t for t in re.split(r"[\s/,]+", case["rest"]) if INITIALS.match(t)]
                state = "text"
                continue
            # a title runs on only from a line that was broken off (long, or ending in a hyphen)
            if (
                text
                and section_type_of(text) is None
                and not _inline_section(text)
                and not _ends_paragraph(title_line, full_line)
            ):
                item.title = join_lines([item.title, text])
                title_line = text
                continue
            state = "text"
        if i in tables:
            flush()
            target = section or _implicit_section(item)
            target.tables.append(tables[i].table(line.page, len(target.paragraphs)))
            table_end = tables[i].end
            continue
        kind = section_type_of(text) if text else None
        if kind:
            flush()
            section = Section(text.strip().rstrip(":"), kind)
            item.sections.append(section)
            continue
        inline = _inline_section(text) if text else None
        if inline:
            flush()
            section = Section(inline[0], inline[1])
            item.sections.append(section)
            line = Line(inline[2], line.page)
            text = line.text
        if not text:
            flush()
            continue
        if buffer and (BULLET.match(text) or _ends_paragraph(buffer[-1].text, full_line)):
            flush()
        buffer.append(line)
    flush()
    for it in items:
        it.sections = [s for s in it.sections if s.paragraphs or s.tables or s.section_type == "DecisionSection"]
    return Minutes(preamble, items)


def _is_next_item(number: str, items: list[Item], agenda_major: int) -> bool:
    key = _number_key(number)
    if items and key <= _number_key(items[-1].number):
        return False
    return agenda_major == 0 or key[0] >= agenda_major


def _ends_paragraph(previous: str, full_line: int) -> bool:
    """A clearly short line that does not end in a hyphen or comma ends its paragraph."""
    return len(previous) < 0.6 * full_line and not previous.endswith(("-", ","))


def _implicit_section(item: Item) -> Section:
    section = Section("(uden overskrift)", "OtherSection")
    item.sections.append(section)
    return section


def _table_spans(lines: list[Line]) -> dict[int, TableSpan]:
    """The tables among the lines (see tables.py), by their first line; no heading goes into one."""

    def stop(text: str) -> bool:
        return bool(
            section_type_of(text)
            or ITEM_HEADING.match(text)
            or AGENDA_HEADING.match(text)
            or CASE_LINE.match(text)
            or _inline_section(text)
        )

    return {span.start: span for span in find_tables([ln.columns or ln.text for ln in lines], stop)}
