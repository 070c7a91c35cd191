"""The Linux one-folder bundle: built with PyInstaller from packaging/strapline.spec, then run.

The bundle is built once per session into a temporary folder (about 1-2 minutes on two cores)
and must work without the source checkout: it starts offscreen with no display, renders the
demo data it carries to a PNG, rejects bad input with a one-line message, and installs with
packaging/linux/install.sh. Skipped only where PyInstaller is not installed or off Linux (the
Windows and macOS bundles are built on those systems).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "strapline.spec"
BUILD_TIMEOUT = 900
RUN_TIMEOUT = 120

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CI bundle is Linux"),
]


def _clean_env(home: Path | None = None) -> dict[str, str]:
    """An environment like a fresh desktop session's without a display: no source paths."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "STRAPLINE_"))}
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(key, None)
    if home is not None:
        env["HOME"] = str(home)
        env["XDG_DATA_HOME"] = str(home / ".local" / "share")
    return env


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install .[dev])")
    work = tmp_path_factory.mktemp("pyinstaller")
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--workpath",
        str(work / "build"),
        "--distpath",
        str(work / "dist"),
        str(SPEC),
    ]
    proc = subprocess.run(
        cmd, cwd=work, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    assert proc.returncode == 0, f"PyInstaller failed:\n{proc.stderr[-4000:]}"
    folder = work / "dist" / "strapline"
    assert (folder / "strapline").is_file()
    return folder


def _run(
    bundle: Path, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / "strapline"), *args],
        cwd=cwd,
        env=env or _clean_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def test_bundle_carries_themes_data_and_forms(bundle: Path) -> None:
    inside = bundle / "_internal" / "strapline" / "data"
    assert (inside / "demo" / "dresden-2023-24.json").is_file()
    assert (inside / "flags" / "kr.svg").is_file()
    for theme in ("ice", "night"):
        assert (inside / "themes" / theme / "theme.json").is_file()
        fonts = list((inside / "themes" / theme / "fonts").rglob("*.[ot]tf"))
        assert fonts, f"theme {theme} has no fonts in the bundle"
    if (ROOT / "ui").is_dir():
        for form in (ROOT / "ui").glob("*.ui"):
            assert (inside / "ui" / form.name).is_file()
    assert os.access(bundle / "strapline-app", os.X_OK)


def test_bundle_reports_its_version(bundle: Path, tmp_path: Path) -> None:
    from strapline import __version__

    proc = _run(bundle, "--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"strapline {__version__}"


def test_bundled_programs_accept_the_python_m_form(bundle: Path, tmp_path: Path) -> None:
    """The app starts its renderer as `sys.executable -m strapline renderer ...`: in the bundle
    sys.executable is one of its two programs, and both must run the command."""
    from strapline import __version__

    for program in ("strapline", "strapline-app"):
        proc = subprocess.run(
            [str(bundle / program), "-m", "strapline", "--version"],
            cwd=tmp_path,
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        assert proc.returncode == 0, f"{program}: {proc.stderr}"
        assert proc.stdout.strip() == f"strapline {__version__}", program


def test_bundle_exports_the_demo_offscreen(bundle: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    demo = bundle / "_internal" / "strapline" / "data" / "demo" / "dresden-2023-24.json"
    out = tmp_path / "stills" / "lower-third.png"
    proc = _run(
        bundle, "export", "--data", str(demo), "--graphic", "lower-third", "-o", str(out),
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    image = QImage(str(out))
    assert not image.isNull(), "the bundle wrote no readable PNG"
    assert (image.width(), image.height()) == (1920, 1080)
    assert image.hasAlphaChannel()
    # A lower third: transparent above, painted pixels in the lower part of the frame.
    assert image.pixelColor(960, 100).alpha() == 0
    painted = sum(
        1
        for x in range(0, 1920, 16)
        for y in range(700, 1080, 16)
        if image.pixelColor(x, y).alpha()
    )
    assert painted > 50, "the lower third was not painted"


def test_bundle_exports_every_graphic_of_the_demo(bundle: Path, tmp_path: Path) -> None:
    """Every painter, theme font and flag the demo needs is in the bundle."""
    from PySide6.QtGui import QImage

    demo = bundle / "_internal" / "strapline" / "data" / "demo" / "dresden-2023-24.json"
    out = tmp_path / "all"
    proc = _run(bundle, "export", "--data", str(demo), "--all", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-4000:]
    stills = sorted(out.glob("*.png"))
    names = " ".join(p.name for p in stills)
    assert len(stills) >= 20, names
    for kind in ("lower-third", "podium", "result-list", "standings", "race-bug"):
        assert kind in names, f"no {kind} still: {names}"
    for still in stills:
        assert not QImage(str(still)).isNull(), still.name


def test_bundle_rejects_bad_input_in_one_line(bundle: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "strapline", "version": 1, "competition": ', encoding="utf-8")
    proc = _run(
        bundle, "export", "--data", str(bad), "--graphic", "podium", "-o", str(tmp_path / "x.png"),
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "broken.json" in proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_bundle_demo_smoke_test(bundle: Path, tmp_path: Path) -> None:
    help_text = _run(bundle, "--help", cwd=tmp_path).stdout
    if " demo " not in help_text and "demo," not in help_text and "{demo" not in help_text:
        pytest.skip("`strapline demo` is not in this build")
    demo_help = _run(bundle, "demo", "--help", cwd=tmp_path).stdout
    if "--smoke-test" not in demo_help:
        pytest.skip("`strapline demo` has no --smoke-test option in this build")
    env = _clean_env(tmp_path)
    env["QT_QPA_PLATFORM"] = "offscreen"
    proc = _run(bundle, "demo", "--smoke-test", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Traceback" not in proc.stderr


def test_linux_install_script(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(home)
    script = ROOT / "packaging" / "linux" / "install.sh"
    proc = subprocess.run(
        ["bash", str(script), str(bundle)], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    share = home / ".local" / "share"
    desktop = (share / "applications" / "strapline.desktop").read_text(encoding="utf-8")
    opt = home / ".local" / "opt" / "strapline"
    assert f"Exec={opt}/strapline-app %f" in desktop
    assert "MimeType=application/x-strapline;" in desktop
    assert (share / "mime" / "packages" / "strapline.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "strapline.png").is_file()
    version = subprocess.run(
        [str(home / ".local" / "bin" / "strapline"), "--version"],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert version.returncode == 0, version.stderr
    proc = subprocess.run(
        ["bash", str(script), "--uninstall"], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert not opt.exists()
    assert not (home / ".local" / "bin" / "strapline").exists()
