"""Read the weights a learner types or pastes into the kernel explorer. Used in 06.

The explorer's nine boxes are text boxes, so that a weight can be written as the figures write it,
as a fraction (1/9, -1/8), not only as a decimal. These functions turn that text into numbers and,
when it is not a number, say in plain words what to type: the explorer shows the message instead
of silently reading another number.
"""

import html
import re
from fractions import Fraction

import numpy as np

from utils.i18n import N_, _

#: What a weight may look like, for the messages.
EXAMPLES = N_("2, -1, 0.5 or 1/9")
#: A kernel as the explorer's paste box takes it (and as exercise 3 writes one).
PASTE_EXAMPLE = "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]"
# Minus signs that look like "-" but are not, as copied from a slide or a web page.
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})


def _tidy(text):
    """Return `text` stripped, with look-alike minus signs replaced and no spaces around a fraction's bar."""
    return re.sub(r"\s*/\s*", "/", str(text).translate(_MINUS_SIGNS).strip())


def read_weight(text, where=None):
    """Return the number written in `text`: a whole number, a decimal or a fraction ("1/9", "-1/8").

    Args:
        text: what the learner wrote.
        where: how the messages name the weight, such as "The weight in row 2, column 3" (default: "The weight").
    Raises:
        ValueError: with a sentence that says what to type, when `text` is not such a number.
    """
    where = where or _("The weight")
    written = _tidy(text)
    said = {"where": where, "written": written, "examples": _(EXAMPLES)}
    if not written:
        raise ValueError(_("{where} is empty: type a number such as {examples} (0 for no weight).").format(**said))
    if re.fullmatch(r"[-+]?\d+,\d+", written):
        point = written.replace(",", ".")
        raise ValueError(
            _('{where} is "{written}": write decimals with a point, as {point}.').format(point=point, **said)
        )
    try:
        return float(Fraction(written))
    except ZeroDivisionError:
        message = _('{where} is "{written}", which divides by zero: type a number such as {examples}.')
    except OverflowError:
        message = _('{where} is "{written}", which is too large: type a number such as {examples}.')
    except ValueError:
        message = _('{where} is "{written}", which is not a number: type one such as {examples}.')
    raise ValueError(message.format(**said)) from None


def read_grid(texts):
    """Return the 3×3 kernel written in the explorer's nine boxes (row by row) as a float array.

    Raises:
        ValueError: naming the box (row and column) whose text is not a number, and what to type.
    """
    texts = list(texts)
    if len(texts) != 9:
        raise ValueError(_("a 3×3 kernel has 9 weights, not {count}.").format(count=len(texts)))
    where = _("The weight in row {row}, column {column}")
    weights = [read_weight(text, where.format(row=i // 3 + 1, column=i % 3 + 1)) for i, text in enumerate(texts)]
    return np.array(weights).reshape(3, 3)


def split_kernel(text):
    """Return the nine weights of a pasted 3×3 kernel, row by row, as written (for the nine boxes).

    Takes the rows as Python or NumPy writes them ("[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]", also
    inside `np.array(...)` or after `my_kernel = `), or nine weights separated by commas, spaces,
    semicolons or new lines. A weight may be a fraction ("1/9").

    Raises:
        ValueError: with a sentence that says what to paste, when `text` is not nine weights in
            three rows of three.
    """
    written = re.sub(r"^[A-Za-z_]\w*\s*=\s*", "", _tidy(text))  # The whole line copied: my_kernel = [[...]].
    wanted = _("paste the nine weights of a 3×3 kernel, row by row, such as {example}").format(example=PASTE_EXAMPLE)
    if not written:
        raise ValueError(_("The paste box is empty: {wanted}.").format(wanted=wanted))
    rows = re.findall(r"\[([^\[\]]*)\]", written)  # The innermost brackets: the rows.
    outside = re.sub(r"\[[^\[\]]*\]", " ", written) if rows else ""
    leftover = re.sub(r"(?:np\.|numpy\.)?array|[\s,()\[\]]", "", outside)
    if leftover:
        raise ValueError(
            _(
                'The pasted kernel has "{leftover}" outside its rows, which the explorer cannot compute: {wanted} '
                "(a weight may be a fraction, such as 1/16)."
            ).format(leftover=leftover, wanted=wanted)
        )
    if len(rows) <= 1:  # One list, or no brackets at all: nine weights in a row.
        rows = [rows[0] if rows else written]
    cells = [[weight for weight in re.split(r"[\s,;]+", row) if weight] for row in rows]
    weights = [weight for row in cells for weight in row]
    if len(rows) > 1 and (len(rows) != 3 or any(len(row) != 3 for row in cells)):
        sizes = ", ".join(str(len(row)) for row in cells)
        raise ValueError(
            _("The pasted kernel has {rows} rows of {sizes} weights, not 3 rows of 3: {wanted}.").format(
                rows=len(rows), sizes=sizes, wanted=wanted
            )
        )
    if len(weights) != 9:
        raise ValueError(
            _("The pasted kernel has {count} weights, not 9: {wanted}.").format(count=len(weights), wanted=wanted)
        )
    where = _("The pasted weight in row {row}, column {column}")
    for i, weight in enumerate(weights):
        read_weight(weight, where.format(row=i // 3 + 1, column=i % 3 + 1))
    return weights


def write_weight(value):
    """Write a weight for a box as the figures do: 2, -1, 1/9, or a decimal such as 0.3 that reads back the same."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    fraction = Fraction(value).limit_denominator(64)
    if float(fraction) == value:
        return f"{fraction.numerator}/{fraction.denominator}"
    return repr(value)


def warning(problem):
    """Return a message (an error or its text) as HTML for the explorer's message line: red, lines close together."""
    return f'<div style="color: #b00020; line-height: 1.3">{html.escape(str(problem), quote=False)}</div>'
