"""Every notebook follows the house anatomy, is committed clean, and its checked cells are recorded.

The Spanish notebooks (notebooks/es/) follow the same anatomy with the glossary's headings (docs/glossary.es.md);
what they share with their English twins cell by cell (ids, programs, metadata) is tests/test_translation.py's.
"""

import re
import subprocess
import sys

import nbformat
import pytest

from tests.notebook_outputs import MARKER, load_expected, outputs_file
from tests.notebooks import cells as _cells
from tests.notebooks import metadata, read
from tests.notebooks import source as _source
from utils import ROOT
from utils.course import IDENTITY_FILE, SETUP_TEMPLATE, setup_cell
from utils.course import NOTEBOOKS as COURSE

#: Every notebook the course lists: one missing from notebooks/ fails its tests.
NOTEBOOKS = [notebook.path for notebook in COURSE]
BY_NAME = {notebook.name: notebook for notebook in COURSE}
SECTIONS = ["## Overview", "## Setup", "## Exercises", "## Summary"]
MAX_CELL_LINES = 15
#: The Spanish notebooks (one missing from notebooks/es/ fails its tests), and their sections.
SPANISH = [notebook.path_in("es") for notebook in COURSE]
SPANISH_BY_NAME = {notebook.name_in("es"): notebook.edition("es") for notebook in COURSE}
SECTIONS_ES = ["## Presentación", "## Preparación del entorno", "## Ejercicios", "## Resumen"]


def _existing(path):
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} does not exist yet: the Spanish edition lists it (utils/course.py)")
    return path


def test_the_course_list_names_every_notebook_in_order():
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert on_disk == [p.name for p in NOTEBOOKS], "list every notebook in utils/course.py"
    assert [n.name for n in COURSE] == sorted(n.name for n in COURSE)
    assert [n.number for n in COURSE] == [f"{i:02d}" for i in range(1, len(COURSE) + 1)]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", n.name) for n in COURSE)
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS + SPANISH, ids=lambda p: p.stem)
def test_title_scope_and_colab_badge(path):
    first = _source(_cells(_existing(path))[0]).splitlines()
    number = path.name[:2]
    assert re.fullmatch(rf"# {number} · \S.*", first[0]), first[0]
    assert any(re.fullmatch(r"_[^_].*_|\*[^*].*\*", line.strip()) for line in first[1:4]), "an italic scope line"
    notebook = BY_NAME.get(path.name) or SPANISH_BY_NAME[path.name]
    assert notebook.colab_url in "\n".join(first), "the Colab badge points at this notebook"


@pytest.mark.parametrize("path", NOTEBOOKS + SPANISH, ids=lambda p: p.stem)
def test_sections_in_order_and_summary_links_on(path):
    sections, edition = (SECTIONS_ES, SPANISH) if path in SPANISH else (SECTIONS, NOTEBOOKS)
    headings = [
        line for c in _cells(_existing(path), "markdown") for line in _source(c).splitlines() if line.startswith("## ")
    ]
    positions = [headings.index(s) if s in headings else -1 for s in sections]
    assert -1 not in positions, f"missing one of {sections}: {headings}"
    assert positions == sorted(positions), f"sections out of order: {headings}"
    later = [p for p in edition if p.name[:2] > path.name[:2]]
    if later:
        summary = "".join(_source(c) for c in _cells(path, "markdown") if sections[-1] in _source(c))
        assert f"({later[0].name})" in summary, "the summary links to the next notebook (of the same edition)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_with_clean_metadata(path):
    assert set(metadata(path)) <= {"kernelspec", "language_info", "colab"}
    for cell in _cells(path):
        assert cell.get("metadata", {}) == {}, f"cell metadata: {cell.get('metadata')}"
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, _source(cell)[:80]


@pytest.mark.parametrize("path", NOTEBOOKS + SPANISH, ids=lambda p: p.stem)
def test_setup_cell_is_the_shared_one(path):
    setup = [_source(c) for c in _cells(_existing(path), "code")][:2]
    assert setup[0] == setup_cell(language="es" if path in SPANISH else "en"), (
        f"the first code cell is {SETUP_TEMPLATE} as rendered for {IDENTITY_FILE}: run python -m utils.course --write"
    )
    assert "quiet_tensorflow()" in setup[1] and "describe_environment()" in setup[1] and "set_seed(42)" in setup[1]
    assert "\nexplain_name_errors()" in setup[1], "each Setup turns on the NameError advice on its own line"
    assert setup[1].index("quiet_tensorflow()") < setup[1].index("import tensorflow as tf")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_are_short_and_each_is_introduced(path):
    cells = _cells(path)
    setup = [_source(c) for c in _cells(path, "code")][:2]  # Imports may run longer; they are not a lesson.
    for previous, cell in zip(cells, cells[1:], strict=False):
        if cell["cell_type"] != "code" or _source(cell) in setup:
            continue
        lines = _source(cell).splitlines()
        assert len(lines) <= MAX_CELL_LINES, f"{len(lines)} lines:\n{_source(cell)}"
        assert previous["cell_type"] == "markdown" or "check(" in _source(cell) or "hint()" in _source(cell), (
            f"no sentence before:\n{_source(cell)[:200]}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_checks_its_minimum_of_exercises(path):
    """How many; that each offers check, hint and solution is tests/test_exercises_common.py's."""
    code = "\n".join(_source(c) for c in _cells(path, "code"))
    checked = sorted(set(re.findall(r"\b(q\d+)\.check\(", code)))
    assert len(checked) >= BY_NAME[path.name].min_exercises, checked


@pytest.mark.parametrize("path", NOTEBOOKS + SPANISH, ids=lambda p: p.stem)
def test_checked_cells_have_recorded_outputs(path):
    marked = [_source(c) for c in _cells(_existing(path), "code") if MARKER in _source(c)]
    assert marked, "mark the cells with deterministic output with # NBVAL_CHECK_OUTPUT"
    expected = load_expected(path)
    missing = [source for source in marked if source not in expected]
    assert not missing, f"run `python -m tests.notebook_outputs {path}` to record:\n{missing[0]}"
    stale = set(expected) - set(marked)
    assert not stale, f"{outputs_file(path)} has outputs for cells that are gone: {sorted(stale)[0][:200]}"
    for source, outputs in expected.items():
        assert outputs, f"a checked cell that prints nothing checks nothing:\n{source}"


def test_ruff_lint_and_format_are_clean():
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        proc = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_notebooks_are_valid_nbformat():
    for path in NOTEBOOKS + [path for path in SPANISH if path.exists()]:
        nbformat.validate(read(path))  # A fresh read: validation may fill in defaults.


#: What an Exercises section says before its first exercise, per edition: its heading, where the first exercise
#: starts without a ### heading, and the words that tell a learner what to do after a kernel restart.
RESTART_ADVICE = {
    "en": (
        "## Exercises",
        "**Exercise 1",
        ("NameError: name 'q1' is not defined", "Setup cells again", "only the Setup cells"),
    ),
    "es": ("## Ejercicios", "**Ejercicio 1", ("NameError: name 'q1' is not defined", "Preparación del entorno")),
}


@pytest.mark.parametrize("path", NOTEBOOKS + SPANISH, ids=lambda p: p.stem)
def test_exercises_say_what_to_do_after_a_kernel_restart(path):
    heading, first, advice = RESTART_ADVICE["es" if path in SPANISH else "en"]
    markdown = "\n".join(_source(c) for c in _cells(_existing(path), "markdown"))
    exercises = markdown[markdown.index(heading) :]
    intro = exercises.split("###", 1)[0] if "###" in exercises else exercises.split(first, 1)[0]
    for words in advice:
        assert words in " ".join(intro.split()), words
    # "Run All Above" from an exercise would retrain every model above it: the advice names the cells needed.
    assert "JupyterLab: *Run > Run All Above*" not in exercises


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_functions_to_write_start_with_def_not_an_assignment(path):
    """`f = ____` makes the learner delete the line; a function starts as `def f(...):` / `return ____`."""
    code = "\n".join(_source(c) for c in _cells(path, "code"))
    for name in ("multiply", "mae", "conv_output_size"):
        assert not re.search(rf"^{name} = ____", code, re.MULTILINE), name
