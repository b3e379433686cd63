"""The course's commands in Spanish (DL_WORKSHOP_LANG=es): the doctor, the classroom's solutions, the stick's
INSTALL.md and the class board, with English unchanged (their own tests check it byte for byte).

The doctor's full run is a subprocess (it imports TensorFlow); everything else runs here without TensorFlow.
"""

import json
import os
import re
import string
import subprocess
import sys

import pytest

from tests.test_classroom import _check_cells
from utils import ROOT, board, classroom, doctor, stick
from utils.course import NOTEBOOKS
from utils.i18n import LANG_ENV, _, read_po, untranslated

DOMAINS = ("doctor", "timings", "stick", "classroom", "board")
CATALOGS = {domain: ROOT / "utils" / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po" for domain in DOMAINS}


@pytest.fixture
def spanish(monkeypatch):
    monkeypatch.setenv(LANG_ENV, "es")


def _fields(text):
    return sorted((name, spec, conversion) for _l, name, spec, conversion in string.Formatter().parse(text) if name)


def _english_pieces(domain):
    """Return the English sentences of `domain`'s messages that its Spanish translations do not keep.

    A piece is a run of literal text between placeholders with three words or more: "is too old: TensorFlow and
    the course need Python" from "{version} is too old: ...".
    """
    pieces = set()
    for msgid, msgstr in read_po(CATALOGS[domain]).items():
        for piece in re.split(r"\{[^{}]*\}", msgid):
            piece = piece.strip(" .,:;()")
            if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3 and piece not in msgstr:
                pieces.add(piece)
    return pieces


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_spanish_message_keeps_its_placeholders(domain):
    entries = {msgid: msgstr for msgid, msgstr in read_po(CATALOGS[domain]).items() if msgid}
    assert len(entries) >= 8
    for msgid, msgstr in entries.items():
        assert msgstr and msgstr != msgid or not re.search(r"[a-z]{3} [a-z]{3}", msgid), msgid
        assert _fields(msgstr) == _fields(msgid), (msgid, msgstr)


def _doctor(language, *code):
    environment = {**os.environ, LANG_ENV: language}
    command = [sys.executable, *code] if code else [sys.executable, "-m", "utils.doctor", "--no-speed"]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_the_doctor_speaks_spanish_and_no_english_sentence_is_left():
    done = _doctor("es")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    text = done.stdout
    assert text.startswith("Comprobación previa al taller, en ") and "Comprobando Python, paquetes" in text
    assert re.search(r"^Terminado en \d+ s\.$", text, re.MULTILINE)
    assert "LISTO" in text.splitlines()[-1] or "NO ESTÁ LISTO" in text
    for topic in ("muestra de MNIST", "MNIST completo", "foto de ejemplo", "disco", "carpeta del curso", "memoria"):
        assert re.search(rf"^  \S+ +{topic} ", text, re.MULTILINE), topic
    left = sorted(piece for piece in _english_pieces("doctor") if piece in text)
    assert not left, left
    for english in ("READY", "Checking", "Done in", "training runs", "verified", "writable", "available"):
        assert english not in text, english


def test_a_bare_python_gets_its_sentence_in_spanish_too():
    """utils.i18n needs only the standard library, so the doctor translates before it checks the environment."""
    code = "import sys; sys.version_info = (3, 9, 18, 'final', 0); from utils.doctor import main; sys.exit(main([]))"
    done = _doctor("es", "-c", code)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.startswith("NO ESTÁ LISTO: Estás usando Python 3.9, y el curso necesita Python 3.10")
    assert "Activa el entorno del curso" in done.stdout and "tensorflow" not in done.stdout


def _disk(free_bytes):
    return lambda path: type("Usage", (), {"free": free_bytes})()


def _checks_without_tensorflow():
    """Every check and verdict of the doctor that needs no TensorFlow, in fail, warn, info and ok versions."""
    checks = [doctor.check_python(version) for version in ((3, 9, 0), (3, 14, 0), (3, 12, 1))]
    checks += [doctor.check_disk([ROOT], _disk(free)) for free in (1e8, 1e9, 1e11)]
    checks += [doctor.check_writable(writable=lambda folder: False), doctor.check_writable(writable=lambda f: True)]
    measures = [(None, None), (0.5e9, 8e9), (1.5e9, None), (6e9, 8e9)]
    checks += [doctor.check_memory(measure=lambda measured=measured: measured) for measured in measures]
    checks += [doctor.check_package("numpy", "0.0.1"), doctor.check_package("no-such-package-here", "1.0")]
    checks.append(doctor.check_package("jupyterlab", "0.0.1", in_colab=True))
    return checks


def test_the_doctors_checks_and_verdicts_have_no_message_left_in_english(spanish):
    with untranslated() as missing:
        checks = _checks_without_tensorflow()
        lines = [doctor.format_check(check) for check in checks]
        fails = [check for check in checks if check.verdict == "fail"]
        warns = [check for check in checks if check.verdict == "warn"]
        lines += [
            doctor.summary(fails[:2]),
            doctor.summary(fails[:1]),
            doctor.summary(warns[:1]),
            doctor.summary(warns),
        ]
        lines.append(doctor.summary(checks[2:3]))
        lines += [doctor.format_range(seconds) for seconds in (30, 90, 200, 3000)]
        found, imports = (lambda module: True), (lambda module: None)
        lines.append(doctor.environment_problem((3, 12, 1), lambda module: module == "numpy", imports))
        lines.append(doctor.environment_problem((3, 12, 1), lambda module: False, imports))
        lines.append(doctor.environment_problem((3, 12, 1), found, lambda module: "ImportError: no numpy"))
    assert not missing, missing
    text = "\n".join(lines)
    assert "  FALLO  disco " in text and "  aviso  memoria " in text and "NO ESTÁ LISTO: 2 problemas" in text
    assert "NO ESTÁ LISTO: 1 problema impediría" in text and "LISTO, con 1 aviso" in text
    assert re.search(r"LISTO, con \d avisos", text) and "LISTO: este equipo tiene todo" in text
    assert "No se encuentran NumPy ni TensorFlow" in text and "No se encuentra TensorFlow" in text
    left = sorted(piece for piece in _english_pieces("doctor") if piece in text)
    assert not left, left


def test_the_verdict_column_fits_the_longest_word_in_each_language(spanish, monkeypatch):
    fail = doctor.Check("fail", "disk", "full", "free some space")
    assert doctor.format_check(fail).startswith("  FALLO  disk ")
    monkeypatch.setenv(LANG_ENV, "en")
    assert doctor.format_check(fail).startswith("  FAIL  disk ")
    assert doctor.format_check(doctor.Check("ok", "disk", "fine")).startswith("  ok    disk ")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda notebook: notebook.number)
def test_spanish_solutions_take_each_task_from_the_spanish_notebook(spanish, notebook):
    with untranslated() as missing:
        text = classroom.solutions_markdown(notebook)
    assert not missing, missing
    assert text.startswith(f"## {notebook.number} · ") and f"(notebooks/es/{notebook.stem_es}.ipynb)" in text
    first = json.loads(notebook.path_in("es").read_text(encoding="utf-8"))["cells"][0]["source"]
    assert text.splitlines()[0].split(" (")[0] == "".join(first).splitlines()[0].replace("# ", "## ", 1)
    exercises = re.split(r"^### Ejercicio \d+: ", text, flags=re.MULTILINE)[1:]
    problems = classroom.exercise_problems(notebook)
    assert len(exercises) == len(problems) and "### Exercise" not in text and "**Task**" not in text
    spanish_cells = _check_cells(notebook.edition("es"))  # Read from the Spanish notebook, apart from the command.
    for (number, problem), section in zip(problems.items(), exercises, strict=True):
        task, solution = section.split("**Solución**", 1)
        assert "**Enunciado**" in task and spanish_cells[number] in task
        assert "## Exercises" not in task and "Ejercicio" in task
        assert _(problem.solution_code).strip() in solution


def test_the_solutions_comments_are_spanish(monkeypatch):
    monkeypatch.setenv(LANG_ENV, "en")
    problems = [problem for notebook in NOTEBOOKS for problem in classroom.exercise_problems(notebook).values()]
    english = [problem.solution_code.strip() for problem in problems]
    monkeypatch.setenv(LANG_ENV, "es")
    text = classroom.all_solutions(NOTEBOOKS)
    commented = [code for code in english if re.search(r"# .*[A-Za-z]{3} [A-Za-z]{3}", code)]
    assert len(commented) >= 10 and not [code for code in commented if code in text]


def test_the_solutions_document_switches_language_in_a_running_process(monkeypatch):
    notebook = NOTEBOOKS[3]
    monkeypatch.setenv(LANG_ENV, "es")
    spanish = classroom.all_solutions([notebook])
    monkeypatch.setenv(LANG_ENV, "en")
    english = classroom.all_solutions([notebook])
    assert spanish.startswith("# Soluciones de los ejercicios") and "no lo repartas" in spanish
    assert english.startswith("# Exercise solutions") and "(notebooks/04_cnn.ipynb)" in english
    assert classroom.find_notebook(notebook.stem_es) is notebook


def _code_blocks(markdown):
    return re.findall(r"^```\w+\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def _without_comments(block):
    return [line.split("   # ")[0] for line in block.splitlines()]


def test_install_md_in_spanish_keeps_the_exact_command_lines(monkeypatch):
    targets = [stick.parse_target(name) for name in ("linux/3.11", "windows/3.12", "macos/3.13")]
    note = "NOTE"
    monkeypatch.setenv(LANG_ENV, "es")
    with untranslated() as missing:
        spanish = stick.instructions(targets, True, "abc1234", note)
    monkeypatch.setenv(LANG_ENV, "en")
    english = stick.instructions(targets, True, "abc1234", note)
    assert not missing, missing
    assert spanish.startswith("# Instalar el curso desde esta memoria USB, sin conexión")
    assert "## Linux, Python 3.11 (TensorFlow solo para CPU)" in spanish and "macOS 14 o posterior" in spanish
    spanish_blocks, english_blocks = _code_blocks(spanish), _code_blocks(english)
    assert len(spanish_blocks) == len(english_blocks) == 3
    for es_block, en_block in zip(spanish_blocks, english_blocks, strict=True):
        assert _without_comments(es_block) == _without_comments(en_block)
        assert es_block != en_block  # The comments are translated.
    assert "donde está montada la memoria USB" in spanish and "`--no-index`" in spanish and "abc1234" in spanish
    assert "DL_WORKSHOP_LANG=es" in spanish and "notebooks/es/" in spanish


def test_the_sticks_refusals_are_spanish(spanish):
    with pytest.raises(stick.StickError, match="la última versión de TensorFlow para Mac con Intel es la 2.16.2"):
        stick.parse_target("macos-intel/3.12")
    with pytest.raises(stick.StickError, match="no es un destino válido"):
        stick.parse_target("beos/3.12")


def test_the_board_starts_in_spanish(tmp_path):
    environment = {**os.environ, LANG_ENV: "es"}
    command = [
        sys.executable,
        "-m",
        "utils.board",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--db",
        str(tmp_path / "c.db"),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        learners, instructor = process.stdout.readline(), process.stdout.readline()
        notice = process.stderr.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert re.fullmatch(r"alumnos: http://127\.0\.0\.1:\d+/r/[A-Z2-9]{6}\n", learners), learners
    assert instructor.startswith("instructor: http://127.0.0.1:") and "/board/" in instructor
    assert notice.startswith("El tablero guarda cada comprobación en ") and "Ctrl+C lo detiene" in notice


def test_the_boards_errors_are_spanish(spanish, tmp_path):
    with pytest.raises(board.BoardError, match="no existe: indica en --db"):
        board.export(tmp_path / "missing.db", tmp_path / "out.csv")
    with pytest.raises(board.BadEvent, match="el cuerpo debe ser un objeto JSON"):
        board.validate_event([], {})
