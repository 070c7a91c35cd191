"""The renderer's NDI output: every frame sent as an NDI source with alpha, off the GUI thread.

NDI (a registered trademark of Vizrt NDI AB) is reached through cyndilib, an optional extra
(`pip install 'strapline[ndi]'`) whose wheels carry the NDI runtime. The frames the compositor
makes are ARGB32 premultiplied, which in memory on a little-endian machine is BGRA with the
colour already multiplied by alpha: sent as they are ("premultiplied", the default) they cost
one copy and no conversion; "straight" divides the colour by alpha first, for receivers that
key with straight alpha.

A sender thread owns the NDI sender. The renderer hands it each new frame as soon as it is
drawn (`submit`) and, on a frame slot that drew nothing new, asks for the last frame again
(`repeat`), so receivers get a steady stream at the output rate. The thread keeps at most one
frame waiting: if sending ever falls behind, the newest frame goes next and the older one is
counted as dropped, never queued.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

Alpha = Literal["premultiplied", "straight"]

INSTALL_HINT = "install the NDI support with: pip install 'strapline[ndi]'"


class NdiUnavailable(RuntimeError):
    """NDI output cannot start: the message names the problem and what to do."""


@dataclass
class NdiOptions:
    name: str
    groups: str = ""  # comma-separated NDI groups; "" for the default group ("public")
    config_dir: Path | None = None  # a folder with an ndi-config.v1.json for this renderer
    alpha: Alpha = "premultiplied"


@dataclass
class NdiStats:
    sent: int = 0  # frames handed to NDI (new and repeated)
    new: int = 0  # of which new frames
    dropped: int = 0  # new frames replaced by a newer one before they could be sent
    errors: int = 0
    send_ms: list[float] = field(default_factory=list)  # time in the send call, per new frame
    send_cpu_ms: list[float] = field(default_factory=list)  # CPU time of this thread in it


def _cyndilib() -> Any:
    """The cyndilib modules, or NdiUnavailable saying how to install them."""
    try:
        from cyndilib.audio_frame import AudioSendFrame
        from cyndilib.sender import Sender
        from cyndilib.video_frame import VideoSendFrame
        from cyndilib.wrapper.ndi_structs import FourCC
    except ImportError as exc:
        raise NdiUnavailable(
            f"NDI output needs cyndilib, which cannot be imported ({exc}); {INSTALL_HINT}"
        ) from None
    return Sender, VideoSendFrame, AudioSendFrame, FourCC


def available() -> str | None:
    """None when NDI output can be used here, else why not (for tests and the Outputs panel)."""
    try:
        _cyndilib()
    except NdiUnavailable as exc:
        return str(exc)
    return None


def frame_bytes(image: QImage, alpha: Alpha = "premultiplied") -> tuple[QImage, memoryview]:
    """The BGRA bytes of a frame, and the image that owns them (keep it while they are used).

    A premultiplied frame is sent as it is; "straight" converts it (Qt divides by alpha)."""
    if alpha == "straight":
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
    elif image.format() != QImage.Format.Format_ARGB32_Premultiplied:
        image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return image, memoryview(image.constBits()).cast("B")


def _writable_view(data: memoryview) -> npt.NDArray[np.uint8]:
    """The same bytes as a numpy array cyndilib accepts, without a copy.

    cyndilib's send takes a Cython `uint8_t[:]`, which insists on a writable buffer although it
    only reads it (into its own frame buffer, before the call returns); a frame's bytes are
    read-only because the window may show the same image. Copying 33 MB per 2160p frame only to
    satisfy that flag costs more than the send itself, so the array is a view of the same memory
    (never written: the frame is alive and unchanged until the call returns)."""
    array = np.frombuffer(data, np.uint8)
    pointer = ctypes.cast(array.ctypes.data, ctypes.POINTER(ctypes.c_uint8))
    view: npt.NDArray[np.uint8] = np.ctypeslib.as_array(pointer, shape=(array.size,))
    return view


class NdiOutput:
    """One NDI source sending frames of a fixed size at a fixed rate, from its own thread."""

    def __init__(
        self,
        options: NdiOptions,
        size: tuple[int, int],
        fps: float,
        *,
        on_sent: Callable[[Any, float], None] | None = None,
    ) -> None:
        self.options = options
        self.size = size
        self.fps = fps
        self.stats = NdiStats()
        #: Called on the sender thread after each new frame is handed to NDI, with the
        #: frame's tag (what `submit` was given) and the monotonic time it was handed.
        self.on_sent = on_sent
        self._sender: Any = None
        self._lock = threading.Condition()
        self._pending: tuple[QImage, Any] | None = None  # a new frame waiting to be sent
        self._repeat = False
        self._last: QImage | None = None
        self._running = False
        self._thread: threading.Thread | None = None

    @property
    def source_name(self) -> str:
        """The full NDI name receivers list ("HOST (NAME)"), once started."""
        source = getattr(self._sender, "source", None)
        return str(getattr(source, "name", "")) or self.options.name

    def start(self) -> None:
        """Open the NDI sender and its thread; NdiUnavailable naming the problem otherwise."""
        if not self.options.name.strip():
            raise NdiUnavailable("the NDI source name is empty (--ndi NAME)")
        if self.options.config_dir is not None:
            config = self.options.config_dir / "ndi-config.v1.json"
            if not config.is_file():
                raise NdiUnavailable(f"NDI config {config}: no such file")
            # read by the NDI runtime when it starts, which is below (first sender)
            os.environ["NDI_CONFIG_DIR"] = str(self.options.config_dir)
        sender_cls, frame_cls, audio_cls, fourcc = _cyndilib()
        width, height = self.size
        try:
            # the renderer's frame clock paces the frames, not the NDI runtime
            sender = sender_cls(
                self.options.name, ndi_groups=self.options.groups, clock_video=False
            )
            frame = frame_cls()
            frame.set_resolution(width, height)
            frame.set_frame_rate(Fraction(round(self.fps * 1000), 1000))
            frame.set_fourcc(fourcc.BGRA)
            sender.set_video_frame(frame)
            # never sent; cyndilib 0.1.3 cleans up a failed open through both frames and
            # crashes the process when there is no audio frame
            sender.set_audio_frame(audio_cls())
            with contextlib.redirect_stdout(io.StringIO()):  # cyndilib prints its failures
                sender.open()
        except MemoryError:  # how cyndilib reports that the runtime refused to make it
            raise NdiUnavailable(
                f"the NDI runtime refused to start the source {self.options.name!r}: "
                "is another NDI source of that name running on this machine?"
            ) from None
        except Exception as exc:  # the runtime's own errors are of many kinds
            raise NdiUnavailable(
                f"the NDI sender {self.options.name!r} cannot start: {exc or type(exc).__name__}"
            ) from None
        self._sender = sender
        self._running = True
        self._thread = threading.Thread(target=self._run, name="strapline-ndi", daemon=True)
        self._thread.start()

    def submit(self, image: QImage, tag: Any = None) -> None:
        """Send a new frame as soon as the sender thread can (the newest wins)."""
        with self._lock:
            if self._pending is not None:
                self.stats.dropped += 1
            self._pending = (image, tag)
            self._lock.notify()

    def repeat(self) -> None:
        """Send the last frame again (a frame slot with nothing new), unless one is waiting."""
        with self._lock:
            if self._pending is None and self._last is not None:
                self._repeat = True
                self._lock.notify()

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._running and self._pending is None and not self._repeat:
                    self._lock.wait()
                if not self._running:
                    return
                pending, self._pending = self._pending, None
                self._repeat = False
                last = self._last
            if pending is not None:
                image, tag = pending
                self._send(image, tag, new=True)
            elif last is not None:
                self._send(last, None, new=False)

    def _send(self, image: QImage, tag: Any, *, new: bool) -> None:
        w, h = self.size
        if image.width() != w or image.height() != h:
            image = image.scaled(w, h)
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            owner, data = frame_bytes(image, self.options.alpha)
            self._sender.write_video_async(_writable_view(data))
            del data
        except Exception:  # one failed frame never stops the output
            self.stats.errors += 1
            if self.stats.errors <= 3 or self.stats.errors % 1000 == 0:
                log.exception("NDI frame could not be sent (%d so far)", self.stats.errors)
            return
        handed = time.monotonic()
        took = (time.perf_counter() - start) * 1000.0
        took_cpu = (time.thread_time() - start_cpu) * 1000.0
        self.stats.sent += 1
        if new:
            self._last = owner  # converted once: a repeat sends it as it is
            self.stats.new += 1
            self.stats.send_ms.append(took)
            self.stats.send_cpu_ms.append(took_cpu)
            if len(self.stats.send_ms) > 10_000:
                del self.stats.send_ms[:5_000]
                del self.stats.send_cpu_ms[:5_000]
            if self.on_sent is not None:
                self.on_sent(tag, handed)

    def connections(self, timeout: float = 0.0) -> int:
        """How many receivers are connected now."""
        if self._sender is None:
            return 0
        return int(self._sender.get_num_connections(timeout))

    def close(self) -> None:
        with self._lock:
            self._running = False
            self._lock.notify()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None
        if self._sender is not None:
            try:
                self._sender.close()
            except Exception:  # closing on the way out: nothing more to do
                log.exception("NDI sender did not close cleanly")
            self._sender = None
