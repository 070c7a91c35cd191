"""Reading names as sources spell them and writing the display forms graphics use."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strapline.domain.model import Athlete
from strapline.domain.names import (
    NameForm,
    PersonName,
    athlete_name,
    format_name,
    name_is_doubtful,
    parse_name,
    split_run_together,
)

F, G, INI, C = (
    NameForm.FAMILY_GIVEN,
    NameForm.GIVEN_FAMILY,
    NameForm.INITIAL_FAMILY,
    NameForm.CAPS,
)


@pytest.mark.parametrize(
    ("raw", "family", "given"),
    [
        ("ROUSSEL Felix", "ROUSSEL", "Felix"),
        ("Felix ROUSSEL", "ROUSSEL", "Felix"),
        ("Felix Roussel", "Roussel", "Felix"),
        ("ROUSSEL, Felix", "ROUSSEL", "Felix"),
        ("de LAAT Itzhak", "de LAAT", "Itzhak"),
        ("Itzhak de LAAT", "de LAAT", "Itzhak"),
        ("Itzhak de Laat", "de Laat", "Itzhak"),
        ("van der WART Freek", "van der WART", "Freek"),
        ("Freek van der WART", "van der WART", "Freek"),
        ("van 't WOUT Jens", "van 't WOUT", "Jens"),
        ("VAN DER WART FREEK", "VAN DER WART", "FREEK"),
        ("Sean McANUFF", "McANUFF", "Sean"),
        ("McANUFF Sean", "McANUFF", "Sean"),
        ("PARK Ji Won", "PARK", "Ji Won"),
        ("JANG Sungwoo", "JANG", "Sungwoo"),
        ("KIM Gun Woo", "KIM", "Gun Woo"),
        ("PIERRE-GILLES Jordan", "PIERRE-GILLES", "Jordan"),
        ("KUCZYŃSKI Łukasz", "KUCZYŃSKI", "Łukasz"),
        ("KUCZYNSKI Lukasz", "KUCZYNSKI", "Lukasz"),
        ("KOTRCHOVÁ Michaela", "KOTRCHOVÁ", "Michaela"),
        ("ЯКОВЛЕВА Алина", "ЯКОВЛЕВА", "Алина"),
        ("박지원", "박", "지원"),
        ("박 지원", "박", "지원"),
        ("남궁민수", "남궁", "민수"),
        ("武大靖", "武大靖", ""),
        ("SZAŁAJKO", "SZAŁAJKO", ""),
        ("Roussel", "Roussel", ""),
        ("F. ROUSSEL", "ROUSSEL", "F."),
        ("felix ROUSSEL", "ROUSSEL", "felix"),
        ("  ROUSSEL \t Felix\u200b ", "ROUSSEL", "Felix"),
        ("", "", ""),
        ("   ", "", ""),
        (",", "", ""),
    ],
)
def test_parse_name(raw: str, family: str, given: str) -> None:
    name = parse_name(raw)
    assert (name.family, name.given) == (family, given)
    assert name.original == raw


def test_parsed_name_is_frozen() -> None:
    name = parse_name("ROUSSEL Felix")
    assert isinstance(name, PersonName)
    with pytest.raises(ValueError, match="frozen"):
        name.family = "X"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "forms"),
    [
        ("ROUSSEL Felix", ("ROUSSEL Felix", "Felix Roussel", "F. ROUSSEL", "FELIX ROUSSEL")),
        ("Sean McANUFF", ("McANUFF Sean", "Sean McAnuff", "S. McANUFF", "SEAN MCANUFF")),
        (
            "de LAAT Itzhak",
            ("de LAAT Itzhak", "Itzhak de Laat", "I. de LAAT", "ITZHAK DE LAAT"),
        ),
        (
            "van der WART Freek",
            ("van der WART Freek", "Freek van der Wart", "F. van der WART", "FREEK VAN DER WART"),
        ),
        (
            "VAN DER WART FREEK",
            ("van der WART Freek", "Freek van der Wart", "F. van der WART", "FREEK VAN DER WART"),
        ),
        (
            "PIERRE-GILLES Jordan",
            (
                "PIERRE-GILLES Jordan",
                "Jordan Pierre-Gilles",
                "J. PIERRE-GILLES",
                "JORDAN PIERRE-GILLES",
            ),
        ),
        ("PARK Ji Won", ("PARK Ji Won", "Ji Won Park", "J.W. PARK", "JI WON PARK")),
        ("KIM GUN WOO", ("KIM Gun Woo", "Gun Woo Kim", "G.W. KIM", "GUN WOO KIM")),
        ("JANG Sungwoo", ("JANG Sungwoo", "Sungwoo Jang", "S. JANG", "SUNGWOO JANG")),
        (
            "KUCZYŃSKI Łukasz",
            ("KUCZYŃSKI Łukasz", "Łukasz Kuczyński", "Ł. KUCZYŃSKI", "ŁUKASZ KUCZYŃSKI"),
        ),
        ("ЯКОВЛЕВА Алина", ("ЯКОВЛЕВА Алина", "Алина Яковлева", "А. ЯКОВЛЕВА", "АЛИНА ЯКОВЛЕВА")),
        ("박지원", ("박지원", "박지원", "박지원", "박지원")),
        ("O'BRIEN Liam", ("O'BRIEN Liam", "Liam O'Brien", "L. O'BRIEN", "LIAM O'BRIEN")),
        (
            "DeCLEMENTE Clayton",
            ("DeCLEMENTE Clayton", "Clayton DeClemente", "C. DeCLEMENTE", "CLAYTON DECLEMENTE"),
        ),
        (
            "KRUEGER John-Henry",
            ("KRUEGER John-Henry", "John-Henry Krueger", "J.-H. KRUEGER", "JOHN-HENRY KRUEGER"),
        ),
        ("SZAŁAJKO", ("SZAŁAJKO", "Szałajko", "SZAŁAJKO", "SZAŁAJKO")),
        ("felix roussel", ("ROUSSEL Felix", "Felix Roussel", "F. ROUSSEL", "FELIX ROUSSEL")),
        ("MCDONALD Jack", ("MCDONALD Jack", "Jack McDonald", "J. MCDONALD", "JACK MCDONALD")),
        ("MCANUFF SEAN", ("MCANUFF Sean", "Sean McAnuff", "S. MCANUFF", "SEAN MCANUFF")),
        ("MACHADO Ana", ("MACHADO Ana", "Ana Machado", "A. MACHADO", "ANA MACHADO")),
        (
            "MCCARTHY-LEE Amy",
            ("MCCARTHY-LEE Amy", "Amy McCarthy-Lee", "A. MCCARTHY-LEE", "AMY MCCARTHY-LEE"),
        ),
    ],
)
def test_display_forms(raw: str, forms: tuple[str, str, str, str]) -> None:
    name = parse_name(raw)
    assert tuple(name.format(form) for form in (F, G, INI, C)) == forms


def test_format_name_handles_missing_parts() -> None:
    assert format_name("", "", F) == ""
    assert format_name("ROUSSEL", "", INI) == "ROUSSEL"
    assert format_name("", "Felix", G) == "Felix"
    assert format_name("de LAAT", "", F) == "de LAAT"
    assert format_name("  ROUSSEL ", " Felix ", F) == "ROUSSEL Felix"


def test_form_values_are_stable_strings() -> None:
    # Show files store the form by value: these strings must not change.
    assert [f.value for f in NameForm] == ["family-given", "given-family", "initial-family", "caps"]
    assert NameForm("caps") is C


def test_athlete_name() -> None:
    a = Athlete(id="X1", family_name="McANUFF", given_name="Sean", nation="CAN")
    assert athlete_name(a, G) == "Sean McAnuff"
    assert athlete_name(a, F) == "McANUFF Sean"


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parse_name_never_raises(raw: str) -> None:
    name = parse_name(raw)
    assert name.original == raw
    for form in NameForm:
        assert isinstance(name.format(form), str)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=8),
        min_size=1,
        max_size=5,
    )
)
def test_parse_keeps_every_word(words: list[str]) -> None:
    raw = " ".join(words)
    name = parse_name(raw)
    # every letter is kept; words run together ("JiWon", a lone Hangul word, a name without
    # spaces) may come out separated
    assert sorted((name.family + name.given).replace(" ", "")) == sorted(raw.replace(" ", ""))
    if len(words) > 1:
        kept = (name.family + " " + name.given).split()
        assert all(any(w in k or k in w for k in kept) for w in words)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(), st.sampled_from(list(NameForm)))
def test_format_name_never_raises(family: str, given_name: str, form: NameForm) -> None:
    assert isinstance(format_name(family, given_name, form), str)


_FAMILY = st.from_regex(r"[A-ZÀ-ÖØ-Þ]{2,10}(-[A-Z]{2,8})?", fullmatch=True)
_GIVEN = st.from_regex(r"[A-Z][a-zà-ÿ]{1,8}( [A-Z][a-z]{1,8})?", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(_FAMILY, _GIVEN)
def test_isu_names_round_trip(family: str, given_name: str) -> None:
    """An ISU-style name reads back the same from its own display forms."""
    raw = f"{family} {given_name}"
    name = parse_name(raw)
    assert (name.family, name.given) == (family, given_name)
    assert name.format(F) == raw
    assert parse_name(name.format(G)).format(F) == raw
    assert parse_name(f"{given_name} {family}").format(F) == raw


# The usual "FAMILY Given" form is read at once, before the word rules run: both must read such
# a name the same way.
_ASCII_FAMILY = st.from_regex(
    r"[A-Z0-9'.\-]{0,3}[A-Z][A-Z0-9'.\-]{0,4}[A-Z][A-Z0-9'.\-]{0,3}", fullmatch=True
)
_ASCII_GIVEN = st.from_regex(
    r"[A-Z][a-z0-9'.\-]{0,8}( [A-Z][a-z0-9'.\-]{0,8}){0,2}", fullmatch=True
)


@settings(max_examples=300, deadline=None)
@given(_ASCII_FAMILY, _ASCII_GIVEN)
def test_family_given_shortcut_agrees_with_the_rules(family: str, given_name: str) -> None:
    from strapline.domain import names

    raw = f"{family} {given_name}"
    assert names.parse_name_parts(raw) == (*names._read_words(raw), raw)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=24))
def test_name_parts_agree_with_parse_name(raw: str) -> None:
    from strapline.domain import names

    person = parse_name(raw)
    assert names.parse_name_parts(raw) == (person.family, person.given, person.original)
    text = names._clean(raw)
    if text and "," not in text:
        assert (person.family, person.given) == names._read_words(text)


@pytest.mark.parametrize(
    ("raw", "given_family"),
    [
        ("KIM Ji Do", "Ji Do Kim"),
        ("SILVA Ana Da", "Ana Da Silva"),
        ("de LAAT Itzhak", "Itzhak de Laat"),
    ],
)
def test_given_names_that_look_like_particles_keep_their_capital(
    raw: str, given_family: str
) -> None:
    name = parse_name(raw)
    assert name.format(G) == given_family
    assert parse_name(given_family).format(F) == raw


_WORD = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lt", "Lo", "Mn", "Pd", "Po")),
    min_size=1,
    max_size=8,
)


_PARTICLE = st.sampled_from(["de", "van", "der", "'t", "di", "la", "De", "VAN", "del"])


@settings(max_examples=800, deadline=None)
@given(
    st.lists(st.one_of(_WORD, _PARTICLE), min_size=2, max_size=5),
    st.sampled_from([" ", "  ", " , "]),
)
def test_capitals_first_shortcut_agrees_with_the_rules(words: list[str], sep: str) -> None:
    """Any script: the shortcut for "FAMILY Given" and "de FAMILY Given" text reads it as the
    word rules do."""
    from strapline.domain import names

    raw = sep.join(words)
    person = parse_name(raw)
    text = names._clean(raw)
    if "," not in raw and text:
        assert (person.family, person.given) == names._read_words(text)


@settings(max_examples=1000, deadline=None)
@given(
    st.text(
        alphabet=st.characters(categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Nd", "Pd", "Po")),
        max_size=10,
    )
)
def test_capitals_test_is_the_count_of_letters(word: str) -> None:
    """A word is in capitals when it has two capitals or more and fewer small letters: the
    shortcuts of _is_caps give that count's answer for any letters, titlecase ones included."""
    from strapline.domain import names

    upper = sum(ch.isupper() for ch in word)
    lower = sum(ch.islower() for ch in word)
    assert names._is_caps(word) == (upper >= 2 and lower < upper)


# --- names written without spaces (the shapes results sites export) ---------------------------

# raw, family, given, FAMILY_GIVEN form, GIVEN_FAMILY form
RUN_TOGETHER = [
    ("ROUSSELFelix", "ROUSSEL", "Felix", "ROUSSEL Felix", "Felix Roussel"),
    ("deLAATItzhak", "de LAAT", "Itzhak", "de LAAT Itzhak", "Itzhak de Laat"),
    ("deBOERSanne", "de BOER", "Sanne", "de BOER Sanne", "Sanne de Boer"),
    ("vanderWARTFreek", "van der WART", "Freek", "van der WART Freek", "Freek van der Wart"),
    ("van'tWOUTJens", "van 't WOUT", "Jens", "van 't WOUT Jens", "Jens van 't Wout"),
    (
        "ColeWilliamIsaacKRUEGER",
        "KRUEGER",
        "Cole William Isaac",
        "KRUEGER Cole William Isaac",
        "Cole William Isaac Krueger",
    ),
    ("PARKJiWon", "PARK", "Ji Won", "PARK Ji Won", "Ji Won Park"),
    ("KIMGunWoo", "KIM", "Gun Woo", "KIM Gun Woo", "Gun Woo Kim"),
    ("JANGSungwoo", "JANG", "Sungwoo", "JANG Sungwoo", "Sungwoo Jang"),
    ("KIMGilli", "KIM", "Gilli", "KIM Gilli", "Gilli Kim"),
    ("TomRIETZKE", "RIETZKE", "Tom", "RIETZKE Tom", "Tom Rietzke"),
    ("SOMODIMaja", "SOMODI", "Maja", "SOMODI Maja", "Maja Somodi"),
    ("McANUFFSean", "McANUFF", "Sean", "McANUFF Sean", "Sean McAnuff"),
    ("SeanMcANUFF", "McANUFF", "Sean", "McANUFF Sean", "Sean McAnuff"),
    ("JohnMacDONALD", "MacDONALD", "John", "MacDONALD John", "John MacDonald"),
    ("O'BRIENLiam", "O'BRIEN", "Liam", "O'BRIEN Liam", "Liam O'Brien"),
    ("LiamO'BRIEN", "O'BRIEN", "Liam", "O'BRIEN Liam", "Liam O'Brien"),
    (
        "PIERRE-GILLESJordan",
        "PIERRE-GILLES",
        "Jordan",
        "PIERRE-GILLES Jordan",
        "Jordan Pierre-Gilles",
    ),
    (
        "Jean-FrancoisMONETTE",
        "MONETTE",
        "Jean-Francois",
        "MONETTE Jean-Francois",
        "Jean-Francois Monette",
    ),
    ("KUCZYŃSKIŁukasz", "KUCZYŃSKI", "Łukasz", "KUCZYŃSKI Łukasz", "Łukasz Kuczyński"),
    ("MacKenzieSMITH", "SMITH", "MacKenzie", "SMITH MacKenzie", "MacKenzie Smith"),
    ("DeCLEMENTEClayton", "DeCLEMENTE", "Clayton", "DeCLEMENTE Clayton", "Clayton DeClemente"),
    ("DeCLEMENTE", "DeCLEMENTE", "", "DeCLEMENTE", "DeClemente"),
    ("SZAŁAJKO", "SZAŁAJKO", "", "SZAŁAJKO", "Szałajko"),
]


@pytest.mark.parametrize(("raw", "family", "given", "fg", "gf"), RUN_TOGETHER)
def test_names_written_without_spaces(raw: str, family: str, given: str, fg: str, gf: str) -> None:
    name = parse_name(raw)
    assert (name.family, name.given, name.original) == (family, given, raw)
    assert (name.format(F), name.format(G)) == (fg, gf)
    assert not name_is_doubtful(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "JEAN-FrANCOISMONETTE",
        "ROUSSELfELIX",
        "xyzROUSSELFelix",
        "ROUSSELFelixJR",
        "ClaytonDeCLEMENTE",
    ],
)
def test_a_name_that_cannot_be_split_is_kept_as_written(raw: str) -> None:
    name = parse_name(raw)
    assert (name.family, name.given) == (raw, "")
    assert name_is_doubtful(raw)
    assert split_run_together(raw) is None
    # no display form changes a letter of it, but CAPS, which writes every name in capitals
    assert [name.format(form) for form in (F, G, INI)] == [raw, raw, raw]
    assert name.format(C) == raw.upper()


def test_display_forms_never_invent_case() -> None:
    # Once read as "FAMILY Given" by the spaced rules, a mixed word is not taken for a prefix.
    assert format_name("TomRIETZKE", "", F) != "ToMRIETZKE"
    assert format_name("RIETZKE", "Tom", F) == "RIETZKE Tom"
    assert format_name("SOMODI", "Maja", F) == "SOMODI Maja"


_RUN_FAMILY = st.from_regex(r"[A-ZÀ-ÖØ-Þ]{2,9}([-'][A-Z]{2,6})?", fullmatch=True)
_RUN_GIVEN = st.from_regex(r"[A-Z][a-zà-öø-ÿ]{1,7}(-?[A-Z][a-z]{1,6}){0,2}", fullmatch=True)
_RUN_PARTICLES = st.sampled_from(["", "de", "van", "vander", "von", "di", "da"])


@settings(max_examples=500, deadline=None)
@given(_RUN_PARTICLES, _RUN_FAMILY, _RUN_GIVEN, st.booleans())
def test_run_together_names_keep_their_letters(
    particles: str, family: str, given_name: str, family_first: bool
) -> None:
    """Family and given names read from a name without spaces give back its letters, in order,
    and the parts it was made of."""
    raw = f"{particles}{family}{given_name}" if family_first else f"{given_name}{family}"
    name = parse_name(raw)
    if not family_first and given_name in ("De", "Di", "Da", "Du", "Le", "La"):
        assert (name.family, name.given) == (raw, "")  # "DeCLEMENTE": a prefixed family name
        return
    if not family_first and given_name.endswith(("De", "Di", "Da", "Du", "Le", "La")):
        # "AnaDaSILVA": a given name ending so, or a prefixed family name? Kept, and warned.
        assert name_is_doubtful(raw) and name.family == raw
        return
    joined = name.family + name.given if family_first else name.given + name.family
    assert joined.replace(" ", "") == raw
    assert name.family.replace(" ", "") == (f"{particles}{family}" if family_first else family)
    assert name.given.replace(" ", "") == given_name
    assert not name_is_doubtful(raw)


@pytest.mark.parametrize(
    ("raw", "given"),
    [
        ("PARK JiWon", "Ji Won"),
        ("JiWon PARK", "Ji Won"),
        ("PARK, JiWon", "Ji Won"),
        ("KIM JiWon-Lee", "Ji Won-Lee"),
        ("SMITH MacKenzie", "MacKenzie"),
        ("JAMES LeBron", "LeBron"),
        ("MONETTE Jean-Francois", "Jean-Francois"),
    ],
)
def test_given_words_run_together_are_separated(raw: str, given: str) -> None:
    assert parse_name(raw).given == given
