"""start_now: a coroutine's first step runs in the caller, the rest as an ordinary task."""

from __future__ import annotations

import asyncio

import pytest

from strapline.services.eager import start_now


@pytest.mark.asyncio
async def test_first_step_runs_before_start_now_returns() -> None:
    steps: list[str] = []
    gate = asyncio.get_running_loop().create_future()

    async def action() -> str:
        steps.append("sent")
        await gate
        steps.append("acknowledged")
        return "on air"

    task = start_now(action())
    assert steps == ["sent"]  # nothing else ran in between
    assert not task.done()
    gate.set_result(None)
    assert await task == "on air"
    assert steps == ["sent", "acknowledged"]


@pytest.mark.asyncio
async def test_coroutine_that_never_waits_gives_a_settled_task() -> None:
    async def quick() -> int:
        return 7

    task = start_now(quick())
    assert await task == 7


@pytest.mark.asyncio
async def test_error_in_the_first_step_is_the_task_s_error() -> None:
    async def broken() -> None:
        raise ValueError("no cue selected")

    task = start_now(broken())
    with pytest.raises(ValueError, match="no cue selected"):
        await task


@pytest.mark.asyncio
async def test_error_after_a_wait_is_the_task_s_error() -> None:
    async def late() -> None:
        await asyncio.sleep(0)
        raise KeyError("gone")

    with pytest.raises(KeyError):
        await start_now(late())


@pytest.mark.asyncio
async def test_cancelling_reaches_the_coroutine() -> None:
    cleaned: list[bool] = []

    async def waits() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            cleaned.append(True)

    task = start_now(waits())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned == [True]
    assert task.cancelled()


@pytest.mark.asyncio
async def test_several_waits_and_values_pass_through() -> None:
    async def inner(x: int) -> int:
        await asyncio.sleep(0)
        return x * 2

    async def outer() -> list[int]:
        return [await inner(i) for i in range(5)]

    assert await start_now(outer()) == [0, 2, 4, 6, 8]


def test_without_a_running_loop_it_refuses() -> None:
    async def nothing() -> None:
        return None

    coro = nothing()
    with pytest.raises(RuntimeError):
        start_now(coro)
    coro.close()


@pytest.mark.asyncio
async def test_an_output_with_two_renderers_sends_to_both_in_the_first_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from strapline.domain.rundown import OutputConfig, TargetConfig
    from strapline.osc import address as osc
    from strapline.osc.client import TargetLink
    from strapline.osc.codec import parse_packet
    from strapline.services.outputs import OutputsService

    sent: list[tuple[str, type]] = []
    send_raw = TargetLink.send_raw

    def recording(self: TargetLink, packet: bytes) -> bool:
        for timed in parse_packet(packet):
            sent.append((self.config.label, type(osc.parse_command(timed.message))))
        return send_raw(self, packet)

    monkeypatch.setattr(TargetLink, "send_raw", recording)
    outputs = OutputsService(timeout=0.2, heartbeat=10.0)
    out = OutputConfig(
        targets=[
            TargetConfig(name="main", host="127.0.0.1", port=9),
            TargetConfig(name="backup", host="127.0.0.1", port=9),
        ]
    )
    playout = outputs.playout(out)
    await outputs.ready()
    sent.clear()
    task = start_now(playout.play(20))
    plays = [label for label, kind in sent if kind is osc.Play]
    assert sorted(plays) == ["backup", "main"]  # both gone, before any loop pass
    outcomes = await task  # nobody listens: both time out, as before
    assert [o.ok for o in outcomes] == [False, False]
    await outputs.close()
