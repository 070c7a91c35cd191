"""What the operator's actions ask of an output, and what comes back.

`Playout` is the seam between the services (cue, take, update, out) and a transport: the OSC
client in strapline.osc implements it; tests may implement it with a recorder. Every control
call returns an `Outcome` once the renderer acknowledged it, refused it, or the retries ran out.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field


class OutcomeKind(StrEnum):
    ACK = "ack"  # the renderer did it
    NACK = "nack"  # the renderer refused, with a reason
    TIMEOUT = "timeout"  # no answer after all retries
    OFFLINE = "offline"  # no target reachable


class Outcome(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: OutcomeKind
    target: str = ""
    seq: int | None = None
    reason: str = ""
    rtt_ms: float | None = None
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.kind is OutcomeKind.ACK


class LayerState(BaseModel):
    """What a renderer reports as being on one layer."""

    model_config = ConfigDict(extra="forbid")

    layer: int
    graphic: str = ""
    theme: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    on_air: bool = False
    step: int = 0


class ChannelState(BaseModel):
    """A renderer's full state of one output channel."""

    model_config = ConfigDict(extra="forbid")

    channel: int = 1
    layers: list[LayerState] = Field(default_factory=list)


class Playout(Protocol):
    """One output (a channel on one or more renderers), as the services drive it."""

    async def load(
        self, layer: int, graphic: str, data: dict[str, Any], theme: str
    ) -> list[Outcome]: ...

    async def play(self, layer: int, step: int | None = None) -> list[Outcome]: ...

    async def update(self, layer: int, data: dict[str, Any]) -> list[Outcome]: ...

    async def stop(self, layer: int, immediate: bool = False) -> list[Outcome]: ...

    async def clear(self, layer: int | None = None) -> list[Outcome]: ...

    async def panic(self) -> list[Outcome]: ...
