"""Shared test set-up: quiet TensorFlow, give nbval the recorded outputs of checked cells, and sort tests into tiers.

The tiers are markers (declared in pyproject.toml): `notebooks` for whatever executes a notebook (every nbval
item, and the tests that run notebook cells in a kernel), `browser` for tests/test_browser.py. The fast loop
leaves both out: python -m pytest -m "not notebooks and not browser".
"""

import os

import nbformat
import pytest

from tests.notebook_outputs import MARKER, load_expected
from utils.env import quiet_tensorflow

NOT_RECORDED = "no recorded output for this cell: run python -m tests.notebook_outputs"

quiet_tensorflow()
# The notebooks run by this suite (and their kernels, which inherit the environment) train on
# the MNIST sample shipped in data/, even on a machine that has the full MNIST cached: the
# tests then check the same numbers everywhere, and stay fast.
os.environ.setdefault("DL_WORKSHOP_MNIST", "sample")
# A checker that crashes is a bug in the course: under the tests it raises (and fails the test)
# instead of telling the learner that their answer "could not be checked".
os.environ["DL_WORKSHOP_STRICT_CHECKS"] = "1"
# The suite checks English messages; tests/test_i18n.py (and the Spanish notebooks' Setup cell) select Spanish.
os.environ.pop("DL_WORKSHOP_LANG", None)


def pytest_collection_modifyitems(session, config, items):
    """Mark nbval's items `notebooks`; attach reference outputs to `# NBVAL_CHECK_OUTPUT` cells; run notebooks first."""
    expected_by_notebook = {}
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
        cell = getattr(item, "cell", None)
        if cell is None or MARKER not in cell.get("source", ""):
            continue
        path = item.path
        if path not in expected_by_notebook:
            expected_by_notebook[path] = load_expected(path)
        outputs = expected_by_notebook[path].get(cell.source)
        if outputs is None:  # Make the comparison fail with a message that says what to do.
            outputs = [{"output_type": "stream", "name": "stdout", "text": f"<{NOT_RECORDED} {path}>"}]
        cell.outputs = [nbformat.from_dict(output) for output in outputs]
        cell.execution_count = 1  # nbval compares only cells that look executed.
    # Notebooks first: the model tests use the models that notebooks 03 and 04 save.
    items.sort(key=lambda item: 0 if item.path.suffix == ".ipynb" else 1)
