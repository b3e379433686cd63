"""Exercises of notebook 06 · Filters."""

import numpy as np

from utils.checks.core import (
    FunctionProblem,
    Incorrect,
    Mistake,
    NumberProblem,
    Problem,
    as_array,
    contains_blank,
    format_number,
    number_in_order,
)
from utils.i18n import N_, _

# The convolution that the exercises' references and the edge test share.


def correlate_valid(image, kernel):
    """Slide `kernel` over `image` without flipping it (stride 1, no padding), as Conv2D does."""
    kh, kw = kernel.shape
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((out_h, out_w))
    for di in range(kh):  # One shifted copy of the image per kernel weight: fast, and the same sum.
        for dj in range(kw):
            out += kernel[di, dj] * image[di : di + out_h, dj : dj + out_w]
    return out


class ArrayFunctionProblem(FunctionProblem):
    """The function template configured for a function that returns an array (a kernel, a filtered image).

    The shape is compared before the values (`shape_message` may name a typical wrong shape), a wrong
    result reads "returned a wrong array" (arrays are too long to print), and `format_call(args)`
    should say in words what the function was called with.
    """

    def message(self, args, call, got, reason, named):
        return _("{call} returned a wrong array: {reason}").format(call=call, reason=_(reason))


# Exercise 1: one output value of a convolution, by hand.

PATCH = np.array([[2, 4, 9], [1, 5, 8], [0, 3, 7]])
SOBEL_VERTICAL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
MATRIX_PRODUCT_HINT = N_("`a * b` multiplies two arrays element by element; `a @ b` is the matrix product.")


class ConvolutionValue(NumberProblem):
    title = N_("One output of a convolution, by hand")
    what = N_("the output")
    whole = True
    expected = float(np.sum(PATCH * SOBEL_VERTICAL))
    mistakes = (
        Mistake(
            float(np.sum(PATCH * SOBEL_VERTICAL[::-1, ::-1])),
            N_(
                "that is the kernel rotated by half a turn (a mathematician's convolution flips it); "
                "`convolve` and Keras multiply each weight with the pixel right beneath it."
            ),
            N_(
                "Lay the kernel on the patch as it is printed: the top-left weight (-1) sits on the top-left pixel (2)."
            ),
        ),
        Mistake(
            float(np.sum(PATCH * SOBEL_VERTICAL.T)),
            N_("that uses the kernel's rows as columns (its transpose): keep the kernel as printed."),
        ),
        Mistake(
            float(np.sum(PATCH * np.sign(SOBEL_VERTICAL))),
            N_("the middle row's weights are -2 and 2, not -1 and 1: multiply those pixels by 2."),
        ),
        Mistake(
            float(PATCH.sum()),
            N_("that is the sum of the pixels: multiply each pixel by the weight above it first."),
        ),
        Mistake(float(PATCH[1, 1]), N_("that is only the centre pixel: all nine products count.")),
        Mistake(
            float(np.sum(PATCH @ SOBEL_VERTICAL)),
            N_(
                "that is 0, what `np.sum(patch @ kernel)` gives (and what the kernel's weights add up to). `@` is a "
                "matrix product: each of its numbers combines a row of the patch with a column of the kernel. A "
                "convolution multiplies each pixel by the weight right above it, pair by pair (`*`, not `@`), and "
                "adds the nine products."
            ),
            MATRIX_PRODUCT_HINT,
        ),
        Mistake(
            float(np.sum(SOBEL_VERTICAL @ PATCH)),
            N_(
                "that is what `np.sum(kernel @ patch)` gives: `@` is a matrix product (rows times columns). A "
                "convolution multiplies each pixel by the weight right above it, pair by pair (`*`, not `@`), and "
                "adds the nine products."
            ),
            MATRIX_PRODUCT_HINT,
        ),
        Mistake(
            float(np.mean(PATCH * SOBEL_VERTICAL)),
            N_("that is the mean of the nine products: a convolution adds them (a sum, not an average)."),
        ),
        Mistake(
            float(np.sum(np.abs(PATCH * SOBEL_VERTICAL))),
            N_("that adds the products without their signs: a negative weight subtracts its pixel (-1 · 2 = -2)."),
        ),
    )
    fallback = N_("that is not it: multiply the nine pairs (pixel × the weight above it) and add the products.")
    correct_note = N_(
        "a large positive output: the patch is darker on the left than on the right, a vertical edge. "
        "`convolve(patch, kernel)` gives the same (as a 1×1 array)."
    )
    hints = (
        N_(
            "Lay the 3×3 kernel on the 3×3 patch: nine pairs (pixel, weight). Multiply each pair, then add the nine "
            "products. The kernel fits in one position only, so the output is one number."
        ),
        N_(
            "The middle column of the kernel is 0, so only the left and right columns count: "
            "(-1·2 - 2·1 - 1·0) + (1·9 + 2·8 + 1·7)."
        ),
    )
    solution_code = N_("""patch = np.array([[2, 4, 9], [1, 5, 8], [0, 3, 7]])
kernel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
output = np.sum(patch * kernel)  # (-2 - 2 - 0) + (9 + 16 + 7) = 28
q1.check(output)""")
    blank_message = N_("Replace `____` with the output (a number; arithmetic is fine), then run the cell again.")

    call_example = "q1.check(output)"

    def check_answer(self, answer):
        nine = _nine_numbers(answer)
        if nine is not None:
            if any(np.array_equal(nine, product) for product in (PATCH @ SOBEL_VERTICAL, SOBEL_VERTICAL @ PATCH)):
                raise Incorrect(
                    _(
                        "you gave nine numbers, a matrix product (`patch @ kernel`, `np.dot` or `np.matmul`): each of "
                        "its numbers combines a row of the patch with a column of the kernel. A convolution multiplies "
                        "each pixel by the weight right above it, pair by pair (`*`, not `@`), and adds the nine "
                        "products into one output."
                    ),
                    MATRIX_PRODUCT_HINT,
                )
            if np.array_equal(nine, PATCH * SOBEL_VERTICAL):
                raise Incorrect(
                    _(
                        "you gave nine numbers, the products of the pairs: a convolution adds them into one output "
                        "(`np.sum(...)`)."
                    )
                )
            raise Incorrect(
                _(
                    "you gave nine numbers; the output of a 3×3 kernel on a 3×3 patch is one number: multiply the "
                    "nine pairs (pixel × the weight above it) and add the products."
                )
            )
        return super().check_answer(answer)


def _nine_numbers(answer):
    """Return `answer` as a 3×3 array if it holds nine numbers (an array, a tensor, a list), else None."""
    if isinstance(answer, (str, bytes)) or contains_blank(answer):
        return None
    try:
        array = np.asarray(answer.numpy() if hasattr(answer, "numpy") else answer)
    except Exception:  # A ragged list: as_number explains it.
        return None
    if array.dtype.kind not in "iuf" or array.size != 9:
        return None
    return array.reshape(3, 3)


# Exercise 2: a convolution with "same" padding.


def convolve_same_reference(image, kernel):
    """Zero-pad `image` by half the kernel on each side, then slide the kernel (no flip)."""
    ph, pw = kernel.shape[0] // 2, kernel.shape[1] // 2
    return correlate_valid(np.pad(image, ((ph, ph), (pw, pw))), kernel)


def _padded(mode):
    def rule(image, kernel):
        ph, pw = kernel.shape[0] // 2, kernel.shape[1] // 2
        return correlate_valid(np.pad(image, ((ph, ph), (pw, pw)), mode=mode), kernel)

    return rule


_rng = np.random.default_rng(6)
SAME_CASES = (
    (_rng.integers(0, 10, (5, 5)).astype(float), np.array([[1.0, 2, 0], [0, -1, 0], [3, 0, -2]])),
    (_rng.integers(0, 10, (4, 6)).astype(float), np.array([[0.0, 1, 2], [-1, 0, 1], [-2, -1, 0]])),
    (_rng.integers(0, 10, (6, 6)).astype(float), _rng.integers(-3, 4, (5, 5)).astype(float)),
    # Pixels between 0 and 1 and fractional weights, as in a real image: a result cast to whole
    # numbers (`int(...)`, `.astype(int)`, `dtype=int`) is right on the cases above, wrong here.
    (np.round(_rng.random((5, 7)), 2), np.array([[0.1, 0.25, 0.0], [-0.5, 0.3, 0.2], [0.05, -0.15, 0.4]])),
)


_PAD_HINT = N_("`np.pad(image, width)` pads with zeros by default; `mode='edge'` or `'reflect'` copy pixels.")


class ConvolveSame(ArrayFunctionProblem):
    title = N_('Write convolve_same(image, kernel), a convolution with "same" padding')
    function_name = "convolve_same"
    cases = SAME_CASES
    mistakes = (
        Mistake(
            lambda image, kernel: convolve_same_reference(image, kernel[::-1, ::-1]),
            N_("the kernel is flipped (rotated by half a turn); like `convolve` and Keras, slide it as it is."),
            N_("If you used `scipy.signal.convolve2d`, it flips the kernel: flip it back, or use your own loops."),
        ),
        Mistake(
            lambda image, kernel: convolve_same_reference(image, kernel.T),
            N_("the kernel's rows and columns are swapped (its transpose): use it as given."),
        ),
        Mistake(
            _padded("edge"),  # i18n: not shown (np.pad's mode)
            N_('the border is padded with copies of the edge pixels; pad with zeros, as Keras\' "same" does.'),
            _PAD_HINT,
        ),
        Mistake(
            _padded("reflect"),  # i18n: not shown (np.pad's mode)
            N_('the border is padded with reflected pixels; pad with zeros, as Keras\' "same" does.'),
            _PAD_HINT,
        ),
    )
    fallback = N_(
        "pad the image with zeros (half the kernel's size on each side), then slide the kernel as `convolve` does."
    )
    correct_note = N_('same size in, same size out, and zeros around the border: what `padding="same"` does in Keras.')
    hints = (
        N_(
            "The output must have the image's shape. Pad the image with `kernel.shape[0] // 2` rows of zeros above "
            "and below (and as many columns left and right), then slide the kernel over the padded image as "
            "`convolve` does."
        ),
        N_(
            "`np.pad(image, ((ph, ph), (pw, pw)))` adds `ph` rows and `pw` columns of zeros on each side. "
            "Then `return convolve(padded, kernel)`."
        ),
    )
    solution_code = N_("""def convolve_same(image, kernel):
    ph, pw = kernel.shape[0] // 2, kernel.shape[1] // 2  # Half the kernel: 1 for 3×3, 2 for 5×5.
    padded = np.pad(image, ((ph, ph), (pw, pw)))  # Zeros all around.
    return convolve(padded, kernel)  # A "valid" convolution of the padded image has the image's size.


q2.check(convolve_same)""")
    blank_message = N_("Replace `____` in `convolve_same` with your code, then run the cell again.")
    call_example = "q2.check(convolve_same)"

    def reference(self, image, kernel):
        return convolve_same_reference(image, kernel)

    def format_call(self, args):
        (h, w), (k, _kw) = args[0].shape, args[1].shape
        return _("`convolve_same(image, kernel)` with a {height}×{width} image and a {size}×{size} kernel").format(
            height=h, width=w, size=k
        )

    def shape_message(self, args, got_shape, want_shape):
        image, kernel = args
        k = kernel.shape[0]
        if len(got_shape) != 2:
            return _("return a 2-d array, one value per pixel of the image.")
        if got_shape == (image.shape[0] - k + 1, image.shape[1] - k + 1):
            return _('that is the "valid" size (no padding): pad the image with zeros first ({k}×{k} kernel).').format(
                k=k
            )
        if got_shape == (image.shape[0] + k - 1, image.shape[1] + k - 1):
            return _("that pads by the whole kernel size minus one on each side: pad by half of it (`k // 2`).")
        if k != 3 and got_shape == (image.shape[0] - k + 3, image.shape[1] - k + 3):
            return _(
                "one pixel of padding is right for a 3×3 kernel only; this kernel is {k}×{k}: pad by `k // 2`."
            ).format(k=k)
        return _("it should have the image's shape, {height}×{width}.").format(
            height=want_shape[0], width=want_shape[1]
        )

    def unlisted_mistakes(self, wrong):
        def whole(array):
            return bool(np.all(array == np.round(array)))

        # Rounded: right wherever the exact result is whole numbers, and off by less than 1, in
        # whole numbers, where it is not.
        rounded = all(
            not whole(want) and whole(got) and np.all(np.abs(got - want) < 1)
            for want, got in ((self.reference(*args), got) for args, _call, got in wrong)
        )
        if rounded:
            raise Incorrect(
                _(
                    "{call} returned whole numbers only, but this image's pixels and the kernel's weights are "
                    "fractions (as in a real image, whose pixels lie between 0 and 1): your result was rounded to "
                    "whole numbers. Keep the fractions: no `int(...)`, `round(...)`, `.astype(int)` or `dtype=int`."
                ).format(call=wrong[0][1]),
                N_("Create the output with `np.zeros((height, width))`, which holds decimals, and return it as it is."),
            )


# Exercise 3: design a kernel that finds vertical edges, and only those.


def edge_test_image(size=12, low=3, high=9):
    """Return the test image of Exercise 3: a bright square (1) on a dark background (0)."""
    image = np.zeros((size, size))
    image[low:high, low:high] = 1.0
    return image


def edge_responses(kernel, size=12, low=3, high=9):
    """Return the kernel's strongest |output| on vertical edges and on horizontal edges of the test image.

    Only windows away from the square's corners count: a window on a vertical edge crosses the
    square's left or right side and no other.
    """
    response = np.abs(correlate_valid(edge_test_image(size, low, high), kernel))
    k = kernel.shape[0]
    vertical, horizontal = [], []
    for i in range(response.shape[0]):
        for j in range(response.shape[1]):
            rows, cols = range(i, i + k), range(j, j + k)
            inside_rows = all(low <= r < high for r in rows)
            inside_cols = all(low <= c < high for c in cols)
            crosses_col = any(c == low for c in cols[1:]) or any(c == high for c in cols[1:])
            crosses_row = any(r == low for r in rows[1:]) or any(r == high for r in rows[1:])
            if inside_rows and crosses_col:
                vertical.append(response[i, j])
            if inside_cols and crosses_row:
                horizontal.append(response[i, j])
    return max(vertical), max(horizontal)


class VerticalEdgeKernel(Problem):
    title = N_("Design a kernel that finds vertical edges")
    hints = (
        N_(
            "A vertical edge is a change from left to right. Give the left column of the kernel one sign and the "
            "right column the other, so the output is large where the left and right pixels differ."
        ),
        N_(
            "On a flat region every pixel has the same value, so the output is that value times the sum of the "
            "weights: make the weights add up to 0. A horizontal edge changes from one row to the next: if each row "
            "of weights adds up to 0, it cannot see that change."
        ),
    )
    solution_code = N_("""my_kernel = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]  # Sobel: right column minus left column.
q3.check(my_kernel)""")
    blank_message = N_("Replace each `____` with a weight (9 numbers), then run the cell again.")
    call_example = "q3.check(my_kernel)"

    def check_answer(self, answer):
        kernel = self.as_kernel(answer)
        scale = float(np.abs(kernel).sum())
        if scale == 0:
            raise Incorrect(_("all your weights are 0: the output is 0 everywhere, edges included."))
        vertical, horizontal = edge_responses(kernel)
        flat = abs(float(kernel.sum()))  # The output on a flat region of brightness 1.
        zero = 1e-9 * scale  # What the arithmetic's rounding leaves of an exact 0.
        leak = max(LEAK * vertical, zero)  # Up to 1 % of the vertical response counts as 0.
        if flat > leak:
            raise Incorrect(
                _(
                    "on a flat region (all pixels equal) your kernel outputs {total} times the "
                    "brightness instead of 0, so it lights up where there is no edge at all."
                ).format(total=format_number(kernel.sum())),
                N_(
                    "On a flat region the output is the pixel value times the sum of the weights: make them add up "
                    "to 0."
                ),
            )
        if vertical <= zero:
            if horizontal > zero:
                raise Incorrect(
                    _(
                        "your kernel finds the square's top and bottom (horizontal edges) but outputs 0 on its left "
                        "and right sides (vertical edges): it looks for a change from top to bottom."
                    ),
                    N_("Swap the kernel's rows and columns (`np.array(my_kernel).T`)."),
                )
            raise Incorrect(
                _(
                    "on the square's left and right sides (vertical edges) your kernel outputs 0: it does not see "
                    "vertical edges."
                ),
                N_("Give the left column and the right column of the kernel weights of opposite signs."),
            )
        if horizontal > leak:
            raise _lights_up_on_horizontal_edges(vertical, horizontal)
        note = _(
            "on the test square your kernel outputs up to {vertical} on vertical edges, "
            "{horizontal} on horizontal edges and {flat} on flat regions."
        ).format(
            vertical=format_number(vertical),
            horizontal=_leak_words(horizontal, vertical, zero),
            flat=_leak_words(flat, vertical, zero),
        )
        if max(horizontal, flat) > zero:
            note += " " + _(
                "Up to 1 % of the vertical response counts as 0 here (rounded weights leak a little); weights "
                "whose rows each add up to exactly 0 give exactly 0."
            )
        return (
            note
            + " "
            + _("Paste your `my_kernel` line into the box under the explorer's grid to see what it does to the photo.")
        )

    @staticmethod
    def as_kernel(answer):
        """Return the learner's kernel as a 3×3 float array, or raise Incorrect saying what its shape is."""
        kernel = as_array(answer, _("your kernel"), ndim=None)
        if kernel.shape == (9,):
            raise Incorrect(
                _(
                    "you gave 9 weights in one flat list: write them as 3 rows of 3, "
                    "`[[a, b, c], [d, e, f], [g, h, i]]`."
                )
            )
        if kernel.ndim > 2 and np.squeeze(kernel).shape == (3, 3):  # A Keras kernel, shaped (3, 3, 1, 1).
            kernel = np.squeeze(kernel)
        if kernel.ndim == 0:
            raise Incorrect(
                _("you gave a single number ({value}): the task asks for 3 rows of 3 weights.").format(
                    value=format_number(kernel)
                )
            )
        if kernel.shape != (3, 3):
            raise Incorrect(
                _("your kernel is {shape}: the task asks for 3 rows of 3 weights.").format(
                    shape="×".join(map(str, kernel.shape))
                )
            )
        if not np.all(np.isfinite(kernel)):
            raise Incorrect(_("your kernel holds a nan or an infinite weight: use ordinary numbers."))
        return kernel


#: The share of its vertical-edge response that a kernel may give on horizontal edges or flat regions
#: and still count as 0 there: weights typed with a few decimals leak a little, an exact kernel not at all.
LEAK = 0.01


def _percent(part, whole):
    """Return `part` as a percentage of `whole`: "0.5 %", "5 %", "50 %"."""
    share = 100 * part / whole
    return f"{share:.0f} %" if share >= 10 else f"{share:.2g} %"


def _leak_words(value, vertical, zero):
    """Say what a kernel outputs where it should output 0: "0", or the value and its share of the edge response."""
    if value <= zero:
        return "0"
    return _("{value} ({percent} of that)").format(value=format_number(value), percent=_percent(value, vertical))


def _lights_up_on_horizontal_edges(vertical, horizontal):
    """Return the Incorrect for a kernel that lights up on horizontal edges, more or less than on vertical ones."""
    if horizontal > vertical:
        message = _(
            "your kernel responds more to the square's top and bottom, horizontal edges (up to {horizontal}), than "
            "to its left and right sides, vertical edges (up to {vertical}). Only vertical edges may light up: on "
            "horizontal edges the output must stay at 0 (up to 1 % of the vertical edges' output counts as 0)."
        )
    else:
        message = _(
            "your kernel finds vertical edges (output up to {vertical}) but also lights up on the square's top and "
            "bottom, horizontal edges (up to {horizontal}, {percent} as much). Only vertical edges may light up: on "
            "horizontal edges the output must stay at 0 (up to 1 % of the vertical edges' output counts as 0)."
        )
    return Incorrect(
        message.format(
            vertical=format_number(vertical),
            horizontal=format_number(horizontal),
            percent=_percent(horizontal, vertical),
        ),
        N_("A horizontal edge changes from one row to the next: make each row of weights add up to 0."),
    )


# Exercise 4: a box blur that keeps the brightness.


_DIVIDE_HINT = N_("Divide by the number of weights, `size * size`, so that they add up to 1.")


class BoxBlur(ArrayFunctionProblem):
    title = N_("Write box_blur(size), a box blur that keeps the brightness")
    function_name = "box_blur"
    cases = ((3,), (5,), (1,), (7,))
    mistakes = (
        Mistake(
            lambda size: np.ones((size, size)),
            N_(
                "its weights add up to size × size, not 1, so every blurred pixel is the sum of its neighbours: "
                "the photo gets brighter (9 times for a 3×3 blur)."
            ),
            _DIVIDE_HINT,
        ),
        Mistake(
            lambda size: np.ones((size, size)) / size,
            N_("each row adds up to 1, but all the weights together add up to `size`: the photo gets brighter."),
            N_("There are `size * size` weights: each gets 1 / (size · size)."),
        ),
        Mistake(
            lambda size: np.ones((size, size)) / 9,
            N_("the weights are 1/9 whatever the size: right for a 3×3 blur only."),
        ),
    )
    fallback = N_("a box blur gives each of its size × size weights the same value, and the weights add up to 1.")
    correct_note = N_(
        "every weight is 1 / size², so the weights add up to 1: the blur averages, and keeps the brightness."
    )
    hints = (
        N_(
            "A box blur replaces each pixel by the average of the size × size pixels around it: every weight is the "
            "same."
        ),
        N_(
            "For the photo to keep its brightness, the weights must add up to 1: "
            "`np.ones((size, size)) / (size * size)`."
        ),
    )
    solution_code = N_("""def box_blur(size):
    return np.ones((size, size)) / (size * size)  # size² equal weights that add up to 1.


q4.check(box_blur)""")
    blank_message = N_("Replace `____` in `box_blur` with your code, then run the cell again.")
    call_example = "q4.check(box_blur)"
    learner_errors = (
        (
            TypeError,
            "as a data type",  # i18n: not shown (NumPy's words when `np.ones(size, size)` reads `size` as a dtype)
            N_("pass the shape as a tuple, with two pairs of brackets: `np.ones((size, size))`"),
        ),
    )

    def reference(self, size):
        return np.ones((size, size)) / (size * size)

    def format_call(self, args):
        return f"`box_blur({args[0]})`"

    def shape_message(self, args, got_shape, want_shape):
        (size,) = args
        return _("a {size}×{size} blur is a {size}×{size} array (use `np.ones((size, size))`).").format(size=size)

    def unlisted_mistakes(self, wrong):
        for _args, call, got in wrong:
            if not np.any(got):
                raise Incorrect(
                    _(
                        "{call} returned weights that are all 0: the blurred photo would be black. (`//` divides "
                        "to a whole number, which is 0 for 1 // 9: divide with `/`.)"
                    ).format(call=call)
                )
            if np.allclose(got.sum(), 1, atol=1e-6) and not np.allclose(got, got.flat[0]):
                raise Incorrect(
                    _(
                        "{call} returned weights that add up to 1 but are not all equal: that is a weighted blur "
                        "(like the Gaussian), not a box blur, which gives every pixel of the window the same weight."
                    ).format(call=call)
                )
            if np.allclose(got, got.flat[0]) and not np.allclose(got.sum(), 1, atol=1e-6):
                raise Incorrect(
                    _(
                        "{call} returned equal weights that add up to {total}, not 1: the blurred photo would be "
                        "{total} times as bright."
                    ).format(call=call, total=format_number(got.sum())),
                    _DIVIDE_HINT,
                )


q1, q2, q3, q4 = number_in_order(ConvolutionValue, ConvolveSame, VerticalEdgeKernel, BoxBlur)
