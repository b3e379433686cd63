"""What every exercise of every notebook must do, whichever notebook it belongs to.

Per-notebook files (tests/test_exercises_NN.py) test that each solution passes and that the
typical wrong answers get their own helpful message.
"""

import importlib
import inspect
import json
import os
import pkgutil

import pytest

import utils.checks
from utils import ROOT
from utils.checks.core import STRICT_ENV, Problem, ____
from utils.course import existing_notebooks


def _problems():
    for info in pkgutil.iter_modules(utils.checks.__path__):
        if info.name.startswith("nb"):
            module = importlib.import_module(f"utils.checks.{info.name}")
            for name, value in vars(module).items():
                if isinstance(value, Problem):
                    yield pytest.param(info.name[2:], name, value, id=f"{info.name}.{name}")


PROBLEMS = list(_problems())


def _notebook_code(number):
    (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _counts(problem):
    """Return the fewest and the most values `problem.check` takes, read from `check_answer`."""
    parameters = [
        p
        for p in inspect.signature(problem.check_answer).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return sum(1 for p in parameters if p.default is p.empty), len(parameters)


def test_every_notebook_has_its_exercises():
    numbers = {number for number, _, _ in (p.values for p in PROBLEMS)}
    assert {notebook.number for notebook in existing_notebooks()} <= numbers


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_blank_is_not_attempted(number, name, problem):
    fewest = max(_counts(problem)[0], 1)
    result = problem.check(*[____] * fewest)  # One blank per value the check call takes.
    assert result.status == "not attempted" and "Not attempted yet" in result._repr_markdown_()


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_hints_step_and_solution_shows_runnable_code(number, name, problem):
    assert problem.title and problem.hints, "every exercise needs a title and at least one hint"
    problem._shown_hints.clear()
    shown = [problem.hint()._repr_markdown_() for _ in problem.hints]
    assert all("Hint" in text for text in shown) and len(set(shown)) == len(problem.hints)
    assert shown[-1].count("**Hint") == len(problem.hints), "hints already shown stay visible"
    problem._shown_hints.clear()
    assert problem.solution_code in problem.solution()._repr_markdown_()
    assert problem.solution_code.strip().splitlines()[-1].startswith(f"{name}.check(")
    assert name == f"q{problem.number}", "q1 is exercise 1"


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_the_notebook_offers_check_hint_and_solution(number, name, problem):
    code = _notebook_code(number)
    assert f"{name}.check(" in code and f"# {name}.hint()" in code and f"# {name}.solution()" in code


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_success_messages_do_not_repeat_the_label(number, name, problem):
    """The label already says "Correct": a note starting "right:" would read "Correct: right: ..."."""
    for attribute in ("correct_note",):
        note = getattr(problem, attribute, "") or ""
        assert not note.lower().startswith(("right", "correct")), note


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_the_wrong_number_of_values_names_the_call(number, name, problem):
    """Too many or too few values: an Incorrect that shows the call, never a crash (strict mode is on)."""
    fewest, most = _counts(problem)
    assert os.environ.get(STRICT_ENV) == "1"
    example = problem.example_call()
    assert example.startswith(f"{name}.check(")
    for count in {most + 1, most + 3, max(fewest - 1, 0), 0} - set(range(fewest, most + 1)):
        result = problem.check(*[0] * count)
        assert result.status == "incorrect", (count, result)
        assert f"`{name}.check` takes" in result.message and f"`{example}`" in result.message, result.message


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_the_call_example_is_the_call_the_notebook_writes(number, name, problem):
    """A problem's `call_example` is copied from its exercise cell: the notebook holds that very call."""
    if not problem.call_example:
        pytest.skip("no call_example: the call is built from check_answer's parameters")
    assert problem.call_example.startswith(f"{name}.check(")
    assert problem.call_example in _notebook_code(number)
