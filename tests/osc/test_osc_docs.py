"""docs/osc.md says what the code does: each graphic's data schema is written from the models."""

from __future__ import annotations

from pathlib import Path

from strapline.osc import address as osc
from strapline.osc.schema_doc import BEGIN, END, graphic_data_reference, replace_section
from strapline.renderer.app import TCP_IDLE_S
from strapline.renderer.engine import SEQ_WINDOW

DOC = Path(__file__).resolve().parents[2] / "docs" / "osc.md"


def test_the_graphic_data_section_matches_the_models() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    assert replace_section(text) == text, (
        "docs/osc.md's graphic data section is out of date: "
        "run `python -m strapline.osc.schema_doc docs/osc.md`"
    )


def test_the_section_would_notice_a_changed_field() -> None:
    section = graphic_data_reference()
    assert "| `rows[].points` | text | yes |" in section  # standings rows
    assert "Steps: one per page" in section
    drifted = DOC.read_text(encoding="utf-8").replace("`rows[].points`", "`rows[].score`", 1)
    assert replace_section(drifted) != drifted


def test_the_limits_the_docs_give_are_the_code_s() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"{osc.MAX_UDP_PAYLOAD:,} bytes" in text
    assert f"{osc.MAX_DATA_BYTES:,} bytes" in text and f"{SEQ_WINDOW:,} behind" in text
    assert f"nothing for {TCP_IDLE_S:.0f} s is closed" in text
