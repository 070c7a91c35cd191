"""Every result code against every graphic that shows a result row: what is drawn must be what
the row rule (strapline.domain.rows) allows. Shared by the matrix test and the audit."""

from __future__ import annotations

from dataclasses import dataclass

from strapline.domain.graphics import BindingError, Selection, bind
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    QualificationMark,
    Race,
    RaceStatus,
    RaceTime,
    RecordMark,
    ResultRow,
    ResultStatus,
    Round,
    RoundKind,
)
from strapline.domain.rows import RowView, row_view
from strapline.domain.theme import Theme
from strapline.render import TextBox, render_graphic

CODES: list[ResultStatus | None] = [None, *ResultStatus]
TIME, RECORD, QUAL = "43.105", "WR", "Q"


def _athlete(i: str, family: str, given: str, nation: str, helmet: int = 5) -> Athlete:
    return Athlete(id=i, family_name=family, given_name=given, nation=nation, helmet=helmet)


def final_with(code: ResultStatus | None) -> Competition:
    """A medal final whose first row holds place 1, a world record, a Q mark and `code`."""
    rows = [
        ResultRow(
            competitor=_athlete("nikisha", "NIKISHA", "Denis", "KAZ"), place=1,
            time=RaceTime.from_ms(43_105), record=RecordMark.WR,
            qualification=QualificationMark.Q, status=code,
        ),
        ResultRow(competitor=_athlete("roussel", "ROUSSEL", "Felix", "CAN"), place=2,
                  time=RaceTime.from_ms(43_201)),
        ResultRow(competitor=_athlete("kucz", "KUCZYŃSKI", "Łukasz", "POL"), place=3,
                  time=RaceTime.from_ms(43_350)),
    ]  # fmt: skip
    race = Race(
        id="m500-fa", round=Round(kind=RoundKind.FINAL_A), status=RaceStatus.OFFICIAL,
        results=rows,
    )  # fmt: skip
    event = Event(id="m500", name="Men's 500 m", races=[race])
    return Competition(name="World Cup", events=[event])


def expected(code: ResultStatus | None) -> RowView:
    return row_view(
        place=1, code=code.value if code else "", time=TIME, record=RECORD, qualification=QUAL,
        medal_final=True,
    )  # fmt: skip


@dataclass
class Contradiction:
    graphic: str
    code: str
    what: str


def _texts(kind: str, data: object, theme: Theme) -> list[TextBox]:
    boxes: list[TextBox] = []
    render_graphic(kind, data, theme, (1920, 1080), text_boxes=boxes)  # type: ignore[arg-type]
    return boxes


def _row_of(boxes: list[TextBox], name_part: str) -> list[str]:
    """Texts on the same line as the box holding `name_part` (a table row)."""
    anchor = next(b for b in boxes if name_part in b.text)
    y = anchor.rect.center().y()
    return [b.text for b in boxes if abs(b.rect.center().y() - y) < anchor.rect.height() / 2]


def contradictions(code: ResultStatus | None, theme: Theme) -> list[Contradiction]:
    """Where a graphic shows more or less of the row than the rule says."""
    view = expected(code)
    comp = final_with(code)
    name = code.value if code else "-"
    found: list[Contradiction] = []

    def check(graphic: str, texts: list[str], *, place_text: str) -> None:
        joined = " | ".join(texts)
        wants = {
            "time": (TIME in joined, bool(view.time)),
            "record": (any(t == RECORD or f" {RECORD}" in t for t in texts), bool(view.record)),
            "place": (place_text in texts, bool(view.plate)),
        }
        if view.word:
            low = joined.casefold()
            wants["word"] = (view.word.casefold() in low or view.phrase.casefold() in low, True)
        for what, (shown, allowed) in wants.items():
            if shown != allowed:
                verb = "shows" if shown else "lacks"
                found.append(Contradiction(graphic, name, f"{verb} {what}: {joined}"))

    result = bind("result-list", comp)
    check("result-list", _row_of(_texts("result-list", result, theme), "NIKISHA"), place_text="1")
    lower = bind("lower-third", comp, Selection(competitor_id="nikisha"))
    lower_texts = [b.text for b in _texts("lower-third", lower, theme)]
    check("lower-third", lower_texts, place_text="MEN'S 500 M · FINAL A · GOLD")
    try:
        podium = bind("podium", comp)
    except BindingError:
        podium = None
    texts = [b.text for b in _texts("podium", podium, theme)] if podium is not None else []
    on_podium = any(t.startswith("NIKISHA") and "(" not in t for t in texts)  # not the note
    if on_podium != bool(view.medal):
        verb = "holds" if on_podium else "drops"
        found.append(Contradiction("podium", name, f"{verb} the skater: {texts}"))
    if on_podium:
        row = _row_of(_texts("podium", podium, theme), "NIKISHA Denis")
        check("podium", row, place_text="1")
    return found
