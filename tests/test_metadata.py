"""Unit tests for kkr.ingest.metadata: body and date of a meeting from header, file name or options."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kkr.ingest.metadata import body_label, detect_meeting
from kkr.ingest.normalise import Line


def _header(*texts: str) -> list[Line]:
    return [Line(t, 1) for t in texts]


def _info(path: str, header: list[Line], **options) -> tuple:
    info = detect_meeting(Path(path), header, **options)
    return info.body, info.date, info.body_source, info.date_source


@pytest.mark.parametrize(
    "name,expected",
    [
        ("midtjylland", "KKR Midtjylland"),
        ("Midtjylland", "KKR Midtjylland"),
        ("KKR Midtjylland", "KKR Midtjylland"),
        ("kkr-sjaelland", "KKR Sjælland"),
        ("sjaelland", "KKR Sjælland"),
        ("Sjælland", "KKR Sjælland"),
        ("kkr syddanmark", "KKR Syddanmark"),
        (" KKR Hovedstaden ", "KKR Hovedstaden"),
        ("nordjylland", "KKR Nordjylland"),
        ("Bornholm", "KKR Bornholm"),
    ],
)
def test_body_label(name, expected):
    assert body_label(name) == expected


@pytest.mark.parametrize(
    "header,expected_body,expected_date",
    [
        (
            ("Referat", "KKR Sjælland", "Mødedato: 3. september 2025", "Mødested: Roskilde"),
            "KKR Sjælland",
            date(2025, 9, 3),
        ),
        (("Mødedato: 3. september 2025", "KKR Sjælland"), "KKR Sjælland", date(2025, 9, 3)),
        (("Referat fra mødet i KKR Syddanmark den 7. april 2025",), "KKR Syddanmark", date(2025, 4, 7)),
        (("Kommunekontaktrådet i Nordjylland", "Dato: 5.5.2025"), "KKR Nordjylland", date(2025, 5, 5)),
        (("Referat", "Afholdt den 2. juni 2025 kl. 10.00", "KKR Hovedstaden"), "KKR Hovedstaden", date(2025, 6, 2)),
        (("Mødedato: 2025-06-16", "KKR Sjælland"), "KKR Sjælland", date(2025, 6, 16)),
        (("KKR Syddanmark", "Mødedato: mandag den 16. juni 2025 kl. 9.30-12.00"), "KKR Syddanmark", date(2025, 6, 16)),
        (("Referat", "", "KKR Midtjylland", "", "Dato: 20. oktober 2025"), "KKR Midtjylland", date(2025, 10, 20)),
        (("KKR HOVEDSTADEN", "Mødedato: 12. marts 2025"), "KKR Hovedstaden", date(2025, 3, 12)),
    ],
)
def test_header(header, expected_body, expected_date):
    assert _info("referat.txt", _header(*header)) == (expected_body, expected_date, "header", "header")


@pytest.mark.parametrize(
    "path,expected_body,expected_date",
    [
        ("referat-fra-moede-i-kkr-midtjylland-den-3-september-2025.pdf", "KKR Midtjylland", date(2025, 9, 3)),
        ("kkr-syddanmark-2025-04-07.txt", "KKR Syddanmark", date(2025, 4, 7)),
        ("referat-kkr-nordjylland-5-maj-2025.pdf", "KKR Nordjylland", date(2025, 5, 5)),
        ("KKR-Hovedstaden-12-dec-2025.pdf", "KKR Hovedstaden", date(2025, 12, 12)),
        ("kkr-sjaelland-2025-06-16-referat.txt", "KKR Sjælland", date(2025, 6, 16)),
        ("/tmp/downloads/kkr-hovedstaden-2026-01-19.pdf", "KKR Hovedstaden", date(2026, 1, 19)),
    ],
)
def test_file_name_when_header_is_silent(path, expected_body, expected_date):
    header = _header("Referat", "Mødested: Rådhuset")
    assert _info(path, header) == (expected_body, expected_date, "file name", "file name")


def test_header_wins_over_file_name():
    header = _header("KKR Hovedstaden", "Mødedato: 2. juni 2025")
    assert _info("kkr-syddanmark-2025-04-07.txt", header) == ("KKR Hovedstaden", date(2025, 6, 2), "header", "header")


def test_header_body_and_file_name_date_mix():
    header = _header("Referat", "KKR Sjælland")
    assert _info("kkr-sjaelland-2025-03-10.txt", header) == ("KKR Sjælland", date(2025, 3, 10), "header", "file name")


@pytest.mark.parametrize("body_option", ["nordjylland", "KKR Nordjylland", "Nordjylland"])
def test_options_override_header_and_file_name(body_option):
    header = _header("KKR Hovedstaden", "Mødedato: 2. juni 2025")
    assert _info("kkr-syddanmark-2025-04-07.txt", header, body=body_option, meeting_date=date(2025, 5, 5)) == (
        "KKR Nordjylland",
        date(2025, 5, 5),
        "option",
        "option",
    )


def test_one_option_leaves_the_other_to_the_header():
    header = _header("KKR Hovedstaden", "Mødedato: 2. juni 2025")
    assert _info("x.txt", header, meeting_date=date(2025, 5, 5)) == (
        "KKR Hovedstaden",
        date(2025, 5, 5),
        "header",
        "option",
    )


@pytest.mark.parametrize(
    "path,header",
    [
        ("noter.txt", ("Referat", "Noget tekst om sagen")),
        ("noter.txt", ()),
        ("kkr-referat.pdf", ("Dagsorden",)),
    ],
)
def test_nothing_found_gives_none(path, header):
    assert _info(path, _header(*header)) == (None, None, "", "")


def test_invalid_date_in_file_name_gives_none():
    assert _info("kkr-sjaelland-2025-02-30.txt", []) == ("KKR Sjælland", None, "file name", "")


def test_header_is_only_the_first_lines():
    header = _header(*(["Mødedato: 3. september 2025"] + ["Tekst"] * 30 + ["KKR Syddanmark"]))
    assert _info("noter.txt", header) == (None, date(2025, 9, 3), "", "header")
