"""What a result row may show on air: one rule, asked by every graphic.

A result row carries a place, maybe a tie, a time, a record mark, a qualification mark and
maybe a result code (PEN, DNF, ...). Which of them may go on air together is decided here and
nowhere else: the bindings (lower third, podium) and every painter (result list, podium,
lower third) call `row_view` and draw only what it returns. So a penalised skater never gets a
place plate, a medal or a record, in any graphic.

The rule:
- A code that takes the skater out of the race's order (PEN, DQ, DNS, DNF, WDR, ABD, YC as a
  result, or a code this version does not know) shows its word and nothing else: no place,
  plate, medal, time, record or qualification.
- "No time" (NOTIME: e.g. advanced by the referee) keeps the place, plate, medal and
  qualification; it shows its word where the time would be, and no record (a record needs a
  time).
- Without a code, the row shows what it has; a record needs a time; a medal needs a place of
  1 to 3 in a medal final. A shared place is written "=2".

The words viewers read for each code are in `STATUS_WORDS` (tables and short lines) and
`STATUS_PHRASES` (a sentence such as a lower third's info line); docs/graphics.md lists both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from strapline.domain.model import ResultStatus

Medal = Literal["gold", "silver", "bronze", ""]

#: The word shown for a result code in a table cell or a short line.
STATUS_WORDS: dict[str, str] = {
    ResultStatus.PEN.value: "Penalty",
    ResultStatus.DQ.value: "DQ",
    ResultStatus.DNS.value: "DNS",
    ResultStatus.DNF.value: "DNF",
    ResultStatus.WDR.value: "Withdrawn",
    ResultStatus.ABD.value: "Abandoned",
    ResultStatus.YC.value: "Yellow card",
    ResultStatus.NO_TIME.value: "No time",
}

#: The same codes written out in a sentence (a lower third's info line).
STATUS_PHRASES: dict[str, str] = {
    ResultStatus.PEN.value: "Penalty",
    ResultStatus.DQ.value: "Disqualified",
    ResultStatus.DNS.value: "Did not start",
    ResultStatus.DNF.value: "Did not finish",
    ResultStatus.WDR.value: "Withdrawn",
    ResultStatus.ABD.value: "Abandoned",
    ResultStatus.YC.value: "Yellow card",
    ResultStatus.NO_TIME.value: "No time",
}

#: Codes that leave the place (and with it plate, medal and qualification) standing.
KEEPS_PLACE = frozenset({ResultStatus.NO_TIME.value})

_MEDALS: dict[int, Medal] = {1: "gold", 2: "silver", 3: "bronze"}


@dataclass(frozen=True)
class RowView:
    """What one result row shows; an empty string (or False) means: draw nothing there."""

    place: str  # "1", "=2", or "" for no place
    plate: bool  # a place plate is drawn (exactly when there is a place)
    medal: Medal  # medal colour of the plate or disc
    time: str  # the time as displayed
    record: str  # WR, OR, ... only beside a time
    qualification: str  # Q, q, ADV, ...
    word: str  # the status word standing for the place or time ("Penalty", "No time")
    phrase: str  # the status written out for a sentence ("Did not finish")

    @property
    def ranked(self) -> bool:
        """The row stands in the race's order (it has a place)."""
        return self.plate


def normal_code(code: str | None) -> str:
    """A result code as the rule knows it: 'NOTIME' for 'notime' or 'No time', upper case."""
    text = (code or "").strip().upper().replace(" ", "").replace("_", "")
    return text


def status_word(code: str | None) -> str:
    """The word viewers read for a result code ('' for none; an unknown code as itself)."""
    key = normal_code(code)
    return STATUS_WORDS.get(key, key)


def status_phrase(code: str | None) -> str:
    """A result code written out for a sentence ('' for none)."""
    key = normal_code(code)
    return STATUS_PHRASES.get(key, key)


def place_text(place: int | None, tie: bool) -> str:
    """'2', or '=2' for a shared place; '' without a place."""
    if place is None:
        return ""
    return f"={place}" if tie else str(place)


def row_view(
    *,
    place: int | None,
    tie: bool = False,
    code: str | None = None,
    time: str = "",
    record: str = "",
    qualification: str = "",
    medal_final: bool = False,
) -> RowView:
    """What a result row may show (see the module doc): the one rule every graphic asks."""
    key = normal_code(code)
    if key and key not in KEEPS_PLACE:
        return RowView("", False, "", "", "", "", status_word(key), status_phrase(key))
    shown_place = place_text(place, tie)
    medal: Medal = _MEDALS.get(place or 0, "") if medal_final and place is not None else ""
    shown_time = "" if key else time.strip()
    return RowView(
        place=shown_place,
        plate=bool(shown_place),
        medal=medal,
        time=shown_time,
        record=record.strip() if shown_time else "",
        qualification=qualification.strip(),
        word=status_word(key),
        phrase=status_phrase(key),
    )
