"""Exercises of notebook 06 · Filters: other right answers, one wrong answer per requirement."""

import numpy as np
import pytest
import tensorflow as tf

from tests.exercise_helpers import assert_correct, assert_incorrect, assert_not_attempted, run_solution
from utils.checks import ____
from utils.checks.nb06 import (
    PATCH,
    SAME_CASES,
    SOBEL_VERTICAL,
    convolve_same_reference,
    correlate_valid,
    edge_responses,
    q1,
    q2,
    q3,
    q4,
)


def convolve(image, kernel):
    """The notebook's `convolve` (stride 1, no padding), which the solutions call."""
    kh, kw = kernel.shape
    output = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            output[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return output


def test_the_checkers_reference_convolution_matches_keras():
    image, kernel = SAME_CASES[2]
    x, w = image[None, :, :, None].astype("float32"), kernel[:, :, None, None].astype("float32")
    np.testing.assert_allclose(correlate_valid(image, kernel), tf.nn.conv2d(x, w, 1, "VALID")[0, :, :, 0], atol=1e-4)
    np.testing.assert_allclose(convolve_same_reference(image, kernel), tf.nn.conv2d(x, w, 1, "SAME")[0, :, :, 0])


# Exercise 1: one output of a convolution.


def test_q1_accepts_the_value_convolve_gives():
    assert_correct(q1.check(convolve(PATCH, SOBEL_VERTICAL)))  # A 1×1 array is accepted.
    assert_correct(q1.check(np.int64(28)))


def test_q1_blank_in_arithmetic_is_not_attempted():
    assert_not_attempted(q1.check(-2 - 2 + ____))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (27.5, "whole number"),
        (30, "not it"),
    ],
)
def test_q1_mistakes_beyond_the_table(answer, fragment):
    assert_incorrect(q1.check(answer), fragment)


def test_q1_wrong_types():
    assert_incorrect(q1.check("28"), "remove the quotes")
    assert_incorrect(q1.check(["28"]), "remove the quotes")
    assert_incorrect(q1.check(PATCH * SOBEL_VERTICAL), "nine numbers", "products of the pairs")
    assert_incorrect(q1.check((PATCH * SOBEL_VERTICAL).ravel().tolist()), "products of the pairs")
    assert_incorrect(q1.check(np.ones(9)), "nine numbers", "one number")
    assert_incorrect(q1.check([[1, 2], [3]]), "single number")


def test_q1_right_answer_in_other_forms():
    assert_correct(q1.check(28.0))
    assert_correct(q1.check([[28]]))
    assert_correct(q1.check(tf.reduce_sum(tf.constant(PATCH) * tf.constant(SOBEL_VERTICAL))))
    assert_correct(q1.check(tf.reduce_sum(tf.constant(PATCH, tf.float32) * tf.constant(SOBEL_VERTICAL, tf.float32))))


def test_q1_a_matrix_product_is_a_named_mistake():
    """`@` multiplies rows by columns: neither its nine numbers nor their sum is a convolution."""
    for product in (PATCH @ SOBEL_VERTICAL, SOBEL_VERTICAL @ PATCH, np.dot(PATCH, SOBEL_VERTICAL)):
        assert_incorrect(q1.check(product), "matrix product", "`*`, not `@`")
    assert_incorrect(q1.check(tf.matmul(tf.constant(PATCH), tf.constant(SOBEL_VERTICAL))), "matrix product")
    assert int(np.sum(PATCH @ SOBEL_VERTICAL)) == 0 and int(np.sum(SOBEL_VERTICAL @ PATCH)) == -20
    assert_incorrect(q1.check(np.sum(PATCH @ SOBEL_VERTICAL)), "np.sum(patch @ kernel)", "matrix product")
    assert_incorrect(q1.check(np.sum(SOBEL_VERTICAL @ PATCH)), "np.sum(kernel @ patch)", "matrix product")
    assert "matrix product" in q1.hint()._repr_markdown_()


def test_q1_mean_and_unsigned_products_are_named():
    assert_incorrect(q1.check(np.mean(PATCH * SOBEL_VERTICAL)), "mean of the nine products")
    assert_incorrect(q1.check(np.sum(np.abs(PATCH * SOBEL_VERTICAL))), "without their signs")


# Exercise 2: convolve_same(image, kernel).


def test_q2_blank_body_is_not_attempted():
    def convolve_same(image, kernel):
        return ____

    assert_not_attempted(q2.check(convolve_same))


def test_q2_output_must_have_the_images_shape():
    assert_incorrect(q2.check(lambda image, kernel: convolve(image, kernel)), '"valid" size', "pad")
    assert_incorrect(q2.check(lambda image, kernel: convolve(np.pad(image, 1), kernel)), "5×5", "k // 2")
    full = lambda image, kernel: convolve(np.pad(image, kernel.shape[0] - 1), kernel)  # noqa: E731
    assert_incorrect(q2.check(full), "half")
    assert_incorrect(q2.check(lambda image, kernel: float(np.sum(image))), "single number", "2-d array")


def test_q2_padding_must_be_zeros():
    def edge_padded(image, kernel):
        p = kernel.shape[0] // 2
        return convolve(np.pad(image, p, mode="edge"), kernel)

    assert_incorrect(q2.check(edge_padded), "pad with zeros")


def test_q2_kernel_must_not_be_flipped_or_transposed():
    scipy_signal = pytest.importorskip("scipy.signal")
    flipped = lambda image, kernel: scipy_signal.convolve2d(image, kernel, mode="same")  # noqa: E731
    assert_incorrect(q2.check(flipped), "flipped")
    transposed = lambda image, kernel: convolve_same_reference(image, kernel.T)  # noqa: E731
    assert_incorrect(q2.check(transposed), "transpose")
    correlated = lambda image, kernel: scipy_signal.correlate2d(image, kernel, mode="same")  # noqa: E731
    assert_correct(q2.check(correlated))


def test_q2_right_answer_in_other_forms():
    """A list of lists, float32, a TensorFlow tensor (from `tf.nn.conv2d`) are all the same answer."""
    assert_correct(q2.check(lambda image, kernel: convolve_same_reference(image, kernel).tolist()))
    assert_correct(
        q2.check(lambda image, kernel: convolve_same_reference(image.astype("float32"), kernel.astype("float32")))
    )

    def with_tensorflow(image, kernel):
        x, w = tf.constant(image[None, :, :, None], tf.float32), tf.constant(kernel[:, :, None, None], tf.float32)
        return tf.nn.conv2d(x, w, 1, "SAME")[0, :, :, 0]

    assert_correct(q2.check(with_tensorflow))
    batch = lambda image, kernel: with_tensorflow(image, kernel)[None, :, :, None]  # noqa: E731
    assert_incorrect(q2.check(batch), "extra axes of length 1", "np.squeeze")


@pytest.mark.parametrize(
    "cast",
    [
        lambda result: result.astype(int),
        np.round,
        lambda result: np.trunc(result).tolist(),
    ],
)
def test_q2_a_result_rounded_to_whole_numbers_is_rejected(cast):
    """The checker's last image has pixels between 0 and 1: a result cast to int is wrong there."""
    assert any(not np.all(image == np.round(image)) for image, _ in SAME_CASES)
    assert_incorrect(
        q2.check(lambda image, kernel: cast(convolve_same_reference(image, kernel))), "rounded to whole numbers"
    )


def test_q2_an_output_array_of_integers_is_rejected():
    def convolve_same(image, kernel):
        k = kernel.shape[0]
        padded = np.pad(image, k // 2)
        output = np.zeros(image.shape, dtype=int)  # Each assignment below drops the fractions.
        for i in range(image.shape[0]):
            for j in range(image.shape[1]):
                output[i, j] = np.sum(padded[i : i + k, j : j + k] * kernel)
        return output

    assert_incorrect(q2.check(convolve_same), "5×7 image", "rounded to whole numbers", "dtype=int")


def test_q2_a_function_that_changes_its_input_cannot_change_the_next_judgement():
    """The checker hands copies: zeroing the image in place must not make zeros the right answer."""
    before = [(image.copy(), kernel.copy()) for image, kernel in SAME_CASES]

    def zeroes_in_place(image, kernel):
        image *= 0
        kernel[:] = 0
        return np.zeros_like(image)

    assert_incorrect(q2.check(zeroes_in_place), "returned a wrong array")
    for (image, kernel), (image_before, kernel_before) in zip(SAME_CASES, before, strict=True):
        np.testing.assert_array_equal(image, image_before)
        np.testing.assert_array_equal(kernel, kernel_before)
    assert_incorrect(q2.check(lambda image, kernel: np.zeros_like(image)), "returned a wrong array")
    assert_correct(run_solution(q2, "q2", convolve=convolve))


def test_q2_wrong_values_crashes_and_missing_return():
    assert_incorrect(q2.check(lambda image, kernel: np.zeros_like(image)), "returned a wrong array")

    def crashes(image, kernel):
        raise IndexError("index 5 is out of bounds")

    assert_incorrect(q2.check(crashes), "raised `IndexError")

    def forgets_return(image, kernel):
        np.pad(image, 1)

    assert_incorrect(q2.check(forgets_return), "return")
    assert_incorrect(q2.check(np.zeros((5, 5))), "`convolve_same` itself")


# Exercise 3: a vertical-edge kernel.


def test_q3_accepts_other_vertical_kernels():
    assert_correct(q3.check(np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])))  # Prewitt, the other sign.
    assert_correct(q3.check([[0, 0, 0], [-1, 0, 1], [0, 0, 0]]))
    assert_correct(q3.check(tf.constant([[-0.5, 0, 0.5], [-1, 0, 1], [-0.5, 0, 0.5]])))
    assert_correct(q3.check([[1, -2, 1], [1, -2, 1], [1, -2, 1]]))  # A second difference: a vertical line finder.
    assert_correct(q3.check([[-1 / 3, 0, 1 / 3]] * 3))
    assert_correct(q3.check([[-0.33, 0, 0.33], [-0.34, 0, 0.34], [-0.33, 0, 0.33]]))


def test_q3_right_kernel_in_other_forms():
    for kernel in (
        tuple(map(tuple, SOBEL_VERTICAL.tolist())),
        SOBEL_VERTICAL.astype("float32"),
        tf.Variable(SOBEL_VERTICAL, dtype=tf.float32),
        SOBEL_VERTICAL[:, :, None, None],  # A Conv2D kernel's shape.
    ):
        assert_correct(q3.check(kernel))


def test_q3_success_note_describes_the_kernel_as_it_is():
    exact = q3.check(SOBEL_VERTICAL)
    assert_correct(exact)
    assert "up to 4 on vertical edges, 0 on horizontal edges and 0 on flat regions" in exact.message
    assert "up to 1 on vertical edges" in q3.check([[0, 0, 0], [-1, 0, 1], [0, 0, 0]]).message
    leaky = q3.check([[-1, 0, 1.02], [-2, 0, 2], [-1, 0, 0.98]])  # Rows add up to 0.02, 0 and -0.02.
    assert_correct(leaky)
    assert edge_responses(np.array([[-1, 0, 1.02], [-2, 0, 2], [-1, 0, 0.98]]))[1] == pytest.approx(0.02)
    assert "0.02 (0.5 % of that) on horizontal edges" in leaky.message and "counts as 0" in leaky.message
    assert "0 on horizontal edges" not in leaky.message


def test_q3_weights_typed_as_text_are_told_to_remove_the_quotes():
    as_texts = [[str(w) for w in row] for row in SOBEL_VERTICAL.tolist()]
    assert_incorrect(q3.check(as_texts), "texts", "remove the quotes around each number")
    assert_incorrect(q3.check(np.array(as_texts)), "remove the quotes around each number")
    assert_incorrect(q3.check("[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]"), "remove the quotes")
    assert_incorrect(q3.check([[-1, "0", 1], [-2, 0, 2], [-1, 0, 1]]), "remove the quotes")
    for answer in (as_texts, "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]"):
        assert "a list of 3 items" not in q3.check(answer).message


def test_q3_blank_inside_the_kernel_is_not_attempted():
    assert_not_attempted(q3.check([[-1, 0, 1], [-2, ____, 2], [-1, 0, 1]]))


def test_q3_must_be_3_by_3_numbers():
    assert_incorrect(q3.check([[-1, 0, 1]]), "3 rows of 3")
    assert_incorrect(q3.check(SOBEL_VERTICAL.ravel().tolist()), "one flat list", "3 rows of 3")
    assert_incorrect(q3.check(5), "single number", "3 rows of 3")
    assert_incorrect(q3.check(np.zeros((5, 5))), "3 rows of 3")
    assert_incorrect(q3.check([[-1, 0, 1], [-2, 0], [-1, 0, 1]]), "different lengths")
    assert_incorrect(q3.check("sobel"), "you gave the text")
    assert_incorrect(q3.check([[np.nan, 0, 1], [-2, 0, 2], [-1, 0, 1]]), "nan")


def test_q3_must_output_0_on_flat_regions():
    assert_incorrect(q3.check([[-1, 0, 1], [-2, 1, 2], [-1, 0, 1]]), "flat region", "1 times")
    assert_incorrect(q3.check(np.eye(3)), "flat region")


def test_q3_must_respond_to_vertical_edges():
    assert_incorrect(q3.check(np.zeros((3, 3))), "all your weights are 0")
    assert_incorrect(q3.check([[1, 0, -1], [0, 0, 0], [-1, 0, 1]]), "does not see vertical edges")  # The decks' X.
    assert_incorrect(q3.check(SOBEL_VERTICAL.T), "horizontal edges", "top to bottom")


def test_q3_must_not_respond_to_horizontal_edges():
    """The task says 0 on horizontal edges: up to 1 % of the vertical response counts as 0, 5 % does not."""
    leaky = q3.check([[-1, 0, 1.2], [-2, 0, 2], [-1, 0, 0.8]])  # Flat: 0. Horizontal edges: 0.2, vertical: 4.
    assert_incorrect(leaky, "also lights up", "up to 0.2, 5 % as much", "1 %")
    assert_incorrect(q3.check(SOBEL_VERTICAL.T + [[0, 0, 0], [0, 0, 0], [-0.01, 0, 0.01]]), "responds more")
    assert_incorrect(q3.check([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), "also lights up", "horizontal")
    assert_incorrect(q3.check([[-1, 0, 1], [-1, 0, 1], [-1, 1, 1]]), "flat region")
    assert_incorrect(q3.check([[-1, 0, 2], [-1, 0, 1], [-1, 0, 0]]), "also lights up")


def test_q3_test_image_measures_edges_apart_from_corners():
    assert edge_responses(SOBEL_VERTICAL) == (4.0, 0.0)
    assert edge_responses(SOBEL_VERTICAL.T) == (0.0, 4.0)


# Exercise 4: box_blur(size).


def test_q4_accepts_a_filled_array():
    assert_correct(q4.check(lambda size: np.full((size, size), 1 / size**2)))


def test_q4_right_answer_in_other_forms():
    assert_correct(q4.check(lambda size: tf.ones((size, size)) / (size * size)))
    assert_correct(q4.check(lambda size: [[1 / size**2] * size for _ in range(size)]))
    assert_correct(q4.check(lambda size: np.ones((size, size), "float32") / size**2))


def test_q4_shape_passed_as_two_numbers_is_told_to_use_a_tuple():
    """`np.ones(size, size)` raises "Cannot interpret '3' as a data type" in the learner's code."""
    result = q4.check(lambda size: np.ones(size, size) / (size * size))
    assert_incorrect(result, "raised `TypeError", "pass the shape as a tuple", "`np.ones((size, size))`")
    assert_incorrect(q4.check(lambda size: np.full(size, size, 1 / size**2)), "pass the shape as a tuple")


def test_q4_integer_division_and_extra_axes_are_named():
    assert_incorrect(q4.check(lambda size: np.ones((size, size), int) // (size * size)), "all 0", "`/`")
    assert_incorrect(q4.check(lambda size: np.ones((1, size, size, 1)) / size**2), "extra axes of length 1")


def test_q4_blank_body_is_not_attempted():
    def box_blur(size):
        return ____

    assert_not_attempted(q4.check(box_blur))


def test_q4_weights_must_add_up_to_1():
    assert_incorrect(q4.check(lambda size: np.ones((size, size))), "brighter")
    assert_incorrect(q4.check(lambda size: np.ones((size, size)) / size), "each row adds up to 1")
    assert_incorrect(q4.check(lambda size: np.ones((size, size)) / 9), "3×3 blur only")
    assert_incorrect(q4.check(lambda size: np.ones((size, size)) / (2 * size * size)), "add up to 0.5")


def test_q4_weights_must_be_equal():
    def gaussian_like(size):
        weights = np.outer(np.arange(1, size + 1), np.arange(1, size + 1)).astype(float)
        return weights / weights.sum()

    assert_incorrect(q4.check(gaussian_like), "not all equal")


def test_q4_must_be_a_size_by_size_array():
    assert_incorrect(q4.check(lambda size: np.ones(size) / size), "wrong shape", "3×3 array")
    assert_incorrect(q4.check(lambda size: 1 / size**2), "single number")
    assert_incorrect(q4.check(lambda size: "blur"), "you gave the text")
    assert_incorrect(q4.check(lambda size: None), "return")
