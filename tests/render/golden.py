"""Golden-image comparison for painters, reusable by every graphic's tests.

    from tests.render.golden import assert_matches_golden   # or: from golden import ...
    assert_matches_golden(image, "lower_third_ice")

The reference is tests/render/golden/<name>.png. A pixel differs when one of its straight-alpha
RGBA channels is more than `tolerance` away from the reference; the test fails when more than
`max_fraction` of the pixels differ, or the size differs. On failure the actual, expected and
diff images are written to tests/render/_failures/ (diff: differing pixels red, others grey).

To approve new looks (after checking the images by eye), run the tests with
STRAPLINE_APPROVE_GOLDEN=1: the references are rewritten and the comparison passes.
A missing reference fails (with the actual image saved) unless approving.
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


def assert_matches_golden(
    image: QImage, name: str, *, tolerance: int = 40, max_fraction: float = 0.002
) -> None:
    """Compare `image` with golden/<name>.png (see the module doc); approve with the env var."""
    reference = GOLDEN_DIR / f"{name}.png"
    if approving():
        encode_png(image, reference, level=9)
        return
    actual_path = FAILURE_DIR / f"{name}.actual.png"
    if not reference.is_file():
        encode_png(image, actual_path)
        raise AssertionError(
            f"no golden image {reference.name}; look at {actual_path} and approve it with "
            f"{APPROVE_ENV}=1"
        )
    expected = QImage(str(reference))
    if expected.size() != image.size():
        encode_png(image, actual_path)
        raise AssertionError(
            f"{name}: size {image.width()}x{image.height()} differs from the golden "
            f"{expected.width()}x{expected.height()}"
        )
    count, mask = compare(image, expected, tolerance)
    allowed = int(max_fraction * image.width() * image.height())
    if count > allowed:
        encode_png(image, actual_path)
        encode_png(expected, FAILURE_DIR / f"{name}.expected.png")
        encode_png(_diff_image(image, mask), FAILURE_DIR / f"{name}.diff.png")
        raise AssertionError(
            f"{name}: {count} pixels differ by more than {tolerance} (allowed {allowed}); "
            f"see {FAILURE_DIR}/{name}.*.png, approve a wanted change with {APPROVE_ENV}=1"
        )
