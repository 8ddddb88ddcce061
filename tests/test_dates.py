"""Unit tests for kkr.ingest.dates: exact dates, ranges, vague periods and non-dates."""

from __future__ import annotations

from datetime import date

import pytest

from kkr.ingest.dates import find_dates, format_danish_date, parse_danish_date


def _found(text: str) -> list[tuple[str, str, str, str]]:
    return [(d.start.isoformat(), d.end.isoformat(), d.kind, d.text) for d in find_dates(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Temadagen holdes den 4. marts 2026 i Vejle.", [("2026-03-04", "2026-03-04", "date", "4. marts 2026")]),
        (
            "Næste møde i KKR Syddanmark er mandag den 14. december 2026 kl. 10.",
            [("2026-12-14", "2026-12-14", "date", "14. december 2026")],
        ),
        ("KKR Hovedstaden mødes igen 1. oktober 2025.", [("2025-10-01", "2025-10-01", "date", "1. oktober 2025")]),
        (
            "Aftalen blev underskrevet den 03. februar 2025 af begge parter.",
            [("2025-02-03", "2025-02-03", "date", "03. februar 2025")],
        ),
        ("Sagen blev sendt i høring den 5. Maj 2025.", [("2025-05-05", "2025-05-05", "date", "5. Maj 2025")]),
        ("Fristen for høringssvar er 29. februar 2028.", [("2028-02-29", "2028-02-29", "date", "29. februar 2028")]),
    ],
)
def test_exact_dates_with_month_names(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Kontoret holder lukket den 12. sept. 2025 på grund af flytning.",
            [("2025-09-12", "2025-09-12", "date", "12. sept. 2025")],
        ),
        ("Høringsfristen er 3. okt. 2025.", [("2025-10-03", "2025-10-03", "date", "3. okt. 2025")]),
        ("Materialet blev udsendt 9. dec. 2024.", [("2024-12-09", "2024-12-09", "date", "9. dec. 2024")]),
        ("Ansøgninger modtages til 5. feb. 2026.", [("2026-02-05", "2026-02-05", "date", "5. feb. 2026")]),
        ("Workshoppen er flyttet til 21. jan 2026.", [("2026-01-21", "2026-01-21", "date", "21. jan 2026")]),
        ("Status gives 17. nov. 2025 i Odense.", [("2025-11-17", "2025-11-17", "date", "17. nov. 2025")]),
    ],
)
def test_exact_dates_with_abbreviated_months(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Loven træder i kraft 1.1.2026 for alle kommuner.", [("2026-01-01", "2026-01-01", "date", "1.1.2026")]),
        ("Aftalen gælder fra 01.07.2026.", [("2026-07-01", "2026-07-01", "date", "01.07.2026")]),
        ("Indberetning senest 15.11.2025 til sekretariatet.", [("2025-11-15", "2025-11-15", "date", "15.11.2025")]),
        ("Ordningen udløber 31/12 2027.", [("2027-12-31", "2027-12-31", "date", "31/12 2027")]),
    ],
)
def test_numeric_dates(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Studieturen til Bruxelles finder sted den 19.-27. januar 2026.",
            [("2026-01-19", "2026-01-27", "range", "19.-27. januar 2026")],
        ),
        (
            "Folkemødet afholdes 11.–13. juni 2026 på Bornholm.",
            [("2026-06-11", "2026-06-13", "range", "11.–13. juni 2026")],
        ),
        ("Kurset ligger 1. - 2. april 2025.", [("2025-04-01", "2025-04-02", "range", "1. - 2. april 2025")]),
        ("Konferencen den 8.-9. okt. 2025 er aflyst.", [("2025-10-08", "2025-10-09", "range", "8.-9. okt. 2025")]),
    ],
)
def test_day_ranges_are_one_mention(text, expected):
    assert _found(text) == expected


def test_range_and_date_in_one_sentence():
    text = "Seminaret den 10.-12. juni 2025 blev fulgt op på mødet den 3. september 2025."
    assert _found(text) == [
        ("2025-06-10", "2025-06-12", "range", "10.-12. juni 2025"),
        ("2025-09-03", "2025-09-03", "date", "3. september 2025"),
    ]


def test_offsets_point_at_the_printed_text():
    text = "Mødet er den 7. april 2025, og fristen er 1.5.2025."
    found = find_dates(text)
    assert [text[d.begin : d.stop] for d in found] == ["7. april 2025", "1.5.2025"]
    assert [d.exact for d in found] == [True, True]


@pytest.mark.parametrize(
    "text,expected",
    [
        # bare year with a prefix
        ("Planen forventes færdig ultimo 2025.", [("2025-12-01", "2025-12-31", "ultimo 2025")]),
        ("Arbejdet går i gang primo 2026.", [("2026-01-01", "2026-01-31", "primo 2026")]),
        ("En status forelægges medio 2026.", [("2026-06-01", "2026-07-31", "medio 2026")]),
        ("Der evalueres i slutningen af 2026.", [("2026-12-01", "2026-12-31", "slutningen af 2026")]),
        ("Udbuddet gennemføres i begyndelsen af 2027.", [("2027-01-01", "2027-01-31", "begyndelsen af 2027")]),
        # prefix + month + year
        ("Rapporten ventes ultimo marts 2026.", [("2026-03-21", "2026-03-31", "ultimo marts 2026")]),
        ("Høringen starter primo april 2026.", [("2026-04-01", "2026-04-10", "primo april 2026")]),
        ("Svar forventes medio maj 2026.", [("2026-05-11", "2026-05-20", "medio maj 2026")]),
        ("Analysen præsenteres sidst i juni 2026.", [("2026-06-21", "2026-06-30", "sidst i juni 2026")]),
        ("Ultimo oktober 2025 indkaldes der til temamøde.", [("2025-10-21", "2025-10-31", "Ultimo oktober 2025")]),
        ("Der udsendes materiale ultimo nov. 2025.", [("2025-11-21", "2025-11-30", "ultimo nov. 2025")]),
        # two months
        (
            "Udpegningerne sker ultimo november/primo december 2025.",
            [("2025-11-21", "2025-12-10", "ultimo november/primo december 2025")],
        ),
        (
            "Der holdes dialogmøder ultimo august / primo september 2026.",
            [("2026-08-21", "2026-09-10", "ultimo august / primo september 2026")],
        ),
        # quarters and half-years
        ("Projektet afsluttes i 3. kvartal 2025.", [("2025-07-01", "2025-09-30", "3. kvartal 2025")]),
        ("Puljen udmøntes i 1. kvartal 2026.", [("2026-01-01", "2026-03-31", "1. kvartal 2026")]),
        ("Evalueringen ligger i 4.kvartal 2026.", [("2026-10-01", "2026-12-31", "4.kvartal 2026")]),
        ("Lovforslaget fremsættes i 1. halvår 2026.", [("2026-01-01", "2026-06-30", "1. halvår 2026")]),
        ("Sundhedsrådene etableres i 2. halvår 2026.", [("2026-07-01", "2026-12-31", "2. halvår 2026")]),
        # seasons
        ("Der afholdes en konference i foråret 2026.", [("2026-03-01", "2026-05-31", "foråret 2026")]),
        ("Kampagnen kører i efteråret 2025.", [("2025-09-01", "2025-11-30", "efteråret 2025")]),
        ("Pilotprojektet starter i sommeren 2026.", [("2026-06-01", "2026-08-31", "sommeren 2026")]),
        # bare month + year
        ("Kortlægningen blev gennemført i september 2025.", [("2025-09-01", "2025-09-30", "september 2025")]),
        ("Sagen genoptages i løbet af februar 2028.", [("2028-02-01", "2028-02-29", "februar 2028")]),
    ],
)
def test_vague_periods(text, expected):
    assert [(d.start.isoformat(), d.end.isoformat(), d.text) for d in find_dates(text)] == expected
    assert all(d.kind == "period" and not d.exact for d in find_dates(text))


@pytest.mark.parametrize(
    "text",
    [
        "Satserne reguleres pr. 1.1 hvert år.",
        "Kontingentet stiger med 20 pct. i forhold til sidste år.",
        "Der er mål frem mod 2027. Således skal alle kommuner bidrage.",
        "I 2026 skal kommunerne udarbejde nye planer.",
        "Strategien dækker perioden 2026-2030.",
        "Fra 2025 til 2028 afsættes der midler.",
        "Sagsnummeret er SAG-2025-04321.",
        "Der blev afholdt 12 møder og 3 temadage.",
        "Planen skal være klar i foråret.",
        "Der er 17 sundhedsråd og 98 kommuner.",
        "Mødet starter kl. 10.00 og slutter kl. 15.30.",
        "Se § 17, stk. 4, i loven.",
    ],
)
def test_non_dates_give_nothing(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Mødet er fastsat til 31. februar 2025.",
        "Fristen er den 30. februar 2026.",
        "Ansøgningen skal være modtaget 31. april 2026.",
        "Frist 32.1.2026 for tilbagemelding.",
        "Dato: 30.2.2025.",
        "Dato: 15.13.2025.",
    ],
)
def test_invalid_dates_give_nothing(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Mødedato: 3. september 2025", date(2025, 9, 3)),
        ("Dato: 2025-09-03", date(2025, 9, 3)),
        ("Dato: 3.9.2025", date(2025, 9, 3)),
        ("KKR Syddanmark, mandag den 16. juni 2025 kl. 9.30", date(2025, 6, 16)),
        ("Senest ultimo 2025, og endeligt den 12. januar 2026", date(2026, 1, 12)),
        ("ultimo 2025", None),
        ("1. halvår 2026", None),
        ("31. februar 2025", None),
        ("Dato: 2025-02-30", None),
        ("Ingen dato her", None),
    ],
)
def test_parse_danish_date(text, expected):
    assert parse_danish_date(text) == expected


@pytest.mark.parametrize(
    "d,expected",
    [
        (date(2025, 9, 3), "3. september 2025"),
        (date(2026, 1, 19), "19. januar 2026"),
        (date(2024, 12, 31), "31. december 2024"),
    ],
)
def test_format_danish_date(d, expected):
    assert format_danish_date(d) == expected
    assert parse_danish_date(expected) == d


@pytest.mark.parametrize(
    "sentence,kind,day",
    [
        ("Planen sendes i høring, og høringsfristen er fastsat til den 14. marts 2025.", "frist", "2025-03-14"),
        ("Ansøgningsfristen er den 23. september 2025.", "frist", "2025-09-23"),
        ("Fristen for bemærkninger er den 15. oktober 2025.", "frist", "2025-10-15"),
        ("Aftalen sendes i høring med svarfrist den 1. marts 2026.", "svarfrist", "2026-03-01"),  # once
    ],
)
def test_a_compound_of_frist_is_a_deadline(sentence, kind, day):
    from kkr.ingest.deadlines import find_deadlines

    found = find_deadlines(sentence)
    assert [(d.kind, d.start.isoformat()) for d in found] == [(kind, day)]
