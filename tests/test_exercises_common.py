"""What every exercise of every notebook must do, whichever notebook it belongs to.

Here: each shown solution passes, a blank is "not attempted", hints step, and every declared
mistake table holds its promises. Per-notebook files (tests/test_exercises_NN.py) test what a
table does not say: other forms of a right answer, and the wrong answers a checker works out.
"""

import importlib
import inspect
import json
import os
import pkgutil
import re

import keras
import pytest

import utils.checks
from tests.exercise_helpers import assert_correct, notebook_function, run_solution
from utils import ROOT
from utils.checks.core import STRICT_ENV, NumberProblem, Problem, TextProblem, ____, _mistakes
from utils.checks.nb02 import curve_errors
from utils.course import NOTEBOOKS
from utils.data import load_mnist
from utils.env import set_seed


def _problems():
    for info in pkgutil.iter_modules(utils.checks.__path__):
        if info.name.startswith("nb"):
            module = importlib.import_module(f"utils.checks.{info.name}")
            for name, value in vars(module).items():
                if isinstance(value, Problem):
                    yield pytest.param(info.name[2:], name, value, id=f"{info.name}.{name}")


PROBLEMS = list(_problems())
#: The problems that declare a `correct_note`: what a right answer's message starts with.
NOTED = [p for p in PROBLEMS if getattr(p.values[2], "correct_note", "")]


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
    assert {notebook.number for notebook in NOTEBOOKS} <= numbers


def test_exercises_are_numbered_in_their_order():
    for number in {number for number, _, _ in (p.values for p in PROBLEMS)}:
        names = [name for n, name, _ in (p.values for p in PROBLEMS) if n == number]
        assert names == [f"q{k}" for k in range(1, len(names) + 1)], (number, names)


def _solution_names(problem_id):
    """Return the names a solution needs from the notebook's earlier cells (data, a table, a function)."""
    if problem_id == "nb02.q4":  # The notebook's table of validation errors by degree.
        return {"val_errors": {degree: val for degree, (_, val) in curve_errors().items()}}
    if problem_id == "nb03.q5":
        (x_train, y_train), (x_test, y_test) = load_mnist("sample")
        keras.utils.set_random_seed(0)
        return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    if problem_id == "nb05.q4":  # The solution trains for 5 epochs: on half the sample that takes a few seconds.
        (x_train, _), (x_test, _) = load_mnist("sample")
        compile_autoencoder = notebook_function("05_autoencoder", "compile_autoencoder")
        return {"x_train": x_train[:2000], "x_test": x_test, "compile_autoencoder": compile_autoencoder}
    if problem_id == "nb06.q2":  # The solution calls the notebook's own `convolve`.
        return {"convolve": notebook_function("06_filters", "convolve")}
    return {}


#: What a correct solution's message must say, where it says more than "well done!".
SOLUTION_SAYS = {
    "nb03.q5": "on 1,000 test digits it never saw (the first 1,000 of `x_test`)",
    "nb04.q5": "parameters",
    "nb05.q2": "any shape",
    "nb05.q3": "parameters",
    "nb05.q4": "per pixel",
}


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_the_shown_solution_passes(number, name, problem):
    problem_id = f"nb{number}.{name}"
    result = run_solution(problem, name, set_seed=set_seed, **_solution_names(problem_id))
    assert_correct(result)
    assert SOLUTION_SAYS.get(problem_id, "") in result.message
    assert not result.message.lower().startswith(("right", "correct")), result.message


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_blank_is_not_attempted(number, name, problem):
    fewest = max(_counts(problem)[0], 1)
    result = problem.check(*[____] * fewest)  # One blank per value the check call takes.
    assert result.status == "not attempted" and "Not attempted yet" in result._repr_markdown_()


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_hints_step_and_solution_shows_runnable_code(number, name, problem):
    assert problem.title and problem.hints, "every exercise needs a title and at least one hint"
    problem.reset()
    shown = [problem.hint()._repr_markdown_() for _ in problem.hints]
    assert all("Hint" in text for text in shown) and len(set(shown)) == len(problem.hints)
    assert shown[-1].count("**Hint") == len(problem.hints), "hints already shown stay visible"
    assert "That is every hint" in problem.hint()._repr_markdown_()
    problem.reset()
    assert problem.hint()._repr_markdown_().count("**Hint") == 1, "reset() forgets the hints shown"
    problem.reset()
    assert problem.solution_code in problem.solution()._repr_markdown_()
    assert problem.solution_code.strip().splitlines()[-1].startswith(f"{name}.check(")
    assert name == f"q{problem.number}", "q1 is exercise 1"


@pytest.mark.parametrize(("number", "name", "problem"), PROBLEMS)
def test_the_notebook_offers_check_hint_and_solution(number, name, problem):
    code = _notebook_code(number)
    assert f"{name}.check(" in code and f"# {name}.hint()" in code and f"# {name}.solution()" in code


@pytest.mark.parametrize(("number", "name", "problem"), NOTED)
def test_success_messages_do_not_repeat_the_label(number, name, problem):
    """The label already says "Correct": a note starting "right:" would read "Correct: right: ...".

    The shown solution's message is checked in `test_the_shown_solution_passes`; here, a declared
    `correct_note` must be what a right answer shows.
    """
    note = problem.correct_note
    assert not note.lower().startswith(("right", "correct")), note
    if isinstance(problem, NumberProblem | TextProblem):
        result = problem.check(_right_answer(problem))
    else:
        result = run_solution(problem, name, set_seed=set_seed, **_solution_names(f"nb{number}.{name}"))
    assert result.correct and result.message.startswith(note), (note, result.message)


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


# The declared mistake tables of NumberProblem and TextProblem: every mistake is reachable, none is
# accepted as correct, none is shadowed by another entry (or by the right answer), and its hint is
# the next one `hint()` shows.
TABLES = [p for p in PROBLEMS if isinstance(p.values[2], NumberProblem | TextProblem)]
MISTAKES = [
    pytest.param(problem, index, id=f"{param.id}-mistake{index}")
    for param in TABLES
    for problem in [param.values[2]]
    for index, _ in enumerate(_mistakes(problem.mistakes))
]


def _right_answer(problem):
    if isinstance(problem, TextProblem):
        return problem.answers[0]
    return problem.expected_value()


def test_every_table_checker_has_a_table():
    assert len(TABLES) >= 10 and all(_mistakes(p.values[2].mistakes) for p in TABLES)


@pytest.mark.parametrize(("number", "name", "problem"), TABLES)
def test_the_right_answer_is_not_a_declared_mistake(number, name, problem):
    assert problem.check(_right_answer(problem)).correct
    if isinstance(problem, TextProblem):
        wrong = {problem.normalise(m.answer) for m in _mistakes(problem.mistakes)}
        assert not wrong & {problem.normalise(text) for text in problem.answers}


@pytest.mark.parametrize(("problem", "index"), MISTAKES)
def test_every_declared_mistake_is_reachable_and_gets_its_own_message_and_hint(problem, index):
    mistake = _mistakes(problem.mistakes)[index]
    problem.reset()
    result = problem.check(mistake.answer)
    assert result.status == "incorrect", (mistake, result)
    assert result.message == mistake.message, f"shadowed by another entry: {result.message!r}"
    assert mistake.message.strip() and mistake.message != problem.fallback
    if mistake.hint:
        shown = problem.hint()._repr_markdown_()
        assert mistake.hint in shown and "about your last answer" in shown
    problem.reset()


@pytest.mark.parametrize("number", sorted({p.values[0] for p in PROBLEMS}))
def test_the_notebooks_check_calls_are_its_exercises_calls(number):
    """Every `qN.check(...)` line a learner runs is the call its checker names in its messages, and back."""
    lines = (line.strip() for line in _notebook_code(number).splitlines())
    calls = {line for line in lines if re.match(r"q\d+\.check\(", line)}
    assert {problem.example_call() for n, _, problem in (p.values for p in PROBLEMS) if n == number} == calls
