"""Tests of the exercises of notebook 05 · Autoencoders: solutions, blanks, typical mistakes."""

import keras
import numpy as np
import pytest
from keras import layers

from tests.exercise_helpers import assert_correct, assert_incorrect, assert_not_attempted, run_solution
from utils.checks import ____
from utils.checks.nb05 import DECK_CODE, PIXELS, q1, q2, q3, q4
from utils.data import load_mnist

# Exercise 1: the compression ratio of the decks' convolutional encoder.


def test_q1_solution_passes_and_matches_keras():
    assert_correct(run_solution(q1, "q1"))
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


def test_q1_accepts_a_sensible_rounding():
    assert_correct(q1.check(1.36))
    assert_correct(q1.check(np.float32(784 / 576)))


def test_q1_blank_is_not_attempted():
    assert_not_attempted(q1.check(____))
    assert_not_attempted(q1.check(784 / ____))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (576 / 784, "inverse"),
        (0.73, "inverse"),
        (784 / 9, "64 numbers"),
        (784 / 64, "channels only"),
        (784 / (7 * 7 * 64), "before the last max pooling"),
        (784 / (4 * 4 * 64), "3×3, not 4×4"),
        (784 - 576, "difference"),
        (784 / 32, "dense autoencoder"),
        (2, "height × width × channels"),
    ],
)
def test_q1_typical_mistakes(answer, fragment):
    assert_incorrect(q1.check(answer), fragment)


def test_q1_mistakes_carry_a_hint_and_the_check_never_reveals_the_answer():
    result = q1.check(576 / 784)
    assert "1.36" not in result.message
    assert "about your last answer" in q1.hint()._repr_markdown_()


def test_q1_wrong_type():
    assert_incorrect(q1.check("1.36"), "remove the quotes")
    assert_incorrect(q1.check((3, 3, 64)), "single number")


# Exercise 2: add_noise(images, std).


def test_q2_solution_passes():
    result = run_solution(q2, "q2")
    assert_correct(result)
    assert not result.message.lower().startswith("right")


def test_q2_accepts_other_generators_and_dtypes():
    def with_legacy_numpy(images, std):
        return np.clip(images + np.random.normal(0, std, images.shape), 0, 1).astype("float32")  # noqa: NPY002

    def with_tensorflow(images, std):
        import tensorflow as tf

        return tf.clip_by_value(images + tf.random.normal(images.shape, stddev=std), 0.0, 1.0)

    assert_correct(q2.check(with_legacy_numpy))
    assert_correct(q2.check(with_tensorflow))


def test_q2_blank_and_blank_body_are_not_attempted():
    assert_not_attempted(q2.check(____))

    def add_noise(images, std):
        return ____

    assert_not_attempted(q2.check(add_noise))

    def half_done(images, std):
        return np.clip(images + ____, 0, 1)

    assert_not_attempted(q2.check(half_done))


def _rng():
    return np.random.default_rng(0)


def test_q2_no_clipping():
    def add_noise(images, std):
        return images + _rng().normal(0, std, images.shape)

    assert_incorrect(q2.check(add_noise), "outside [0, 1]", "np.clip")


def test_q2_clipping_before_adding_the_noise():
    def add_noise(images, std):
        return np.clip(np.clip(images, 0, 1) + _rng().normal(0, std, images.shape), 0, 1)

    assert_correct(q2.check(add_noise))  # Clipping twice is harmless.

    def clips_the_noise(images, std):
        return images + np.clip(_rng().normal(0, std, images.shape), 0, 0)

    assert_incorrect(q2.check(clips_the_noise), "no noise")


def test_q2_multiplied_noise_leaves_black_black():
    def add_noise(images, std):
        return np.clip(images * (1 + _rng().normal(0, std, images.shape)), 0, 1)

    assert_incorrect(q2.check(add_noise), "black images stay black", "*add*")


def test_q2_uniform_noise_is_not_centred():
    def add_noise(images, std):
        return np.clip(images + std * _rng().random(images.shape), 0, 1)

    assert_incorrect(q2.check(add_noise), "mean of 0", "rng.normal")


def test_q2_one_noise_value_per_image():
    def add_noise(images, std):
        noise = _rng().normal(0, std, (len(images), 1, 1))
        return np.clip(images + noise, 0, 1)

    assert_incorrect(q2.check(add_noise), "one per image")


def test_q2_variance_instead_of_standard_deviation():
    def add_noise(images, std):
        return np.clip(images + _rng().normal(0, std**2, images.shape), 0, 1)

    assert_incorrect(q2.check(add_noise), "not the variance")


def test_q2_ignores_the_std_argument():
    def add_noise(images, std):
        return np.clip(images + _rng().normal(0, 0.3, images.shape), 0, 1)

    assert_incorrect(q2.check(add_noise), "standard deviation `std`")


def test_q2_uniform_noise_with_the_right_spread():
    def add_noise(images, std):
        half_width = std * np.sqrt(3)  # A uniform distribution with standard deviation `std`.
        return np.clip(images + _rng().uniform(-half_width, half_width, images.shape), 0, 1)

    assert_incorrect(q2.check(add_noise), "bell shape")


def test_q2_changes_the_images_in_place():
    def add_noise(images, std):
        images += _rng().normal(0, std, images.shape)
        np.clip(images, 0, 1, out=images)
        return images

    assert_incorrect(q2.check(add_noise), "in place")


def test_q2_wrong_shape_and_no_noise():
    def one_image(images, std):
        return np.clip(images[0] + _rng().normal(0, std, images[0].shape), 0, 1)

    assert_incorrect(q2.check(one_image), "shape")

    def no_noise(images, std):
        return np.clip(images, 0, 1)

    assert_incorrect(q2.check(no_noise), "no noise")


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


def _autoencoder(encoder=None, decoder=None, first=None, last=None):
    """Build a Sequential model for the tests: input, `first`, encoder, decoder, `last`."""
    first = first if first is not None else [layers.Rescaling(1 / 255), layers.Reshape((28, 28, 1))]
    encoder = (
        encoder
        if encoder is not None
        else [
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(8, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
        ]
    )
    decoder = (
        decoder
        if decoder is not None
        else [
            layers.UpSampling2D(2),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.UpSampling2D(2),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ]
    )
    last = last if last is not None else [layers.Reshape((28, 28))]
    return keras.Sequential([keras.Input(shape=(28, 28)), *first, *encoder, *decoder, *last])


def test_q3_solution_passes():
    result = run_solution(q3, "q3")
    assert_correct(result)
    assert "parameters" in result.message


def test_q3_accepts_transposed_convolutions_and_relu_layers():
    transposed = [
        layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
    ]
    assert_correct(q3.check(_autoencoder(decoder=transposed)))
    relu_layers = [
        layers.Conv2D(16, 3, padding="same"),
        layers.ReLU(),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, padding="same"),
        layers.Activation("relu"),
        layers.MaxPooling2D(2),
    ]
    sigmoid_layer = [layers.UpSampling2D(4), layers.Conv2D(1, 3, padding="same"), layers.Activation("sigmoid")]
    assert_correct(q3.check(_autoencoder(encoder=relu_layers, decoder=sigmoid_layer)))


def test_q3_accepts_an_encoder_and_a_decoder_chained():
    encoder = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Rescaling(1 / 255),
            layers.Reshape((28, 28, 1)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(8, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
        ]
    )
    decoder = keras.Sequential(
        [
            keras.Input(shape=(7, 7, 8)),
            layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
            layers.Reshape((28, 28)),
        ]
    )
    assert_correct(q3.check(keras.Sequential([keras.Input(shape=(28, 28)), encoder, decoder])))


def test_q3_blank_is_not_attempted():
    assert_not_attempted(q3.check(____))


def test_q3_wrong_input_shape_and_no_rescaling():
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(8, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.UpSampling2D(4),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ]
    )
    assert_incorrect(q3.check(model), "(28, 28)")
    assert_incorrect(q3.check(_autoencoder(first=[layers.Reshape((28, 28, 1))])), "Rescaling(1 / 255)")


def test_q3_dense_layers_are_not_convolutional():
    decoder = [layers.Flatten(), layers.Dense(784, activation="sigmoid")]
    assert_incorrect(q3.check(_autoencoder(decoder=decoder)), "no `Flatten` or `Dense`")


def test_q3_missing_pooling():
    encoder = [
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
    ]
    decoder = [layers.Conv2D(1, 3, padding="same", activation="sigmoid")]
    assert_incorrect(q3.check(_autoencoder(encoder=encoder, decoder=decoder)), "MaxPooling2D")


def test_q3_one_pooling_only():
    encoder = [
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
    ]
    decoder = [layers.UpSampling2D(2), layers.Conv2D(1, 3, padding="same", activation="sigmoid")]
    assert_incorrect(q3.check(_autoencoder(encoder=encoder, decoder=decoder)), "14 × 14", "7 × 7")


@pytest.mark.parametrize("filters", [(32, 64), (8, 16), (16, 16)])
def test_q3_wrong_filter_counts(filters):
    encoder = [
        layers.Conv2D(filters[0], 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(filters[1], 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
    ]
    assert_incorrect(q3.check(_autoencoder(encoder=encoder)), "16 then 8")


def test_q3_no_upsampling():
    decoder = [layers.Conv2D(1, 3, padding="same", activation="sigmoid"), layers.Reshape((7, 7))]
    model = _autoencoder(decoder=decoder, last=[])
    assert_incorrect(q3.check(model), "UpSampling2D")


def test_q3_hidden_convolution_without_relu():
    decoder = [
        layers.UpSampling2D(2),
        layers.Conv2D(16, 3, padding="same"),
        layers.UpSampling2D(2),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ]
    assert_incorrect(q3.check(_autoencoder(decoder=decoder)), 'activation="relu"')
    encoder = [
        layers.Conv2D(16, 3, padding="same", activation="tanh"),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
    ]
    assert_incorrect(q3.check(_autoencoder(encoder=encoder)), "ReLU")


def test_q3_last_convolution_with_several_filters_or_no_sigmoid():
    three_channels = [
        layers.UpSampling2D(4),
        layers.Conv2D(3, 3, padding="same", activation="sigmoid"),
    ]
    assert_incorrect(q3.check(_autoencoder(decoder=three_channels, last=[layers.Reshape((28, 28, 3))])), "1 filter")
    linear = [layers.UpSampling2D(4), layers.Conv2D(1, 3, padding="same")]
    assert_incorrect(q3.check(_autoencoder(decoder=linear)), "sigmoid")
    relu_output = [layers.UpSampling2D(4), layers.Conv2D(1, 3, padding="same", activation="relu")]
    assert_incorrect(q3.check(_autoencoder(decoder=relu_output)), "sigmoid")


def test_q3_output_not_reshaped():
    assert_incorrect(q3.check(_autoencoder(last=[])), "(4, 28, 28)", "Reshape((28, 28))")


def test_q3_wrong_types():
    assert_incorrect(q3.check([layers.Conv2D(16, 3)]), "Keras model")
    assert_incorrect(q3.check(layers.Conv2D(16, 3)), "single layer")
    assert_incorrect(q3.check(keras.Sequential([layers.Conv2D(16, 3)])), "keras.Input")


# Exercise 4: a dense autoencoder with a 4-number code, trained and measured.


@pytest.fixture(scope="module")
def digits():
    (x_train, _), (x_test, _) = load_mnist("sample")
    return x_train, x_test[:300]


@pytest.fixture(scope="module")
def trained(digits):
    """The exercise's solution, trained briefly (a few seconds), and the error it measures."""
    x_train, x_test = digits
    return run_solution(q4, "q4", x_train=x_train, x_test=x_test)


def _small(units=4):
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Rescaling(1 / 255),
            layers.Flatten(),
            layers.Dense(units, activation="relu"),
            layers.Dense(28 * 28, activation="sigmoid"),
            layers.Reshape((28, 28)),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy")
    return model


@pytest.fixture(scope="module")
def small(digits):
    x_train, _ = digits
    keras.utils.set_random_seed(0)
    model = _small()
    model.fit(x_train, x_train / 255, epochs=5, batch_size=32, verbose=0)
    return model


def _mse(model, x):
    return float(np.mean((np.asarray(model(x)) - x / 255) ** 2))


def test_q4_solution_passes(trained):
    result = trained
    assert_correct(result)
    assert "per pixel" in result.message and not result.message.lower().startswith("right")


def test_q4_accepts_the_measured_error_and_a_sensible_rounding(small, digits):
    _, x_test = digits
    mse = _mse(small, x_test)
    assert_correct(q4.check(small, x_test, mse))
    assert_correct(q4.check(small, x_test, np.float32(mse)))
    assert_correct(q4.check(small, x_test, float(f"{mse:.3g}")))


def test_q4_blanks_are_not_attempted(small, digits):
    _, x_test = digits
    assert_not_attempted(q4.check(____))
    assert_not_attempted(q4.check(____, x_test, ____))
    assert_not_attempted(q4.check(small, x_test, ____))
    assert_not_attempted(q4.check(____.fit(), x_test, 0.05))


@pytest.mark.parametrize(
    ("transform", "fragment"),
    [
        (np.sqrt, "square root"),
        (lambda mse: mse * 255**2, "0-255"),
        (lambda mse: mse * 784, "summed over the 784 pixels"),
        (lambda mse: mse * 1.1, "close, but"),
        (lambda mse: mse * 3, "not the mean squared error"),
    ],
)
def test_q4_wrong_error_values(small, digits, transform, fragment):
    _, x_test = digits
    assert_incorrect(q4.check(small, x_test, transform(_mse(small, x_test))), fragment)


def test_q4_the_32_number_code_or_another_size(digits):
    _, x_test = digits
    assert_incorrect(q4.check(_small(32), x_test, 0.05), "still holds 32")
    assert_incorrect(q4.check(_small(8), x_test, 0.05), "holds 8 numbers", "code of 4")


def test_q4_untrained_model(digits):
    _, x_test = digits
    model = _small()
    assert_incorrect(q4.check(model, x_test, _mse(model, x_test)), "average digit", "train it")


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


def test_q4_wrong_digits_and_wrong_types(small, digits):
    _, x_test = digits
    mse = _mse(small, x_test)
    assert_incorrect(q4.check(small, x_test / 255, mse), "uint8")
    assert_incorrect(q4.check(small, x_test.reshape(-1, 784), mse), "shaped (n, 28, 28)")
    assert_incorrect(q4.check(small, x_test, "0.05"), "remove the quotes")
    assert_incorrect(q4.check(small, x_test, (mse, mse)), "single number")
    assert_incorrect(q4.check("model", x_test, mse), "Keras model")
