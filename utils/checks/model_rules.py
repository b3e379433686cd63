"""Rules about a learner's Keras model, written once for the checkers of 03, 04 and 05.

Each rule either answers a question about the model (`activation_after`, `your_layer`, `share_of`) or
raises `Incorrect` with the message a learner sees (`require_raw_digits`, `require_rescaling_first`). A
checker is then a short list of requirements: these rules, and the few that only its exercise has.
The helpers that call or load a model (`require_model`, `run_model`, ...) live in `core` and are
re-exported here, so that a checker imports everything about models from one place.
"""

import numpy as np

from utils.checks.core import (
    Incorrect,
    activation_name,
    close_to,
    course_mnist,
    format_number,
    held_out_digits,
    layers_of,
    require_model,
    require_probabilities,
    run_model,
)
from utils.i18n import N_, _

__all__ = [
    "ORDINALS",
    "activation_after",
    "activation_name",
    "held_out_digits",
    "layers_of",
    "leaf_layers",
    "require_model",
    "require_probabilities",
    "require_raw_digits",
    "require_rescaling_first",
    "run_model",
    "share_of",
    "your_layer",
]

#: How messages count a learner's layers: "your second Conv2D" (translated where shown: `_(ORDINALS[i])`; Spanish
#: agrees them with "capa", a feminine noun: "tu segunda capa Conv2D").
ORDINALS = (
    *(N_("first"), N_("second"), N_("third"), N_("fourth"), N_("fifth")),
    *(N_("sixth"), N_("seventh"), N_("eighth"), N_("ninth"), N_("tenth")),
)
#: What a CNN does to the digits itself, in `require_raw_digits`' message.
RESHAPE_THEM = N_("reshape them")


def leaf_layers(model):
    """Return the model's layers in order, those of nested models (an augmentation block, an encoder) in place.

    The containers themselves and the `InputLayer` are left out: a learner wrote neither as a layer of the model.
    """
    from keras import layers

    return [
        layer for layer in layers_of(model) if not hasattr(layer, "layers") and not isinstance(layer, layers.InputLayer)
    ]


def your_layer(found, layer):
    """Name a learner's layer as they wrote it, by type and ordinal ("your second Conv2D"), never by `layer.name`.

    Keras' automatic names (`conv2d_30`) change every run and the learner never typed them. A layer that is the
    only one of its type is "your Rescaling": an ordinal would suggest there are others.
    """
    kind = type(layer).__name__
    same = [other for other in found if type(other) is type(layer)]
    if len(same) == 1:
        return _("your {kind}").format(kind=kind)
    index = next(i for i, other in enumerate(same) if other is layer)
    ordinal = _(ORDINALS[index]) if index < len(ORDINALS) else f"#{index + 1}"
    return _("your {ordinal} {kind}").format(ordinal=ordinal, kind=kind)


#: Keras layers that only apply an activation, and the activation each applies.
_ACTIVATION_LAYERS = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "ELU": "elu", "PReLU": "prelu", "Softmax": "softmax"}


def _passes_activation_through():
    """Layers skipped between a layer and its activation layer: they change nothing about which activation it is.

    A ReLU after any of them is still a ReLU on the layer's output. Dropout multiplies each value by 0 or by
    1 / (1 - rate), both at least 0, and ReLU(c·x) = c·ReLU(x) for c ≥ 0; max pooling picks a maximum, and a
    maximum of ReLUs is the ReLU of the maximum; a Reshape only moves values. Batch normalization does not
    commute with ReLU, but "Conv2D → BatchNormalization → ReLU" is the standard way to give a convolution its
    ReLU (the normalization needs the values before the activation), so the convolution has its ReLU there too.
    """
    from keras import layers

    return (layers.BatchNormalization, layers.Dropout, layers.MaxPooling2D, layers.Reshape)


def activation_after(found, layer):
    """Return the activation applied to `layer`'s outputs: its own, else an activation layer's right after it.

    `found` is the model's layers in order (`leaf_layers`); the layers of `_passes_activation_through` between
    the layer and its activation layer are skipped. Returns a lower-case name such as "relu" or "sigmoid", or
    "linear" when none is applied.
    """
    from keras import layers

    own = activation_name(layer)
    if own not in (None, "linear"):
        return own
    index = next(i for i, other in enumerate(found) if other is layer)
    skipped = _passes_activation_through()
    after = [other for other in found[index + 1 :] if not isinstance(other, skipped)]
    if not after:
        return "linear"
    if isinstance(after[0], layers.Activation):
        return activation_name(after[0]) or "linear"
    return _ACTIVATION_LAYERS.get(type(after[0]).__name__, "linear")


def require_raw_digits(model, name, inside=RESHAPE_THEM):
    """Raise Incorrect unless `model` takes the digits as `load_mnist()` returns them, shaped (28, 28).

    `inside` says what the model does to them itself ("reshape them" for a CNN, "flatten them" for an MLP).
    """
    shape = tuple(model.inputs[0].shape[1:])
    if shape != (28, 28):
        raise Incorrect(
            _(
                "`{name}` takes inputs shaped {shape}; it should take the digits exactly as load_mnist() returns "
                "them, shaped (28, 28): start with `keras.Input(shape=(28, 28))` and {inside} *inside* the model."
            ).format(name=_(name), shape=shape, inside=_(inside))
        )


def _works_on_pixels(layer):
    """Return True for a layer whose result depends on the pixels' scale: it should come after the Rescaling.

    A Reshape, an augmentation (`RandomRotation`, ...) or the Input may come before it.
    """
    from keras import layers

    working = (layers.Conv2D, layers.Dense, layers.MaxPooling2D, layers.AveragePooling2D, layers.Flatten)
    working += (layers.Dropout, layers.BatchNormalization, layers.GlobalAveragePooling2D)
    return isinstance(layer, working) or bool(layer.trainable_weights)


def require_rescaling_first(model):
    """Raise Incorrect unless `model` rescales the pixels once, from 0-255 to 0-1 (or -1 to 1), before any work."""
    from keras import layers

    found = leaf_layers(model)
    rescaling = [layer for layer in found if isinstance(layer, layers.Rescaling)]
    if not rescaling:
        raise Incorrect(_("the pixels arrive as 0-255: put `layers.Rescaling(1 / 255)` first in the model."))
    if len(rescaling) > 1:
        raise Incorrect(
            _(
                "your model has {count} Rescaling layers: scale the pixels once, with one "
                "`layers.Rescaling(1 / 255)` first in the model."
            ).format(count=len(rescaling))
        )
    scale = float(np.ravel(rescaling[0].scale)[0])
    offset = float(np.ravel(rescaling[0].offset)[0])
    low, high = offset, 255 * scale + offset  # Where the pixels 0 and 255 end up.
    if not (close_to(high, 1, rel=0, abs_tol=0.01) and (close_to(low, 0, abs_tol=0.01) or close_to(low, -1))):
        raise Incorrect(
            _(
                "your Rescaling turns the pixels 0-255 into {low} to {high}: scale them to 0-1 with "
                "`layers.Rescaling(1 / 255)`."
            ).format(low=format_number(low), high=format_number(high))
        )
    before = [layer for layer in found[: found.index(rescaling[0])] if _works_on_pixels(layer)]
    if before:
        raise Incorrect(
            _(
                "your Rescaling comes after {layer}, which then sees pixels of 0-255: "
                "put `layers.Rescaling(1 / 255)` first, before any Conv2D."
            ).format(layer=your_layer(found, before[0])),
            hint=N_("Only the Input (and, if you like, the Reshape) come before the Rescaling."),
        )


# Which digits a learner passed: the test digits, or the training digits the model learned.

_SPLIT_KEYS = {}


def _fingerprints(digits):
    """Return one 64-bit fingerprint per digit (uint64 arithmetic wraps), to find digits in a split quickly."""
    weights = np.random.default_rng(0).integers(1, 2**63, 28 * 28, dtype=np.uint64)
    flat = np.asarray(digits).reshape(len(digits), -1)
    return np.concatenate(
        [(flat[start : start + 4096].astype(np.uint64) * weights).sum(axis=1) for start in range(0, len(flat), 4096)]
        or [np.zeros(0, np.uint64)]
    )


def _split_keys(split):
    """Return the sorted fingerprints of `load_mnist()`'s "train" or "test" digits (loaded once per session)."""
    if split not in _SPLIT_KEYS:
        (x_train, _), (x_test, _) = course_mnist()
        _SPLIT_KEYS["train"] = np.unique(_fingerprints(x_train))
        _SPLIT_KEYS["test"] = np.unique(_fingerprints(x_test))
    return _SPLIT_KEYS[split]


def share_of(digits, split):
    """Return the fraction of `digits` that are exact copies of `load_mnist()`'s "train" or "test" digits.

    The same digits in another dtype (`x_train.astype("float32")`) are still copies; scaled or noisy ones are not.
    """
    digits = np.asarray(digits)
    if not len(digits) or digits.shape[1:] != (28, 28):
        return 0.0
    if digits.dtype != np.uint8:
        if digits.min() < 0 or digits.max() > 255 or not np.array_equal(digits, np.round(digits)):
            return 0.0
        digits = digits.astype(np.uint8)
    return float(np.mean(np.isin(_fingerprints(digits), _split_keys(split))))
