"""ui.runqueue: script runs take turns first come first served, with a valve for a run that waits too long."""

from __future__ import annotations

import contextlib
import threading

import pytest

from ui import runqueue
from ui.runqueue import RunQueue

JOIN_S = 10  # a thread still alive after this is stuck: the test fails instead of hanging


def _wait_until(predicate, what: str) -> None:
    done = threading.Event()
    for _ in range(1000):
        if predicate():
            return
        done.wait(0.01)
    raise AssertionError(f"never happened: {what}")


def _in_thread(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_waiting_runs_get_their_turn_in_the_order_they_came():
    queue = RunQueue(max_wait_s=60)
    order: list[int] = []
    release = threading.Event()

    def holder() -> None:
        with queue.turn() as owns:
            assert owns
            release.wait(JOIN_S)

    def waiter(i: int) -> None:
        with queue.turn() as owns:
            order.append(i if owns else -i)

    threads = [_in_thread(holder)]
    _wait_until(lambda: queue._holder is not None, "the first run has its turn")
    for i in range(1, 6):  # each one queued before the next arrives
        threads.append(_in_thread(lambda i=i: waiter(i)))
        _wait_until(lambda i=i: queue.waiting() == i, f"run {i} is queued")
    release.set()
    for thread in threads:
        thread.join(JOIN_S)
        assert not thread.is_alive()
    assert order == [1, 2, 3, 4, 5]
    assert queue._holder is None and queue.waiting() == 0 and queue.passed_by_valve == 0


def test_never_two_runs_with_the_turn_at_once():
    queue = RunQueue(max_wait_s=60)
    inside, most = [0], [0]
    lock = threading.Lock()

    def run() -> None:
        for _ in range(50):
            with queue.turn():
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                threading.Event().wait(0.0005)
                with lock:
                    inside[0] -= 1

    threads = [_in_thread(run) for _ in range(8)]
    for thread in threads:
        thread.join(JOIN_S * 3)
        assert not thread.is_alive()
    assert most[0] == 1
    assert queue._holder is None and queue.waiting() == 0


def test_a_run_that_waited_too_long_goes_ahead_beside_the_holder():
    queue = RunQueue(max_wait_s=0.05)
    release, passed = threading.Event(), []

    def holder() -> None:
        with queue.turn():
            release.wait(JOIN_S)  # a long run: it holds its turn until the other has gone by

    first = _in_thread(holder)
    _wait_until(lambda: queue._holder is not None, "the long run has its turn")
    with queue.turn() as owns:
        passed.append(owns)
    assert passed == [False] and queue.passed_by_valve == 1 and queue.waiting() == 0
    release.set()
    first.join(JOIN_S)
    assert not first.is_alive()
    with queue.turn() as owns:  # the long run handed back an empty queue: the next one has its turn at once
        assert owns


def test_an_exception_in_a_run_hands_the_turn_on():
    queue = RunQueue(max_wait_s=60)
    with pytest.raises(RuntimeError), queue.turn():
        raise RuntimeError("st.stop() or an error in the page")
    got: list[bool] = []

    def next_run() -> None:
        with queue.turn() as owns:
            got.append(owns)

    thread = _in_thread(next_run)
    thread.join(JOIN_S)
    assert got == [True]


def test_a_turn_is_never_granted_twice_to_one_thread():
    queue = RunQueue(max_wait_s=0.05)
    with queue.turn() as outer:
        with queue.turn() as inner:  # no nesting: only app.py asks, once per run; a second ask waits for the valve
            assert outer and not inner
    assert queue.passed_by_valve == 1 and queue._holder is None and queue.waiting() == 0


class _CountingQueue(RunQueue):
    """The app's queue, counting turns and how deep they nest."""

    def __init__(self) -> None:
        super().__init__(max_wait_s=60)
        self.turns = self.depth = self.deepest = 0

    @contextlib.contextmanager
    def turn(self):
        self.turns += 1
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        try:
            with super().turn() as owns:
                yield owns
        finally:
            self.depth -= 1


@pytest.mark.parametrize("page", [None, "pages/kapasitet.py", "pages/okonomi.py"])
@pytest.mark.parametrize("first_run", [False, True], ids=["later-run", "servers-first-run"])
def test_the_app_takes_one_turn_per_run_also_for_a_link_to_a_page(monkeypatch, page, first_run):
    """app.py takes the turn, once per run, never nested: also when Streamlit runs the page file alone
    first, as on a server's first run (pages/ as its old-style folder, ui/shell.py): the page starts
    over in app.py without a turn of its own."""
    from tests.apptest_util import open_app, open_page
    from tests.test_shell import open_through_pages_folder

    queue = _CountingQueue()
    monkeypatch.setattr(runqueue, "RUNS", queue)
    if first_run:
        at = open_through_pages_folder(page or "pages/oversikt.py", kommune="4631")
    else:
        at = open_app(kommune="4631") if page is None else open_page(page, kommune="4631")
    assert (queue.turns, queue.deepest) == (1, 1)
    at.run()  # a rerun on the same page: one more turn
    assert not at.exception
    assert (queue.turns, queue.deepest) == (2, 1)
    assert queue._holder is None and queue.waiting() == 0 and queue.passed_by_valve == 0


def test_zero_switches_the_queue_off():
    queue = RunQueue(max_wait_s=0)
    with queue.turn() as a, queue.turn() as b:
        assert a and b
    assert queue._holder is None


@pytest.mark.parametrize(("value", "expected"), [
    (None, runqueue.DEFAULT_MAX_WAIT_S), ("0", 0.0), ("0.5", 0.5), ("tre", runqueue.DEFAULT_MAX_WAIT_S),
    ("-1", runqueue.DEFAULT_MAX_WAIT_S), ("nan", runqueue.DEFAULT_MAX_WAIT_S), ("inf", runqueue.DEFAULT_MAX_WAIT_S),
])
def test_the_valve_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(runqueue.ENV, raising=False)
    else:
        monkeypatch.setenv(runqueue.ENV, value)
    assert runqueue._max_wait_from_env() == expected


def test_a_run_waiting_aside_lets_the_next_run_go_and_gets_the_turn_back():
    """The Data page waits for its parse child aside: another session's run goes meanwhile, not after it."""
    queue = RunQueue(max_wait_s=60)
    order: list[str] = []
    aside = threading.Event()
    other_done = threading.Event()
    holders: list[int] = []

    def parsing() -> None:
        with queue.turn() as owns:
            assert owns
            with queue.aside():
                aside.set()
                other_done.wait(JOIN_S)  # the child process works; this thread holds no turn
            holders.append(sum(1 for e in [queue._holder] if e is not None))
            order.append("parsing run, after its child")

    def other() -> None:
        aside.wait(JOIN_S)
        with queue.turn() as owns:
            assert owns  # handed the turn, not let by the valve
            order.append("other run")
        other_done.set()

    threads = [_in_thread(parsing), _in_thread(other)]
    for thread in threads:
        thread.join(JOIN_S)
        assert not thread.is_alive()
    assert order == ["other run", "parsing run, after its child"]
    assert holders == [1] and queue.passed_by_valve == 0
    assert queue._holder is None and queue.waiting() == 0  # the turn handed on at the end


def test_aside_without_a_turn_changes_nothing():
    queue = RunQueue(max_wait_s=0)
    with queue.turn() as owns, queue.aside():
        assert owns
    assert queue._holder is None
