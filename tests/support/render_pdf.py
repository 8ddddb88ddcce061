"""Render the plain-text sample minutes (samples/*.txt) into PDFs that look
like the minutes KL publishes, and make a few deliberately bad inputs.

The renderer is a test fixture, not part of the product. It mimics what
matters for text extraction:

* A4 pages, a running header ("KKR Sjælland | Referat | 10. marts 2025") and
  a footer "Side N af M" on every page;
* body text in Helvetica 10.5 pt, drawn line by line with
  ``canvas.drawString`` so every printed line is one text line in the PDF;
* greedy word wrapping at a fixed width, hyphenating words that do not fit
  ("sundheds-" / "aftalen") at a syllable-ish point;
* agenda headings ("2. Regionalpolitiske sager") and item titles
  ("2.1. ...") in bold; every agenda heading starts on a new page.

Layout of the text files: one paragraph per line, blank lines between
blocks. An agenda heading is a line "N. Title" that stands alone (blank line
before and after) and whose number is the previous heading's plus one, so
numbered lists inside a case ("1. ...", "2. ..." on consecutive lines) are not
taken for headings. A line with tab characters is a table row (cells separated
by tabs); the first row of a block of such lines is its header row. A first
line "Dagsorden" (an agenda) is set like "Referat".

Layout variants. A sidecar file ``<stem>.layout.json`` next to ``<stem>.txt``
(or ``layout=`` given to ``render_minutes_pdf``) changes the page furniture;
without it a document renders exactly as described above. Keys (all optional):

* ``header``: template of the running header, or null for none. Placeholders
  ``{body}`` ("KKR Sjælland"), ``{BODY}`` ("KKR SJÆLLAND"), ``{type}``
  ("Referat"/"Dagsorden"), ``{date}`` ("10. marts 2025"), ``{page}``,
  ``{total}``. Default: "{body} | {type} | {date}" as derived from the file.
* ``header_from_page``: first page that gets the running header (default 1;
  2 = no header on the first page).
* ``first_page_header``: a different header line on page 1 only (a logo line
  such as "KL · Kommunekontaktrådene").
* ``header_rule``: draw the rule under the header (default true).
* ``footer``: template of the footer, or null for none (default
  "Side {page} af {total}"; e.g. "{BODY} | Side {page}", "Side {page}",
  "{page}/{total}"). ``footer_align``: "right" (default), "center" or "left".
* ``agenda_new_page``: start every agenda heading on a new page (default true).
* ``table_columns``: x positions of the right edges of a table's number
  columns (default 330, 420, 510 pt; the last ones are used when a row has
  fewer cells). The label is drawn at the left margin, each number
  right-aligned at its column, all on one baseline: one PDF text line per row.

``furniture_strings`` tells which header/footer strings a document prints
(the gold files' list of strings that must not leak into paragraphs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

PAGE_W, PAGE_H = A4
MARGIN_L = 70.0
MARGIN_R = 70.0
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R
TOP_Y = PAGE_H - 90.0  # baseline of the first body line
BOTTOM_Y = 72.0  # no body baseline below this
HEADER_Y = PAGE_H - 45.0
FOOTER_Y = 36.0

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
BODY_SIZE = 10.5
LEADING = 13.5
BLANK_GAP = 7.0
DEFAULT_TABLE_COLUMNS = (330.0, 420.0, 510.0)

SECTION_HEADINGS = {
    "Baggrund",
    "Indstilling",
    "Sagsfremstilling",
    "Økonomi",
    "Beslutning",
    "Bilag",
}

ENCRYPTED_PASSWORD = "hemmelig"

_AGENDA_RE = re.compile(r"^(\d{1,2})\.\s+\S")
_ITEM_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.\s+\S")
_LIST_RE = re.compile(r"^(\d{1,2}\.|–|-|•)\s+")
_VOWELS = set("aeiouyæøåéAEIOUYÆØÅÉ")
_TRAILING_PUNCT = ',.;:)!?”"'
_ONSETS2 = {
    "bl",
    "br",
    "dr",
    "fl",
    "fr",
    "gl",
    "gr",
    "kl",
    "kn",
    "kr",
    "pl",
    "pr",
    "sk",
    "sl",
    "sm",
    "sn",
    "sp",
    "st",
    "sv",
    "tr",
    "tv",
    "kv",
    "gj",
    "tj",
    "sj",
}
_ONSETS3 = {"skr", "spr", "str", "spl", "skv"}


# --------------------------------------------------------------------------
# hyphenation and wrapping


def _split_points(word: str) -> list[int]:
    """Indices i where ``word[:i] + '-'`` / ``word[i:]`` is an acceptable
    syllable-ish break: at least 3 letters before, at least 3 letters after,
    and the rest starts with consonant + vowel (Danish "sund-heds-af-tale")."""
    core = word.rstrip(_TRAILING_PUNCT)
    if len(core) < 6 or not core.isalpha() or core.isupper():
        return []
    low = core.lower()
    points = set()
    for i in range(1, len(core) - 2):
        c, nxt = low[i], low[i + 1]
        if c in _VOWELS or nxt not in _VOWELS:
            continue
        # break before consonant + vowel, but keep a common onset together
        # ("tema-drøftelse", "red-skab", "ind-stilling")
        j = i
        if i >= 3 and low[i - 2 : i + 1] in _ONSETS3:
            j = i - 2
        elif i >= 2 and low[i - 1 : i + 1] in _ONSETS2:
            j = i - 1
        if 3 <= j <= len(core) - 3:
            points.add(j)
    return sorted(points)


def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def wrap_text(
    text: str,
    font: str = FONT,
    size: float = BODY_SIZE,
    width: float = TEXT_W,
    first_indent: float = 0.0,
    cont_indent: float = 0.0,
) -> list[tuple[float, str]]:
    """Greedy wrap with hyphenation. Returns (indent, line) pairs."""
    lines: list[tuple[float, str]] = []
    cur = ""

    def avail() -> float:
        return width - (first_indent if not lines else cont_indent)

    def indent() -> float:
        return first_indent if not lines else cont_indent

    for word in text.split():
        while True:
            cand = f"{cur} {word}" if cur else word
            if _width(cand, font, size) <= avail():
                cur = cand
                break
            # the word does not fit: hyphenate it if a split point fits
            prefix = f"{cur} " if cur else ""
            best = None
            for i in _split_points(word):
                if _width(prefix + word[:i] + "-", font, size) <= avail():
                    best = i
            if best is not None:
                lines.append((indent(), prefix + word[:best] + "-"))
                cur = ""
                word = word[best:]
                continue  # the rest may need yet another split
            if cur:
                lines.append((indent(), cur))
                cur = ""
                continue
            # a single unbreakable word wider than the line: print it anyway
            lines.append((indent(), word))
            word = ""
            break
    if cur:
        lines.append((indent(), cur))
    return lines


# --------------------------------------------------------------------------
# classification of the text lines


@dataclass
class _Line:
    kind: str  # title, body, front, agenda, item, section, list, blank, case
    text: str


def _classify(raw_lines: list[str]) -> list[_Line]:
    lines = [ln.rstrip() for ln in raw_lines]
    out: list[_Line] = []
    last_agenda = 0
    seen_agenda = False
    for idx, ln in enumerate(lines):
        if not ln.strip():
            out.append(_Line("blank", ""))
            continue
        if "\t" in ln:
            header = idx == 0 or "\t" not in lines[idx - 1]
            out.append(_Line("tablehead" if header else "table", ln))
            continue
        prev_blank = idx == 0 or not lines[idx - 1].strip()
        next_blank = idx + 1 >= len(lines) or not lines[idx + 1].strip()
        m = _AGENDA_RE.match(ln)
        if m and not _ITEM_RE.match(ln) and prev_blank and next_blank and int(m.group(1)) == last_agenda + 1:
            last_agenda += 1
            seen_agenda = True
            out.append(_Line("agenda", ln))
        elif _ITEM_RE.match(ln):
            out.append(_Line("item", ln))
        elif not seen_agenda:
            if ln.strip() in ("Referat", "Dagsorden") and not any(o.kind == "title" for o in out):
                out.append(_Line("title", ln))
            elif ln.startswith("KKR ") or ln in ("Mission", "Vision"):
                out.append(_Line("frontbold", ln))
            else:
                out.append(_Line("body", ln))
        elif ln.strip() in SECTION_HEADINGS:
            out.append(_Line("section", ln.strip()))
        elif re.match(r"^SAG-\d{4}-\d+", ln):
            out.append(_Line("case", ln))
        elif _LIST_RE.match(ln):
            out.append(_Line("list", ln))
        else:
            out.append(_Line("body", ln))
    return out


# --------------------------------------------------------------------------
# layout


@dataclass
class _Page:
    ops: list[tuple[str, float, float, float, str]] = field(default_factory=list)


class _Layout:
    def __init__(self) -> None:
        self.pages: list[_Page] = [_Page()]
        self.y = TOP_Y

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = TOP_Y

    def room(self) -> int:
        """How many more body lines fit on the current page."""
        return int((self.y - BOTTOM_Y) // LEADING) + 1

    def ensure(self, n_lines: int) -> None:
        if self.page.ops and self.room() < n_lines:
            self.new_page()

    def emit(self, font: str, size: float, x: float, text: str, leading: float = LEADING) -> None:
        if self.y < BOTTOM_Y:
            self.new_page()
        self.page.ops.append((font, size, x, self.y, text))
        self.y -= leading

    def gap(self, amount: float) -> None:
        if self.page.ops:
            self.y -= amount


def _layout(lines: list[_Line], layout: dict | None = None) -> list[_Page]:
    layout = layout or {}
    new_page_per_agenda = layout.get("agenda_new_page", True)
    columns = layout.get("table_columns", DEFAULT_TABLE_COLUMNS)
    lay = _Layout()
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind == "blank":
            lay.gap(BLANK_GAP)
        elif ln.kind == "title":
            lay.emit(FONT_BOLD, 18, MARGIN_L, ln.text, leading=26)
        elif ln.kind == "frontbold":
            lay.emit(FONT_BOLD, 12, MARGIN_L, ln.text, leading=17)
        elif ln.kind in ("table", "tablehead"):
            _emit_row(lay, ln, columns)
        elif ln.kind == "agenda":
            if lay.page.ops and new_page_per_agenda:
                lay.new_page()
            elif lay.page.ops:
                lay.ensure(6)
                lay.gap(8.0)
            for ind, part in wrap_text(ln.text, FONT_BOLD, 13):
                lay.emit(FONT_BOLD, 13, MARGIN_L + ind, part, leading=18)
        elif ln.kind == "item":
            wrapped = wrap_text(ln.text, FONT_BOLD, 11, cont_indent=0.0)
            lay.ensure(len(wrapped) + 5)
            lay.gap(4.0)
            for ind, part in wrapped:
                lay.emit(FONT_BOLD, 11, MARGIN_L + ind, part, leading=14.5)
        elif ln.kind == "section":
            lay.ensure(3)
            lay.emit(FONT_BOLD, BODY_SIZE, MARGIN_L, ln.text)
        elif ln.kind == "list":
            marker = _LIST_RE.match(ln.text).group(0)
            hang = _width(marker, FONT, BODY_SIZE)
            for ind, part in wrap_text(ln.text, FONT, BODY_SIZE, first_indent=0.0, cont_indent=hang):
                lay.emit(FONT, BODY_SIZE, MARGIN_L + ind, part)
        else:  # body, case
            for ind, part in wrap_text(ln.text):
                lay.emit(FONT, BODY_SIZE, MARGIN_L + ind, part)
        i += 1
    return lay.pages


def _emit_row(lay: _Layout, ln: _Line, columns: list[float]) -> None:
    """One table row on one baseline: the label left, the numbers right-aligned at `columns`."""
    cells = [c.strip() for c in ln.text.split("\t")]
    font = FONT_BOLD if ln.kind == "tablehead" else FONT
    if lay.y < BOTTOM_Y:
        lay.new_page()
    xs = list(columns)[-(len(cells) - 1) :] if len(cells) > 1 else []
    lay.page.ops.append((font, BODY_SIZE, MARGIN_L, lay.y, cells[0]))
    for x, cell in zip(xs, cells[1:], strict=False):
        lay.page.ops.append((font, BODY_SIZE, -x, lay.y, cell))  # negative x: right-aligned at |x|
    lay.y -= LEADING


def _meta(text: str) -> dict[str, str]:
    """body, BODY, type and date of a document, from its first lines."""
    meta = {"body": "", "BODY": "", "type": "Referat", "date": ""}
    for ln in text.splitlines()[:15]:
        s = ln.strip()
        if s in ("Referat", "Dagsorden") and meta["date"] == "" and meta["body"] == "":
            meta["type"] = s
        elif not meta["body"] and s.startswith("KKR "):
            meta["body"], meta["BODY"] = s, s.upper()
        elif not meta["date"] and s.startswith("Mødedato:"):
            meta["date"] = s.split(":", 1)[1].strip()
    return meta


def load_layout(txt_path) -> dict:
    """The layout options of a text document: its sidecar <stem>.layout.json, or {} (the default)."""
    side = Path(txt_path).with_suffix(".layout.json")
    return json.loads(side.read_text(encoding="utf-8")) if side.exists() else {}


def _furniture(layout: dict, meta: dict, default_header: str, n: int, total: int) -> tuple[str | None, str | None]:
    """The header and footer printed on page n of total."""
    values = {**meta, "page": n, "total": total}
    header = layout.get("header", "default")
    if header == "default":
        header = default_header
    elif header is not None:
        header = header.format(**values)
    if n < layout.get("header_from_page", 1):
        header = None
    if n == 1 and layout.get("first_page_header"):
        header = layout["first_page_header"].format(**values)
    footer = layout.get("footer", "Side {page} af {total}")
    return header, footer.format(**values) if footer is not None else None


def derive_header(text: str) -> str | None:
    """ "KKR Sjælland | Referat | 10. marts 2025" from the file's own lines."""
    body = None
    date = None
    for ln in text.splitlines()[:15]:
        s = ln.strip()
        if body is None and s.startswith("KKR "):
            body = s
        elif date is None and s.startswith("Mødedato:"):
            date = s.split(":", 1)[1].strip()
    kind = "Dagsorden" if text.lstrip().startswith("Dagsorden") else "Referat"
    if body and date:
        return f"{body} | {kind} | {date}"
    if body:
        return f"{body} | {kind}"
    return None


def render_minutes_pdf(txt_path, pdf_path, *, header: str | None = None, layout: dict | None = None) -> Path:
    """Render one sample text file into an A4 PDF. Returns the PDF path.

    `layout` (default: the file's <stem>.layout.json, if any) chooses the header, footer, agenda
    page breaks and table columns; see the module docstring."""
    return _render(txt_path, pdf_path, header=header, layout=layout)[0]


def furniture_strings(txt_path, *, layout: dict | None = None) -> list[str]:
    """The header and footer strings (distinct, in order) a rendering of txt_path prints."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return _render(txt_path, Path(tmp) / "x.pdf", layout=layout)[1]


def _render(txt_path, pdf_path, *, header: str | None = None, layout: dict | None = None) -> tuple[Path, list[str]]:
    txt_path, pdf_path = Path(txt_path), Path(pdf_path)
    text = txt_path.read_text(encoding="utf-8")
    layout = load_layout(txt_path) if layout is None else layout
    if header is None:
        header = derive_header(text)
        if header is None:
            first = next((s.strip() for s in text.splitlines() if s.strip()), "")
            header = first[:80] or txt_path.stem
    meta = _meta(text)
    pages = _layout(_classify(text.splitlines()), layout)
    # drop a trailing page that got nothing on it
    while len(pages) > 1 and not pages[-1].ops:
        pages.pop()

    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    c = rl_canvas.Canvas(str(pdf_path), pagesize=A4, invariant=1)
    c.setTitle(header)
    c.setAuthor("KL")
    total = len(pages)
    printed: list[str] = []
    footer_align = layout.get("footer_align", "right")
    for n, page in enumerate(pages, start=1):
        head, foot = _furniture(layout, meta, header, n, total)
        c.setFont(FONT, 8.5)
        c.setFillGray(0.35)
        if head is not None:
            c.drawString(MARGIN_L, HEADER_Y, head)
            printed.append(head)
            if layout.get("header_rule", True):
                c.setStrokeGray(0.6)
                c.setLineWidth(0.5)
                c.line(MARGIN_L, HEADER_Y - 6, PAGE_W - MARGIN_R, HEADER_Y - 6)
        c.setFillGray(0)
        for font, size, x, y, s in page.ops:
            c.setFont(font, size)
            if x < 0:
                c.drawRightString(-x, y, s)
            else:
                c.drawString(x, y, s)
        # footer last, so extraction order is header, body, footer
        if foot is not None:
            c.setFont(FONT, 8.5)
            c.setFillGray(0.35)
            if footer_align == "center":
                c.drawCentredString(PAGE_W / 2, FOOTER_Y, foot)
            elif footer_align == "left":
                c.drawString(MARGIN_L, FOOTER_Y, foot)
            else:
                c.drawRightString(PAGE_W - MARGIN_R, FOOTER_Y, foot)
            printed.append(foot)
        c.showPage()
    c.save()
    return pdf_path, list(dict.fromkeys(printed))


def render_all(samples_dir, out_dir) -> list[Path]:
    """Render every samples_dir/*.txt into out_dir/<stem>.pdf."""
    samples_dir, out_dir = Path(samples_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [render_minutes_pdf(txt, out_dir / f"{txt.stem}.pdf") for txt in sorted(samples_dir.glob("*.txt"))]


# --------------------------------------------------------------------------
# bad input


def make_image_only_pdf(path) -> Path:
    """A 'scanned' page: grey bars where text lines would be, a logo-like
    circle and a frame, but no text object at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    c = rl_canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setStrokeGray(0.2)
    c.rect(40, 40, PAGE_W - 80, PAGE_H - 80)
    c.setFillColorRGB(0.1, 0.3, 0.6)
    c.circle(PAGE_W - 110, PAGE_H - 110, 35, fill=1, stroke=0)
    c.setFillGray(0.75)
    y = PAGE_H - 200
    k = 0
    while y > 90:
        w = TEXT_W * (0.55 if k % 7 == 6 else 0.97 - 0.05 * (k % 3))
        c.rect(MARGIN_L, y, w, 6, fill=1, stroke=0)
        y -= 14 if k % 7 != 6 else 28
        k += 1
    c.showPage()
    c.save()
    return path


def make_corrupt_pdf(path, *, kind: str = "garbage") -> Path:
    """A file that pdfium refuses to open.

    kind="garbage": "%PDF-1.4" followed by bytes that are no PDF objects
    (no xref, no trailer). kind="truncated": the first 40 % of a valid PDF
    (pdfium 5.x refuses it too, see make_truncated_pdf)."""
    if kind == "truncated":
        return make_truncated_pdf(path)
    if kind != "garbage":
        raise ValueError(f"unknown kind {kind!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    garbage = bytes((i * 73 + 41) % 256 for i in range(4096))
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + garbage)
    return path


def make_truncated_pdf(path) -> Path:
    """A valid minutes-like PDF cut after 40 % of its bytes (no xref, no
    trailer). pypdfium2 5.x raises PdfiumError ("Data format error") on it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".full.pdf")
    c = rl_canvas.Canvas(str(tmp), pagesize=A4, invariant=1)
    for p in range(3):
        c.setFont(FONT, BODY_SIZE)
        for k in range(40):
            c.drawString(
                MARGIN_L, TOP_Y - k * LEADING, f"Side {p + 1}, linje {k + 1}: tekst om akutpladser og sundhedsaftaler"
            )
        c.showPage()
    c.save()
    data = tmp.read_bytes()
    tmp.unlink()
    path.write_bytes(data[: int(len(data) * 0.4)])
    return path


def make_encrypted_pdf(path, password: str = ENCRYPTED_PASSWORD) -> Path:
    """A PDF with text, encrypted with a user password."""
    from reportlab.lib import pdfencrypt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    enc = pdfencrypt.StandardEncryption(password, ownerPassword=password + "-ejer", canPrint=1, canModify=0, canCopy=0)
    c = rl_canvas.Canvas(str(path), pagesize=A4, encrypt=enc)
    c.setFont(FONT_BOLD, 12)
    c.drawString(MARGIN_L, TOP_Y, "Referat")
    c.setFont(FONT, BODY_SIZE)
    c.drawString(MARGIN_L, TOP_Y - 20, "KKR Sjælland")
    c.drawString(MARGIN_L, TOP_Y - 34, "Mødedato: 10. marts 2025")
    c.drawString(MARGIN_L, TOP_Y - 60, "1.1. Godkendelse af referat")
    c.showPage()
    c.save()
    return path


NOT_MINUTES_TEXT = """\
Nyhedsbrev fra Haveforeningen Solsikken

Kære medlemmer

Efteråret er over os, og det er tid til at gøre haverne klar til vinter. Bestyrelsen takker for den store opbakning til arbejdsdagen, hvor vi fik beskåret hækkene langs fællesstien og malet redskabsskuret.

Opskrift på æblekage fra fællesspisningen
Mange har spurgt efter opskriften på den æblekage, der blev serveret til høstfesten. Kog ti syrlige æbler ud med lidt sukker og vanilje, og lad grøden køle af. Rist rasp med smør og sukker på en pande, til det dufter af karamel. Læg æblegrød og rasp lagvis i en skål, og pynt med flødeskum og ribsgelé lige før serveringen.

Praktiske oplysninger
Containeren til haveaffald står ved indgangen i to uger endnu. Husk, at grene skal være skåret i stykker på højst en meter. Vandet bliver lukket i alle haver i næste måned, så tøm slanger og tønder i god tid.

Med venlig hilsen
Bestyrelsen
"""


def make_not_minutes_txt(path) -> Path:
    """A Danish text with no agenda items, case numbers or decisions."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOT_MINUTES_TEXT, encoding="utf-8")
    return path
