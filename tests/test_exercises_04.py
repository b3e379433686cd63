"""Exercises of notebook 04 · Convolutional networks: other right answers, and the wrong ones worked out."""

import math
import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tests.exercise_helpers import assert_correct, assert_incorrect, assert_not_attempted
from utils.checks import ____
from utils.checks.core import layers_of
from utils.checks.nb04 import CONV_CASES, expected_conv_size, q1, q2, q3, q4, q5

# Exercise 1: conv_output_size(size, kernel, stride, padding).


def test_q1_cases_include_the_decks_example_and_match_keras():
    assert (13, 6, 5, "valid") in CONV_CASES and (13, 6, 5, "same") in CONV_CASES
    assert expected_conv_size(13, 6, 5, "valid") == 2
    assert expected_conv_size(13, 6, 5, "same") == 3
    for size, kernel, stride, padding in CONV_CASES:
        conv = layers.Conv2D(1, kernel, strides=stride, padding=padding)
        shape = conv.compute_output_shape((1, size, size, 1))
        assert shape[1] == expected_conv_size(size, kernel, stride, padding), (size, kernel, stride, padding)


def test_q1_blank_body_is_not_attempted():
    def conv_output_size(size, kernel, stride, padding):
        return ____

    assert_not_attempted(q1.check(conv_output_size))


def test_q1_missing_plus_one():
    def conv_output_size(size, kernel, stride, padding):
        return (size - kernel) // stride if padding == "valid" else math.ceil(size / stride)

    assert_incorrect(q1.check(conv_output_size), "13, 6, 5, 'valid'", "+ 1")


def test_q1_same_ignores_stride():
    def conv_output_size(size, kernel, stride, padding):
        return (size - kernel) // stride + 1 if padding == "valid" else size

    assert_incorrect(q1.check(conv_output_size), "'same'", "stride")


def test_q1_same_rounds_down():
    def conv_output_size(size, kernel, stride, padding):
        return (size - kernel) // stride + 1 if padding == "valid" else size // stride

    assert_incorrect(q1.check(conv_output_size), "round up")


def test_q1_valid_rounds_up():
    def conv_output_size(size, kernel, stride, padding):
        return math.ceil((size - kernel) / stride) + 1 if padding == "valid" else math.ceil(size / stride)

    assert_incorrect(q1.check(conv_output_size), "round down")


def test_q1_same_uses_the_valid_formula():
    def conv_output_size(size, kernel, stride, padding):
        return (size - kernel) // stride + 1

    assert_incorrect(q1.check(conv_output_size), '"valid" size')


def test_q1_float_result_and_missing_return():
    def divides(size, kernel, stride, padding):
        return (size - kernel) / stride + 1 if padding == "valid" else size / stride

    assert_incorrect(q1.check(divides), "whole number")

    def forgets_return(size, kernel, stride, padding):
        (size - kernel) // stride + 1

    assert_incorrect(q1.check(forgets_return), "return")


def test_q1_wrong_types_give_friendly_messages():
    assert_incorrect(q1.check(2), "you gave the number 2", "the function `conv_output_size` itself")

    def crashes(size, kernel, stride, padding):
        raise KeyError(padding)

    assert_incorrect(q1.check(crashes), "raised `KeyError")

    def returns_text(size, kernel, stride, padding):
        return "two"

    assert_incorrect(q1.check(returns_text), 'returns is the text "two"; a number is expected')


def test_q1_accepts_integral_floats_and_numpy_integers():
    def conv_output_size(size, kernel, stride, padding):
        if padding == "valid":
            return np.int64((size - kernel) // stride + 1)
        return float(math.ceil(size / stride))

    assert_correct(q1.check(conv_output_size))


# Exercise 2: parameters of Conv2D(16, 5) on 64×64×3 images.


def test_q2_matches_keras():
    conv = layers.Conv2D(16, kernel_size=5)
    conv.build((None, 64, 64, 3))
    assert_correct(q2.check(conv.count_params()))


def test_q2_blank_in_arithmetic_is_not_attempted():
    assert_not_attempted(q2.check(____ * 16))


@pytest.mark.parametrize(
    ("problem", "answer", "fragment"),
    [
        (q2, (64 - 4) * (64 - 4) * 16, "does not depend on the image size"),
        (q2, 1000, "not it"),
        (q4, 0.5, "not quite"),
    ],
)
def test_mistakes_beyond_the_tables(problem, answer, fragment):
    assert_incorrect(problem.check(answer), fragment)


def test_q2_wrong_type():
    assert_incorrect(q2.check("1216"), 'you gave the text "1216"', "a number is expected: remove the quotes")
    assert_incorrect(q2.check("very high"), 'the text "very high"', "write it with digits")
    assert_incorrect(q2.check([1216, 16]), "a list of 2 items", "single number")
    assert_incorrect(q2.check(1216.4), "whole number")


# Exercise 3: the shape after a LeNet-style stack.


def test_q3_matches_keras():
    stack = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 5, padding="valid"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 5, padding="valid"),
            layers.MaxPooling2D(2),
        ]
    )
    assert_correct(q3.check(stack.layers[-1].output.shape[1:]))
    assert_correct(q3.check([4, 4, 64]))


def test_q3_blank_inside_the_tuple_is_not_attempted():
    assert_not_attempted(q3.check((____, ____, 64)))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((7, 7, 64), '"same" padding'),
        ((8, 8, 64), "max pooling"),
        ((4, 4, 32), "*last* conv2d"),
        ((None, 4, 4, 64), "batch dimension"),
        ((64, 4, 4), "channels last"),
        ((3, 3, 64), "channels are right"),
    ],
)
def test_q3_typical_mistakes(answer, fragment):
    assert_incorrect(q3.check(answer), fragment)


def test_q3_wrong_type():
    assert_incorrect(q3.check(1024), "you gave the number 1,024", "tuple")
    assert_incorrect(q3.check((4, 4)), "3 numbers")
    assert_incorrect(q3.check(("4", 4, 64)), 'the text "4"', "remove the quotes")


# Exercise 4: specificity from a confusion matrix.


def test_q4_blank_in_arithmetic_is_not_attempted():
    assert_not_attempted(q4.check(880 / (880 + ____)))


def test_q4_wrong_type():
    assert_incorrect(q4.check(np.array([[880, 20], [10, 90]])), "shape (2, 2)", "single number")


@pytest.mark.parametrize("answer", [0.98, 0.978, 0.9778, np.float32(880 / 900)])
def test_q4_accepts_sensible_rounding_and_says_so(answer):
    result = q4.check(answer)
    assert_correct(result)
    if answer == 0.98:
        assert "You rounded" in result.message and "0.9778" in result.message


@pytest.mark.parametrize("answer", [1, 0.9, 0.97])
def test_q4_rejects_rounding_that_loses_the_answer(answer):
    assert result_is_incorrect(q4.check(answer))


def result_is_incorrect(result):
    return result.status == "incorrect"


def test_q1_hint_answers_the_mistake_just_made():
    q1.reset()

    def same_rounds_down(size, kernel, stride, padding):
        return (size - kernel) // stride + 1 if padding == "valid" else size // stride

    assert_incorrect(q1.check(same_rounds_down), "round up")
    shown = q1.hint()._repr_markdown_()
    assert '"same"' in shown and "about your last answer" in shown and "start positions" not in shown
    shown = q1.hint()._repr_markdown_()  # The next hint is added; the first one stays visible.
    assert shown.count("**Hint") == 2 and "math.ceil(size / stride)" in shown
    q1.reset()


# Exercise 5: a CNN that reads raw digits.


def _cnn(*middle, first=None, last=None):
    """Build a small Sequential model for the tests: input, rescaling, reshape, `middle`, output."""
    first = first if first is not None else [layers.Rescaling(1 / 255), layers.Reshape((28, 28, 1))]
    last = last if last is not None else [layers.Dense(10, activation="softmax")]
    return keras.Sequential([keras.Input(shape=(28, 28)), *first, *middle, *last])


def _blocks(filters=(32, 64), activation="relu", pool=True):
    found = []
    for n in filters:
        found.append(layers.Conv2D(n, 3, padding="same", activation=activation))
        if pool:
            found.append(layers.MaxPooling2D(2))
    return found


def test_q5_accepts_the_notebooks_model_with_nested_augmentation_and_batch_norm():
    augment = keras.Sequential([layers.RandomRotation(0.05), layers.RandomZoom(0.1)])
    blocks = [
        layers.Conv2D(32, 3, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(2),
    ]
    assert_correct(q5.check(_cnn(augment, *blocks, layers.Flatten(), layers.Dropout(0.5))))


def test_q5_mlp_without_convolutions():
    model = _cnn(layers.Flatten(), layers.Dense(16, activation="relu"), layers.Dropout(0.5))
    assert_incorrect(q5.check(model), "no `layers.Conv2D`")


def test_q5_without_rescaling():
    model = _cnn(*_blocks(), layers.Flatten(), layers.Dropout(0.5), first=[layers.Reshape((28, 28, 1))])
    assert_incorrect(q5.check(model), "Rescaling(1 / 255)")


def test_q5_without_softmax():
    model = _cnn(*_blocks(), layers.Flatten(), layers.Dropout(0.5), last=[layers.Dense(10)])
    assert_incorrect(q5.check(model), "softmax")


def test_q5_wrong_output_size():
    last = [layers.Dense(1, activation="sigmoid")]
    assert_incorrect(q5.check(_cnn(*_blocks(), layers.Flatten(), layers.Dropout(0.5), last=last)), "needs 10")


def test_q5_accepts_the_decks_hidden_dense_layer_and_kernel_size_5():
    hidden = [layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dropout(0.5)]
    assert_correct(q5.check(_cnn(*_blocks(), *hidden)))
    blocks = [layers.Conv2D(32, 5, activation="relu"), layers.MaxPooling2D(2)]
    blocks += [layers.Conv2D(64, 5, activation="relu"), layers.MaxPooling2D(2)]
    assert_correct(q5.check(_cnn(*blocks, layers.Flatten(), layers.Dropout(0.25))))


@pytest.mark.parametrize(
    ("middle", "fragment"),
    [
        # One wrong model per requirement the task states.
        (lambda: [*_blocks(filters=(1, 1)), layers.Flatten(), layers.Dropout(0.5)], "32 then 64"),
        (lambda: [*_blocks(filters=(64, 32)), layers.Flatten(), layers.Dropout(0.5)], "32 then 64"),
        (lambda: [*_blocks(filters=(32,)), layers.Flatten(), layers.Dropout(0.5)], "32 then 64"),
        (lambda: [*_blocks(filters=(32, 64, 64)), layers.Flatten(), layers.Dropout(0.5)], "32 then 64"),
        (lambda: [*_blocks(activation=None), layers.Flatten(), layers.Dropout(0.5)], "no ReLU"),
        (lambda: [*_blocks(activation="sigmoid"), layers.Flatten(), layers.Dropout(0.5)], "no ReLU"),
        (lambda: [*_blocks(pool=False), layers.Flatten(), layers.Dropout(0.5)], "MaxPooling2D"),
        (lambda: [*_blocks(pool=False), layers.MaxPooling2D(2), layers.Flatten(), layers.Dropout(0.5)], "pool"),
        (lambda: [*_blocks(), layers.Flatten()], "Dropout"),
        (lambda: [*_blocks(), layers.Flatten(), layers.Dropout(0.0)], "Dropout"),
        (lambda: [layers.Dropout(0.5), *_blocks(), layers.Flatten()], "after the convolution blocks"),
    ],
)
def test_q5_rejects_a_cnn_that_breaks_a_requirement(middle, fragment):
    assert_incorrect(q5.check(_cnn(*middle())), fragment)


def test_q5_missing_flatten():
    assert_incorrect(q5.check(_cnn(*_blocks(), layers.Dropout(0.5), last=[])), "flattened")


def test_q5_wrong_input_shape_and_wrong_type():
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Rescaling(1 / 255), *_blocks()])
    assert_incorrect(q5.check(model), "(28, 28)")
    assert_incorrect(q5.check([layers.Conv2D(32, 3)]), "a list of 1 item", "Keras model")
    assert_incorrect(q5.check(keras.Sequential([layers.Dense(10)])), "keras.Input")
    assert_incorrect(q5.check(layers.Conv2D(32, 3)), "single layer")


# Exercise 5: every requirement the task states, each with a wrong model; right models in other forms.


def _head(hidden=()):
    return [layers.Flatten(), *hidden, layers.Dropout(0.5)]


@pytest.mark.parametrize(
    ("build", "fragments"),
    [
        # Rescaling comes first: after the first convolution, the convolution sees 0-255.
        (
            lambda: _cnn(
                layers.Conv2D(32, 3, padding="same", activation="relu"),
                layers.Rescaling(1 / 255),
                layers.MaxPooling2D(2),
                *_blocks(filters=(64,)),
                *_head(),
                first=[layers.Reshape((28, 28, 1))],
            ),
            ["your Rescaling comes after your first Conv2D", "first"],
        ),
        (
            lambda: _cnn(
                *_blocks(),
                *_head(),
                layers.Dense(10, activation="softmax"),
                layers.Rescaling(1 / 255),
                first=[layers.Reshape((28, 28, 1))],
                last=[],
            ),
            ["your Rescaling comes after your first Conv2D"],
        ),
        (
            lambda: _cnn(
                *_blocks(),
                *_head(),
                first=[layers.Rescaling(1 / 255), layers.Rescaling(1 / 255), layers.Reshape((28, 28, 1))],
            ),
            ["2 Rescaling layers"],
        ),
        (
            lambda: _cnn(*_blocks(), *_head(), first=[layers.Rescaling(255), layers.Reshape((28, 28, 1))]),
            ["0 to 65,025", "Rescaling(1 / 255)"],
        ),
        # A hidden Dense layer needs an activation, or it adds nothing a single Dense layer could not do.
        (lambda: _cnn(*_blocks(), *_head(hidden=[layers.Dense(128)])), ["your hidden Dense layer has no activation"]),
        (
            lambda: _cnn(*_blocks(), *_head(hidden=[layers.Dense(128, activation="relu"), layers.Dense(64)])),
            ["your second hidden Dense layer has no activation"],
        ),
        # Max pooling, not average pooling or strided convolutions.
        (
            lambda: _cnn(
                layers.Conv2D(32, 3, activation="relu"),
                layers.AveragePooling2D(2),
                layers.Conv2D(64, 3, activation="relu"),
                layers.AveragePooling2D(2),
                *_head(),
            ),
            ["max pooling", "your first AveragePooling2D"],
        ),
        (
            lambda: _cnn(
                layers.Conv2D(32, 3, strides=2, activation="relu"),
                layers.Conv2D(64, 3, strides=2, activation="relu"),
                *_head(),
            ),
            ["conv → pool → conv → pool", "strides=2"],
        ),
        (
            lambda: _cnn(
                *_blocks(filters=(32,)), layers.Conv2D(64, 3), *_blocks(filters=()), layers.MaxPooling2D(2), *_head()
            ),
            ["your second Conv2D (64 filters) has no ReLU"],
        ),
        # The dropout sits before the output layer, with a rate between 0 and 1.
        (
            lambda: _cnn(
                *_blocks(), layers.Flatten(), layers.Dense(10, activation="softmax"), layers.Dropout(0.5), last=[]
            ),
            ["comes after the output layer"],
        ),
        (lambda: _cnn(*_blocks(), layers.Flatten(), layers.Dropout(1.0)), ["rate 1", "between 0 and 1"]),
        (
            lambda: _cnn(*_blocks(), layers.Dense(16, activation="relu"), layers.Flatten(), layers.Dropout(0.5)),
            ["your first Dense comes before the Flatten"],
        ),
    ],
)
def test_q5_names_the_broken_requirement_and_the_layer_as_written(build, fragments):
    model = build()
    result = q5.check(model)
    assert_incorrect(result, *fragments)
    # Keras' automatic names (conv2d_30, dense_4) change every run and the learner never typed them.
    for layer in layers_of(model):
        if re.search(r"_\d+$", layer.name):
            assert layer.name not in result.message, result.message


@pytest.mark.parametrize(
    "build",
    [
        # Reshape, then Rescaling: both come before the convolutions.
        lambda: _cnn(*_blocks(), *_head(), first=[layers.Reshape((28, 28, 1)), layers.Rescaling(1 / 255)]),
        # Scaling to -1..1 is a rescaling too.
        lambda: _cnn(*_blocks(), *_head(), first=[layers.Rescaling(1 / 127.5, offset=-1), layers.Reshape((28, 28, 1))]),
        # ReLU as a layer, even after the pooling (max pooling and ReLU commute).
        lambda: _cnn(
            layers.Conv2D(32, 3, padding="same"),
            layers.MaxPooling2D(2),
            layers.ReLU(),
            layers.Conv2D(64, 3, padding="same"),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            *_head(),
        ),
        lambda: _cnn(*_blocks(), *_head(hidden=[layers.Dense(128), layers.ReLU()])),
        lambda: _cnn(*_blocks(), *_head(), last=[layers.Dense(10), layers.Softmax()]),
        lambda: _cnn(*_blocks(), layers.Flatten(), layers.Dropout(0.5), layers.Dense(128, activation="relu")),
        lambda: keras.Model(*_functional_cnn()),
    ],
)
def test_q5_accepts_other_valid_forms(build):
    assert_correct(q5.check(build()))


def _functional_cnn():
    inputs = keras.Input(shape=(28, 28), dtype="uint8")
    x = layers.Reshape((28, 28, 1))(layers.Rescaling(1 / 255)(inputs))
    for layer in [*_blocks(), *_head(), layers.Dense(10, activation="softmax")]:
        x = layer(x)
    return inputs, x


# Exercises 1 and 3: more wrong answers, and right ones in other forms.


def test_q1_textbook_same_padding_is_wrong_for_even_kernels():
    def conv_output_size(size, kernel, stride, padding):
        pad = 0 if padding == "valid" else (kernel - 1) // 2  # Right for odd kernels only.
        return (size + 2 * pad - kernel) // stride + 1

    assert_incorrect(q1.check(conv_output_size), "(kernel − 1) // 2", "odd kernels")


@pytest.mark.parametrize("answer", [np.array([4, 4, 64]), tf.constant([4, 4, 64]), tf.TensorShape([4, 4, 64])])
def test_q3_accepts_an_array_or_a_tensor(answer):
    assert_correct(q3.check(answer))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [((1, 4, 4, 64), "batch dimension"), ((24, 24, 32), "first convolution"), ((12, 12, 32), "first max pooling")],
)
def test_q3_names_the_intermediate_shapes(answer, fragment):
    assert_incorrect(q3.check(answer), fragment)
