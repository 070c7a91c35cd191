"""Start a coroutine at once, in the caller's stack frame, instead of on the next loop pass.

An operator's take must reach the renderer as soon as the key is pressed. A task created the
usual way only starts on the event loop's next pass (under qasync, after Qt has handled whatever
else is queued), so `start_now` runs the coroutine's first step right away: everything up to
its first real wait (for the take, building and sending the OSC datagram) happens inside the
key handler, and the rest (waiting for the acknowledgement) goes on as an ordinary task.

Python 3.12 and later do this natively (eager tasks); on 3.11 the same is done by hand.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine, Generator
from typing import Any, TypeVar

T = TypeVar("T")


def start_now(coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """Run `coro` until it first waits, then continue it as a task on the running loop.

    A coroutine that finishes (or fails) without waiting gives a task that is already settled
    on the next loop pass. Needs a running loop (RuntimeError otherwise, like create_task)."""
    loop = asyncio.get_running_loop()
    if sys.version_info >= (3, 12):
        return asyncio.Task(coro, loop=loop, eager_start=True)
    try:
        first = coro.send(None)
    except StopIteration as stop:
        return loop.create_task(_settled(stop.value))
    except (Exception, asyncio.CancelledError) as exc:
        return loop.create_task(_failed(exc))
    return loop.create_task(_Resumed(coro, first).run())


async def _settled(value: T) -> T:
    return value


async def _failed(exc: BaseException) -> Any:
    raise exc


class _Resumed:
    """Awaitable that goes on with a coroutine already stepped once: hands the task what the
    coroutine last yielded (the future it waits for), and relays the task's sends and throws
    (the wake-up, a cancellation) back to the coroutine, as `await coro` would."""

    def __init__(self, coro: Coroutine[Any, Any, Any], first: Any) -> None:
        self.coro = coro
        self.first = first

    async def run(self) -> Any:
        return await self

    def __await__(self) -> Generator[Any, Any, Any]:
        coro, pending = self.coro, self.first
        while True:
            try:
                sent = yield pending
            except GeneratorExit:  # the task is being destroyed: close the coroutine too
                coro.close()
                raise
            except BaseException as exc:  # the task's throw: cancellation, mostly
                try:
                    pending = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    pending = coro.send(sent)
                except StopIteration as stop:
                    return stop.value
