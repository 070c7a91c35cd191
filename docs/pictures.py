"""Make the pictures of docs/graphics.md: every graphic, as the renderer draws it.

    QT_QPA_PLATFORM=offscreen python docs/pictures.py

Each graphic is bound from the demo weekend (the result list from a made-up final that shows
every kind of row), rendered at 1280x720 (the social stills at 4:5 and 9:16), laid over a flat
ice-grey so both themes read, cropped to the graphic and written to docs/images/.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter

from strapline.domain.graphics import Selection, bind
from strapline.io.demo import load_demo
from strapline.render import ensure_gui, load_theme, render_graphic, rgba_array

OUT = Path(__file__).resolve().parent / "images"
RELAY_EVENT = "m5000r"
QUOTE = "I stayed patient and went on the inside when the gap opened."
RESULTS = {
    "title": "Men's 500 m",
    "subtitle": "Final A",
    "medals": True,
    "status": "UNOFFICIAL",
    "rows": [
        {"place": 1, "helmet": 27, "name": "ROUSSEL Felix", "nation": "CAN", "time": "40.986",
         "record": "WR"},
        {"place": 2, "tie": True, "helmet": 31, "name": "PIERRE-GILLES Jordan", "nation": "CAN",
         "time": "41.034"},
        {"place": 2, "tie": True, "helmet": 140, "name": "KUCZYŃSKI Łukasz", "nation": "POL",
         "time": "41.034", "warnings": ["YC"]},
        {"place": 4, "helmet": 7, "name": "林孝埈", "nation": "CHN", "code": "NOTIME",
         "qualification": "ADV"},
        {"helmet": 128, "name": "NIKISHA Denis", "nation": "KAZ", "code": "PEN"},
    ],
}  # fmt: skip


def _save(image: QImage, name: str) -> None:
    alpha = rgba_array(image)[:, :, 3]
    ys, xs = np.nonzero(alpha)
    margin = 14
    x0, y0 = max(0, int(xs.min()) - margin), max(0, int(ys.min()) - margin)
    x1 = min(image.width(), int(xs.max()) + margin)
    y1 = min(image.height(), int(ys.max()) + margin)
    canvas = QImage(x1 - x0, y1 - y0, QImage.Format.Format_RGB32)
    canvas.fill(QColor("#9FB2C2"))
    p = QPainter(canvas)
    p.drawImage(-x0, -y0, image)
    p.end()
    canvas.save(str(OUT / f"{name}.png"))


def main() -> None:
    ensure_gui()
    OUT.mkdir(exist_ok=True)
    comp = load_demo()
    graphics = {
        "lower-third": bind("lower-third", comp, Selection(event_id="m500", race_id="m500-fa")),
        "podium": bind("podium", comp, Selection(event_id="m500")),
        "standings": bind("standings", comp),
        "start-list": bind("start-list", comp, Selection(race_id="w500-fa")),
        "result-list": RESULTS,
        "race-bug": bind("race-bug", comp, Selection(race_id="m1000-2-fa")),
        "quote": bind("quote", comp, Selection(text=QUOTE, competitor_id="ISU-DEMO-M001")),
        "medal-table": bind("medal-table", comp),
        "advancement": bind("advancement", comp, Selection(event_id="m500")),
        "schedule": bind("schedule", comp),
    }
    for theme_name in ("ice", "night"):
        theme = load_theme(theme_name)
        for kind, data in graphics.items():
            image = render_graphic(kind, data, theme, (1280, 720))  # type: ignore[arg-type]
            _save(image, f"{kind}-{theme_name}")
        social = render_graphic("podium", graphics["podium"], theme, (540, 675), background="theme")
        _save(social, f"podium-social-{theme_name}")
        story = render_graphic("podium", graphics["podium"], theme, (540, 960), background="theme")
        _save(story, f"podium-story-{theme_name}")
    relay = bind("podium", comp, Selection(event_id=RELAY_EVENT))
    story = render_graphic("podium", relay, load_theme("night"), (540, 960), background="theme")
    _save(story, "podium-story-relay-night")


if __name__ == "__main__":
    main()
