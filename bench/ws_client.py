"""A Streamlit session without a browser: Streamlit's own websocket protocol, from Python.

Used by `bench/load.py --clients ws` so that N sessions cost the client side almost nothing (one
asyncio loop, protobuf parsing only) and the server's own queue can be measured on a small machine.

What a browser tab does, and what this client copies (from the installed streamlit's protobufs and
frames recorded from the real frontend in Chromium, streamlit 1.67):

- connect to ``ws://host:port/_stcore/stream`` with the subprotocol ``streamlit``;
- send a ``BackMsg.rerun_script`` (a ``ClientState``) with the link's query string, the page's
  URL path as ``page_name``, no page hash and no widget states;
- keep the page hash from ``Navigation`` (the page the app chose), the query string from every ``PageInfo`` (the app
  rewrites its own link), and one ``WidgetState`` per widget the run drew: the value the server
  set (``set_value``), else the value the client already had, else the widget's default; widgets
  the finished run did not draw are dropped, as the frontend does;
- a lever move is the next ``rerun_script`` with every widget state and the moved one changed;
  a button press adds ``trigger_value`` for that button once.

The frontend also lists the hashes of messages it has cached (``cached_message_hashes``); this
client does the same for messages marked ``cacheable``, so the server answers both alike.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")


class ProtocolError(RuntimeError):
    """The server closed the stream, or a run did not end as a browser would expect."""


@dataclass
class Run:
    """What one script run sent: timings (s after the request) and the page's visible state."""

    t_first: float | None = None  # first delta
    t_tile: float | None = None  # the watched metric arrived with a new value
    t_done: float | None = None  # script_finished (successfully)
    messages: int = 0
    bytes: int = 0
    exceptions: list[str] = field(default_factory=list)


def _widget_state(kind: str, el, current: WidgetState | None) -> WidgetState | None:
    """The state a browser holds for widget element `el` after this delta (None: no state)."""
    if current is not None and not getattr(el, "set_value", False):
        return current
    ws = WidgetState(id=el.id)
    use = el.set_value if hasattr(el, "set_value") else False
    if kind == "slider":
        ws.double_array_value.data.extend(el.value if use else el.default)
    elif kind in ("selectbox", "radio"):
        if use:
            ws.string_value = el.raw_value
        elif el.HasField("default") and 0 <= el.default < len(el.options):
            ws.string_value = el.options[el.default]
        else:
            return None
    elif kind in ("checkbox", "toggle"):
        ws.bool_value = el.value if use else el.default
    elif kind in ("text_input", "text_area"):
        ws.string_value = el.value if use else el.default
    elif kind == "number_input":
        if not use and not el.HasField("default"):
            return None
        value = el.value if use else el.default
        if el.data_type == el.DataType.Value("INT"):
            ws.int_value = int(value)
        else:
            ws.double_value = value
    elif kind == "multiselect":
        if use:
            ws.string_array_value.data.extend(el.raw_values)
        else:
            ws.string_array_value.data.extend(el.options[i] for i in el.default)
    else:  # buttons, downloads and the rest hold no state until used
        return None
    return ws


class StreamlitSession:
    """One browser-less session: open a link, move widgets, press buttons, time the answers."""

    def __init__(self, base_url: str, link: str, watch: str | None = None) -> None:
        path, _, query = link.partition("?")
        self.ws_url = base_url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self.page_name = path.strip("/")
        self.url = base_url.rstrip("/") + "/" + self.page_name
        self.query_string = query
        self.page_script_hash = ""
        self.watch = watch  # label of the metric whose change ends a timed lever move
        self.metrics: dict[str, str] = {}
        self.widgets: dict[str, tuple[str, object]] = {}  # id → (kind, element proto)
        self.states: dict[str, WidgetState] = {}
        self.cached: set[str] = set()
        self.session_id = ""
        self._ws = None
        self._seen: dict[str, WidgetState] = {}

    # --- connection ----------------------------------------------------------------------------

    async def open(self, timeout: float = 120) -> Run:
        """Connect and run the page as a browser opening the link does; returns the first run."""
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=timeout, ping_interval=None)
        return await self._rerun(ClientState(query_string=self.query_string, page_name=self.page_name),
                                 timeout)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    # --- widgets -------------------------------------------------------------------------------

    def widget_id(self, label: str | re.Pattern) -> str:
        """The id of the widget whose label is `label` (exact text, or a pattern to search)."""
        for wid, (_, el) in self.widgets.items():
            text = getattr(el, "label", "")
            if (label.search(text) if isinstance(label, re.Pattern) else text == label):
                return wid
        raise KeyError(f"no widget labelled {label!r} (have {len(self.widgets)})")

    def value(self, label: str | re.Pattern):
        """The current value this client holds for a widget (sliders: the first number)."""
        ws = self.states[self.widget_id(label)]
        kind = ws.WhichOneof("value")
        v = getattr(ws, kind)
        return v.data[0] if kind == "double_array_value" else v

    async def move(self, label: str | re.Pattern, value, timeout: float = 120) -> Run:
        """Set a widget to `value` (as the browser does when the user lets go) and rerun."""
        wid = self.widget_id(label)
        kind, el = self.widgets[wid]
        ws = WidgetState(id=wid)
        if kind == "slider":
            ws.double_array_value.data.append(float(value))
        elif kind in ("checkbox", "toggle"):
            ws.bool_value = bool(value)
        elif kind == "number_input" and el.data_type == el.DataType.Value("INT"):
            ws.int_value = int(value)
        elif kind == "number_input":
            ws.double_value = float(value)
        else:
            ws.string_value = str(value)
        self.states[wid] = ws
        return await self._rerun(self._client_state(), timeout)

    async def press(self, label: str | re.Pattern, timeout: float = 120) -> Run:
        """Click a button: its trigger goes with this one rerun."""
        state = self._client_state()
        state.widget_states.widgets.append(WidgetState(id=self.widget_id(label), trigger_value=True))
        return await self._rerun(state, timeout)

    def set_text(self, label: str | re.Pattern, text: str) -> None:
        """Type into a text field without a rerun yet (a browser sends it with the next one)."""
        wid = self.widget_id(label)
        self.states[wid] = WidgetState(id=wid, string_value=text)

    # --- the protocol --------------------------------------------------------------------------

    def _client_state(self) -> ClientState:
        state = ClientState(query_string=self.query_string, page_script_hash=self.page_script_hash)
        state.widget_states.widgets.extend(self.states.values())
        state.cached_message_hashes.extend(sorted(self.cached))
        state.context_info.timezone = "UTC"
        state.context_info.locale = "nb-NO"
        state.context_info.url = self.url
        state.context_info.color_scheme = "light"
        return state

    async def _rerun(self, state: ClientState, timeout: float) -> Run:
        if self._ws is None:
            raise ProtocolError("not connected")
        if not state.HasField("context_info"):
            state.context_info.CopyFrom(self._client_state().context_info)
        run = Run()
        before = self.metrics.get(self.watch) if self.watch else None
        t0 = time.perf_counter()
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
        try:
            async with asyncio.timeout(timeout):
                while True:
                    try:
                        data = await self._ws.recv()
                    except websockets.ConnectionClosed as e:
                        raise ProtocolError(f"stream closed: {e}") from e
                    now = time.perf_counter() - t0
                    run.messages += 1
                    run.bytes += len(data)
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    if self._handle(msg, run, now, before):
                        return run
        except TimeoutError as e:
            raise ProtocolError(f"no script_finished within {timeout:.0f} s") from e

    def _handle(self, msg: ForwardMsg, run: Run, now: float, before: str | None) -> bool:
        """Apply one ForwardMsg; True when the run has finished successfully."""
        if msg.metadata.cacheable and msg.hash:
            self.cached.add(msg.hash)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
            if msg.new_session.HasField("initialize"):
                self.session_id = msg.new_session.initialize.session_id
            self._seen = {}
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_script_hash = msg.navigation.page_script_hash  # the page the app chose
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if run.t_first is None:
                run.t_first = now
            el = msg.delta.new_element
            etype = el.WhichOneof("type")
            sub = getattr(el, etype)
            if etype == "metric":
                self.metrics[sub.label] = sub.body
                if sub.label == self.watch and sub.body != before and run.t_tile is None:
                    run.t_tile = now
            elif etype == "exception":
                run.exceptions.append(f"{sub.type}: {sub.message}"[:200])
            elif getattr(sub, "id", ""):
                self.widgets[sub.id] = (etype, sub)
                ws = _widget_state(etype, sub, self.states.get(sub.id))
                if ws is not None:
                    self._seen[sub.id] = ws
                    self.states[sub.id] = ws
        elif kind == "script_finished":
            status = msg.script_finished
            if status == FINISHED:
                run.t_done = now
                # The frontend forgets the widgets the finished run did not draw.
                self.states = {wid: s for wid, s in self.states.items() if wid in self._seen}
                self.widgets = {wid: w for wid, w in self.widgets.items() if wid in self._seen
                                or w[0] not in ("slider", "selectbox", "radio", "checkbox", "toggle",
                                                "text_input", "text_area", "number_input", "multiselect")}
                return True
            if status != EARLY:
                raise ProtocolError(f"script finished with status {status}")
        return False
