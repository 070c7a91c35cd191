"""Sample graphic data for render tests: the Dresden men's 500 m final and 5000 m relay,
and the longest real names we could find."""

from __future__ import annotations

from typing import Any

LOWER_THIRD: dict[str, Any] = {
    "family_name": "ROUSSEL",
    "given_name": "Felix",
    "nation": "CAN",
    "helmet": 27,
    "info": "Men 500 m · Final A · Gold",
    "second_line": "40.986 · First individual World Cup gold",
    "status": "UNOFFICIAL",
}

LOWER_THIRD_RELAY: dict[str, Any] = {
    "family_name": "Korea",
    "nation": "KOR",
    "helmet": 301,
    "info": "Men 5000 m relay · Final A · Gold",
    "team_members": ["JANG Sungwoo", "PARK Ji Won", "KIM Gun Woo", "KIM Tae Sung"],
    "status": "OFFICIAL",
}

PODIUM: dict[str, Any] = {
    "title": "Men 500 m",
    "subtitle": "Final A",
    "entries": [
        {"place": 1, "name": "Felix ROUSSEL", "family_name": "ROUSSEL", "given_name": "Felix",
         "nation": "CAN", "helmet": 27, "time": "40.986"},
        {"place": 2, "name": "Jordan PIERRE-GILLES", "family_name": "PIERRE-GILLES",
         "given_name": "Jordan", "nation": "CAN", "time": "41.034"},
        {"place": 3, "name": "Łukasz KUCZYŃSKI", "family_name": "KUCZYŃSKI",
         "given_name": "Łukasz", "nation": "POL", "time": "41.102", "record": "NR"},
    ],
    "note": "NIKISHA (KAZ) penalised",
    "status": "UNOFFICIAL",
}  # fmt: skip

PODIUM_TIE: dict[str, Any] = {
    "title": "Women 1000 m",
    "subtitle": "Final A",
    "entries": [
        {"place": 1, "name": "Xandra VELZEBOER", "family_name": "VELZEBOER",
         "given_name": "Xandra", "nation": "NED", "time": "1:28.431"},
        {"place": 2, "tie": True, "name": "Kim BOUTIN", "family_name": "BOUTIN",
         "given_name": "Kim", "nation": "CAN", "time": "1:28.502"},
        {"place": 2, "tie": True, "name": "CHOI Min Jeong", "family_name": "CHOI",
         "given_name": "Min Jeong", "nation": "KOR", "time": "1:28.502"},
    ],
    "status": "OFFICIAL",
}  # fmt: skip

PODIUM_RELAY: dict[str, Any] = {
    "title": "Men 5000 m relay",
    "subtitle": "Final A",
    "entries": [
        {"place": 1, "name": "Korea", "nation": "KOR", "time": "6:41.245",
         "team_members": ["JANG Sungwoo", "PARK Ji Won", "KIM Gun Woo", "KIM Tae Sung"]},
        {"place": 2, "name": "Japan", "nation": "JPN", "time": "6:41.880",
         "team_members": ["MIYATA Shogo", "YOSHINAGA Kazuki", "MATSUZU Shota", "WATANABE Keita"]},
        {"place": 3, "name": "Hungary", "nation": "HUN", "time": "6:43.015",
         "team_members": ["LIU Shaoang", "LIU Shaolin Sandor", "NOGRADI Bence", "VARNAGY Daniel"]},
    ],
    "status": "OFFICIAL",
}  # fmt: skip

# (family, given): long real names, several scripts
LONG_NAMES: list[tuple[str, str]] = [
    ("PIERRE-GILLES", "Jordan"),
    ("SZCZEPANSKI-WOJCIECHOWSKA", "Katarzyna Maria"),
    ("van der WART", "Freek"),
    ("GALIAKHMETOV", "Adil"),
    ("ЖАҚСЫБЕКОВА-ҚҰДАЙБЕРГЕНОВА", "Әйгерім Нұрсұлтанқызы"),
    ("KUCZYŃSKI", "Łukasz"),
    ("ЯКОВЛЕВА", "Алина"),
    ("박지원", "PARK Ji Won"),
    ("DE LA MOTTE-FOUQUÉ VON HOHENZOLLERN-SIGMARINGEN", "Marie-Charlotte Élisabeth"),
]

# Text that must render from the shipped fonts alone, with no missing-glyph boxes.
GLYPH_SAMPLES: list[str] = [
    "KUCZYŃSKI Łukasz",
    "ŁŃČÁŠŽŐŰĘĄĆŚŹŻĞİŞÇÑØÅÆÉÈÍÓÚÝÞÐßäöü KOTRCHOVÁ SZAŁAJKO",
    "ЯКОВЛЕВА Алина",
    "Ә Ғ Қ Ң Ө Ұ Ү Һ І ә ғ қ ң ө ұ ү һ і",
    "박지원 PARK Ji Won",
    "장성우 김건우 최민정 심석희 황대헌",
    "Men 500 m · Final A · Gold – 1:24.245 ‘WR’",
]
