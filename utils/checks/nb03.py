"""Exercises of notebook 03 · Multilayer perceptrons: q1 to q5.

In the notebook::

    from utils.checks.nb03 import q1, q2, q3, q4, q5
"""

import math

import numpy as np

from utils.checks.core import Incorrect, Problem, as_number, close_to


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _whole_number(value, what):
    """Return `value` as an int, or raise Incorrect if it is not a whole number."""
    number = as_number(value, what)
    if not float(number).is_integer():
        raise Incorrect(f"{what} is {number:g}, but it should be a whole number.")
    return int(number)


class SigmoidNeuronOutput(Problem):
    title = "the output of a sigmoid neuron with a bias"
    hints = (
        "First the weighted sum plus the bias: z = w·x + b = w1·x1 + w2·x2 + w3·x3 + b. "
        "Then squash it: output = σ(z) = 1 / (1 + e^(−z)).",
        "In NumPy: `z = x @ w + b`, then `1 / (1 + np.exp(-z))`. The notebook's `sigmoid()` does the second step.",
    )
    solution_code = (
        "x = np.array([1.0, 0.0, 1.0])\n"
        "w = np.array([0.3, 0.6, 0.1])\n"
        "b = -0.2\n"
        "answer = 1 / (1 + np.exp(-(x @ w + b)))\n"
        "q1.check(answer)"
    )
    blank_message = "Replace `____` with the neuron's output (a number, or the NumPy expression that computes it)."

    x, w, b = (1.0, 0.0, 1.0), (0.3, 0.6, 0.1), -0.2

    def check_answer(self, answer):
        value = as_number(answer, "the neuron's output")
        z = sum(xi * wi for xi, wi in zip(self.x, self.w, strict=True))
        expected = _sigmoid(z + self.b)

        def near(target):
            return close_to(value, target, rel=0, abs_tol=0.005)

        if near(expected):
            return f"σ(z) = σ({z + self.b:.1f}) ≈ {expected:.4f}: the neuron leans slightly towards going riding."
        if value in (0.0, 1.0):
            raise Incorrect(
                "that is a perceptron's all-or-nothing answer. A sigmoid neuron replaces the step with σ(z), "
                "so its output is a number strictly between 0 and 1."
            )
        if near(z + self.b):
            raise Incorrect("that is the weighted sum z = w·x + b itself: now pass it through the sigmoid.")
        if near(_sigmoid(z)):
            raise Incorrect("you left out the bias b: add it to the weighted sum before applying the sigmoid.")
        if near(_sigmoid(z - self.b)):
            raise Incorrect("the bias is −0.2: it is added to the weighted sum, so it lowers z instead of raising it.")
        if near(_sigmoid(sum(self.w) + self.b)):
            raise Incorrect("x2 is 0 here (no dust): its weight must not count in the sum.")
        if not 0.0 < value < 1.0:
            raise Incorrect(f"{value:g} cannot be a sigmoid's output: σ(z) always lies between 0 and 1.")
        raise Incorrect("that is not this neuron's output. Compute z = w·x + b, then σ(z) = 1 / (1 + e^(−z)).")


class DenseParameterCount(Problem):
    title = "count the parameters of Flatten → Dense(128) → Dense(10) on 28 × 28 images"
    hints = (
        "A Dense layer with n inputs and m units has one weight per (input, unit) pair and one bias per unit: "
        "n × m + m parameters. Flatten has none.",
        "Flatten turns a 28 × 28 image into 28 × 28 = 784 inputs. The second Dense layer's inputs are "
        "the 128 outputs of the first. Add both layers.",
    )
    solution_code = (
        "hidden = 28 * 28 * 128 + 128  # Weights plus one bias per unit.\n"
        "output = 128 * 10 + 10\n"
        "answer = hidden + output\n"
        "q2.check(answer)"
    )
    blank_message = "Replace `____` with the number of parameters (a whole number, or the arithmetic for it)."

    def check_answer(self, answer):
        count = _whole_number(answer, "the parameter count")
        hidden_w, hidden_b, out_w, out_b = 784 * 128, 128, 128 * 10, 10
        expected = hidden_w + hidden_b + out_w + out_b
        if count == expected:
            return (
                f"{hidden_w + hidden_b:,} + {out_w + out_b:,} = {expected:,} parameters, almost all in the first layer."
            )
        if count == hidden_w + out_w:
            raise Incorrect("you counted the weights but not the biases: every unit has one bias too.")
        if count in (hidden_w + hidden_b, hidden_w):
            raise Incorrect("that is the first Dense layer only: add the output layer's parameters.")
        if count in (out_w + out_b, out_w):
            raise Incorrect("that is the output layer only: add the hidden layer's parameters.")
        if count == 28 * 128 + 128 + out_w + out_b:
            raise Incorrect("Flatten turns each image into 28 × 28 inputs, not 28.")
        if count in (784 + 128 + 10, 128 + 10):
            raise Incorrect(
                "that counts inputs or units, not connections: every input of a Dense layer connects to every unit."
            )
        raise Incorrect("that is not the model's parameter count. Count each Dense layer as inputs × units + units.")


class StepsPerEpoch(Problem):
    title = "steps per epoch on the full MNIST"
    hints = (
        "A step is one update of the weights, made after one batch. The validation split is held out: "
        "Keras does not train on it.",
        "Training digits = 60,000 × (1 − 0.1). Divide by the batch size; the last, smaller batch is a step too, "
        "so round up (`math.ceil`).",
    )
    solution_code = "import math\n\nanswer = math.ceil(60_000 * (1 - 0.1) / 128)\nq3.check(answer)"
    blank_message = "Replace `____` with the number of steps (a whole number, or the arithmetic for it)."

    def check_answer(self, answer):
        value = as_number(answer, "the number of steps")
        train = 60_000 * 0.9
        expected = math.ceil(train / 128)
        if value == expected:
            return f"{train:,.0f} training digits in batches of 128 make {expected} steps: the last batch holds 112."
        if close_to(value, train / 128, rel=1e-3):
            raise Incorrect("steps are whole numbers: the last, smaller batch still makes one update.")
        if value == math.floor(train / 128):
            raise Incorrect("Keras also trains on the last, incomplete batch: that is one more step.")
        if value in (math.ceil(60_000 / 128), math.floor(60_000 / 128)) or close_to(value, 60_000 / 128, rel=1e-3):
            raise Incorrect("the 10 % validation split is held out: Keras does not train on those digits.")
        if value in (train, 60_000):
            raise Incorrect("that is a number of digits. A step processes a whole batch of them.")
        if value == math.ceil(train / 100):
            raise Incorrect("the batch size in this question is 128, not the notebook's 100.")
        if not float(value).is_integer():
            raise Incorrect(f"{value:g} is not a whole number of steps.")
        raise Incorrect("that is not the number of steps. Count the training digits, then the batches they fill.")


_LOSS_NAMES = {
    "sparsecategoricalcrossentropy": "sparse",
    "categoricalcrossentropy": "categorical",
    "mse": "mse",
    "meansquarederror": "mse",
    "mae": "mae",
    "meanabsoluteerror": "mae",
    "binarycrossentropy": "binary",
    "accuracy": "metric",
    "sparsecategoricalaccuracy": "metric",
    "categoricalaccuracy": "metric",
}


def _loss_kind(loss):
    """Return a short kind for a loss given as a string, a Keras loss object, class or function."""
    if isinstance(loss, str):
        key = loss.strip().lower().replace("_", "").replace(" ", "").replace("-", "")
        return _LOSS_NAMES.get(key, "unknown")
    name = getattr(loss, "__name__", None) or type(loss).__name__
    key = name.lower().replace("_", "")
    if key in _LOSS_NAMES:
        return _LOSS_NAMES[key]
    raise Incorrect(f'give the loss\'s name as a string, such as `"mse"`, not a {type(loss).__name__}.')


class LossForIntegerLabels(Problem):
    title = "the loss for 10 classes with integer labels"
    hints = (
        "`y_train` holds one whole number per digit (5, 0, 4, ...), not a row of ten 0s and a 1.",
        "Both cross-entropies compute −log(probability of the true class); one reads integer labels, "
        "the other one-hot rows. Its name has three words.",
    )
    solution_code = 'answer = "sparse_categorical_crossentropy"\nq4.check(answer)'
    blank_message = 'Replace `____` with the loss\'s name as a string, e.g. `"mse"`.'

    def check_answer(self, answer):
        kind = _loss_kind(answer)
        if kind == "sparse":
            return "integer labels go with the *sparse* categorical cross-entropy."
        if kind == "categorical":
            raise Incorrect(
                "that cross-entropy expects one-hot labels (a row of ten 0s with a 1 for the true class), "
                "but `y_train` holds integers 0-9. Keras would stop with a shape error."
            )
        if kind in ("mse", "mae"):
            raise Incorrect(
                "that is a regression loss: it treats the label 7 as 'closer' to 8 than to 1, "
                "and gives only a weak push to a confident wrong answer. Classification uses a cross-entropy."
            )
        if kind == "binary":
            raise Incorrect(
                "binary cross-entropy is for yes/no outputs (one sigmoid unit each); here there are 10 classes."
            )
        if kind == "metric":
            raise Incorrect("that is a metric, which Keras reports; the loss is what the optimizer minimises.")
        raise Incorrect(f"{answer!r} is not one of the losses in this notebook. Spell the Keras name in snake_case.")


class MnistModel(Problem):
    title = "a model that reaches 90 % on test digits it never saw"
    bar = 0.90
    hints = (
        "Start like the notebook's models: `keras.Input(shape=(28, 28))`, `layers.Rescaling(1 / 255)`, "
        '`layers.Flatten()`, then one `layers.Dense(128, activation="relu")` and a `Dense(10, '
        'activation="softmax")` output. Compile with Adam and the loss from Exercise 4.',
        "Train on `x_train, y_train` (never on the test set) for about 10 epochs with `batch_size=100`. "
        "If the accuracy stays near 10 %, check that you called `fit`; near 80 %, check the Rescaling layer.",
    )
    solution_code = (
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
    blank_message = "Build and compile your model in place of `____`, train it, then run the check cell again."

    def check_answer(self, model, x_test=None, y_test=None):
        import keras

        if not isinstance(model, keras.Model):
            raise Incorrect(
                f"`my_model` should be a Keras model such as `keras.Sequential([...])`, not a {type(model).__name__}."
            )
        if x_test is None or y_test is None:
            raise Incorrect("pass the test data too: `q5.check(my_model, x_test, y_test)`.")
        x_test, y_test = np.asarray(x_test), np.asarray(y_test)
        if x_test.ndim != 3 or x_test.shape[1:] != (28, 28):
            raise Incorrect(
                f"the test images have shape {x_test.shape}; pass them as load_mnist() returns them, shape (n, 28, 28)."
            )
        if y_test.shape != (len(x_test),):
            raise Incorrect(f"there are {len(x_test)} test images but the labels have shape {y_test.shape}.")
        try:
            probabilities = np.asarray(model.predict(x_test, verbose=0))
        except Exception as exc:  # Any failure here means the model does not take raw digits.
            raise Incorrect(
                "your model could not read the digits as load_mnist() returns them (uint8, shape (n, 28, 28)). "
                "Start it with `keras.Input(shape=(28, 28))`, a Rescaling and a Flatten layer. "
                f"Keras said: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            ) from None
        if probabilities.shape != (len(x_test), 10):
            raise Incorrect(
                f"your model outputs shape {probabilities.shape[1:]} per batch; it needs 10 numbers per digit, "
                "one per class: end with `layers.Dense(10, ...)`."
            )
        rows_sum_to_one = np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-3)
        if probabilities.min() < 0 or not rows_sum_to_one:
            raise Incorrect(
                'your model\'s outputs are not probabilities: give the last Dense layer `activation="softmax"`.'
            )
        accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
        if accuracy < 0.2:
            raise Incorrect(
                f"{accuracy:.1%} on the test digits is about chance (10 %): has the model been compiled and trained "
                "with `fit`?"
            )
        if accuracy < self.bar:
            raise Incorrect(
                f"{accuracy:.1%} on the {len(y_test):,} test digits; the bar is {self.bar:.0%}. "
                "Train for more epochs, or check the Rescaling layer and the hidden layer's activation."
            )
        return f"{accuracy:.1%} on {len(y_test):,} test digits the model never saw."


q1 = SigmoidNeuronOutput(1)
q2 = DenseParameterCount(2)
q3 = StepsPerEpoch(3)
q4 = LossForIntegerLabels(4)
q5 = MnistModel(5)
