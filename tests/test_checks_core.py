"""utils.checks.core: the placeholder, results, hints, solutions and the declarative problems."""

import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from utils import ROOT
from utils.checks.core import (
    STRICT_ENV,
    BlankUsed,
    FunctionProblem,
    Incorrect,
    NumberProblem,
    Problem,
    Result,
    TextProblem,
    ThoughtExperiment,
    ____,
    as_number,
    as_whole_number,
    call_learner,
    close_to,
    contains_blank,
    format_number,
    rounds_to,
)


class AddOne(Problem):
    title = "Add one"
    hints = ("Use `+`.", "The answer is a number one larger.")
    solution_code = "answer = 41 + 1\nq.check(answer)"

    def check_answer(self, answer):
        value = as_number(answer)
        if close_to(value, 41):
            raise Incorrect("that is the number you started from: add one.", hint="41 is where you start: add 1.")
        if not close_to(value, 42):
            raise Incorrect(f"{value:g} is not one more than 41.")


class Ratio(NumberProblem):
    """The house style's example: how much smaller is a 32-number code than a 784-pixel image?"""

    title = "Compression ratio"
    hints = ("Input size over code size.",)
    solution_code = "answer = 784 / 32\nq.check(answer)"
    expected = 784 / 32
    what = "the ratio"
    mistakes = [
        (32 / 784, "that is the inverse: input size over code size.", "Divide the larger number by the smaller."),
        (784 - 32, "that is a difference; a ratio divides."),
    ]


def test_blank_in_arithmetic_and_containers_is_not_attempted():
    q = AddOne(1)
    for blank in (____, ____ + 1, 2 * ____ - 3, -____, ____**2, [1, ____], {"a": ____}, ____.numpy(), ____ > 2):
        result = q.check(blank)
        assert result.status == "not attempted", blank
        assert "Not attempted yet" in result._repr_markdown_()
    assert q.check().status == "not attempted"
    assert repr(____) == "____" and f"{____:.2f}" == "____"
    assert contains_blank((1, (2, ____))) and not contains_blank((1, 2))


@pytest.mark.parametrize(
    "use",
    [
        lambda: [x for x in ____],
        lambda: sum(____),
        lambda: len(____),
        lambda: list(____),
        lambda: max(____),
        lambda: sorted(____),
        lambda: 3 in ____,
        lambda: np.asarray(____),
        lambda: np.array([1, 2]) + np.asarray(____),
        lambda: float(____),
        lambda: int(____),
        lambda: round(____, 2),
        lambda: range(____),
        lambda: [1, 2, 3][____],
        lambda: bool(____ > 3),
        lambda: tf.constant(____),
        lambda: tf.abs(____ - 1.0),
    ],
)
def test_every_use_of_the_blank_that_needs_a_value_ends_at_once(use):
    """`for x in ____:` used to loop for ever through __getitem__; now every such use stops at once."""
    start = time.perf_counter()
    with pytest.raises(BlankUsed, match="placeholder: replace it with your answer"):
        use()
    assert time.perf_counter() - start < 1.0


def test_the_blank_error_shows_one_plain_line_in_jupyter():
    with pytest.raises(BlankUsed) as caught:
        sum(____)
    assert caught.value._render_traceback_() == [
        "Not attempted yet: `____` cannot be looped over: `____` is a placeholder: replace it with your answer, "
        "then run the cell again."
    ]


def test_a_loop_over_the_blank_in_a_real_kernel_does_not_hang():
    """What a learner types in a cell, run by IPython, ends within seconds with one plain line."""
    code = (
        "from IPython.testing.globalipapp import start_ipython\n"
        "ip = start_ipython()\n"
        "ip.run_cell('from utils.checks import ____')\n"
        "ip.run_cell('for x in ____:\\n    print(x)')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    shown = proc.stdout + proc.stderr
    assert "Not attempted yet: `____` cannot be looped over" in shown and "Traceback" not in shown


def test_a_learner_function_that_uses_the_blank_is_not_attempted():
    class Double(Problem):
        def check_answer(self, double):
            if call_learner(double, 3) != 6:
                raise Incorrect("double(3) should be twice 3.")

    q = Double(1)
    assert q.check(lambda x: ____).status == "not attempted"
    assert q.check(lambda x: ____ * x).status == "not attempted"
    assert q.check(lambda x: sum(____)).status == "not attempted"
    assert q.check(lambda x: 2 * x).status == "correct"
    assert q.check(lambda x: x + 2).status == "incorrect"
    result = q.check(lambda x: {}[x])
    assert result.status == "incorrect" and "raised `KeyError: 3`" in result.message


def test_correct_incorrect_and_messages_render_as_markdown():
    q = AddOne(1)
    good = q.check(42)
    assert good.correct and "Correct" in good._repr_markdown_() and "#2e7d32" in good._repr_markdown_()
    bad = q.check(41)
    assert not bad.correct and "add one" in bad.message
    assert "Incorrect" in bad._repr_markdown_() and "#c62828" in bad._repr_markdown_()
    assert "Incorrect: that is the number" in repr(bad)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("1216", 'you gave the text "1216"; a number is expected: remove the quotes.'),
        ("very high", 'you gave the text "very high"; a number is expected: write it with digits, without quotes.'),
        (None, "you gave `None` (nothing: did a function forget `return`?); a number is expected."),
        (True, "you gave `True`, a yes/no value; a number is expected."),
        ([1, 2], "you gave a list of 2 items; a single number is expected."),
        (np.ones((2, 2)), "you gave an array (or tensor) of shape (2, 2); a single number is expected."),
        (len, "you gave the function `len` itself (call it, or pass its result); a number is expected."),
    ],
)
def test_wrong_types_get_one_plain_message(answer, message):
    result = AddOne(1).check(answer)
    assert result.status == "incorrect" and result.message == message


def test_a_crashing_checker_fails_under_the_tests_and_apologises_to_a_learner(monkeypatch):
    class Fragile(Problem):
        def check_answer(self, answer):
            return answer.missing_attribute

    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(AttributeError):
        Fragile(2).check(object())
    monkeypatch.setenv(STRICT_ENV, "0")
    result = Fragile(2).check(object())
    assert result.status == "incorrect" and "bug in the course" in result.message and "q2.solution()" in result.message


def test_hints_accumulate_and_answer_the_last_mistake():
    q = AddOne(1)
    first = q.hint()._repr_markdown_()
    assert "**Hint 1**</span>: Use `+`." in first
    q.check(41)  # A mistake with its own hint.
    second = q.hint()._repr_markdown_()
    assert "Use `+`." in second and "**Hint 2 (about your last answer)**</span>: 41 is where you start" in second
    third = q.hint()._repr_markdown_()
    assert third.count("**Hint") == 3 and "one larger" in third
    last = q.hint()._repr_markdown_()
    assert last.count("**Hint") == 3 and "That is every hint; `q1.solution()`" in last
    assert "```python\nanswer = 41 + 1" in q.solution()._repr_markdown_()
    assert repr(q) == "Exercise 1: Add one"


def test_hint_label_is_readable():
    from utils.checks.core import HINT_COLOUR

    red, green, blue = (int(HINT_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    assert (1.05) / (luminance + 0.05) >= 4.5, "WCAG AA contrast on white"


def test_check_never_reveals_the_solution_text():
    q = AddOne(1)
    for wrong in (41, 7, "x"):
        assert "41 + 1" not in q.check(wrong).message


def test_number_problem_accepts_rounding_and_names_mistakes():
    q = Ratio(1)
    assert q.check(24.5).correct and q.check(np.float32(24.5)).correct
    rounded = q.check(24.0)  # 24.5 rounded to whole: too coarse (2 % off).
    assert rounded.status == "incorrect"
    assert q.check(24.50001).correct
    near = Ratio(1)
    near.expected = 880 / 900
    assert "You rounded: the exact value is 0.9778" in near.check(0.98).message
    assert near.check(1).status == "incorrect"
    wrong = q.check(0.041)  # The inverse, rounded.
    assert wrong.status == "incorrect" and "inverse" in wrong.message
    assert "Divide the larger" in q.hint()._repr_markdown_()
    assert "difference" in q.check(752).message
    assert "not it" in q.check(3).message


def test_number_problem_with_whole_numbers_does_not_round():
    class Count(NumberProblem):
        expected = 1216
        whole = True
        what = "the count"
        mistakes = [(1200, "the biases are missing.")]

    q = Count(1)
    assert q.check(1216).correct and q.check(1216.0).correct
    assert q.check(1216.4).status == "incorrect" and "whole number" in q.check(1216.4).message
    assert "biases" in q.check(1200).message


def test_rounds_to():
    assert rounds_to(0.98, 880 / 900) and rounds_to(0.33, 1 / 3) and rounds_to(3.14, np.pi)
    assert not rounds_to(1.0, 880 / 900) and not rounds_to(0.97, 880 / 900) and not rounds_to(3.0, np.pi)


def test_text_problem():
    class Loss(TextProblem):
        answers = ("sparse_categorical_crossentropy",)
        mistakes = [("mse", "that is a regression loss.", "Classification uses a cross-entropy.")]

    q = Loss(4)
    assert q.check(" Sparse-Categorical_Crossentropy ").correct
    assert "regression" in q.check("MSE").message and "cross-entropy" in q.hint()._repr_markdown_()
    assert "not it" in q.check("hinge").message
    assert q.check(3).message.startswith("you gave the number 3;")


def test_function_problem_names_the_rule_a_wrong_function_follows():
    class Square(FunctionProblem):
        function_name = "square"
        cases = [(2,), (3,), (-1,)]
        mistakes = [(lambda x: 2 * x, "that doubles x; squaring multiplies x by itself.", "x * x, or x ** 2")]

        def reference(self, x):
            return x * x

    q = Square(1)
    assert q.check(lambda x: x**2).correct
    doubled = q.check(lambda x: 2 * x)
    assert doubled.status == "incorrect" and "`square(3)` returned 6: that doubles x" in doubled.message
    assert "x * x" in q.hint()._repr_markdown_()
    assert "`square(2)` returned 3, which is wrong" in q.check(lambda x: x + 1).message
    assert "did you forget `return`" in q.check(lambda x: None).message
    assert q.check(lambda x: ____).status == "not attempted"
    assert q.check(5).message.startswith("you gave the number 5; the function `square` itself")


def test_thought_experiment_says_there_is_nothing_to_check():
    class Observe(ThoughtExperiment):
        solution_code = "# The edges fade as the blur grows."

    result = Observe(3).check()
    assert result.status == "thought experiment" and "q3.solution()" in result.message


def test_as_number_accepts_numbers_arrays_and_tensors():
    assert as_number(3) == 3.0
    assert as_number(np.float32(2.5)) == 2.5
    assert as_number(np.array([[4.0]])) == 4.0
    assert as_number(tf.constant(4.0)) == 4.0
    assert as_number(tf.Variable(1.5)) == 1.5
    with pytest.raises(Incorrect, match="yes/no"):
        as_number(True)
    with pytest.raises(Incorrect, match="single number"):
        as_number([1, 2])
    assert as_whole_number(np.int64(7)) == 7
    with pytest.raises(Incorrect, match="whole number"):
        as_whole_number(7.5)


def test_numbers_are_formatted_the_same_everywhere():
    assert [format_number(x) for x in (1216, 1785.884, 0.97777, 3.2e-5, 24.5)] == [
        "1,216",
        "1,785.9",
        "0.9778",
        "3.20e-05",
        "24.5",
    ]


def test_close_to_uses_tolerances():
    assert close_to(4.0000001, 4.0) and not close_to(4.01, 4.0)
    assert close_to(1e-9, 0.0)


def test_result_rejects_unknown_status():
    with pytest.raises(ValueError):
        Result("maybe")
