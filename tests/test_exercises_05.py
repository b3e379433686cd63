"""Exercises of notebook 05 · Autoencoders: other right answers, and the wrong ones worked out."""

import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tests.exercise_helpers import (
    assert_correct,
    assert_incorrect,
    assert_not_attempted,
    notebook_function,
    run_solution,
)
from utils.checks import ____
from utils.checks.core import held_out_digits
from utils.checks.nb05 import DECK_CODE, MIN_DIGITS, PIXELS, MeasuredError, leaf_layers, q1, q2, q3, q4
from utils.data import load_mnist

# Exercise 1: the compression ratio of the decks' convolutional encoder.


def test_q1_matches_keras():
    encoder = keras.Sequential(
        [keras.Input(shape=(28, 28, 1))]
        + [
            layer
            for filters in (16, 32, 64)
            for layer in (layers.Conv2D(filters, 3, padding="same"), layers.MaxPooling2D(2))
        ]
    )
    assert encoder.outputs[0].shape[1:] == (3, 3, 64) and DECK_CODE == 576
    assert_correct(q1.check(PIXELS / int(np.prod(encoder.outputs[0].shape[1:]))))


@pytest.mark.parametrize("answer", [1.4, 1.36, 1.361, 1.3611, np.float32(784 / 576), tf.constant(1.36), 784 / 576])
def test_q1_accepts_the_ratio_and_sensible_roundings(answer):
    assert_correct(q1.check(answer))


def test_q1_rounded_answer_is_told_the_exact_value():
    assert "exact value is 1.361" in q1.check(1.4).message


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        (1.3, ("close", "round to the nearest", "two significant digits")),  # Cut off, not rounded.
        (1.35, ("close", "round to the nearest")),
        (1.37, ("close",)),
    ],
)
def test_q1_near_miss_says_close_and_the_precision_wanted(answer, fragments):
    result = q1.check(answer)
    assert_incorrect(result, *fragments)
    assert "1.36" not in result.message and "1.4" not in result.message
    assert "calculation itself" in q1.hint()._repr_markdown_()


def test_q1_one_significant_digit_is_too_coarse():
    assert_incorrect(q1.check(1), "height × width × channels")  # 26 % off: not a rounding, not close.


def test_q1_blank_in_arithmetic_is_not_attempted():
    assert_not_attempted(q1.check(784 / ____))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (0.73, "inverse"),
        (50_200, "parentheses are missing"),  # Rounded.
        (0.27, "saves"),
        (21.8, "third max pooling"),
        (2, "height × width × channels"),
    ],
)
def test_q1_mistakes_beyond_the_table(answer, fragment):
    assert_incorrect(q1.check(answer), fragment)


def test_q1_mistakes_carry_a_hint_and_the_check_never_reveals_the_answer():
    for wrong in (576 / 784, 28 * 28 / 3 * 3 * 64, 1.3, 2, 784 / 9):
        message = q1.check(wrong).message
        assert "1.36" not in message and "1.4" not in message, message
    q1.check(576 / 784)
    assert "about your last answer" in q1.hint()._repr_markdown_()


def test_q1_correct_note_states_true_sizes():
    note = q1.check(784 / 576).message
    assert "576" in note and "quarter fewer" in note and "18 times" in note and "3 × 3 × 4 = 36" in note
    assert DECK_CODE / 32 == 18 and 0.2 < 1 - DECK_CODE / PIXELS < 0.3


def test_q1_wrong_type():
    assert_incorrect(q1.check("1.36"), "remove the quotes")
    assert_incorrect(q1.check((3, 3, 64)), "single number")


# Exercise 2: add_noise(images, std).


def _rng():
    return np.random.default_rng()


def test_q2_accepts_other_generators_dtypes_and_loops():
    def with_legacy_numpy(images, std):
        return np.clip(images + np.random.normal(0, std, images.shape), 0, 1).astype("float32")  # noqa: NPY002

    def with_tensorflow(images, std):
        return tf.clip_by_value(images + tf.random.normal(images.shape, stddev=std), 0.0, 1.0)

    def with_a_seed_and_a_copy(images, std):
        noisy = images.copy()
        noisy += np.random.default_rng(0).normal(0, std, size=noisy.shape)
        return np.clip(noisy, 0, 1)

    def image_by_image(images, std):
        rng = _rng()
        return np.stack([np.clip(image + rng.normal(0, std, image.shape), 0, 1) for image in images])

    for function in (with_legacy_numpy, with_tensorflow, with_a_seed_and_a_copy, image_by_image):
        assert_correct(q2.check(function))


def test_q2_blank_body_is_not_attempted():
    def add_noise(images, std):
        return ____

    assert_not_attempted(q2.check(add_noise))


def _in_place(images, std):
    images += _rng().normal(0, std, images.shape)
    np.clip(images, 0, 1, out=images)
    return images


def _noisy_digits(digits, std=0.3, seed=0):  # The notebook's own function: uint8 digits in, uint8 out.
    rng = np.random.default_rng(seed)
    noisy = np.clip(digits / 255 + rng.normal(0, std, size=digits.shape), 0, 1)
    return np.round(noisy * 255).astype(np.uint8)


#: One wrong function per requirement of the task, and the words its message must contain.
BAD_ATTEMPTS = {
    "changes the images in place": (_in_place, ("changed the images", "in place")),
    "one pattern for the whole batch": (
        lambda images, std: np.clip(images + _rng().normal(0, std, images.shape[1:]), 0, 1),
        ("same noise pattern", "size=images.shape"),
    ),
    "one 28 × 28 pattern": (
        lambda images, std: np.clip(images + _rng().normal(0, std, (28, 28)), 0, 1),
        ("same noise pattern",),
    ),
    "hard-coded (n, 28, 28)": (
        lambda images, std: np.clip(images + _rng().normal(0, std, (len(images), 28, 28)), 0, 1),
        ("any shape", "(3, 5, 7)", "raised"),
    ),
    "hard-coded by reshaping": (
        lambda images, std: np.clip(images.reshape(-1, 28, 28) + _rng().normal(0, std, (len(images), 28, 28)), 0, 1),
        ("any shape",),
    ),
    "the notebook's noisy_digits (uint8 0-255)": (_noisy_digits, ("0 to 255", "uint8", "noisy_digits")),
    "floats on the 0-255 scale": (
        lambda images, std: 255 * np.clip(images + _rng().normal(0, std, images.shape), 0, 1),
        ("0-255 scale", "* 255"),
    ),
    "converted to integers": (
        lambda images, std: np.clip(images + _rng().normal(0, std, images.shape), 0, 1).astype("uint8"),
        ("whole numbers", "0 or 1"),
    ),
    "divided by 255": (
        lambda images, std: np.clip(images / 255 + _rng().normal(0, std, images.shape), 0, 1),
        ("divided them by 255",),
    ),
    "the noise alone": (
        lambda images, std: np.clip(_rng().normal(0, std, images.shape), 0, 1),
        ("ignored the images", "images plus the noise"),
    ),
    "no clipping": (lambda images, std: images + _rng().normal(0, std, images.shape), ("outside [0, 1]", "clip")),
    "no noise": (lambda images, std: np.clip(images, 0, 1), ("no noise",)),
    "one value per image": (
        lambda images, std: np.clip(images + _rng().normal(0, std, (len(images), 1, 1)), 0, 1),
        ("one per image",),
    ),
    "one value per column": (
        lambda images, std: np.clip(images + _rng().normal(0, std, (len(images), 1, images.shape[2])), 0, 1),
        ("repeats the same values",),
    ),
    "uniform noise, not centred": (
        lambda images, std: np.clip(images + std * _rng().random(images.shape), 0, 1),
        ("mean of 0", "rng.normal"),
    ),
    "multiplied, not added": (
        lambda images, std: np.clip(images * (1 + _rng().normal(0, std, images.shape)), 0, 1),
        ("black images stay black", "*add*"),
    ),
    "the variance as the scale": (
        lambda images, std: np.clip(images + _rng().normal(0, std**2, images.shape), 0, 1),
        ("not the variance",),
    ),
    "ignores std": (
        lambda images, std: np.clip(images + _rng().normal(0, 0.3, images.shape), 0, 1),
        ("standard deviation `std`",),
    ),
    "uniform noise with the right spread": (
        lambda images, std: np.clip(images + _rng().uniform(-std * 3**0.5, std * 3**0.5, images.shape), 0, 1),
        ("bell shape",),
    ),
    "one image only": (
        lambda images, std: np.clip(images[0] + _rng().normal(0, std, images[0].shape), 0, 1),
        ("returned shape (28, 28)", "whole batch"),
    ),
}


@pytest.mark.parametrize("attempt", list(BAD_ATTEMPTS))
def test_q2_each_requirement_has_its_message_and_the_solution_still_passes_after(attempt):
    function, fragments = BAD_ATTEMPTS[attempt]
    assert_incorrect(q2.check(function), *fragments)
    assert_correct(run_solution(q2, "q2"))  # Same process, same q2: nothing the attempt did lingers.


def test_q2_never_tells_a_uint8_function_to_clip():
    message = q2.check(_noisy_digits).message
    assert "clip" not in message.lower()


def test_q2_one_pattern_for_the_batch_is_named_every_time():
    function, fragments = BAD_ATTEMPTS["one pattern for the whole batch"]
    for _ in range(20):  # Deterministic, not a lucky draw: the same message on every try.
        assert_incorrect(q2.check(function), *fragments)


def test_q2_in_place_attempt_changes_only_its_copy():
    seen = []

    def add_noise(images, std):
        seen.append(images)
        return _in_place(images, std)

    assert_incorrect(q2.check(add_noise), "in place")
    assert_correct(run_solution(q2, "q2"))
    assert len({id(images) for images in seen}) == len(seen)  # A fresh copy on every call.


def test_q2_wrong_types_and_crashes():
    assert_incorrect(q2.check(np.zeros((2, 28, 28))), "function", "add_noise")

    def forgets_return(images, std):
        np.clip(images + _rng().normal(0, std, images.shape), 0, 1)

    assert_incorrect(q2.check(forgets_return), "return")

    def returns_text(images, std):
        return "noisy"

    assert_incorrect(q2.check(returns_text), "array of numbers")

    def crashes(images, std):
        return images + _rng().normal(0, std, size=(3, 3))

    assert_incorrect(q2.check(crashes), "raised `ValueError")


# Exercise 3: a convolutional autoencoder with a 7 × 7 × 8 code.

RELU = {"padding": "same", "activation": "relu"}


def _autoencoder(encoder=None, decoder=None, first=None, last=None):
    """Build a Sequential model for the tests: input, `first`, encoder, decoder, `last`."""
    first = first if first is not None else [layers.Rescaling(1 / 255), layers.Reshape((28, 28, 1))]
    encoder = (
        encoder
        if encoder is not None
        else [layers.Conv2D(16, 3, **RELU), layers.MaxPooling2D(2), layers.Conv2D(8, 3, **RELU), layers.MaxPooling2D(2)]
    )
    decoder = (
        decoder
        if decoder is not None
        else [
            layers.UpSampling2D(2),
            layers.Conv2D(16, 3, **RELU),
            layers.UpSampling2D(2),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ]
    )
    last = last if last is not None else [layers.Reshape((28, 28))]
    return keras.Sequential([keras.Input(shape=(28, 28)), *first, *encoder, *decoder, *last])


def assert_incorrect_model(model, *fragments):
    """Assert q3 rejects `model` with the fragments, and names no layer by Keras' automatic name."""
    result = q3.check(model)
    assert_incorrect(result, *fragments)
    for layer in leaf_layers(model):
        assert not re.search(rf"\b{re.escape(layer.name)}\b", result.message), (layer.name, result.message)
    return result


def test_q3_accepts_transposed_convolutions_and_relu_layers():
    transposed = [
        layers.Conv2DTranspose(16, 3, strides=2, **RELU),
        layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
    ]
    assert_correct(q3.check(_autoencoder(decoder=transposed)))
    relu_layers = [
        layers.Conv2D(16, 3, padding="same"),
        layers.ReLU(),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, (3, 3), padding="same"),
        layers.Activation("relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
    ]
    sigmoid_layer = [
        layers.UpSampling2D(4),
        layers.Conv2D(16, 3, padding="same"),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.Conv2D(1, 3, padding="same"),
        layers.Activation("sigmoid"),
    ]
    assert_correct(q3.check(_autoencoder(encoder=relu_layers, decoder=sigmoid_layer)))


def test_q3_accepts_other_valid_orders_and_spellings():
    # Reshape before Rescaling: the pixels are still rescaled before the first convolution.
    assert_correct(q3.check(_autoencoder(first=[layers.Reshape((28, 28, 1)), layers.Rescaling(1 / 255)])))
    encoder = [
        layers.Conv2D(16, kernel_size=(3, 3), padding="same", activation=keras.activations.relu),
        layers.MaxPool2D(),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2, padding="same"),
    ]
    decoder = [  # Transposed convolutions that do not grow the maps, after UpSampling2D.
        layers.UpSampling2D(2),
        layers.Conv2DTranspose(16, 3, **RELU),
        layers.UpSampling2D(2),
        layers.Conv2DTranspose(8, 3, **RELU),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ]
    assert_correct(q3.check(_autoencoder(encoder=encoder, decoder=decoder)))


def test_q3_accepts_an_encoder_and_a_decoder_chained():
    encoder = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Rescaling(1 / 255),
            layers.Reshape((28, 28, 1)),
            layers.Conv2D(16, 3, **RELU),
            layers.MaxPooling2D(2),
            layers.Conv2D(8, 3, **RELU),
            layers.MaxPooling2D(2),
        ]
    )
    decoder = keras.Sequential(
        [
            keras.Input(shape=(7, 7, 8)),
            layers.Conv2DTranspose(16, 3, strides=2, **RELU),
            layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
            layers.Reshape((28, 28)),
        ]
    )
    assert_correct(q3.check(keras.Sequential([keras.Input(shape=(28, 28)), encoder, decoder])))


def test_q3_wrong_input_shape_and_no_rescaling():
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, **RELU),
            layers.MaxPooling2D(2),
            layers.Conv2D(8, 3, **RELU),
            layers.MaxPooling2D(2),
            layers.UpSampling2D(4),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ]
    )
    assert_incorrect_model(model, "(28, 28)")
    assert_incorrect_model(_autoencoder(first=[layers.Reshape((28, 28, 1))]), "Rescaling(1 / 255)")


def test_q3_rescaling_placed_last():
    model = _autoencoder(
        first=[layers.Reshape((28, 28, 1))], last=[layers.Reshape((28, 28)), layers.Rescaling(1 / 255)]
    )
    # The only Rescaling is "your Rescaling" (no ordinal), as in 04: one naming rule, `model_rules.your_layer`.
    assert_incorrect_model(model, "your Rescaling comes after your first Conv2D", "first")


def test_q3_dense_layers_are_not_convolutional():
    decoder = [layers.Flatten(), layers.Dense(784, activation="sigmoid")]
    assert_incorrect_model(_autoencoder(decoder=decoder), "no `Flatten` or `Dense`")


def test_q3_missing_pooling():
    encoder = [layers.Conv2D(16, 3, **RELU), layers.Conv2D(8, 3, **RELU)]
    decoder = [layers.Conv2D(1, 3, padding="same", activation="sigmoid")]
    assert_incorrect_model(_autoencoder(encoder=encoder, decoder=decoder), "MaxPooling2D")


def test_q3_strided_convolution_instead_of_pooling():
    encoder = [layers.Conv2D(16, 3, strides=2, **RELU), layers.Conv2D(8, 3, strides=2, **RELU)]
    assert_incorrect_model(_autoencoder(encoder=encoder), "your first Conv2D", "strides=2", "pooling")
    encoder = [
        layers.Conv2D(16, 3, **RELU),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, strides=2, **RELU),
    ]
    assert_incorrect_model(_autoencoder(encoder=encoder), "your second Conv2D", "strides=2")


def test_q3_average_pooling():
    encoder = [
        layers.Conv2D(16, 3, **RELU),
        layers.AveragePooling2D(2),
        layers.Conv2D(8, 3, **RELU),
        layers.AveragePooling2D(2),
    ]
    assert_incorrect_model(_autoencoder(encoder=encoder), "your first AveragePooling2D", "max pooling")
    mixed = [
        layers.Conv2D(16, 3, **RELU),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, **RELU),
        layers.AveragePooling2D(2),
    ]
    assert_incorrect_model(_autoencoder(encoder=mixed), "your AveragePooling2D", "MaxPooling2D(2)")


def test_q3_convolutions_then_poolings():
    encoder = [
        layers.Conv2D(16, 3, **RELU),
        layers.Conv2D(8, 3, **RELU),
        layers.MaxPooling2D(2),
        layers.MaxPooling2D(2),
    ]
    assert_incorrect_model(
        _autoencoder(encoder=encoder), "Conv2D, Conv2D, MaxPooling2D, MaxPooling2D", "followed by its pooling"
    )


def test_q3_one_pooling_only():
    encoder = [layers.Conv2D(16, 3, **RELU), layers.MaxPooling2D(2), layers.Conv2D(8, 3, **RELU)]
    decoder = [
        layers.UpSampling2D(2),
        layers.Conv2D(16, 3, **RELU),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ]
    assert_incorrect_model(_autoencoder(encoder=encoder, decoder=decoder), "14 × 14", "7 × 7")


def test_q3_wrong_pool_size():
    encoder = [
        layers.Conv2D(16, 3, **RELU),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, **RELU),
        layers.MaxPooling2D(2, strides=1, padding="same"),
    ]
    decoder = [layers.UpSampling2D(2), layers.Conv2D(1, 3, padding="same", activation="sigmoid")]
    result = assert_incorrect_model(_autoencoder(encoder=encoder, decoder=decoder))
    assert "14 × 14" in result.message or "your second MaxPooling2D" in result.message


def test_q3_five_by_five_kernels():
    encoder = [
        layers.Conv2D(16, 5, **RELU),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 5, **RELU),
        layers.MaxPooling2D(2),
    ]
    assert_incorrect_model(_autoencoder(encoder=encoder), "your first Conv2D", "5×5", "3×3")
    encoder = [
        layers.Conv2D(16, 3, **RELU),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 5, **RELU),
        layers.MaxPooling2D(2),
    ]
    assert_incorrect_model(_autoencoder(encoder=encoder), "your second Conv2D", "5×5")


def test_q3_valid_padding():
    encoder = [
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, activation="relu"),
        layers.MaxPooling2D(2),
    ]
    decoder = [layers.UpSampling2D(2), layers.Conv2D(1, 3, padding="same", activation="sigmoid")]
    assert_incorrect_model(
        _autoencoder(encoder=encoder, decoder=decoder, last=[]), 'padding="same"', "your first Conv2D"
    )


@pytest.mark.parametrize("filters", [(32, 64), (8, 16), (16, 16)])
def test_q3_wrong_filter_counts(filters):
    encoder = [
        layers.Conv2D(filters[0], 3, **RELU),
        layers.MaxPooling2D(2),
        layers.Conv2D(filters[1], 3, **RELU),
        layers.MaxPooling2D(2),
    ]
    assert_incorrect_model(_autoencoder(encoder=encoder), "16 then 8")


def test_q3_no_upsampling():
    decoder = [layers.Conv2D(1, 3, padding="same", activation="sigmoid"), layers.Reshape((7, 7))]
    assert_incorrect_model(_autoencoder(decoder=decoder, last=[]), "UpSampling2D")


def test_q3_encoder_convolution_without_relu():
    encoder = [
        layers.Conv2D(16, 3, padding="same", activation="tanh"),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, **RELU),
        layers.MaxPooling2D(2),
    ]
    assert_incorrect_model(_autoencoder(encoder=encoder), "your first Conv2D", 'activation="relu"')


def test_q3_decoder_with_no_relu_convolution():
    straight = [layers.UpSampling2D(4), layers.Conv2D(1, 3, padding="same", activation="sigmoid")]
    assert_incorrect_model(_autoencoder(decoder=straight), "ReLU convolutions in the decoder")
    transposed = [layers.Conv2DTranspose(1, 3, strides=4, padding="same", activation="sigmoid")]
    assert_incorrect_model(_autoencoder(decoder=transposed), "ReLU convolutions in the decoder")
    linear = [
        layers.UpSampling2D(2),
        layers.Conv2D(16, 3, padding="same"),
        layers.UpSampling2D(2),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ]
    assert_incorrect_model(_autoencoder(decoder=linear), "your third Conv2D", 'activation="relu"')


def test_q3_last_convolution_with_several_filters_or_no_sigmoid():
    def decoder(last):
        return [layers.UpSampling2D(2), layers.Conv2D(16, 3, **RELU), layers.UpSampling2D(2), last]

    three_channels = decoder(layers.Conv2D(3, 3, padding="same", activation="sigmoid"))
    model = _autoencoder(decoder=three_channels, last=[layers.Reshape((28, 28, 3))])
    assert_incorrect_model(model, "1 filter", "your fourth Conv2D")
    assert_incorrect_model(_autoencoder(decoder=decoder(layers.Conv2D(1, 3, padding="same"))), "sigmoid")
    relu_output = decoder(layers.Conv2D(1, 3, **RELU))
    assert_incorrect_model(_autoencoder(decoder=relu_output), "sigmoid")


def test_q3_output_not_reshaped():
    assert_incorrect_model(_autoencoder(last=[]), "(4, 28, 28)", "Reshape((28, 28))")


def test_q3_wrong_types():
    assert_incorrect(q3.check([layers.Conv2D(16, 3)]), "Keras model")
    assert_incorrect(q3.check(layers.Conv2D(16, 3)), "single layer")
    assert_incorrect(q3.check(keras.Sequential([layers.Conv2D(16, 3)])), "keras.Input")


# Exercise 4: a dense autoencoder with a 4-number code, trained and measured.


@pytest.fixture(scope="module")
def digits():
    (x_train, _), (x_test, _) = load_mnist("sample")
    return x_train, x_test


def _small(units=4, compiled=True):
    """A dense autoencoder like the exercise's, compiled like the notebook's autoencoders."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Rescaling(1 / 255),
            layers.Flatten(),
            layers.Dense(units),  # The code has no activation, like the notebook's dense code.
            layers.Dense(28 * 28, activation="sigmoid"),
            layers.Reshape((28, 28)),
        ]
    )
    return notebook_function("05_autoencoder", "compile_autoencoder")(model) if compiled else model


@pytest.fixture(scope="module")
def small(digits):
    """A 4-number autoencoder whose weights are set, not trained: the 4 principal components of the digits.

    The code is a digit's coordinates along them; the decoder adds them back to the average digit through the
    sigmoid, linearised around it. It beats drawing the average digit at once, with no training.
    """
    x_train, _ = digits
    pixels = x_train.reshape(len(x_train), -1) / 255
    mean = pixels.mean(axis=0)
    directions = np.linalg.svd(pixels - mean, full_matrices=False)[2][:4]  # 4 × 784.
    clipped = np.clip(mean, 0.02, 0.98)  # sigmoid(logit(m) + d / (m(1 − m))) ≈ m + d for a small d.
    model = _small()
    model.layers[2].set_weights([directions.T, -mean @ directions.T])
    model.layers[3].set_weights([directions / (clipped * (1 - clipped)), np.log(clipped / (1 - clipped))])
    return model


def _mse(model, x):
    return float(np.mean((np.asarray(model(x)) - x / 255) ** 2))


def test_q4_the_fixture_model_beats_the_average_digit(small, digits):
    _, x_test = digits
    clean = x_test / 255
    assert _mse(small, x_test) < 0.9 * np.mean((clean.mean(axis=0) - clean) ** 2)


def test_q4_accepts_the_measured_error_in_several_forms(small, digits):
    _, x_test = digits
    mse = _mse(small, x_test)
    assert_correct(q4.check(small, x_test, mse))
    assert_correct(q4.check(small, x_test, np.float32(mse)))
    assert_correct(q4.check(small, x_test, tf.constant(mse)))
    assert_correct(q4.check(small, x_test, float(f"{mse:.3g}")))
    assert_correct(q4.check(small, x_test, float(f"{mse:.2g}")))
    assert_correct(q4.check(small, x_test, np.mean((small.predict(x_test, verbose=0) - x_test / 255) ** 2)))
    assert_correct(q4.check(small, x_test, small.evaluate(x_test, x_test / 255, verbose=0, return_dict=True)["mse"]))
    part = x_test[:MIN_DIGITS]
    assert_correct(q4.check(small, part, _mse(small, part)))


def test_q4_blanks_are_not_attempted(small, digits):
    _, x_test = digits
    assert_not_attempted(q4.check(____, x_test, ____))
    assert_not_attempted(q4.check(____))  # Nothing written yet: not a wrong count.
    assert_not_attempted(q4.check(small, x_test, ____))
    assert_not_attempted(q4.check(____.fit(), x_test, 0.05))


@pytest.mark.parametrize(
    ("transform", "fragment"),
    [
        (np.sqrt, "square root"),
        (lambda mse: mse * 255**2, "0-255"),
        (lambda mse: mse * 784, "summed over the 784 pixels"),
        (lambda mse: mse * 1.1, "close, but"),
        (lambda mse: mse * 0.5, "not the mean squared error"),
    ],
)
def test_q4_wrong_error_values(small, digits, transform, fragment):
    _, x_test = digits
    assert_incorrect(q4.check(small, x_test, transform(_mse(small, x_test))), fragment)


def test_q4_mean_absolute_error(small, digits):
    _, x_test = digits
    mae = float(np.mean(np.abs(np.asarray(small(x_test)) - x_test / 255)))
    assert_incorrect(q4.check(small, x_test, mae), "absolute")


def test_q4_evaluate_returns_the_loss_not_the_mse(small, digits):
    _, x_test = digits
    loss, mse = small.evaluate(x_test, x_test / 255, verbose=0)
    # For this model the loss is also close to the RMSE: the message then names both slips.
    assert_incorrect(q4.check(small, x_test, loss), "binary cross-entropy", "evaluate()", "mean squared error")
    assert "evaluate()" in q4.hint()._repr_markdown_()
    assert_incorrect(
        q4.check(small, x_test, [loss, mse]), "evaluate()", "first number is the loss", "among the metrics"
    )
    assert_incorrect(q4.check(small, x_test, loss * 1.05), "looks like a binary cross-entropy")


def test_q4_measured_error_names_the_loss_and_the_rmse_apart_or_together():
    apart = MeasuredError(measured=0.05, crossentropy=0.15, absolute=0.1)
    assert_incorrect(apart.check(0.15), "binary cross-entropy", "evaluate()", "not the mean squared error")
    assert_incorrect(apart.check(0.16), "looks like a binary cross-entropy")
    assert_incorrect(apart.check(0.05**0.5), "square root")
    assert "cross-entropy" not in apart.check(0.05**0.5).message
    assert_incorrect(apart.check(0.1), "absolute")
    together = MeasuredError(measured=0.05, crossentropy=0.05**0.5, absolute=0.1)
    assert_incorrect(together.check(0.05**0.5), "either the binary cross-entropy", "square root")


def test_q4_evaluate_is_right_when_the_loss_is_the_mse(small, digits):
    _, x_test = digits
    model = _small(compiled=False)
    model.set_weights(small.get_weights())
    model.compile(optimizer="adam", loss="mse")  # Then `evaluate()` returns the MSE itself.
    assert_correct(q4.check(model, x_test, model.evaluate(x_test, x_test / 255, verbose=0)))
    model.compile(optimizer="adam", loss="mse", metrics=["mse"])
    assert_incorrect(q4.check(model, x_test, model.evaluate(x_test, x_test / 255, verbose=0)), "single number", "alone")


def test_q4_judges_on_test_digits_not_training_digits_nor_a_few(small, digits):
    x_train, x_test = digits
    assert_incorrect(q4.check(small, x_train, _mse(small, x_train)), "training digits", "x_test")
    assert_incorrect(q4.check(small, x_train[:500], _mse(small, x_train[:500])), "training digits")
    assert_incorrect(q4.check(small, x_test[:10], _mse(small, x_test[:10])), "too few", f"{MIN_DIGITS}")
    noisy = np.clip(x_test + np.random.default_rng(0).normal(0, 60, x_test.shape), 0, 255).astype(np.uint8)
    assert_incorrect(q4.check(small, noisy, _mse(small, noisy)), "not the test digits")


def test_q4_number_must_match_the_digits_passed(small, digits):
    _, x_test = digits
    errors = np.mean((np.asarray(small(x_test)) - x_test / 255) ** 2, axis=(1, 2))
    hardest = x_test[np.argsort(errors)[-MIN_DIGITS:]]  # The worst-rebuilt test digits: a much larger error.
    assert _mse(small, hardest) > 1.25 * _mse(small, x_test)  # Beyond what "close" covers (20 %).
    assert_correct(q4.check(small, hardest, _mse(small, hardest)))
    assert_incorrect(q4.check(small, hardest, _mse(small, x_test)), "not the mean squared error")


def test_q4_the_checker_does_not_change_the_learner_digits(small, digits):
    _, x_test = digits
    before = x_test.copy()
    q4.check(small, x_test, 0.05)
    assert np.array_equal(before, x_test)


def test_q4_held_out_digits_are_test_digits():
    held_out, _ = held_out_digits()
    (x_train, _), (x_test, _) = load_mnist()
    assert np.array_equal(held_out, x_test[: len(held_out)]) and len(held_out) >= MIN_DIGITS


def test_q4_the_32_number_code_or_another_size(digits):
    _, x_test = digits
    assert_incorrect(q4.check(_small(32), x_test, 0.05), "still holds 32")
    result = q4.check(_small(8), x_test, 0.05)
    assert_incorrect(result, "your first Dense", "holds 8 numbers", "code of 4")
    assert "dense_" not in result.message


def test_q4_untrained_model(digits):
    _, x_test = digits
    model = _small()
    assert_incorrect(q4.check(model, x_test, _mse(model, x_test)), "average digit", "train it")
    assert "fit" in q4.hint()._repr_markdown_()


def test_q4_hints_answer_the_measurement_not_the_building():
    assert all("build" not in hint.lower() for hint in q4.hints)
    assert "x_test / 255" in q4.hints[0]


def test_q4_output_must_be_images_in_0_1(digits):
    _, x_test = digits
    model = keras.Sequential(
        [keras.Input(shape=(28, 28)), layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(4), layers.Dense(784)]
    )
    assert_incorrect(q4.check(model, x_test, 0.05), "(4, 28, 28)")
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Rescaling(1 / 255),
            layers.Flatten(),
            layers.Dense(4),
            layers.Dense(784),
            layers.Reshape((28, 28)),
        ]
    )
    assert_incorrect(q4.check(model, x_test, 0.05), "sigmoid")


@pytest.mark.parametrize(
    ("problem", "answers", "call"),
    [
        (q1, (), "`q1.check(ratio)`"),
        (q1, (1.36, 576), "`q1.check(ratio)`"),
        (q2, (), "`q2.check(add_noise)`"),
        (q3, (None, None), "`q3.check(my_autoencoder)`"),
        (q4, (None, 0.05), "`q4.check(small_autoencoder, x_test, small_mse)`"),
        (q4, (____, 0.05), "`q4.check(small_autoencoder, x_test, small_mse)`"),
        (q4, (None, None, 0.05, 1), "`q4.check(small_autoencoder, x_test, small_mse)`"),
    ],
)
def test_wrong_number_of_values_names_the_call(problem, answers, call):
    assert_incorrect(problem.check(*answers), f"`q{problem.number}.check` takes", call)


def test_q4_wrong_digits_and_wrong_types(small, digits):
    _, x_test = digits
    mse = _mse(small, x_test)
    assert_incorrect(q4.check(small, x_test / 255, mse), "uint8")
    assert_incorrect(q4.check(small, x_test.reshape(-1, 784), mse), "shaped (n, 28, 28)")
    assert_incorrect(q4.check(small, x_test, "0.05"), "remove the quotes")
    assert_incorrect(q4.check(small, x_test, (mse, mse)), "single number")
    assert_incorrect(q4.check("model", x_test, mse), "Keras model")
