"""Exercises of notebook 02 · Linear regression: q1 to q4.

In the notebook::

    from utils.checks.nb02 import q1, q2, q3, q4

The checkers rebuild the notebook's data with the same recipe and seeds (see `line_data` and
`curve_errors`), so that they can run gradient descent and compare validation errors themselves.
"""

import math

import numpy as np

from utils.checks.core import (
    FunctionProblem,
    Incorrect,
    Mistake,
    Problem,
    activation_name,
    as_number,
    as_whole_number,
    format_number,
    layers_of,
    number_in_order,
    require_model,
    run_model,
)
from utils.i18n import N_, _

#: The notebook's line: y = TRUE_W * x + TRUE_B + noise.
TRUE_W, TRUE_B, NOISE = 3.0, 2.0, 0.5
#: Exercise 2: the loss must come within this factor of the best possible one in this many steps.
LR_STEPS, LR_TOLERANCE = 20, 1.05
#: Exercise 4: the degrees whose errors the notebook prints.
DEGREES = range(1, 16)


def line_data(seed=42, n=200):
    """Return the notebook's training set (x_train, y_train) for the line, as float64 arrays."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, n).astype("float32")
    y = (TRUE_W * x + TRUE_B + rng.normal(0, NOISE, n)).astype("float32")
    train = rng.permutation(n)[: int(0.6 * n)]
    return x[train].astype(float), y[train].astype(float)


def run_gradient_descent(learning_rate, steps=LR_STEPS):
    """Fit y = w x + b from w = b = 0 by gradient descent on the MSE, as the notebook's `fit_by_hand` does.

    Returns:
        The loss computed at each step (before its update) and b after each update.
    """
    x, y = line_data()
    w = b = 0.0
    losses, b_values = [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            error = w * x + b - y
            losses.append(float(np.mean(error**2)))
            w, b = w - learning_rate * 2 * np.mean(error * x), b - learning_rate * 2 * np.mean(error)
            b_values.append(b)
    return losses, b_values


def best_line():
    """Return (w, b, loss): the line with the smallest MSE on the training set (least squares)."""
    x, y = line_data()
    features = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(features, y, rcond=None)
    return float(w), float(b), float(np.mean((features @ np.array([w, b]) - y) ** 2))


def curve_errors(seed=42, n=40):
    """Return {degree: (training MSE, validation MSE)} for the notebook's noisy curve."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, n)
    y = np.sin(np.pi * x) + rng.normal(0, 0.2, n)
    half = n // 2
    errors = {}
    for degree in DEGREES:
        design = np.stack([x**k for k in range(degree + 1)], axis=1)  # Columns 1, x, x², ..., x^degree.
        coefficients, *_ = np.linalg.lstsq(design[:half], y[:half], rcond=None)
        squared = (design @ coefficients - y) ** 2
        errors[degree] = (float(np.mean(squared[:half])), float(np.mean(squared[half:])))
    return errors


def _errors(y_true, y_pred):
    return np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)


#: What typical wrong `mae` functions give, judged on the small example (errors −1, 0, 2, −1).
_MAE_MISTAKES = (
    Mistake(
        lambda t, p: np.mean(_errors(t, p) ** 2),
        N_("you squared the errors: that is the MSE. The MAE takes their absolute values instead."),
    ),
    Mistake(
        lambda t, p: np.mean(_errors(t, p)),
        N_("the positive and negative errors cancel out: take the absolute value of each error."),
    ),
    Mistake(
        lambda t, p: np.sum(np.abs(_errors(t, p))),
        N_("that is the sum of the absolute errors: it grows with the number of samples. Take the mean."),
    ),
    Mistake(
        lambda t, p: np.sum(_errors(t, p) ** 2),
        N_("that is the sum of the squared errors: take absolute values (not squares), then the mean."),
    ),
    Mistake(
        lambda t, p: np.max(np.abs(_errors(t, p))),
        N_("that is the largest absolute error: take the mean of all of them."),
    ),
    Mistake(
        lambda t, p: math.sqrt(np.mean(_errors(t, p) ** 2)),
        N_("that is the square root of the MSE (the RMSE), not the mean of the absolute errors."),
    ),
)


class MeanAbsoluteError(FunctionProblem):
    title = N_("the mean absolute error, written in TensorFlow")
    function_name = "mae"
    expected_function = N_("the function `mae` itself")
    call_example = "q1.check(mae)"
    hints = (
        N_(
            "Follow the formula from the inside out: the errors `y_true - y_pred`, their absolute values, "
            "then the mean."
        ),
        N_(
            "TensorFlow has `tf.abs` for absolute values and `tf.reduce_mean` for the mean, "
            "as in the `mse` function above."
        ),
    )
    solution_code = N_(
        "def mae(y_true, y_pred):\n    return tf.reduce_mean(tf.abs(y_true - y_pred))\n\n\nq1.check(mae)"
    )
    blank_message = N_("Replace `____` in the body of `mae` with your code, then run the cell again.")
    correct_note = N_("for errors (−1, 0, 2, −1) the MAE is (1 + 0 + 2 + 1) / 4 = 1.")

    @property
    def cases(self):
        """The small example (errors −1, 0, 2, −1), then 50 random samples in Keras' (samples, 1) shape."""
        import tensorflow as tf

        rng = np.random.default_rng(0)
        y_true, y_pred = rng.normal(size=(50, 1)), rng.normal(size=(50, 1))
        return (
            (tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([2.0, 2.0, 1.0, 5.0])),
            (tf.constant(y_true, tf.float32), tf.constant(y_pred, tf.float32)),
        )

    def reference(self, y_true, y_pred):
        return float(np.mean(np.abs(_errors(y_true, y_pred))))

    def group(self, args):
        return "small" if np.size(args[0]) == 4 else "random"

    def format_call(self, args):
        return "`mae(y_true, y_pred)`" if self.group(args) == "small" else _("`mae` on 50 samples shaped (50, 1)")

    def wrong_shape(self, args, call, got_shape, want_shape):
        if int(np.prod(got_shape)) > 1:
            return _(
                "{call} returned {count} numbers, one per sample; a loss is a single number: "
                "take the mean over all the samples (with no `axis`)."
            ).format(call=call, count=int(np.prod(got_shape)))
        return None

    def mistakes_for(self, group):
        return _MAE_MISTAKES if group == "small" else ()

    def message(self, args, call, got, reason, named):
        if self.group(args) == "small":
            return _("for errors (−1, 0, 2, −1) your function gives {value}; {reason}").format(
                value=format_number(got), reason=reason
            )
        return _("it works on the small example but gives {value} on 50 random samples of shape (50, 1).").format(
            value=format_number(got)
        )

    def fallback_for(self, group):
        return N_("compare with the formula."), None


class ConvergingLearningRate(Problem):
    call_example = "q2.check(learning_rate)"
    # The texts that name the number of steps are formatted when shown (the properties below).
    _title = N_("a learning rate that fits the line in {steps} steps")
    _hints = (
        N_(
            "Try a few values with `fit_by_hand(learning_rate, steps={steps})` and look at the last loss: "
            "the plot of the three learning rates shows the range to search."
        ),
        N_(
            "Too small and the loss is still high after 20 steps; too large and it explodes. "
            "Larger than 0.1 works here, but the diverging rate of the plot is too large."
        ),
    )
    _solution_code = N_(
        "# fit_by_hand(0.5, steps={steps})[-1] shows w = 3.13, b = 2.06 and a loss of 0.231: the best line.\n"
        "learning_rate = 0.5\n"
        "q2.check(learning_rate)"
    )
    blank_message = N_("Replace `____` with a number such as 0.01, then run the cell again.")

    @property
    def title(self):
        return _(self._title).format(steps=LR_STEPS)

    @property
    def hints(self):
        return tuple(_(text).format(steps=LR_STEPS) for text in self._hints)

    @property
    def solution_code(self):
        return _(self._solution_code).format(steps=LR_STEPS)

    def check_answer(self, learning_rate):
        rate = as_number(learning_rate, what=_("the learning rate"))
        shown_rate = format_number(rate)
        if not math.isfinite(rate):
            raise Incorrect(
                _("{rate} is not a finite number: a learning rate is a small positive number.").format(rate=shown_rate)
            )
        if rate <= 0:
            if rate == 0:
                message = N_("a learning rate is a positive number; with {rate} the step does not move w and b at all.")
            else:
                message = N_("a learning rate is a positive number; with {rate} the step goes uphill, or nowhere.")
            raise Incorrect(_(message).format(rate=shown_rate))
        losses, b_values = run_gradient_descent(rate)
        _w, best_b, best = best_line()
        first, last = losses[0], losses[-1]
        words = {"rate": shown_rate, "steps": LR_STEPS, "first": first, "last": last, "best": best}
        if not math.isfinite(last) or last > first:
            if math.isfinite(last):
                message = N_(
                    "it diverges: with learning rate {rate} the loss grew from {first:.2f} to {last_shown} in {steps} "
                    "steps. Each step overshoots the minimum and lands farther away: try a smaller rate."
                )
            else:
                message = N_(
                    "it diverges: with learning rate {rate} the loss overflows to infinity in {steps} steps. "
                    "Each step overshoots the minimum and lands farther away: try a smaller rate."
                )
            raise Incorrect(_(message).format(last_shown=format_number(last), **words))
        if last > LR_TOLERANCE * best:
            sides = np.sign(np.array(b_values[-4:]) - best_b)  # Which side of its best value b is on.
            if np.all(sides[1:] == -sides[:-1]):  # Bouncing around the best value.
                advice = _(
                    "the steps are so large that b jumps from one side of its best value to the other: "
                    "a little smaller."
                )
            else:
                advice = _("too small: the steps are too short to get there in time. Try a larger rate.")
            raise Incorrect(
                _(
                    "with learning rate {rate} the loss is still {last:.3f} after {steps} steps "
                    "(the best possible is {best:.3f}); {advice}"
                ).format(advice=advice, **words)
            )
        return _("the loss reaches {last:.3f} in {steps} steps, within 5 % of the best possible ({best:.3f}).").format(
            **words
        )


class OneUnitModel(Problem):
    title = N_("linear regression as a one-unit Keras model")
    call_example = "q3.check(my_model)"
    hints = (
        N_(
            "A Sequential model is a list of layers: first `keras.Input(shape=...)` with one number per sample, "
            "then one Dense layer."
        ),
        N_("y = w·x + b has one input, one output, no activation: `layers.Dense(1)`."),
    )
    solution_code = N_("my_model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1)])\nq3.check(my_model)")
    blank_message = N_("Replace `____` with a `keras.Sequential([...])` model, then run the cell again.")

    def check_answer(self, model):
        from keras import layers

        require_model(model, "my_model")
        input_shape = tuple(model.inputs[0].shape) if model.inputs else None
        if input_shape != (None, 1):
            raise Incorrect(
                _("the input shape is {shape}; each sample is one number x, so use shape (1,).").format(
                    shape=input_shape
                )
            )
        output_shape = tuple(model.outputs[0].shape)
        if output_shape != (None, 1):
            raise Incorrect(
                _("the output shape is {shape}; the model predicts one number y, so one unit.").format(
                    shape=output_shape
                )
            )
        dense = [layer for layer in layers_of(model) if isinstance(layer, layers.Dense)]
        params = model.count_params()
        if len(dense) != 1:
            raise Incorrect(
                _("y = w·x + b is one Dense layer with one unit; your model has {count} Dense layers.").format(
                    count=len(dense)
                )
            )
        if params != 2:
            reason = _("the bias b is missing (use_bias=False?)") if params == 1 else _("y = w·x + b has only w and b")
            raise Incorrect(
                _("the model has {count} parameters, not 2 (w and b): {reason}.").format(count=params, reason=reason)
            )
        name = activation_name(dense[0]) or "linear"
        if name != "linear":
            raise Incorrect(
                _(
                    "the Dense layer applies a {name} activation, which bends or clips the line; "
                    "a regression output needs none (leave `activation` out)."
                ).format(name=name)
            )
        self._require_a_line(model, dense[0])
        return _("1 input, 1 unit, 2 parameters: the kernel is w and the bias is b.")

    @staticmethod
    def _require_a_line(model, dense):
        """Raise Incorrect unless the model's output is its Dense layer's w·x + b (no layer bends it after)."""
        x = np.linspace(-3, 3, 7, dtype="float32").reshape(-1, 1)
        w, b = (float(np.ravel(weights)[0]) for weights in dense.get_weights())
        y = run_model(model, x, "my_model").reshape(-1)
        if not np.allclose(y, w * x.reshape(-1) + b, rtol=1e-4, atol=1e-5):
            found = layers_of(model)
            after = [type(layer).__name__ for layer in found[found.index(dense) + 1 :]]
            after = [name for name in after if name not in ("Dropout", "InputLayer")]
            if after:
                message = N_(
                    "the model's output is not the line w·x + b of its Dense layer: a layer after it changes it "
                    "(yours: {layers}). A regression model here is the Dense layer alone."
                )
            else:
                message = N_(
                    "the model's output is not the line w·x + b of its Dense layer: a layer after it changes it. "
                    "A regression model here is the Dense layer alone."
                )
            raise Incorrect(_(message).format(layers=", ".join(after)))


class BestDegree(Problem):
    title = N_("the polynomial degree that generalises best")
    call_example = "q4.check(best_degree)"
    hints = (
        N_(
            "Generalising means doing well on data the fit did not see: that is the validation error, not the training "
            "error."
        ),
        N_(
            "Look for the smallest number in the validation column of the table (or use `min(val_errors, "
            "key=val_errors.get)`)."
        ),
    )
    solution_code = N_("best_degree = min(val_errors, key=val_errors.get)\nq4.check(best_degree)")
    blank_message = N_("Replace `____` with a degree (a whole number from the table), then run the cell again.")

    def check_answer(self, best_degree):
        degree = as_whole_number(best_degree, what=_("the degree"))
        if degree not in DEGREES:
            raise Incorrect(
                _("{degree} is not one of the degrees in the table ({first} to {last}).").format(
                    degree=degree, first=DEGREES[0], last=DEGREES[-1]
                )
            )
        errors = curve_errors()
        validation = {d: val for d, (_train, val) in errors.items()}
        training = {d: train for d, (train, _val) in errors.items()}
        best = min(validation, key=validation.get)
        # Errors are quoted as the notebook's table prints them (3 decimals), never in another format.
        words = {"degree": degree, "error": validation[degree]}
        if validation[degree] <= validation[best] * 1.001:
            return _(
                "degree {degree} has the lowest validation error ({error:.3f}): "
                "complex enough for the curve, too simple to memorise the noise."
            ).format(**words)
        if degree == min(training, key=training.get):
            message = N_(
                "degree {degree} has the lowest *training* error, but it memorised the noise (overfitting): "
                "its validation error is {error:.3f}. Judge by the validation column."
            )
        elif degree < best:
            message = N_(
                "degree {degree} underfits: it is too simple for the curve, so its training and validation errors "
                "both stay high (validation {error:.3f}). Look for a smaller validation error."
            )
        else:
            message = N_(
                "degree {degree} fits the training points more closely, but its validation error "
                "({error:.3f}) is higher than the best one: "
                "the extra flexibility goes into fitting the noise. Find the smallest number in the validation column."
            )
        raise Incorrect(_(message).format(**words))


q1, q2, q3, q4 = number_in_order(MeanAbsoluteError, ConvergingLearningRate, OneUnitModel, BestDegree)
