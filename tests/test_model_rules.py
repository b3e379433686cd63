"""Each rule of `utils.checks.model_rules` tested once; the checkers of 03, 04 and 05 are tested on their messages."""

import keras
import numpy as np
import pytest
from keras import layers

from utils.checks import core, model_rules
from utils.checks.core import Incorrect
from utils.checks.model_rules import (
    activation_after,
    leaf_layers,
    require_raw_digits,
    require_rescaling_first,
    share_of,
    your_layer,
)
from utils.data import load_mnist


def _model(*middle, shape=(28, 28)):
    return keras.Sequential([keras.Input(shape=shape), *middle])


def _conv_then(*after):
    """Return (found, conv): a convolution without an activation of its own, followed by `after`."""
    conv = layers.Conv2D(4, 3, padding="same")
    model = _model(layers.Reshape((28, 28, 1)), conv, *after)
    return leaf_layers(model), conv


def test_the_model_helpers_of_core_are_the_ones_model_rules_offers():
    for name in ("require_model", "layers_of", "activation_name", "run_model", "require_probabilities"):
        assert getattr(model_rules, name) is getattr(core, name)


def test_leaf_layers_look_inside_nested_models_and_leave_out_the_containers():
    augment = keras.Sequential([layers.RandomRotation(0.05), layers.RandomZoom(0.1)])
    model = _model(augment, layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(10))
    kinds = [type(layer).__name__ for layer in leaf_layers(model)]
    assert kinds == ["RandomRotation", "RandomZoom", "Rescaling", "Flatten", "Dense"]


def test_your_layer_names_a_layer_as_the_learner_wrote_it():
    convs = [layers.Conv2D(4, 3, padding="same") for _ in range(12)]
    rescaling = layers.Rescaling(1 / 255)
    found = leaf_layers(_model(rescaling, layers.Reshape((28, 28, 1)), *convs))
    assert your_layer(found, rescaling) == "your Rescaling"  # The only one: no ordinal.
    assert your_layer(found, convs[0]) == "your first Conv2D"
    assert your_layer(found, convs[1]) == "your second Conv2D"
    assert your_layer(found, convs[11]) == "your #12 Conv2D"
    assert all(layer.name not in your_layer(found, layer) for layer in found)  # Never Keras' `conv2d_30`.


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ([], "linear"),
        ([layers.ReLU()], "relu"),
        ([layers.Activation("relu")], "relu"),
        ([layers.LeakyReLU()], "leaky_relu"),
        # Conv2D → BatchNormalization → ReLU: the standard way to give a convolution its ReLU.
        ([layers.BatchNormalization(), layers.ReLU()], "relu"),
        # Dropout only scales by 0 or 1 / (1 - rate) ≥ 0, and ReLU(c·x) = c·ReLU(x): still a ReLU of the conv.
        ([layers.Dropout(0.3), layers.ReLU()], "relu"),
        ([layers.BatchNormalization(), layers.Dropout(0.3), layers.Activation("relu")], "relu"),
        # Max pooling and ReLU commute; a Reshape only moves values.
        ([layers.MaxPooling2D(2), layers.ReLU()], "relu"),
        ([layers.Reshape((28 * 28 * 4,)), layers.ReLU()], "relu"),
        # A layer that computes something in between: the ReLU is no longer this convolution's.
        ([layers.Conv2D(4, 3, padding="same"), layers.ReLU()], "linear"),
        ([layers.Activation("sigmoid")], "sigmoid"),
    ],
)
def test_activation_after_finds_the_activation_a_layer_goes_through(after, expected):
    found, conv = _conv_then(*after)
    assert activation_after(found, conv) == expected


def test_activation_after_prefers_the_layers_own_activation():
    conv = layers.Conv2D(4, 3, activation="tanh")
    found = leaf_layers(_model(layers.Reshape((28, 28, 1)), conv, layers.ReLU()))
    assert activation_after(found, conv) == "tanh"


def test_require_raw_digits_names_the_shape_and_what_to_do_inside():
    require_raw_digits(_model(layers.Flatten()), "my_model")
    with pytest.raises(Incorrect) as caught:
        require_raw_digits(_model(layers.Flatten(), shape=(784,)), "my_model", inside="flatten them")
    message = str(caught.value)
    assert "`my_model` takes inputs shaped (784,)" in message
    assert "load_mnist() returns them" in message
    assert "flatten them *inside* the model" in message


@pytest.mark.parametrize(
    "first",
    [
        [layers.Rescaling(1 / 255), layers.Reshape((28, 28, 1))],
        [layers.Reshape((28, 28, 1)), layers.Rescaling(1 / 255)],
        [layers.Rescaling(1 / 127.5, offset=-1), layers.Reshape((28, 28, 1))],  # -1 to 1 is a rescaling too.
        [keras.Sequential([layers.RandomRotation(0.05)]), layers.Rescaling(1 / 255), layers.Reshape((28, 28, 1))],
    ],
)
def test_require_rescaling_first_accepts_one_rescaling_before_the_work(first):
    require_rescaling_first(_model(*first, layers.Conv2D(4, 3)))


@pytest.mark.parametrize(
    ("first", "fragments"),
    [
        ([layers.Reshape((28, 28, 1))], ["arrive as 0-255", "Rescaling(1 / 255)"]),
        ([layers.Rescaling(1 / 255), layers.Rescaling(1 / 255)], ["2 Rescaling layers"]),
        ([layers.Rescaling(255)], ["0 to 65,025", "Rescaling(1 / 255)"]),
        (
            [layers.Reshape((28, 28, 1)), layers.Conv2D(4, 3), layers.Rescaling(1 / 255)],
            ["your Rescaling comes after your Conv2D", "0-255"],
        ),
        # A Dense layer has weights; a Flatten has none but still comes after the Rescaling by this rule.
        ([layers.Flatten(), layers.Dense(8), layers.Rescaling(1 / 255)], ["comes after your Flatten"]),
    ],
)
def test_require_rescaling_first_says_what_is_wrong(first, fragments):
    tail = [layers.Reshape((28, 28, 1)), layers.Conv2D(4, 3)] if len(first) < 3 else []
    with pytest.raises(Incorrect) as caught:
        require_rescaling_first(_model(*first, *tail))
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_share_of_finds_copies_of_a_split_in_any_dtype():
    (x_train, _), (x_test, _) = load_mnist()
    assert share_of(x_train[:200], "train") == 1.0
    assert share_of(x_train[:200].astype("float32"), "train") == 1.0  # The same digits in another dtype.
    assert share_of(x_test[:200], "train") < 0.05
    assert share_of(x_test[:200], "test") == 1.0
    assert share_of(x_train[:200] / 255, "train") == 0.0  # Scaled: not copies.
    noisy = np.clip(x_test[:200].astype("int16") + 1, 0, 255).astype(np.uint8)
    assert share_of(noisy, "test") < 0.05
    assert share_of(x_test[:0], "test") == 0.0
