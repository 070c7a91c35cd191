"""Errors and warnings about input data, each naming what is wrong and where."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


class Diagnostic(BaseModel):
    """One finding about a file: where (file, and line, cell or XML element) and what."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    severity: Severity = Severity.WARNING
    source: str = ""
    location: str = ""
    message: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.source, self.location) if p)
        return f"{where}: {self.message}" if where else self.message


class DataError(Exception):
    """A file that cannot be read. Importers raise only this; nothing is half-loaded."""

    def __init__(self, source: str, location: str, message: str) -> None:
        self.diagnostic = Diagnostic(
            severity=Severity.ERROR, source=source, location=location, message=message
        )
        super().__init__(str(self.diagnostic))

    @property
    def source(self) -> str:
        return self.diagnostic.source

    @property
    def location(self) -> str:
        return self.diagnostic.location
