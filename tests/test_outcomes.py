"""Unit tests for kkr.ingest.outcomes: the outcome of a decision text over many wordings."""

from __future__ import annotations

import pytest

from kkr.ingest.outcomes import OUTCOMES, classify_outcome


@pytest.mark.parametrize(
    "text",
    [
        "Godkendt.",
        "Godkendt",
        "GODKENDT",
        "Tiltrådt.",
        "Vedtaget.",
        "KKR Syddanmark godkendte indstillingen.",
        "KKR Hovedstaden godkender indstillingen.",
        "Indstillingen blev godkendt.",
        "KKR Hovedstaden tiltrådte indstillingen.",
        "Indstillingen blev fulgt.",
        "KKR Sjælland vedtog den fælles strategi.",
        "Godkendt, idet KKR bad om en status på næste møde.",
        "KKR Syddanmark drøftede sagen og godkendte indstillingen.",
        "Sagen blev drøftet, og KKR godkendte indstillingen.",
        "Godkendt.\n\nKKR anmodede desuden om, at sagen blev udsat til senere behandling.",
        "KKR drøftede sagen. Indstillingen blev godkendt.",
    ],
)
def test_approved(text):
    assert classify_outcome(text) == "Approved"


@pytest.mark.parametrize(
    "text",
    [
        "Godkendt med de faldne bemærkninger.",
        "Godkendt med ændringer.",
        "Godkendt med den ændring, at fristen rykkes til 1. juni.",
        "Godkendt med bemærkninger.",
        "KKR Syddanmark godkendte indstillingen med en tilføjelse om finansieringen.",
        "Indstillingen blev tiltrådt med følgende justeringer:",
        "Anbefalingen blev godkendt med bemærkninger fra KKR Hovedstaden.",
        "KKR Sjælland godkendte planen med de bemærkninger, der kom frem på mødet.",
        "Indstillingen blev godkendt med følgende præcisering: sekretariatet udarbejder en tidsplan.",
        "Godkendt med mindre ændringer.",
        "Indstillingen blev godkendt med enkelte justeringer.",
    ],
)
def test_approved_with_changes(text):
    assert classify_outcome(text) == "ApprovedWithChanges"


@pytest.mark.parametrize(
    "text",
    [
        "Orienteringen blev taget til efterretning.",
        "Taget til efterretning.",
        "KKR Hovedstaden tog orienteringen til efterretning.",
        "KKR Syddanmark tager orienteringen til efterretning.",
        "Drøftet og taget til efterretning.",
        "Orientering taget til efterretning.",
    ],
)
def test_noted(text):
    assert classify_outcome(text) == "Noted"


@pytest.mark.parametrize(
    "text",
    [
        "Indstillingen blev ikke godkendt.",
        "Ikke godkendt.",
        "KKR Syddanmark kunne ikke godkende indstillingen.",
        "KKR Sjælland godkendte ikke forslaget.",
        "Forslaget blev afvist.",
        "KKR Hovedstaden afviste anmodningen.",
        "Indstillingen blev ikke tiltrådt.",
        "KKR kunne ikke tiltræde indstillingen.",
    ],
)
def test_rejected(text):
    assert classify_outcome(text) == "Rejected"


@pytest.mark.parametrize(
    "text",
    [
        "Sagen blev udsat.",
        "Sagen udsættes.",
        "Punktet udsættes til næste møde.",
        "Punktet blev udskudt.",
        "Sagen blev udsat til mødet den 3. juni 2026.",
        "Sagen genoptages på næste møde.",
        "Sagen genoptages på et senere møde.",
        "Sagen udskydes til næste møde.",
        "KKR besluttede at udsætte sagen.",
    ],
)
def test_postponed(text):
    assert classify_outcome(text) == "Postponed"


@pytest.mark.parametrize(
    "text",
    [
        "KKR drøftede sagen.",
        "Drøftet.",
        "KKR Hovedstaden udpegede Mette Lund Hansen som medlem.",
        "KKR Syddanmark indstiller Hanne Bach til bestyrelsen.",
        "Intet at bemærke.",
        "",
        "   ",
    ],
)
def test_other_outcome(text):
    assert classify_outcome(text) == "OtherOutcome"


def test_first_paragraph_decides():
    text = "Taget til efterretning.\n\nKKR Syddanmark godkendte desuden en ny tidsplan."
    assert classify_outcome(text) == "Noted"


def test_outcomes_are_the_six_local_names():
    assert OUTCOMES == ("Approved", "ApprovedWithChanges", "Noted", "Rejected", "Postponed", "OtherOutcome")
