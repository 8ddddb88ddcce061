"""A meeting's introduction (ingest/introduction.py): the text before the first item, without
the header's fields and KL's mission and vision; lists under a label kept as one paragraph."""

from __future__ import annotations

from kkr.ingest.introduction import introduction
from kkr.ingest.normalise import Line


def _lines(text: str, page: int = 1) -> list[Line]:
    return [Line(t, page) for t in text.split("\n")]


def test_header_fields_and_mission_are_not_the_introduction():
    preamble = _lines(
        "Referat\nKKR Sjælland\nMødedato: 10. marts 2025\nMødested: Sorø Rådhus\nMødetid: kl. 10-12\n\n"
        "Mission\nKL arbejder for et lokalt folkestyre.\n\nVision\nStærke kommuner.\n\n"
        "Formand Anne Dal bød velkommen og ledte\nmødet.\n"
    )
    found = introduction(preamble)
    assert [p.text for p in found] == ["Formand Anne Dal bød velkommen og ledte mødet."]


def test_mission_and_vision_printed_without_blank_lines_end_at_the_next_blank():
    # a PDF's text: the header, mission and vision in one run of lines
    preamble = _lines(
        "Referat\n\nKKR Nordjylland\nMødedato: 5. maj 2025\nMission\nKL arbejder for folkestyret.\nVision\n"
        "Kommunerne skaber velfærd.\n\nBorgmester Ole Vad havde meldt afbud.\n"
    )
    assert [p.text for p in introduction(preamble)] == ["Borgmester Ole Vad havde meldt afbud."]


def test_a_list_under_a_label_is_one_paragraph_with_its_page():
    preamble = _lines("Deltagere:\nBorgmester A, X Kommune\nBorgmester B, Y Kommune\n\nAfbud:\nBorgmester C\n", page=2)
    found = introduction(preamble)
    assert [(p.text, p.page) for p in found] == [
        ("Deltagere: Borgmester A, X Kommune; Borgmester B, Y Kommune", 2),
        ("Afbud: Borgmester C", 2),
    ]


def test_no_introduction_is_none():
    assert introduction(_lines("Referat\nKKR Syddanmark\nMødedato: 2. juni 2025\n\n")) == []
