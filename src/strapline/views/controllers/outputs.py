"""The show's outputs on the desk: targets added and removed (never twice), the renderers'
health in the Outputs panel, the local renderer, and what Program may claim."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from strapline.domain.playout import ChannelState
from strapline.domain.rundown import OutputConfig, TargetConfig
from strapline.services.outputs import OutputsService, RendererLauncher, TargetStatus
from strapline.services.show import Edit, EditError, ShowService
from strapline.views.operator import OutputsView


def same_host(host: str) -> str:
    """A host as a target compares: the names of this machine are one."""
    host = host.strip().lower()
    return "127.0.0.1" if host in ("localhost", "127.0.0.1", "::1") else host


class OutputsController:
    def __init__(
        self,
        shows: ShowService,
        outputs: OutputsService | None,
        view: OutputsView,
        push: Callable[[Edit | None], None],
        ensure_playouts: Callable[[], object],
        launcher: RendererLauncher | None = None,
    ) -> None:
        """`push` puts an edit on the undo stack; `ensure_playouts` makes every output's playout
        now (so the table shows the targets at once)."""
        self.shows = shows
        self.outputs = outputs
        self.view = view
        self.push = push
        self.ensure_playouts = ensure_playouts
        self.launcher = launcher or RendererLauncher()
        self.online: frozenset[tuple[str, str]] = frozenset()
        self._ticks = 0

    # ---- targets ------------------------------------------------------------------------------
    def add_target(
        self, host: str, port: int, transport: str = "udp", flat_fields: bool = False
    ) -> bool:
        """Add host:port to the first output; refused (and said) when it is already a target."""
        outs = [o.model_copy(deep=True) for o in self.shows.show.outputs]
        if not outs:
            return False
        same = same_host(host)
        for out in outs:
            for t in out.targets:
                if same_host(t.host) == same and t.port == port:
                    text = (
                        f"{host}:{port} is already a target of {out.name or out.id} "
                        f"({t.label}): each take would reach it twice"
                    )
                    self.view.show_outputs_error(text)
                    self.view.set_status(text, error=True)
                    return False
        try:
            target = TargetConfig.model_validate(
                {"host": host, "port": port, "transport": transport, "flat_fields": flat_fields}
            )
        except ValueError as exc:
            self.view.show_outputs_error(str(exc))
            return False
        outs[0].targets.append(target)
        self.view.show_outputs_error("")
        return self._edit(outs)

    def change_target(self, label: str, transport: str, flat_fields: bool) -> bool:
        """Set a target's transport (udp, tcp) and flat-fields mode (one undoable edit)."""
        outs = [o.model_copy(deep=True) for o in self.shows.show.outputs]
        found = False
        for out in outs:
            for i, t in enumerate(out.targets):
                if label in (t.label, f"{t.host}:{t.port}"):
                    out.targets[i] = t.model_copy(
                        update={
                            "transport": "tcp" if transport == "tcp" else "udp",
                            "flat_fields": flat_fields,
                        }
                    )
                    found = True
        if not found:
            self.view.show_outputs_error(f"no target {label!r}")
            return False
        return self._edit(outs)

    def set_sync_lead(self, output_id: str, ms: int) -> bool:
        """The output's sync lead in milliseconds (0-2000; one undoable edit)."""
        outs = [o.model_copy(deep=True) for o in self.shows.show.outputs]
        for out in outs:
            if out.id == output_id:
                if not 0 <= ms <= 2000:
                    self.view.show_outputs_error("a sync lead is 0-2000 ms")
                    return False
                out.sync_lead_ms = ms
                return self._edit(outs)
        self.view.show_outputs_error(f"no output {output_id!r}")
        return False

    def remove_target(self, label: str) -> bool:
        outs = [o.model_copy(deep=True) for o in self.shows.show.outputs]
        for out in outs:
            out.targets = [
                t for t in out.targets if t.label != label and f"{t.host}:{t.port}" != label
            ]
        return self._edit(outs)

    def _edit(self, outs: list[OutputConfig]) -> bool:
        try:
            self.push(self.shows.set_outputs(outs))
        except EditError as exc:
            self.view.set_status(str(exc), error=True)
            return False
        return True

    def open_outputs(self) -> None:
        """After an outputs edit: the playouts for the targets as they are now, and the table
        at once (an added or removed target shows without waiting for a take)."""
        self.view.show_outputs(self.shows.show.outputs)
        if self.outputs is None:
            return
        self.outputs.retain(self.shows.show.outputs)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # made when the loop runs (the app opens them once the window is up)
        self.ensure_playouts()
        self.view.show_statuses(self.outputs.statuses())

    # ---- the local renderer -------------------------------------------------------------------
    def launch_renderer(self, port: int, window: bool = True, ndi: str = "") -> int | None:
        """Start the bundled renderer on `port` (also sending NDI under the name `ndi` when one
        is given) and make it a target; None (and said in the window) when it cannot start, a
        port in use or NDI not installed included."""
        try:
            pid = self.launcher.launch(port, window, ndi=ndi)
        except OSError as exc:
            text = f"Cannot start the local renderer: {exc}"
            self.view.show_outputs_error(text)
            self.view.set_status(text, error=True)
            self.view.tell("error", text, "error")
            return None
        outputs = self.shows.show.outputs
        if outputs and not any(
            same_host(t.host) == "127.0.0.1" and t.port == port for t in outputs[0].targets
        ):
            self.add_target("127.0.0.1", port)
        self.view.set_status(f"local renderer started (process {pid}) on port {port}")
        return pid

    # ---- health ---------------------------------------------------------------------------------
    def tick(self) -> bool:
        """One health sample: the table, the plot every other tick, a local renderer that
        stopped. True when the set of online renderers changed (Program must say so)."""
        if self.outputs is None:
            return False
        self._ticks += 1
        code = self.launcher.exited()
        if code is not None:
            text = f"The local renderer stopped (exit code {code}): its window and air are gone"
            self.view.show_outputs_error(text)
            self.view.tell("error", f"Local renderer: {text}", "error")
        statuses = self.outputs.sample()
        self.view.show_statuses(statuses)
        if self._ticks % 2 == 0:
            self.view.show_history(dict(self.outputs.history))
        online = frozenset((s.output, s.target) for s in statuses if s.online)
        changed = online != self.online
        self.online = online
        return changed

    def statuses(self) -> list[TargetStatus]:
        return self.outputs.statuses() if self.outputs is not None else []

    def any_online(self) -> bool | None:
        """Whether any renderer answers now (None: no outputs service, not known)."""
        if self.outputs is None:
            return None
        return any(s.online for s in self.outputs.statuses())

    def confirmed(self, output_id: str) -> tuple[bool, ChannelState | None]:
        """Program's truth: any renderer of the output online, and what an online one reports.
        With no outputs service (tests), the tally stands for the renderers: (True, None)."""
        if self.outputs is None:
            return True, None
        return self.outputs.confirmed(output_id)
