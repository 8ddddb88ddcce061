"""Unit tests for kkr.ingest.amounts: money amounts normalised to whole kroner."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kkr.ingest.amounts import find_amounts


def _found(text: str) -> list[tuple[int, str]]:
    return [(int(a.value), a.text) for a in find_amounts(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Projektet koster 1,3 mio. kr. om året.", [(1_300_000, "1,3 mio. kr.")]),
        ("Der er afsat 900.000 kr. til analysen.", [(900_000, "900.000 kr.")]),
        ("Udgiften er 2. mio. kr. i 2026.", [(2_000_000, "2. mio. kr.")]),
        ("Rammen for anlæg er på 2,5 mia. kr. i alt.", [(2_500_000_000, "2,5 mia. kr.")]),
        ("Tilskuddet udgør 450.000 kroner.", [(450_000, "450.000 kroner")]),
        ("Budgettet er 12 mio. DKK.", [(12_000_000, "12 mio. DKK")]),
        ("Bevillingen er på 1 500 000 kr. fordelt over tre år.", [(1_500_000, "1 500 000 kr.")]),
        ("Bevillingen er på 1\u00a0500\u00a0000 kr.", [(1_500_000, "1\u00a0500\u00a0000 kr.")]),
        ("Den samlede pris er 4.500.000 kr.", [(4_500_000, "4.500.000 kr.")]),
        ("Prisen er 250 kr. pr. indbygger.", [(250, "250 kr.")]),
        ("Der er tale om ca. 0,5 mio. kr. årligt.", [(500_000, "0,5 mio. kr.")]),
        ("Fonden giver 12 millioner kroner.", [(12_000_000, "12 millioner kroner")]),
        ("Staten afsætter 1,2 milliarder kr. til reformen.", [(1_200_000_000, "1,2 milliarder kr.")]),
        ("Ekstra 10 mio.kr. til vejene.", [(10_000_000, "10 mio.kr.")]),
        ("Ca. 1,3 mio kr ekstra.", [(1_300_000, "1,3 mio kr")]),
        ("Der blev afsat 1,0 mio. Kr. til puljen.", [(1_000_000, "1,0 mio. Kr.")]),
        (
            "Puljen er på 3,75 mio. kr., heraf 125.000 kr. til evaluering.",
            [(3_750_000, "3,75 mio. kr."), (125_000, "125.000 kr.")],
        ),
        ("I 2026 afsættes 5 mio. kr. til indsatsen.", [(5_000_000, "5 mio. kr.")]),
    ],
)
def test_amounts_with_currency(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("KKR anbefaler at afsætte 1,0 mio. til sekretariatet.", [(1_000_000, "1,0 mio.")]),
        ("Indsatsen finansieres med 0,75 mio. fra den fælles pulje.", [(750_000, "0,75 mio.")]),
        ("Budgettet for 2026 er 2,4 mio.", [(2_400_000, "2,4 mio.")]),
        ("Der bevilges 3 mio. til projektet.", [(3_000_000, "3 mio.")]),
        ("Kontingentet er hævet til 1,1 mio. om året.", [(1_100_000, "1,1 mio.")]),
        ("Det koster 2 mia. at gennemføre planen.", [(2_000_000_000, "2 mia.")]),
    ],
)
def test_bare_scale_counts_in_a_money_context(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Der bor 1,0 mio. mennesker i regionen.",
        "Kommunen har 60.000 indbyggere.",
        "Kontingentet stiger med 20 pct.",
        "Opgaven svarer til 2 årsværk.",
        "Reglerne gælder fra 1.1.2026.",
        "Der oprettes 17 sundhedsråd.",
        "Kr.",
        "Kr. ",
        "Sagen har nr. 2025 og vedrører 98 kommuner.",
        "Der er sendt 2,3 mio. breve.",
    ],
)
def test_non_amounts_give_nothing(text):
    assert find_amounts(text) == []


def test_value_is_a_decimal_in_whole_kroner():
    [amount] = find_amounts("Der afsættes 2,75 mio. kr.")
    assert amount.value == Decimal(2_750_000)
    assert isinstance(amount.value, Decimal)


def test_offsets_point_at_the_printed_text():
    text = "Der afsættes 900.000 kr. i 2025 og 1,3 mio. kr. i 2026."
    found = find_amounts(text)
    assert [text[a.begin : a.stop] for a in found] == ["900.000 kr.", "1,3 mio. kr."]
    assert [(a.begin, a.stop) for a in found] == [(13, 24), (35, 47)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # "t.kr." is thousands of kroner: a currency in itself
        ("Sekretariatet får 350 t.kr. i 2026.", [(350_000, "350 t.kr.")]),
        # Danish also prints the currency before the number
        ("Beløbet er kr. 450.000 i alt.", [(450_000, "kr. 450.000")]),
    ],
)
def test_other_danish_currency_forms(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a money word nearby does not make euros or inhabitants into kroner
        "EU har afsat 2 mio. euro til programmet.",
        "Regionen har 1,2 mio. indbyggere, og budgettet er uændret.",
    ],
)
def test_scale_followed_by_a_non_kroner_noun_is_not_kroner(text):
    assert find_amounts(text) == []
