"""The Setup cell shared by every notebook finds `utils` in JupyterLab and in Colab, or says why not."""

import json
import subprocess
import sys

from utils import ROOT

SETUP = "".join(
    next(
        c["source"]
        for c in json.loads((ROOT / "notebooks" / "01_tensors_and_gradients.ipynb").read_text())["cells"]
        if c["cell_type"] == "code"
    )
)


def _run_setup(cwd, colab=False):
    """Run the Setup cell in a fresh Python in `cwd`; print where it found the course."""
    fake_colab = "import sys, types; sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
    code = (fake_colab if colab else "") + SETUP + "\nimport utils\nprint(ROOT, utils.ROOT)"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_jupyterlab_from_the_notebooks_folder():
    proc = _run_setup(ROOT / "notebooks")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(ROOT), str(ROOT)]


def test_colab_uses_the_cloned_course_in_the_working_folder(tmp_path):
    # Colab starts in /content; the cell clones the course there. A clone already present is reused,
    # so no network is needed here.
    (tmp_path / "deep-learning-workshop").symlink_to(ROOT, target_is_directory=True)
    proc = _run_setup(tmp_path, colab=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(tmp_path / "deep-learning-workshop"), str(ROOT)]


def test_outside_the_course_the_error_says_what_to_do(tmp_path):
    proc = _run_setup(tmp_path)
    assert proc.returncode != 0
    assert "Cannot find the course's utils/ folder" in proc.stderr
    assert proc.stderr.count("\n") < 15, "a short message, not a long traceback"
