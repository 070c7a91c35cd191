"""`strapline renderer`: the bundled on-air renderer (OSC address space in docs/osc.md)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
from pathlib import Path

EPILOG = """\
The renderer listens for Strapline's OSC address space (docs/osc.md) on UDP and, unless
--no-tcp, on TCP (SLIP framing) at the same port. It binds to loopback unless --bind says
otherwise; --allow keeps every other sender out. Stop it with Ctrl+C or by closing its window.

With --ndi NAME it also sends its output as an NDI source with alpha (BGRA, premultiplied unless
--ndi-alpha straight) at the frame rate; add --headless for NDI only. NDI needs the optional
extra: pip install 'strapline[ndi]' (docs/ndi.md). NDI is a registered trademark of Vizrt NDI AB.
"""


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(p) for p in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"size {text!r} is not WIDTHxHEIGHT, e.g. 1920x1080"
        ) from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"size {text!r} is out of range (16 to 8192 a side)")
    return w, h


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port {text!r} is not a number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (0-65535)")
    return port


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--port", type=_port, default=9100, help="UDP and TCP port to listen on (default 9100)"
    )
    parser.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDR",
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for all)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--window",
        action="store_const",
        dest="mode",
        const="window",
        help="show in a window (the default)",
    )
    mode.add_argument(
        "--fullscreen",
        action="store_const",
        dest="mode",
        const="fullscreen",
        help="show full screen on the screen given by --screen",
    )
    mode.add_argument(
        "--headless",
        action="store_const",
        dest="mode",
        const="headless",
        help="no window: keep state, answer and render frames (monitoring, tests)",
    )
    parser.set_defaults(mode="window")
    parser.add_argument(
        "--screen", type=int, default=0, metavar="K", help="screen number for --fullscreen (0)"
    )
    parser.add_argument(
        "--key-fill",
        action="store_true",
        help="show fill (on black) and key side by side for an SDI keyer; ignores --background",
    )
    parser.add_argument(
        "--background",
        choices=["transparent", "black", "green"],
        default="transparent",
        help="what is behind the graphics (default transparent, shown as black on screen)",
    )
    parser.add_argument(
        "--size", type=_size, default=(1920, 1080), metavar="WxH", help="frame size (1920x1080)"
    )
    parser.add_argument(
        "--allow",
        nargs="+",
        action="extend",
        metavar="HOST",
        help="accept packets and TCP connections only from these addresses, ranges "
        "(10.0.0.0/24) or host names (default: anyone who can reach it)",
    )
    parser.add_argument(
        "--id",
        default="strapline-renderer",
        metavar="NAME",
        help="renderer id in replies (default strapline-renderer)",
    )
    parser.add_argument(
        "--channel", type=int, default=1, metavar="N", help="output channel to show (default 1)"
    )
    parser.add_argument(
        "--theme", default="ice", help="theme for loads that name none (default ice)"
    )
    parser.add_argument(
        "--fps",
        type=float,
        default=None,
        help="frame rate (default: the screen's refresh rate, 50 when there is none)",
    )
    parser.add_argument("--no-tcp", action="store_true", help="listen on UDP only")
    ndi = parser.add_argument_group("NDI output (needs strapline[ndi], see docs/ndi.md)")
    ndi.add_argument(
        "--ndi",
        metavar="NAME",
        help="send the output as an NDI source of this name too (receivers list 'HOST (NAME)')",
    )
    ndi.add_argument(
        "--ndi-groups",
        default="",
        metavar="GROUPS",
        help="NDI groups to announce the source in, comma-separated (default: public)",
    )
    ndi.add_argument(
        "--ndi-config",
        type=Path,
        default=None,
        metavar="DIR",
        help="a folder with an ndi-config.v1.json (discovery server, extra IPs, unicast) to use "
        "instead of the user's ~/.ndi one",
    )
    ndi.add_argument(
        "--ndi-alpha",
        choices=["premultiplied", "straight"],
        default="premultiplied",
        help="how the colour relates to alpha in the frames sent (default premultiplied)",
    )
    parser.add_argument(
        "--frame-log",
        type=Path,
        default=None,
        metavar="FILE",
        help="append every frame's time stamps (slot, change arrival, handed to window and NDI) "
        "to FILE as JSON lines, to measure take to frame",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log refused packets (at most 10 lines a second)",
    )


def run(args: argparse.Namespace) -> int:
    if args.channel < 1 or args.channel > 999:
        print("strapline renderer: --channel must be 1-999", file=sys.stderr)
        return 1
    if args.fps is not None and not 1 <= args.fps <= 240:
        print("strapline renderer: --fps must be 1-240", file=sys.stderr)
        return 1
    allow = None
    if args.allow:
        from strapline.osc.allow import AllowList

        try:
            allow = AllowList.parse(args.allow)
        except ValueError as exc:
            print(f"strapline renderer: --allow: {exc}", file=sys.stderr)
            return 1
    if args.ndi is not None:
        from strapline.renderer.ndi import available

        if not args.ndi.strip():
            print("strapline renderer: --ndi needs a source name", file=sys.stderr)
            return 1
        missing = available()
        if missing is not None:
            print(f"strapline renderer: {missing}", file=sys.stderr)
            return 1
        if args.ndi_config is not None and not (args.ndi_config / "ndi-config.v1.json").is_file():
            print(
                f"strapline renderer: --ndi-config {args.ndi_config}: "
                "no ndi-config.v1.json in that folder",
                file=sys.stderr,
            )
            return 1
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.mode == "headless":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        print(
            "strapline renderer: no display to show a window on (DISPLAY is not set); "
            "run it on the machine's desktop, or use --headless",
            file=sys.stderr,
        )
        return 1
    import qasync
    from PySide6.QtWidgets import QApplication

    from strapline.renderer.app import RendererApp, RendererOptions
    from strapline.renderer.ndi import NdiOptions, NdiUnavailable

    options = RendererOptions(
        port=args.port,
        bind=args.bind,
        mode=args.mode,
        screen=args.screen,
        key_fill=args.key_fill,
        background=args.background,
        size=args.size,
        allow=allow,
        renderer_id=args.id,
        channel=args.channel,
        tcp=not args.no_tcp,
        fps=args.fps,
        theme=args.theme,
        ndi=None
        if args.ndi is None
        else NdiOptions(args.ndi, args.ndi_groups, args.ndi_config, args.ndi_alpha),
        frame_log=args.frame_log,
    )
    from strapline.render.collector import install_gui_thread_collector

    app = QApplication.instance() or QApplication([sys.argv[0]])
    # cycles are collected on the GUI thread only, never on the render thread, where freeing a
    # Qt object would take the renderer off air (strapline.render.collector)
    install_gui_thread_collector()
    try:
        renderer = RendererApp(options)
    except ValueError as exc:
        print(f"strapline renderer: {exc}", file=sys.stderr)
        return 1

    async def main() -> int:
        try:
            await renderer.start()
        except NdiUnavailable as exc:
            print(f"strapline renderer: {exc}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(
                f"strapline renderer: cannot listen on {args.bind}:{args.port}: {exc.strerror}",
                file=sys.stderr,
            )
            return 1
        host, port = renderer.address
        transports = "udp" if args.no_tcp else "udp+tcp"
        print(f"renderer {args.id} listening on {transports} {host}:{port}", flush=True)
        if renderer.ndi is not None:
            w, h = args.size
            rate = 1.0 / renderer.period
            print(
                f"renderer {args.id} sending NDI {renderer.ndi.source_name!r} "
                f"{w}x{h} at {rate:g} fps, BGRA {args.ndi_alpha} alpha",
                flush=True,
            )
        # what the renderer has made by now (modules, Qt's wrappers, themes, fonts) lives as
        # long as the process: kept out of the collector's full passes, which would otherwise
        # walk all of it each time, holding the interpreter lock the render thread needs
        gc.collect()
        gc.freeze()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                signal.signal(sig, lambda *_: loop.call_soon_threadsafe(renderer._on_closed))
        assert renderer.done is not None
        await renderer.done
        await renderer.close()
        return 0

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        code: int = runner.run(main())
    return code
