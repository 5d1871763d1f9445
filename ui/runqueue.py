"""One script run at a time, first come first served: the committee's reruns queue instead of sharing.

Streamlit runs each session's script in a thread of its own, but every rerun is Python and holds the
GIL, which Python hands between threads every 5 ms. Two sessions that move a lever at nearly the same
moment therefore both finish late: each run is stretched by the other's (processor sharing). With a
queue, the first is answered as if it were alone and only the second waits for the rest of the first.
Measured (bench/load.py, docs/robusthet.md): when 20 sessions open the shared link at once, half have
the page after 0,45–0,48 s instead of 0,84–0,91 s, and when all 20 move a lever at once the median
answer halves (1,0 → 0,5 s); with 20 sessions moving a lever every 2–6 s, p95 was lower with the
queue in two of three pairs of runs (90 against 169 ms, 97 against 136 ms) and within the noise in
the third.

A safety valve keeps one long run (a cold first opening, a large import) from holding everybody up:
a session that has waited `max_wait_s` runs beside the others, as without the queue.

app.py takes the turn, once per script run, around the whole shell; nothing else does, so turns never
nest (a thread that asked again inside its own turn would wait for itself until the valve let it by).
A run that waits for a child process (the Data page's parse, core.upload_budget) steps `aside()`: the
next run goes meanwhile, and this one queues again when the child has answered.

Set LEGEPLAN_RUN_QUEUE_MAX_WAIT (seconds) to tune the valve; 0 switches the queue off.
"""

from __future__ import annotations

import collections
import contextlib
import math
import os
import threading
from collections.abc import Iterator

DEFAULT_MAX_WAIT_S = 2.0
ENV = "LEGEPLAN_RUN_QUEUE_MAX_WAIT"


class RunQueue:
    """A fair (FIFO) turn for script runs, with a maximum wait after which a run goes ahead anyway."""

    def __init__(self, max_wait_s: float = DEFAULT_MAX_WAIT_S) -> None:
        self.max_wait_s = max_wait_s
        self._guard = threading.Lock()
        self._waiting: collections.deque[threading.Event] = collections.deque()
        self._holder: threading.Event | None = None
        self.passed_by_valve = 0  # runs that stopped waiting and ran beside the holder (for bench/tests)
        self._local = threading.local()  # the turn this thread holds, if any (for aside)

    @contextlib.contextmanager
    def turn(self) -> Iterator[bool]:
        """Wait for this thread's turn; yields True if it has the turn, False if the valve let it by."""
        if self.max_wait_s <= 0:
            yield True
            return
        outer = getattr(self._local, "held", None)  # a turn asked inside a turn (never done; tests)
        me, owns = self._acquire()
        self._local.held = me if owns else None
        try:
            yield owns
        finally:
            held, self._local.held = getattr(self._local, "held", None), outer
            if held is not None:
                self._release(held)

    @contextlib.contextmanager
    def aside(self) -> Iterator[None]:
        """Inside a turn, while this run waits for work that is not Python in this process (a file parsed in
        a child process, core.upload_budget): the next run goes meanwhile; this one queues again after."""
        held = getattr(self._local, "held", None)
        if held is None:  # no turn held (queue off, or let by the valve): nothing to give
            yield
            return
        self._local.held = None
        self._release(held)
        try:
            yield
        finally:
            me, owns = self._acquire()
            self._local.held = me if owns else None

    def _acquire(self) -> tuple[threading.Event, bool]:
        me = threading.Event()
        with self._guard:
            if self._holder is None:
                self._holder = me
                me.set()
            else:
                self._waiting.append(me)
        me.wait(self.max_wait_s)
        with self._guard:  # decided under the guard: a hand-over can come just as the wait times out
            owns = me.is_set()
            if not owns:
                self._waiting.remove(me)
                self.passed_by_valve += 1
        return me, owns

    def _release(self, held: threading.Event) -> None:
        with self._guard:
            if self._holder is held:
                self._holder = self._waiting.popleft() if self._waiting else None
                if self._holder is not None:
                    self._holder.set()

    def waiting(self) -> int:
        with self._guard:
            return len(self._waiting)


def _max_wait_from_env() -> float:
    try:
        value = float(os.environ.get(ENV, DEFAULT_MAX_WAIT_S))
    except ValueError:
        return DEFAULT_MAX_WAIT_S
    return value if math.isfinite(value) and value >= 0 else DEFAULT_MAX_WAIT_S  # NaN, inf, negative: default


RUNS = RunQueue(_max_wait_from_env())  # one per server process (modules outlive reruns)
