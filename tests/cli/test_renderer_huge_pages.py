"""`strapline renderer` starts itself again with glibc told to use huge pages for large blocks
(a 2160p frame is 33 MB): same process, same arguments; nothing else is started again."""

from __future__ import annotations

import sys
from typing import Any

import pytest

import strapline.cli as cli


@pytest.fixture
def execs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str], dict[str, str]]]:
    calls: list[tuple[str, list[str], dict[str, str]]] = []

    def execve(path: str, args: list[str], env: dict[str, str]) -> Any:
        calls.append((path, args, env))

    monkeypatch.setattr(cli.os, "execve", execve)
    monkeypatch.setattr(cli.sys, "platform", "linux")
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    return calls


def test_the_renderer_starts_again_with_huge_pages(execs: list[Any]) -> None:
    cli._renderer_with_huge_pages(["renderer", "--headless", "--size", "3840x2160"])
    [(path, args, env)] = execs
    assert path == sys.executable
    assert args == [sys.executable, "-m", "strapline", "renderer", "--headless", "--size",
                    "3840x2160"]  # fmt: skip
    assert env["GLIBC_TUNABLES"] == "glibc.malloc.hugetlb=1"


def test_tunables_already_set_are_kept(execs: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
    cli._renderer_with_huge_pages(["renderer"])
    assert execs[0][2]["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"


def test_nothing_else_starts_again(execs: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    cli._renderer_with_huge_pages(["app"])
    cli._renderer_with_huge_pages([])
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0")  # the user's own choice
    cli._renderer_with_huge_pages(["renderer"])
    monkeypatch.setattr(cli.sys, "platform", "darwin")
    monkeypatch.delenv("GLIBC_TUNABLES")
    cli._renderer_with_huge_pages(["renderer"])
    assert execs == []
