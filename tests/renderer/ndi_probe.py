"""An NDI receiver for the tests: find a source, receive its frames, report what arrived.

    python tests/renderer/ndi_probe.py NAME --out FRAME.npy [--timeout S] [--min-opaque N]

Runs in its own process (the NDI runtime is native code: a crash there must not take the test
run with it). Finds the source whose name contains NAME (discovery as the NDI config in
$NDI_CONFIG_DIR says), prints "connected" once frames arrive, then keeps the newest frame until
one has at least N opaque pixels (alpha 250 or more: the graphic is coming in), then for
--settle seconds more (its in-animation ends), or until the time runs out. Prints one JSON
line: the source's name, the frame's size and FourCC, how many frames arrived, the alpha range
of the first and the last frame, and saves the last frame (BGRA, H x W x 4) to FRAME.npy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
from cyndilib.finder import Finder
from cyndilib.receiver import Receiver
from cyndilib.video_frame import VideoFrameSync
from cyndilib.wrapper.ndi_recv import RecvBandwidth, RecvColorFormat


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("--out", required=True)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--min-opaque", type=int, default=1000)
    parser.add_argument("--settle", type=float, default=1.5)
    args = parser.parse_args()
    end = time.monotonic() + args.timeout
    finder = Finder()
    finder.open()
    source = None
    try:
        while time.monotonic() < end and source is None:
            finder.wait_for_sources(0.2)
            finder.update_sources()
            for name in finder.get_source_names():
                if args.name in name:
                    source = finder.get_source(name)
                    break
        if source is None:
            print(json.dumps({"error": f"no NDI source named {args.name!r} found"}), flush=True)
            return 1
        receiver = Receiver(color_format=RecvColorFormat.BGRX_BGRA, bandwidth=RecvBandwidth.highest)
        video = VideoFrameSync()
        receiver.frame_sync.set_video_frame(video)
        receiver.set_source(source)
        first_alpha: list[int] | None = None
        frames = 0
        last: np.ndarray | None = None
        fourcc = ""
        while time.monotonic() < end:
            time.sleep(0.02)
            if not receiver.is_connected():
                continue
            receiver.frame_sync.capture_video()
            if video.xres <= 0:
                continue
            pixels = np.array(video.get_array(), copy=True).reshape(video.yres, video.xres, 4)
            frames += 1
            fourcc = str(video.get_fourcc().name)
            if first_alpha is None:
                first_alpha = [int(pixels[..., 3].min()), int(pixels[..., 3].max())]
                print("connected", flush=True)
            last = pixels
            up = int(np.count_nonzero(pixels[..., 3] >= 250)) >= args.min_opaque
            if up and end - time.monotonic() > args.settle:
                end = time.monotonic() + args.settle
        receiver.disconnect()
        if last is None:
            print(json.dumps({"error": "connected, but no frame arrived"}), flush=True)
            return 1
        np.save(args.out, last)
        report = {
            "source": source.name,
            "width": int(last.shape[1]),
            "height": int(last.shape[0]),
            "fourcc": fourcc,
            "frames": frames,
            "first_alpha": first_alpha,
            "alpha": [int(last[..., 3].min()), int(last[..., 3].max())],
        }
        print(json.dumps(report), flush=True)
        return 0
    finally:
        finder.close()


if __name__ == "__main__":
    sys.exit(main())
