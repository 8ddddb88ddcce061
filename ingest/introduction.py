"""A meeting's introduction: the text between the header and the first agenda item ("Formand X
bød velkommen", "Deltagere:" and "Afbud:" lists, who took the minutes), without the header's
fields and KL's mission and vision, as paragraphs of the meeting."""

from __future__ import annotations

import re

from kkr.ingest.normalise import Line, join_lines
from kkr.ingest.structure import Paragraph

# the header's own lines: the document's kind, the council, the fields of date, place and time
HEADER_LINE = re.compile(
    r"^(?:referat|dagsorden|kkr\s+[a-zæøå]+|(?:mødedato|mødested|mødetid|dato|sted|tid|tidspunkt)\s*:.*)$",
    re.IGNORECASE,
)
BOILERPLATE = re.compile(r"^(?:mission|vision)$", re.IGNORECASE)  # KL's own, on every set of minutes


def introduction(preamble: list[Line]) -> list[Paragraph]:
    """The introduction's paragraphs, in document order; a list under a label ("Deltagere:"
    and a name per line) is one paragraph, its lines joined by "; ". KL's mission and vision run
    from their heading to the next blank line (a PDF prints them without one between)."""
    out: list[Paragraph] = []
    block: list[Line] = []
    skipping = False

    def flush() -> None:
        if block:
            texts = [ln.text.strip() for ln in block]
            if len(texts) > 1 and texts[0].endswith(":"):
                text = f"{texts[0]} " + "; ".join(texts[1:])
            else:
                text = join_lines(texts)
            out.append(Paragraph(text, block[0].page))
        block.clear()

    for line in preamble:
        text = line.text.strip()
        if not text or HEADER_LINE.match(text) or BOILERPLATE.match(text):
            flush()
            skipping = bool(text) and (skipping or BOILERPLATE.match(text) is not None)
            continue
        if not skipping:
            block.append(line)
    flush()
    return out
