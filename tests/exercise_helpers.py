"""Helpers for testing exercises: run a problem's displayed solution and check the result."""

import json

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from utils import ROOT
from utils.checks.core import CORRECT, INCORRECT, NOT_ATTEMPTED


def run_solution(problem, name, **namespace):
    """Execute `problem.solution_code` as a learner would; return the Result of its last line.

    The solution's last line must be the check call, e.g. ``q1.check(answer)``; `name` is the
    variable the notebook binds the problem to (``"q1"``). Extra names (data arrays, models)
    are passed as keyword arguments.
    """
    code = problem.solution_code.strip().splitlines()
    last = code[-1]
    if not last.startswith(f"{name}.check("):
        raise AssertionError(f"the solution of {problem!r} must end with {name}.check(...), not {last!r}")
    env = {"np": np, "tf": tf, "keras": keras, "layers": layers, name: problem, **namespace}
    exec("\n".join(code[:-1]), env)  # noqa: S102 - the code is the course's own solution text.
    return eval(last, env)  # noqa: S307


def assert_correct(result):
    assert result.status == CORRECT, repr(result)


def assert_not_attempted(result):
    assert result.status == NOT_ATTEMPTED, repr(result)


def assert_incorrect(result, *fragments):
    """Assert the result is Incorrect and its message contains each fragment (case-insensitive)."""
    assert result.status == INCORRECT, repr(result)
    for fragment in fragments:
        assert fragment.lower() in result.message.lower(), f"{fragment!r} not in {result.message!r}"


def notebook_function(stem, name):
    """Return a function a notebook defines (such as `compile_autoencoder`), run from the notebook's own cell."""
    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    (source,) = [
        "".join(c["source"]) for c in cells if c["cell_type"] == "code" and f"def {name}(" in "".join(c["source"])
    ]
    namespace = {"keras": keras, "layers": layers, "np": np}
    exec(source, namespace)  # noqa: S102 - the course's own notebook code.
    return namespace[name]
