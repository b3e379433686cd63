"""Exercises of notebook 02: other forms of a right answer, and the wrong answers a checker works out."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tests.exercise_helpers import assert_correct, assert_incorrect, assert_not_attempted
from utils import ROOT
from utils.checks import ____
from utils.checks.nb02 import best_line, curve_errors, line_data, q1, q2, q3, q4, run_gradient_descent

# The data the checkers rebuild is the notebook's: 120 training points of y = 3x + 2 + noise.


def test_line_data_matches_the_notebook():
    x, y = line_data()
    assert x.shape == y.shape == (120,)
    w, b, loss = best_line()
    assert abs(w - 3.13) < 0.01 and abs(b - 2.06) < 0.01 and abs(loss - 0.231) < 0.001  # As the notebook prints.
    losses, _ = run_gradient_descent(0.1, steps=100)
    assert abs(losses[0] - 7.6568) < 1e-3 and abs(losses[-1] - 0.2314) < 1e-3  # The notebook's steps 0 and 99.


# Exercise 1: the mean absolute error.


def test_q1_accepts_numpy_inside_the_function():
    assert_correct(q1.check(lambda y_true, y_pred: np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred)))))


@pytest.mark.parametrize(
    ("function", "fragment"),
    [
        (lambda t, p: tf.reduce_mean(tf.square(t - p)), "that is the MSE"),
        (lambda t, p: tf.reduce_mean(t - p), "cancel out"),
        (lambda t, p: tf.reduce_sum(tf.abs(t - p)), "sum of the absolute errors"),
        (lambda t, p: tf.sqrt(tf.reduce_mean(tf.square(t - p))), "RMSE"),
        (lambda t, p: tf.abs(t - p), "one per sample"),
        (lambda t, p: None, "forget `return`"),
        (lambda t: t, "`mae(y_true, y_pred)` raised `TypeError"),
        ("tf.abs", 'you gave the text "tf.abs"; the function `mae` itself is expected'),
        (lambda t, p: 1.0, "50 random samples"),
    ],
)
def test_q1_typical_mistakes(function, fragment):
    assert_incorrect(q1.check(function), fragment)


# Exercise 2: a learning rate that fits the line in 20 steps.


@pytest.mark.parametrize("rate", [0.3, 0.5, 0.8])
def test_q2_accepts_rates_that_converge(rate):
    assert_correct(q2.check(rate))


@pytest.mark.parametrize(
    ("rate", "fragments"),
    [
        (0.1, ["too small", "still 0.4", "after 20 steps"]),
        (0.01, ["too small"]),
        (0.97, ["jumps from one side"]),
        (1.1, ["diverges", "grew from 7.66"]),
        (1e10, ["diverges", "infinity"]),
        (0, ["positive", "does not move"]),
        (-0.1, ["positive"]),
        ("0.5", ["remove the quotes"]),
        ([0.1, 0.5], ["single number"]),
    ],
)
def test_q2_typical_mistakes(rate, fragments):
    assert_incorrect(q2.check(rate), *fragments)


# Exercise 3: the one-unit Keras model.


def test_q3_accepts_a_functional_model():
    inputs = keras.Input(shape=(1,))
    assert_correct(q3.check(keras.Model(inputs, layers.Dense(1)(inputs))))


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: layers.Dense(1), "single layer"),
        (lambda: keras.Sequential([layers.Dense(1)]), "input shape yet"),
        (lambda: keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)]), "shape (1,)"),
        (lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(10)]), "one unit"),
        (lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1, use_bias=False)]), "bias b is missing"),
        (lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(4), layers.Dense(1)]), "one Dense layer"),
        (lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1, activation="relu")]), "relu activation"),
        (lambda: "Dense(1)", "a Keras model such as"),
    ],
)
def test_q3_typical_mistakes(build, fragment):
    assert_incorrect(q3.check(build()), fragment)


# Exercise 4: the degree that generalises best.


def test_q4_table_has_a_clear_best_degree():
    errors = curve_errors()
    validation = sorted(val for _, val in errors.values())
    assert min(errors, key=lambda d: errors[d][1]) == 3
    assert validation[1] > 1.2 * validation[0], "the best degree should win clearly, whatever the platform"
    assert min(errors, key=lambda d: errors[d][0]) == 15, "the highest degree has the lowest training error"


@pytest.mark.parametrize(
    ("degree", "fragment"),
    [
        (15, "lowest *training* error"),
        (1, "underfits"),
        (2, "underfits"),
        (5, "fitting the noise"),
        (0, "not one of the degrees"),
        (3.5, "whole number"),
        ("3", "remove the quotes"),
        (None, "you gave `None`"),
    ],
)
def test_q4_typical_mistakes(degree, fragment):
    assert_incorrect(q4.check(degree), fragment)


def test_q4_accepts_a_numpy_integer():
    assert_correct(q4.check(np.int64(3)))


def test_q1_starter_cell_shape_is_not_attempted():
    """The notebook's starter: `def mae(y_true, y_pred): return ____`, and half-finished bodies."""
    assert_not_attempted(q1.check(lambda y_true, y_pred: ____))
    assert_not_attempted(q1.check(lambda y_true, y_pred: tf.reduce_mean(____)))
    assert_not_attempted(q1.check(lambda y_true, y_pred: sum(____)))


def test_q4_quotes_errors_as_the_notebooks_table_prints_them():
    validation = {degree: val for degree, (_, val) in curve_errors().items()}
    for degree in (1, 15):
        message = q4.check(degree).message
        assert f"{validation[degree]:.3f}" in message and "e+" not in message, message


# Right answers in other forms, and one wrong answer per requirement, found by probing the checkers.


@pytest.mark.parametrize(
    "function",
    [
        lambda t, p: tf.reduce_mean(tf.abs(p - t)),
        lambda t, p: keras.ops.mean(keras.ops.abs(t - p)),
        lambda t, p: tf.reduce_sum(tf.abs(t - p)) / tf.cast(tf.size(t), tf.float32),
        lambda t, p: tf.reduce_mean(tf.abs(t - p), axis=0),  # One number for (n,) and for (n, 1).
        keras.losses.MeanAbsoluteError(),
    ],
)
def test_q1_accepts_other_ways_of_writing_the_mae(function):
    assert_correct(q1.check(function))


@pytest.mark.parametrize(
    ("function", "fragments"),
    [
        # Keras' per-sample MAE averages the last axis only: one number per sample on (50, 1).
        (lambda t, p: tf.reduce_mean(tf.abs(t - p), axis=-1), ["(50, 1) returned 50 numbers", "one per sample"]),
        (keras.losses.mean_absolute_error, ["returned 50 numbers", "one per sample"]),
        (lambda t, p: tf.reduce_max(tf.abs(t - p)), ["largest absolute error"]),
    ],
)
def test_q1_one_number_over_all_samples(function, fragments):
    assert_incorrect(q1.check(function), *fragments)


@pytest.mark.parametrize("rate", [np.float32(0.5), tf.constant(0.5)])
def test_q2_accepts_numpy_and_tensor_rates(rate):
    assert_correct(q2.check(rate))


def test_q2_infinite_rate_is_not_called_positive_or_uphill():
    result = q2.check(float("inf"))
    assert_incorrect(result, "not a finite number")
    assert "uphill" not in result.message


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        # A layer after the Dense one bends the line, though the Dense layer itself has no activation.
        (lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1), layers.ReLU()]), "(yours: ReLU)"),
        (
            lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1), layers.Activation("sigmoid")]),
            "not the line w·x + b",
        ),
        # Two bias-free units also have 2 parameters, but compute w2·w1·x, with no b.
        (
            lambda: keras.Sequential(
                [keras.Input(shape=(1,)), layers.Dense(1, use_bias=False), layers.Dense(1, use_bias=False)]
            ),
            "2 Dense layers",
        ),
    ],
)
def test_q3_rejects_models_that_are_not_one_line(build, fragment):
    assert_incorrect(q3.check(build()), fragment)


@pytest.mark.parametrize(
    "build",
    [
        lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1, activation="linear")]),
        lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Flatten(), layers.Dense(1)]),
        lambda: keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1), layers.Dropout(0.1)]),
    ],
)
def test_q3_accepts_other_ways_of_writing_one_unit(build):
    assert_correct(q3.check(build()))


def test_q1_exercise_text_matches_its_starter_cell():
    """The text asks for what the cell holds: `def mae(...)` whose `return ____` is to complete."""
    cells = json.loads((ROOT / "notebooks" / "02_linear_regression.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    index = next(i for i, source in enumerate(sources) if source.lstrip().startswith("# Exercise 1:"))
    assert "def mae(y_true, y_pred):\n    return ____" in sources[index]
    text = sources[index - 1]
    assert "### Exercise 1" in text and "mae = ____" not in text
    assert "`____` after `return`" in text
