"""A weekend of two men's events written by hand, for the standings tests (domain and CLI)."""

from __future__ import annotations

from pathlib import Path

from strapline.domain.standings import PointsTable

HEADER = "season,competition,event,gender,round,race,Place,#,Name,ISU Member,Results"
COMP = "ISU World Cup Short Track Speed Skating 2023/24 - Dresden (GER)"
# Men's 500 m: two semifinals, Final A (FFF penalised) and Final B; Men's 1000 m: a Final A.
ROWS = {
    ("500m", "Semifinals", 1): [
        ("1", "AAAAlex", "CAN", "40.100"),
        ("2", "BBBBen", "CAN", "40.200"),
        ("3", "CCCCarl", "NED", "40.300"),
        ("4", "DDDDan", "NED", "40.400"),
        ("5", "IIIIvan", "POL", "41.500"),
    ],
    ("500m", "Semifinals", 2): [
        ("1", "EEEEd", "KOR", "40.150"),
        ("2", "FFFFred", "KOR", "40.250"),
        ("3", "GGGGus", "ITA", "40.350"),
        ("4", "HHHHal", "ITA", "40.450"),
        ("5", "JJJJon", "POL", "41.200"),
    ],
    ("500m", "FinalA", 1): [
        ("1", "AAAAlex", "CAN", "40.000"),
        ("2", "EEEEd", "KOR", "40.100"),
        ("3", "BBBBen", "CAN", "40.200"),
        ("PEN", "FFFFred", "KOR", "PEN"),
    ],
    ("500m", "FinalB", 1): [
        ("1", "CCCCarl", "NED", "40.900"),
        ("2", "GGGGus", "ITA", "41.000"),
        ("3", "DDDDan", "NED", "41.100"),
        ("4", "HHHHal", "ITA", "41.200"),
    ],
    ("1000m", "FinalA", 1): [
        ("1", "BBBBen", "CAN", "1:25.000"),
        ("2", "AAAAlex", "CAN", "1:25.100"),
        ("3", "EEEEd", "KOR", "1:25.200"),
    ],
}
TABLE = PointsTable(
    name="test table", source="written for this test", points=[10, 8, 6, 5, 4, 3, 2, 1]
)


def weekend_file(tmp_path: Path) -> Path:
    lines = [HEADER]
    for (event, rnd, race), rows in ROWS.items():
        for i, (place, name, nation, time) in enumerate(rows, start=1):
            helmet = race * 10 + i
            lines.append(
                f"2023-2024,{COMP},{event},m,{rnd},{race},{place},{helmet},{name},{nation},{time}"
            )
    path = tmp_path / "dresden.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path
