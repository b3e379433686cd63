"""Exercises of notebook 04 · Convolutional networks."""

import numpy as np

from utils.checks.core import Incorrect, NotAttempted, Problem, as_number, call_learner, close_to

# (size, kernel, stride, padding) cases for Exercise 1, with the deck's 13/6/5 example first.
CONV_CASES = (
    (13, 6, 5, "valid"),
    (13, 6, 5, "same"),
    (28, 5, 1, "valid"),
    (28, 5, 1, "same"),
    (28, 3, 2, "valid"),
    (28, 3, 2, "same"),
    (14, 2, 2, "valid"),
    (7, 3, 3, "same"),
    (5, 3, 1, "valid"),
    (32, 7, 4, "valid"),
)


def expected_conv_size(size, kernel, stride, padding):
    """Return the output length of a convolution or pooling window along one axis (Keras rules)."""
    if padding == "valid":
        return (size - kernel) // stride + 1
    return -(-size // stride)


class ConvOutputSize(Problem):
    title = "Write conv_output_size(size, kernel, stride, padding)"
    hints = (
        'With `"valid"` padding the window must fit entirely inside the input: count how many '
        "start positions 0, stride, 2·stride, ... leave room for `kernel` pixels.",
        '`"valid"`: `(size - kernel) // stride + 1`. `"same"` pads just enough that every stride '
        "step gets a window, so the kernel size no longer matters: divide `size` by `stride` and round up.",
        "Rounding up without floats: `-(-size // stride)`, or `math.ceil(size / stride)`. "
        'Compare `padding` with `"valid"`.',
    )
    solution_code = '''import math


def conv_output_size(size, kernel, stride, padding):
    """Return the output length along one axis of a Keras Conv2D or MaxPooling2D layer."""
    if padding == "valid":
        return (size - kernel) // stride + 1  # Only windows that fit entirely.
    return math.ceil(size / stride)  # "same": one window per stride step, zeros fill the edges.


q1.check(conv_output_size)'''
    blank_message = "Replace `____` in `conv_output_size` with your code, then run the cell again."

    def check_answer(self, function):
        if not callable(function):
            raise Incorrect(
                "pass the function itself, `q1.check(conv_output_size)`, not its result "
                f"(got a {type(function).__name__})."
            )
        results = {}
        for size, kernel, stride, padding in CONV_CASES:
            call = f"conv_output_size({size}, {kernel}, {stride}, {padding!r})"
            try:
                got = call_learner(function, size, kernel, stride, padding)
            except NotAttempted:
                raise
            except Exception as exc:
                raise Incorrect(f"`{call}` raised `{type(exc).__name__}: {exc}`.") from None
            if got is None:
                raise Incorrect(f"`{call}` returned None: did you forget `return`?")
            number = as_number(got, what=f"`{call}`")
            if number != int(number):
                raise Incorrect(
                    f"`{call}` returned {number:g}, which is not a whole number: a layer has a whole number "
                    "of outputs. Round (down or up?) with `//` or `math.ceil`."
                )
            results[(size, kernel, stride, padding)] = int(number)
        for padding in ("valid", "same"):
            self._explain(padding, {case: got for case, got in results.items() if case[3] == padding})
        return 'right: "valid" keeps only windows that fit, "same" gives one output per stride step.'

    @staticmethod
    def _explain(padding, results):
        """Raise Incorrect naming the typical mistake that explains all of `results` for one padding."""
        failing = [case for case, got in results.items() if got != expected_conv_size(*case)]
        if not failing:
            return
        if padding == "valid":
            mistakes = (
                (lambda n, k, s: (n - k) // s, "one short: count the first window too (the `+ 1`)."),
                (lambda n, k, s: -(-(n - k) // s) + 1, '"valid" drops an incomplete last window: round down, not up.'),
                (lambda n, k, s: n - k + 1, "the stride is missing: the window jumps `stride` pixels at a time."),
                (lambda n, k, s: -(-n // s), 'that is the "same" size: with "valid" the kernel must fit inside.'),
            )
            generic = "count the positions where the whole kernel fits, stepping by the stride."
        else:
            mistakes = (
                (lambda n, k, s: n, '"same" keeps the size only when the stride is 1: the stride still divides it.'),
                (lambda n, k, s: n // s, '"same" pads the edges so a last, partial step gets a window: round up.'),
                (
                    lambda n, k, s: (n - k) // s + 1,
                    'that is the "valid" size: "same" pads with zeros, so the kernel size does not shrink it.',
                ),
            )
            generic = '"same" gives one output for every stride step: size divided by stride, rounded up.'
        reason = next(
            (text for rule, text in mistakes if all(got == rule(*case[:3]) for case, got in results.items())), generic
        )
        size, kernel, stride, _ = failing[0]
        call = f"conv_output_size({size}, {kernel}, {stride}, {padding!r})"
        raise Incorrect(f"`{call}` returned {results[failing[0]]}, which is wrong: {reason}")


class CountConvParameters(Problem):
    title = "Count the parameters of a Conv2D layer"
    hints = (
        "Each of the 16 filters holds one 5×5 kernel *per input channel* (the photo has 3: red, green, blue).",
        "Weights: 5 · 5 · 3 · 16. Then every filter adds one bias.",
    )
    solution_code = """# One 5×5 kernel per input channel and per filter, plus one bias per filter.
n_parameters = 5 * 5 * 3 * 16 + 16
q2.check(n_parameters)"""
    blank_message = "Replace `____` with the number of parameters (arithmetic is fine), then run the cell again."

    def check_answer(self, answer):
        value = as_number(answer, "the number of parameters")
        want = 5 * 5 * 3 * 16 + 16
        if close_to(value, want, rel=0, abs_tol=0.5):
            return "right: 5·5·3·16 weights + 16 biases = 1,216, whatever the size of the photo."
        mistakes = {
            5 * 5 * 16 + 16: "that counts one kernel per filter: a filter has one kernel per input channel (3 here).",
            5 * 5 * 3 * 16: "almost: every filter also has a bias.",
            5 * 5 * 16: "each filter has one kernel per input channel (3 here), and a bias.",
            5 * 5 * 3 + 16: "the 5·5·3 weights belong to *each* of the 16 filters.",
            (5 * 5 * 3 + 1) * 16 * 3: "the bias is one per filter, not per channel: count 16 biases.",
            (5 * 5 + 1) * 3 * 16: "the bias is one per filter, not one per kernel: count 16 biases.",
            5 * 5 * 3 * 16 + 3: "the biases: one per filter (16), not per input channel.",
        }
        for wrong, message in mistakes.items():
            if close_to(value, wrong, rel=0, abs_tol=0.5):
                raise Incorrect(message)
        if value > 10_000:
            raise Incorrect(
                "a convolution's parameter count does not depend on the image size (weight sharing): "
                "count kernel height · width · input channels · filters, plus biases."
            )
        raise Incorrect(f"{value:g} is not it: count kernel height · width · input channels per filter, then biases.")


class ShapeAfterPooling(Problem):
    title = "Follow a LeNet-style stack's shapes"
    hints = (
        'Go layer by layer with `conv_output_size`: a 5×5 kernel with "valid" padding and stride 1 '
        "takes 4 pixels off each side length; a 2×2 max pooling with stride 2 halves it.",
        "28 → 24 → 12 → 8 → 4. The channels are the number of filters of the last Conv2D.",
    )
    solution_code = """# 28 -(conv 5, valid)-> 24 -(pool 2)-> 12 -(conv 5, valid)-> 8 -(pool 2)-> 4, with 64 filters.
shape = (4, 4, 64)
q3.check(shape)"""
    blank_message = "Replace `____` with a tuple (height, width, channels), then run the cell again."

    def check_answer(self, answer):
        if hasattr(answer, "as_list"):  # A TensorShape.
            answer = answer.as_list()
        if not isinstance(answer, (tuple, list)):
            raise Incorrect(f"give the shape as a tuple (height, width, channels), not a {type(answer).__name__}.")
        answer = tuple(answer)
        if len(answer) == 4 and answer[0] is None:
            raise Incorrect("leave out the batch dimension (`None`): give (height, width, channels).")
        if len(answer) != 3:
            raise Incorrect(f"a feature map's shape has 3 numbers (height, width, channels); yours has {len(answer)}.")
        values = tuple(int(as_number(v, "each entry of the shape")) for v in answer)
        if values == (4, 4, 64):
            return "right: and a Flatten layer would turn it into 4·4·64 = 1,024 numbers."
        mistakes = {
            (7, 7, 64): 'that is what "same" padding would give: here the convolutions use "valid" padding.',
            (8, 8, 64): "that is the shape after the second convolution: the last max pooling halves it again.",
            (4, 4, 32): "the height and width are right; the channels come from the *last* Conv2D.",
            (5, 5, 64): 'a 5×5 "valid" convolution takes 5 - 1 = 4 pixels off each side length, not 3.',
            (6, 6, 64): 'a 5×5 "valid" convolution takes 5 - 1 = 4 pixels off each side length.',
            (64, 4, 4): "Keras puts the channels last: (height, width, channels).",
        }
        if values in mistakes:
            raise Incorrect(mistakes[values])
        if values[:2] == (4, 4):
            raise Incorrect("the height and width are right; the channels are the filters of the last Conv2D.")
        if values[2] == 64:
            raise Incorrect('the channels are right; recheck the height and width layer by layer ("valid", stride 1).')
        raise Incorrect("follow the size layer by layer: each convolution, then each pooling.")


class Specificity(Problem):
    title = "Specificity from a confusion matrix"
    hints = (
        "Specificity asks: of all the digits that are *not* sevens, what fraction did the detector "
        "correctly call “not a seven”?",
        "In `cm` (rows: true class, columns: predicted class; class 0 = “not a seven”), TN = cm[0, 0] "
        "and FP = cm[0, 1]. Specificity = TN / (TN + FP).",
    )
    solution_code = """cm = np.array([[880, 20], [10, 90]])
tn, fp, fn, tp = cm.ravel()
specificity = tn / (tn + fp)
q4.check(specificity)"""
    blank_message = "Replace `____` with the specificity (a number between 0 and 1), then run the cell again."

    def check_answer(self, answer):
        value = as_number(answer, "the specificity")
        tn, fp, fn, tp = 880, 20, 10, 90
        if close_to(value, tn / (tn + fp), rel=1e-3):
            return "right: 880 / 900 ≈ 0.978 of the non-sevens were correctly rejected."
        if close_to(value, 100 * tn / (tn + fp), rel=1e-3):
            raise Incorrect("that is a percentage: give a fraction between 0 and 1.")
        mistakes = {
            tp / (tp + fn): "that is the sensitivity (recall): TP / (TP + FN), about the sevens. "
            "Specificity is about the *non*-sevens.",
            tp / (tp + fp): "that is the precision: TP / (TP + FP). Specificity is about the *non*-sevens.",
            (tp + tn) / (tp + tn + fp + fn): "that is the accuracy (what the deck calls “precisión”).",
            fp / (tn + fp): "that is the false-positive rate, 1 - specificity: the x axis of a ROC curve.",
            tn / (tn + fn): "that divides by the digits *predicted* “not a seven”; specificity divides by the "
            "digits that truly are not sevens (a row of the matrix).",
            tn / (tn + fp + fn + tp): "divide by the non-sevens only (TN + FP), not by all 1,000 digits.",
        }
        for wrong, message in mistakes.items():
            if close_to(value, wrong, rel=1e-3):
                raise Incorrect(message)
        if not 0 <= value <= 1:
            raise Incorrect(f"{value:g} is not a fraction: specificity lies between 0 and 1.")
        raise Incorrect("not quite: TN / (TN + FP), read from the first row of the matrix.")


class BuildCNN(Problem):
    title = "Pick the right layers for a CNN that reads raw MNIST digits"
    hints = (
        "Start like our model: `keras.Input(shape=(28, 28))`, `layers.Rescaling(1 / 255)`, "
        "`layers.Reshape((28, 28, 1))`. Then `Conv2D` → `MaxPooling2D` twice, `Flatten`, `Dropout`, "
        "and a `Dense` output layer.",
        "The output layer has one unit per digit and turns scores into probabilities: "
        '`layers.Dense(10, activation="softmax")`.',
    )
    solution_code = """my_cnn = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        layers.Rescaling(1 / 255),
        layers.Reshape((28, 28, 1)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ]
)
q5.check(my_cnn)"""
    blank_message = "Replace `____` with your model (`keras.Sequential([...])`), then run the cell again."

    def check_answer(self, model):
        import keras
        from keras import layers

        if not isinstance(model, keras.Model):
            kind = type(model).__name__
            raise Incorrect(f"`my_cnn` should be a Keras model such as `keras.Sequential([...])`, not a {kind}.")
        if not model.built or not getattr(model, "inputs", None):
            raise Incorrect("start the model with `keras.Input(shape=(28, 28))` so Keras knows the image size.")
        if tuple(model.inputs[0].shape[1:]) != (28, 28):
            raise Incorrect(
                f"the model takes inputs shaped {tuple(model.inputs[0].shape[1:])}; it should take the images "
                "exactly as load_mnist() returns them: (28, 28). Reshape them *inside* the model."
            )
        kinds = [type(layer) for layer in _all_layers(model)]
        if layers.Conv2D not in kinds:
            raise Incorrect("there is no `layers.Conv2D`: without convolutions this is a dense network, not a CNN.")
        if kinds.count(layers.Conv2D) < 2:
            raise Incorrect("use two blocks of Conv2D then MaxPooling2D, as the decks do: 32, then 64 filters.")
        if not any(issubclass(kind, layers.MaxPooling2D) for kind in kinds):
            raise Incorrect("add `layers.MaxPooling2D(2)` after each convolution to halve the feature maps.")
        if layers.Flatten not in kinds and layers.GlobalAveragePooling2D not in kinds:
            raise Incorrect("the feature maps must be flattened into a vector (`layers.Flatten()`) before `Dense`.")
        if layers.Dropout not in kinds:
            raise Incorrect("add a `layers.Dropout(...)` before the output layer to fight overfitting.")
        rescaling = [layer for layer in _all_layers(model) if isinstance(layer, layers.Rescaling)]
        if not rescaling or not close_to(float(np.ravel(rescaling[0].scale)[0]), 1 / 255, rel=1e-3):
            raise Incorrect("the pixels arrive as 0-255: put `layers.Rescaling(1 / 255)` first in the model.")
        probabilities = np.asarray(model(np.full((2, 28, 28), 128, dtype="float32"), training=False))
        if probabilities.shape != (2, 10):
            shape = probabilities.shape[1:]
            raise Incorrect(f"the model outputs shape {shape} per image; it needs 10 values (one per digit).")
        if probabilities.min() < 0 or not np.allclose(probabilities.sum(axis=1), 1, atol=1e-3):
            raise Incorrect('the outputs are not probabilities: use `activation="softmax"` in the last Dense layer.')
        return f"right: {model.count_params():,} parameters, and it reads raw uint8 digits."


def _all_layers(model):
    """Return the layers of a model, looking inside nested models (e.g. an augmentation block)."""
    found = []
    for layer in model.layers:
        found.append(layer)
        if hasattr(layer, "layers"):
            found.extend(_all_layers(layer))
    return found


q1 = ConvOutputSize(1)
q2 = CountConvParameters(2)
q3 = ShapeAfterPooling(3)
q4 = Specificity(4)
q5 = BuildCNN(5)
