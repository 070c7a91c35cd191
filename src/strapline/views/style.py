"""The operator's dark palette and tally colours (red: on air, green: cued)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication

ON_AIR = QColor("#E0262E")
CUED = QColor("#1FA64A")
PENDING = QColor("#F2A900")  # on air, new data waiting for the operator's consent
NOT_IN_RUNDOWN = QColor("#F2A900")  # the preview shows a graphic Take would not send
WAITING = QColor("#5B6B7F")  # bound to data that has not arrived
INVALID = QColor("#B04AD0")
OVERRIDE = QColor("#8A5A00")  # a field the operator corrected
CHANGED = QColor("#24466B")  # a row that changed in the last re-import
ONLINE = QColor("#1FA64A")
OFFLINE = QColor("#E0262E")

UNCONFIRMED = QColor("#6E2A2E")  # taken, but no renderer of its output answers now

STATE_COLOURS: dict[str, QColor] = {
    "on-air": ON_AIR,
    "unconfirmed": UNCONFIRMED,
    "pending": PENDING,
    "cued": CUED,
    "waiting": WAITING,
    "invalid": INVALID,
}

STATE_TEXT: dict[str, str] = {
    "on-air": "ON AIR",
    "unconfirmed": "ON AIR?",
    "pending": "NEW DATA",
    "cued": "CUED",
    "waiting": "WAITING",
    "invalid": "INCOMPLETE",
    "ready": "",
}

#: A shape beside each tally colour and word, so the state reads without colour too.
STATE_SHAPE: dict[str, str] = {
    "on-air": "●",
    "unconfirmed": "?",
    "pending": "▲",
    "cued": "▶",
    "waiting": "…",
    "invalid": "✕",
    "ready": "",
}
#: Text colour on each tally colour (amber is light: black reads better on it).
STATE_INK: dict[str, QColor] = {"pending": QColor("#000000")}

STYLE_SHEET = """
QMainWindow::separator { background: #1b2028; width: 4px; height: 4px; }
QDockWidget::title { background: #1b2028; padding: 4px 6px; font-weight: 600; }
QToolBar { spacing: 4px; border: 0; }
QPushButton { padding: 5px 12px; border: 1px solid #3a4350; border-radius: 3px;
              background: #2a313c; }
QPushButton:hover { background: #343d4a; }
QPushButton:pressed { background: #1f252e; }
QPushButton:disabled { color: #6b7480; }
QPushButton#takeButton { background: #8c1a1f; border-color: #E0262E; font-weight: 700; }
QPushButton#takeButton:hover { background: #a51f25; }
QPushButton#cueButton { background: #146b31; border-color: #1FA64A; font-weight: 700; }
QPushButton#panicButton { background: #3a0d0f; border: 2px solid #E0262E; color: #ff8a8f;
                          font-weight: 800; }
QHeaderView::section { background: #1f252e; padding: 3px 6px; border: 0;
                       border-right: 1px solid #2c333d; }
QTreeView, QTableView, QListView { alternate-background-color: #1d2229; }
QLabel#errorBanner { background: #5a1215; color: #ffd7d9; padding: 6px; border-radius: 3px; }
QLabel#monitorCaption { font-weight: 700; padding: 2px 4px; }
QStatusBar QLabel { padding: 0 6px; }
"""


def apply_operator_style(app: QApplication) -> None:
    """Fusion style with a dark palette tuned for a dim gallery."""
    app.setStyle("Fusion")
    pal = QPalette()
    base, window, text = QColor("#15191f"), QColor("#20252d"), QColor("#e6e9ee")
    pal.setColor(QPalette.ColorRole.Window, window)
    pal.setColor(QPalette.ColorRole.WindowText, text)
    pal.setColor(QPalette.ColorRole.Base, base)
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#1d2229"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#2a313c"))
    pal.setColor(QPalette.ColorRole.ToolTipText, text)
    pal.setColor(QPalette.ColorRole.Text, text)
    pal.setColor(QPalette.ColorRole.Button, QColor("#2a313c"))
    pal.setColor(QPalette.ColorRole.ButtonText, text)
    pal.setColor(QPalette.ColorRole.BrightText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#3b6ea8"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.Link, QColor("#6fb3ff"))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#7d8590"))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7480"))
    app.setPalette(pal)
    app.setStyleSheet(STYLE_SHEET)


def pin_interface_font(app: QApplication) -> None:
    """Keep the operator's interface in the font the system gives it now. Widgets ask for the
    generic "Sans Serif"; once a theme registers its fonts for the graphics (the night theme's
    Noto Sans, say), fontconfig may answer that with a theme font, and every row, menu and
    button of the desk would grow (17 px rundown rows instead of 14, seven rows fewer at
    1920x1080). Naming the family that answers before any theme loads keeps the desk as it was.
    """
    if app.property("straplineInterfaceFont"):
        return
    font = QFont(app.font())
    font.setFamily(QFontInfo(font).family())
    app.setFont(font)
    app.setProperty("straplineInterfaceFont", font.family())
