"""The on-air renderer's state machine: plain Python, no Qt, no sockets.

Bytes in, replies out. `RendererEngine.handle_packet` parses a packet, drops senders outside the
allow-list, answers a repeated sequence number with the reply it gave the first time (a retry
never plays a graphic twice), validates data against the graphic's schema, schedules timetagged
bundles for the frame they are due, and keeps what is on each layer of each channel. `tick`
runs what is due; `frames` says what to draw at a given moment, as playheads for
strapline.render. The Qt window in strapline.renderer.window only paints what this says.

A layer holds what is loaded on it (taken in by the next play) and what is on air. Play takes
the loaded graphic in (the one on air, if any, goes out at the same time) or, with nothing new
loaded, goes to the next step of the graphic on air (pages of a standings table). Stop takes the
graphic out and leaves it loaded, so a second play brings it back; clear and panic cut at once.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from strapline.domain.graphics import Playhead, data_model, steps
from strapline.domain.playout import ChannelState, LayerState
from strapline.osc import address as osc
from strapline.osc.allow import AllowList
from strapline.osc.codec import OscDecodeError, Timed, parse_packet
from strapline.osc.ratelog import LogLimiter

log = logging.getLogger(__name__)

#: Sequence numbers remembered per sender, and senders remembered, for duplicate detection.
SEQ_MEMORY = 512
SENDER_MEMORY = 64
#: The seq window: a command whose seq is at most this far behind the newest one a sender had
#: done on the same layer (or its channel, or with a panic) arrived out of order and is refused,
#: so a late retry never undoes a newer command. Further behind is a new count (a restarted
#: controller starts its seqs at a random value).
SEQ_WINDOW = 4096
#: States arriving in parts that are being put together at once, at most (oldest dropped).
MAX_ASSEMBLIES = 8
#: Layers and scopes whose revisions are remembered (oldest forgotten first).
REVISION_MEMORY = 65_536
SCOPE_MEMORY = 1024
#: A bundle due further ahead than this is refused (the clocks disagree).
MAX_AHEAD_S = 5.0
#: Timetagged commands waiting for their time, at most.
MAX_SCHEDULED = 1024

Phase = Literal["in", "hold", "update", "out"]
Durations = tuple[float, float, float]  # in, out, update (seconds)


def default_validate(graphic: str, data: dict[str, Any]) -> BaseModel:
    """The graphic's data model, validated: ValueError naming the graphic and the field."""
    model = data_model(graphic)  # ValueError for an unknown graphic, naming the known ones
    return model.model_validate(data)


def default_steps(graphic: str, model: BaseModel) -> int:
    return steps(graphic, model)


def data_digest(model: BaseModel) -> str:
    """A short name for a graphic's data as validated: equal data, equal digest, in any process
    (the frame log says by it what each layer showed)."""
    return hashlib.blake2b(model.model_dump_json().encode(), digest_size=6).hexdigest()


@dataclass
class Content:
    """One graphic with its data, validated."""

    graphic: str
    theme: str
    data: dict[str, Any]
    model: BaseModel
    digest: str = ""  # `data_digest` of the model


@dataclass
class Layer:
    number: int
    loaded: Content | None = None
    on_air: Content | None = None
    phase: Phase = "hold"  # in, hold, update, out (of the graphic on air)
    phase_start: float = 0.0
    step: int = 0
    previous: dict[str, Any] | None = None
    outgoing: Content | None = None  # the graphic replaced by a take, playing its out
    outgoing_start: float = 0.0
    outgoing_step: int = 0

    @property
    def empty(self) -> bool:
        return self.loaded is None and self.on_air is None and self.outgoing is None


@dataclass(frozen=True)
class LayerFrame:
    """One graphic to draw: which, with what data, at which playhead."""

    layer: int
    graphic: str
    theme: str
    model: BaseModel
    playhead: Playhead
    #: The data as it arrived: `model` itself, except for a running clock, whose `model` is a
    #: copy with the time of this frame (a frame drawn ahead is still right while it is the same).
    source: BaseModel | None = None
    digest: str = ""  # `data_digest` of the data as it arrived


@dataclass
class Counters:
    packets: int = 0
    malformed: int = 0
    refused: int = 0  # well-formed but invalid: nacked
    duplicates: int = 0
    superseded: int = 0  # retries whose layer changed since, and commands older than a newer one
    disallowed: int = 0
    scheduled: int = 0
    late_errors: int = 0


#: What a command acts on: (channel, layer), (channel, None) for the whole channel, or
#: (None, None) for every channel (panic).
Scope = tuple[int | None, int | None]


@dataclass
class _Answer:
    """The answer given to one sequence number, and the revision of what the command acted on
    right after it was done (None for a refusal, which changed nothing): a retry gets the same
    answer only while that revision still holds."""

    replies: list[bytes]
    scope: Scope
    revision: int | None = None


@dataclass
class _Sender:
    answers: OrderedDict[int, _Answer] = field(default_factory=OrderedDict)
    #: The newest seq done per scope (and per channel, across its layers).
    newest: OrderedDict[Hashable, int] = field(default_factory=OrderedDict)


@dataclass(order=True)
class _Due:
    at: float
    order: int
    command: osc.Command = field(compare=False)
    answer: _Answer | None = field(default=None, compare=False)


def seq_before(seq: int, newer: int) -> bool:
    """Whether `seq` comes before `newer` inside the seq window (sequence numbers wrap)."""
    return 0 < (newer - seq) % 2**31 <= SEQ_WINDOW


def scope_of(command: osc.Command) -> Scope:
    if isinstance(command, osc.Panic):
        return (None, None)
    channel = getattr(command, "channel", None)
    return (channel, _layer_of(command))


class CommandRefused(Exception):
    """A command that cannot be done: the reason goes back in a nack."""


class RendererEngine:
    """Layers, phases, sequence dedupe and scheduling of one renderer."""

    def __init__(
        self,
        renderer_id: str = "strapline",
        *,
        allow: AllowList | Iterable[str] | None = None,
        durations: Callable[[str], Durations] | None = None,
        validate: Callable[[str, dict[str, Any]], BaseModel] = default_validate,
        count_steps: Callable[[str, BaseModel], int] = default_steps,
        check_theme: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        default_theme: str = "",
    ) -> None:
        self.renderer_id = renderer_id
        #: The theme a load that names none ("") gets, and reports.
        self.default_theme = default_theme
        #: Senders whose packets are handled (None: anyone); others are dropped unanswered.
        self.allow = (
            allow if allow is None or isinstance(allow, AllowList) else (AllowList.parse(allow))
        )
        self._durations = durations or (lambda theme: (0.5, 0.35, 0.3))
        self._validate = validate
        self._steps = count_steps
        self._check_theme = check_theme
        self.clock = clock
        self.wall = wall
        self.started = wall()
        self.counters = Counters()
        self.late_frames = 0
        self.channels: dict[int, dict[int, Layer]] = {}
        self._seen: OrderedDict[Hashable, _Sender] = OrderedDict()
        # revisions: one counter; each change stamps the layer (or channel, or all) it touched
        self._revision = 0
        self._layer_rev: OrderedDict[tuple[int, int], int] = OrderedDict()
        self._channel_rev: dict[int, int] = {}  # whole-channel changes (clear, resync)
        self._channel_touched: dict[int, int] = {}  # any change inside the channel
        self._all_rev = 0  # panic
        self._all_touched = 0  # any change
        self._forgotten_rev = 0  # the newest revision dropped from _layer_rev
        # states arriving in parts: (sender, seq) -> (count, {index: text})
        self._assemblies: OrderedDict[tuple[Hashable, int], tuple[int, dict[int, str]]] = (
            OrderedDict()
        )
        self._due: list[_Due] = []
        self._order = 0
        self._packet_clocks = (0.0, 0.0)
        self._log_limit = LogLimiter()
        #: Called after anything visible changed (the window repaints); no arguments.
        self.on_change: Callable[[], None] | None = None

    # --- packets ---------------------------------------------------------------------------

    def handle_packet(self, data: bytes, sender: tuple[str, int] | Hashable) -> list[bytes]:
        """Every reply to one packet from `sender` ((host, port) for UDP). Never raises."""
        self.counters.packets += 1
        if self.allow is not None:
            host = sender[0] if isinstance(sender, tuple) and sender else sender
            if not self.allow.allows(str(host)):
                self.counters.disallowed += 1
                return []
        try:
            timed = parse_packet(data)
        except OscDecodeError as exc:
            self.counters.malformed += 1
            if self._log_limit.allow():
                log.info("malformed packet from %s: %s", sender, exc)
            salvaged = osc.salvage_seq(data)  # a single message whose seq can be read: tell it
            if salvaged is None:
                return []
            address, seq = salvaged
            return [self._nack(seq, f"{address}: {exc}")]
        replies: list[bytes] = []
        first_contact = sender not in self._seen
        seen = self._remember_sender(sender)
        if first_contact:
            replies.extend(self._state_reports(0))
        # one reading of the clocks per packet: a bundle's messages share their due time
        self._packet_clocks = (self.clock(), self.wall())
        for item in timed:
            replies.extend(self._handle_message(item, sender, seen))
        return replies

    def _remember_sender(self, sender: Hashable) -> _Sender:
        seen = self._seen.get(sender)
        if seen is None:
            seen = self._seen[sender] = _Sender()
            while len(self._seen) > SENDER_MEMORY:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(sender)
        return seen

    # --- revisions and order -----------------------------------------------------------------

    def revision(self, scope: Scope) -> int:
        """The revision of a layer, a channel or everything: it moves whenever a command
        changes what it covers (a layer also moves with its channel's and with a panic)."""
        channel, layer = scope
        if channel is None:
            return self._all_touched
        if layer is None:
            return max(self._channel_touched.get(channel, 0), self._all_rev)
        found = self._layer_rev.get((channel, layer), self._forgotten_rev)
        return max(found, self._channel_rev.get(channel, 0), self._all_rev)

    def _touch(self, scope: Scope) -> None:
        self._revision += 1
        rev = self._revision
        channel, layer = scope
        self._all_touched = rev
        if channel is None:
            self._all_rev = rev
            return
        self._channel_touched[channel] = rev
        if layer is None:
            self._channel_rev[channel] = rev
            return
        key = (channel, layer)
        self._layer_rev[key] = rev
        self._layer_rev.move_to_end(key)
        while len(self._layer_rev) > REVISION_MEMORY:
            _, dropped = self._layer_rev.popitem(last=False)
            self._forgotten_rev = max(self._forgotten_rev, dropped)

    @staticmethod
    def _order_keys(scope: Scope) -> list[Hashable]:
        """The scopes whose newer commands a command on `scope` must not undo."""
        channel, layer = scope
        if channel is None:
            return [("any",)]
        if layer is None:
            return [("any",), (channel, None), ("in", channel)]
        return [("any",), (channel, None), (channel, layer)]

    def _newer_than(self, seen: _Sender, seq: int, scope: Scope) -> int | None:
        """A newer seq this sender already had done on the command's scope, if any."""
        for key in self._order_keys(scope):
            newest = seen.newest.get(key)
            if newest is not None and seq_before(seq, newest):
                return newest
        return None

    @staticmethod
    def _mark_done(seen: _Sender, seq: int, scope: Scope) -> None:
        channel, layer = scope
        keys: list[Hashable] = [("any",)] if channel is None else [scope]
        if channel is not None and layer is not None:
            keys.append(("in", channel))
        for key in keys:
            old = seen.newest.get(key)
            if old is None or not seq_before(seq, old):
                seen.newest[key] = seq
            seen.newest.move_to_end(key)
        while len(seen.newest) > SCOPE_MEMORY:
            seen.newest.popitem(last=False)

    def _handle_message(self, item: Timed, sender: Hashable, seen: _Sender) -> list[bytes]:
        try:
            command = osc.parse_command(item.message)
        except osc.ProtocolError as exc:
            self.counters.refused += 1
            if self._log_limit.allow():
                log.info("refused from %s: %s", sender, exc)
            if exc.seq is None:
                return []
            return [self._nack(exc.seq, str(exc))]
        if isinstance(command, osc.Ping):
            return [
                osc.build_reply(
                    osc.Pong(
                        command.seq,
                        command.sent,
                        self.renderer_id,
                        self.wall(),
                        self.started,
                        self.late_frames,
                    )
                )
            ]
        if isinstance(command, osc.GetState):  # reads only: always the state as it is now
            return [*self._state_report(command.seq, command.channel), self._ack(command.seq)]
        cached = seen.answers.get(command.seq)
        if isinstance(command, osc.SetStatePart) and cached is None:
            try:
                whole = self._assemble(command, sender)
            except osc.ProtocolError as exc:
                self.counters.refused += 1
                refused = _Answer([self._nack(command.seq, str(exc))], scope_of(command))
                seen.answers[command.seq] = refused
                return refused.replies
            if whole is None:
                return []  # answered once every part is in
            command = whole
        scope = scope_of(command)
        if cached is not None:
            self.counters.duplicates += 1
            if cached.revision is None or cached.revision == self.revision(cached.scope):
                return cached.replies
            # done, but changed since: its ack would be stale, so the sender must ask
            self.counters.superseded += 1
            return [
                self._nack(
                    command.seq,
                    f"{_where(cached.scope)} changed after seq {command.seq} was done: {osc.STALE}",
                )
            ]
        newer = self._newer_than(seen, command.seq, scope)
        answer = _Answer([], scope)
        if newer is not None:
            self.counters.superseded += 1
            answer.replies = [
                self._nack(
                    command.seq,
                    f"{_where(scope)}: seq {command.seq} arrived after seq {newer} of the same "
                    "sender and would undo it: not done",
                )
            ]
        else:
            try:
                answer.replies = self._execute_or_schedule(command, item.at, answer)
            except Exception as exc:  # a bug must not leave the sender without an answer
                log.exception("command %s failed", type(command).__name__)
                self.counters.refused += 1
                answer.replies = [self._nack(command.seq, f"renderer error: {exc}")]
            if answer.revision is not None:
                self._mark_done(seen, command.seq, scope)
        seen.answers[command.seq] = answer
        while len(seen.answers) > SEQ_MEMORY:
            seen.answers.popitem(last=False)
        return answer.replies

    def _assemble(self, part: osc.SetStatePart, sender: Hashable) -> osc.SetState | None:
        """Keep one part of a state; the whole SetState once every part is in (ProtocolError
        when the whole is not a valid state)."""
        key = (sender, part.seq)
        count, parts = self._assemblies.get(key, (part.count, {}))
        if count != part.count:  # parts of another split under the same seq: start again
            count, parts = part.count, {}
        parts[part.index] = part.text
        self._assemblies[key] = (count, parts)
        self._assemblies.move_to_end(key)
        while len(self._assemblies) > MAX_ASSEMBLIES:
            self._assemblies.popitem(last=False)
        if len(parts) < count:
            return None
        del self._assemblies[key]
        text = "".join(parts[i] for i in range(count))
        address = osc.channel_address(part.channel, "state/set/part")
        state = osc.parse_state_text(text, address, part.seq)
        return osc.SetState(part.seq, part.channel, state)

    def _nack(self, seq: int, reason: str) -> bytes:
        return osc.build_reply(osc.Nack(seq, self.renderer_id, reason))

    def _ack(self, seq: int) -> bytes:
        return osc.build_reply(osc.Ack(seq, self.renderer_id))

    def _execute_or_schedule(
        self, command: osc.Command, at: float | None, answer: _Answer
    ) -> list[bytes]:
        """Do or schedule a command; an accepted one stamps `answer` with its scope's revision
        (a scheduled one stamps it again when it is done)."""
        seq = command.seq
        try:
            prepared = self._check(command)
            mono, wall = self._packet_clocks
            delay = 0.0 if at is None else at - wall
            if delay > MAX_AHEAD_S:
                raise CommandRefused(
                    f"bundle due {delay:.1f} s ahead (more than {MAX_AHEAD_S:.0f} s): "
                    "check that the clocks agree"
                )
            if delay > 0.0:
                if len(self._due) >= MAX_SCHEDULED:
                    raise CommandRefused(f"{MAX_SCHEDULED} commands already scheduled")
                self._order += 1
                bisect.insort(self._due, _Due(mono + delay, self._order, command, answer))
                self.counters.scheduled += 1
                answer.revision = self.revision(answer.scope)
                return [self._ack(seq)]
            extra = self._execute(command, prepared)
        except CommandRefused as exc:
            self.counters.refused += 1
            return [self._nack(seq, str(exc))]
        answer.revision = self.revision(answer.scope)
        return [*extra, self._ack(seq)]

    # --- validation (before anything changes) -------------------------------------------------

    def _content(self, graphic: str, theme: str, data: dict[str, Any]) -> Content:
        theme = theme or self.default_theme
        try:
            model = self._validate(graphic, data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "data"
            raise CommandRefused(
                f"{graphic} data: {where}: {first['msg']} ({exc.error_count()} error(s))"
            ) from None
        except ValueError as exc:
            raise CommandRefused(str(exc)) from None
        if self._check_theme is not None:
            try:
                self._check_theme(theme)
            except ValueError as exc:
                raise CommandRefused(str(exc)) from None
        return Content(graphic, theme, data, model, data_digest(model))

    def _layer(self, channel: int, layer: int) -> Layer:
        layers = self.channels.setdefault(channel, {})
        found = layers.get(layer)
        if found is None:
            found = layers[layer] = Layer(layer)
        return found

    def _load_pending(self, channel: int, layer: int) -> bool:
        return any(
            isinstance(d.command, osc.Load)
            and (d.command.channel, d.command.layer) == (channel, layer)
            for d in self._due
        )

    def _check(self, command: osc.Command) -> Content | None:
        """Refuse what cannot be done, before it is scheduled or done; a load's content."""
        match command:
            case osc.Load(_, _, _, graphic, theme, data):
                return self._content(graphic, theme, data)
            case osc.Play(_, ch, number, step):
                layer = self.channels.get(ch, {}).get(number)
                has = layer is not None and (layer.loaded or layer.on_air)
                if not has and not self._load_pending(ch, number):
                    raise CommandRefused(f"channel {ch} layer {number}: nothing loaded to play")
                if step != osc.NEXT_STEP and layer is not None:
                    content = layer.loaded or layer.on_air
                    if content is not None:
                        n = self._steps(content.graphic, content.model)
                        if step >= n:
                            raise CommandRefused(
                                f"channel {ch} layer {number}: step {step} out of range "
                                f"({content.graphic} has {n} step(s), 0-{n - 1})"
                            )
            case osc.Update(_, ch, number, data):
                layer = self.channels.get(ch, {}).get(number)
                content = None if layer is None else (layer.on_air or layer.loaded)
                if content is None:
                    if self._load_pending(ch, number):
                        return None
                    raise CommandRefused(f"channel {ch} layer {number}: nothing loaded to update")
                self._content(content.graphic, content.theme, data)
            case osc.SetState(_, ch, state):
                self._parse_state(ch, state)
            case _:
                pass
        return None

    def _parse_state(self, channel: int, state: dict[str, Any]) -> list[tuple[LayerState, Content]]:
        try:
            parsed = ChannelState.model_validate(state)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "state"
            raise CommandRefused(f"state: {where}: {first['msg']}") from None
        if parsed.channel != channel:
            raise CommandRefused(
                f"state is for channel {parsed.channel}, sent to channel {channel}"
            )
        out: list[tuple[LayerState, Content]] = []
        for ls in parsed.layers:
            if not ls.graphic:
                continue
            try:
                content = self._content(ls.graphic, ls.theme, ls.data)
            except CommandRefused as exc:
                raise CommandRefused(f"state: layer {ls.layer}: {exc}") from None
            out.append((ls, content))
        return out

    # --- doing ---------------------------------------------------------------------------------

    def _execute(
        self, command: osc.Command, prepared: Content | None = None, now: float | None = None
    ) -> list[bytes]:
        """Do a checked command; a scheduled one starts its phase at its due time."""
        now = self.clock() if now is None else now
        extra: list[bytes] = []
        match command:
            case osc.Load(_, ch, number, graphic, theme, data):
                layer = self._layer(ch, number)
                layer.loaded = prepared or self._content(graphic, theme, data)
            case osc.Play(_, ch, number, step):
                self._play(self._layer(ch, number), step, now)
            case osc.Update(_, ch, number, data):
                layer = self._layer(ch, number)
                if layer.on_air is not None:
                    content = self._content(layer.on_air.graphic, layer.on_air.theme, data)
                    layer.previous = layer.on_air.data
                    layer.on_air = content
                    n = self._steps(content.graphic, content.model)
                    layer.step = min(layer.step, n - 1)
                    self._set_phase(layer, "update", now)
                elif layer.loaded is not None:
                    layer.loaded = self._content(layer.loaded.graphic, layer.loaded.theme, data)
                else:
                    raise CommandRefused(f"channel {ch} layer {number}: nothing loaded to update")
            case osc.Stop(_, ch, number, immediate):
                found = self.channels.get(ch, {}).get(number)
                if found is not None and found.on_air is not None:
                    if found.loaded is None:
                        found.loaded = found.on_air
                    if immediate:
                        found.on_air = None
                        found.outgoing = None
                        found.phase = "hold"
                    else:
                        self._reverse(found, "out", now)
            case osc.ClearLayer(_, ch, number):
                self.channels.get(ch, {}).pop(number, None)
                self._drop_due(
                    lambda c: getattr(c, "channel", None) == ch and _layer_of(c) == number
                )
            case osc.ClearChannel(_, ch):
                self.channels.pop(ch, None)
                self._drop_due(lambda c: getattr(c, "channel", None) == ch)
            case osc.Panic():
                self.channels.clear()
                self._due.clear()
            case osc.GetState(seq, ch):
                extra.extend(self._state_report(seq, ch))
            case osc.SetState(seq, ch, state):
                parsed = self._parse_state(ch, state)
                layers: dict[int, Layer] = {}
                for ls, content in parsed:
                    layer = Layer(ls.layer)
                    if ls.on_air:
                        layer.on_air = content
                        n = self._steps(content.graphic, content.model)
                        layer.step = min(ls.step, n - 1)
                        layer.phase = "hold"
                        layer.phase_start = now
                    else:
                        layer.loaded = content
                    layers[ls.layer] = layer
                self.channels[ch] = layers
                self._drop_due(lambda c: getattr(c, "channel", None) == ch)
                extra.extend(self._state_report(seq, ch))
            case _:
                pass
        if not isinstance(command, osc.GetState | osc.Ping):
            self._touch(scope_of(command))
        if self.on_change is not None:
            self.on_change()
        return extra

    def _drop_due(self, match: Callable[[osc.Command], bool]) -> None:
        self._due = [d for d in self._due if not match(d.command)]

    def _play(self, layer: Layer, step: int, now: float) -> None:
        if layer.loaded is not None and layer.loaded is not layer.on_air:
            if layer.on_air is not None:
                layer.outgoing = layer.on_air
                layer.outgoing_start = layer.phase_start if layer.phase == "out" else now
                layer.outgoing_step = layer.step
            layer.on_air = layer.loaded
            layer.loaded = None
            n = self._steps(layer.on_air.graphic, layer.on_air.model)
            layer.step = 0 if step == osc.NEXT_STEP else min(step, n - 1)
            layer.previous = None
            self._set_phase(layer, "in", now)
            return
        if layer.on_air is None:
            raise CommandRefused(f"layer {layer.number}: nothing loaded to play")
        n = self._steps(layer.on_air.graphic, layer.on_air.model)
        if layer.phase == "out":  # taken out, then played again: back in from where it is
            layer.loaded = None
            layer.step = 0 if step == osc.NEXT_STEP else min(step, n - 1)
            self._reverse(layer, "in", now)
            return
        target = layer.step + 1 if step == osc.NEXT_STEP else step
        if target >= n:
            raise CommandRefused(
                f"layer {layer.number}: {layer.on_air.graphic} is on its last step ({n} step(s))"
            )
        if target != layer.step:
            layer.previous = layer.on_air.data
            layer.step = target
            self._set_phase(layer, "update", now)

    def _set_phase(self, layer: Layer, phase: Phase, now: float) -> None:
        layer.phase = phase
        layer.phase_start = now

    def _reverse(self, layer: Layer, phase: Literal["in", "out"], now: float) -> None:
        """Go in or out from where the graphic is, so a stop during its in (or a play during
        its out) turns it round without a jump. With the render's cubic curves the presence
        of in at t and of out at (1 - t/in) * out are equal."""
        assert layer.on_air is not None
        d_in, d_out, _ = self._durations(layer.on_air.theme)
        elapsed = now - layer.phase_start
        start = now
        if phase == "out" and layer.phase == "in" and elapsed < d_in:
            start = now - (1.0 - elapsed / d_in) * d_out
        elif phase == "in" and layer.phase == "out" and elapsed < d_out:
            start = now - (1.0 - elapsed / d_out) * d_in
        layer.phase = phase
        layer.phase_start = start

    # --- time ------------------------------------------------------------------------------------

    def tick(self, now: float | None = None) -> bool:
        """Run the commands that are due and end finished phases; True if anything changed."""
        now = self.clock() if now is None else now
        changed = False
        while self._due and self._due[0].at <= now:
            due = self._due.pop(0)
            try:
                self._execute(due.command, self._check(due.command), due.at)
                if due.answer is not None:  # a retry still gets its ack while nothing changed
                    due.answer.revision = self.revision(due.answer.scope)
            except CommandRefused as exc:
                self.counters.late_errors += 1
                log.warning("scheduled command %s failed when due: %s", due.command, exc)
            changed = True
        for layers in self.channels.values():
            for layer in layers.values():
                changed |= self._advance(layer, now)
        return changed

    def next_due(self) -> float | None:
        """When the next scheduled command is due (clock seconds), if any."""
        return self._due[0].at if self._due else None

    def _advance(self, layer: Layer, now: float) -> bool:
        changed = False
        if layer.outgoing is not None:
            _, out_s, _ = self._durations(layer.outgoing.theme)
            if now - layer.outgoing_start >= out_s:
                layer.outgoing = None
                changed = True
        if layer.on_air is None or layer.phase == "hold":
            return changed
        d_in, d_out, d_update = self._durations(layer.on_air.theme)
        length = {"in": d_in, "out": d_out, "update": d_update}[layer.phase]
        if now - layer.phase_start < length:
            return changed
        if layer.phase == "out":
            layer.on_air = None
        layer.phase = "hold"
        layer.previous = None
        return True

    def animating(self) -> bool:
        """Whether any layer is in a timed phase or shows a running clock (the window renders
        every frame then)."""
        return bool(self._due) or any(
            layer.outgoing is not None
            or (layer.on_air is not None and (layer.phase != "hold" or _runs(layer.on_air.model)))
            for layers in self.channels.values()
            for layer in layers.values()
        )

    def frames(self, channel: int = 1, now: float | None = None) -> list[LayerFrame]:
        """What to draw on a channel at `now`, bottom layer first."""
        now = self.clock() if now is None else now
        # a running clock is drawn from its start time on this renderer's wall clock
        wall = self.wall() - (self.clock() - now)
        out: list[LayerFrame] = []
        for number in sorted(self.channels.get(channel, {})):
            layer = self.channels[channel][number]
            if layer.outgoing is not None:
                c = layer.outgoing
                t = max(0.0, now - layer.outgoing_start)
                out.append(
                    LayerFrame(
                        number,
                        c.graphic,
                        c.theme,
                        running_clock(c.model, wall),
                        Playhead(phase="out", t=t, step=layer.outgoing_step),
                        c.model,
                        c.digest,
                    )
                )
            if layer.on_air is not None:
                c = layer.on_air
                t = max(0.0, now - layer.phase_start)
                phase = layer.phase
                previous = layer.previous if phase == "update" else None
                model = running_clock(c.model, wall)
                if previous is not None and model is not c.model:
                    previous = {**previous, "clock_ms": getattr(model, "clock_ms", None)}
                playhead = Playhead.model_construct(
                    phase=phase, t=t, step=layer.step, previous=previous
                )
                out.append(
                    LayerFrame(number, c.graphic, c.theme, model, playhead, c.model, c.digest)
                )
        return out

    # --- state ----------------------------------------------------------------------------------

    def channel_state(self, channel: int) -> ChannelState:
        layers: list[LayerState] = []
        for number in sorted(self.channels.get(channel, {})):
            layer = self.channels[channel][number]
            on_air = layer.on_air is not None and layer.phase != "out"
            content = layer.on_air if on_air else layer.loaded
            if content is None:
                continue
            layers.append(
                LayerState(
                    layer=number,
                    graphic=content.graphic,
                    theme=content.theme,
                    data=content.data,
                    on_air=on_air,
                    step=layer.step if on_air else 0,
                )
            )
        return ChannelState(channel=channel, layers=layers)

    def _state_report(self, seq: int, channel: int) -> list[bytes]:
        """The channel's state: one datagram, or parts when it is too large for one."""
        state = self.channel_state(channel).model_dump(mode="json")
        return osc.state_replies(seq, self.renderer_id, channel, state)

    def _state_reports(self, seq: int) -> list[bytes]:
        channels = sorted(self.channels) or [1]
        return [d for ch in channels for d in self._state_report(seq, ch)]


def _where(scope: Scope) -> str:
    channel, layer = scope
    if channel is None:
        return "every channel"
    return f"channel {channel}" + ("" if layer is None else f" layer {layer}")


def _runs(model: BaseModel) -> bool:
    return bool(getattr(model, "clock_running", False)) and (
        getattr(model, "clock_started_at", None) is not None
    )


def running_clock(model: BaseModel, wall: float) -> BaseModel:
    """A graphic with a running clock (race-clock data with `clock_running` and
    `clock_started_at`) with its `clock_ms` set to the time at `wall` (this renderer's Unix
    clock), floored to the millisecond; any other graphic as it is. The start time arrives
    once; every frame shows the right time."""
    if not _runs(model):
        return model
    started: float = getattr(model, "clock_started_at")  # noqa: B009
    ms = max(0, math.floor((wall - started) * 1000 + 1e-3))
    return model.model_copy(update={"clock_ms": ms})


def _layer_of(command: osc.Command) -> int | None:
    layer = getattr(command, "layer", None)
    return layer if isinstance(layer, int) else None
