"""utils.checks.core: the placeholder, results, hints, solutions and the number helpers."""

import numpy as np
import pytest
import tensorflow as tf

from utils.checks.core import Incorrect, Problem, Result, ____, as_number, close_to, contains_blank


class AddOne(Problem):
    title = "Add one"
    hints = ("Use `+`.", "The answer is a number one larger.")
    solution_code = "answer = 41 + 1\nq.check(answer)"

    def check_answer(self, answer):
        value = as_number(answer)
        if close_to(value, 41):
            raise Incorrect("that is the number you started from: add one.")
        if not close_to(value, 42):
            raise Incorrect(f"{value:g} is not one more than 41.")


def test_blank_in_arithmetic_and_containers_is_not_attempted():
    q = AddOne(1)
    for blank in (____, ____ + 1, 2 * ____ - 3, -____, ____**2, [1, ____], {"a": ____}, ____.numpy()):
        result = q.check(blank)
        assert result.status == "not attempted", blank
        assert "Not attempted yet" in result._repr_markdown_()
    assert q.check().status == "not attempted"
    assert repr(____) == "____"
    assert contains_blank((1, (2, ____))) and not contains_blank((1, 2))


def test_correct_incorrect_and_messages_render_as_markdown():
    q = AddOne(1)
    good = q.check(42)
    assert good.correct and "Correct" in good._repr_markdown_() and "#2e7d32" in good._repr_markdown_()
    bad = q.check(41)
    assert not bad.correct and "add one" in bad.message
    assert "Incorrect" in bad._repr_markdown_() and "#c62828" in bad._repr_markdown_()
    assert "Incorrect: that is the number" in repr(bad)


def test_wrong_type_gives_friendly_incorrect_not_traceback():
    q = AddOne(1)
    result = q.check("forty-two")
    assert result.status == "incorrect" and "single number" in result.message
    result = q.check(np.ones((2, 2)))
    assert result.status == "incorrect" and "shape (2, 2)" in result.message


def test_unexpected_error_in_checking_becomes_a_message():
    class Fragile(Problem):
        def check_answer(self, answer):
            return answer.missing_attribute

    result = Fragile(2).check(object())
    assert result.status == "incorrect" and "AttributeError" in result.message


def test_hints_step_through_and_solution_shows_code():
    q = AddOne(1)
    first, second, third = q.hint(), q.hint(), q.hint()
    assert "Use `+`" in first._repr_markdown_() and "(1/2)" in first._repr_markdown_()
    assert "one larger" in second._repr_markdown_() and "(2/2)" in second._repr_markdown_()
    assert third._repr_markdown_() == second._repr_markdown_()
    assert "```python\nanswer = 41 + 1" in q.solution()._repr_markdown_()
    assert repr(q) == "Exercise 1: Add one"


def test_check_never_reveals_the_solution_text():
    q = AddOne(1)
    for wrong in (41, 7, "x"):
        assert "41 + 1" not in q.check(wrong).message


def test_as_number_accepts_numbers_arrays_and_tensors():
    assert as_number(3) == 3.0
    assert as_number(np.float32(2.5)) == 2.5
    assert as_number(np.array([[4.0]])) == 4.0
    assert as_number(tf.constant(4.0)) == 4.0
    assert as_number(tf.Variable(1.5)) == 1.5
    with pytest.raises(Incorrect, match="boolean"):
        as_number(True)
    with pytest.raises(Incorrect, match="single number"):
        as_number([1, 2])


def test_close_to_uses_tolerances():
    assert close_to(4.0000001, 4.0) and not close_to(4.01, 4.0)
    assert close_to(1e-9, 0.0)


def test_result_rejects_unknown_status():
    with pytest.raises(ValueError):
        Result("maybe")


def test_a_learner_function_that_still_returns_the_blank_is_not_attempted():
    from utils.checks.core import call_learner

    class Double(Problem):
        title = "Double it"
        hints = ("Multiply by two.",)
        solution_code = "def double(x):\n    return 2 * x\n\n\nq.check(double)"

        def check_answer(self, double):
            if call_learner(double, 3) != 6:
                raise Incorrect("double(3) should be twice 3.")

    q = Double(1)
    assert q.check(lambda x: ____).status == "not attempted"
    assert q.check(lambda x: ____ * x).status == "not attempted"
    assert q.check(lambda x: 2 * x).status == "correct"
    assert q.check(lambda x: x + 2).status == "incorrect"
