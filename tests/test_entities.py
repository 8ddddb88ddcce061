"""Unit tests for kkr.ingest.nlp: organisations, persons and the spaCy pipeline."""

from __future__ import annotations

from datetime import date

import pytest

from kkr.ingest.nlp import build_pipeline, find_organisations, find_persons, new_document, slugify


def _orgs(text: str) -> list[tuple[str, str]]:
    return [(o.org_id, o.text) for o in find_organisations(text)]


def _persons(text: str) -> list[str]:
    return [p.name for p in find_persons(text, find_organisations(text))]


@pytest.mark.parametrize(
    "text,org_id,printed",
    [
        ("CDEU har sendt en ansøgning til Kommissionen.", "central-denmark-eu-office", "CDEU"),
        ("Central Denmark EU Office har sendt en ansøgning.", "central-denmark-eu-office", "Central Denmark EU Office"),
        ("Midtjyllands EU-kontor har sendt en ansøgning.", "central-denmark-eu-office", "Midtjyllands EU-kontor"),
        ("KD-Net drøftede udkastet.", "kd-net", "KD-Net"),
        ("KD-net drøftede udkastet.", "kd-net", "KD-net"),
        ("Sagen er forelagt KD-Nets formandskab.", "kd-net", "KD-Nets"),
        (
            "Kommunaldirektørnetværket i Midtjylland anbefaler planen.",
            "kd-net",
            "Kommunaldirektørnetværket i Midtjylland",
        ),
        ("Kommunekontaktrådet i Syddanmark mødes i Vejle.", "kkr-syddanmark", "Kommunekontaktrådet i Syddanmark"),
        ("KKR Hovedstaden behandlede sagen.", "kkr-hovedstaden", "KKR Hovedstaden"),
        ("KKR Syddanmarks formandskab forbereder mødet.", "kkr-syddanmark", "KKR Syddanmarks"),
        ("Sagen er drøftet med Kommunernes Landsforening.", "kl", "Kommunernes Landsforening"),
        ("Sagen er drøftet med KL og Danske Regioner.", "kl", "KL"),
        ("VIA deltager i partnerskabet.", "via-university-college", "VIA"),
        ("Syddansk Universitet bidrager med forskning.", "syddansk-universitet", "Syddansk Universitet"),
    ],
)
def test_gazetteer_names_resolve_to_one_id(text, org_id, printed):
    assert _orgs(text)[0] == (org_id, printed)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Haderslev Kommune deltager i projektet.", [("haderslev-kommune", "Haderslev Kommune")]),
        ("Aabenraa Kommunes borgmester deltog.", [("aabenraa-kommune", "Aabenraa Kommunes")]),
        (
            "Ringkøbing-Skjern Kommune og Lyngby-Taarbæk Kommune samarbejder.",
            [
                ("ringkoebing-skjern-kommune", "Ringkøbing-Skjern Kommune"),
                ("lyngby-taarbaek-kommune", "Lyngby-Taarbæk Kommune"),
            ],
        ),
        ("Region Syddanmarks budget er presset.", [("region-syddanmark", "Region Syddanmarks")]),
        ("Region Syddanmark deltager.", [("region-syddanmark", "Region Syddanmark")]),
        (
            "Indenrigs- og Sundhedsministeriet har sendt et udkast i høring.",
            [("indenrigs-og-sundhedsministeriet", "Indenrigs- og Sundhedsministeriet")],
        ),
        (
            "Styrelsen for Arbejdsmarked og Rekruttering offentliggør nye tal.",
            [("styrelsen-for-arbejdsmarked-og-rekruttering", "Styrelsen for Arbejdsmarked og Rekruttering")],
        ),
        (
            "Erhvervshus Fyn og Erhvervshus Sydjylland samarbejder.",
            [("erhvervshus-fyn", "Erhvervshus Fyn"), ("erhvervshus-sydjylland", "Erhvervshus Sydjylland")],
        ),
        ("Sundhedsstyrelsen har udsendt nye anbefalinger.", [("sundhedsstyrelsen", "Sundhedsstyrelsen")]),
        ("Bestyrelsen for Erhvervshus Fyn mødes i maj.", [("erhvervshus-fyn", "Erhvervshus Fyn")]),
        ("Borgmester Lars Kristensen, Vejle Kommune, orienterede.", [("vejle-kommune", "Vejle Kommune")]),
        (
            "Lolland Kommune, Guldborgsund Kommune og Vordingborg Kommune deltager.",
            [
                ("lolland-kommune", "Lolland Kommune"),
                ("guldborgsund-kommune", "Guldborgsund Kommune"),
                ("vordingborg-kommune", "Vordingborg Kommune"),
            ],
        ),
        ("Forsvarsministeriet har svaret på henvendelsen.", [("forsvarsministeriet", "Forsvarsministeriet")]),
        (
            "Miljø- og Ligestillingsministeriet har svaret.",
            [("miljoe-og-ligestillingsministeriet", "Miljø- og Ligestillingsministeriet")],
        ),
        (
            "Styrelsen for Dataforsyning og Infrastruktur leverer kortdata.",
            [("styrelsen-for-dataforsyning-og-infrastruktur", "Styrelsen for Dataforsyning og Infrastruktur")],
        ),
        ("Region Hovedstadens sygehuse er pressede.", [("region-hovedstaden", "Region Hovedstadens")]),
        (
            "Kommunernes Revision (KR) har gennemgået regnskabet.",
            [("kommunernes-revision", "Kommunernes Revision"), ("kommunernes-revision", "KR")],
        ),
    ],
)
def test_generic_organisation_forms(text, expected):
    assert _orgs(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("På Vejle Kommunes rådhus holdes mødet.", [("vejle-kommune", "Vejle Kommunes")]),
        (
            "Både Kolding Kommune og Esbjerg Kommune deltager.",
            [("kolding-kommune", "Kolding Kommune"), ("esbjerg-kommune", "Esbjerg Kommune")],
        ),
        ("Også Svendborg Kommune deltager i projektet.", [("svendborg-kommune", "Svendborg Kommune")]),
        ("Ifølge Region Syddanmark er kapaciteten opbrugt.", [("region-syddanmark", "Region Syddanmark")]),
    ],
)
def test_sentence_initial_word_is_not_part_of_the_name(text, expected):
    assert _orgs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bestyrelsen godkendte budgettet.",
        "Materialet sendes via mail.",
        "Via Teams deltog flere borgmestre.",
        "Kl. 10 starter mødet.",
        "Erhvervshusets bestyrelse har drøftet sagen.",
        "Den nye styregruppe mødes snart.",
    ],
)
def test_not_organisations(text):
    assert find_organisations(text) == []


def test_abbreviation_introduced_in_brackets_resolves_later():
    text = "Fælles Sekretariat for Sundhed (FSS) koordinerer arbejdet. Senere rapporterer FSS til KKR Sjælland."
    assert _orgs(text) == [
        ("faelles-sekretariat-for-sundhed", "Fælles Sekretariat for Sundhed"),
        ("faelles-sekretariat-for-sundhed", "FSS"),
        ("faelles-sekretariat-for-sundhed", "FSS"),
        ("kkr-sjaelland", "KKR Sjælland"),
    ]


def test_learned_abbreviation_applies_to_the_next_paragraph():
    learned: dict = {}
    find_organisations("Det Regionale Vækstforum (RVF) holder møde.", learned)
    assert list(learned) == ["RVF"]
    later = find_organisations("RVF har sendt sin anbefaling.", learned)
    assert [(o.org_id, o.label, o.text) for o in later] == [("regionale-vaekstforum", "Regionale Vækstforum", "RVF")]


def test_offsets_point_at_the_printed_name():
    text = "Sagen er sendt til Region Nordjylland og Hjørring Kommune."
    found = find_organisations(text)
    assert [text[o.begin : o.stop] for o in found] == ["Region Nordjylland", "Hjørring Kommune"]
    assert [o.label for o in found] == ["Region Nordjylland", "Hjørring Kommune"]
    assert found[0].label_en == "North Denmark Region"


# Persons. DEV: the wordings the rules were tuned on (every one must pass). HELD_OUT: written
# before the role-based finder was tuned; the test reports precision and recall on them.
PERSONS_DEV: list[tuple[str, list[str]]] = [
    ("Mette Lund Hansen giver en status på arbejdet.", ["Mette Lund Hansen"]),
    ("Borgmester Lars Kristensen orienterede om sagen.", ["Lars Kristensen"]),
    ("Søren Bo Nielsen og Kirsten Holm deltog i mødet.", ["Søren Bo Nielsen", "Kirsten Holm"]),
    ("Anne-Mette Nielsen deltog fra sekretariatet.", ["Anne-Mette Nielsen"]),
    ("Hanne Mortensen, Region Syddanmark, gav en status.", ["Hanne Mortensen"]),
    ("Direktør Birgitte Holm Sørensen fra KL fremlagde sagen.", ["Birgitte Holm Sørensen"]),
    ("Anders Vestergaard fra Region Nordjylland deltog.", ["Anders Vestergaard"]),
    ("Region Syddanmark og Kolding Kommune deltog.", []),
    ("Mette deltog i mødet.", []),
    ("KKR Syddanmark drøftede sagen med Erhvervshus Fyn.", []),
    # introduced by a role, first name not in the list
    ("Rådmand Thyge Brixvold fremlagde planen.", ["Thyge Brixvold"]),
    ("Oplæg ved chefkonsulent Sigbrit Ørnholt-Kjær, KL.", ["Sigbrit Ørnholt-Kjær"]),
    ("Kommunaldirektør Eskild Mørup Thane deltog.", ["Eskild Mørup Thane"]),
    ("Sagen blev præsenteret v/ Yrsa Kløvedal.", ["Yrsa Kløvedal"]),
    ("Deltog: Ragnvald Holst, Tove Uhrskov og Gry Abildtrup.", ["Ragnvald Holst", "Tove Uhrskov", "Gry Abildtrup"]),
    ("Næstformand Asbjørn la Cour Vinding takkede for samarbejdet.", ["Asbjørn la Cour Vinding"]),
    ("Regionsrådsformand Bjarke Udsholt, Region Nordjylland, deltog.", ["Bjarke Udsholt"]),
    ("Minister Kasimir Vestergaard-Lund besøger KKR.", ["Kasimir Vestergaard-Lund"]),
    (
        "Souschef Henny Baadsgaard Kromann og afdelingschef Olaf Tind deltog.",
        ["Henny Baadsgaard Kromann", "Olaf Tind"],
    ),
    ("Sekretariatet v/ Mette Lund Hansen udarbejder et notat.", ["Mette Lund Hansen"]),
    ("Beskæftigelsesminister Pelle Dragsted Holm deltog.", ["Pelle Dragsted Holm"]),
    ("Formand for KKR Syddanmark, borgmester Jørn Pedersen, bød velkommen.", ["Jørn Pedersen"]),
    # false friends: organisations, places, weekdays after a role word
    ("Direktør for Region Midtjylland deltog.", []),
    ("Borgmester i Vejle Kommune deltog.", []),
    ("Oplæg ved Aarhus Universitet.", []),
    ("Mødet ved Central Denmark EU Office blev aflyst.", []),
    ("Konsulent KKR Midtjylland", []),
    ("Artiklen stod i Mandag Morgen ved Mandag Morgen Torsdag.", []),
    ("Ved Kolding Kommune og Region Syddanmark er der enighed.", []),
    ("KKR Sjælland drøftede sagen ved Næstved Kommune.", []),
]
PERSONS_HELD_OUT: list[tuple[str, list[str]]] = [
    ("Afdelingschef Birk Thorsager Skou gav en status.", ["Birk Thorsager Skou"]),
    ("Oplæg ved direktør Ingeborg Fjordside, Erhvervshus Midtjylland.", ["Ingeborg Fjordside"]),
    (
        "Deltagere: Kaj Møllgaard, Solvej Brink-Hviid og Tage Ravnkilde.",
        ["Kaj Møllgaard", "Solvej Brink-Hviid", "Tage Ravnkilde"],
    ),
    ("Borgmester Vagn Ebbesen-Holt, Skive Kommune, bød velkommen.", ["Vagn Ebbesen-Holt"]),
    ("Konsulent Adil Quraishi fra KL deltog.", ["Adil Quraishi"]),
    ("Præsentation v/ Rikke Vang Sønderby og Ulrik Trane.", ["Rikke Vang Sønderby", "Ulrik Trane"]),
    ("Næstformand Torkil von Pfeil deltog ikke.", ["Torkil von Pfeil"]),
    ("Direktør i Region Hovedstaden orienterede.", []),
    ("Formanden bød velkommen til Mødet.", []),
    ("Oplæg ved Syddansk Universitet og VIA.", []),
    ("Mødet ved Vejle Fjord Hotel starter kl. 9.", []),
    (
        "Kommunaldirektør Signe Aaskov Mærsk og regionsdirektør Jens Bundgaard deltog.",
        ["Signe Aaskov Mærsk", "Jens Bundgaard"],
    ),
    ("Sagen behandles ved Mandag Morgens konference.", []),
    ("Rådmand Marie-Louise Thygesen Brandt, Aarhus Kommune.", ["Marie-Louise Thygesen Brandt"]),
    ("Chefkonsulent Niels-Erik Højbjerg, KKR Midtjylland, fremlagde sagen.", ["Niels-Erik Højbjerg"]),
    ("Deltog: Borgmester Hans Jørgen Bach og Ida Nørkær.", ["Hans Jørgen Bach", "Ida Nørkær"]),
    ("Minister for Byer og Landdistrikter deltog.", []),
    ("Borgmester Kolding Kommune deltog.", []),
    ("Sundhedsminister Sophie Løhde besøgte regionen.", ["Sophie Løhde"]),
    ("Orientering ved KL's direktør.", []),
]
PERSONS_HELD_OUT_MIN = 0.85  # precision; recall is reported


def _precision_recall(cases) -> tuple[float, float, list]:
    tp = fp = fn = 0
    misses = []
    for text, expected in cases:
        got = _persons(text)
        tp += len(set(got) & set(expected))
        fp += len(set(got) - set(expected))
        fn += len(set(expected) - set(got))
        if set(got) != set(expected):
            misses.append((text, expected, got))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, misses


@pytest.mark.parametrize("text,expected", PERSONS_DEV)
def test_persons(text, expected):
    assert _persons(text) == expected


def test_persons_held_out_precision_and_recall():
    precision, recall, misses = _precision_recall(PERSONS_HELD_OUT)
    print(f"persons held-out: precision {precision:.1%}, recall {recall:.1%}")
    assert precision >= PERSONS_HELD_OUT_MIN, misses
    assert recall >= 0.75, misses


def test_person_offsets_point_at_the_printed_name():
    text = "Oplæg ved chefkonsulent Sigbrit Ørnholt-Kjær, KL."
    (person,) = find_persons(text, find_organisations(text))
    assert text[person.begin : person.stop] == "Sigbrit Ørnholt-Kjær"


@pytest.mark.parametrize(
    "name,slug",
    [
        ("KKR Sjælland", "kkr-sjaelland"),
        ("Høje-Taastrup Kommune", "hoeje-taastrup-kommune"),
        ("Landbrug & Fødevarer", "landbrug-og-foedevarer"),
        ("Region Østdanmark", "region-oestdanmark"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def test_pipeline_components(nlp):
    assert nlp.pipe_names[-5:] == ["kkr_cases", "kkr_amounts", "kkr_dates", "kkr_orgs", "kkr_persons"]


def test_pipeline_sets_all_extensions_and_ents(nlp):
    new_document(nlp)
    text = (
        "På mødet den 4. marts 2026 fremlagde Hanne Bach Jensen fra Region Syddanmark sag SAG-2025-01234, "
        "hvor Kolding Kommune afsætter 1,3 mio. kr. i 1. halvår 2026."
    )
    doc = nlp(text)
    assert doc._.kkr_cases == ["SAG-2025-01234"]
    assert [(int(a.value), a.text) for a in doc._.kkr_amounts] == [(1_300_000, "1,3 mio. kr.")]
    assert [(d.start, d.end, d.kind) for d in doc._.kkr_dates] == [
        (date(2026, 3, 4), date(2026, 3, 4), "date"),
        (date(2026, 1, 1), date(2026, 6, 30), "period"),
    ]
    assert [(o.org_id, o.text) for o in doc._.kkr_orgs] == [
        ("region-syddanmark", "Region Syddanmark"),
        ("kolding-kommune", "Kolding Kommune"),
    ]
    assert [p.name for p in doc._.kkr_persons] == ["Hanne Bach Jensen"]
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Hanne Bach Jensen", "PER"),
        ("Region Syddanmark", "ORG"),
        ("Kolding Kommune", "ORG"),
    ]


def test_pipeline_lowercase_case_numbers_are_upper_cased(nlp):
    doc = nlp("Se sag-2025-00012 og SAG-2024-123456.")
    assert doc._.kkr_cases == ["SAG-2025-00012", "SAG-2024-123456"]


def test_pipeline_empty_text(nlp):
    doc = nlp("")
    assert (doc._.kkr_cases, doc._.kkr_amounts, doc._.kkr_dates, doc._.kkr_orgs, doc._.kkr_persons) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert list(doc.ents) == []


def test_pipeline_learns_abbreviations_per_document(nlp):
    new_document(nlp)
    nlp("Fælles Sekretariat for Sundhed (FSS) har udarbejdet en plan.")
    later = nlp("FSS præsenterer planen for KKR Syddanmark.")
    assert [(o.org_id, o.text) for o in later._.kkr_orgs] == [
        ("faelles-sekretariat-for-sundhed", "FSS"),
        ("kkr-syddanmark", "KKR Syddanmark"),
    ]
    assert [(e.text, e.label_) for e in later.ents] == [("FSS", "ORG"), ("KKR Syddanmark", "ORG")]
    new_document(nlp)
    other = nlp("FSS præsenterer planen.")
    assert other._.kkr_orgs == []
