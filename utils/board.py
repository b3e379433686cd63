"""The live class board: where the room is stuck, on the instructor's laptop (standard library only).

    python -m utils.classroom board [--host HOST] [--port PORT] [--db FILE]
    python -m utils.classroom board --db FILE --export OUT.csv     # every event, one row each
    python -m utils.classroom board --db FILE --clear               # end a class: delete its events

The board prints two lines: `learners: URL` (the address learners join, ending in the room code) and
`instructor: URL` (the board page, ending in a secret token). Learners who join (utils.report) send one
event per `qN.check(...)`: notebook, exercise, outcome, the hint of a known mistake, the attempt number,
whether hints were seen, and a time; never their code or answers. Events are stored in SQLite (WAL mode),
committed before the board acknowledges them, so a crash or `kill -9` loses nothing acknowledged; the room
code and the token are stored too, so a restart on the same database keeps the same addresses.

Security: learners can only add events to their room (a wrong room code gets 403); the page, its data and
the HTTP export need the instructor token (random, compared in constant time); every field is validated;
more than `RATE_LIMIT` events in `RATE_WINDOW_S` seconds from one learner (room and name) get 429. Run it
on a trusted network only: the traffic is plain HTTP.
"""

import argparse
import collections
import csv
import datetime
import errno
import hmac
import http.server
import importlib
import json
import math
import os
import re
import secrets
import socket
import socketserver
import sqlite3
import sys
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from utils.i18n import N_, _

#: The first line of this module's docstring, for `python -m utils.board --help` (translated where shown).
DESCRIPTION = N_("The live class board: where the room is stuck, on the instructor's laptop (standard library only).")
DEFAULT_PORT = 8765
DEFAULT_DB = "class_board.sqlite3"
PAGE = Path(__file__).resolve().parent / "board_page.html"
MAX_BODY = 4096
MAX_NAME = 40
MAX_MISTAKE = 1000
MAX_ATTEMPT = 100_000
RATE_LIMIT = 100
RATE_WINDOW_S = 10.0
#: At most this many learners per room: a bound on the board's memory, far above a real class.
MAX_LEARNERS = 500
#: A learner is stuck on an exercise after this many wrong answers, or this long without solving it.
STUCK_WRONG = 3
STUCK_AFTER_S = 600
OUTCOMES = (
    "correct",
    "incorrect",
    "not attempted",
    "checker error",
)
WRONG = ("incorrect", "checker error")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # No 0/O, 1/I/L: read aloud and typed from a projector.
EVENT_FIELDS = ("name", "notebook", "exercise", "outcome", "mistake", "attempt", "hints_seen", "sent")
CSV_COLUMNS = ("id", "received_utc", *EVENT_FIELDS[:-1], "sent_utc")
SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    received REAL NOT NULL,
    name TEXT NOT NULL,
    notebook TEXT NOT NULL,
    exercise INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    mistake TEXT,
    attempt INTEGER NOT NULL,
    hints_seen INTEGER NOT NULL,
    sent REAL NOT NULL
);
"""


class BoardError(ValueError):
    """A board that cannot start or a file it cannot read; the message says what to do."""


class BadEvent(ValueError):
    """An event the board refuses; `status` is the HTTP status to answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


# --- The course's exercises: what an event may name -------------------------------------------------------


def exercise_catalog():
    """Return [(notebook number, exercise number, title), ...] in course order, from utils.checks.nbNN.

    The checkers' modules import NumPy only (TensorFlow is imported inside the checks that need it).
    """
    from utils.course import NOTEBOOKS

    catalog = []
    for notebook in NOTEBOOKS:
        module = importlib.import_module(f"utils.checks.nb{notebook.number}")
        numbers = sorted(
            int(name[1:])
            for name, value in vars(module).items()
            if re.fullmatch(r"q\d+", name) and hasattr(value, "check")
        )
        catalog += [(notebook.number, number, getattr(module, f"q{number}").title) for number in numbers]
    return catalog


# --- Validation of a learner's event ------------------------------------------------------------------------


def _whole(value, low, high, what):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadEvent(_("{what} must be a whole number from {low} to {high}.").format(what=what, low=low, high=high))
    return value


def clean_name(value):
    """Return a learner's name, stripped; raise BadEvent unless it is 1 to 40 printable characters."""
    if not isinstance(value, str):
        raise BadEvent(_("name must be a text."))
    name = value.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise BadEvent(_("name must have 1 to {most} characters.").format(most=MAX_NAME))
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in name):
        raise BadEvent(_("name must not hold control characters."))
    return name


def _mistake(value):
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_MISTAKE:
        raise BadEvent(_("mistake must be null or a text of 1 to {most} characters.").format(most=MAX_MISTAKE))
    return value


def _sent(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise BadEvent(_("sent must be a time in seconds since 1970."))
    return float(value)


def _flag(value):
    if not isinstance(value, bool):
        raise BadEvent(_("hints_seen must be true or false."))
    return value


def validate_event(event, exercises):
    """Return the event's values in EVENT_FIELDS order; raise BadEvent (400) for anything unexpected.

    Args:
        event: the decoded JSON body.
        exercises: {notebook number: set of exercise numbers}.
    """
    if not isinstance(event, dict):
        raise BadEvent(_("the body must be a JSON object."))
    if set(event) != set(EVENT_FIELDS):
        raise BadEvent(_("an event has exactly these fields: {fields}.").format(fields=", ".join(EVENT_FIELDS)))
    notebook = event["notebook"]
    if notebook not in exercises:
        raise BadEvent(_("unknown notebook: choose one of {notebooks}.").format(notebooks=", ".join(exercises)))
    exercise = _whole(event["exercise"], 1, max(exercises[notebook]), "exercise")
    if exercise not in exercises[notebook]:
        raise BadEvent(
            _("notebook {notebook} has no exercise {exercise}.").format(notebook=notebook, exercise=exercise)
        )
    if event["outcome"] not in OUTCOMES:
        raise BadEvent(_("outcome must be one of: {outcomes}.").format(outcomes=", ".join(OUTCOMES)))
    return (
        clean_name(event["name"]),
        notebook,
        exercise,
        event["outcome"],
        _mistake(event["mistake"]),
        _whole(event["attempt"], 1, MAX_ATTEMPT, "attempt"),
        _flag(event["hints_seen"]),
        _sent(event["sent"]),
    )


class RateLimiter:
    """Refuse a learner's flood: more than `limit` events in `window` seconds from one (room, name)."""

    def __init__(self, limit=RATE_LIMIT, window=RATE_WINDOW_S, learners=MAX_LEARNERS):
        self.limit, self.window, self.learners = limit, window, learners
        self.times = {}
        self.lock = threading.Lock()

    def allow(self, key, now=None):
        """Record one event of `key` at `now`; return False when it is one too many."""
        now = time.monotonic() if now is None else now
        with self.lock:
            times = self.times.get(key)
            if times is None:
                if len(self.times) >= self.learners:
                    self._forget_idle(now)
                if len(self.times) >= self.learners:
                    return False
                times = self.times[key] = collections.deque()
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True

    def _forget_idle(self, now):
        for key in [key for key, times in self.times.items() if not times or times[-1] <= now - self.window]:
            del self.times[key]


# --- Storage -------------------------------------------------------------------------------------------------


def connect(path):
    """Open the board's database (created if missing) in WAL mode, every commit synced to disk."""
    connection = sqlite3.connect(path, check_same_thread=False, timeout=10, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.executescript(SCHEMA)
    return connection


def open_existing(path):
    """Open a database that must already exist (export, clear): never create an empty one by mistake."""
    if not Path(path).is_file():
        raise BoardError(_("{path} does not exist: give the --db file the board was started with.").format(path=path))
    try:
        with sqlite3.connect(path) as probe:
            tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        probe.close()
    except sqlite3.DatabaseError as exc:
        tables = {str(exc)}
    if not {"events", "settings"} <= tables:
        raise BoardError(
            _("{path} is not a class board's database: give the --db file the board was started with.").format(
                path=path
            )
        )
    return connect(path)


def room_keys(connection):
    """Return (room code, instructor token), made at the first start and stored, so addresses survive restarts."""
    keys = dict(connection.execute("SELECT key, value FROM settings WHERE key IN ('room', 'token')"))
    if len(keys) < 2:
        keys = {
            "room": "".join(secrets.choice(CODE_ALPHABET) for _position in range(6)),
            "token": secrets.token_urlsafe(18),
        }
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT OR REPLACE INTO settings VALUES (?, ?)", keys.items())
        connection.execute("COMMIT")
    return keys["room"], keys["token"]


def _utc(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat(timespec="seconds")


def _spreadsheet_safe(value):
    """Keep a text a spreadsheet would run as a formula (=, +, -, @) as text, with a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(connection, stream):
    """Write every event as CSV (a header naming the columns, then one row per event); return the row count."""
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    rows = connection.execute(
        "SELECT id, received, name, notebook, exercise, outcome, mistake, attempt, hints_seen, sent "
        "FROM events ORDER BY id"
    )
    count = 0
    for row in rows:
        record = [row[0], _utc(row[1]), *row[2:8], "yes" if row[8] else "no", _utc(row[9])]
        writer.writerow([_spreadsheet_safe(value) for value in record])
        count += 1
    return count


def export(db, output):
    """Write the class's events from `db` to the CSV file `output`; return the number of events."""
    connection = open_existing(db)
    try:
        with open(output, "w", newline="", encoding="utf-8") as stream:
            return write_csv(connection, stream)
    finally:
        connection.close()


def clear(db):
    """End a class: delete its events (overwritten on disk) and make a new room code and token; return the count."""
    connection = open_existing(db)
    try:
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute("BEGIN IMMEDIATE")
        count = connection.execute("DELETE FROM events").rowcount
        connection.execute("DELETE FROM settings WHERE key IN ('room', 'token')")
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count
    finally:
        connection.close()


# --- What the board page shows --------------------------------------------------------------------------------


def mistake_label(text, width=48):
    """Return a short label for a mistake's hint: its first words, cut at a word, with … when cut."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    return flat[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _progress(connection, now):
    """Return {(name, notebook, exercise): cell} for every learner and exercise tried."""
    rows = connection.execute(
        "SELECT name, notebook, exercise, SUM(outcome != 'not attempted'), SUM(outcome IN ('incorrect', "
        "'checker error')), MAX(outcome = 'correct'), MAX(hints_seen), MIN(received) "
        "FROM events GROUP BY name, notebook, exercise"
    )
    cells = {}
    for name, notebook, exercise, attempts, wrong, solved, hints, first in rows:
        stuck = not solved and (wrong >= STUCK_WRONG or now - first >= STUCK_AFTER_S)
        state = "solved" if solved else "stuck" if stuck else "tried" if attempts else "opened"
        cells[name, notebook, exercise] = {"state": state, "attempts": attempts, "hints": bool(hints)}
    return cells


def _mistakes(connection):
    """Return {(notebook, exercise): [mistake, ...]}: how many learners made each named mistake, most first."""
    rows = connection.execute(
        "SELECT notebook, exercise, mistake, COUNT(DISTINCT name) AS learners FROM events "
        "WHERE outcome = 'incorrect' GROUP BY notebook, exercise, mistake ORDER BY learners DESC, mistake"
    )
    found = collections.defaultdict(list)
    for notebook, exercise, text, learners in rows:
        entry = {"learners": learners, "label": mistake_label(text) if text else None, "hint": text}
        found[notebook, exercise].append(entry)
    return found


def board_state(connection, catalog, now=None):
    """Return what the board page shows: the exercises with their counts and mistakes, and each learner's row."""
    now = time.time() if now is None else now
    cells = _progress(connection, now)
    mistakes = _mistakes(connection)
    learners = sorted({key[0] for key in cells}, key=str.casefold)
    exercises = []
    for notebook, number, title in catalog:
        states = [cells[name, notebook, number]["state"] for name in learners if (name, notebook, number) in cells]
        exercises.append(
            {
                "id": f"{notebook}-{number}",
                "notebook": notebook,
                "exercise": number,
                "title": title,
                "reached": len(states),
                "solved": states.count("solved"),
                "stuck": states.count("stuck"),
                "mistakes": mistakes.get((notebook, number), [])[:5],
            }
        )
    rows = [
        {"name": name, "cells": {f"{n}-{x}": cell for (who, n, x), cell in cells.items() if who == name}}
        for name in learners
    ]
    return {"now": now, "exercises": exercises, "learners": rows, "stuck_wrong": STUCK_WRONG}


# --- The HTTP server ------------------------------------------------------------------------------------------


class Board:
    """The board's state shared by the request handlers: the database, the room's keys, the rate limiter."""

    def __init__(self, db):
        self.db = str(db)
        self.connection = connect(self.db)
        self.lock = threading.Lock()
        self.room, self.token = room_keys(self.connection)
        self.catalog = exercise_catalog()
        self.exercises = collections.defaultdict(set)
        for notebook, number, _title in self.catalog:
            self.exercises[notebook].add(number)
        self.limiter = RateLimiter()
        self.page = PAGE.read_text(encoding="utf-8")

    def store(self, room, event):
        """Validate and store one event for `room`; return its id, or raise BadEvent (403, 400, 429)."""
        if not hmac.compare_digest(room.encode(), self.room.encode()):
            raise BadEvent(_(UNKNOWN_ROOM), 403)
        values = validate_event(event, self.exercises)
        if not self.limiter.allow((self.room, values[0])):
            too_many = _("more than {limit} checks in {seconds:g} s: wait a few seconds.")
            raise BadEvent(too_many.format(limit=RATE_LIMIT, seconds=RATE_WINDOW_S), 429)
        with self.lock:
            cursor = self.connection.execute(
                "INSERT INTO events (received, name, notebook, exercise, outcome, mistake, attempt, hints_seen, "
                "sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), *values),
            )
            return cursor.lastrowid

    def is_instructor(self, token):
        return hmac.compare_digest(token.encode(), self.token.encode())

    def state(self):
        with self.lock:
            return board_state(self.connection, self.catalog)

    def csv_text(self):
        import io

        stream = io.StringIO()
        with self.lock:
            write_csv(self.connection, stream)
        return stream.getvalue()


#: What a learner who opens the learners' address in a browser reads (translated where shown).
LEARNER_PAGE = N_(
    "This is the class board's address for learners.\n\n"
    "To join, run this line in a notebook (the Setup section shows it):\n\n"
    "    from utils.report import join_class\n"
    '    join_class("{url}", "your name")\n\n'
    "or set DL_WORKSHOP_CLASSROOM={url} and DL_WORKSHOP_NAME=<your name> before starting JupyterLab.\n"
    "Each check then shares your name, the exercise, its result, the hint of a known mistake, the attempt\n"
    "number, whether you opened hints, and the time: never your code or your answers.\n"
)
UNKNOWN_ROOM = N_("unknown room code: ask the instructor for the learners' address.")


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes: POST /r/CODE/events (learners); GET /r/CODE (how to join); GET /board/TOKEN[/state|/export.csv]."""

    board = None  # Set by `make_server`.
    server_version = "ClassBoard"
    sys_version = ""
    timeout = 15  # A client that sends nothing for 15 s is dropped: no thread held forever.

    def log_message(self, format, *args):  # One line per request would flood the instructor's terminal.
        pass

    def _send(self, status, body=b"", content_type="text/plain; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status, message):
        self.close_connection = True
        self._send(status, (message + "\n").encode())

    def _read_json(self):
        """Return the request's JSON body; raise BadEvent for a missing, oversized or malformed one."""
        if "json" not in self.headers.get("Content-Type", ""):
            raise BadEvent(_("send the event as application/json."), 415)
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise BadEvent(_("the request needs a Content-Length."), 411)
        if int(length) > MAX_BODY:
            raise BadEvent(_("an event is at most {most} bytes.").format(most=MAX_BODY), 413)
        try:
            return json.loads(self.rfile.read(int(length)).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise BadEvent(_("the body is not valid JSON.")) from None

    def do_POST(self):
        parts = urlsplit(self.path).path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "r" or parts[2] != "events":
            return self._refuse(404, _("not found: learners post to /r/<room code>/events."))
        try:
            self.board.store(parts[1], self._read_json())
        except BadEvent as refused:
            return self._refuse(refused.status, str(refused))
        self._send(204)

    def do_GET(self):
        parts = urlsplit(self.path).path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "r":
            return self._learner_page(parts[1])
        if len(parts) not in (2, 3) or parts[0] != "board" or not self.board.is_instructor(parts[1]):
            return self._refuse(403 if parts[0] == "board" else 404, _("not found, or a wrong instructor token."))
        views = {"": self._page, "state": self._state, "export.csv": self._export}
        view = views.get(parts[2] if len(parts) == 3 else "")
        return view() if view else self._refuse(404, _("not found."))

    def _state(self):
        self._send(200, json.dumps(self.board.state()).encode(), "application/json")

    def _export(self):
        disposition = ("Content-Disposition", 'attachment; filename="class_board.csv"')
        self._send(200, self.board.csv_text().encode(), "text/csv; charset=utf-8", [disposition])

    do_HEAD = do_GET

    def _learner_page(self, room):
        if not hmac.compare_digest(room.encode(), self.board.room.encode()):
            return self._refuse(403, _(UNKNOWN_ROOM))
        url = f"http://{self.headers.get('Host', 'this-board')}/r/{self.board.room}"
        self._send(200, _(LEARNER_PAGE).format(url=url).encode())

    def _page(self):
        nonce = secrets.token_urlsafe(12)
        body = self.board.page.replace("<script>", f'<script nonce="{nonce}">').encode()
        policy = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
            "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        self._send(200, body, "text/html; charset=utf-8", [("Content-Security-Policy", policy)])


class Server(http.server.ThreadingHTTPServer):
    """The board's HTTP server: one thread per request, the port reusable at once after a crash."""

    # SO_REUSEADDR: a restart after kill -9 gets the same port at once. Windows has no such wait, and its
    # SO_REUSEADDR would let a second board share the port: there the port is held exclusively instead.
    allow_reuse_address = os.name != "nt"
    daemon_threads = True
    request_queue_size = 128  # A whole room checking at once.

    def server_bind(self):
        if os.name == "nt":
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        socketserver.TCPServer.server_bind(self)  # Not HTTPServer's, whose reverse DNS lookup can take seconds.
        self.server_name, self.server_port = self.server_address[:2]


def make_server(host, port, db):
    """Return a bound (not yet serving) server for the board on `db`; raise BoardError if the port is taken."""
    board = Board(db)
    handler = type("BoundHandler", (Handler,), {"board": board})
    try:
        return Server((host, port), handler)
    except OSError as exc:
        board.connection.close()
        if exc.errno == errno.EADDRINUSE or getattr(exc, "winerror", None) == 10048:
            in_use = _("port {port} on {host} is in use: is a board already running? Stop it, or choose --port.")
            raise BoardError(in_use.format(port=port, host=host)) from None
        cannot = _("cannot listen on {host}:{port} ({reason}): give --host an address of this machine.")
        raise BoardError(cannot.format(host=host, port=port, reason=exc.strerror)) from None


def lan_address():
    """Return this machine's address on its local network (the interface of its default route), or 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))  # UDP: chooses a route, sends nothing.
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def urls(server):
    """Return (learners URL, instructor URL) of a bound server."""
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    board = server.RequestHandlerClass.board
    return f"http://{shown}:{port}/r/{board.room}", f"http://{shown}:{port}/board/{board.token}"


def serve(host, port, db):
    """Run the board until Ctrl+C; print the learners' and the instructor's addresses first."""
    server = make_server(host or lan_address(), port, db)
    learners, instructor = urls(server)
    print(_("learners: {url}").format(url=learners), flush=True)
    print(_("instructor: {url}").format(url=instructor), flush=True)
    if server.server_address[0].startswith("127.") and not host:
        no_network = _("No network found: only this laptop can reach the board. Connect it, or give --host.")
        print(no_network, file=sys.stderr)
    count = server.RequestHandlerClass.board.connection.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    stores = _(
        "The board stores every check in {db} ({count} events so far). Ctrl+C stops it; restart it with the same "
        "--db to keep the class."
    )
    print(stores.format(db=db, count=count), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def add_arguments(parser):
    """Add the board's options to `parser` (the `board` subcommand of utils.classroom)."""
    parser.add_argument("--host", help=_("the address to listen on (default: this laptop's address on the network)"))
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=_("default: {port}").format(port=DEFAULT_PORT))
    parser.add_argument(
        "--db", default=DEFAULT_DB, metavar="FILE", help=_("the class's database (default: {db})").format(db=DEFAULT_DB)
    )
    parser.add_argument("--export", metavar="OUT.csv", help=_("write every event of the class to a CSV file, and stop"))
    parser.add_argument("--clear", action="store_true", help=_("end a class: delete its events, and stop"))


def run(args):
    """Run the `board` subcommand: serve, or export, or clear; return the exit status."""
    if args.export and args.clear:
        raise BoardError(_("--export and --clear are two steps: export first, then clear."))
    if args.export:
        count = export(args.db, args.export)
        print(_("Wrote {count} events from {db} to {path}.").format(count=count, db=args.db, path=args.export))
        return 0
    if args.clear:
        count = clear(args.db)
        deleted = _("Deleted {count} events from {db}; the next board there gets a new room code and token.")
        print(deleted.format(count=count, db=args.db))
        return 0
    return serve(args.host, args.port, args.db)


def main(argv=None):
    """`python -m utils.board ...`: the same as `python -m utils.classroom board ...`."""
    parser = argparse.ArgumentParser(prog="python -m utils.classroom board", description=_(DESCRIPTION))
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except BoardError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")


if __name__ == "__main__":
    sys.exit(main())
