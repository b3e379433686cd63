"""The exercise framework: a placeholder, problems with check/hint/solution, rendered results.

A problem subclasses `Problem`, sets `title`, `hints` and `solution_code`, and implements
`check_answer(*answers)`, which raises `Incorrect("what is wrong, in plain words")` or
returns an optional note. `check()` turns that into a `Result`, which Jupyter renders as
coloured Markdown. Checkers never read `globals()` and never reveal the answer.
"""

import math
import numbers

import numpy as np

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
_COLOURS = {CORRECT: "#2e7d32", INCORRECT: "#c62828", NOT_ATTEMPTED: "#1565c0"}
_LABELS = {CORRECT: "Correct", INCORRECT: "Incorrect", NOT_ATTEMPTED: "Not attempted yet"}


class _Blank:
    """The `____` placeholder: any arithmetic with it gives `____` again, never a traceback."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "____"

    def _same(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = _same
    __matmul__ = __rmatmul__ = __mod__ = __rmod__ = __neg__ = __pos__ = __abs__ = _same
    __call__ = __getitem__ = _same

    def __getattr__(self, name):
        # `____.numpy()` or `____.shape` give `____`; private names stay missing for tools.
        if name.startswith("_"):
            raise AttributeError(name)
        return self


____ = _Blank()


class Incorrect(Exception):
    """Raised by a checker with a message that says what is wrong, without the answer."""


class NotAttempted(Exception):
    """Raised by a checker when the learner's answer still holds `____` somewhere inside,
    for example a function whose body is still `return ____`."""


class Result:
    """The outcome of a check; Jupyter shows it as a coloured line of Markdown."""

    def __init__(self, status, message=""):
        if status not in _LABELS:
            raise ValueError(f"status must be one of {sorted(_LABELS)}, not {status!r}")
        self.status, self.message = status, message

    @property
    def correct(self):
        return self.status == CORRECT

    def _repr_markdown_(self):
        label = f'<span style="color:{_COLOURS[self.status]}">**{_LABELS[self.status]}**</span>'
        return f"{label}: {self.message}" if self.message else label

    def __repr__(self):
        return f"{_LABELS[self.status]}: {self.message}" if self.message else _LABELS[self.status]


class _Markdown:
    """A block of Markdown that renders in Jupyter and prints readably elsewhere."""

    def __init__(self, text):
        self.text = text

    def _repr_markdown_(self):
        return self.text

    def __repr__(self):
        return self.text


def contains_blank(value):
    """Return True if `value` is `____` or a list/tuple/dict holding it anywhere."""
    if value is ____:
        return True
    if isinstance(value, (list, tuple, set)):
        return any(contains_blank(item) for item in value)
    if isinstance(value, dict):
        return any(contains_blank(item) for item in value.values())
    return False


class Problem:
    """One exercise. Subclasses set the class attributes and implement `check_answer`."""

    title = ""
    hints = ()
    solution_code = ""
    #: Tell the learner what kind of answer is expected when a blank is checked.
    blank_message = "Replace each `____` with your answer, then run the cell again."

    def __init__(self, number):
        self.number = number
        self._hints_shown = 0

    def check_answer(self, *answers):
        """Raise Incorrect with an explanation, or return an optional note for a correct answer."""
        raise NotImplementedError

    def check(self, *answers):
        """Check the learner's answer(s) and return a Result (rendered as Markdown)."""
        if not answers or any(contains_blank(answer) for answer in answers):
            return Result(NOT_ATTEMPTED, self.blank_message)
        try:
            note = self.check_answer(*answers)
        except NotAttempted:
            return Result(NOT_ATTEMPTED, self.blank_message)
        except Incorrect as wrong:
            return Result(INCORRECT, str(wrong))
        except Exception as exc:  # A wrong type or shape must give a message, not a traceback.
            return Result(
                INCORRECT,
                f"your answer could not be checked: it raised `{type(exc).__name__}: {exc}`. "
                "Check its type and shape, or call the hint.",
            )
        return Result(CORRECT, note or "well done!")

    def hint(self):
        """Show the next hint (each call shows one more, up to the last)."""
        if not self.hints:
            return _Markdown("No hint for this one: re-read the section above.")
        self._hints_shown = min(self._hints_shown + 1, len(self.hints))
        text = self.hints[self._hints_shown - 1]
        count = f" ({self._hints_shown}/{len(self.hints)})" if len(self.hints) > 1 else ""
        return _Markdown(f'<span style="color:#f9a825">**Hint{count}**</span>: {text}')

    def solution(self):
        """Show a worked solution."""
        return _Markdown(f'<span style="color:#2e7d32">**Solution**</span>:\n```python\n{self.solution_code}\n```')

    def __repr__(self):
        return f"Exercise {self.number}: {self.title}"


# Helpers that checkers share. Each raises Incorrect with a message meant for a learner.


def call_learner(function, *args):
    """Call a function the learner wrote; raise NotAttempted if it still returns `____`."""
    result = function(*args)
    if contains_blank(result):
        raise NotAttempted
    return result


def as_number(value, what="your answer"):
    """Return `value` as a float, accepting Python/NumPy numbers and 0-d or 1-element tensors."""
    if isinstance(value, bool):
        raise Incorrect(f"{what} is a boolean (`{value}`); it should be a number.")
    if isinstance(value, numbers.Number):
        return float(value)
    if hasattr(value, "numpy"):  # A TensorFlow tensor or variable.
        value = value.numpy()
    array = np.asarray(value)
    if array.dtype.kind not in "iuf" or array.size != 1:
        raise Incorrect(f"{what} should be a single number, but it has shape {array.shape} and dtype {array.dtype}.")
    return float(array.reshape(()))


def close_to(value, expected, rel=1e-4, abs_tol=1e-6):
    """Return True if two numbers agree within a relative and an absolute tolerance."""
    return math.isclose(value, expected, rel_tol=rel, abs_tol=abs_tol)
