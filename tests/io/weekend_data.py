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
ROUNDS = [
    ("Heats", 8, 5),
    ("Rep.Heats", 4, 5),
    ("Quarterfinals", 4, 6),
    ("RepQuarterfinals", 2, 6),
    ("Semifinals", 2, 6),
    ("FinalB", 1, 6),
    ("FinalA", 1, 5),
]
RELAYS = [("3000m Relay", "w"), ("5000mRelay", "m")]
RELAY_ROUNDS = [("Semifinals", 2, 4), ("FinalB", 1, 4), ("FinalA", 1, 4)]


@dataclass
class Weekend:
    files: list[Path]
    rows: int  # result rows written, over every file


def _time(rng: random.Random, base_ms: int) -> str:
    ms = base_ms + rng.randint(0, 250)
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest // 1000:02d}.{rest % 1000:03d}" if minutes else f"{rest / 1000:.3f}"


def write_weekend(folder: Path, seed: int = 20) -> Weekend:
    """Write the 48 files of one weekend into `folder`."""
    rng = random.Random(seed)
    files: list[Path] = []
    rows = 0
    skater = 0
    plan: list[tuple[str, str, str, int, int, bool]] = []
    for gender in ("m", "w"):
        for event in INDIVIDUAL:
            plan += [(event, gender, label, n, size, False) for label, n, size in ROUNDS]
    for event, gender in RELAYS:
        plan += [(event, gender, label, n, size, True) for label, n, size in RELAY_ROUNDS]
    odd = 0
    for event, gender, label, races, size, relay in plan:
        name = f"{SEASON}_Dresden_{event.replace(',', '')}_{gender}_{label}.csv"
        path = folder / name
        base = {"500m": 40_000, "1000m": 84_000, "1,500m": 135_000}.get(event, 400_000)
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for race in range(1, races + 1):
                teams = rng.sample(list(TEAMS), size) if relay else []
                for place in range(1, size + 1):
                    skater += 1
                    nation = teams[place - 1] if relay else rng.choice(NATIONS)
                    if relay:
                        who, isu_id, helmet = TEAMS[nation], "", ""
                    else:
                        family = FAMILIES[skater % len(FAMILIES)]
                        given = GIVENS[(skater // len(FAMILIES)) % len(GIVENS)]
                        # every skater of one event differs: a number keeps the names apart
                        who = f"{family}{'ABCDEFGHIJ'[skater % 10]}{given}"
                        isu_id, helmet = str(9000 + skater), str(skater % 400 + 1)
                    odd += 1
                    place_text = str(place)
                    qual = "Q" if place <= 2 and not label.startswith("Final") else ""
                    if odd % 97 == 0:
                        qual = "QAB"  # a mark no table lists
                    if odd % 211 == 0:
                        place_text = "NP"  # a place no table lists
                    result = _time(rng, base + place * 300)
                    if place == size and race == 1:
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
