"""The live class board (utils.board) and the learner's side of it (utils.report), end to end on 127.0.0.1.

A real board process is started with `python -m utils.classroom board` on a free port of 127.0.0.1 (never a
LAN address), and learners report through the real checkers of notebook 03 (its number and text exercises,
which need no TensorFlow), in their own processes, as in a classroom.
"""

import concurrent.futures
import csv
import io
import json
import math
import os
import queue
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request

import pytest

from utils import ROOT, board, report
from utils.checks import ____
from utils.checks.nb03 import q1, q2, q4
from utils.course import NOTEBOOKS

START_TIMEOUT_S = 30
RIGHT_Q1 = 1 / (1 + math.exp(-0.2))
HOSTILE = "<img src=x onerror=alert(1)>"
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never through a proxy.


class RunningBoard:
    """A board process on 127.0.0.1: its two addresses, its database, and how to stop it."""

    def __init__(self, db, port, log):
        self.db, self.port = db, port
        command = [sys.executable, "-m", "utils.classroom", "board", "--host", "127.0.0.1", "--port", str(port)]
        self.process = subprocess.Popen(
            [*command, "--db", str(db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True
        )
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        try:
            self.lines = [lines.get(timeout=START_TIMEOUT_S).rstrip("\n") for _ in range(2)]
        except queue.Empty:
            self.process.kill()
            pytest.fail(f"the board printed no addresses in {START_TIMEOUT_S} s: {log.name}")
        self.learners = self.lines[0].removeprefix("learners: ")
        self.instructor = self.lines[1].removeprefix("instructor: ")
        self.events_url = self.learners + "/events"

    def kill(self, hard=True):
        """Stop the board: at once, as `kill -9` does (hard), or as Ctrl+C or a shutdown does."""
        if self.process.poll() is None:
            self.process.kill() if hard else self.process.terminate()
        self.process.wait(timeout=10)

    def count(self, where="1", *values):
        with sqlite3.connect(self.db) as connection:
            return connection.execute(f"SELECT COUNT(*) FROM events WHERE {where}", values).fetchone()[0]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_board(folder, port=None, db=None):
    """Start a board on 127.0.0.1 with its database in `folder`; return a RunningBoard."""
    folder.mkdir(parents=True, exist_ok=True)
    log = open(folder / f"board-{time.monotonic_ns()}.log", "w")  # noqa: SIM115 (closed with the test's files)
    return RunningBoard(db or folder / "class.sqlite3", port or free_port(), log)


def post(url, body, content_type="application/json"):
    """POST `body` (a dict, or bytes as they are); return the HTTP status."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type}, method="POST")
    try:
        with DIRECT.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def get(url):
    """GET `url`; return (status, body as text)."""
    try:
        with DIRECT.open(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def event(**changes):
    values = {
        "name": "Ada",
        "notebook": "03",
        "exercise": 1,
        "outcome": "incorrect",
        "mistake": None,
        "attempt": 1,
        "hints_seen": False,
        "sent": time.time(),
    }
    return {**values, **changes}


def catalog():
    """Every (notebook, exercise) of the course, read here from the checkers' modules: q1, q2, ..."""
    found = []
    for notebook in NOTEBOOKS:
        module = __import__(f"utils.checks.nb{notebook.number}", fromlist=["q1"])
        number = 1
        while hasattr(module, f"q{number}"):
            found.append((notebook.number, number))
            number += 1
    return found


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    running = start_board(tmp_path_factory.mktemp("board"))
    yield running
    running.kill(hard=False)


# --- Learners reporting through the real checkers, in their own processes --------------------------------------

LEARNER = textwrap.dedent(
    """
    import json, math, os, sys, time
    from utils import report
    from utils.checks import ____
    from utils.checks.nb03 import q1, q2, q4

    right_q1, right_q4 = 1 / (1 + math.exp(-0.2)), "sparse_categorical_crossentropy"
    answers = [(q1, ____), (q1, 0.2), (q1, 0.9), (q1, right_q1), (q4, "mse"), (q4, right_q4), (q2, 100)]


    def learn(name, checks, flush_s, pause_s, output):
        os.environ["DL_WORKSHOP_NAME"] = name
        sys.stdout.flush()
        os.dup2(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)  # Each learner's own screen.
        seconds = []
        for index in range(checks):
            problem, answer = answers[index % len(answers)]
            if index == 4:
                problem.hint()
            before = time.perf_counter()
            problem.check(answer)
            seconds.append(time.perf_counter() - before)
            time.sleep(pause_s)
        flushed = report.flush(flush_s)
        before = time.perf_counter()
        q2.check(101_770)  # One more check, after the others were sent (or failed): a notice shows here.
        seconds.append(time.perf_counter() - before)
        flushed = report.flush(flush_s) and flushed
        found = {"name": name, "slowest": max(seconds), "flushed": flushed, "tensorflow": "tensorflow" in sys.modules}
        print(json.dumps(found), flush=True)


    checks, flush_s, pause_s, folder = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    names = sys.argv[5:]
    if not hasattr(os, "fork"):  # Windows: one process per learner, started by the test.
        learn(names[0], checks, flush_s, pause_s, os.path.join(folder, names[0]))
    else:  # One process per learner, forked after the imports: a room of laptops, started in a second.
        children = []
        for name in names:
            child = os.fork()
            if child == 0:
                status = 1
                try:
                    learn(name, checks, flush_s, pause_s, os.path.join(folder, name))
                    status = 0
                finally:
                    os._exit(status)
            children.append(child)
        sys.exit(max(os.waitpid(child, 0)[1] for child in children) != 0)
    """
)


def run_learners(folder, names, checks, env, flush_s=60.0, pause_s=0.0):
    """Run one learner process per name, each making `checks` checks; return ({name: its result}, the notices).

    The learners are forked from one process (where os.fork exists), or started one process each.
    """
    env = {**os.environ, **env, "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, "-c", LEARNER, str(checks), str(flush_s), str(pause_s), str(folder)]
    groups = [names] if hasattr(os, "fork") else [[name] for name in names]
    processes = [
        subprocess.Popen([*command, *group], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for group in groups
    ]
    lines = []
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    for name in names:
        lines += (folder / name).read_text(encoding="utf-8").strip().splitlines()
    results = {json.loads(line)["name"]: json.loads(line) for line in lines if line.startswith("{")}
    assert sorted(results) == sorted(names)
    return results, [line for line in lines if not line.startswith("{")]


def test_twenty_learners_checking_at_once_are_all_stored_with_their_attempts_and_mistakes(live, tmp_path):
    names = [f"learner {index:02d}" for index in range(20)]
    results, notices = run_learners(tmp_path, names, 19, {"DL_WORKSHOP_CLASSROOM": live.learners})
    for result in results.values():
        assert result["flushed"] and not result["tensorflow"]
    assert len(notices) == len(names)  # The join notice, once per learner, and nothing else.
    for name, notice in zip(names, sorted(notices), strict=True):
        assert notice.startswith(f"Joined the class board as {name}.") and "never your code or your answers" in notice
    with sqlite3.connect(live.db) as connection:
        rows = connection.execute(
            "SELECT name, notebook, exercise, outcome, mistake, attempt, hints_seen FROM events "
            "WHERE name LIKE 'learner __' ORDER BY id"
        ).fetchall()
    assert len(rows) == 20 * 20
    for name in names:
        mine = [row for row in rows if row[0] == name]
        assert len(mine) == 20
        q1_rows = [row for row in mine if row[1:3] == ("03", 1)]
        assert sorted(row[5] for row in q1_rows) == list(range(1, len(q1_rows) + 1))  # Attempts 1, 2, 3, ...
        outcomes = {row[3] for row in q1_rows}
        assert outcomes == {"not attempted", "incorrect", "correct"}
        # 0.2 is the weighted sum without the sigmoid: a named mistake, sent as its fixed hint text.
        assert (q1_rows[1][3], q1_rows[1][4]) == (
            "incorrect",
            "σ(z) = 1 / (1 + e^(−z)): in NumPy, `1 / (1 + np.exp(-z))`.",
        )
        assert q1_rows[2][4] is None  # 0.9: wrong, with no named mistake.
        assert all(row[4] is None for row in mine if row[3] != "incorrect")
        q4_rows = [row for row in mine if row[1:3] == ("03", 4)]
        assert q4_rows[0][3:5] == ("incorrect", None) and q4_rows[0][6] == 1  # Hints opened before that check.


@pytest.mark.parametrize("kind", ["closed port", "silent board"])
def test_a_board_that_is_down_costs_a_learner_under_50_ms_per_check_and_one_notice(tmp_path, kind):
    with socket.socket() as silent:  # Accepts connections (the kernel does) but never answers.
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        port = silent.getsockname()[1] if kind == "silent board" else free_port()
        env = {"DL_WORKSHOP_CLASSROOM": f"http://127.0.0.1:{port}/r/ABCDEF"}
        # A pause between checks, as in a notebook; the refused connection is noticed by the last check at the
        # latest (Windows takes 2 s to refuse), while the silent board is still within its 2 s timeout.
        flush_s = 5 if kind == "closed port" else 0.2
        results, lines = run_learners(tmp_path, ["Grace"], 19, env, flush_s=flush_s, pause_s=0.05)
    result = results["Grace"]
    assert result["slowest"] < 0.050, f"{kind}: the slowest check took {result['slowest'] * 1000:.1f} ms"
    assert "Joined the class board as Grace" in lines[0]
    if kind == "closed port":  # Refused at once: the notice comes with the next check, once.
        assert len(lines) == 2 and "cannot be reached" in lines[1] and "your checks work as before" in lines[1]
    else:  # Still waiting for the 2 s timeout when the learner's 20 checks are done: no notice yet.
        assert len(lines) == 1


def test_the_verdict_is_identical_with_a_board_without_one_and_with_one_down(live, monkeypatch, capsys):
    monkeypatch.delenv(report.URL_ENV, raising=False)
    monkeypatch.delenv(report.NAME_ENV, raising=False)
    answers = [(q1, ____), (q1, 0.2), (q1, "0.5"), (q1, RIGHT_Q1), (q2, 100), (q4, "mse")]

    def verdicts():
        for problem, _answer in answers:
            problem.reset()
        shown = []
        for problem, answer in answers:
            result = problem.check(answer)
            shown.append((result.status, repr(result), result._repr_markdown_(), problem.hint()._repr_markdown_()))
        return shown

    monkeypatch.setattr(report, "_state", {"reporter": None, "env_tried": False, "left": False, "exit_hook": True})
    alone = verdicts()
    report.join_class(live.learners, "Verdict")
    with_board = verdicts()
    assert report.flush(10)
    report.join_class(f"http://127.0.0.1:{free_port()}/r/ABCDEF", "Verdict down")
    with_board_down = verdicts()
    capsys.readouterr()
    assert alone == with_board == with_board_down
    assert live.count("name = ?", "Verdict") == len(answers)


def test_without_the_variables_or_join_class_nothing_is_sent(monkeypatch):
    monkeypatch.delenv(report.URL_ENV, raising=False)
    monkeypatch.delenv(report.NAME_ENV, raising=False)
    monkeypatch.setattr(report, "_state", {"reporter": None, "env_tried": False, "left": False, "exit_hook": True})

    attempts = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise OSError("a check tried to reach the network")

    monkeypatch.setattr(report._DIRECT, "open", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert q2.check(100).status == "incorrect" and q1.check(RIGHT_Q1).status == "correct"
    assert report._state["reporter"] is None and report.active_reporter() is None
    assert report.flush(1) and attempts == []


def test_a_checker_error_is_reported_as_such_and_leave_class_stops_reporting(live, monkeypatch, capsys):
    monkeypatch.setattr(report, "_state", {"reporter": None, "env_tried": False, "left": False, "exit_hook": True})

    class Broken(type(q2)):
        __module__ = "utils.checks.nb03"

        def check_answer(self, answer):
            return 1 / 0  # A bug in a checker, not in the answer.

    broken = Broken(2)
    report.join_class(live.learners, "Broken checker")
    monkeypatch.setenv("DL_WORKSHOP_STRICT_CHECKS", "0")
    assert "checker itself failed" in repr(broken.check(1))
    monkeypatch.setenv("DL_WORKSHOP_STRICT_CHECKS", "1")
    with pytest.raises(ZeroDivisionError):
        broken.check(1)
    assert report.flush(10)
    assert live.count("name = ? AND outcome = 'checker error'", "Broken checker") == 2
    report.leave_class()
    assert "no longer shared" in capsys.readouterr().out
    q2.check(100)
    assert report.flush(10) and live.count("name = ?", "Broken checker") == 2


def test_the_environment_variables_turn_reporting_on_with_one_notice(live, monkeypatch, capsys):
    monkeypatch.setattr(report, "_state", {"reporter": None, "env_tried": False, "left": False, "exit_hook": True})
    monkeypatch.setenv(report.URL_ENV, live.learners + "/")
    monkeypatch.setenv(report.NAME_ENV, "  Env learner  ")
    q2.check(____)
    q2.check(101_770)
    assert report.flush(10)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Joined the class board as Env learner.")
    assert live.count("name = 'Env learner'") == 2
    assert live.count("name = 'Env learner' AND outcome = 'correct' AND attempt = 2") == 1


@pytest.mark.parametrize(
    ("url", "name", "words"),
    [
        ("ftp://127.0.0.1/r/ABC", "Ada", "not a class board's address"),
        ("http://127.0.0.1:8765/board/token", "Ada", "not a class board's address"),
        ("http://127.0.0.1:8765/r/ABC", "", "1 to 40"),
        ("http://127.0.0.1:8765/r/ABC", "x" * 41, "1 to 40"),
    ],
)
def test_join_class_refuses_a_wrong_address_or_name_in_plain_words(url, name, words):
    with pytest.raises(ValueError, match=words):
        report.join_class(url, name)


# --- Storage: kill -9, restart, export, clear ------------------------------------------------------------------


def test_kill_9_and_a_restart_lose_nothing_acknowledged_and_keep_the_addresses(tmp_path):
    first = start_board(tmp_path)
    acknowledged = sum(
        post(first.events_url, event(name=f"k{index % 7}", attempt=index + 1)) == 204 for index in range(60)
    )
    first.kill(hard=True)
    started = time.monotonic()
    second = start_board(tmp_path, port=first.port, db=first.db)
    restart_s = time.monotonic() - started
    try:
        assert acknowledged == 60 and second.count() == 60
        assert second.lines == first.lines  # The same room code and token: learners and the page carry on.
        assert restart_s < 10
        assert post(second.events_url, event(name="after restart")) == 204
        status, state = get(second.instructor + "/state")
        assert status == 200 and len(json.loads(state)["learners"]) == 8
    finally:
        second.kill(hard=False)


def test_export_while_the_board_runs_and_over_http_with_the_token_then_clear_ends_the_class(tmp_path):
    running = start_board(tmp_path)
    try:
        for name in ("Ada", "=HYPERLINK(1)", HOSTILE):
            assert post(running.events_url, event(name=name, outcome="correct", attempt=2, hints_seen=True)) == 204
        out = tmp_path / "class.csv"
        command = [sys.executable, "-m", "utils.classroom", "board", "--db", str(running.db), "--export", str(out)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "Wrote 3 events" in done.stdout
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert [row["name"] for row in rows] == ["Ada", "'=HYPERLINK(1)", HOSTILE]  # No formula for a spreadsheet.
        assert rows[0]["notebook"] == "03" and rows[0]["outcome"] == "correct" and rows[0]["hints_seen"] == "yes"
        assert set(rows[0]) >= {"name", "notebook", "exercise", "outcome", "mistake", "attempt", "received_utc"}
        status, text = get(running.instructor + "/export.csv")
        assert status == 200 and list(csv.DictReader(io.StringIO(text))) == rows
        assert get(running.instructor[:-3] + "xyz/export.csv")[0] == 403
    finally:
        running.kill(hard=False)
    command = [sys.executable, "-m", "utils.classroom", "board", "--db", str(running.db), "--clear"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Deleted 3 events" in done.stdout
    assert running.count() == 0
    assert HOSTILE.encode() not in b"".join(path.read_bytes() for path in tmp_path.glob("class.sqlite3*"))
    again = start_board(tmp_path, port=running.port, db=running.db)
    again.kill(hard=False)
    assert again.lines != running.lines  # A new class: a new room code and token.


def test_export_or_clear_of_a_missing_or_foreign_file_says_what_to_give(tmp_path):
    missing = tmp_path / "no.sqlite3"
    with pytest.raises(board.BoardError, match="does not exist: give the --db file"):
        board.export(missing, tmp_path / "x.csv")
    assert not missing.exists()
    (tmp_path / "notes.txt").write_text("not a database")
    with sqlite3.connect(tmp_path / "other.sqlite3") as other:
        other.execute("CREATE TABLE marks (name TEXT)")
    other.close()
    for foreign in ("notes.txt", "other.sqlite3"):
        with pytest.raises(board.BoardError, match="is not a class board's database"):
            board.clear(tmp_path / foreign)
    assert (tmp_path / "notes.txt").read_text() == "not a database"
    command = [sys.executable, "-m", "utils.classroom", "board", "--db", str(missing), "--export", "x.csv"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "does not exist: give the --db file" in done.stderr


def test_a_second_board_on_a_busy_port_says_so(live, tmp_path):
    command = [sys.executable, "-m", "utils.classroom", "board", "--host", "127.0.0.1", "--port", str(live.port)]
    done = subprocess.run([*command, "--db", str(tmp_path / "b.sqlite3")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "is in use: is a board already running?" in done.stderr


# --- Security and bad input -----------------------------------------------------------------------------------


def test_the_board_prints_two_addresses_on_127_0_0_1_and_loads_no_tensorflow(live):
    assert live.learners.startswith(f"http://127.0.0.1:{live.port}/r/") and len(live.learners.rsplit("/", 1)[1]) == 6
    assert live.instructor.startswith(f"http://127.0.0.1:{live.port}/board/")
    code = "import sys, utils.board as b; b.Board(sys.argv[1]); print('tensorflow' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code, str(live.db)], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_a_wrong_room_code_is_refused_and_stores_nothing(live):
    before = live.count()
    wrong = live.learners[:-6] + "ZZZZZZ"
    assert post(wrong + "/events", event(name="intruder")) == 403
    assert get(wrong)[0] == 403
    assert live.count() == before
    status, text = get(live.learners)
    assert status == 200 and "join_class" in text and "never your code" in text


def test_the_page_its_data_and_the_export_need_the_instructor_token(live):
    wrong = live.instructor[:-4] + "abcd"
    for suffix in ("", "/state", "/export.csv"):
        assert get(wrong + suffix)[0] == 403
        assert get(live.instructor + suffix)[0] == 200
    assert get(f"http://127.0.0.1:{live.port}/board")[0] == 403
    with DIRECT.open(live.instructor, timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'nonce-" in policy and response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"x" * (board.MAX_BODY + 1), "application/json", 413),
        (b'{"name": "Ada", ', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (json.dumps(event(name="form")).encode(), "text/plain", 415),
    ],
    ids=["oversized", "malformed", "not utf-8", "not an object", "not json"],
)
def test_oversized_and_malformed_bodies_are_refused(live, body, content_type, status):
    before = live.count()
    assert post(live.events_url, body, content_type) == status
    assert live.count() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"notebook": "07"},
        {"notebook": 3},
        {"exercise": 0},
        {"exercise": 5, "notebook": "01"},
        {"exercise": True},
        {"outcome": "passed"},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 41},
        {"name": "tab\tname"},
        {"name": 42},
        {"attempt": 0},
        {"attempt": 1.5},
        {"hints_seen": "yes"},
        {"mistake": "m" * 1001},
        {"mistake": 7},
        {"sent": "now"},
        {"code": "model = keras.Sequential()"},  # A field the board does not know: never stored.
    ],
    ids=lambda changes: ",".join(f"{key}={str(value)[:12]!r}" for key, value in changes.items()),
)
def test_every_field_is_validated_and_bad_events_are_never_stored(live, changes):
    before = live.count()
    assert post(live.events_url, event(**changes)) == 400
    assert live.count() == before


def test_every_exercise_of_every_notebook_every_outcome_and_names_of_1_to_40_characters_are_accepted(live):
    for notebook, number in catalog():
        assert post(live.events_url, event(name="Catalog", notebook=notebook, exercise=number)) == 204
    for outcome in board.OUTCOMES:
        assert post(live.events_url, event(name="Outcomes", outcome=outcome)) == 204
    for name in ("A", "é" * 40, HOSTILE, "  padded  "):
        assert post(live.events_url, event(name=name)) == 204
    assert live.count("name = 'Catalog'") == len(catalog()) == sum(nb.min_exercises for nb in NOTEBOOKS)
    assert live.count("name = 'padded'") == 1


def test_a_flood_from_one_learner_gets_429_but_twenty_checks_in_a_second_all_pass(live):
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        quick = list(pool.map(lambda i: post(live.events_url, event(name="Quick", attempt=i + 1)), range(20)))
    assert quick == [204] * 20 and live.count("name = 'Quick'") == 20
    flood = [post(live.events_url, event(name="Flood", attempt=i + 1)) for i in range(board.RATE_LIMIT + 5)]
    assert flood[: board.RATE_LIMIT] == [204] * board.RATE_LIMIT and flood[board.RATE_LIMIT :] == [429] * 5
    assert live.count("name = 'Flood'") == board.RATE_LIMIT
    assert post(live.events_url, event(name="Not the flood")) == 204  # By name, not by address.


def test_the_rate_limiter_forgets_after_its_window():
    limiter = board.RateLimiter(limit=3, window=10, learners=2)
    assert [limiter.allow("a", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("a", now=10.5) and limiter.allow("b", now=10.5)
    assert not limiter.allow("c", now=10.6)  # A full room of names that are all active.
    assert limiter.allow("c", now=30)  # Idle names are forgotten.


def test_the_board_state_counts_solved_and_stuck_and_ranks_named_mistakes(tmp_path):
    room = board.Board(tmp_path / "state.sqlite3")
    hint = "σ(z) = 1 / (1 + e^(−z)): in NumPy, `1 / (1 + np.exp(-z))`."
    for name in ("S1", "S2", "S3"):
        for attempt in (1, 2, 3):
            room.store(room.room, event(name=name, notebook="06", exercise=3, attempt=attempt, mistake=hint))
    room.store(room.room, event(name="S1", notebook="06", exercise=3, attempt=4, outcome="correct"))
    room.store(room.room, event(name="S4", notebook="06", exercise=3, outcome="not attempted"))
    room.store(room.room, event(name="S4", notebook="06", exercise=3, attempt=2, mistake=None))
    state = room.state()
    exercise = next(e for e in state["exercises"] if e["id"] == "06-3")
    assert (exercise["reached"], exercise["solved"], exercise["stuck"]) == (4, 1, 2)
    assert exercise["mistakes"] == [
        {"learners": 3, "label": board.mistake_label(hint), "hint": hint},
        {"learners": 1, "label": None, "hint": None},  # A wrong answer with no named mistake.
    ]
    assert board.mistake_label(hint) == "σ(z) = 1 / (1 + e^(−z)): in NumPy, `1 / (1 +…"
    cells = {learner["name"]: learner["cells"]["06-3"] for learner in state["learners"]}
    assert cells["S2"] == {"state": "stuck", "attempts": 3, "hints": False}
    assert cells["S4"] == {"state": "tried", "attempts": 1, "hints": False}
    assert [e["id"] for e in state["exercises"]] == [f"{n}-{x}" for n, x in catalog()]  # Course order.
    later = board.board_state(room.connection, room.catalog, now=time.time() + board.STUCK_AFTER_S)
    assert next(e for e in later["exercises"] if e["id"] == "06-3")["stuck"] == 3  # Ten minutes without solving.
    with pytest.raises(board.BadEvent) as refused:
        room.store("WRONG1", event())
    assert refused.value.status == 403


def test_the_notices_speak_the_learners_language(monkeypatch, capsys):
    monkeypatch.setattr(report, "_state", {"reporter": None, "env_tried": False, "left": False, "exit_hook": True})
    monkeypatch.setenv("DL_WORKSHOP_LANG", "es")
    report.join_class(f"http://127.0.0.1:{free_port()}/r/ABCDEF", "Ana")
    assert capsys.readouterr().out.startswith("Te has unido al tablero de la clase como Ana.")
    with pytest.raises(ValueError, match="Elige un nombre de 1 a 40 caracteres"):
        report.join_class(f"http://127.0.0.1:{free_port()}/r/ABCDEF", "")
