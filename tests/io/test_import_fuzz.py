"""Random and garbled files never raise anything but DataError (and never half-load)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strapline.domain.diagnostics import DataError
from strapline.io import ImportResult, load_file

DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).resolve().parents[2] / "src" / "strapline" / "data" / "demo"
REAL_FILES = sorted(p for d in (DATA, DEMO) for p in d.iterdir() if p.is_file())
SUFFIXES = [".csv", ".xlsx", ".xml", ".json", ".evt", ".txt", ""]

# STRAPLINE_FUZZ_EXAMPLES=5000 runs a deeper search locally; CI keeps the suite quick.
FUZZ = settings(
    max_examples=int(os.environ.get("STRAPLINE_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@contextmanager
def file_with(data: bytes, suffix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(data)
        yield path


def load_or_data_error(path: Path) -> ImportResult | None:
    """Load; a DataError is an accepted outcome and must name the file."""
    try:
        result = load_file(path)
    except DataError as exc:
        assert exc.source == str(path)
        assert exc.diagnostic.message
        # The catch-all for an importer's own bug must never be what answers a bad file.
        assert not exc.diagnostic.message.startswith("could not be read ("), str(exc)
        return None
    # What loads is whole and valid: it survives a round trip through the model.
    type(result.competition).model_validate(result.competition.model_dump())
    return result


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(data: bytes, suffix: str) -> None:
    with file_with(data, suffix) as path:
        load_or_data_error(path)


@FUZZ
@given(real=st.sampled_from(REAL_FILES), cut=st.floats(min_value=0, max_value=1))
def test_truncated_real_files(real: Path, cut: float) -> None:
    data = real.read_bytes()
    with file_with(data[: int(len(data) * cut)], real.suffix) as path:
        load_or_data_error(path)


@FUZZ
@given(
    real=st.sampled_from(REAL_FILES),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_corrupted_real_files(real: Path, flips: list[tuple[float, int]]) -> None:
    data = bytearray(real.read_bytes())
    for where, value in flips:
        data[min(len(data) - 1, int(len(data) * where))] = value
    with file_with(bytes(data), real.suffix) as path:
        load_or_data_error(path)


ISU = (DATA / "men-1000m-semifinal-2.csv").read_bytes().decode("cp1252")


@FUZZ
@given(order=st.permutations(list(range(9))), delim=st.sampled_from([",", ";", "\t"]))
def test_shuffled_columns_read_the_same(order: list[int], delim: str) -> None:
    rows = list(csv.reader(io.StringIO(ISU), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delim)
    for row in rows:
        writer.writerow([row[i] if i < len(row) else "" for i in order])
    with file_with(out.getvalue().encode("utf-8"), ".csv") as path:
        shuffled = load_file(path).competition.events[0].races[0]
    original = load_file(DATA / "men-1000m-semifinal-2.csv").competition.events[0].races[0]
    assert shuffled.results == original.results


CELLS = st.one_of(
    st.sampled_from(
        [
            "1",
            "2=",
            "PEN",
            "DNF",
            "notime",
            "41.234",
            "1:24.245",
            "43.105WR",
            "241.0",
            "QA",
            "q",
            "YC",
            "CAN",
            "KOR",
            "XYZ",
            "ROUSSEL Felix",
            "박지원",
            "",
            "=",
            "0",
            "-1",
            "9" * 30,
        ]
    ),
    st.text(max_size=12),
)


@FUZZ
@given(
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=10), min_size=0, max_size=12),
    delim=st.sampled_from([",", ";", "\t"]),
)
def test_random_tables_under_a_real_header(rows: list[list[str]], delim: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delim)
    writer.writerow(["Place", "Start Pos.", "Warn.", "#", "Name", "ISU Member", "Results", "Qual."])
    writer.writerows(rows)
    with file_with(out.getvalue().encode("utf-8"), ".csv") as path:
        load_or_data_error(path)


TAGS = [
    "OdfBody",
    "Competition",
    "Result",
    "Competitor",
    "Composition",
    "Athlete",
    "Description",
    "Participant",
    "MedalStandings",
    "MedalLine",
    "MedalNumber",
    "ExtendedInfos",
    "SportDescription",
    "UnitDateTime",
    "RecordIndicator",
    "x",
]
ATTRS = [
    "DocumentType",
    "DocumentCode",
    "ResultStatus",
    "Rank",
    "RankEqual",
    "Result",
    "IRM",
    "QualificationMark",
    "StartOrder",
    "Code",
    "Bib",
    "Organisation",
    "Type",
    "GivenName",
    "FamilyName",
    "Gender",
    "TeamName",
    "Gold",
    "Silver",
    "Bronze",
    "StartDate",
    "Value",
]
VALUES = st.one_of(
    st.sampled_from(
        [
            "DT_RESULT",
            "DT_PARTIC",
            "DT_RANKING",
            "DT_MEDALS",
            "OFFICIAL",
            "START_LIST",
            "1",
            "Y",
            "PEN",
            "41.2",
            "QA",
            "CAN",
            "T",
            "A",
            "STKMSINGLES500M-----------FNL-000100--",
            "",
            "x",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters='<&"'), max_size=8),
)


def xml_trees(depth: int = 0) -> st.SearchStrategy[str]:
    attrs = st.dictionaries(st.sampled_from(ATTRS), VALUES, max_size=5)
    children = (
        st.lists(st.deferred(lambda: xml_trees(depth + 1)), max_size=4)
        if depth < 4
        else st.just([])
    )
    return st.builds(
        lambda tag, a, kids: (
            f"<{tag} "
            + " ".join(f'{k}="{v}"' for k, v in a.items())
            + ">"
            + "".join(kids)
            + f"</{tag}>"
        ),
        st.sampled_from(TAGS),
        attrs,
        children,
    )


@FUZZ
@given(body=xml_trees(), doc=st.sampled_from(["DT_RESULT", "DT_PARTIC", "DT_RANKING", "DT_MEDALS"]))
def test_garbage_odf(body: str, doc: str) -> None:
    text = f'<?xml version="1.0"?><OdfBody DocumentType="{doc}">{body}</OdfBody>'
    with file_with(text.encode("utf-8"), ".xml") as path:
        load_or_data_error(path)


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text_as_every_format(text: str) -> None:
    for suffix in (".csv", ".evt", ".json", ".xml"):
        with file_with(text.encode("utf-8"), suffix) as path:
            load_or_data_error(path)
