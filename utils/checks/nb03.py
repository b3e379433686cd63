"""Exercises of notebook 03 · Multilayer perceptrons: q1 to q5.

In the notebook::

    from utils.checks.nb03 import q1, q2, q3, q4, q5
"""

import math

import numpy as np

from utils.checks.core import (
    Incorrect,
    NumberProblem,
    Problem,
    TextProblem,
    format_number,
    number_in_order,
)
from utils.checks.model_rules import (
    activation_after,
    held_out_digits,
    leaf_layers,
    require_model,
    require_probabilities,
    require_raw_digits,
    share_of,
)
from utils.i18n import N_, _


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


class SigmoidNeuronOutput(NumberProblem):
    title = N_("the output of a sigmoid neuron with a bias")
    call_example = "q1.check(answer)"
    hints = (
        N_(
            "First the weighted sum plus the bias: z = w·x + b = w1·x1 + w2·x2 + w3·x3 + b. "
            "Then squash it: output = σ(z) = 1 / (1 + e^(−z))."
        ),
        N_("In NumPy: `z = x @ w + b`, then `1 / (1 + np.exp(-z))`. The notebook's `sigmoid()` does the second step."),
    )
    solution_code = N_(
        "x = np.array([1.0, 0.0, 1.0])\n"
        "w = np.array([0.3, 0.6, 0.1])\n"
        "b = -0.2\n"
        "answer = 1 / (1 + np.exp(-(x @ w + b)))\n"
        "q1.check(answer)"
    )
    blank_message = N_("Replace `____` with the neuron's output (a number, or the NumPy expression that computes it).")
    what = N_("the neuron's output")
    tolerance = 1e-3
    x, w, b = (1.0, 0.0, 1.0), (0.3, 0.6, 0.1), -0.2
    z = sum(xi * wi for xi, wi in zip(x, w, strict=True))
    expected = _sigmoid(z + b)

    @property
    def correct_note(self):
        return _("σ(z) = σ({z:.1f}) ≈ {output:.4f}: the neuron leans slightly towards going riding.").format(
            z=self.z + self.b, output=self.expected
        )

    mistakes = (
        (
            1.0,
            N_(
                "that is a perceptron's all-or-nothing answer. A sigmoid neuron replaces the step with σ(z), "
                "so its output is a number strictly between 0 and 1."
            ),
        ),
        (
            0.0,
            N_(
                "that is a perceptron's all-or-nothing answer: a sigmoid neuron's output lies strictly between 0 and 1."
            ),
        ),
        (
            z + b,
            N_("that is the weighted sum z = w·x + b itself: now pass it through the sigmoid."),
            N_("σ(z) = 1 / (1 + e^(−z)): in NumPy, `1 / (1 + np.exp(-z))`."),
        ),
        (_sigmoid(z), N_("you left out the bias b: add it to the weighted sum before applying the sigmoid.")),
        (
            _sigmoid(z - b),
            N_("the bias is −0.2: it is added to the weighted sum, so it lowers z instead of raising it."),
        ),
        (_sigmoid(sum(w) + b), N_("x2 is 0 here (no dust): its weight must not count in the sum.")),
    )
    fallback = N_("that is not this neuron's output. Compute z = w·x + b, then σ(z) = 1 / (1 + e^(−z)).")

    def other_checks(self, value):
        if not 0.0 < value < 1.0:
            raise Incorrect(
                _("{value} cannot be a sigmoid's output: σ(z) always lies between 0 and 1.").format(
                    value=format_number(value)
                )
            )


_HIDDEN_W, _HIDDEN_B, _OUT_W, _OUT_B = 784 * 128, 128, 128 * 10, 10


class DenseParameterCount(NumberProblem):
    title = N_("count the parameters of Flatten → Dense(128) → Dense(10) on 28 × 28 images")
    call_example = "q2.check(answer)"
    hints = (
        N_(
            "A Dense layer with n inputs and m units has one weight per (input, unit) pair and one bias per unit: "
            "n × m + m parameters. Flatten has none."
        ),
        N_(
            "Flatten turns a 28 × 28 image into 28 × 28 = 784 inputs. The second Dense layer's inputs are "
            "the 128 outputs of the first. Add both layers."
        ),
    )
    solution_code = N_(
        "hidden = 28 * 28 * 128 + 128  # Weights plus one bias per unit.\n"
        "output = 128 * 10 + 10\n"
        "answer = hidden + output\n"
        "q2.check(answer)"
    )
    blank_message = N_("Replace `____` with the number of parameters (a whole number, or the arithmetic for it).")
    what = N_("the parameter count")
    whole = True
    expected = _HIDDEN_W + _HIDDEN_B + _OUT_W + _OUT_B

    @property
    def correct_note(self):
        return _("{hidden:,} + {output:,} = {total:,} parameters, almost all in the first layer.").format(
            hidden=_HIDDEN_W + _HIDDEN_B, output=_OUT_W + _OUT_B, total=self.expected
        )

    mistakes = (
        (_HIDDEN_W + _OUT_W, N_("you counted the weights but not the biases: every unit has one bias too.")),
        (_HIDDEN_W + _HIDDEN_B, N_("that is the first Dense layer only: add the output layer's parameters.")),
        (_HIDDEN_W, N_("that is the first Dense layer's weights only: add its biases and the output layer.")),
        (_OUT_W + _OUT_B, N_("that is the output layer only: add the hidden layer's parameters.")),
        (_OUT_W, N_("that is the output layer's weights only: add the hidden layer and the biases.")),
        (28 * 128 + 128 + _OUT_W + _OUT_B, N_("Flatten turns each image into 28 × 28 inputs, not 28.")),
        (
            784 + 128 + 10,
            N_("that counts inputs and units, not connections: every input of a Dense layer connects to every unit."),
            N_("A Dense layer with n inputs and m units has n × m weights."),
        ),
        (128 + 10, N_("that counts units, not connections: every input of a Dense layer connects to every unit.")),
    )
    fallback = N_("that is not the model's parameter count. Count each Dense layer as inputs × units + units.")


_TRAIN_DIGITS = 60_000 * 0.9


class StepsPerEpoch(NumberProblem):
    title = N_("steps per epoch on the full MNIST")
    call_example = "q3.check(answer)"
    hints = (
        N_(
            "A step is one update of the weights, made after one batch. The validation split is held out: "
            "Keras does not train on it."
        ),
        N_(
            "Training digits = 60,000 × (1 − 0.1). Divide by the batch size; the last, smaller batch is a step too, "
            "so round up (`math.ceil`)."
        ),
    )
    solution_code = N_("import math\n\nanswer = math.ceil(60_000 * (1 - 0.1) / 128)\nq3.check(answer)")
    blank_message = N_("Replace `____` with the number of steps (a whole number, or the arithmetic for it).")
    what = N_("the number of steps")
    whole = True
    expected = math.ceil(_TRAIN_DIGITS / 128)

    @property
    def correct_note(self):
        return _("{digits:,.0f} training digits in batches of 128 make {steps} steps: the last holds 112.").format(
            digits=_TRAIN_DIGITS, steps=self.expected
        )

    _round_up = N_("Round up with `math.ceil`: 421.875 batches need 422 steps.")
    _held_out = N_("the 10 % validation split is held out: Keras does not train on those digits.")
    _digits = N_("that is a number of digits. A step processes a whole batch of them.")
    mistakes = (
        (
            _TRAIN_DIGITS / 128,
            N_("steps are whole numbers: the last, smaller batch still makes one update."),
            _round_up,
        ),
        (
            math.floor(_TRAIN_DIGITS / 128),
            N_("Keras also trains on the last, incomplete batch: that is one more step."),
        ),
        (math.ceil(60_000 / 128), _held_out),
        (math.floor(60_000 / 128), _held_out),
        (60_000 / 128, _held_out),
        (_TRAIN_DIGITS, _digits),
        (60_000, _digits),
        (math.ceil(_TRAIN_DIGITS / 100), N_("the batch size in this question is 128, not the notebook's 100.")),
        (5 * math.ceil(_TRAIN_DIGITS / 128), N_("that is the steps of all 5 epochs: the question asks for one epoch.")),
        (
            5 * _TRAIN_DIGITS / 128,
            N_("that counts all 5 epochs, and in fractions of a batch: the question asks for one."),
        ),
    )
    fallback = N_("that is not the number of steps. Count the training digits, then the batches they fill.")


_REGRESSION = N_(
    "that is a regression loss: it treats the label 7 as 'closer' to 8 than to 1, and gives only a weak push to "
    "a confident wrong answer. Classification uses a cross-entropy."
)
_METRIC = N_("that is a metric, which Keras reports; the loss is what the optimizer minimises.")


class LossForIntegerLabels(TextProblem):
    title = N_("the loss for 10 classes with integer labels")
    call_example = "q4.check(answer)"
    hints = (
        N_("`y_train` holds one whole number per digit (5, 0, 4, ...), not a row of ten 0s and a 1."),
        N_(
            "Both cross-entropies compute −log(probability of the true class); one reads integer labels, "
            "the other one-hot rows. Its name has three words."
        ),
    )
    solution_code = N_('answer = "sparse_categorical_crossentropy"\nq4.check(answer)')
    blank_message = N_('Replace `____` with the loss\'s name as a string, e.g. `"mse"`.')
    what = N_("the loss's name")
    answers = ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
    correct_note = N_("integer labels go with the *sparse* categorical cross-entropy.")
    mistakes = (
        (
            "categorical_crossentropy",  # i18n: not shown (a wrong answer to recognise)
            N_(
                "that cross-entropy expects one-hot labels (a row of ten 0s with a 1 for the true class), "
                "but `y_train` holds integers 0-9. Keras would stop with a shape error."
            ),
            N_("There is a variant of that loss for integer labels: its name starts with one more word."),
        ),
        ("mse", _REGRESSION),  # i18n: not shown (a wrong answer to recognise)
        ("mean_squared_error", _REGRESSION),  # i18n: not shown (a wrong answer to recognise)
        ("mae", _REGRESSION),  # i18n: not shown (a wrong answer to recognise)
        ("mean_absolute_error", _REGRESSION),  # i18n: not shown (a wrong answer to recognise)
        (
            "binary_crossentropy",  # i18n: not shown (a wrong answer to recognise)
            N_("binary cross-entropy is for yes/no outputs (one sigmoid unit each); here: 10 classes."),
        ),
        ("accuracy", _METRIC),  # i18n: not shown (a wrong answer to recognise)
        ("sparse_categorical_accuracy", _METRIC),  # i18n: not shown (a wrong answer to recognise)
        ("categorical_accuracy", _METRIC),  # i18n: not shown (a wrong answer to recognise)
    )
    fallback = N_("that is not one of the losses in this notebook. Spell the Keras name in snake_case.")

    def check_answer(self, answer):
        if not isinstance(answer, str) and (callable(answer) or hasattr(answer, "get_config")):
            # A Keras loss object, class or function: judge it by its name, and by how it reads the outputs.
            config = answer.get_config() if hasattr(answer, "get_config") and not isinstance(answer, type) else {}
            if config.get("from_logits"):
                raise Incorrect(
                    _(
                        "`from_logits=True` tells the loss that the model outputs raw scores, but this model ends "
                        "with softmax probabilities: leave `from_logits` out."
                    )
                )
            answer = getattr(answer, "__name__", None) or type(answer).__name__
        elif isinstance(answer, str):
            answer = answer.strip().strip("'\"").removesuffix("()")  # "'mse'" or "mse()": the name inside.
        return super().check_answer(answer)


class MnistModel(Problem):
    title = N_("a model with one hidden layer of 128 ReLU units that reaches 90 % on test digits it never saw")
    call_example = "q5.check(my_model, x_test, y_test)"
    bar = 0.90
    #: The checker measures the model on this many test digits of its own (`held_out_digits`), not on the
    #: digits passed to it: a model judged on digits it trained on, or on ten, can look better than it is.
    held_out = 1000
    hints = (
        N_(
            "The notebook's MLP is the pattern: it reads raw digits with `keras.Input(shape=(28, 28))`, scales them "
            "and flattens them inside the model, then has its hidden layer and a softmax output layer. "
            "Compile it with Adam and the loss from Exercise 4."
        ),
        N_(
            'The hidden layer is `layers.Dense(128, activation="relu")`; the output layer has one unit per digit '
            "class. Train on `x_train, y_train` only (never on the test set), about 10 epochs."
        ),
        N_("If the accuracy stays near 10 %, check that you called `fit`; near 80 %, check the Rescaling layer."),
    )
    solution_code = N_(
        "my_model = keras.Sequential(\n"
        "    [\n"
        "        keras.Input(shape=(28, 28)),\n"
        "        layers.Rescaling(1 / 255),\n"
        "        layers.Flatten(),\n"
        '        layers.Dense(128, activation="relu"),\n'
        '        layers.Dense(10, activation="softmax"),\n'
        "    ]\n"
        ")\n"
        'my_model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy", '
        'metrics=["accuracy"])\n'
        "my_model.fit(x_train, y_train, epochs=10, batch_size=100, verbose=0)\n"
        "q5.check(my_model, x_test, y_test)"
    )
    blank_message = N_("Build and compile your model in place of `____`, train it, then run the check cell again.")

    def check_answer(self, model, x_test, y_test):
        from keras import layers

        require_model(model, "my_model")
        self._check_test_digits(x_test, y_test)
        require_raw_digits(model, "my_model", inside=_("flatten them"))
        found = leaf_layers(model)
        dense = [layer for layer in found if isinstance(layer, layers.Dense)]
        hidden = dense[:-1]
        if len(hidden) != 1:
            raise Incorrect(
                _(
                    "the task asks for exactly one hidden layer (a Dense layer before the output); yours has {count}."
                ).format(count=len(hidden))
            )
        if hidden[0].units != 128:
            raise Incorrect(
                _("your hidden Dense layer has {units} units; the task asks for 128.").format(units=hidden[0].units)
            )
        self._check_relu(activation_after(found, hidden[0]))
        x_held, y_held = held_out_digits(self.held_out)
        probabilities = require_probabilities(self._predict(model, x_held), 10, "my_model")
        accuracy = float(np.mean(probabilities.argmax(axis=1) == y_held))
        measured = _("{accuracy:.1%} on {count:,} test digits it never saw (the first {count:,} of `x_test`)").format(
            accuracy=accuracy, count=len(y_held)
        )
        if accuracy < 0.2:
            raise Incorrect(
                _(
                    "{measured}: that is about chance (10 %). Has the model been compiled and trained with `fit`?"
                ).format(measured=measured)
            )
        if accuracy < self.bar:
            raise Incorrect(
                _("{measured}; the bar is {bar:.0%}. Train for more epochs, or check the Rescaling layer.").format(
                    measured=measured, bar=self.bar
                )
            )
        return f"{measured}."

    @staticmethod
    def _check_relu(activation):
        """Raise Incorrect unless the hidden layer's activation is ReLU."""
        if activation == "linear":
            raise Incorrect(
                _('your hidden Dense layer has no activation; the task asks for ReLU: `activation="relu"`.')
            )
        if activation != "relu":
            raise Incorrect(
                _(
                    'your hidden Dense layer has the activation "{activation}"; the task asks for ReLU: '
                    '`activation="relu"`.'
                ).format(activation=activation)
            )

    def _check_test_digits(self, x_test, y_test):
        """Raise Incorrect unless the digits passed are the test digits, whole, as load_mnist() returns them."""
        try:
            x_test, y_test = np.asarray(x_test), np.asarray(y_test)
        except Exception:  # A ragged list, an object NumPy cannot read.
            raise Incorrect(
                _("pass the test digits and labels as load_mnist() returns them: `{call}`.").format(
                    call=self.call_example
                )
            ) from None
        if x_test.ndim != 3 or x_test.shape[1:] != (28, 28) or x_test.dtype.kind not in "uif":
            raise Incorrect(
                _(
                    "the test images have shape {shape}; pass them as load_mnist() returns them, shape (n, 28, 28)."
                ).format(shape=x_test.shape)
            )
        if y_test.shape != (len(x_test),):
            raise Incorrect(
                _("there are {count} test images but the labels have shape {shape}.").format(
                    count=len(x_test), shape=y_test.shape
                )
            )
        if len(x_test) < self.held_out:
            raise Incorrect(
                _(
                    "you passed {count:,} digits: too few to measure an accuracy. Pass the whole test set, "
                    "as in `{call}`."
                ).format(count=len(x_test), call=self.call_example)
            )
        if x_test.max() <= 1.0:
            raise Incorrect(
                _(
                    "the digits you passed are scaled to 0-1; the model must read them as load_mnist() returns them "
                    "(0-255) and scale them itself, with `layers.Rescaling(1 / 255)` first. "
                    "Pass the raw digits: `{call}`."
                ).format(call=self.call_example)
            )
        if share_of(x_test, "train") > 0.5:
            raise Incorrect(
                _(
                    "those are the training digits: the model learned them, so its accuracy on them says little "
                    "about digits it never saw. Pass the test digits: `{call}`."
                ).format(call=self.call_example)
            )

    @staticmethod
    def _predict(model, x_test):
        try:
            return np.asarray(model.predict(x_test, verbose=0))
        except Exception as exc:  # Any failure here means the model does not take raw digits.
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise Incorrect(
                _(
                    "your model could not read the digits as load_mnist() returns them (uint8, shape (n, 28, 28)). "
                    "Start it with `keras.Input(shape=(28, 28))`, a Rescaling and a Flatten layer. "
                    "Keras said: {error}: {message}"
                ).format(error=type(exc).__name__, message=first[:200])
            ) from None


q1, q2, q3, q4, q5 = number_in_order(
    SigmoidNeuronOutput, DenseParameterCount, StepsPerEpoch, LossForIntegerLabels, MnistModel
)
