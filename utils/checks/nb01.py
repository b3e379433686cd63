"""Exercises of notebook 01 · Tensors and gradients: q1 to q4.

In the notebook::

    from utils.checks.nb01 import q1, q2, q3, q4
"""

import numpy as np

from utils.checks.core import (
    FunctionProblem,
    Incorrect,
    Mistake,
    NotAttempted,
    NumberProblem,
    Problem,
    format_number,
    number_in_order,
    wrong_type,
)
from utils.i18n import N_, _


def _is_tensor(value):
    """Return True for a TensorFlow tensor (eager or variable), without importing TensorFlow early."""
    import tensorflow as tf

    return isinstance(value, (tf.Tensor, tf.Variable))


def _is_shape(value):
    """Return True for (2, 3, 4) written as a tuple, a list or a TensorShape: the shape instead of the tensor."""
    import tensorflow as tf

    if isinstance(value, tf.TensorShape):
        return True
    return isinstance(value, (tuple, list)) and len(value) == 3 and all(isinstance(v, int) for v in value)


class RankThreeTensor(Problem):
    title = N_("a rank-3 float32 tensor of ones with shape (2, 3, 4)")
    call_example = "q1.check(images)"
    hints = (
        N_("TensorFlow has the same creation functions as NumPy: `tf.zeros(shape)` and `tf.ones(shape)`."),
        N_(
            "The shape is a tuple with one number per axis: 2 images, 3 rows, 4 columns. "
            "`tf.ones` makes float32 by default."
        ),
    )
    solution_code = N_("images = tf.ones((2, 3, 4))\nq1.check(images)")
    blank_message = N_("Replace `____` with a TensorFlow expression that creates the tensor, then run the cell again.")

    def check_answer(self, images):
        import keras

        if isinstance(images, keras.Variable):  # Keras' own variable holds a TensorFlow one.
            images = images.value
        if isinstance(images, str):
            raise Incorrect(
                _('you gave the text "{text}"; a TensorFlow tensor is expected: remove the quotes.').format(text=images)
            )
        if _is_shape(images):
            raise Incorrect(
                _(
                    "{shape} is the shape the tensor should have, not the tensor: "
                    "pass it to the TensorFlow function that makes a tensor of ones."
                ).format(shape=tuple(images))
            )
        if isinstance(images, np.ndarray):
            raise Incorrect(
                _(
                    "that is a NumPy array, not a TensorFlow tensor. Create it with TensorFlow's own function "
                    "(or convert the array with `tf.constant`)."
                )
            )
        if not _is_tensor(images):
            raise wrong_type(images, N_("a TensorFlow tensor"), "`images`")
        self._check_shape(tuple(images.shape))
        dtype = images.dtype.name
        if dtype != "float32":
            if dtype == "float64":
                message = N_(
                    "the dtype is {dtype}; Keras layers expect float32. NumPy arrays are float64 by default. "
                    "Use `tf.cast` or `dtype=`."
                )
            else:
                message = N_("the dtype is {dtype}; Keras layers expect float32. Use `tf.cast` or `dtype=`.")
            raise Incorrect(_(message).format(dtype=dtype))
        values = np.asarray(images)
        if not np.all(values == 1.0):
            if np.all(values == 0.0):
                raise Incorrect(_("every pixel is 0.0; the task asks for 1.0."))
            raise Incorrect(_("not every pixel equals 1.0."))
        return _("a rank-3 float32 tensor of shape (2, 3, 4), every pixel 1.0.")

    @staticmethod
    def _check_shape(shape):
        """Raise Incorrect unless the tensor's shape is (2, 3, 4), saying what a wrong rank or order means."""
        if len(shape) != 3:
            raise Incorrect(
                _(
                    "your tensor has rank {rank} (shape {shape}); a batch of 2 images of 3 × 4 pixels has rank 3, "
                    "one axis each for images, rows and columns."
                ).format(rank=len(shape), shape=shape)
            )
        if shape != (2, 3, 4):
            if sorted(shape) == [2, 3, 4]:
                raise Incorrect(
                    _(
                        "the shape {shape} has the right numbers in the wrong order: "
                        "images first, then rows, then columns."
                    ).format(shape=shape)
                )
            raise Incorrect(
                _("the shape is {shape}: it should be 2 images of 3 rows and 4 columns.").format(shape=shape)
            )


class MultiplyFunction(FunctionProblem):
    title = N_("c = a * b as a TensorFlow 2 @tf.function")
    function_name = "multiply"
    expected_function = N_("the function `multiply` itself")
    cases = ((2, 4), (3, 5), (-1, 7))
    mistakes = (Mistake(lambda a, b: a + b, N_("that is a + b, not a * b.")),)
    call_example = "q2.check(multiply)"
    hints = (
        N_(
            "In TensorFlow 1 you built the graph `c = a * b` and ran it in a session; in TensorFlow 2 the function's "
            "body is the graph: return the product of its two arguments."
        ),
        N_(
            "The placeholders `a` and `b` of TensorFlow 1 became the function's arguments: `return a * b`. "
            "Keep the `@tf.function` line above `def`: it is what traces the function into a graph."
        ),
    )
    solution_code = N_("@tf.function\ndef multiply(a, b):\n    return a * b\n\n\nq2.check(multiply)")
    blank_message = N_("Replace `____` in the body of `multiply` with your code, then run the cell again.")
    correct_note = N_(
        "`multiply(tf.constant(2), tf.constant(4))` gives 8, computed by a traced graph: no session needed."
    )

    def reference(self, a, b):
        return a * b

    def call_case(self, function, args, call):
        """Call `multiply` on two tensors: inside a graph, NumPy calls and shape errors fail in many ways."""
        import tensorflow as tf

        a, b = args
        try:
            return function(tf.constant(a), tf.constant(b))
        except NotAttempted:
            raise
        except Exception as exc:
            if "_Blank" in str(exc) or "____" in str(exc):  # The body still returns the placeholder.
                raise NotAttempted from None
            if isinstance(exc, TypeError) and "argument" in str(exc):
                raise Incorrect(
                    _(
                        "calling `multiply(tf.constant({a}), tf.constant({b}))` failed: it should take exactly two "
                        "arguments, a and b."
                    ).format(a=a, b=b)
                ) from exc
            raise Incorrect(
                _(
                    "calling `multiply(tf.constant({a}), tf.constant({b}))` raised `{error}`. "
                    "Inside a @tf.function, combine `a` and `b` with TensorFlow operations such as `*`."
                ).format(a=a, b=b, error=type(exc).__name__)
            ) from exc

    def message(self, args, call, got, reason, named):
        if named:
            return super().message(args, call, got, reason, named)
        a, b = args
        return _("{call} returned {value}, but {a} × {b} = {product}.").format(
            call=call, value=format_number(got), a=a, b=b, product=a * b
        )

    def after_cases(self, function):
        import tensorflow as tf

        if not isinstance(function, tf.types.experimental.PolymorphicFunction):
            raise Incorrect(
                _(
                    "it multiplies correctly, but it is a plain Python function that runs eagerly. "
                    "Decorate it with `@tf.function` so that TensorFlow traces it into a graph."
                )
            )


class TapeDerivative(NumberProblem):
    title = N_("dy/dx of y = x³ + 5x at x = 2 with GradientTape")
    call_example = "q3.check(dy_dx)"
    hints = (
        N_(
            "The tape recorded how `y` was computed from `x`; ask it for the gradient of the target `y` "
            "with respect to the source `x`."
        ),
        N_("`tape.gradient(target, source)`. By hand: the derivative of x³ is 3x², and of 5x is 5."),
    )
    solution_code = N_(
        "x = tf.Variable(2.0)\n"
        "with tf.GradientTape() as tape:\n"
        "    y = x**3 + 5 * x\n"
        "\n"
        "dy_dx = tape.gradient(y, x)\n"
        "q3.check(dy_dx)"
    )
    blank_message = N_("Replace `____` with the gradient the tape computes, then run the cell again.")
    what = "`dy_dx`"
    expected = 3 * 2.0**2 + 5
    correct_note = N_("dy/dx = 3x² + 5 = 17 at x = 2.")
    _tape = N_("Ask the tape: `tape.gradient(y, x)` gives the slope of y at x = 2.")
    mistakes = (
        (2.0**3 + 5 * 2.0, N_("18 is the value of y at x = 2, not its derivative (the slope)."), _tape),
        (3 * 2.0**2, N_("12 is the derivative of x³ only: the 5x term adds its own slope.")),
        (5.0, N_("5 is the derivative of 5x only: the x³ term is missing.")),
        (3 * 2.0 + 5, N_("11 looks like 3x + 5: the derivative of x³ is 3x², not 3x.")),
        (2.0, N_("2 is x itself: ask the tape for the derivative of y with respect to x."), _tape),
    )
    fallback = N_("that is not dy/dx at x = 2. Work it out by hand (3x² + 5) to compare with the tape.")

    def check_answer(self, dy_dx):
        if dy_dx is None:
            raise Incorrect(
                _(
                    "the gradient is `None`: the tape found no path from the source to the target. Either the two "
                    "arguments are swapped (the target comes first: `tape.gradient(y, x)`), or the tape did not "
                    "watch `x`: keep `x` a `tf.Variable` (or call `tape.watch(x)` for a constant) and compute `y` "
                    "inside the `with` block."
                )
            )
        return super().check_answer(dy_dx)


_W, _ETA, _GRAD = 3.0, 0.1, 2 * (2 * 3.0 - 4.0) * 2


class GradientStep(NumberProblem):
    title = N_("one gradient-descent step on L = (2w - 4)² from w = 3 with learning rate 0.1")
    call_example = "q4.check(w_after_step)"
    hints = (
        N_(
            "The rule is w ← w − η · ∂L/∂w: the variable `w`, the learning rate `learning_rate` and the gradient "
            "`grad` are all ready in the cell."
        ),
        N_("A variable changes in place with `w.assign_sub(...)`; then `w_after_step = w`."),
        N_("By hand: ∂L/∂w = 2(2w − 4) · 2 = 8 at w = 3."),
    )
    solution_code = N_(
        "w = tf.Variable(3.0)\n"
        "learning_rate = 0.1\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = (w * 2.0 - 4.0) ** 2\n"
        "grad = tape.gradient(loss, w)\n"
        "\n"
        "w.assign_sub(learning_rate * grad)\n"
        "w_after_step = w\n"
        "q4.check(w_after_step)"
    )
    blank_message = N_("Update `w`, set `w_after_step = w`, then run the cell again.")
    what = "`w_after_step`"
    expected = _W - _ETA * _GRAD
    correct_note = N_("w = 3 − 0.1 × 8 = 2.2, and the loss fell from 4.0 to 0.16.")
    _rule = N_("The rule is w ← w − η · ∂L/∂w, with η = `learning_rate` = 0.1 and ∂L/∂w = `grad` = 8.")
    mistakes = (
        (
            _W,
            N_("`w` is still 3.0: the step was not applied. Change the variable with `w.assign_sub(...)`."),
            N_("`w.assign_sub(x)` subtracts x from the variable in place."),
        ),
        (_W + _ETA * _GRAD, N_("3.8 moved w uphill: you added the step. Gradient descent subtracts it."), _rule),
        (_W - _GRAD, N_("−5 is w minus the whole gradient: multiply the gradient by the learning rate."), _rule),
        (_GRAD, N_("8 is the gradient, not the new value of w."), _rule),
        (_ETA * _GRAD, N_("0.8 is the step, not the new value of w: subtract it from w."), _rule),
        (
            _W - 2 * _ETA * _GRAD,
            N_(
                "1.4 is two steps: the cell probably applied the update twice. Run the whole cell again "
                "(it recreates `w`)."
            ),
        ),
        (_W - 3 * _ETA * _GRAD, N_("0.6 is three steps: run the whole cell again (it recreates `w`).")),
        ((2 * _W - 4.0) ** 2, N_("4 is the loss before the step, not the new value of w."), _rule),
        ((2 * (_W - _ETA * _GRAD) - 4.0) ** 2, N_("0.16 is the loss after the step, not the new value of w.")),
    )
    fallback = N_("that is not w after one step from w = 3. Compare with the rule w ← w − η · ∂L/∂w.")


q1, q2, q3, q4 = number_in_order(RankThreeTensor, MultiplyFunction, TapeDerivative, GradientStep)
