"""Exercises of notebook 01: other forms of a right answer, and the wrong answers a checker works out."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.exercise_helpers import assert_correct, assert_incorrect, assert_not_attempted
from utils.checks import ____
from utils.checks.nb01 import q1, q2, q3, q4

# Exercise 1: a rank-3 float32 tensor of ones, shape (2, 3, 4).


def test_q1_accepts_a_variable_and_a_cast_constant():
    assert_correct(q1.check(tf.Variable(tf.ones((2, 3, 4)))))
    assert_correct(q1.check(tf.constant(np.ones((2, 3, 4)), dtype=tf.float32)))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (np.ones((2, 3, 4), dtype=np.float32), "NumPy array"),
        (tf.ones((2, 12)), "rank 2"),
        (tf.ones((4, 3, 2)), "wrong order"),
        (tf.ones((2, 3, 5)), "should be 2 images"),
        (tf.ones((2, 3, 4), dtype=tf.int32), "dtype is int32"),
        (tf.constant(np.ones((2, 3, 4))), "float64 by default"),
        (tf.zeros((2, 3, 4)), "0.0"),
        ([[1.0] * 4] * 3, "you gave a list of 3 items for `images`; a TensorFlow tensor is expected"),
    ],
)
def test_q1_typical_mistakes(answer, fragment):
    assert_incorrect(q1.check(answer), fragment)


# Exercise 2: c = a * b as a @tf.function.


def test_q2_typical_mistakes():
    assert_incorrect(q2.check(lambda a, b: a * b), "plain Python function", "@tf.function")
    assert_incorrect(q2.check(tf.function(lambda a, b: a + b)), "a + b")
    assert_incorrect(q2.check(tf.function(lambda a, b: tf.constant(8))), "multiply(3, 5)` returned 8")
    assert_incorrect(q2.check(tf.function(lambda a: a * 2)), "two arguments")
    assert_incorrect(q2.check(8), "you gave the number 8; the function `multiply` itself is expected")


def test_q2_explains_a_function_that_fails_inside_the_graph():
    result = q2.check(tf.function(lambda a, b: tf.matmul(a, b)))  # Scalars have no matrix product.
    assert_incorrect(result, "raised", "TensorFlow operations")


# Exercise 3: dy/dx of y = x³ + 5x at x = 2.


def test_q3_accepts_a_plain_number():
    assert_correct(q3.check(17.0))


@pytest.mark.parametrize(
    ("problem", "answer", "fragment"),
    [
        (q3, tf.constant(18.0), "value of y"),
        (q3, tf.constant(12.0), "derivative of x³ only"),
        (q3, None, "did not watch"),
        (q3, 42.0, "work it out by hand"),
        (q3, tf.constant([17.0, 17.0]), "single number"),
        (q3, "17", 'you gave the text "17" for `dy_dx`; a number is expected: remove the quotes'),
        (q4, tf.Variable(3.0), "not applied"),
        (q4, 0.0, "not w after one step"),
        (q4, np.array([2.2, 2.2]), "single number"),
        (q4, True, "a yes/no value"),
    ],
)
def test_mistakes_beyond_the_tables(problem, answer, fragment):
    assert_incorrect(problem.check(answer), fragment)


def test_q3_none_comes_from_an_unwatched_constant():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        y = x**3 + 5 * x
    assert_incorrect(q3.check(tape.gradient(y, x)), "did not watch")


# Exercise 4: one gradient-descent step from w = 3.


def test_q4_accepts_the_new_value_computed_without_assign():
    assert_correct(q4.check(3.0 - 0.1 * 8.0))


def test_q2_starter_cell_shape_is_not_attempted():
    """The notebook's starter: a @tf.function whose body still returns ____."""

    @tf.function
    def multiply(a, b):
        return ____

    assert_not_attempted(q2.check(multiply))

    @tf.function
    def multiply_sum(a, b):
        return tf.reduce_sum(____)

    assert_not_attempted(q2.check(multiply_sum))


# Right answers in other forms, and one wrong answer per requirement, found by probing the checkers.


@pytest.mark.parametrize(
    "build",
    [
        lambda: tf.ones([2, 3, 4]),
        lambda: tf.fill((2, 3, 4), 1.0),
        lambda: tf.constant(1.0, shape=(2, 3, 4)),
        lambda: keras.ops.ones((2, 3, 4)),
        lambda: keras.Variable(np.ones((2, 3, 4), dtype="float32")),
    ],
)
def test_q1_accepts_other_ways_of_making_the_tensor(build):
    assert_correct(q1.check(build()))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((2, 3, 4), "is the shape the tensor should have, not the tensor"),
        (tf.TensorShape((2, 3, 4)), "is the shape the tensor should have"),
        ("tf.ones((2, 3, 4))", "remove the quotes"),
    ],
)
def test_q1_names_the_shape_and_the_quoted_code(answer, fragment):
    assert_incorrect(q1.check(answer), fragment)


def test_q2_says_when_the_function_returns_nothing_or_takes_other_arguments():
    assert_incorrect(q2.check(tf.function(lambda a, b: None)), "`multiply(2, 4)` returned None", "`return`")
    result = q2.check(tf.function(lambda a, b, c: a * b))
    assert_incorrect(result, "exactly two arguments")
    assert "Received args" not in result.message  # TensorFlow's own long message is not shown.
    assert_incorrect(q2.check(tf.function(lambda a, b: a * "b")), "raised `TypeError`", "TensorFlow operations")


def test_q3_none_from_swapped_arguments_says_so():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x**3 + 5 * x
    assert_incorrect(q3.check(tape.gradient(x, y)), "swapped", "tape.gradient(y, x)")


@pytest.mark.parametrize("answer", [np.float32(17.0), [tf.constant(17.0)], tf.Variable(17.0)])
def test_q3_accepts_other_forms_of_17(answer):
    assert_correct(q3.check(answer))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [(2.0, "x itself"), (4.0, "loss before the step"), (0.16, "loss after the step")],
)
def test_q3_and_q4_name_the_value_given_instead(answer, fragment):
    problem = q3 if fragment == "x itself" else q4
    assert_incorrect(problem.check(answer), fragment)


def test_q4_accepts_the_variable_after_assign_sub_and_its_numpy_value():
    w = tf.Variable(3.0)
    updated = w.assign_sub(0.1 * 8.0)
    assert_correct(q4.check(updated))
    assert_correct(q4.check(w.numpy()))
