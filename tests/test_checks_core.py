"""utils.checks.core: the placeholder, results, hints, solutions and the declarative problems."""

import time

import numpy as np
import pytest
import tensorflow as tf

from tests.ipython_shell import run_cells
from utils.checks.core import (
    STRICT_ENV,
    BlankUsed,
    FunctionProblem,
    Incorrect,
    Mistake,
    NumberProblem,
    Problem,
    PropertyFunctionProblem,
    Result,
    TextProblem,
    ____,
    as_number,
    as_whole_number,
    call_learner,
    close_to,
    contains_blank,
    copy_for_learner,
    describe_type,
    format_number,
    number_in_order,
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
    assert q.check().status == "incorrect"  # No value at all: the call is named (see the test below).
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
    shown = run_cells("from utils.checks import ____", "for x in ____:\n    print(x)")
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


class Autoencoder(Problem):
    call_example = "q4.check(small_autoencoder, x_test, small_mse)"

    def check_answer(self, model, digits, answer):
        return "ok"


class Model(Problem):
    def check_answer(self, model, x_test=None, y_test=None):
        return "ok"


@pytest.mark.parametrize("strict", ["1", "0"])
def test_the_wrong_number_of_values_names_the_call_and_never_raises(monkeypatch, strict):
    monkeypatch.setenv(STRICT_ENV, strict)
    q = Autoencoder(4)
    expected = "`q4.check` takes three values: `q4.check(small_autoencoder, x_test, small_mse)`"
    for answers in [(), (1,), (1, 2), (1, 2, 3, 4)]:
        result = q.check(*answers)
        assert result.status == "incorrect" and result.message.startswith(expected), result.message
    assert "(you gave two)" in q.check(1, 2).message and "(you gave none)" in q.check().message
    assert q.check(1, 2, 3).correct
    assert "(you gave two)" in q.check(1, ____).message  # A wrong count is said before a blank...
    assert q.check(____).status == "not attempted"  # ... once something is written.


def test_without_call_example_the_call_is_built_from_check_answer():
    q = Model(5)
    assert q.check(1).correct and q.check(1, 2, 3).correct and q.check(1, x_test=2).correct
    many = q.check(1, 2, 3, 4)
    assert many.message == "`q5.check` takes one to three values: `q5.check(model, x_test, y_test)` (you gave four)."
    assert "takes one value: `q1.check(answer)` (you gave two)" in AddOne(1).check(41, 1).message
    named = AddOne(1).check(result=42)
    assert (
        named.status == "incorrect" and "takes one value, in order, without names: `q1.check(answer)`" in named.message
    )
    assert AddOne(1).check(answer=42).correct

    class Optional(Problem):
        def check_answer(self, a=1, b=2):
            return "ok"

    assert Optional(2).check(1, 2, 3).message == "`q2.check` takes up to two values: `q2.check(a, b)` (you gave three)."


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


def test_numbers_typed_as_text_are_told_to_remove_the_quotes():
    as_texts = [["-1", "0", "1"], ["-2", "0", "2"]]
    assert describe_type(as_texts) == 'a list holding texts ("-1", "0", "1", ...)'
    assert describe_type(np.array(["1", "2"])) == 'an array of texts ("1", "2")'
    assert AddOne(1).check(as_texts).message.endswith("remove the quotes around each number.")
    assert AddOne(1).check(["42"]).message.endswith("remove the quotes.")
    assert AddOne(1).check("[1, 2.5]").message.endswith("remove the quotes.")
    assert AddOne(1).check(["one", "two"]).message.endswith("a single number is expected.")
    assert AddOne(1).check("[1, 'a']").message.endswith("write it with digits, without quotes.")


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


def test_reset_forgets_the_hints_shown_and_the_last_mistake():
    q = AddOne(1)
    q.check(41)
    assert "about your last answer" in q.hint()._repr_markdown_()
    q.reset()
    fresh = q.hint()._repr_markdown_()
    assert fresh.count("**Hint") == 1 and "**Hint 1**</span>: Use `+`." in fresh and "about your last" not in fresh


def test_number_in_order_numbers_the_exercises_from_one():
    q1, q2 = number_in_order(AddOne, AddOne)
    assert (q1.number, q2.number) == (1, 2) and q1 is not q2
    assert repr(q2) == "Exercise 2: Add one" and q2.example_call() == "q2.check(answer)"
    assert "`q2.check` takes one value" in q2.check(1, 2).message
    assert number_in_order() == []


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
    # Two significant digits, to the nearest, are a sensible rounding: 24.5 gives 25, or 24 (a tie).
    assert q.check(25).correct and q.check(24.0).correct
    assert q.check(23).status == "incorrect"
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


class Normalise(FunctionProblem):
    """A function of a list and an array: a learner may change both in place."""

    function_name = "normalise"
    cases = [([1.0, 2.0, 3.0], np.array([2.0, 4.0])), ([5.0], np.array([1.0]))]

    def reference(self, values, scale):
        return sum(values) / scale.sum()


def test_function_problem_hands_copies_to_the_learner():
    q = Normalise(1)
    before = [([*values], scale.copy()) for values, scale in q.cases]

    def in_place(values, scale):
        values.append(100.0)
        scale *= 0
        scale += 1
        return sum(values) / scale.sum()

    assert q.check(in_place).status == "incorrect"
    assert [(values, scale.tolist()) for values, scale in q.cases] == [(v, s.tolist()) for v, s in before]
    # The next attempts are judged on the checker's own data, unchanged: the right answer passes,
    # and the one that would be right on the changed data does not.
    assert q.check(lambda values, scale: sum(values) / scale.sum()).correct
    assert q.check(lambda values, scale: (sum(values) + 100) / len(scale)).status == "incorrect"


class Grid(FunctionProblem):
    """An array function, judged padding by padding, with a hook for what the table cannot name."""

    function_name = "grid"
    cases = [(2, "even"), (3, "odd"), (4, "even")]
    mistakes = [Mistake(lambda n, kind: np.zeros((n, n)), "the grid is empty.")]

    def reference(self, n, kind):
        return np.ones((n, n)) * (2 if kind == "even" else 1)

    def group(self, args):
        return args[1]

    def fallback_for(self, group):
        return f"check the {group} sizes.", f"Hint for {group}."

    def unlisted_mistakes(self, wrong):
        if all(np.all(got < 0) for _, _, got in wrong):
            raise Incorrect("the signs are flipped.")

    def after_cases(self, function):
        if getattr(function, "lazy", False):
            raise Incorrect("right values, but the task asks for more.")


def test_function_problem_runs_one_template_in_order():
    q = Grid(1)
    assert q.check(lambda n, kind: np.ones((n, n)) * (2 if kind == "even" else 1)).correct
    # The shape is checked first, case by case, with the extra-axes advice shared by every array exercise.
    assert "returned an array of shape (2, 2, 1), which is the wrong shape: it has extra axes" in (
        q.check(lambda n, kind: np.ones((n, n, 1))).message
    )
    assert (
        "returned an array of shape (3,)" in q.check(lambda n, kind: np.ones(n) if n == 3 else np.ones((n, n))).message
    )
    assert ": the grid is empty." in q.check(lambda n, kind: np.zeros((n, n))).message
    assert "the signs are flipped" in q.check(lambda n, kind: -np.ones((n, n))).message
    # Groups are judged in the order of their first case; the fallback and its hint come from the group.
    odd_wrong = q.check(lambda n, kind: np.ones((n, n)) * 2)
    assert "`grid(3, 'odd')` returned" in odd_wrong.message and "check the odd sizes" in odd_wrong.message
    assert "Hint for odd" in q.hint()._repr_markdown_()

    def lazy(n, kind):
        return np.ones((n, n)) * (2 if kind == "even" else 1)

    lazy.lazy = True
    assert "asks for more" in q.check(lazy).message


def test_property_function_problem_hands_copies_and_reports_changes():
    class Double(PropertyFunctionProblem):
        function_name = "double"

        def check_answer(self, function):
            images = np.ones((2, 2))
            result = self.call(function, images)
            if not np.allclose(result, 2 * images):
                raise Incorrect("not doubled.")

    q = Double(1)
    assert q.check(lambda x: x * 2).correct

    def in_place(x):
        x *= 2
        return x

    assert "changed the array it was given" in q.check(in_place).message
    assert "did you forget `return`" in q.check(lambda x: None).message
    assert "an array of numbers is expected" in q.check(lambda x: "two").message


def test_copy_for_learner():
    nested = [np.zeros(2), {"a": [1, 2]}]
    copied = copy_for_learner(nested)
    copied[0] += 1
    copied[1]["a"].append(3)
    assert nested[0].tolist() == [0, 0] and nested[1]["a"] == [1, 2]
    tensor = tf.constant([1.0])
    assert copy_for_learner(tensor) is tensor and copy_for_learner(3) == 3
    variable = tf.Variable([1.0])
    copy_for_learner(variable).assign([5.0])
    assert variable.numpy().tolist() == [1.0]


def test_call_learner_says_what_to_do_about_known_errors():
    def box(size):
        return np.ones(size, size)

    with pytest.raises(Incorrect, match=r"raised `TypeError: Cannot interpret '3' as a data type`: pass the shape"):
        call_learner(box, 3, call="`box(3)`")
    own = ((TypeError, "as a data type", "write `np.ones((size, size))`"),)
    with pytest.raises(Incorrect, match=r"data type`: write `np.ones\(\(size, size\)\)`\.$"):
        call_learner(box, 3, call="`box(3)`", advice=own)

    def uses_a_missing_name(x):
        return convolve(x)  # noqa: F821 - a function defined in a cell the learner did not run.

    with pytest.raises(Incorrect, match="`convolve` is not defined where your function runs: run the cell"):
        call_learner(uses_a_missing_name, 1)
    with pytest.raises(Incorrect, match=r"raised `ValueError: bad`\.$"):  # An unknown error: no advice.
        call_learner(lambda x: (_ for _ in ()).throw(ValueError("bad")), 1)


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
