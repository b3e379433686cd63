"""Tests of the exercises of notebook 06 · Filters: solutions, blanks, one wrong answer per requirement."""

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


def test_q1_solution_passes_and_equals_convolve():
    assert_correct(run_solution(q1, "q1"))
    assert_correct(q1.check(convolve(PATCH, SOBEL_VERTICAL)))  # A 1×1 array is accepted.
    assert_correct(q1.check(np.int64(28)))


def test_q1_blank_is_not_attempted():
    assert_not_attempted(q1.check(____))
    assert_not_attempted(q1.check(-2 - 2 + ____))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (-28, "rotated by half a turn"),  # A flipped kernel.
        (-6, "transpose"),
        (21, "-2 and 2"),
        (39, "sum of the pixels"),
        (5, "centre pixel"),
        (27.5, "whole number"),
        (30, "not it"),
    ],
)
def test_q1_typical_mistakes(answer, fragment):
    assert_incorrect(q1.check(answer), fragment)


def test_q1_wrong_types():
    assert_incorrect(q1.check("28"), "remove the quotes")
    assert_incorrect(q1.check(PATCH * SOBEL_VERTICAL), "nine numbers")
    assert_incorrect(q1.check([[1, 2], [3]]), "single number")


# Exercise 2: convolve_same(image, kernel).


def test_q2_solution_passes():
    assert_correct(run_solution(q2, "q2", convolve=convolve))


def test_q2_blank_and_blank_body_are_not_attempted():
    assert_not_attempted(q2.check(____))

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


def test_q3_solution_passes_and_other_vertical_kernels_too():
    assert_correct(run_solution(q3, "q3"))
    assert_correct(q3.check(np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])))  # Prewitt, the other sign.
    assert_correct(q3.check([[0, 0, 0], [-1, 0, 1], [0, 0, 0]]))
    assert_correct(q3.check(tf.constant([[-0.5, 0, 0.5], [-1, 0, 1], [-0.5, 0, 0.5]])))


def test_q3_blank_is_not_attempted():
    assert_not_attempted(q3.check(____))
    assert_not_attempted(q3.check([[-1, 0, 1], [-2, ____, 2], [-1, 0, 1]]))


def test_q3_must_be_3_by_3_numbers():
    assert_incorrect(q3.check([[-1, 0, 1]]), "3 rows of 3")
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
    assert_incorrect(q3.check([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), "also lights up", "horizontal")
    assert_incorrect(q3.check([[-1, 0, 1], [-1, 0, 1], [-1, 1, 1]]), "flat region")
    assert_incorrect(q3.check([[-1, 0, 2], [-1, 0, 1], [-1, 0, 0]]), "also lights up")


def test_q3_test_image_measures_edges_apart_from_corners():
    assert edge_responses(SOBEL_VERTICAL) == (4.0, 0.0)
    assert edge_responses(SOBEL_VERTICAL.T) == (0.0, 4.0)


# Exercise 4: box_blur(size).


def test_q4_solution_passes():
    assert_correct(run_solution(q4, "q4"))
    assert_correct(q4.check(lambda size: np.full((size, size), 1 / size**2)))


def test_q4_blank_and_blank_body_are_not_attempted():
    assert_not_attempted(q4.check(____))

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
