"""Read source documents into pages of text lines, keeping page numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kkr.errors import IngestError

SUPPORTED_SUFFIXES = (".pdf", ".txt")


@dataclass
class Page:
    """One page of a source: `lines` as extracted; a line of "" marks a paragraph break."""

    number: int
    lines: list[str] = field(default_factory=list)
    # for PDFs: the height on the page of each line (None for paragraph breaks)
    heights: list[float | None] | None = None
    # for PDFs: a line whose text runs stand apart in columns (a table row), its runs joined by
    # tabs; None for other lines (tables.py reads column headings from it)
    columns: list[str | None] | None = None


def read_document(path: Path) -> list[Page]:
    """Pages of a .pdf or .txt file; raises IngestError naming the file and the problem."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            path, f"unsupported file type '{suffix or '(none)'}'", "give a .pdf or a .txt file of KKR minutes"
        )
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path, "the file is empty", "check that the download or export completed")
    return read_pdf(path, data) if suffix == ".pdf" else read_text(path, data)


def read_text(path: Path, data: bytes) -> list[Page]:
    """Pages of extracted text.

    Pages break at form feeds; failing those, at lines that begin with a single space, which is
    how common PDF-to-text tools leave the first line of a new page (in double-spaced exports,
    only where such a line follows text directly). Text exported with an
    empty line after every line (double spacing) keeps its whitespace-only lines as paragraph breaks.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    empty = sum(1 for ln in raw_lines if ln == "")
    double_spaced = empty > 0.4 * len(raw_lines)
    by_form_feed = "\f" in text
    pages = [Page(1)]
    previous = ""
    for ln in raw_lines:
        if by_form_feed and "\f" in ln:
            before, _, ln = ln.rpartition("\f")
            if before.strip():
                pages[-1].lines.append(before)
            pages.append(Page(len(pages) + 1))
        elif (
            not by_form_feed
            and re.match(r"^ \S", ln)
            and any(x.strip() for x in pages[-1].lines)
            and (not double_spaced or previous != "")
        ):
            # in double-spaced exports a page's first line follows the last line of the previous
            # page directly; an indented line after an empty one is only indented (an attachment line)
            pages.append(Page(len(pages) + 1))
        previous = ln
        if double_spaced:
            if ln == "":
                continue
            pages[-1].lines.append("" if not ln.strip() else ln)
        else:
            pages[-1].lines.append(ln if ln.strip() else "")
    for page in pages:
        # a text export keeps a table's columns apart by tabs, as a PDF line's runs stand apart
        columns = [ln if "\t" in ln.strip() else None for ln in page.lines]
        page.columns = columns if any(columns) else None
    return pages


def read_pdf(path: Path, data: bytes) -> list[Page]:
    """Pages of a PDF's text layer, lines in reading order, paragraph gaps as empty lines."""
    import pypdfium2 as pdfium

    if not data.lstrip().startswith(b"%PDF"):
        raise IngestError(path, "not a PDF file (no %PDF header)", "check the file, or rename it if it is text")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower() or "security" in msg.lower():
            raise IngestError(
                path, "the PDF is encrypted (password protected)", "save an unprotected copy and ingest that"
            ) from None
        raise IngestError(
            path, f"the PDF is corrupt or truncated ({msg})", "download it again or re-export it"
        ) from None
    pages = []
    try:
        for i in range(len(pdf)):
            try:
                textpage = pdf[i].get_textpage()
            except pdfium.PdfiumError as exc:
                raise IngestError(
                    path, f"cannot read the page's text ({exc})", "re-export the PDF", page=i + 1
                ) from None
            lines, heights, columns = _page_lines(textpage)
            pages.append(Page(i + 1, lines, heights, columns))
    finally:
        pdf.close()
    if not any(ln.strip() for p in pages for ln in p.lines):
        raise IngestError(
            path,
            "the PDF has no text layer (scanned pages)",
            "run OCR first, e.g. 'ocrmypdf in.pdf out.pdf', and ingest the result",
        )
    return pages


COLUMN_GAP = 12.0  # points between two text runs of one line that make them columns (a space is ~3)


def _page_lines(textpage) -> tuple[list[str], list[float | None], list[str | None]]:
    """Lines of one page from pdfium's text rectangles; a vertical gap larger than usual
    between two lines becomes an empty line (a paragraph break). Also, per line, its text runs
    joined by tabs where they stand apart in columns (else None)."""
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    rows: list[list] = []  # [left, bottom, right, top, [member rects]]
    for left, bottom, right, top in rects:
        for row in rows:
            mid = (bottom + top) / 2
            if row[1] <= mid <= row[3]:
                row[0], row[1] = min(row[0], left), min(row[1], bottom)
                row[2], row[3] = max(row[2], right), max(row[3], top)
                row[4].append((left, bottom, right, top))
                break
        else:
            rows.append([left, bottom, right, top, [(left, bottom, right, top)]])
    rows.sort(key=lambda r: -r[3])
    steps = sorted(a[1] - b[1] for a, b in zip(rows, rows[1:], strict=False) if a[1] - b[1] > 0)
    usual = steps[len(steps) // 2] if steps else 0
    lines: list[str] = []
    heights: list[float | None] = []
    columns: list[str | None] = []
    prev = None
    for row in rows:
        text = textpage.get_text_bounded(left=row[0] - 1, bottom=row[1] + 0.5, right=row[2] + 1, top=row[3] - 0.5)
        # pdfium marks a hyphen it joined at a line end as U+FFFE or U+0002
        text = text.replace("\r", "").replace("\n", " ").replace("\x02", "\ufffe").rstrip()
        if not text.strip():
            continue
        if prev is not None and usual and prev[1] - row[1] > 1.45 * usual:
            lines.append("")
            heights.append(None)
            columns.append(None)
        lines.append(text)
        heights.append(round(row[3]))
        columns.append(_columns(textpage, row))
        prev = row
    return lines, heights, columns


def _columns(textpage, row: list) -> str | None:
    """The line's text runs joined by tabs where a wide gap parts them (a table row), else None."""
    runs = sorted(row[4])
    if len(runs) < 2 or not any(b[0] - a[2] > COLUMN_GAP for a, b in zip(runs, runs[1:], strict=False)):
        return None
    parts: list[list] = [list(runs[0])]
    for run in runs[1:]:
        if run[0] - parts[-1][2] > COLUMN_GAP:
            parts.append(list(run))
        else:
            parts[-1][2] = max(parts[-1][2], run[2])
    texts = [
        textpage.get_text_bounded(left=p[0] - 0.5, bottom=row[1] + 0.5, right=p[2] + 0.5, top=row[3] - 0.5)
        .replace("\r", "")
        .replace("\n", " ")
        .strip()
        for p in parts
    ]
    return "\t".join(texts)
