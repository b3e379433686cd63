"""utils.explorer: the kernel explorer of 06 reads what a learner types or pastes, or says what to type.

Never silently another number: "2/9" is 2/9 (a number box made it 29), and text that is not a
number gets a sentence naming the box and what to write.
"""

import numpy as np
import pytest

from utils.explorer import PASTE_EXAMPLE, read_grid, read_weight, split_kernel, warning, write_weight


@pytest.mark.parametrize(
    "text, value",
    [
        ("2/9", 2 / 9),
        ("-1/8", -0.125),
        ("0.5", 0.5),
        ("-1", -1.0),
        ("29", 29.0),
        (" 1 / 9 ", 1 / 9),
        ("+2", 2.0),
        (".5", 0.5),
        ("1e-3", 0.001),
        ("\u22121", -1.0),  # A minus sign copied from a slide or a web page.
    ],
)
def test_a_weight_may_be_a_whole_number_a_decimal_or_a_fraction(text, value):
    assert read_weight(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "is empty: type a number such as 2, -1, 0.5 or 1/9 (0 for no weight)"),
        ("   ", "is empty"),
        ("2/", '"2/", which is not a number: type one such as 2, -1, 0.5 or 1/9'),
        ("-", '"-", which is not a number'),
        ("abc", '"abc", which is not a number'),
        ("1/9/2", '"1/9/2", which is not a number'),
        ("0,5", '"0,5": write decimals with a point, as 0.5'),
        ("1/0", '"1/0", which divides by zero'),
        ("1e400", '"1e400", which is too large'),
        ("nan", '"nan", which is not a number'),
        ("inf", '"inf", which is not a number'),
    ],
)
def test_text_that_is_not_a_number_is_refused_with_what_to_type(text, words):
    with pytest.raises(ValueError) as refused:
        read_weight(text, "The weight in row 1, column 2")
    message = str(refused.value)
    assert message.startswith("The weight in row 1, column 2 ") and words in message, message


def test_the_grid_reads_nine_boxes_row_by_row_and_names_the_box_that_is_not_a_number():
    kernel = read_grid(["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"])
    np.testing.assert_array_equal(kernel, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert kernel.dtype == float
    np.testing.assert_allclose(read_grid(["1/9"] * 9), np.ones((3, 3)) / 9, rtol=1e-15)
    with pytest.raises(ValueError, match=r'^The weight in row 2, column 3 is "2/", which is not a number'):
        read_grid(["0"] * 5 + ["2/"] + ["0"] * 3)
    with pytest.raises(ValueError, match="The weight in row 3, column 1 is empty"):
        read_grid(["0"] * 6 + [""] + ["0"] * 2)
    with pytest.raises(ValueError, match="9 weights, not 8"):
        read_grid(["0"] * 8)


@pytest.mark.parametrize(
    "text, weights",
    [
        (PASTE_EXAMPLE, ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]),
        ("my_kernel = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]", ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]),
        ("np.array([[1/16, 1/8, 1/16], [1/8, 1/4, 1/8], [1/16, 1/8, 1/16]])", ["1/16", "1/8", "1/16", "1/8", "1/4"]),
        ("[[0, -1, 0],\n [-1, 5, -1],\n [0, -1, 0]]\n", ["0", "-1", "0", "-1", "5", "-1", "0", "-1", "0"]),
        ("1 2 3; 4 5 6; 7 8 9", ["1", "2", "3", "4", "5", "6", "7", "8", "9"]),
        ("[1, 2, 3, 4, 5, 6, 7, 8, 9]", ["1", "2", "3", "4", "5", "6", "7", "8", "9"]),
        ("[[1 / 9, 0.5, \u22121], [0, 0, 0], [0, 0, 0]]", ["1/9", "0.5", "-1", "0", "0", "0", "0", "0", "0"]),
    ],
)
def test_a_pasted_kernel_gives_its_nine_weights_as_written(text, weights):
    pasted = split_kernel(text)
    assert len(pasted) == 9 and pasted[: len(weights)] == weights
    assert read_grid(pasted).shape == (3, 3)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "The paste box is empty: paste the nine weights of a 3×3 kernel, row by row, such as [[-1, 0, 1]"),
        ("[[1, 2], [3, 4]]", "has 2 rows of 2, 2 weights, not 3 rows of 3"),
        ("[[1, 2, 3], [4, 5, 6], [7, 8]]", "has 3 rows of 3, 3, 2 weights, not 3 rows of 3"),
        ("1, 2, 3", "has 3 weights, not 9"),
        ("[[1, 2, 3], [4, 5, 6], [7, 8, x]]", 'The pasted weight in row 3, column 3 is "x", which is not a number'),
        ("[[0,5, 1, 2], [0, 0, 0], [0, 0, 0]]", "has 3 rows of 4, 3, 3 weights"),  # Decimal commas split a weight.
        # Text outside the rows would be dropped without a word: it is refused instead.
        ("np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16", 'has "/16" outside its rows'),
        ("np.ones((3, 3)) / 9", "has 2 weights, not 9"),
    ],
)
def test_a_pasted_kernel_that_is_not_nine_numbers_is_refused_with_what_to_paste(text, words):
    with pytest.raises(ValueError) as refused:
        split_kernel(text)
    assert words in str(refused.value), str(refused.value)


def test_weights_are_written_for_the_boxes_as_the_figures_write_them_and_read_back_the_same():
    written = [write_weight(value) for value in [0, -1.0, 5, 1 / 9, 0.125, 2 / 9, 0.3, 0.1 + 0.2, np.float32(0.5)]]
    assert written[:7] == ["0", "-1", "5", "1/9", "1/8", "2/9", "3/10"]
    assert written[8] == "1/2"
    for value, text in zip([0, -1.0, 5, 1 / 9, 0.125, 2 / 9, 0.3, 0.1 + 0.2], written, strict=False):
        assert read_weight(text) == value, text


def test_a_warning_is_red_html_with_the_learners_text_escaped():
    html = warning(ValueError('The weight in row 1, column 1 is "<b>", which is not a number'))
    assert html.startswith('<div style="color: #b00020;') and "&lt;b&gt;" in html and "<b>" not in html
    assert '"&lt;b&gt;"' in html, "quotes stay quotes"
