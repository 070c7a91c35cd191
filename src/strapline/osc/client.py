"""The controller's side: one link per renderer, and `OscPlayout` for one output channel.

A `TargetLink` talks to one renderer over UDP or TCP. Every control message carries a sequence
number and is sent again until the renderer acknowledges it or the timeout runs out; the
renderer answers a repeated number with its first answer, so a retry never plays a graphic
twice. Heartbeats (pings) measure the round trip and mark the renderer online, or offline after
a second of silence. The renderer's state reports are kept as the target's last known state.

`OscPlayout` implements strapline.domain.playout.Playout for one channel over several targets:
each call goes to every target at once and returns one Outcome per target. It keeps the state
the controller asked for, so a renderer that restarts gets it back (`resync`) without a new take.
Targets in flat-fields mode receive each data field on its own address and get no heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from strapline.domain.playout import ChannelState, LayerState, Outcome, OutcomeKind
from strapline.osc import address as osc
from strapline.osc.codec import OscDecodeError, TypedArg, build_bundle, build_message, parse_packet
from strapline.osc.transport import Peer, TcpConnection, UdpEndpoint, open_tcp, open_udp

log = logging.getLogger(__name__)

#: Seconds between sends of an unacknowledged control message, and before giving up.
RETRY_INTERVAL_S = 0.1
TIMEOUT_S = 1.0
#: Heartbeat period, and the silence after which a renderer counts as offline: seven heartbeats
#: without an answer, so a lost datagram or two never flaps the tally, and a dead renderer shows
#: offline within 0.75 s of its last answer (checked every 50 ms), well inside a second.
HEARTBEAT_S = 0.1
OFFLINE_AFTER_S = 0.7
#: Default flat-fields prefix; {channel} and {layer} are filled in.
FLAT_PREFIX = "/strapline/flat/{channel}/{layer}"


@dataclass(frozen=True)
class TargetConfig:
    """Where one renderer listens and how to talk to it."""

    host: str = "127.0.0.1"
    port: int = 9100
    tcp: bool = False
    name: str = ""
    #: Flat-fields mode: each data field on its own address (renderers that bind one address to
    #: one parameter); no acks, no heartbeats.
    flat: bool = False
    flat_prefix: str = FLAT_PREFIX

    @property
    def label(self) -> str:
        return self.name or f"{self.host}:{self.port}{'/tcp' if self.tcp else ''}"


@dataclass(frozen=True)
class TargetHealth:
    """What the controller knows about one renderer right now."""

    target: str
    online: bool | None  # None: flat-fields target, which sends nothing back
    rtt_ms: float | None = None
    renderer_id: str = ""
    late_frames: int = 0
    started: float | None = None  # renderer's start time (Unix seconds)
    clock_offset_s: float | None = None  # renderer's clock minus ours, estimated
    restarted: bool = False  # the renderer started again since we last heard it


HealthListener = Callable[[TargetHealth], None]
#: Starts one target's share of a call when a channel has several targets (default: as a task,
#: which sends on the event loop's next pass; an eager starter sends before returning).
Starter = Callable[[Coroutine[Any, Any, Any]], Awaitable[Any]]


def _next_seq(seq: int) -> int:
    return 1 if seq >= 2**31 - 1 else seq + 1


class TargetLink:
    """The controller's connection to one renderer: acks, retries, heartbeats, health."""

    def __init__(
        self,
        config: TargetConfig,
        *,
        retry_interval: float = RETRY_INTERVAL_S,
        timeout: float = TIMEOUT_S,
        heartbeat: float = HEARTBEAT_S,
        offline_after: float = OFFLINE_AFTER_S,
    ) -> None:
        self.config = config
        self.retry_interval = retry_interval
        self.timeout = timeout
        self.heartbeat = heartbeat
        self.offline_after = offline_after
        # a random start, so a restarted controller never reuses a renderer's remembered seqs
        self._seq = random.randint(1, 2**30)
        self._pending: dict[int, asyncio.Future[osc.Ack | osc.Nack]] = {}
        self._answered_at: dict[int, float] = {}
        self._udp: UdpEndpoint | None = None
        self._tcp: TcpConnection | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._last_seen: float | None = None
        self.health = TargetHealth(config.label, None if config.flat else False)
        self.states: dict[int, ChannelState] = {}
        #: The seq each channel's last state report answered (0: unasked), so a caller knows
        #: the state it reads is the answer to its own request.
        self.state_seqs: dict[int, int] = {}
        self._parts: dict[tuple[int, int], tuple[int, dict[int, str]]] = {}
        self.listeners: list[HealthListener] = []
        self.state_listeners: list[Callable[[TargetLink, osc.StateReport], None]] = []
        self.bad_replies = 0
        self.renderer_id = ""  # from the last ack, nack or pong
        self._heartbeats = False

    # --- life ----------------------------------------------------------------------------------

    async def start(self, heartbeats: bool = True) -> None:
        """Open the socket (UDP) or try to connect (TCP); start heartbeats unless told not to."""
        if self.config.tcp:
            await self._connect()
        else:
            self._udp = await open_udp(self._on_packet, remote=(self.config.host, self.config.port))
        if heartbeats and not self.config.flat:
            self._heartbeats = True
            self._tasks.append(asyncio.create_task(self._heartbeat_loop()))

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for fut in self._pending.values():
            if not fut.done():
                fut.cancel()
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()

    async def _connect(self) -> bool:
        try:
            self._tcp = await asyncio.wait_for(
                open_tcp(self._on_packet, self.config.host, self.config.port), self.timeout
            )
        except (OSError, TimeoutError) as exc:
            log.debug("%s: TCP connect failed: %s", self.config.label, exc)
            self._tcp = None
            return False
        return True

    @property
    def connected(self) -> bool:
        """UDP: the socket is open; TCP: the connection is up."""
        if self.config.tcp:
            return self._tcp is not None and self._tcp.connected
        return self._udp is not None

    @property
    def local_address(self) -> Peer | None:
        return self._udp.local_address if self._udp is not None else None

    # --- sending ---------------------------------------------------------------------------------

    def next_seq(self) -> int:
        self._seq = _next_seq(self._seq)
        return self._seq

    def send_raw(self, packet: bytes) -> bool:
        if self._udp is not None:
            return self._udp.send(packet)
        if self._tcp is not None:
            return self._tcp.send(packet)
        return False

    async def request(self, command: osc.Command, at: float | None = None) -> Outcome:
        """Send one control command (its seq already set) until acked; its outcome."""
        (outcome,) = await self.request_many([command], at)
        return outcome

    async def request_many(
        self, commands: Sequence[osc.Command], at: float | None = None
    ) -> list[Outcome]:
        """Send commands in one packet (a bundle due at Unix time `at` when given or when more
        than one), retrying until each is acked or the timeout runs out; one outcome each.
        Parts of one state (SetStatePart, one seq) go as one datagram each, all of them at
        every try, and have one outcome."""
        dgrams = [osc.build(c) for c in commands]
        if all(isinstance(c, osc.SetStatePart) for c in commands):
            return await self._exchange([commands[0].seq], dgrams)
        packet = dgrams[0] if at is None and len(dgrams) == 1 else build_bundle(dgrams, at)
        if not self.config.tcp and len(packet) > osc.MAX_UDP_PAYLOAD:
            reason = (
                f"{len(packet)} bytes do not fit one UDP datagram "
                f"({osc.MAX_UDP_PAYLOAD} at most): use TCP for data this large"
            )
            return [
                Outcome(
                    kind=OutcomeKind.NACK,
                    target=self.config.label,
                    seq=c.seq,
                    reason=reason,
                    attempts=0,
                )
                for c in commands
            ]
        return await self._exchange([c.seq for c in commands], [packet])

    async def _exchange(self, seqs: list[int], packets: list[bytes]) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        futures: dict[int, asyncio.Future[osc.Ack | osc.Nack]] = {
            seq: loop.create_future() for seq in seqs
        }
        self._pending.update(futures)
        start = time.perf_counter()
        attempts = 0
        try:
            deadline = start + self.timeout
            while True:
                if self.config.tcp and (self._tcp is None or not self._tcp.connected):
                    await self._connect()
                attempts += 1
                sent_at = time.perf_counter()
                for packet in packets:
                    self.send_raw(packet)
                waiting = [f for f in futures.values() if not f.done()]
                remaining = deadline - time.perf_counter()
                if not waiting or remaining <= 0:
                    break
                await asyncio.wait(waiting, timeout=min(self.retry_interval, remaining))
                if all(f.done() for f in futures.values()) or time.perf_counter() >= deadline:
                    break
        finally:
            for seq in futures:
                self._pending.pop(seq, None)
        outcomes: list[Outcome] = []
        for seq, fut in futures.items():
            answered = self._answered_at.pop(seq, None)
            rtt = None if answered is None else max(0.0, (answered - sent_at) * 1000.0)
            outcomes.append(self._outcome(seq, fut, attempts, rtt))
        return outcomes

    def _outcome(
        self,
        seq: int,
        fut: asyncio.Future[osc.Ack | osc.Nack],
        attempts: int,
        rtt: float | None,
    ) -> Outcome:
        label = self.config.label
        if fut.done() and not fut.cancelled():
            reply = fut.result()
            if isinstance(reply, osc.Ack):
                return Outcome(
                    kind=OutcomeKind.ACK, target=label, seq=seq, rtt_ms=rtt, attempts=attempts
                )
            return Outcome(
                kind=OutcomeKind.NACK,
                target=label,
                seq=seq,
                reason=reply.reason,
                rtt_ms=rtt,
                attempts=attempts,
            )
        heard_or_watched = self._last_seen is not None or self._heartbeats
        if (self.health.online is False and heard_or_watched) or (
            self.config.tcp and (self._tcp is None or not self._tcp.connected)
        ):
            return Outcome(
                kind=OutcomeKind.OFFLINE,
                target=label,
                seq=seq,
                reason=f"{label} is offline (no heartbeat answer)",
                attempts=attempts,
            )
        return Outcome(
            kind=OutcomeKind.TIMEOUT,
            target=label,
            seq=seq,
            reason=f"no answer from {label} after {attempts} attempt(s) in {self.timeout:g} s",
            attempts=attempts,
        )

    # --- receiving -------------------------------------------------------------------------------

    def _on_packet(self, data: bytes, peer: Peer) -> None:
        try:
            timed = parse_packet(data)
        except OscDecodeError as exc:
            self.bad_replies += 1
            log.debug("%s: bad reply packet: %s", self.config.label, exc)
            return
        for item in timed:
            try:
                reply = osc.parse_reply(item.message)
            except osc.ProtocolError as exc:
                self.bad_replies += 1
                log.debug("%s: %s", self.config.label, exc)
                continue
            self._on_reply(reply)

    def _on_reply(self, reply: osc.Reply) -> None:
        if isinstance(reply, osc.Pong):
            self._on_pong(reply)
            return
        self._last_seen = time.monotonic()
        if isinstance(reply, osc.StatePart):
            whole = self._assemble(reply)
            if whole is None:
                return
            reply = whole
        if isinstance(reply, osc.StateReport):
            try:
                self.states[reply.channel] = ChannelState.model_validate(reply.state)
            except ValueError as exc:
                self.bad_replies += 1
                log.warning("%s: state report not understood: %s", self.config.label, exc)
                return
            self.state_seqs[reply.channel] = reply.seq
            for listener in list(self.state_listeners):
                listener(self, reply)
            return
        self.renderer_id = reply.renderer
        fut = self._pending.get(reply.seq)
        if fut is not None and not fut.done():
            self._answered_at[reply.seq] = time.perf_counter()
            fut.set_result(reply)

    def _assemble(self, part: osc.StatePart) -> osc.StateReport | None:
        """Keep one part of a state report; the whole report once every part is in."""
        key = (part.seq, part.channel)
        count, parts = self._parts.get(key, (part.count, {}))
        if count != part.count:
            count, parts = part.count, {}
        parts[part.index] = part.text
        self._parts[key] = (count, parts)
        while len(self._parts) > 8:  # a few reports at once at most; the oldest is dropped
            del self._parts[next(iter(self._parts))]
        if len(parts) < count:
            return None
        del self._parts[key]
        text = "".join(parts[i] for i in range(count))
        try:
            state = osc.parse_state_text(text, "state/part", part.seq)
        except osc.ProtocolError as exc:
            self.bad_replies += 1
            log.warning("%s: state report not understood: %s", self.config.label, exc)
            return None
        return osc.StateReport(part.seq, part.renderer, part.channel, state)

    def _on_pong(self, pong: osc.Pong) -> None:
        self.renderer_id = pong.renderer
        now = time.monotonic()
        self._last_seen = now
        fut = self._pending.get(pong.seq)  # a ping sent with request(): its pong answers it
        if fut is not None and not fut.done():
            self._answered_at[pong.seq] = time.perf_counter()
            fut.set_result(osc.Ack(pong.seq, pong.renderer))
        rtt = (now - pong.sent) * 1000.0 if pong.sent > 0 else None
        old = self.health
        restarted = old.started is not None and abs(old.started - pong.started) > 1e-6
        offset = None
        if rtt is not None:
            offset = pong.clock - (time.time() - rtt / 2000.0)
        self._set_health(
            TargetHealth(
                target=self.config.label,
                online=True,
                rtt_ms=rtt,
                renderer_id=pong.renderer,
                late_frames=pong.late_frames,
                started=pong.started,
                clock_offset_s=offset,
                restarted=restarted,
            )
        )

    def _set_health(self, health: TargetHealth) -> None:
        old = self.health
        self.health = health
        changed = (
            old.online != health.online
            or health.restarted
            or old.late_frames != health.late_frames
            or old.renderer_id != health.renderer_id
        )
        if changed:
            for listener in list(self.listeners):
                try:
                    listener(health)
                except Exception:
                    log.exception("health listener failed")

    async def _heartbeat_loop(self) -> None:
        """Ping every `heartbeat` seconds; check for silence every 50 ms, so a renderer is
        marked offline at most 50 ms after `offline_after` seconds without an answer."""
        last_ping = float("-inf")
        started = time.monotonic()
        while True:
            now = time.monotonic()
            heard = self._last_seen if self._last_seen is not None else started
            # answers missing for two heartbeats: ping four times as often, so loss alone
            # (20 % each way) never adds up to the silence that means offline
            period = self.heartbeat if now - heard < 2 * self.heartbeat else self.heartbeat / 4
            if now - last_ping >= period:
                if self.config.tcp and (self._tcp is None or not self._tcp.connected):
                    await self._connect()
                last_ping = time.monotonic()
                self.send_raw(osc.build(osc.Ping(self.next_seq(), last_ping)))
            await asyncio.sleep(min(self.heartbeat / 4, 0.05))
            heard = self._last_seen if self._last_seen is not None else started
            silent = time.monotonic() - heard > self.offline_after
            if silent and self.health.online is not False:
                h = self.health
                self._set_health(
                    TargetHealth(
                        target=h.target,
                        online=False,
                        renderer_id=h.renderer_id,
                        late_frames=h.late_frames,
                        started=h.started,
                    )
                )


# --- flat-fields mode ---


def flatten(data: Any, prefix: str) -> list[tuple[str, list[TypedArg]]]:
    """Each leaf of a JSON value on its own address: dict keys and list indexes become path
    segments, a list also gets `<path>/count`. Strings go as s, integers as i (h beyond 32 bits),
    numbers as f, booleans as i 1/0 and null as an empty string."""
    out: list[tuple[str, list[TypedArg]]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            segment = str(key).replace("/", "_").replace(" ", "_") or "_"
            out.extend(flatten(value, f"{prefix}/{segment}"))
    elif isinstance(data, list):
        out.append((f"{prefix}/count", [("i", len(data))]))
        for i, value in enumerate(data):
            out.extend(flatten(value, f"{prefix}/{i}"))
    elif isinstance(data, bool):
        out.append((prefix, [("i", int(data))]))
    elif isinstance(data, int):
        out.append((prefix, [("i" if -(2**31) <= data < 2**31 else "h", data)]))
    elif isinstance(data, float):
        out.append((prefix, [("f", data)]))
    elif data is None:
        out.append((prefix, [("s", "")]))
    else:
        out.append((prefix, [("s", str(data))]))
    return out


# --- the output channel ---


@dataclass
class _Mirror:
    """What the controller asked one layer to hold."""

    loaded: tuple[str, str, dict[str, Any]] | None = None
    on_air: tuple[str, str, dict[str, Any]] | None = None
    step: int = 0


@dataclass
class PlayoutStats:
    resyncs: int = 0
    resync_failures: list[str] = field(default_factory=list)
    reconciles: int = 0  # states asked for and adopted after a doubt (an outage, a timeout)
    removals_resent: int = 0  # outs and clears a renderer missed, sent again when it came back


#: A removal a renderer has not confirmed: ("stop", immediate), ("clear",) or ("panic",).
Removal = tuple[Any, ...]


class OscPlayout:
    """One output channel over one or more renderers (strapline.domain.playout.Playout)."""

    def __init__(
        self,
        targets: Sequence[TargetConfig],
        channel: int = 1,
        *,
        sync_lead_s: float = 0.0,
        auto_resync: bool = True,
        retry_interval: float = RETRY_INTERVAL_S,
        timeout: float = TIMEOUT_S,
        heartbeat: float = HEARTBEAT_S,
        offline_after: float = OFFLINE_AFTER_S,
        start: Starter | None = None,
    ) -> None:
        if not 1 <= channel <= osc.MAX_CHANNEL:
            raise ValueError(f"channel must be 1-{osc.MAX_CHANNEL}, not {channel}")
        self.channel = channel
        self.sync_lead_s = sync_lead_s
        self.auto_resync = auto_resync
        self._start: Starter = start or asyncio.ensure_future
        self.links = [
            TargetLink(
                t,
                retry_interval=retry_interval,
                timeout=timeout,
                heartbeat=heartbeat,
                offline_after=offline_after,
            )
            for t in targets
        ]
        self.listeners: list[HealthListener] = []
        #: Called with a renderer's state each time it was asked for and adopted after a doubt:
        #: the operator's tally follows what the renderer shows.
        self.reconciled: list[Callable[[ChannelState], None]] = []
        self._mirror: dict[int, _Mirror] = {}
        #: Per renderer, what it was asked to take away without confirming it (layer number,
        #: or None for the whole channel): sent again when it comes back.
        self._removals: dict[TargetLink, dict[int | None, Removal]] = {}
        #: Outs, clears and panics sent so far, per layer (None: the whole channel): a take
        #: whose answer comes back after one of them was sent is not confirmed.
        self._removals_sent: dict[int | None, int] = {}
        #: Flat-fields addresses last sent, per target and layer.
        self._flat_sent: dict[tuple[str, int], set[str]] = {}
        self.stats = PlayoutStats()
        self._resyncing: set[str] = set()
        self._was_offline: set[TargetLink] = set()
        self._background: set[asyncio.Task[Any]] = set()
        for link in self.links:
            link.listeners.append(self._on_health)

    async def start(self) -> None:
        for link in self.links:
            await link.start()

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        for link in self.links:
            await link.close()

    async def __aenter__(self) -> OscPlayout:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- health and state ------------------------------------------------------------------------

    def health(self) -> list[TargetHealth]:
        return [link.health for link in self.links]

    def reported_state(self, target: str) -> ChannelState | None:
        """The last state the named target reported for this channel."""
        for link in self.links:
            if link.config.label == target:
                return link.states.get(self.channel)
        return None

    def _on_health(self, health: TargetHealth) -> None:
        for listener in list(self.listeners):
            try:
                listener(health)
            except Exception:
                log.exception("health listener failed")
        link = next((k for k in self.links if k.config.label == health.target), None)
        came_back = health.online is True and (health.restarted or link in self._was_offline)
        if link is not None and health.online is False and health.started is not None:
            self._was_offline.add(link)
        if link is None or not came_back or not self.auto_resync:
            return
        self._was_offline.discard(link)
        self._reconcile_later(link, restarted=health.restarted)

    def _reconcile_later(self, link: TargetLink, restarted: bool = False) -> None:
        label = link.config.label
        if label in self._resyncing or link.config.flat:
            return
        self._resyncing.add(label)
        task = asyncio.get_running_loop().create_task(self._reconcile(link, restarted))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _reconcile(self, link: TargetLink, restarted: bool) -> None:
        """After a doubt (the renderer was away, restarted, or a command went unanswered), the
        renderer's own state is the truth: the outs and clears it missed are sent again, then
        its state is asked for and adopted. Only a renderer that restarted and came back empty
        is given the controller's state (nothing it showed can be lost that way)."""
        try:
            for _ in range(3):  # the link may still be lossy: a few tries
                if not await self._resend_removals(link):
                    continue
                ask = osc.GetState(link.next_seq(), self.channel)
                outcome = await link.request(ask)
                reported = link.states.get(self.channel)
                if (
                    not outcome.ok
                    or reported is None
                    or link.state_seqs.get(self.channel) != ask.seq
                ):
                    continue  # no answer, or a part of it was lost: ask again
                wanted = self.desired_state()
                if restarted and not reported.layers and wanted.layers:
                    outcomes = await self._resync_link(link, wanted)
                    if all(o.ok for o in outcomes):
                        return
                    continue
                self._adopt(reported)
                self.stats.reconciles += 1
                for listener in list(self.reconciled):
                    try:
                        listener(reported)
                    except Exception:
                        log.exception("reconcile listener failed")
                return
        finally:
            self._resyncing.discard(link.config.label)

    async def _resend_removals(self, link: TargetLink) -> bool:
        """Send again what this renderer was asked to take away and did not confirm; True
        when it confirmed all of it."""
        pending = self._removals.get(link, {})
        for number, removal in list(pending.items()):
            seq = link.next_seq()
            command: osc.Command
            if removal[0] == "panic":
                command = osc.Panic(seq)
            elif number is None:
                command = osc.ClearChannel(seq, self.channel)
            elif removal[0] == "stop":
                command = osc.Stop(seq, self.channel, number, bool(removal[1]))
            else:
                command = osc.ClearLayer(seq, self.channel, number)
            outcome = await link.request(command)
            if not outcome.ok:
                return False
            self.stats.removals_resent += 1
            if pending.get(number) == removal:
                del pending[number]
        return True

    def _adopt(self, reported: ChannelState) -> None:
        """What the controller remembers becomes what the renderer showed."""
        mirror: dict[int, _Mirror] = {}
        for ls in reported.layers:
            if not ls.graphic:
                continue
            content = (ls.graphic, ls.theme, ls.data)
            m = mirror[ls.layer] = _Mirror()
            if ls.on_air:
                m.on_air, m.step = content, ls.step
                old = self._mirror.get(ls.layer)
                # the renderer reports the on-air graphic; a next one loaded behind it stays
                if old is not None and old.loaded is not None:
                    m.loaded = old.loaded
            else:
                m.loaded = content
        self._mirror = mirror

    def _removal_count(self, layer: int) -> int:
        return self._removals_sent.get(layer, 0) + self._removals_sent.get(None, 0)

    def _removal_sent(self, layer: int | None) -> None:
        self._removals_sent[layer] = self._removals_sent.get(layer, 0) + 1

    @staticmethod
    def _superseded(outcomes: list[Outcome], layer: int) -> list[Outcome]:
        """Acks of a command that an out, clear or panic sent after it has overtaken: the
        renderer did it, then took it away; nothing of it is confirmed on air."""
        reason = f"layer {layer}: an out, clear or panic was sent while this was on its way"
        return [
            o.model_copy(update={"kind": OutcomeKind.NACK, "reason": reason}) if o.ok else o
            for o in outcomes
        ]

    def _note(self, layer: int | None, outcomes: list[Outcome], removal: Removal | None) -> None:
        """Remember, per renderer, removals it did not confirm, and doubt any renderer that
        left a command unanswered (its state is asked for as soon as it answers again)."""
        by_label = {o.target: o for o in outcomes}
        for link in self.links:
            if link.config.flat:
                continue
            o = by_label.get(link.config.label)
            if o is None:
                continue
            pending = self._removals.setdefault(link, {})
            if o.ok:
                if layer is None:
                    pending.clear()
                else:
                    pending.pop(layer, None)
                continue
            if removal is not None:
                if layer is None:
                    pending.clear()
                pending[layer] = removal
            if o.kind in (OutcomeKind.TIMEOUT, OutcomeKind.OFFLINE) or osc.STALE in o.reason:
                if link.health.online:
                    self._reconcile_later(link)
                else:
                    self._was_offline.add(link)

    async def _resync_link(self, link: TargetLink, state: ChannelState) -> list[Outcome]:
        """Send a channel state (in parts when it is too large for one datagram), then reload
        the graphics loaded behind the ones on air, in that order."""
        setting = osc.state_set_commands(
            link.next_seq(), self.channel, state.model_dump(mode="json")
        )
        outcomes = await link.request_many(setting)
        if all(o.ok for o in outcomes):
            for number, m in sorted(self._mirror.items()):
                if m.on_air is not None and m.loaded is not None:
                    graphic, theme, data = m.loaded
                    load = osc.Load(link.next_seq(), self.channel, number, graphic, theme, data)
                    outcomes.append(await link.request(load))
        self.stats.resyncs += 1
        for o in outcomes:
            if not o.ok:
                self.stats.resync_failures.append(f"{o.target}: {o.kind}: {o.reason}")
        return outcomes

    def desired_state(self) -> ChannelState:
        """The channel as the controller asked for it: on-air graphics, else loaded ones."""
        layers: list[LayerState] = []
        for number, m in sorted(self._mirror.items()):
            content = m.on_air or m.loaded
            if content is None:
                continue
            graphic, theme, data = content
            layers.append(
                LayerState(
                    layer=number,
                    graphic=graphic,
                    theme=theme,
                    data=data,
                    on_air=m.on_air is not None,
                    step=m.step if m.on_air is not None else 0,
                )
            )
        return ChannelState(channel=self.channel, layers=layers)

    async def resync(self, state: ChannelState | None = None) -> list[Outcome]:
        """Send a full channel state (the controller's own by default) to every target; the
        renderers show it at once, without animations. Flat targets get it as loads and ins."""
        wanted = state or self.desired_state()
        if wanted.channel != self.channel:
            raise ValueError(f"state is for channel {wanted.channel}, this is {self.channel}")
        if state is not None:
            self._mirror = {
                ls.layer: _Mirror(
                    loaded=None if ls.on_air else (ls.graphic, ls.theme, ls.data),
                    on_air=(ls.graphic, ls.theme, ls.data) if ls.on_air else None,
                    step=ls.step,
                )
                for ls in state.layers
                if ls.graphic
            }
        results: list[list[Outcome]] = await asyncio.gather(
            *(self._resync_one(link, wanted) for link in self.links)
        )
        return [o for group in results for o in group]

    async def _resync_one(self, link: TargetLink, state: ChannelState) -> list[Outcome]:
        if not link.config.flat:
            return await self._resync_link(link, state)
        for ls in state.layers:
            self._flat_load(link, ls.layer, ls.graphic, ls.theme, ls.data)
            if ls.on_air:
                self._flat_trigger(link, ls.layer, "in", step=ls.step)
        return [self._flat_outcome(link)]

    # --- the Playout protocol --------------------------------------------------------------------

    async def _each(
        self,
        make: Callable[[int], osc.Command],
        flat: Callable[[TargetLink], str | None],
        at: float | None = None,
    ) -> list[Outcome]:
        async def one(link: TargetLink) -> Outcome:
            if link.config.flat:
                refused = flat(link)
                if refused is not None:
                    return Outcome(
                        kind=OutcomeKind.NACK, target=link.config.label, reason=refused, attempts=0
                    )
                return self._flat_outcome(link)
            return await link.request(make(link.next_seq()), at)

        if len(self.links) == 1:  # no gather: its task would send only on the loop's next pass
            return [await one(self.links[0])]
        return list(await asyncio.gather(*(self._start(one(link)) for link in self.links)))

    def _at(self) -> float | None:
        return time.time() + self.sync_lead_s if self.sync_lead_s > 0 else None

    # What the controller remembers follows the renderers: something new (a load, a take, an
    # update) counts once at least one target acknowledged it, so a refused load can never come
    # back through a resync; anything taken away (stop, clear, panic) counts at once, whatever
    # the answers, so a renderer that missed it is put right when it comes back.

    async def load(
        self, layer: int, graphic: str, data: dict[str, Any], theme: str
    ) -> list[Outcome]:
        _check_layer(layer)
        refused = self._refuse_text(data, graphic, theme)
        if refused:
            return refused
        removals = self._removal_count(layer)
        outcomes = await self._each(
            lambda seq: osc.Load(seq, self.channel, layer, graphic, theme, data),
            lambda link: self._flat_load(link, layer, graphic, theme, data),
        )
        if self._removal_count(layer) != removals:
            outcomes = self._superseded(outcomes, layer)
        if any(o.ok for o in outcomes):
            self._mirror.setdefault(layer, _Mirror()).loaded = (graphic, theme, data)
        self._note(layer, outcomes, None)
        return outcomes

    def _refuse_text(self, data: dict[str, Any], *texts: str) -> list[Outcome]:
        """A nack from every target, without sending, for text that is not valid Unicode."""
        problem = osc.text_problem(data) or next(
            (p for t in texts if (p := osc.text_problem(t, "name")) is not None), None
        )
        if problem is None:
            return []
        return [
            Outcome(kind=OutcomeKind.NACK, target=link.config.label, reason=problem, attempts=0)
            for link in self.links
        ]

    def _mirror_take(self, layer: int, step: int | None) -> None:
        m = self._mirror.setdefault(layer, _Mirror())
        if m.loaded is not None:
            m.on_air, m.loaded = m.loaded, None
            m.step = step or 0
        elif m.on_air is not None:
            m.step = m.step + 1 if step is None else step

    async def play(self, layer: int, step: int | None = None) -> list[Outcome]:
        _check_layer(layer)
        wire_step = osc.NEXT_STEP if step is None else step
        removals = self._removal_count(layer)
        outcomes = await self._each(
            lambda seq: osc.Play(seq, self.channel, layer, wire_step),
            lambda link: self._flat_trigger(link, layer, "in", step=step),
            self._at(),
        )
        if self._removal_count(layer) != removals:
            outcomes = self._superseded(outcomes, layer)
        if any(o.ok for o in outcomes):
            self._mirror_take(layer, step)
        self._note(layer, outcomes, None)
        return outcomes

    async def play_together(self, layers: Sequence[tuple[int, int | None]]) -> list[Outcome]:
        """Take several layers in one timetagged bundle: they change on the same frame on every
        renderer (sync lead, or 3 frames at 50 Hz when no lead is set). One outcome per layer
        and target, target by target."""
        for layer, _ in layers:
            _check_layer(layer)
        at = time.time() + (self.sync_lead_s if self.sync_lead_s > 0 else 0.06)

        async def one(link: TargetLink) -> list[Outcome]:
            if link.config.flat:
                for layer, step in layers:
                    self._flat_trigger(link, layer, "in", step=step)
                return [self._flat_outcome(link) for _ in layers]
            commands = [
                osc.Play(link.next_seq(), self.channel, layer, osc.NEXT_STEP if s is None else s)
                for layer, s in layers
            ]
            return await link.request_many(commands, at)

        groups = await asyncio.gather(*(self._start(one(link)) for link in self.links))
        for i, (layer, step) in enumerate(layers):
            if any(g[i].ok for g in groups):
                self._mirror_take(layer, step)
            self._note(layer, [g[i] for g in groups], None)
        return [o for g in groups for o in g]

    async def update(self, layer: int, data: dict[str, Any]) -> list[Outcome]:
        _check_layer(layer)
        refused = self._refuse_text(data)
        if refused:
            return refused
        outcomes = await self._each(
            lambda seq: osc.Update(seq, self.channel, layer, data),
            lambda link: self._flat_update(link, layer, data),
            self._at(),
        )
        m = self._mirror.get(layer)
        if m is not None and any(o.ok for o in outcomes):
            if m.on_air is not None:
                m.on_air = (m.on_air[0], m.on_air[1], data)
            elif m.loaded is not None:
                m.loaded = (m.loaded[0], m.loaded[1], data)
        self._note(layer, outcomes, None)
        return outcomes

    async def stop(self, layer: int, immediate: bool = False) -> list[Outcome]:
        _check_layer(layer)
        self._removal_sent(layer)
        m = self._mirror.get(layer)
        if m is not None and m.on_air is not None:
            if m.loaded is None:
                m.loaded = m.on_air
            m.on_air = None
            m.step = 0
        outcomes = await self._each(
            lambda seq: osc.Stop(seq, self.channel, layer, immediate),
            lambda link: self._flat_trigger(link, layer, "clear" if immediate else "out"),
            self._at(),
        )
        self._note(layer, outcomes, ("stop", immediate))
        return outcomes

    async def clear(self, layer: int | None = None) -> list[Outcome]:
        if layer is None:
            layers = list(self._mirror)
            self._mirror.clear()
            self._removal_sent(None)
            outcomes = await self._each(
                lambda seq: osc.ClearChannel(seq, self.channel),
                lambda link: self._flat_clear(link, layers),
            )
            self._note(None, outcomes, ("clear",))
            return outcomes
        _check_layer(layer)
        self._mirror.pop(layer, None)
        self._removal_sent(layer)
        outcomes = await self._each(
            lambda seq: osc.ClearLayer(seq, self.channel, layer),
            lambda link: self._flat_trigger(link, layer, "clear"),
        )
        self._note(layer, outcomes, ("clear",))
        return outcomes

    async def panic(self) -> list[Outcome]:
        layers = list(self._mirror)
        self._mirror.clear()
        self._removal_sent(None)
        outcomes = await self._each(osc.Panic, lambda link: self._flat_clear(link, layers))
        self._note(None, outcomes, ("panic",))
        return outcomes

    async def request_state(self) -> list[Outcome]:
        """Ask every renderer for its state; the answers land in `reported_state`."""
        return await self._each(lambda seq: osc.GetState(seq, self.channel), lambda link: None)

    # --- flat-fields ---------------------------------------------------------------------------

    def _flat_prefix(self, link: TargetLink, layer: int) -> str:
        return link.config.flat_prefix.format(channel=self.channel, layer=layer).rstrip("/")

    # A flat target cannot refuse anything, so data is validated here, against the graphic's
    # schema, before a field is sent; and a field sent before that is no longer in the data is
    # sent once more as an empty string, so a renderer holding each parameter's last value
    # does not keep showing it.

    def _flat_load(
        self, link: TargetLink, layer: int, graphic: str, theme: str, data: dict[str, Any]
    ) -> str | None:
        problem = _data_problem(graphic, data)
        if problem is not None:
            return problem
        prefix = self._flat_prefix(link, layer)
        link.send_raw(build_message(f"{prefix}/graphic", [("s", graphic)]))
        link.send_raw(build_message(f"{prefix}/theme", [("s", theme)]))
        self._flat_fields(link, layer, data)
        return None

    def _flat_update(self, link: TargetLink, layer: int, data: dict[str, Any]) -> str | None:
        m = self._mirror.get(layer)
        content = None if m is None else (m.on_air or m.loaded)
        if content is None:
            return f"channel {self.channel} layer {layer}: nothing loaded to update"
        problem = _data_problem(content[0], data)
        if problem is not None:
            return problem
        self._flat_fields(link, layer, data)
        return None

    def _flat_fields(self, link: TargetLink, layer: int, data: dict[str, Any]) -> None:
        fields = flatten(data, self._flat_prefix(link, layer) + "/data")
        for address, args in fields:
            link.send_raw(build_message(address, args))
        key = (link.config.label, layer)
        now = {address for address, _ in fields}
        for gone in sorted(self._flat_sent.get(key, set()) - now):
            link.send_raw(build_message(gone, [("s", "")]))
        self._flat_sent[key] = now

    def _flat_trigger(
        self, link: TargetLink, layer: int, trigger: str, step: int | None = None
    ) -> None:
        prefix = self._flat_prefix(link, layer)
        if step is not None:
            link.send_raw(build_message(f"{prefix}/step", [("i", step)]))
        link.send_raw(build_message(f"{prefix}/{trigger}", [("i", 1)]))
        link.send_raw(build_message(f"{prefix}/{trigger}", [("i", 0)]))

    def _flat_clear(self, link: TargetLink, layers: Sequence[int]) -> None:
        for number in layers:
            self._flat_trigger(link, number, "clear")

    @staticmethod
    def _flat_outcome(link: TargetLink) -> Outcome:
        return Outcome(
            kind=OutcomeKind.ACK,
            target=link.config.label,
            reason="sent; flat-fields targets do not acknowledge",
        )


def _data_problem(graphic: str, data: dict[str, Any]) -> str | None:
    """Why data does not fit the graphic's schema (naming the field), or None."""
    from pydantic import ValidationError

    from strapline.domain.graphics import data_model

    try:
        data_model(graphic).model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "data"
        return f"{graphic} data: {where}: {first['msg']} ({exc.error_count()} error(s))"
    except ValueError as exc:
        return str(exc)
    return None


def _check_layer(layer: int) -> None:
    if not 0 <= layer <= osc.MAX_LAYER:
        raise ValueError(f"layer must be 0-{osc.MAX_LAYER}, not {layer}")
