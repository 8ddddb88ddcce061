"""Unit tests for kkr.ingest.references: references to earlier KKR meetings."""

from __future__ import annotations

from datetime import date

import pytest

from kkr.ingest.references import find_meeting_references

BODY = "KKR Syddanmark"
MEETING = date(2025, 6, 16)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Referatet fra mødet den 7. april 2025 er udsendt til medlemmerne.", [(BODY, date(2025, 4, 7))]),
        ("Sagen blev senest drøftet på mødet den 3. marts 2025.", [(BODY, date(2025, 3, 3))]),
        ("KKR Syddanmarks møde den 10. februar 2025 besluttede at igangsætte analysen.", [(BODY, date(2025, 2, 10))]),
        ("Sagen var på dagsordenen på KKR Syddanmarks møde den 7. april 2025.", [(BODY, date(2025, 4, 7))]),
        ("KKR Syddanmark besluttede på sit møde den 7. april 2025 at igangsætte arbejdet.", [(BODY, date(2025, 4, 7))]),
        ("På KKR-mødet den 12. maj 2025 blev sagen drøftet første gang.", [(BODY, date(2025, 5, 12))]),
        ("På mødet den 7. april 2025 godkendte KKR indstillingen.", [(BODY, date(2025, 4, 7))]),
        (
            "Som aftalt på mødet den 7. april 2025 og på mødet den 3. marts 2025 følges der op.",
            [(BODY, date(2025, 4, 7)), (BODY, date(2025, 3, 3))],
        ),
        (
            "På mødet den 3. marts 2025 blev sagen drøftet, og på mødet den 3. marts 2025 blev den godkendt.",
            [(BODY, date(2025, 3, 3))],
        ),
        ("Sagen blev drøftet på mødet den 19.-20. maj 2025.", [(BODY, date(2025, 5, 19))]),
    ],
)
def test_earlier_meetings_of_the_same_kkr(text, expected):
    assert find_meeting_references(text, BODY, MEETING) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sagen blev behandlet på mødet i KKR Nordjylland den 5. maj 2025.", [("KKR Nordjylland", date(2025, 5, 5))]),
        ("På mødet i KKR Hovedstaden den 31. marts 2025 blev sagen drøftet.", [("KKR Hovedstaden", date(2025, 3, 31))]),
        ("KKR Hovedstadens møde den 1. april 2025 tilsluttede sig forslaget.", [("KKR Hovedstaden", date(2025, 4, 1))]),
        (
            "På KKR Syddanmarks møde den 7. april 2025 og KKR Nordjyllands møde den 5. maj 2025 blev sagen drøftet.",
            [(BODY, date(2025, 4, 7)), ("KKR Nordjylland", date(2025, 5, 5))],
        ),
    ],
)
def test_meetings_of_another_kkr(text, expected):
    assert find_meeting_references(text, BODY, MEETING) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bestyrelsen godkendte på mødet den 2. april 2025 budgettet.",
        "Der blev holdt et møde i styregruppen den 20. maj 2025.",
        "På mødet i Kommunaldirektørkredsen den 1. maj 2025 blev det aftalt.",
        "Kommunaldirektørkredsen drøftede på sit møde den 1. maj 2025 sagen.",
        "Regionsrådet godkendte på mødet den 5. maj 2025 aftalen.",
        "Formandskabet drøftede på mødet den 2. juni 2025 dagsordenen.",
        "Sundhedskoordinationsudvalget behandlede på mødet den 5. maj 2025 planen.",
        "Sagen blev forelagt Sundhedsklyngen på et møde den 6. maj 2025.",
    ],
)
def test_meetings_of_other_organs_are_left_out(text):
    assert find_meeting_references(text, BODY, MEETING) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sagen behandles igen på mødet den 8. december 2025.",
        "Sagen blev drøftet på mødet den 16. juni 2025.",
        "KKR Nordjyllands møde den 1. juli 2025 ligger efter dette møde.",
    ],
)
def test_future_and_same_day_meetings_are_left_out(text):
    assert find_meeting_references(text, BODY, MEETING) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Næste møde afholdes den 22. september 2025.", [(BODY, date(2025, 9, 22))]),
        (
            "Næste møde i KKR Nordjylland holdes mandag den 8. juni 2026 på Rebild Rådhus.",
            [("KKR Nordjylland", date(2026, 6, 8))],
        ),
        ("Det kommende møde den 3. november 2025 indledes med en temadrøftelse.", [(BODY, date(2025, 11, 3))]),
        # a next meeting dated before this one is no plan (a typing error in the minutes)
        ("Næste møde afholdes den 2. januar 2025.", []),
        # another organ's next meeting is not the council's
        ("Bestyrelsen holder sit næste møde den 3. november 2025.", []),
    ],
)
def test_the_next_meeting_planned_is_a_reference(text, expected):
    assert find_meeting_references(text, BODY, MEETING) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mødet blev holdt i Vejle.",
        "Den 7. april 2025 blev der sendt et brev.",
        "Sagen blev drøftet på mødet i april.",
        "",
    ],
)
def test_no_meeting_with_a_date(text):
    assert find_meeting_references(text, BODY, MEETING) == []


def test_other_organ_only_blocks_its_own_sentence():
    text = "Bestyrelsen holdt møde den 1. maj 2025. Sagen blev senest drøftet på mødet den 7. april 2025."
    assert find_meeting_references(text, BODY, MEETING) == [(BODY, date(2025, 4, 7))]


def test_body_of_the_minutes_is_used_for_own_meetings():
    text = "Referatet fra mødet den 10. marts 2025 blev godkendt."
    assert find_meeting_references(text, "KKR Hovedstaden", date(2025, 6, 2)) == [
        ("KKR Hovedstaden", date(2025, 3, 10))
    ]


def test_numeric_date_of_an_earlier_meeting():
    text = "Referatet fra mødet den 7.4.2025 er udsendt."
    assert find_meeting_references(text, BODY, MEETING) == [(BODY, date(2025, 4, 7))]
