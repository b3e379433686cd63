"""Exercises of notebook 03: other forms of a right answer, and the wrong answers a checker works out."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tests.exercise_helpers import assert_correct, assert_incorrect, assert_not_attempted
from utils.checks import ____
from utils.checks.nb03 import q1, q2, q3, q4, q5
from utils.data import load_mnist


@pytest.fixture(scope="module")
def mnist():
    """The shipped MNIST sample: 4,000 training and 1,000 test digits."""
    return load_mnist("sample")


def test_blank_in_arithmetic_is_not_attempted():
    assert_not_attempted(q2.check(____ * 128 + 128))
    assert_not_attempted(q5.check(____, ____, ____))


# Exercise 1: the sigmoid neuron's output for x = (1, 0, 1), w = (0.3, 0.6, 0.1), b = -0.2.


@pytest.mark.parametrize("answer", [0.549834, 0.55, np.float32(0.5498), np.array([0.5498])])
def test_q1_accepts_rounded_and_numpy_answers(answer):
    assert_correct(q1.check(answer))


@pytest.mark.parametrize(
    ("problem", "answer", "fragment"),
    [
        (q1, 1.5, "between 0 and 1"),
        (q1, 0.9, "compute z"),
        (q2, 123, "not the model's parameter count"),
        (q2, 101_770.5, "whole number"),
        (q3, 10, "not the number of steps"),
        (q4, keras.losses.CategoricalCrossentropy(), "one-hot"),
        (q4, "hinge", "not one of the losses"),
    ],
)
def test_mistakes_beyond_the_tables(problem, answer, fragment):
    assert_incorrect(problem.check(answer), fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("0.55", 'you gave the text "0.55" for the neuron\'s output; a number is expected: remove the quotes'),
        (np.ones(3), "shape (3,)"),
    ],
)
def test_q1_wrong_type_is_a_friendly_message(answer, fragment):
    assert_incorrect(q1.check(answer), fragment)


# Exercise 2: parameters of Flatten -> Dense(128) -> Dense(10) on 28 x 28 images.


def test_q2_answer_matches_keras():
    model = keras.Sequential(
        [keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(128), layers.Dense(10, activation="softmax")]
    )
    assert_correct(q2.check(model.count_params()))
    assert_correct(q2.check(np.int64(101_770)))


def test_q2_wrong_type_is_a_friendly_message():
    assert_incorrect(
        q2.check([784, 128]), "you gave a list of 2 items for the parameter count; a single number is expected"
    )


# Exercise 3: steps per epoch with 60,000 digits, validation_split=0.1, batch_size=128.


def test_q3_accepts_a_float_that_is_whole_and_rejects_text():
    assert_correct(q3.check(422.0))
    assert_incorrect(q3.check("422"), "remove the quotes")


# Exercise 4: the loss for integer labels.


@pytest.mark.parametrize(
    "answer",
    [
        "sparse_categorical_crossentropy",
        " Sparse_Categorical_Crossentropy ",
        "SparseCategoricalCrossentropy",
        keras.losses.SparseCategoricalCrossentropy(),
        keras.losses.sparse_categorical_crossentropy,
    ],
)
def test_q4_accepts_the_name_and_keras_objects(answer):
    assert_correct(q4.check(answer))


def test_q4_wrong_type_is_a_friendly_message():
    assert_incorrect(q4.check(3), "you gave the number 3", "text in quotes")


# Exercise 5: a trained model reaching 90 % on held-out test digits (the checker's own, not the ones passed).


def _tiny_model(rescale=True, units=10, activation="softmax", hidden=((128, "relu"),), shape=(28, 28)):
    """An untrained model shaped like the exercise's, built in milliseconds."""
    front = [keras.Input(shape=shape)] + ([layers.Rescaling(1 / 255)] if rescale else []) + [layers.Flatten()]
    middle = [layers.Dense(n, activation=a) for n, a in hidden]
    return keras.Sequential([*front, *middle, layers.Dense(units, activation=activation)])


def _perfect(labels):
    """A model of the right shape that "predicts" the labels it is given, to test the pass path without training."""
    model = _tiny_model()
    model.predict = lambda x, verbose=0: np.eye(10)[labels[: len(x)]]
    return model


def test_q5_untrained_model_is_at_chance(mnist):
    _, (x_test, y_test) = mnist
    keras.utils.set_random_seed(0)
    assert_incorrect(q5.check(_tiny_model(), x_test, y_test), "about chance")


def test_q5_reports_accuracy_below_the_bar(mnist):
    _, (x_test, y_test) = mnist
    labels = y_test.copy()
    labels[:150] = (labels[:150] + 1) % 10  # 85 % right.
    assert_incorrect(q5.check(_perfect(labels), x_test, y_test), "85.0%", "the bar is 90%")
    assert_correct(q5.check(_perfect(y_test), x_test, y_test))


@pytest.mark.parametrize(
    ("model", "fragment"),
    [
        # One wrong model per requirement the task states.
        (lambda: _tiny_model(hidden=()), "exactly one hidden layer"),
        (lambda: _tiny_model(hidden=((128, "relu"), (64, "relu"))), "yours has 2"),
        (lambda: _tiny_model(hidden=((64, "relu"),)), "64 units"),
        (lambda: _tiny_model(hidden=((128, "sigmoid"),)), "ReLU"),
        (lambda: _tiny_model(hidden=((128, None),)), "ReLU"),
        (lambda: _tiny_model(units=1, activation="sigmoid"), "10 values"),
        (lambda: _tiny_model(activation=None), "not probabilities"),
        (lambda: _tiny_model(shape=(784,)), "load_mnist() returns them"),
        (lambda: layers.Dense(10), "single layer"),
    ],
)
def test_q5_typical_model_mistakes(mnist, model, fragment):
    _, (x_test, y_test) = mnist
    assert_incorrect(q5.check(model(), x_test, y_test), fragment)


def test_q5_wrong_types_and_data_are_friendly_messages(mnist):
    _, (x_test, y_test) = mnist
    model = _tiny_model()
    assert_incorrect(q5.check("my model", x_test, y_test), 'you gave the text "my model"', "Keras model")
    assert_incorrect(q5.check(model), "`q5.check` takes three values", "`q5.check(my_model, x_test, y_test)`")
    assert_incorrect(q5.check(model, x_test.reshape(-1, 784), y_test), "shape (n, 28, 28)")
    assert_incorrect(q5.check(model, x_test, y_test[:10]), "labels have shape")


@pytest.fixture(scope="module")
def briefly_trained(mnist):
    """A model of the exercise's shape trained for 2 epochs on the 4,000 sample digits (a few seconds)."""
    (x_train, y_train), _ = mnist
    keras.utils.set_random_seed(0)
    model = _tiny_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=2, batch_size=100, verbose=0)
    return model


def test_q5_judges_on_held_out_digits_not_on_the_digits_passed(mnist, briefly_trained):
    """The message reports the accuracy on the first 1,000 test digits, whatever the learner passes."""
    _, (x_test, y_test) = mnist
    accuracy = float(np.mean(briefly_trained.predict(x_test[:1000], verbose=0).argmax(axis=1) == y_test[:1000]))
    result = q5.check(briefly_trained, x_test, y_test)
    assert f"{accuracy:.1%} on 1,000 test digits it never saw" in result.message, result.message
    assert result.correct == (accuracy >= 0.9)


def test_q5_rejects_the_training_digits(mnist, briefly_trained):
    """On the digits it learned a model scores higher than on new ones: the checker refuses them."""
    (x_train, y_train), _ = mnist
    assert_incorrect(q5.check(briefly_trained, x_train, y_train), "training digits", "q5.check(my_model, x_test")
    assert_incorrect(q5.check(briefly_trained, x_train[:1000], y_train[:1000]), "training digits")
    as_floats = x_train.astype("float32")  # The same digits in another dtype are still the training digits.
    assert_incorrect(q5.check(briefly_trained, as_floats, y_train), "training digits")


def test_q5_rejects_a_handful_of_digits(mnist, briefly_trained):
    _, (x_test, y_test) = mnist
    assert_incorrect(q5.check(briefly_trained, x_test[:10], y_test[:10]), "you passed 10 digits", "too few")


def test_q5_rejects_digits_scaled_outside_the_model(mnist, briefly_trained):
    _, (x_test, y_test) = mnist
    assert_incorrect(q5.check(briefly_trained, x_test / 255, y_test), "scaled to 0-1", "Rescaling")


def test_q5_accepts_the_test_digits_in_other_forms(mnist):
    _, (x_test, y_test) = mnist
    for x, y in [
        (x_test.astype("float32"), y_test),
        (tf.constant(x_test), tf.constant(y_test)),
        (x_test.tolist(), y_test),
    ]:
        assert_correct(q5.check(_perfect(y_test), x, y))


def test_q5_accepts_a_relu_layer_after_the_hidden_dense_layer(mnist):
    _, (x_test, y_test) = mnist
    model = keras.Sequential(
        [keras.Input(shape=(28, 28)), layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(128), layers.ReLU()]
        + [layers.Dense(10, activation="softmax")]
    )
    model.predict = lambda x, verbose=0: np.eye(10)[y_test[: len(x)]]
    assert_correct(q5.check(model, x_test, y_test))
    bare = _tiny_model(hidden=((128, None),))
    assert_incorrect(q5.check(bare, x_test, y_test), "your hidden Dense layer has no activation", "ReLU")


# Exercises 3 and 4: more wrong answers, and right ones in other forms.


@pytest.mark.parametrize("answer", [5 * 422, 5 * 54_000 / 128])
def test_q3_steps_of_all_five_epochs(answer):
    assert_incorrect(q3.check(answer), "all 5 epochs", "one")


def test_q4_rejects_from_logits_with_a_softmax_output():
    result = q4.check(keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    assert_incorrect(result, "from_logits", "softmax probabilities")


@pytest.mark.parametrize("answer", ["'sparse_categorical_crossentropy'", "sparse_categorical_crossentropy()"])
def test_q4_accepts_the_name_with_extra_quotes_or_brackets(answer):
    assert_correct(q4.check(answer))
