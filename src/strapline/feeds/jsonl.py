"""The Strapline JSON-lines timing protocol: one JSON object a line (see docs/live-timing.md)."""

from __future__ import annotations

from pydantic import ValidationError

from strapline.domain.live_race import MESSAGE_ADAPTER, TimingMessage
from strapline.feeds.base import LineError


class JsonLinesDecoder:
    """`{"type": "lap", "helmet": 5, "time": 25.31}` and the other message types."""

    name = "jsonl"

    def decode(self, line: bytes) -> list[TimingMessage]:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LineError(f"not UTF-8 at byte {exc.start}") from None
        text = text.strip()
        if not text:
            return []
        try:
            return [MESSAGE_ADAPTER.validate_json(text)]
        except ValidationError as exc:
            raise LineError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """The first problem of a message in one sentence naming the field."""
    first = exc.errors()[0]
    kind = first["type"]
    if kind == "json_invalid":
        return f"not JSON: {first['msg'].removeprefix('Invalid JSON: ')}"
    loc = [str(p) for p in first["loc"]]
    if kind == "union_tag_invalid":
        tags = first.get("ctx", {}).get("expected_tags", "")
        return f"unknown message type {first.get('input', {}).get('type')!r} (known: {tags})"
    if kind == "union_tag_not_found":
        return "no 'type' field (arm, start, lap, leader, finish, fall, mark, status, clock, ...)"
    if not loc:
        return f"a message is a JSON object ({first['msg']})"
    where = ".".join(loc[1:]) or loc[0]
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{loc[0]} message: {where}: {first['msg']}{more}"
