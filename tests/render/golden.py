"""Golden-image comparison for painters, reusable by every graphic's tests.

    from tests.render.golden import assert_matches_golden   # or: from golden import ...
    assert_matches_golden(image, "lower_third_ice")

The reference is tests/render/golden/<name>.png. The themes ship their fonts, so a render is
the same to the pixel from run to run; the comparison is strict enough that one changed letter
("Felix" -> "Felik"), one changed digit (40.986 -> 48.986) or a theme colour darkened by 30
levels fails (tests/render/test_golden_strictness.py shows each). A pixel differs when one of
its straight-alpha RGBA channels is more than `tolerance` (default 12 levels) away from the
reference; the test fails when more than `max_pixels` (default 16) pixels differ, or the size
differs. On failure the actual, expected and diff images are written to tests/render/_failures/
(diff: differing pixels red, others grey).

Re-approving a wanted change: look at the new pictures first (tests/render/_failures/*.png
after a failing run, or render them yourself), then run the tests that changed with
STRAPLINE_APPROVE_GOLDEN=1, e.g.

    STRAPLINE_APPROVE_GOLDEN=1 QT_QPA_PLATFORM=offscreen pytest tests/render -k golden

The references are rewritten and the comparison passes; commit them with the change and say
in the message what you looked at. A missing reference fails (with the actual image saved)
unless approving.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from strapline.render.png import encode_png, rgba_array

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
FAILURE_DIR = Path(__file__).resolve().parent / "_failures"
APPROVE_ENV = "STRAPLINE_APPROVE_GOLDEN"


def approving() -> bool:
    return os.environ.get(APPROVE_ENV, "") not in ("", "0")


def compare(actual: QImage, expected: QImage, tolerance: int) -> tuple[int, np.ndarray]:
    """Count of pixels differing by more than `tolerance` in any channel, and their mask."""
    a = rgba_array(actual).astype(np.int16)
    e = rgba_array(expected).astype(np.int16)
    mask = np.abs(a - e).max(axis=2) > tolerance
    return int(mask.sum()), mask


def _diff_image(actual: QImage, mask: np.ndarray) -> QImage:
    grey = rgba_array(actual)[:, :, :3].mean(axis=2).astype(np.uint8) // 3 + 40
    out = np.empty((*mask.shape, 4), dtype=np.uint8)
    out[..., 0] = np.where(mask, 255, grey)
    out[..., 1] = np.where(mask, 0, grey)
    out[..., 2] = np.where(mask, 0, grey)
    out[..., 3] = 255
    h, w = mask.shape
    return QImage(out.data, w, h, w * 4, QImage.Format.Format_RGBA8888).copy()


def mismatch(
    image: QImage, name: str, *, tolerance: int = 12, max_pixels: int = 16
) -> tuple[str, np.ndarray | None] | None:
    """Why `image` does not match golden/<name>.png (a message and the mask of differing
    pixels), or None when it matches."""
    reference = GOLDEN_DIR / f"{name}.png"
    if not reference.is_file():
        return f"no golden image {reference.name}", None
    expected = QImage(str(reference))
    if expected.size() != image.size():
        return (
            f"{name}: size {image.width()}x{image.height()} differs from the golden "
            f"{expected.width()}x{expected.height()}"
        ), None
    count, mask = compare(image, expected, tolerance)
    if count > max_pixels:
        message = f"{name}: {count} pixels differ by more than {tolerance} (allowed {max_pixels})"
        return message, mask
    return None


def assert_matches_golden(
    image: QImage, name: str, *, tolerance: int = 12, max_pixels: int = 16
) -> None:
    """Compare `image` with golden/<name>.png (see the module doc); approve with the env var."""
    reference = GOLDEN_DIR / f"{name}.png"
    if approving():
        encode_png(image, reference, level=9)
        return
    found = mismatch(image, name, tolerance=tolerance, max_pixels=max_pixels)
    if found is None:
        return
    message, mask = found
    actual_path = FAILURE_DIR / f"{name}.actual.png"
    encode_png(image, actual_path)
    if mask is not None:
        encode_png(QImage(str(reference)), FAILURE_DIR / f"{name}.expected.png")
        encode_png(_diff_image(image, mask), FAILURE_DIR / f"{name}.diff.png")
    raise AssertionError(
        f"{message}; see {FAILURE_DIR}/{name}.*.png, approve a wanted change after looking "
        f"at it with {APPROVE_ENV}=1"
    )
