"""`strapline export` end to end: data file in, PNG stills out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from strapline.cli import main
from strapline.domain.model import (
    Athlete,
    Competition,
    DataFile,
    Event,
    Race,
    RaceStatus,
    RaceTime,
    ResultRow,
    ResultStatus,
    Round,
    RoundKind,
    Standing,
    Standings,
    StartEntry,
)
from strapline.render.png import rgba_array


def _athletes() -> list[Athlete]:
    names = [
        ("roussel", "ROUSSEL", "Felix", "CAN", 141),
        ("pierre", "PIERRE-GILLES", "Jordan", "CAN", 142),
        ("kucz", "KUCZYŃSKI", "Łukasz", "POL", 177),
        ("nikisha", "NIKISHA", "Denis", "KAZ", 159),
    ]
    return [
        Athlete(id=i, family_name=f, given_name=g, nation=n, helmet=h) for i, f, g, n, h in names
    ]


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    a = _athletes()
    final = Race(
        id="m500-fa",
        round=Round(kind=RoundKind.FINAL_A),
        status=RaceStatus.OFFICIAL,
        start_list=[StartEntry(competitor=x, start_position=i + 1) for i, x in enumerate(a)],
        results=[
            ResultRow(competitor=a[0], place=1, time=RaceTime.from_ms(40_986)),
            ResultRow(competitor=a[1], place=2, time=RaceTime.from_ms(41_050)),
            ResultRow(competitor=a[2], place=3, time=RaceTime.from_ms(41_200)),
            ResultRow(competitor=a[3], status=ResultStatus.PEN),
        ],
    )
    semi = Race(
        id="m500-sf1",
        round=Round(kind=RoundKind.SEMIFINAL),
        start_list=[StartEntry(competitor=x, start_position=i + 1) for i, x in enumerate(a)],
    )
    standings = Standings(
        id="globe",
        title="Crystal Globe · Men",
        rows=[Standing(rank=i + 1, competitor=x, points=400 - 20 * i) for i, x in enumerate(a * 3)],
    )
    comp = Competition(
        name="ISU World Cup",
        city="Dresden",
        events=[
            Event(id="m500", name="Men 500 m", distance_m=500, races=[semi, final]),
            Event(id="w1000", name="Women 1000 m", distance_m=1000),
        ],
        standings=[standings],
    )
    path = tmp_path / "weekend.json"
    path.write_text(DataFile(competition=comp).model_dump_json(indent=2), encoding="utf-8")
    return path


def _export(*argv: str) -> int:
    return main(["export", *argv])


def _load_png(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull(), path
    return image


def test_single_graphic_png_with_alpha(data_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder" / "podium.png"
    assert _export("--data", str(data_file), "--graphic", "podium", "-o", str(out)) == 0
    image = _load_png(out)
    assert (image.width(), image.height()) == (1920, 1080)
    assert image.hasAlphaChannel()
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    assert argb.pixelColor(0, 0).alpha() == 0  # keyable: the corner is transparent
    alpha = rgba_array(image)[:, :, 3]
    assert int((alpha == 255).sum()) > 50_000  # and the graphic is there, opaque


@pytest.mark.parametrize("kind", ["lower-third", "start-list", "result-list", "race-bug"])
def test_default_selection_for_race_graphics(data_file: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.png"
    assert _export("--data", str(data_file), "--graphic", kind, "-o", str(out)) == 0
    assert _load_png(out).width() == 1920


def test_portrait_size_theme_background_and_step(data_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "social.png"
    code = _export(
        "--data",
        str(data_file),
        "--graphic",
        "standings",
        "--step",
        "2",
        "--size",
        "1080x1350",
        "--background",
        "theme",
        "-o",
        str(out),
    )
    assert code == 0
    image = _load_png(out).convertToFormat(QImage.Format.Format_ARGB32)
    assert (image.width(), image.height()) == (1080, 1350)
    assert image.pixelColor(0, 0).alpha() == 255  # opaque social still


def test_key_fill_pair(data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lt.png"
    args = ["--data", str(data_file), "--graphic", "lower-third", "--row", "2", "--key-fill"]
    assert _export(*args, "-o", str(out)) == 0
    key = _load_png(tmp_path / "lt-key.png").convertToFormat(QImage.Format.Format_RGB32)
    fill = _load_png(tmp_path / "lt-fill.png")
    assert fill.size() == key.size()
    assert key.pixelColor(0, 0).red() == 0
    printed = capsys.readouterr().out.split()
    assert [Path(p).name for p in printed] == ["lt.png", "lt-fill.png", "lt-key.png"]


def test_batch_exports_every_graphic_of_an_event(
    data_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "stills" / "m500"
    assert _export("--data", str(data_file), "--all", "--event", "m500", "-o", str(folder)) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert "men-500m-final-a-podium.png" in names
    assert "men-500m-final-a-result-list.png" in names
    assert "men-500m-semifinal-1-start-list.png" in names
    assert "men-500m-final-a-lower-third-01-roussel.png" in names
    assert "men-500m-semifinal-1-podium.png" not in names
    assert not any(n.startswith("standings") for n in names)
    lines = capsys.readouterr().out.splitlines()
    total = len(names)
    assert lines[0].startswith(f"[ 1/{total}] ") or lines[0].startswith(f"[1/{total}] ")
    assert lines[-1] == f"{total} graphics written to {folder}"
    for name in names:
        assert _load_png(folder / name).hasAlphaChannel()


def test_batch_of_one_kind_over_the_whole_file(data_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    args = ["--data", str(data_file), "--all", "--graphic", "standings", "-o", str(folder)]
    assert _export(*args) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "standings-globe-page-1.png",
        "standings-globe-page-2.png",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--graphic", "scoreboard"], "--graphic 'scoreboard' is not a graphic"),
        (["--graphic", "podium", "--size", "big"], "--size 'big': expected WIDTHxHEIGHT"),
        (["--graphic", "podium", "--size", "10x10"], "must be 16 to 8192 pixels"),
        (["--graphic", "podium", "--event", "w1000"], "Women 1000 m has no races yet"),
        (["--graphic", "podium", "--race", "m500-sf1"], "is not a medal final"),
        (["--graphic", "standings", "--step", "5"], "--step 5: this standings has 2 step(s)"),
        (["--graphic", "standings", "--step", "0"], "--step 0: steps count from 1"),
        (["--graphic", "lower-third", "--row", "9"], "there is no row 9"),
        (["--graphic", "quote"], "needs the quote's text"),
        (
            ["--graphic", "podium", "--theme", "no-such-theme"],
            "--theme 'no-such-theme': no such theme",
        ),
        (["--all", "--event", "nope"], "--event 'nope': no such event"),
        ([], "give --graphic KIND"),
    ],
)
def test_bad_input_is_one_clear_line(
    data_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    out = tmp_path / "out" / "x.png"
    assert _export("--data", str(data_file), *argv, "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert err.startswith("strapline export: error: ")
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_unreadable_data_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert _export("--data", str(missing), "--graphic", "podium", "-o", "x.png") == 1
    assert f"{missing}: no such file" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "strapline", "version": 1, "competition": {"events": [', "utf-8")
    assert _export("--data", str(broken), "--graphic", "podium", "-o", "x.png") == 1
    err = capsys.readouterr().err
    assert "broken.json" in err
    assert "Traceback" not in err


def test_quote_card_from_text(data_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "quote.png"
    args = ["--data", str(data_file), "--graphic", "quote", "--competitor", "roussel"]
    assert _export(*args, "--text", "My first World Cup gold.", "-o", str(out)) == 0
    assert _load_png(out).hasAlphaChannel()


def test_csv_with_column_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "heat.csv"
    csv.write_text(
        "Rang,#,Name,ISU Member,Zeit\n"
        "1,141,ROUSSEL Felix,CAN,40.986\n"
        "2,142,PIERRE-GILLES Jordan,CAN,41.050\n",
        encoding="utf-8",
    )
    out = tmp_path / "heat.png"
    args = ["--data", str(csv), "--graphic", "result-list", "-o", str(out)]
    mapped = ["--map", "Rang=place", "--map", "Zeit=time"]
    # nothing names the event: no still with an invented title
    assert _export(*args, *mapped) == 1
    assert "has no title in the data" in capsys.readouterr().err
    titled = tmp_path / "Men 500 m heats.csv"
    csv.rename(titled)
    args[1] = str(titled)
    assert _export(*args, *mapped) == 0
    assert _load_png(out).hasAlphaChannel()
    assert _export(*args, "--map", "Rang") == 1
    assert "--map 'Rang': expected COLUMN=FIELD" in capsys.readouterr().err


def test_still_file_names_follow_one_rule() -> None:
    from strapline.services.export import file_slug

    assert file_slug("Men's 500 m") == "mens-500m"  # not "men-s-500-m"
    assert file_slug("Women's 1,500 m Final A") == "womens-1-500m-final-a"
    assert file_slug("KUCZYŃSKI Łukasz") == "kuczynski-lukasz"
    assert file_slug("박지원") == "graphic" and file_slug("박지원", "x") == "x"
    assert len(file_slug("a" * 100)) == 60
