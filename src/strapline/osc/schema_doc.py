"""The data schema of every graphic, as the Markdown section of docs/osc.md.

The section is written from the pydantic models (strapline.domain.graphics), so it cannot say
anything the renderer does not check; a test compares docs/osc.md with it. After changing a
graphic's data model, write the section again:

    python -m strapline.osc.schema_doc docs/osc.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from strapline.domain.graphics import GraphicKind, schemas

BEGIN = "<!-- BEGIN graphic data: written by `python -m strapline.osc.schema_doc docs/osc.md` -->"
END = "<!-- END graphic data -->"

_STEPS = {
    GraphicKind.STANDINGS.value: "one per page: ceil(rows / page_size), at least 1",
}


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref")
    if isinstance(ref, str):
        return {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    prop = _resolve(prop, defs)
    if "anyOf" in prop:
        return " or ".join(_type(p, defs) for p in prop["anyOf"])
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    kind = prop.get("type", "any")
    if kind == "array":
        item = _resolve(prop.get("items", {}), defs)
        if item.get("type") == "object":
            return "list of objects (below)"
        return f"list of {_type(item, defs)}"
    limits = []
    if "minimum" in prop:
        limits.append(f">= {prop['minimum']}")
    if "exclusiveMinimum" in prop:
        limits.append(f"> {prop['exclusiveMinimum']}")
    if "maximum" in prop:
        limits.append(f"<= {prop['maximum']}")
    if "minLength" in prop:
        limits.append(f"at least {prop['minLength']} character(s)")
    if "maxLength" in prop:
        limits.append(f"at most {prop['maxLength']} characters")
    if "pattern" in prop:
        limits.append(f"matching `{prop['pattern']}`")
    name = {"string": "text", "integer": "integer", "number": "number", "boolean": "true/false"}
    text = name.get(str(kind), str(kind))
    return text + (f" ({', '.join(limits)})" if limits else "")


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rows(schema: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    required = set(schema.get("required", []))
    for name, raw in schema.get("properties", {}).items():
        prop = _resolve(raw, defs)
        default = raw.get("default", prop.get("default"))
        shown_default = "" if name in required else f"`{json.dumps(default, ensure_ascii=False)}`"
        out.append(
            f"| `{prefix}{name}` | {_cell(_type(raw, defs))} | "
            f"{'yes' if name in required else 'no'} | {_cell(shown_default)} | "
            f"{_cell(raw.get('description', prop.get('description', '')))} |"
        )
        item = _resolve(prop.get("items", {}), defs) if prop.get("type") == "array" else {}
        if item.get("type") == "object":
            out.extend(_rows(item, defs, f"{prefix}{name}[]."))
    return out


def graphic_data_reference() -> str:
    """The section between BEGIN and END: each graphic, its steps and its data fields."""
    parts = [BEGIN, ""]
    for kind, schema in schemas().items():
        defs = schema.get("$defs", {})
        parts += [
            f"### `{kind}`",
            "",
            _cell(schema.get("description", "")),
            "",
            f"Steps: {_STEPS.get(kind, '1')}. Fields not listed are refused.",
            "",
            "| Field | Type | Required | Default | Meaning |",
            "|---|---|---|---|---|",
            *_rows(schema, defs),
            "",
        ]
    parts.append(END)
    return "\n".join(parts)


def replace_section(text: str) -> str:
    """The document with its generated section written anew."""
    start = text.index(BEGIN)
    end = text.index(END, start) + len(END)
    return text[:start] + graphic_data_reference() + text[end:]


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/osc.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(replace_section(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
