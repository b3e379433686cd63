"""Tests of the exercises of notebook 04 · Convolutional networks: solutions, blanks, typical mistakes."""

import math

import keras
import numpy as np
import pytest
from keras import layers

from tests.exercise_helpers import assert_correct, assert_incorrect, assert_not_attempted, run_solution
from utils.checks import ____
from utils.checks.nb04 import CONV_CASES, expected_conv_size, q1, q2, q3, q4, q5

# Exercise 1: conv_output_size(size, kernel, stride, padding).


def test_q1_solution_passes():
    assert_correct(run_solution(q1, "q1"))


def test_q1_cases_include_the_decks_example_and_match_keras():
    assert (13, 6, 5, "valid") in CONV_CASES and (13, 6, 5, "same") in CONV_CASES
    assert expected_conv_size(13, 6, 5, "valid") == 2
    assert expected_conv_size(13, 6, 5, "same") == 3
    for size, kernel, stride, padding in CONV_CASES:
        conv = layers.Conv2D(1, kernel, strides=stride, padding=padding)
        shape = conv.compute_output_shape((1, size, size, 1))
        assert shape[1] == expected_conv_size(size, kernel, stride, padding), (size, kernel, stride, padding)


def test_q1_blank_and_blank_body_are_not_attempted():
    assert_not_attempted(q1.check(____))

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


def test_q2_solution_passes_and_matches_keras():
    assert_correct(run_solution(q2, "q2"))
    conv = layers.Conv2D(16, kernel_size=5)
    conv.build((None, 64, 64, 3))
    assert_correct(q2.check(conv.count_params()))


def test_q2_blank_is_not_attempted():
    assert_not_attempted(q2.check(____))
    assert_not_attempted(q2.check(____ * 16))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (5 * 5 * 16 + 16, "one kernel per input channel"),
        (5 * 5 * 3 * 16, "bias"),
        (5 * 5 * 3 * 16 + 3, "one per filter"),
        ((64 - 4) * (64 - 4) * 16, "does not depend on the image size"),
        (1000, "not it"),
    ],
)
def test_q2_typical_mistakes(answer, fragment):
    assert_incorrect(q2.check(answer), fragment)


def test_q2_wrong_type():
    assert_incorrect(q2.check("1216"), 'you gave the text "1216"', "a number is expected: remove the quotes")
    assert_incorrect(q2.check("very high"), 'the text "very high"', "write it with digits")
    assert_incorrect(q2.check([1216, 16]), "a list of 2 items", "single number")
    assert_incorrect(q2.check(1216.4), "whole number")


# Exercise 3: the shape after a LeNet-style stack.


def test_q3_solution_passes_and_matches_keras():
    assert_correct(run_solution(q3, "q3"))
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


def test_q3_blank_is_not_attempted():
    assert_not_attempted(q3.check(____))
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


def test_q4_solution_passes():
    assert_correct(run_solution(q4, "q4"))


def test_q4_blank_is_not_attempted():
    assert_not_attempted(q4.check(____))
    assert_not_attempted(q4.check(880 / (880 + ____)))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (90 / 100, "sensitivity"),
        (90 / 110, "precision"),
        (970 / 1000, "accuracy"),
        (20 / 900, "false-positive rate"),
        (880 / 890, "predicted"),
        (100 * 880 / 900, "percentage"),
        (0.5, "not quite"),
    ],
)
def test_q4_typical_mistakes(answer, fragment):
    assert_incorrect(q4.check(answer), fragment)


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
    q1._shown_hints.clear()

    def same_rounds_down(size, kernel, stride, padding):
        return (size - kernel) // stride + 1 if padding == "valid" else size // stride

    assert_incorrect(q1.check(same_rounds_down), "round up")
    shown = q1.hint()._repr_markdown_()
    assert '"same"' in shown and "about your last answer" in shown and "start positions" not in shown
    shown = q1.hint()._repr_markdown_()  # The next hint is added; the first one stays visible.
    assert shown.count("**Hint") == 2 and "math.ceil(size / stride)" in shown
    q1._shown_hints.clear()


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


def test_q5_solution_passes():
    result = run_solution(q5, "q5")
    assert_correct(result)
    assert "parameters" in result.message


def test_q5_blank_is_not_attempted():
    assert_not_attempted(q5.check(____))


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
