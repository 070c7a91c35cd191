"""Strapline: a broadcast graphics controller for live sport."""

# pydantic loads parts of itself on first use. When that first use comes after PySide6 is
# imported, PySide6's import hook inspects a pydantic module half-way through loading it and
# the import fails ("cannot import name 'import_string' from partially initialized module
# pydantic._internal._validators"; PySide6 6.11, pydantic 2.14). So `import
# strapline.renderer.app` as a script's first line failed. Loaded here, before any Qt import.
import pydantic.fields  # noqa: F401

__version__ = "0.1.0"
