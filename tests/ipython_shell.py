"""Run cells in a real IPython shell, in a fresh Python, as a learner's kernel would run them."""

import subprocess
import sys

from utils import ROOT


def run_cells(*cells, timeout=60):
    """Run each cell's source in one IPython shell started in a new Python; return what it printed."""
    lines = ["from IPython.testing.globalipapp import start_ipython", "ip = start_ipython()"]
    lines += [f"ip.run_cell({cell!r})" for cell in cells]
    proc = subprocess.run(
        [sys.executable, "-c", "\n".join(lines)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    return proc.stdout + proc.stderr
