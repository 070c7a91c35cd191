"""A World Cup weekend as a results site exports it: 48 round files, written for tests and the
import benchmark (never committed: generated where it is needed).

Each file is one round of one event (every race of the round in it), with the context columns
real exports carry. Men's and women's files of one distance and round share every label but the
gender; names lose their spaces; a few cells are odd (QAB, NP), as in real files.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

HEADER = [
    "season",
    "competition",
    "event",
    "gender",
    "round",
    "race",
    "Place",
    "Start Pos.",
    "Warn.",
    "#",
    "Name",
    "ISU ID",
    "ISU Member",
    "Results",
    "Qual.",
    "Points",
]
SEASON = "2019-2020"
COMPETITION = "ISU World Cup Short Track Speed Skating 2019/20 - Dresden (GER)"
NATIONS = ["CAN", "KOR", "NED", "ITA", "CHN", "POL", "HUN", "KAZ", "USA", "JPN", "RUS", "BEL"]
TEAMS = {
    "CAN": "CANADA",
    "KOR": "KOREA",
    "NED": "NETHERLANDS",
    "ITA": "ITALY",
    "CHN": "CHINA",
    "HUN": "HUNGARY",
    "USA": "UNITEDSTATES",
    "JPN": "JAPAN",
}
FAMILIES = ["ROUSSEL", "deLAAT", "PARK", "KRUEGER", "SOMODI", "RIETZKE", "KIM", "van'tWOUT"]
GIVENS = ["Felix", "Itzhak", "JiWon", "Maja", "Tom", "Sanne", "GunWoo", "Jens"]
# (event text, relay) and the rounds of each event: (label, races, skaters per race)
INDIVIDUAL = ["500m", "1000m", "1,500m"]
# (label, races, skaters per race, first skater of the event's field in this round): the heats
# hold the whole field, each later round the skaters still in it, Final A the best five.
ROUNDS = [
    ("Heats", 10, 7, 0),
    ("Rep.Heats", 5, 7, 35),
    ("Quarterfinals", 4, 6, 0),
    ("RepQuarterfinals", 2, 6, 12),
    ("Semifinals", 2, 6, 0),
    ("FinalB", 1, 7, 5),
    ("FinalA", 1, 5, 0),
]
FIELD = 70  # skaters per gender
RELAYS = [("3000m Relay", "w"), ("5000mRelay", "m")]
RELAY_ROUNDS = [("Semifinals", 2, 4, 0), ("FinalB", 1, 4, 4), ("FinalA", 1, 4, 0)]


@dataclass
class Weekend:
    files: list[Path]
    rows: int  # result rows written, over every file


def _time(rng: random.Random, base_ms: int) -> str:
    ms = base_ms + rng.randint(0, 250)
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest // 1000:02d}.{rest % 1000:03d}" if minutes else f"{rest / 1000:.3f}"


def _skaters(gender: str) -> list[tuple[str, str, str, str]]:
    """(name as exported, ISU id, helmet, nation) of the field of one gender."""
    out = []
    for i in range(FIELD):
        family = FAMILIES[i % len(FAMILIES)]
        given = GIVENS[(i // len(FAMILIES)) % len(GIVENS)]
        # a letter keeps apart the skaters whose names the lists above give twice
        name = f"{family}{'ABCDEFGHIJ'[i // 64]}{given}" if i >= 64 else f"{family}{given}"
        nation = NATIONS[(i * 7) % len(NATIONS)]
        number = 100 + i if gender == "m" else 200 + i
        out.append((name, f"{gender.upper()}{9000 + i}", str(number), nation))
    return out


def write_weekend(folder: Path, seed: int = 20) -> Weekend:
    """Write the 48 files of one weekend into `folder`: for each gender and distance, its rounds
    from the heats to Final A, the same skaters going through them."""
    rng = random.Random(seed)
    files: list[Path] = []
    rows = 0
    plan: list[tuple[str, str, str, int, int, int, bool]] = []
    for gender in ("m", "w"):
        for event in INDIVIDUAL:
            plan += [(event, gender, *rnd, False) for rnd in ROUNDS]
    for event, gender in RELAYS:
        plan += [(event, gender, *rnd, True) for rnd in RELAY_ROUNDS]
    fields = {g: _skaters(g) for g in ("m", "w")}
    order: dict[tuple[str, str], list[int]] = {}  # the event's ranking of its field
    odd = 0
    for event, gender, label, races, size, first, relay in plan:
        name = f"{SEASON}_Dresden_{event.replace(',', '')}_{gender}_{label}.csv"
        path = folder / name
        base = {"500m": 40_000, "1000m": 84_000, "1,500m": 135_000}.get(event, 400_000)
        ranking = order.setdefault((event, gender), rng.sample(range(FIELD), FIELD))
        teams = rng.sample(list(TEAMS), 8)
        in_round = list(range(first, first + races * size))
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for race in range(1, races + 1):
                # the best of the round spread over its races, in the order they finish
                entrants = sorted(in_round[race - 1 :: races])
                for place, index in enumerate(entrants, start=1):
                    if relay:
                        nation = teams[index % len(teams)]
                        who, isu_id, helmet = TEAMS[nation], "", str(300 + index)
                    else:
                        who, isu_id, helmet, nation = fields[gender][ranking[index]]
                    odd += 1
                    place_text = str(place)
                    qual = "Q" if place <= 2 and not label.startswith("Final") else ""
                    if odd % 97 == 0:
                        qual = "QAB"  # a mark no table lists
                    if odd % 211 == 0:
                        place_text = "NP"  # a place no table lists
                    result = _time(rng, base + place * 300)
                    if place == len(entrants) and race == 1 and not relay:
                        place_text, result = "PEN", "PEN"
                    w.writerow(
                        [
                            SEASON,
                            COMPETITION,
                            event,
                            gender,
                            label,
                            race,
                            place_text,
                            rng.randint(1, size),
                            "YC" if odd % 53 == 0 else "",
                            helmet,
                            who,
                            isu_id,
                            nation,
                            result,
                            qual,
                            "",
                        ]
                    )
                    rows += 1
        files.append(path)
    return Weekend(files=files, rows=rows)
