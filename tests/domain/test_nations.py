"""IOC nation codes: names, flags, aliases and codes with no national flag."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strapline.domain.nations import (
    ALIASES,
    NATIONS,
    SPECIAL_CODES,
    flag_iso,
    is_known_nation,
    nation_name,
    normalise_nation,
)


@pytest.mark.parametrize(
    ("code", "iso"),
    [
        ("KOR", "kr"),
        ("NED", "nl"),
        ("GER", "de"),
        ("SUI", "ch"),
        ("CRO", "hr"),
        ("POR", "pt"),
        ("RSA", "za"),
        ("KAZ", "kz"),
        ("CAN", "ca"),
        ("POL", "pl"),
        ("JPN", "jp"),
        ("HUN", "hu"),
        ("CHN", "cn"),
        ("ITA", "it"),
        ("USA", "us"),
        ("BEL", "be"),
        ("LAT", "lv"),
        ("GBR", "gb"),
        ("SGP", "sg"),
        ("KOS", "xk"),
        ("BRN", "bh"),
        ("BRU", "bn"),
    ],
)
def test_flag_iso(code: str, iso: str) -> None:
    assert flag_iso(code) == iso
    assert flag_iso(code.lower()) == iso
    assert is_known_nation(code)


@pytest.mark.parametrize(
    "code",
    ["AIN", "ANA", "OAR", "ROC", "MIX", "EOR", "IOA", "IOP", "EUN", "URS", "GDR", "TPE", "COR"],
)
def test_codes_without_a_national_flag(code: str) -> None:
    assert flag_iso(code) is None
    assert is_known_nation(code)
    assert nation_name(code)


def test_names() -> None:
    assert nation_name("KOR") == "Republic of Korea"
    assert nation_name("TPE") == "Chinese Taipei"
    assert nation_name("AIN") == "Individual Neutral Athletes"
    assert nation_name("EOR") == "Refugee Olympic Team"
    assert nation_name("kaz") == "Kazakhstan"
    assert nation_name("XYZ") is None
    assert nation_name("not a code") is None


@pytest.mark.parametrize(
    ("raw", "ioc"),
    [
        ("SIN", "SGP"),
        ("sin", "SGP"),
        (" kor ", "KOR"),
        ("NLD", "NED"),
        ("DEU", "GER"),
        ("CHE", "SUI"),
        ("HRV", "CRO"),
        ("PRT", "POR"),
        ("ZAF", "RSA"),
        ("TWN", "TPE"),
        ("BHR", "BRN"),
        ("XYZ", "XYZ"),  # unknown but well-formed: passed through, upper-cased
    ],
)
def test_normalise_nation(raw: str, ioc: str) -> None:
    assert normalise_nation(raw) == ioc


@pytest.mark.parametrize("raw", ["", "KO", "KORE", "K0R", "ÄBC", "12", "K R", None, 123])
def test_normalise_rejects_what_is_not_three_letters(raw: object) -> None:
    with pytest.raises(ValueError, match="nation code"):
        normalise_nation(raw)  # type: ignore[arg-type]


def test_unknown_codes_are_not_known() -> None:
    assert not is_known_nation("XYZ")
    assert not is_known_nation("")
    assert flag_iso("XYZ") is None


def test_table_is_complete_and_consistent() -> None:
    assert len(NATIONS) == 206  # every current National Olympic Committee
    assert all(len(c) == 3 and c.isupper() for c in NATIONS)
    isos = [iso for _, iso in NATIONS.values() if iso is not None]
    assert len(isos) == len(set(isos)), "two nations share a flag"
    assert all(len(iso) == 2 and iso.islower() for iso in isos)
    assert not set(SPECIAL_CODES) & set(NATIONS)


def test_aliases_are_unambiguous() -> None:
    # An alias never shadows a real code, and always leads to one.
    assert not set(ALIASES) & (set(NATIONS) | set(SPECIAL_CODES))
    assert set(ALIASES.values()) <= set(NATIONS)


@given(st.text(max_size=6))
def test_lookups_never_raise(text: str) -> None:
    nation_name(text)
    flag_iso(text)
    is_known_nation(text)
