"""Exercises of notebook 04 · Convolutional networks."""

import numpy as np

from utils.checks.core import (
    FunctionProblem,
    Incorrect,
    Mistake,
    NumberProblem,
    Problem,
    as_whole_number,
    format_number,
    number_in_order,
    wrong_type,
)
from utils.checks.model_rules import (
    ORDINALS,
    activation_after,
    leaf_layers,
    require_model,
    require_probabilities,
    require_raw_digits,
    require_rescaling_first,
    run_model,
    your_layer,
)
from utils.i18n import N_, _

# (size, kernel, stride, padding) cases for Exercise 1, with the deck's 13/6/5 example first. (11, 2, 2, "same")
# tells "same" apart from the textbook padding of (kernel - 1) // 2 pixels a side, right only for odd kernels.
CONV_CASES = (
    (13, 6, 5, "valid"),
    (13, 6, 5, "same"),
    (28, 5, 1, "valid"),
    (28, 5, 1, "same"),
    (28, 3, 2, "valid"),
    (28, 3, 2, "same"),
    (14, 2, 2, "valid"),
    (11, 2, 2, "same"),
    (5, 3, 1, "valid"),
    (32, 7, 4, "valid"),
)


def expected_conv_size(size, kernel, stride, padding):
    """Return the output length of a convolution or pooling window along one axis (Keras rules)."""
    if padding == "valid":
        return (size - kernel) // stride + 1
    return -(-size // stride)


_VALID_HINT = N_(
    '`"valid"` keeps only the windows that fit entirely: they start at 0, stride, 2·stride, ... up to '
    "size − kernel, which makes `(size - kernel) // stride + 1` windows."
)
_SAME_HINT = N_(
    '`"same"` pads the edges with zeros so that every stride step gets a window: the kernel size no longer '
    "matters. Divide `size` by `stride` and round up: `math.ceil(size / stride)`."
)


_VALID_MISTAKES = (
    Mistake(lambda n, k, s, p: (n - k) // s, N_("one short: count the first window too (the `+ 1`)."), _VALID_HINT),
    Mistake(
        lambda n, k, s, p: -(-(n - k) // s) + 1,
        N_('"valid" drops an incomplete last window: round down, not up.'),
        _VALID_HINT,
    ),
    Mistake(
        lambda n, k, s, p: n - k + 1,
        N_("the stride is missing: the window jumps `stride` pixels at a time."),
        _VALID_HINT,
    ),
    Mistake(
        lambda n, k, s, p: -(-n // s),
        N_('that is the "same" size: with "valid" the kernel must fit inside.'),
        _VALID_HINT,
    ),
)
_SAME_MISTAKES = (
    Mistake(
        lambda n, k, s, p: n,
        N_('"same" keeps the size only when the stride is 1: the stride still divides it.'),
        _SAME_HINT,
    ),
    Mistake(
        lambda n, k, s, p: n // s,
        N_('"same" pads the edges so a last, partial step gets a window: round up.'),
        _SAME_HINT,
    ),
    Mistake(
        lambda n, k, s, p: (n - k) // s + 1,
        N_('that is the "valid" size: "same" pads with zeros, so the kernel size does not shrink it.'),
        _SAME_HINT,
    ),
    Mistake(
        lambda n, k, s, p: (n + 2 * ((k - 1) // 2) - k) // s + 1,
        N_(
            "a padding of (kernel − 1) // 2 pixels on each side is right only for odd kernels: Keras' "
            '"same" pads as much as it takes to give one window per stride step, whatever the kernel.'
        ),
        _SAME_HINT,
    ),
)


class ConvOutputSize(FunctionProblem):
    title = N_("Write conv_output_size(size, kernel, stride, padding)")
    function_name = "conv_output_size"
    cases = CONV_CASES
    call_example = "q1.check(conv_output_size)"
    hints = (
        N_(
            'With `"valid"` padding the window must fit entirely inside the input: count how many '
            "start positions 0, stride, 2·stride, ... leave room for `kernel` pixels."
        ),
        _SAME_HINT,
        N_(
            "Rounding up without floats: `-(-size // stride)`, or `math.ceil(size / stride)`. "
            'Compare `padding` with `"valid"`.'
        ),
    )
    solution_code = N_('''import math


def conv_output_size(size, kernel, stride, padding):
    """Return the output length along one axis of a Keras Conv2D or MaxPooling2D layer."""
    if padding == "valid":
        return (size - kernel) // stride + 1  # Only windows that fit entirely.
    return math.ceil(size / stride)  # "same": one window per stride step, zeros fill the edges.


q1.check(conv_output_size)''')
    blank_message = N_("Replace `____` in `conv_output_size` with your code, then run the cell again.")
    correct_note = N_('"valid" keeps only windows that fit, "same" gives one output per stride step.')

    def reference(self, size, kernel, stride, padding):
        return expected_conv_size(size, kernel, stride, padding)

    def convert(self, result, call):
        number = super().convert(result, call)
        if number != int(number):
            raise Incorrect(
                _(
                    "{call} returned {value}, which is not a whole number: a layer has a whole "
                    "number of outputs. Round (down or up?) with `//` or `math.ceil`."
                ).format(call=call, value=format_number(number))
            )
        return int(number)

    def group(self, args):
        return args[3]  # Each padding is judged apart: "valid" first, then "same".

    def mistakes_for(self, group):
        return _VALID_MISTAKES if group == "valid" else _SAME_MISTAKES

    def fallback_for(self, group):
        if group == "valid":
            return _("count the positions where the whole kernel fits, stepping by the stride."), _VALID_HINT
        return _('"same" gives one output for every stride step: size divided by stride, rounded up.'), _SAME_HINT

    def message(self, args, call, got, reason, named):
        return _("{call} returned {value}, which is wrong: {reason}").format(
            call=call, value=self.show(got), reason=_(reason)
        )


_WEIGHTS, _BIASES = 5 * 5 * 3 * 16, 16


class CountConvParameters(NumberProblem):
    title = N_("Count the parameters of a Conv2D layer")
    call_example = "q2.check(n_parameters)"
    hints = (
        N_("Each of the 16 filters holds one 5×5 kernel *per input channel* (the photo has 3: red, green, blue)."),
        N_("Weights: 5 · 5 · 3 · 16. Then every filter adds one bias."),
    )
    solution_code = N_("""# One 5×5 kernel per input channel and per filter, plus one bias per filter.
n_parameters = 5 * 5 * 3 * 16 + 16
q2.check(n_parameters)""")
    blank_message = N_("Replace `____` with the number of parameters (arithmetic is fine), then run the cell again.")
    what = N_("the number of parameters")
    whole = True
    expected = _WEIGHTS + _BIASES
    correct_note = N_("5·5·3·16 weights + 16 biases = 1,216, whatever the size of the photo.")
    _per_channel = N_("A filter looks at all 3 channels at once: it holds one 5×5 slice per input channel.")
    mistakes = (
        (
            5 * 5 * 16 + 16,
            N_("that counts one kernel per filter: a filter has one kernel per input channel (3 here)."),
            _per_channel,
        ),
        (_WEIGHTS, N_("almost: every filter also has a bias."), N_("Add one bias per filter: 16 of them.")),
        (5 * 5 * 16, N_("each filter has one kernel per input channel (3 here), and a bias."), _per_channel),
        (5 * 5 * 3 + 16, N_("the 5·5·3 weights belong to *each* of the 16 filters.")),
        ((5 * 5 * 3 + 1) * 16 * 3, N_("the bias is one per filter, not per channel: count 16 biases.")),
        ((5 * 5 + 1) * 3 * 16, N_("the bias is one per filter, not one per kernel: count 16 biases.")),
        (_WEIGHTS + 3, N_("the biases: one per filter (16), not per input channel.")),
    )
    fallback = N_("that is not it: count kernel height · width · input channels per filter, then the biases.")

    def other_checks(self, value):
        if value > 10_000:
            raise Incorrect(
                _(
                    "a convolution's parameter count does not depend on the image size (weight sharing): "
                    "count kernel height · width · input channels · filters, plus biases."
                ),
                hint=N_("The 64×64 size of the photo plays no part: the same weights slide over every position."),
            )


class ShapeAfterPooling(Problem):
    title = N_("Follow a LeNet-style stack's shapes")
    call_example = "q3.check(shape)"
    hints = (
        N_(
            'Go layer by layer with `conv_output_size`: a 5×5 kernel with "valid" padding and stride 1 '
            "takes 4 pixels off each side length; a 2×2 max pooling with stride 2 halves it."
        ),
        N_("28 → 24 → 12 → 8 → 4. The channels are the number of filters of the last Conv2D."),
    )
    solution_code = N_("""# 28 -(conv 5, valid)-> 24 -(pool 2)-> 12 -(conv 5, valid)-> 8 -(pool 2)-> 4, with 64 filters.
shape = (4, 4, 64)
q3.check(shape)""")
    blank_message = N_("Replace `____` with a tuple (height, width, channels), then run the cell again.")

    def check_answer(self, answer):
        if hasattr(answer, "as_list"):  # A TensorShape.
            answer = answer.as_list()
        elif hasattr(answer, "shape") and len(answer.shape) == 1:  # A NumPy array or a tensor of three numbers.
            answer = np.asarray(answer).tolist()
        if not isinstance(answer, (tuple, list)):
            raise wrong_type(answer, _("a tuple (height, width, channels)"))
        answer = tuple(answer)
        if len(answer) == 4 and (answer[0] is None or answer[0] == 1):
            raise Incorrect(_("leave out the batch dimension (the first number): give (height, width, channels)."))
        if len(answer) != 3:
            raise Incorrect(
                _("a feature map's shape has 3 numbers (height, width, channels); yours has {count}.").format(
                    count=len(answer)
                )
            )
        values = tuple(as_whole_number(v, _("each entry of the shape")) for v in answer)
        if values == (4, 4, 64):
            return _("a Flatten layer would turn it into 4·4·64 = 1,024 numbers.")
        if values in _SHAPE_MISTAKES:
            raise Incorrect(_(_SHAPE_MISTAKES[values]))
        if values[:2] == (4, 4):
            raise Incorrect(_("the height and width are right; the channels are the filters of the last Conv2D."))
        if values[2] == 64:
            raise Incorrect(
                _('the channels are right; recheck the height and width layer by layer ("valid", stride 1).')
            )
        raise Incorrect(_("follow the size layer by layer: each convolution, then each pooling."))


#: Typical wrong shapes for Exercise 3, and what each means.
_SHAPE_MISTAKES = {
    (7, 7, 64): N_(
        'that is what "same" padding would give: here the convolutions use "valid" padding, which '
        "takes kernel − 1 = 4 pixels off each side length."
    ),
    (8, 8, 64): N_("that is the shape after the second convolution: the last max pooling halves it again."),
    (4, 4, 32): N_("the height and width are right; the channels come from the *last* Conv2D."),
    (5, 5, 64): N_('a 5×5 "valid" convolution takes 5 - 1 = 4 pixels off each side length, not 3.'),
    (6, 6, 64): N_('a 5×5 "valid" convolution takes 5 - 1 = 4 pixels off each side length.'),
    (64, 4, 4): N_("Keras puts the channels last: (height, width, channels)."),
    (24, 24, 32): N_("that is the shape after the first convolution: follow it through the other three layers."),
    (12, 12, 32): N_("that is the shape after the first max pooling: follow it through the last two layers."),
}


_TN, _FP, _FN, _TP = 880, 20, 10, 90


class Specificity(NumberProblem):
    title = N_("Specificity from a confusion matrix")
    call_example = "q4.check(specificity)"
    hints = (
        N_(
            "Specificity asks: of all the digits that are *not* sevens, what fraction did the detector "
            "correctly call “not a seven”?"
        ),
        N_(
            "In `cm` (rows: true class, columns: predicted class; class 0 = “not a seven”), TN = cm[0, 0] "
            "and FP = cm[0, 1]. Specificity = TN / (TN + FP)."
        ),
    )
    solution_code = N_("""cm = np.array([[880, 20], [10, 90]])
tn, fp, fn, tp = cm.ravel()
specificity = tn / (tn + fp)
q4.check(specificity)""")
    blank_message = N_("Replace `____` with the specificity (a number between 0 and 1), then run the cell again.")
    what = N_("the specificity")
    tolerance = 1e-3
    expected = _TN / (_TN + _FP)
    correct_note = N_("880 / 900 ≈ 0.978 of the non-sevens were correctly rejected.")
    _about_non_sevens = N_("Specificity is about the digits that are *not* sevens: the first row of `cm`.")
    mistakes = (
        (100 * _TN / (_TN + _FP), N_("that is a percentage: give a fraction between 0 and 1.")),
        (
            _TP / (_TP + _FN),
            N_(
                "that is the sensitivity (recall): TP / (TP + FN), about the sevens. "
                "Specificity is about the *non*-sevens."
            ),
            _about_non_sevens,
        ),
        (
            _TP / (_TP + _FP),
            N_("that is the precision: TP / (TP + FP). Specificity is about the *non*-sevens."),
            _about_non_sevens,
        ),
        ((_TP + _TN) / (_TP + _TN + _FP + _FN), N_("that is the accuracy (what the deck calls “precisión”).")),
        (_FP / (_TN + _FP), N_("that is the false-positive rate, 1 - specificity: the x axis of a ROC curve.")),
        (
            _TN / (_TN + _FN),
            N_(
                "that divides by the digits *predicted* “not a seven”; specificity divides by the "
                "digits that truly are not sevens (a row of the matrix)."
            ),
            N_("Rows are the true class: TN and FP share the first row."),
        ),
        (_TN / (_TN + _FP + _FN + _TP), N_("divide by the non-sevens only (TN + FP), not by all 1,000 digits.")),
    )
    fallback = N_("not quite: TN / (TN + FP), read from the first row of the matrix.")

    def other_checks(self, value):
        if not 0 <= value <= 1:
            raise Incorrect(
                _("{value} is not a fraction: specificity lies between 0 and 1.").format(value=format_number(value))
            )


class BuildCNN(Problem):
    title = N_("Pick the right layers for a CNN that reads raw MNIST digits")
    call_example = "q5.check(my_cnn)"
    hints = (
        N_(
            "Start like our model: `keras.Input(shape=(28, 28))`, `layers.Rescaling(1 / 255)`, "
            "`layers.Reshape((28, 28, 1))`. Then `Conv2D` → `MaxPooling2D` twice, `Flatten`, `Dropout`, "
            "and a `Dense` output layer."
        ),
        N_(
            "The output layer has one unit per digit and turns scores into probabilities: "
            '`layers.Dense(10, activation="softmax")`.'
        ),
    )
    solution_code = N_("""my_cnn = keras.Sequential(
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
q5.check(my_cnn)""")
    blank_message = N_("Replace `____` with your model (`keras.Sequential([...])`), then run the cell again.")

    def check_answer(self, model):
        from keras import layers

        require_model(model, "my_cnn")
        require_raw_digits(model, "my_cnn")
        require_rescaling_first(model)
        found = leaf_layers(model)
        convs = [layer for layer in found if isinstance(layer, layers.Conv2D)]
        self._check_convolutions(found, convs)
        self._check_pooling(found, convs)
        self._check_head(found)
        probabilities = run_model(model, np.full((2, 28, 28), 128, dtype="uint8"), "my_cnn")
        require_probabilities(probabilities, 10, "my_cnn")
        return _("{count:,} parameters, and it reads raw uint8 digits.").format(count=model.count_params())

    @staticmethod
    def _check_convolutions(found, convs):
        """Two convolutions, 32 then 64 filters, each followed by a ReLU."""
        if not convs:
            raise Incorrect(_("there is no `layers.Conv2D`: without convolutions this is a dense network, not a CNN."))
        filters = [layer.filters for layer in convs]
        if filters != [32, 64]:
            raise Incorrect(
                _("your convolutions have {filters} filters; the task asks for two, with 32 then 64 filters.").format(
                    filters=filters
                ),
                hint=N_('`layers.Conv2D(32, 3, activation="relu")`, pooling, then the same with 64.'),
            )
        for conv in convs:
            if activation_after(found, conv) != "relu":
                raise Incorrect(
                    _(
                        "{layer} ({filters} filters) has no ReLU: without an activation, "
                        'stacked convolutions are one linear filter. Add `activation="relu"`.'
                    ).format(layer=your_layer(found, conv), filters=conv.filters)
                )

    @staticmethod
    def _check_pooling(found, convs):
        """Each convolution is followed by its own max pooling: conv → pool → conv → pool."""
        from keras import layers

        average = [layer for layer in found if isinstance(layer, (layers.AveragePooling2D))]
        if average:
            raise Incorrect(
                _(
                    "the task asks for max pooling: replace {layer} with "
                    "`layers.MaxPooling2D(2)`, which keeps the strongest response of each window."
                ).format(layer=your_layer(found, average[0]))
            )
        order = [type(layer).__name__ for layer in found if isinstance(layer, (layers.Conv2D, layers.MaxPooling2D))]
        if order != ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D"]:
            message = _(
                "follow each convolution with its own `layers.MaxPooling2D(2)`: conv → pool → conv → pool "
                "(yours: {order})."
            ).format(order=" → ".join(order))
            if any(max(conv.strides) > 1 for conv in convs):
                message += " " + _(
                    "A convolution with strides=2 shrinks the maps too, but it is not the pooling asked for."
                )
            raise Incorrect(message)

    @staticmethod
    def _check_head(found):
        """Flatten, then Dropout, an optional hidden Dense layer with an activation, and the output layer last."""
        from keras import layers

        pools = [layer for layer in found if isinstance(layer, layers.MaxPooling2D)]
        dense = [layer for layer in found if isinstance(layer, layers.Dense)]
        flatten = [layer for layer in found if isinstance(layer, (layers.Flatten, layers.GlobalAveragePooling2D))]
        if not flatten:
            raise Incorrect(_("the feature maps must be flattened into a vector (`layers.Flatten()`) before `Dense`."))
        if dense and found.index(dense[0]) < found.index(flatten[0]):
            raise Incorrect(
                _(
                    "{layer} comes before the Flatten: flatten the feature maps into a vector "
                    "first, then the Dense layers."
                ).format(layer=your_layer(found, dense[0]))
            )
        dropout = [layer for layer in found if isinstance(layer, layers.Dropout)]
        if not dropout:
            raise Incorrect(
                _("add a `layers.Dropout(rate)` (a rate such as 0.5) after flattening, to fight overfitting.")
            )
        if not 0 < dropout[-1].rate < 1:
            raise Incorrect(
                _(
                    "{layer} has rate {rate}: the rate is the "
                    "fraction of values it drops while training, between 0 and 1 (such as 0.5)."
                ).format(layer=your_layer(found, dropout[-1]), rate=format_number(dropout[-1].rate))
            )
        if found.index(dropout[-1]) < found.index(pools[-1]):
            raise Incorrect(_("put the Dropout after the convolution blocks and the Flatten, before the output layer."))
        if dense and found.index(dropout[-1]) > found.index(dense[-1]):
            raise Incorrect(
                _(
                    "{layer} comes after the output layer: put it before the last "
                    '`layers.Dense(10, activation="softmax")`, so that the model ends with the probabilities.'
                ).format(layer=your_layer(found, dropout[-1]))
            )
        hidden = dense[:-1]
        for index, layer in enumerate(hidden):
            if activation_after(found, layer) == "linear":
                raise Incorrect(_hidden_without_activation(index, len(hidden)))


def _hidden_without_activation(index, count):
    """Say that a hidden Dense layer has no activation, naming it by its ordinal when there are several."""
    because = _(
        "two Dense layers with nothing in between compute one linear function, so it adds parameters but no power. "
        'Add `activation="relu"`.'
    )
    if count == 1:
        return _("your hidden Dense layer has no activation: {because}").format(because=because)
    return _("your {ordinal} hidden Dense layer has no activation: {because}").format(
        ordinal=_(ORDINALS[index]), because=because
    )


q1, q2, q3, q4, q5 = number_in_order(ConvOutputSize, CountConvParameters, ShapeAfterPooling, Specificity, BuildCNN)
