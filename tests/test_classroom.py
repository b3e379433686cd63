"""utils.classroom: `python -m utils.classroom solutions`, the instructor's view of every exercise."""

import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

from utils import ROOT, classroom
from utils.course import NOTEBOOKS


def _run(capsys, *argv):
    status = classroom.main(["solutions", *argv])
    return status, capsys.readouterr()


def _check_cells(notebook):
    """The code cells of the notebook that call qN.check, by N (read here independently of the command)."""
    cells = json.loads(notebook.path.read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        text = "".join(cell["source"])
        match = re.search(r"^q(\d+)\.check\(", text, re.MULTILINE)
        if cell["cell_type"] == "code" and match:
            found[int(match.group(1))] = text.strip()
    return found


def _notebook_hashes():
    """Every file under notebooks/ (both editions: notebooks/es/ too), by its path, with its hash."""
    folder = ROOT / "notebooks"
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_every_exercise_of_every_notebook_appears_with_its_task_and_solution(capsys):
    before = _notebook_hashes()
    status, out = _run(capsys)
    assert status == 0 and out.err == ""
    text = out.out
    assert text.startswith("# Exercise solutions") and "do not hand it to learners" in text
    for notebook in NOTEBOOKS:
        section = text.split(f"## {notebook.number} · {notebook.title}", 1)[1]
        section = section.split("\n## ", 1)[0]
        problems = classroom.exercise_problems(notebook)
        checks = _check_cells(notebook)
        assert sorted(problems) == sorted(checks) == list(range(1, len(checks) + 1))
        assert len(checks) >= notebook.min_exercises
        exercises = re.split(r"^### Exercise \d+: ", section, flags=re.MULTILINE)[1:]
        assert len(exercises) == len(problems), notebook.stem
        for (number, problem), exercise in zip(problems.items(), exercises, strict=True):
            task, solution = exercise.split("**Solution**", 1)
            assert exercise.startswith(problem.title), (notebook.stem, number)
            assert checks[number] in task, f"{notebook.stem} exercise {number}: the cell the learner fills in"
            assert "____" in task and "____" not in solution
            assert problem.solution_code.strip() in solution
            assert len(task.split("```python")[0].split()) > 5, f"{notebook.stem} exercise {number}: its text"
    assert "Uncomment `qN.hint()`" not in text, "the section's introduction is not a task"
    assert _notebook_hashes() == before, "the notebooks are read, never written"


@pytest.mark.parametrize("name", ["04", "4", "04_cnn", "04_cnn.ipynb", "notebooks/04_cnn.ipynb"])
def test_one_notebook_by_number_stem_or_file_name(capsys, name):
    status, out = _run(capsys, name)
    assert status == 0
    assert "## 04 · Convolutional networks" in out.out
    assert out.out.count("\n## ") == 1 and out.out.count("\n### Exercise ") == 5


@pytest.mark.parametrize("name", ["07", "cnn", "04_cnns"])
def test_an_unknown_notebook_is_a_clear_error(capsys, name):
    with pytest.raises(SystemExit) as exit_:
        _run(capsys, name)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"unknown notebook {name!r}" in err and "01, 02, 03, 04, 05, 06" in err and "04_cnn" in err


def test_output_writes_the_same_markdown_to_a_file(capsys, tmp_path):
    _, shown = _run(capsys, "02")
    target = tmp_path / "solutions.md"
    target.write_text("an older copy")
    status, out = _run(capsys, "02", "--output", str(target))
    assert status == 0 and str(target) in out.out
    assert target.read_text(encoding="utf-8") == shown.out
    assert [path.name for path in tmp_path.iterdir()] == ["solutions.md"], "no temporary file is left"


def test_output_is_written_whole_or_not_at_all(capsys, tmp_path, monkeypatch):
    target = tmp_path / "solutions.md"
    target.write_text("an older copy")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)  # The rename, wherever the write happens (utils.course.write_atomically).
    with pytest.raises(SystemExit) as exit_:
        _run(capsys, "--output", str(target))
    assert exit_.value.code == 2 and "No space left on device" in capsys.readouterr().err
    assert target.read_text() == "an older copy"
    assert [path.name for path in tmp_path.iterdir()] == ["solutions.md"]


@pytest.mark.parametrize("where", ["notebooks/solutions.md", "notebooks/04_cnn.ipynb", "elsewhere.ipynb"])
def test_the_solutions_never_go_into_the_notebooks(capsys, where):
    before = _notebook_hashes()
    with pytest.raises(SystemExit):
        _run(capsys, "--output", str(ROOT / where))
    assert "never go into notebooks/" in capsys.readouterr().err
    assert _notebook_hashes() == before
    assert not (ROOT / "elsewhere.ipynb").exists()


def test_the_command_line_runs_fast_without_tensorflow(tmp_path):
    code = (
        "import json, sys, time; start = time.perf_counter()\n"
        "from utils.classroom import main\n"
        "main(['solutions', '--output', sys.argv[1]])\n"
        "print(json.dumps([time.perf_counter() - start, sorted({'tensorflow', 'keras'} & set(sys.modules))]))"
    )
    target = tmp_path / "solutions.md"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    seconds, imported = json.loads(proc.stdout.splitlines()[-1])
    assert imported == [], "the checkers import Keras only when they check an answer"
    assert seconds < 5 and target.read_text(encoding="utf-8").count("### Exercise") >= 26


def test_the_module_runs_with_python_m_and_shows_its_subcommands():
    proc = subprocess.run(
        [sys.executable, "-m", "utils.classroom", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and "solutions" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "utils.classroom"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "COMMAND" in proc.stderr
