"""The exercise framework: a placeholder, problems with check/hint/solution, rendered results.

A problem subclasses `Problem`, sets `title`, `hints` and `solution_code`, and implements
`check_answer(*answers)`, which raises `Incorrect("what is wrong, in plain words")` or
returns an optional note. `check()` turns that into a `Result`, which Jupyter renders as
coloured Markdown. Checkers never read `globals()` and never reveal the answer.

The common shapes are declared rather than written by hand (in the spirit of learntools'
equality and function problems):

- `NumberProblem`: one number, with a list of known mistakes (value, message, optional hint),
  sensible rounding accepted, whole numbers enforced where the task asks for them;
- `TextProblem`: a short text answer (a loss's name) with known wrong answers;
- `FunctionProblem`: a function the learner writes, tried on cases, with known wrong rules (the one
  template of every "write a function" exercise), and `PropertyFunctionProblem`, its sibling for a
  function judged by properties rather than a reference (a random one);
- helpers for the answers that are Keras models (`require_model`, `layers_of`, ...).

A checker that itself fails (a bug in the course, not in the answer) is shown to the learner as
such; under the test suite (`DL_WORKSHOP_STRICT_CHECKS=1`, set by tests/conftest.py) it raises,
so the bug fails a test instead of hiding.
"""

import ast
import copy
import inspect
import math
import numbers
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from utils import report
from utils.i18n import N_, _

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"  # i18n: keep (keys of _LABELS)
_COLOURS = {CORRECT: "#2e7d32", INCORRECT: "#c62828", NOT_ATTEMPTED: "#1565c0"}
_LABELS = {  # Translated where shown.
    CORRECT: N_("Correct"),
    INCORRECT: N_("Incorrect"),
    NOT_ATTEMPTED: N_("Not attempted yet"),
}
#: Dark amber: readable on a white background (contrast above 4.5:1), unlike a bright yellow.
HINT_COLOUR = "#8d5a00"
SOLUTION_COLOUR = "#2e7d32"
#: Set to 1 by the test suite: a checker that crashes then raises instead of apologising.
STRICT_ENV = "DL_WORKSHOP_STRICT_CHECKS"
#: How messages name the learner's answer and model when the checker gives no other name.
YOUR_ANSWER, YOUR_MODEL = N_("your answer"), N_("your model")
_USED = N_("used")
BLANK_ADVICE = N_("`____` is a placeholder: replace it with your answer, then run the cell again.")


class BlankUsed(TypeError):
    """Raised when `____` is used where a real value is needed (a loop, `len`, `if`, NumPy).

    In Jupyter it prints one plain line instead of a traceback.
    """

    def __init__(self, action=_USED):
        super().__init__(_("`____` cannot be {action}: {advice}").format(action=_(action), advice=_(BLANK_ADVICE)))

    def _render_traceback_(self):  # IPython shows these lines instead of the traceback.
        return [f"{_(_LABELS[NOT_ATTEMPTED])}: {self.args[0]}"]


class _Blank:
    """The `____` placeholder.

    Arithmetic, indexing, calls and attributes give `____` again, so a half-written expression
    reaches the checker, which answers "not attempted yet". Everything that needs a real value
    (iterating, `len`, `if`, converting to a number or an array) raises `BlankUsed` at once:
    nothing may loop forever, as iterating through `__getitem__` would.
    """

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "____"

    def __format__(self, spec):
        return "____"

    def _same(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = _same
    __matmul__ = __rmatmul__ = __mod__ = __rmod__ = __neg__ = __pos__ = __abs__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = _same
    __call__ = __getitem__ = _same

    def __eq__(self, other):
        return self

    def __ne__(self, other):
        return self

    def __hash__(self):
        return id(self)

    def __iter__(self):
        raise BlankUsed(N_("looped over"))

    def __len__(self):
        raise BlankUsed(N_("measured with len()"))

    def __contains__(self, item):
        raise BlankUsed(N_("searched with `in`"))

    def __bool__(self):
        raise BlankUsed(N_("tested as true or false"))

    def __index__(self):
        raise BlankUsed(N_("used as a whole number"))

    def __int__(self, *args):
        raise BlankUsed(N_("converted to a number"))

    __float__ = __complex__ = __round__ = __int__

    def __array__(self, *args, **kwargs):
        raise BlankUsed(N_("converted to an array"))

    def __getattr__(self, name):
        # `____.numpy()` or `____.shape` give `____`; private names stay missing for tools.
        if name.startswith("_"):
            raise AttributeError(name)
        return self


____ = _Blank()


class Incorrect(Exception):
    """Raised by a checker with a message that says what is wrong, without the answer.

    Args:
        message: what is wrong, in plain words.
        hint: a hint that answers this very mistake; `hint()` shows it next.
    """

    def __init__(self, message, hint=None):
        super().__init__(message)
        self.hint = hint


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
        label = f'<span style="color:{_COLOURS[self.status]}">**{_(_LABELS[self.status])}**</span>'
        return f"{label}: {self.message}" if self.message else label

    def __repr__(self):
        label = _(_LABELS[self.status])
        return f"{label}: {self.message}" if self.message else label


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
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(contains_blank(item) for item in value)
    if isinstance(value, dict):
        return any(contains_blank(item) for item in value.values())
    return False


def _strict():
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


# A small count in words, alone and with its noun: each its own msgid, so that a language can agree them
# (Spanish: "uno", but "un valor").
_NUMBER_WORDS = (
    *(N_("no"), N_("one"), N_("two"), N_("three"), N_("four"), N_("five")),
    *(N_("six"), N_("seven"), N_("eight"), N_("nine"), N_("ten")),
)
_VALUE_COUNTS = (
    *(N_("no values"), N_("one value"), N_("two values"), N_("three values"), N_("four values")),
    *(N_("five values"), N_("six values"), N_("seven values"), N_("eight values"), N_("nine values")),
    N_("ten values"),
)


def _count_words(count, values=False):
    """Return "one", or with `values` "one value", "three values": a small count in words."""
    words = _VALUE_COUNTS if values else _NUMBER_WORDS
    if count < len(words):
        return _(words[count])
    return _("{count} values").format(count=count) if values else str(count)


class Problem:
    """One exercise. Subclasses set the class attributes and implement `check_answer`."""

    title = ""
    hints = ()
    solution_code = ""
    #: Tell the learner what kind of answer is expected when a blank is checked.
    blank_message = N_("Replace each `____` with your answer, then run the cell again.")

    def __init__(self, number=None):
        self.number = number  # Set by `number_in_order` when the notebook's module lists its exercises.
        self.reset()

    def reset(self):
        """Forget the hints shown and the last mistake, as if the exercise had not been tried yet."""
        self._shown_hints = []  # The hints shown so far, in order; they stay visible.
        self._mistake_hint = None  # The hint that answers the last wrong answer, if any.

    #: The check call as the exercise cell writes it, e.g. "q4.check(small_autoencoder, x_test, small_mse)":
    #: shown when `check` gets too many or too few values. Without it, `check_answer`'s parameters are named.
    call_example = ""

    def check_answer(self, *answers):
        """Raise Incorrect with an explanation, or return an optional note for a correct answer."""
        raise NotImplementedError

    def example_call(self):
        """Return the check call as the exercise cell writes it: `call_example`, or one built from `check_answer`."""
        if self.call_example:
            return self.call_example.strip().strip("`")
        try:
            parameters = inspect.signature(self.check_answer).parameters.values()
        except (TypeError, ValueError):  # A signature Python cannot read: name no values.
            parameters = ()
        names = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        return f"q{self.number}.check({', '.join(names)})"

    def wrong_count(self, answers, named):
        """Return a message if `check` got too many or too few values (or a name it has not), else None."""
        try:
            signature = inspect.signature(self.check_answer)
        except (TypeError, ValueError):  # A signature Python cannot read: let `check_answer` judge.
            return None
        try:
            signature.bind(*answers, **named)
            return None
        except TypeError:  # Too many values, too few, or a name `check_answer` does not have.
            pass
        parameters = signature.parameters.values()
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        least = sum(1 for p in positional if p.default is p.empty)
        most = len(positional)
        if least == most:
            takes = _count_words(least, values=True)
        elif least:
            takes = _("{least} to {most}").format(least=_count_words(least), most=_count_words(most, values=True))
        else:
            takes = _("up to {most}").format(most=_count_words(most, values=True))
        given = len(answers) + len(named)
        words = {"name": f"q{self.number}.check", "takes": takes, "call": self.example_call()}
        if given in range(least, most + 1):  # The right count, but a name `check` does not know.
            return _("`{name}` takes {takes}, in order, without names: `{call}`.").format(**words)
        if given == 0:
            return _("`{name}` takes {takes}: `{call}` (you gave none).").format(**words)
        return _("`{name}` takes {takes}: `{call}` (you gave {gave}).").format(gave=_count_words(given), **words)

    def check(self, *answers, **named):
        """Check the learner's answer(s) and return a Result (rendered as Markdown); tell a joined class board."""
        self._checker_failed = False
        try:
            result = self._judge(*answers, **named)
        except Exception:  # Under DL_WORKSHOP_STRICT_CHECKS only: the checker itself failed, and raises.
            report.record_check(self, report.CHECKER_ERROR)
            raise
        report.record_check(self, report.CHECKER_ERROR if self._checker_failed else result.status)
        return result

    def _judge(self, *answers, **named):
        """Return the Result of a check: what `check` shows, the same with and without a class board."""
        self._mistake_hint = None
        values = (*answers, *named.values())
        only_blanks = bool(values) and all(value is ____ for value in values)  # Nothing written yet.
        wrong_count = None if only_blanks else self.wrong_count(answers, named)
        if wrong_count:  # Never raises: a wrong number of values is the learner's slip, not the course's bug.
            return Result(INCORRECT, wrong_count)
        if any(contains_blank(answer) for answer in values):
            return Result(NOT_ATTEMPTED, _(self.blank_message))
        try:
            note = self.check_answer(*answers, **named)
        except (NotAttempted, BlankUsed):
            return Result(NOT_ATTEMPTED, _(self.blank_message))
        except Incorrect as wrong:
            self._mistake_hint = wrong.hint
            return Result(INCORRECT, str(wrong))
        except Exception as exc:
            # Wrong types and the learner's own code are handled above (as Incorrect), so this is
            # a bug in the checker: the tests must see it, and a learner must not blame themselves.
            self._checker_failed = True
            if _strict():
                raise
            return Result(
                INCORRECT,
                _(
                    "the checker itself failed (`{error}: {detail}`). That is a bug in the course, not necessarily "
                    "in your answer: tell your instructor, and compare with `q{number}.solution()`."
                ).format(error=type(exc).__name__, detail=exc, number=self.number),
            )
        return Result(CORRECT, note or _("well done!"))

    def hint(self):
        """Show the hints so far plus one more: the one for your last mistake if there is one."""
        if not self.hints and not self._mistake_hint:
            return _Markdown(_("No hint for this one: re-read the section above."))
        new = None
        if self._mistake_hint and self._mistake_hint not in self._shown_hints:
            new = self._mistake_hint
        else:
            new = next((text for text in self.hints if text not in self._shown_hints), None)
        if new is not None:
            self._shown_hints.append(new)
        lines = []
        for index, text in enumerate(self._shown_hints, start=1):
            about = N_("Hint {index} (about your last answer)") if text == self._mistake_hint else N_("Hint {index}")
            lines.append(f'<span style="color:{HINT_COLOUR}">**{_(about).format(index=index)}**</span>: {_(text)}')
        if new is None:
            lines.append(_("That is every hint; `q{number}.solution()` shows an answer.").format(number=self.number))
        return _Markdown("\n\n".join(lines))

    def solution(self):
        """Show a worked solution."""
        label = f'<span style="color:{SOLUTION_COLOUR}">**{_("Solution")}**</span>'
        return _Markdown(f"{label}:\n```python\n{_(self.solution_code)}\n```")

    def __repr__(self):
        return _("Exercise {number}: {title}").format(number=self.number, title=_(self.title))


def number_in_order(*problem_classes):
    """Return one instance of each Problem class, numbered 1, 2, ... in the order given (q1, q2, ...)."""
    return [problem_class(number) for number, problem_class in enumerate(problem_classes, start=1)]


# The words every checker uses for numbers and wrong types.


def format_number(value):
    """Format a number the same way in every message: 1,216 · 0.9778 · 3.2e-05."""
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    if abs(value) >= 1e-3:
        return f"{value:.4g}"
    return f"{value:.2e}"


def _texts_inside(value, limit=1000):
    """Return the texts held inside a list, tuple or NumPy array (nested too), at most `limit` of them."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "US":
        return [str(item) for item in value.ravel()[:limit]]
    if not isinstance(value, (list, tuple)):
        return []
    texts, stack = [], list(reversed(value))
    while stack and len(texts) < limit:
        item = stack.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
    return texts


def _reads_as_numbers(text):
    """Return True if a text is a number or a list of numbers with quotes around it: "28", "[[-1, 0, 1]]"."""
    try:
        float(text.replace(",", "").replace("_", ""))
        return True
    except ValueError:
        pass
    if len(text) > 10_000:
        return False
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return False

    def numeric(item):
        if isinstance(item, (list, tuple)):
            return len(item) > 0 and all(numeric(inner) for inner in item)
        return isinstance(item, numbers.Real) and not isinstance(item, bool)

    return numeric(value)


def _shown_texts(texts):
    shown = ", ".join(f'"{text}"' for text in texts[:3])
    return shown + (", ..." if len(texts) > 3 else "")


def _describe_sequence(value):
    """Say what a list or a tuple holds: 'a list holding texts ("1", "2")', 'a tuple of 3 items'."""
    texts = _texts_inside(value)
    if isinstance(value, list):
        holding, one, many = N_("a list holding texts ({texts})"), N_("a list of 1 item"), N_("a list of {count} items")
    else:
        holding, one, many = (
            N_("a tuple holding texts ({texts})"),
            N_("a tuple of 1 item"),
            N_("a tuple of {count} items"),
        )
    if texts:
        return _(holding).format(texts=_shown_texts(texts))
    return _(one) if len(value) == 1 else _(many).format(count=len(value))


def describe_type(value):
    """Say in plain words what kind of thing `value` is: 'the text "1216"', 'a list of 3 items'."""
    if value is None:
        return _("`None` (nothing: did a function forget `return`?)")
    if isinstance(value, bool):
        return _("`{value}`, a yes/no value").format(value=value)
    if isinstance(value, str):
        return _('the text "{text}"').format(text=value)
    if isinstance(value, numbers.Real):
        return _("the number {number}").format(number=format_number(value))
    if isinstance(value, (list, tuple)):
        return _describe_sequence(value)
    if isinstance(value, dict):
        return _("a dictionary")
    if callable(value) and not hasattr(value, "shape"):
        name = getattr(value, "__name__", "function")
        return _("the function `{name}` itself (call it, or pass its result)").format(name=name)
    if isinstance(value, np.ndarray) and value.dtype.kind in "US":
        return _("an array of texts ({texts})").format(texts=_shown_texts(_texts_inside(value)))
    if hasattr(value, "shape"):
        return _("an array (or tensor) of shape {shape}").format(shape=tuple(value.shape))
    return _("a {kind}").format(kind=type(value).__name__)


#: How a checker names what a learner's function returned, for `wrong_type`'s `what`.
RETURNED = N_("what {call} returns")


def wrong_type(value, expected, what=YOUR_ANSWER):
    """Return an Incorrect that says, in the same words everywhere, what was given and what is expected.

    For example: 'you gave the text "1216"; a number is expected: remove the quotes.'
    `expected` and `what` may be given in English (marked `N_`) or already translated.
    """
    words = {"given": describe_type(value), "expected": _(expected), "what": _(what)}
    if words["what"] == _(YOUR_ANSWER):
        message = _("you gave {given}; {expected} is expected").format(**words)
    elif words["what"].startswith(_(RETURNED).split("{")[0]):  # What the learner's function returned.
        message = _("{what} is {given}; {expected} is expected").format(**words)
    else:
        message = _("you gave {given} for {what}; {expected} is expected").format(**words)
    advice = None
    if isinstance(value, str):
        if _reads_as_numbers(value):  # "28", or a whole list typed inside quotes: "[[-1, 0, 1], ...]".
            advice = _("remove the quotes")
        elif "number" in expected or _("number") in words["expected"]:
            advice = _("write it with digits, without quotes")
    else:
        texts = _texts_inside(value)
        if texts and all(_reads_as_numbers(text) for text in texts):  # [["-1", "0", "1"], ...]
            advice = _("remove the quotes around each number") if len(texts) > 1 else _("remove the quotes")
    return Incorrect(f"{message}: {advice}." if advice else f"{message}.")


def as_number(value, what=YOUR_ANSWER):
    """Return `value` as a float, accepting Python/NumPy numbers and 0-d or 1-element tensors."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes, dict)):
        raise wrong_type(value, N_("a number"), what)
    if isinstance(value, numbers.Number):
        if isinstance(value, complex):
            raise wrong_type(value, N_("a real number"), what)
        return float(value)
    if callable(value) and not hasattr(value, "shape"):
        raise wrong_type(value, N_("a number"), what)
    if hasattr(value, "numpy"):  # A TensorFlow tensor or variable.
        value = value.numpy()
    try:
        array = np.asarray(value)
    except Exception:  # A ragged list, an object NumPy cannot read.
        raise wrong_type(value, N_("a single number"), what) from None
    if array.dtype.kind not in "iuf" or array.size != 1:
        raise wrong_type(value, N_("a single number"), what)
    return float(array.reshape(()))


def as_whole_number(value, what=YOUR_ANSWER):
    """Return `value` as an int, or raise Incorrect if it is not a whole number."""
    number = as_number(value, what)
    if not math.isfinite(number) or not number.is_integer():
        raise not_whole(number, what)
    return int(number)


def not_whole(number, what):
    """Return the Incorrect for a number that should be whole: "`x` is 2.5, but it should be a whole number"."""
    return Incorrect(
        _("{what} is {number}, but it should be a whole number.").format(what=_(what), number=format_number(number))
    )


def close_to(value, expected, rel=1e-4, abs_tol=1e-6):
    """Return True if two numbers agree within a relative and an absolute tolerance."""
    return math.isclose(value, expected, rel_tol=rel, abs_tol=abs_tol)


def _decimals(value):
    """Return the decimal place of the last digit of `value` written the shortest way, or None.

    0.98 -> 2, 25 -> 0, 1200 -> -2 (rounded to the hundreds), 1.2e-05 -> 6; None for nan and inf.
    A number that a float32 holds exactly (a tensor's value) is read as float32 writes it: 1.36,
    not 1.3600000143051147.
    """
    from decimal import Decimal

    value = float(value)
    if not math.isfinite(value):
        return None
    texts = [repr(value)]
    if abs(value) < 1e38 and float(np.float32(value)) == value:
        texts.append(str(np.float32(value)))
    return min(-Decimal(text).normalize().as_tuple().exponent for text in texts)


def rounds_to(value, exact, digits=2):
    """Return True if `value` is `exact` rounded to the nearest, keeping at least `digits` significant digits.

    With two digits: 0.98 and 0.978 for 0.9778, 1.4 for 1.361, 0.33 for 1/3 and 25 for 24.5 are
    roundings; 1 for 0.9778 (one digit), 0.97 (cut off, not rounded) and 3.0 for π are not.
    """
    value, exact = float(value), float(exact)
    decimals = _decimals(value)
    if decimals is None or value == 0 or not math.isfinite(exact):
        return False
    significant = math.floor(math.log10(abs(value))) + 1 + decimals
    if significant < digits:
        return False
    return abs(value - exact) <= 0.5 * 10.0**-decimals * (1 + 1e-9)


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: the value (or rule) it gives, what is wrong, and a hint for it."""

    answer: Any
    message: str
    hint: str | None = None


def _mistakes(entries):
    """Turn (answer, message[, hint]) tuples and Mistakes into Mistakes."""
    return [entry if isinstance(entry, Mistake) else Mistake(*entry) for entry in entries]


class NumberProblem(Problem):
    """One number, checked against the expected value and a list of known mistakes.

    Subclasses set `expected` (or override `expected_value()`), `what` (how messages name the
    answer), `mistakes` (pairs or triples: value, message, optional hint, so two mistakes with the
    same value cannot silently collide), and optionally `whole` (the answer must be a whole
    number, no rounding), `tolerance` (relative) and `correct_note`. A sensible rounding (to the
    nearest, at least two significant digits: 1.4 or 1.36 for 1.361) is accepted, and so is a
    mistake's value rounded. `other_checks(value)` can raise Incorrect for anything the table does
    not cover; then a near miss (within `near`, relative) is told it is close and the precision
    wanted; `fallback` is said last.
    """

    expected = None
    what = YOUR_ANSWER
    mistakes = ()
    whole = False
    tolerance = 1e-4
    #: A wrong answer this close to the expected one (relative) is told "close"; 0 turns it off.
    near = 0.05
    correct_note = ""
    fallback = N_("that is not it: re-read the question and work it out step by step.")

    def expected_value(self):
        return self.expected

    def matches(self, value, target):
        if self.whole:
            return close_to(value, target, rel=0, abs_tol=1e-9)
        return close_to(value, target, rel=self.tolerance)

    def check_answer(self, answer):
        value = as_number(answer, self.what)
        exact = float(self.expected_value())
        if self.matches(value, exact):
            return _(self.correct_note) or None
        if not self.whole and rounds_to(value, exact):
            note = _(self.correct_note) or _("well done!")
            return _("{note} (You rounded: the exact value is {exact}.)").format(note=note, exact=format_number(exact))
        for mistake in _mistakes(self.mistakes):
            target = float(mistake.answer)
            if self.matches(value, target) or (not self.whole and rounds_to(value, target)):
                raise Incorrect(_(mistake.message), mistake.hint)
        if self.whole and not value.is_integer():
            raise not_whole(value, self.what)
        self.other_checks(value)
        if not self.whole and self.near and abs(value - exact) <= self.near * abs(exact):
            raise self.near_miss(value, exact)
        raise Incorrect(_(self.fallback))

    def other_checks(self, value):
        """Raise Incorrect for a wrong answer that the list of mistakes does not name."""

    def near_miss(self, value, exact):
        """Return the Incorrect for an answer close to the expected one: say so, and the precision wanted."""
        hint = N_(
            "Let Python do the arithmetic: type the calculation itself (such as `a / b`), not a number rounded by hand."
        )
        if rounds_to(value, exact, digits=1):
            message = N_(
                "close, but rounded too far: give {what} with at least two significant digits (2/3 is 0.67, not 0.7)."
            )
        else:
            message = N_(
                "close, but not quite: if you rounded {what}, round to the nearest and keep at least two "
                "significant digits (2/3 is 0.67, not 0.66 or 0.7); if not, check each number in your calculation."
            )
        return Incorrect(_(message).format(what=_(self.what)), hint)


class TextProblem(Problem):
    """A short text answer, compared after `normalise` (case, spaces, `_` and `-` ignored).

    `answers` lists the accepted texts; `mistakes` maps known wrong texts to (message[, hint]).
    """

    answers = ()
    mistakes = ()
    what = N_("the name")
    correct_note = ""
    fallback = N_("that is not it: check the spelling against the notebook.")

    @staticmethod
    def normalise(text):
        return "".join(ch for ch in text.strip().lower() if ch not in " _-")

    def check_answer(self, answer):
        if not isinstance(answer, str):
            raise wrong_type(answer, _('{what} as a text in quotes, such as "mse",').format(what=_(self.what)))
        key = self.normalise(answer)
        if key in {self.normalise(text) for text in self.answers}:
            return _(self.correct_note) or None
        for mistake in _mistakes(self.mistakes):
            if key == self.normalise(mistake.answer):
                raise Incorrect(_(mistake.message), mistake.hint)
        raise Incorrect(_(self.fallback))


def as_array(value, what, ndim=2):
    """Return `value` (a list of lists, an array or a tensor) as a float array with `ndim` axes.

    Raises NotAttempted if it still holds `____`, and Incorrect (in the shared words) if it is not
    an array of numbers (with `ndim` axes, unless `ndim` is None).
    """
    if contains_blank(value):
        raise NotAttempted
    what = _(what)
    if ndim:
        expected = _("a {ndim}-d array of numbers ({what})").format(ndim=ndim, what=what)
    else:
        expected = _("an array of numbers ({what})").format(what=what)
    if value is None or isinstance(value, (str, bytes, dict, bool)) or callable(value):
        raise wrong_type(value, expected)
    if hasattr(value, "numpy"):  # A TensorFlow tensor or variable.
        value = value.numpy()
    try:
        array = np.asarray(value)
    except Exception:  # A ragged list: rows of different lengths.
        raise Incorrect(
            _("{what} has rows of different lengths: every row needs the same number of values.").format(what=what)
        ) from None
    if array.dtype.kind not in "biuf":
        raise wrong_type(value, expected)
    if ndim is not None and array.ndim != ndim:
        raise Incorrect(
            _("{what} has {axes} axes (shape {shape}); {expected} is expected.").format(
                what=what, axes=array.ndim, shape=array.shape, expected=expected
            )
        )
    return array.astype(float)


# Calling the learner's code.


def copy_for_learner(value):
    """Return a copy of `value` that the learner's code may change freely (arrays, lists, dicts, nested).

    A checker hands its data to learner code through this, never its own arrays: a function that
    works in place (`images += noise`) must not change what the next attempt is judged on.
    Immutable values (numbers, texts, TensorFlow tensors) come back as they are.
    """
    if isinstance(value, np.ndarray):
        return value.copy()
    if value is None or isinstance(value, (numbers.Number, str, bytes)):
        return value
    if type(value).__name__ == "EagerTensor":  # Immutable: nothing to protect.
        return value
    try:
        return copy.deepcopy(value)
    except Exception:  # Something that cannot be copied (a model, a file): hand it over as it is.
        return value


def _name_not_defined(exc):
    name = getattr(exc, "name", None)  # Python sets it on a NameError raised by a missing name.
    if not name:
        return None
    return _(
        "`{name}` is not defined where your function runs: run the cell that defines it first "
        "(after a restart, run the Setup cells and the cells above again)"
    ).format(name=name)


#: Errors that learner code often raises, with what to do: (exception type, words in its message,
#: advice, or a function of the exception that returns advice or None). Checked after a problem's own.
LEARNER_ERRORS = (
    (
        TypeError,
        "as a data type",  # i18n: keep (words of NumPy's message)
        N_(
            "pass the shape as one tuple, with two pairs of brackets: `np.ones((rows, columns))`, "
            "not `np.ones(rows, columns)`"
        ),
    ),
    (NameError, "is not defined", _name_not_defined),  # i18n: keep (words of Python's message)
)


def _advice(exc, advice):
    """Return what to do about an exception the learner's code raised, or None."""
    for kind, words, what in (*advice, *LEARNER_ERRORS):
        if isinstance(exc, kind) and words in str(exc):
            text = what(exc) if callable(what) else _(what)
            if text:
                return text
    return None


def call_learner(function, *args, call=None, advice=()):
    """Call a function the learner wrote; raise NotAttempted if it still returns `____`.

    An exception raised by the learner's code becomes an Incorrect that names the call, and says
    what to do when the error is a known one: `advice` lists (exception type, words in its
    message, advice) for this exercise, tried before the course-wide `LEARNER_ERRORS`.
    """
    try:
        result = function(*args)
    except (BlankUsed, NotAttempted):
        raise NotAttempted from None
    except Incorrect:
        raise
    except Exception as exc:
        shown = call or f"`{getattr(function, '__name__', None) or _('your function')}(...)`"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        words = {"call": shown, "error": type(exc).__name__, "detail": first_line, "advice": _advice(exc, advice)}
        if words["advice"]:
            raise Incorrect(_("{call} raised `{error}: {detail}`: {advice}.").format(**words)) from None
        raise Incorrect(_("{call} raised `{error}: {detail}`.").format(**words)) from None
    if contains_blank(result):
        raise NotAttempted
    return result


def require_function(value, name):
    """Raise Incorrect unless `value` is a function (the learner passed `f`, not `f(...)`)."""
    if not callable(value):
        raise wrong_type(value, _("the function `{name}` itself (pass `{name}`, not `{name}(...)`)").format(name=name))
    return value


def _extra_axes_message(got_shape, want_shape):
    """Name a result that has the right numbers but extra axes of length 1, as `tf.nn.conv2d` returns."""
    if len(got_shape) > len(want_shape) and [d for d in got_shape if d != 1] == [d for d in want_shape if d != 1]:
        dims = len(want_shape)
        return _(
            "it has extra axes of length 1: return the {dims}-d array itself (`np.squeeze(...)` drops them)."
        ).format(dims=dims)
    return None


def _shape_of(value):
    """Return the shape of what a learner's function returned, or None if it has none (a text, a ragged list)."""
    if isinstance(value, (str, bytes, dict)):
        return None
    try:
        return tuple(np.shape(value))
    except Exception:  # A ragged list or an odd object: `convert` explains it.
        return None


class FunctionProblem(Problem):
    """A function the learner writes: the one template of every "write a function" exercise.

    Subclasses set `function_name`, `cases` (tuples of arguments) and implement `reference(*args)`.
    `check_answer` then, in order:

    1. requires a function (`expected_function` words it, if the default does not fit);
    2. calls it on copies of each case's arguments (`call_case`; `learner_errors` adds advice for
       this exercise's known crashes), says "did you forget `return`?" for None, checks the shape
       against the reference's first (`wrong_shape`), then `convert`s the result to a number (or
       `convert_array`s it, when the reference is an array);
    3. compares each result with the reference (`same`), group by group (`group(args)`; one group
       by default): the first of `mistakes_for(group)` (Mistake(rule, message, hint), where
       `rule(*args)` is what a typical wrong function returns) that all of the group's results
       agree with is named; else `unlisted_mistakes(wrong)` may raise for what a table cannot say;
       else `fallback_for(group)`. Every such message is worded by `message`, in one place;
    4. once every case is right, `after_cases(function)` may still raise (the hook for the few
       exercises that ask for more), and `correct_note` is returned.
    """

    function_name = "f"
    cases = ()
    mistakes = ()
    correct_note = ""
    fallback = N_("compare your code with the formula in the section above.")
    #: What is expected when the answer is not a function; None: "the function `f` itself (pass `f`, ...)".
    expected_function = None
    #: Known errors of this exercise's learner code: (exception type, words in its message, what to do).
    learner_errors = ()

    def reference(self, *args):
        raise NotImplementedError

    def call_on_copies(self, function, args, call):
        """Call the learner's function on copies of `args`: it cannot change the checker's own cases."""
        copies = [copy_for_learner(arg) for arg in args]
        return call_learner(function, *copies, call=call, advice=self.learner_errors)

    def call_case(self, function, args, call):
        """Return what the learner's function returns for one case (override to call it differently)."""
        return self.call_on_copies(function, args, call)

    def wrong_shape(self, args, call, got_shape, want_shape):
        """Return the message for a result of the wrong shape, or None to let `convert` judge it.

        A number expected: None (`convert` explains a list or an array). An array expected: the
        shapes are compared, and `shape_message` may name a typical wrong one.
        """
        if want_shape == () or got_shape == want_shape:
            return None
        reason = (
            _extra_axes_message(got_shape, want_shape)
            or self.shape_message(args, got_shape, want_shape)
            or _("check the size of the result.")
        )
        shape = _("an array of shape {shape}").format(shape=got_shape) if got_shape else _("a single number")
        return _("{call} returned {shape}, which is the wrong shape: {reason}").format(
            call=call, shape=shape, reason=reason
        )

    def shape_message(self, args, got_shape, want_shape):
        """Return what a typical wrong shape means, or None."""

    def convert(self, result, call):
        """Turn a returned value into one that `same` compares, when the reference is a number."""
        return as_number(result, _(RETURNED).format(call=call))

    def convert_array(self, result, call):
        """Turn a returned value into one that `same` compares, when the reference is an array."""
        return as_array(result, _(RETURNED).format(call=call), ndim=None)

    def same(self, got, want):
        return np.shape(got) == np.shape(want) and bool(np.allclose(got, want, rtol=1e-4, atol=1e-6))

    def format_call(self, args):
        return f"`{self.function_name}({', '.join(repr(a) for a in args)})`"

    def group(self, args):
        """Return the group of a case: each group's mistakes are named apart (04 judges each padding apart)."""

    def mistakes_for(self, group):
        """Return the known mistakes of one group of cases: `mistakes` by default."""
        return self.mistakes

    def fallback_for(self, group):
        """Return (what to say, hint) when no known mistake explains a group's results."""
        return self.fallback, None

    def unlisted_mistakes(self, wrong):
        """Raise Incorrect for wrong results, [(args, call, got), ...], that no mistake of the table names."""

    def after_cases(self, function):
        """Raise Incorrect for what a function right on every case may still lack (01's `@tf.function`)."""

    def message(self, args, call, got, reason, named):
        """Word a wrong result, in one place: a named mistake ("returned 6: that doubles x") or the fallback."""
        text = (
            N_("{call} returned {value}: {reason}")
            if named
            else N_("{call} returned {value}, which is wrong: {reason}")
        )
        return _(text).format(call=call, value=self.show(got), reason=reason)

    @staticmethod
    def show(value):
        return format_number(value) if np.ndim(value) == 0 else str(np.round(value, 4).tolist())

    def run_case(self, function, args):
        """Call the function on one case; return (args, call, result) with the result checked and converted."""
        call = self.format_call(args)
        result = self.call_case(function, args, call)
        if result is None:
            raise Incorrect(_("{call} returned None: did you forget `return`?").format(call=call))
        got_shape, want_shape = _shape_of(result), tuple(np.shape(self.reference(*args)))
        shape_wrong = None if got_shape is None else self.wrong_shape(args, call, got_shape, want_shape)
        if shape_wrong:
            raise Incorrect(shape_wrong)
        return args, call, self.convert(result, call) if want_shape == () else self.convert_array(result, call)

    def explain_group(self, group, results):
        """Raise Incorrect for the first wrong result of one group of cases, if there is one."""
        wrong = [(args, call, got) for args, call, got in results if not self.same(got, self.reference(*args))]
        if not wrong:
            return
        args, call, got = wrong[0]
        for mistake in _mistakes(self.mistakes_for(group)):
            if all(self.same(got_, mistake.answer(*args_)) for args_, _, got_ in results):
                raise Incorrect(self.message(args, call, got, _(mistake.message), named=True), mistake.hint)
        self.unlisted_mistakes(wrong)
        reason, hint = self.fallback_for(group)
        raise Incorrect(self.message(args, call, got, _(reason), named=False), hint)

    def check_answer(self, function):
        if not callable(function):
            name = self.function_name
            raise wrong_type(
                function,
                _(self.expected_function)
                or _("the function `{name}` itself (pass `{name}`, not `{name}(...)`)").format(name=name),
            )
        results = [self.run_case(function, args) for args in self.cases]
        groups = {}
        for result in results:
            groups.setdefault(self.group(result[0]), []).append(result)
        for group, members in groups.items():
            self.explain_group(group, members)
        self.after_cases(function)
        return _(self.correct_note) or None


class PropertyFunctionProblem(Problem):
    """A function whose result has no single right value (it is random): judged by its properties.

    The sibling of `FunctionProblem` for the exercises without a reference to compare with.
    `call(function, *args)` calls the learner's function on *copies* of the arguments, so a function
    that works in place changes only its copy, never the checker's data or what the next attempt is
    judged on; it reports such a change, a crash, a missing `return` or a result that is not an
    array of numbers. Subclasses set `function_name` and implement `check_answer(function)`, calling
    `call` on the cases they need, then testing the properties the task states, from the most basic
    (the shape) to the finest (the distribution), each raising Incorrect with its own message.
    """

    function_name = "f"
    correct_note = ""
    #: Said when the function changed an argument it was given.
    in_place_message = N_("your function changed the array it was given: return a new array instead.")

    def call(self, function, *args, shown=None):
        """Call the learner's function on copies of `args`; return its result as a NumPy array."""
        shown = shown or f"`{self.function_name}(...)`"
        copies = [np.array(arg, copy=True) if isinstance(arg, np.ndarray) else arg for arg in args]
        result = call_learner(function, *copies, call=shown)
        if any(
            isinstance(arg, np.ndarray) and not np.array_equal(copy, arg)
            for arg, copy in zip(args, copies, strict=True)
        ):
            raise Incorrect(_(self.in_place_message))
        if result is None:
            raise Incorrect(_("{call} returned None: did you forget `return`?").format(call=shown))
        if hasattr(result, "numpy"):  # A TensorFlow tensor.
            result = result.numpy()
        if not isinstance(result, np.ndarray) or result.dtype.kind not in "iuf":
            raise wrong_type(result, N_("an array of numbers"), _(RETURNED).format(call=shown))
        return result

    def check_answer(self, function):
        raise NotImplementedError


# Answers that are Keras models.


def require_model(model, name=YOUR_MODEL, example="keras.Sequential([...])"):
    """Raise Incorrect unless `model` is a built Keras model with known inputs."""
    import keras

    name = _(name)
    if isinstance(model, keras.layers.Layer) and not isinstance(model, keras.Model):
        raise Incorrect(
            _("that is a single layer, not a model: put the layers in a list inside `{example}`.").format(
                example=example
            )
        )
    if not isinstance(model, keras.Model):
        raise wrong_type(model, _("a Keras model such as `{example}`").format(example=example), f"`{name}`")
    if not model.built or not getattr(model, "inputs", None):
        raise Incorrect(
            _(
                "`{name}` does not know its input shape yet: start the list of layers with `keras.Input(shape=...)`."
            ).format(name=name)
        )
    return model


def layers_of(model):
    """Return the layers of a model in order, looking inside nested models (an augmentation block)."""
    found = []
    for layer in model.layers:
        found.append(layer)
        if hasattr(layer, "layers"):
            found.extend(layers_of(layer))
    return found


def activation_name(layer):
    """Return the name of a layer's activation ("relu", "linear", ...), or None if it has none."""
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    return getattr(activation, "__name__", type(activation).__name__).lower()


def run_model(model, inputs, name=YOUR_MODEL):
    """Call the learner's model on `inputs`; a failure becomes an Incorrect that names it."""
    try:
        return np.asarray(model(inputs, training=False))
    except Exception as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise Incorrect(
            _(
                "`{name}` could not process a batch shaped {shape} ({error}: {detail}). "
                "Check the input shape and the order of the layers."
            ).format(name=_(name), shape=tuple(np.shape(inputs)), error=type(exc).__name__, detail=first_line[:200])
        ) from None


def require_probabilities(outputs, classes, name=YOUR_MODEL):
    """Raise Incorrect unless each row of `outputs` is `classes` probabilities that sum to 1."""
    outputs = np.asarray(outputs)
    if outputs.ndim != 2 or outputs.shape[1] != classes:
        raise Incorrect(
            _(
                "`{name}` outputs shape {shape} per image; it needs {classes} values, one per class: "
                "end with `layers.Dense({classes}, ...)`."
            ).format(name=_(name), shape=outputs.shape[1:], classes=classes)
        )
    if outputs.min() < 0 or not np.allclose(outputs.sum(axis=1), 1, atol=1e-3):
        raise Incorrect(
            _('the outputs of `{name}` are not probabilities: use `activation="softmax"` in the last layer.').format(
                name=_(name)
            )
        )
    return outputs


# Judging a learner's trained model.

_MNIST = []


def course_mnist():
    """Return `load_mnist()`'s result, loaded (and its sha256 verified) once per session for every checker."""
    if not _MNIST:
        from utils.data import load_mnist

        _MNIST.append(load_mnist())
    return _MNIST[0]


def held_out_digits(count=1000):
    """Return `count` test digits and labels that no notebook trains on: the checker's own judge.

    A checker that measures a learner's model on the digits the learner passes can be fooled (the
    training digits, or ten easy ones); it measures on these instead. They are the first `count`
    digits of `load_mnist()`'s test split, the same MNIST (full or sample) the notebook loaded, so
    the number the checker reports is the one the learner can reproduce with `x_test[:count]`.
    """
    _, (x_test, y_test) = course_mnist()
    return x_test[:count].copy(), y_test[:count].copy()
