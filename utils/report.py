"""The learner's side of the class board: with consent, each check tells the instructor's board how it went.

Reporting is off unless the learner turns it on, in one of two ways:

- `DL_WORKSHOP_CLASSROOM=<the learners' address>` and `DL_WORKSHOP_NAME=<a name>` set before starting
  JupyterLab: every process that imports the checkers then reports;
- one line in a notebook: ``from utils.report import join_class; join_class("http://...", "Ada")``.

Joining prints one line saying what is shared. Each `qN.check(...)` then sends one event: the notebook, the
exercise, the outcome, the hint of a known mistake (a fixed text of the course), the attempt number, whether
hints were seen, and the time; never the learner's code or answer values. leave_class() stops it.

Reporting never hurts a check: events go into a bounded queue that one background (daemon) thread sends,
each once, with a short timeout; a board that is down or refuses them costs the check microseconds and
prints one notice, once per session; the checker's verdict is the same with and without a board.
"""

import atexit
import json
import os
import queue
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from utils.i18n import N_, _

URL_ENV = "DL_WORKSHOP_CLASSROOM"
NAME_ENV = "DL_WORKSHOP_NAME"
CHECKER_ERROR = "checker error"
TIMEOUT_S = 2.0
QUEUE_SIZE = 200
MAX_NAME = 40
#: At the end of a session, wait at most this long for events still queued (never when the board is down).
EXIT_WAIT_S = 2.0

#: Straight to the board, never through a proxy set for the internet (the board is on the room's network).
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
#: The one notice of a session whose events are not stored, by cause.
NOTICES = {
    "refused": N_(
        "The class board refused your checks: the address {url} may be wrong. "
        "Your checks work as before; ask your instructor for the learners' address."
    ),
    "unreachable": N_(
        "The class board at {url} cannot be reached: your checks work as before, but your instructor "
        "does not see them. This notice is shown once."
    ),
}

_state = {"reporter": None, "env_tried": False, "left": False, "exit_hook": False}
_lock = threading.Lock()


def _notice(message):
    print(message, flush=True)


def clean_name(name):
    """Return the learner's name, stripped; raise ValueError unless it has 1 to 40 characters."""
    text = str(name).strip() if name is not None else ""
    if not 1 <= len(text) <= MAX_NAME or not text.isprintable():
        raise ValueError(
            _("Choose a name of 1 to {most} characters for the class board: the name your instructor sees.").format(
                most=MAX_NAME
            )
        )
    return text


def clean_url(url):
    """Return the learners' address without a trailing slash; raise ValueError unless it is an http(s) address."""
    text = str(url).strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or "/r/" not in parts.path:
        raise ValueError(
            _(
                "{url} is not a class board's address: copy the 'learners:' address your instructor shows, "
                "such as http://192.168.1.20:8765/r/ABC123."
            ).format(url=text)
        )
    return text


class Reporter:
    """Send one learner's events to a board, from a background thread, each once, never blocking a check."""

    def __init__(self, url, name):
        self.url, self.name = clean_url(url), clean_name(name)
        self.events = queue.Queue(maxsize=QUEUE_SIZE)
        self.attempts = {}
        self.trouble = None  # Why the last event was not stored: "unreachable" or "refused".
        self.told = False
        self.sent = self.dropped = 0
        self._thread = None
        self._lock = threading.Lock()

    def add(self, notebook, exercise, outcome, mistake, hints_seen):
        """Queue one check's event (dropped if the queue is full); return the notice to show, if any."""
        key = (notebook, exercise)
        self.attempts[key] = self.attempts.get(key, 0) + 1
        event = {
            "name": self.name,
            "notebook": notebook,
            "exercise": exercise,
            "outcome": outcome,
            "mistake": mistake,
            "attempt": self.attempts[key],
            "hints_seen": bool(hints_seen),
            "sent": time.time(),
        }
        self._start()
        try:
            self.events.put_nowait(event)
        except queue.Full:
            self.dropped += 1
        return self.notice()

    def notice(self):
        """Return the one notice of the session about a board that does not store the events, else None."""
        if self.trouble is None or self.told:
            return None
        self.told = True
        return _(NOTICES[self.trouble]).format(url=self.url)

    def _start(self):
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._send_all, name="class-board", daemon=True)
                self._thread.start()

    def _send_all(self):
        while True:
            event = self.events.get()
            try:
                self._send(event)
            finally:
                self.events.task_done()

    def _send(self, event):
        request = urllib.request.Request(
            self.url + "/events",
            data=json.dumps(event).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with _DIRECT.open(request, timeout=TIMEOUT_S) as response:
                response.read()
            self.sent += 1
            self.trouble = None
        except urllib.error.HTTPError as refused:
            if refused.code in (403, 404):
                self.trouble = "refused"
        except (OSError, ValueError):
            self.trouble = "unreachable"

    def flush(self, timeout=EXIT_WAIT_S):
        """Wait until every queued event was sent (or failed), at most `timeout` seconds; return True if all were."""
        deadline = time.monotonic() + timeout
        while self.events.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self.events.unfinished_tasks


def join_class(url, name):
    """Share your checks with the class board at `url` (the instructor's 'learners:' address) as `name`.

    Prints one line saying what is shared. Nothing else about you or your code is sent.
    """
    reporter = Reporter(url, name)
    with _lock:
        if not _state["exit_hook"]:
            atexit.register(_at_exit)
        _state.update(reporter=reporter, left=False, env_tried=True, exit_hook=True)
    _notice(
        _(
            "Joined the class board as {name}. Each check shares your name, the exercise, its result, "
            "the hint of a known mistake, the attempt number, whether you opened hints, and the time; "
            "never your code or your answers. leave_class() stops it."
        ).format(name=reporter.name)
    )


def leave_class():
    """Stop sharing your checks with the class board, for the rest of this session."""
    with _lock:
        _state.update(reporter=None, left=True)
    _notice(_("Left the class board: your checks are no longer shared."))


def _from_environment():
    """Join from DL_WORKSHOP_CLASSROOM and DL_WORKSHOP_NAME, once per session, if both are set."""
    _state["env_tried"] = True
    url, name = os.environ.get(URL_ENV, "").strip(), os.environ.get(NAME_ENV, "").strip()
    if not url and not name:
        return
    if not url or not name:
        missing = URL_ENV if not url else NAME_ENV
        _notice(_("Class board: {variable} is not set, so your checks are not shared.").format(variable=missing))
        return
    try:
        join_class(url, name)
    except ValueError as exc:
        _notice(_("Class board: {problem} Your checks are not shared.").format(problem=exc))


def active_reporter():
    """Return the session's Reporter, joining from the environment on the first call; None when not joined."""
    if _state["reporter"] is None and not _state["env_tried"] and not _state["left"]:
        if os.environ.get(URL_ENV) or os.environ.get(NAME_ENV):
            _from_environment()
        # Without the variables, look again next time: a notebook may set them with %env.
    return _state["reporter"]


def notebook_of(problem):
    """Return the notebook number ("04") of a course checker (utils.checks.nb04), or None for any other."""
    module = type(problem).__module__
    prefix = "utils.checks.nb"
    if module.startswith(prefix) and module[len(prefix) :].isdigit():
        return module[len(prefix) :]
    return None


def record_check(problem, outcome):
    """Report one `check` of `problem` with its outcome, if this session joined a board. Never raises.

    The named mistake is the hint of the learner's last mistake (a fixed text of the course), or None.
    """
    try:
        reporter = active_reporter()
        notebook = notebook_of(problem)
        if reporter is None or notebook is None or not isinstance(problem.number, int):
            return
        mistake = getattr(problem, "_mistake_hint", None) if outcome == "incorrect" else None
        hints_seen = bool(getattr(problem, "_shown_hints", None))
        message = reporter.add(notebook, problem.number, outcome, mistake, hints_seen)
        if message:
            _notice(message)
    except Exception:  # Reporting must never break a learner's check.
        pass


def flush(timeout=EXIT_WAIT_S):
    """Wait (at most `timeout` s) until this session's queued events are sent; return True if none is left."""
    reporter = _state["reporter"]
    return True if reporter is None else reporter.flush(timeout)


def _at_exit():
    reporter = _state["reporter"]
    if reporter is not None and reporter.trouble is None:
        reporter.flush(EXIT_WAIT_S)
