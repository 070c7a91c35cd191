"""Options shared by the commands that open the operator's window (`app`, `demo`)."""

from __future__ import annotations

import pytest

from strapline.cli import build_parser


@pytest.mark.parametrize("command", ["app", "demo"])
def test_desk_options_are_the_same_for_app_and_demo(command: str) -> None:
    args = build_parser().parse_args([command, "--control-port", "0", "--settings", "x.ini"])
    assert args.control_port == 0
    assert str(args.settings) == "x.ini"
    assert build_parser().parse_args([command]).control_port == 9300


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["app", "--renderer", "abc"], "'abc' is not a port number"),
        (["app", "--renderer", "80"], "a port is 1024-65535"),
        (["demo", "--port", "70000"], "a port is 1024-65535"),
        (["demo", "--control-port", "80"], "a control port is 1024-65535, or 0 for none"),
    ],
)
def test_bad_ports_are_refused_with_a_clear_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("command", ["app", "demo"])
def test_feedback_and_control_address_options(command: str) -> None:
    from strapline.osc.feedback import FeedbackTarget

    args = build_parser().parse_args(
        [
            command,
            "--feedback", "127.0.0.1:12321",
            "--feedback", "10.0.0.7:9000",
            "--control-bind", "0.0.0.0",
            "--control-allow", "10.0.0.7", "10.0.0.8",
            "--control-allow", "127.0.0.1",
        ]
    )  # fmt: skip
    assert args.feedback == [FeedbackTarget("127.0.0.1", 12321), FeedbackTarget("10.0.0.7", 9000)]
    assert args.control_bind == "0.0.0.0"
    assert args.control_allow == ["10.0.0.7", "10.0.0.8", "127.0.0.1"]
    plain = build_parser().parse_args([command])
    assert plain.feedback == [] and plain.control_bind == "127.0.0.1"
    assert plain.control_allow is None


def test_a_bad_feedback_target_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--feedback", "companion"])
    assert "write a feedback target as HOST:PORT" in capsys.readouterr().err
