"""Single values of results files: times, places, codes, marks, rounds, helmets."""

from __future__ import annotations

import pytest

from strapline.domain.model import (
    Gender,
    QualificationMark,
    RaceStatus,
    RecordMark,
    ResultStatus,
    RoundKind,
)
from strapline.io import values
from strapline.io.common import derived_id


@pytest.mark.parametrize(
    ("text", "ms", "display", "record"),
    [
        ("41.234", 41_234, "41.234", None),
        ("1:24.245", 84_245, "1:24.245", None),
        ("43.105WR", 43_105, "43.105", RecordMark.WR),
        ("43.105 OR", 43_105, "43.105", RecordMark.OR),
        ("1:27.001JWR", 87_001, "1:27.001", RecordMark.JWR),
        ("41,2", 41_200, "41.2", None),
        ("6:41.234", 401_234, "6:41.234", None),
        ("1:02:03.400", 3_723_400, "1:02:03.400", None),
        (" 40.71 ", 40_710, "40.71", None),
    ],
)
def test_parse_time(text: str, ms: int, display: str, record: RecordMark | None) -> None:
    time, mark = values.parse_time(text)
    assert (time.ms, time.display, mark) == (ms, display, record)


@pytest.mark.parametrize("text", ["", "abc", "4x.2", "1:75.000", "41.2345", "-3.0", "PEN"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a time"):
        values.parse_time(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("PEN", ResultStatus.PEN),
        ("DQ", ResultStatus.DQ),
        ("DSQ", ResultStatus.DQ),
        ("dns", ResultStatus.DNS),
        ("DNF", ResultStatus.DNF),
        ("YC", ResultStatus.YC),
        ("WDR", ResultStatus.WDR),
        ("ABD", ResultStatus.ABD),
        ("notime", ResultStatus.NO_TIME),
        ("No Time", ResultStatus.NO_TIME),
        ("41.2", None),
        ("", None),
    ],
)
def test_parse_status(text: str, code: ResultStatus | None) -> None:
    assert values.parse_status(text) is code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", (1, False, None)),
        ("2=", (2, True, None)),
        ("=2", (2, True, None)),
        ("3.", (3, False, None)),
        ("3rd", (3, False, None)),
        ("21st", (21, False, None)),
        ("T4", (4, True, None)),
        ("PEN", (None, False, ResultStatus.PEN)),
        ("DNF", (None, False, ResultStatus.DNF)),
        ("", (None, False, None)),
    ],
)
def test_parse_place(text: str, expected: tuple[int | None, bool, ResultStatus | None]) -> None:
    assert values.parse_place(text) == expected


@pytest.mark.parametrize("text", ["0", "first", "1-2", "x"])
def test_parse_place_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a place"):
        values.parse_place(text)


@pytest.mark.parametrize(("text", "n"), [("241", 241), ("241.0", 241), ("#7", 7), ("301,00", 301)])
def test_parse_int_helmets(text: str, n: int) -> None:
    assert values.parse_int(text, "helmet number") == n


@pytest.mark.parametrize("text", ["241.5", "abc", "-1"])
def test_parse_int_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="helmet number"):
        values.parse_int(text, "helmet number")


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("Q", QualificationMark.Q),
        ("q", QualificationMark.q),
        ("QA", QualificationMark.QA),
        ("QB", QualificationMark.QB),
        ("qA", QualificationMark.qA),
        ("qB", QualificationMark.qB),
        ("qa", QualificationMark.qA),
        ("QC", QualificationMark.QC),
        ("QD", QualificationMark.QD),
        ("ADV", QualificationMark.ADV),
        ("adv", QualificationMark.ADV),
        ("ADA", QualificationMark.ADA),
        ("ADB", QualificationMark.ADB),
        ("ADVB", QualificationMark.ADVB),
        ("ADVA", QualificationMark.ADA),
        ("", None),
    ],
)
def test_parse_qualification(text: str, mark: QualificationMark | None) -> None:
    assert values.parse_qualification(text) is mark


def test_parse_qualification_rejects() -> None:
    with pytest.raises(ValueError, match="qualification mark"):
        values.parse_qualification("XYZ")


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("QuarterFinals", RoundKind.QUARTERFINAL),
        ("Quarterfinal 3", RoundKind.QUARTERFINAL),
        ("Quaterfinals", RoundKind.QUARTERFINAL),
        ("Rep. Heats", RoundKind.REPECHAGE_HEATS),
        ("RepHeats", RoundKind.REPECHAGE_HEATS),
        ("Rep.Heats", RoundKind.REPECHAGE_HEATS),
        ("Repechage Quarterfinals", RoundKind.REPECHAGE_QUARTERFINAL),
        ("Rep.Quarterfinals", RoundKind.REPECHAGE_QUARTERFINAL),
        ("RepQuarterfinals", RoundKind.REPECHAGE_QUARTERFINAL),
        ("RepSemifinals", RoundKind.REPECHAGE_SEMIFINAL),
        ("RepFinalA", RoundKind.REPECHAGE_FINAL_A),
        ("RepFinalB", RoundKind.REPECHAGE_FINAL_B),
        ("Repechage", RoundKind.REPECHAGE),
        ("Pre-Preliminaries", RoundKind.PRE_PRELIMINARIES),
        ("Eighthfinals", RoundKind.EIGHTHFINAL),
        ("Round1", RoundKind.ROUND),
        ("Round 2", RoundKind.ROUND),
        ("Races", RoundKind.RACES),
        ("RankingFinals", RoundKind.RANKING_FINAL),
        ("RankingFinalsHeats", RoundKind.RANKING_HEATS),
        ("RankingRaces-Heats", RoundKind.RANKING_HEATS),
        ("FinalA", RoundKind.FINAL_A),
        ("Final A", RoundKind.FINAL_A),
        ("Final B", RoundKind.FINAL_B),
        ("final_c", RoundKind.FINAL_C),
        ("Final D", RoundKind.FINAL_D),
        ("A Final", RoundKind.FINAL_A),
        ("Final", RoundKind.FINAL),
        ("Finals", RoundKind.FINAL),
        ("Seminfinals", RoundKind.SEMIFINAL),
        ("Semi-Finals", RoundKind.SEMIFINAL),
        ("SemiFinals", RoundKind.SEMIFINAL),
        ("Ranking Final", RoundKind.RANKING_FINAL),
        ("Heats", RoundKind.HEATS),
        ("Heat 4", RoundKind.HEATS),
        ("Preliminaries", RoundKind.PRELIMINARIES),
        ("Time Trial", RoundKind.OTHER),
        ("", RoundKind.OTHER),
    ],
)
def test_parse_round(label: str, kind: RoundKind) -> None:
    assert values.parse_round(label) is kind


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Men 500m Final A", "Final A"),
        ("men 1000m semi finals 2", "semi finals"),
        ("Women 1500m QuarterFinals", "QuarterFinals"),
        ("Ladies 500 m Rep. Heats", "Rep. Heats"),
        ("Men 5000m Relay", None),
    ],
)
def test_find_round(title: str, label: str | None) -> None:
    assert values.find_round(title) == label


def test_titles_give_gender_distance() -> None:
    assert values.find_gender("Ladies 1500m") is Gender.WOMEN
    assert values.find_gender("Men's 500m") is Gender.MEN
    assert values.find_gender("Mixed Relay 2000m") is Gender.MIXED
    assert values.find_distance("Men 5000 m Relay") == 5000
    assert values.find_distance("Results") is None


def test_race_status_words() -> None:
    assert values.parse_race_status("Start List") is RaceStatus.START_LIST
    assert values.parse_race_status("provisional") is RaceStatus.UNOFFICIAL
    assert values.parse_race_status("OFFICIAL") is RaceStatus.OFFICIAL


def test_slug_folds_latin_and_keeps_other_scripts() -> None:
    assert values.slug("KUCZYŃSKI Łukasz") == "kuczynski-lukasz"
    assert values.slug("박지원") == "박지원"
    assert values.slug("ЯКОВЛЕВА Алина") == "яковлева-алина"


@pytest.mark.parametrize(
    ("family", "given", "nation"),
    [
        ("ROUSSEL", "Felix", "CAN"),
        ("ROUSSEL12", "Felix", None),
        ("de LAAT", "Jorien", "NED"),
        ("KUCZYŃSKI", "Łukasz", "POL"),
        ("PIERRE-GILLES", "Jean", ""),
        ("박", "지원", "KOR"),
        ("O'BRIEN", "", "IRL"),
        ("", "", None),
        ("", "Kim", None),
        ("  --  ", "__", "USA"),
    ],
)
def test_derived_id_joins_slugs(family: str, given: str, nation: str | None) -> None:
    # derived_id writes values.slug out for speed: it must give what the slugs joined give.
    parts = [p for p in (nation, values.slug(family), values.slug(given) if given else "") if p]
    assert derived_id(family, given, nation) == ("-".join(parts) or "unnamed")
