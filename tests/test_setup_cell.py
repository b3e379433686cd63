"""The Setup cell shared by every notebook finds `utils` in JupyterLab and in Colab, or says why not.

The cell is tested as utils/setup_cell.template.py renders it for the course's identity; that every
notebook's first code cell is this text is tests/test_notebook_style.py's test_setup_cell_is_the_shared_one.
"""

import os
import re
import subprocess
import sys

from utils import ROOT, course

SETUP = course.setup_cell()


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


def _run_setup_twice_on_colab(cwd, clone_url):
    """Run the Setup cell twice in one fresh Python, as a learner re-running it on Colab would."""
    fake_colab = "import sys, types; sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
    code = fake_colab + SETUP + "\n" + SETUP + "\nimport utils\nprint(ROOT, utils.ROOT, sys.path.count(str(ROOT)))"
    env = {**os.environ, "DL_WORKSHOP_CLONE_URL": clone_url}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_colab_clones_the_course_at_the_notebooks_ref_once(tmp_path):
    """On Colab, with no course around, the cell clones it (here from a local bare repository)."""
    bare = tmp_path / "course.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(ROOT), str(bare)], check=True)
    content = tmp_path / "content"
    content.mkdir()
    proc = _run_setup_twice_on_colab(content, bare.as_uri())
    assert proc.returncode == 0, proc.stderr
    clone = content / "deep-learning-workshop"
    assert proc.stdout.split() == [str(clone), str(clone), "1"], "utils comes from the clone, on sys.path once"
    branch = subprocess.run(["git", "branch", "--show-current"], cwd=clone, capture_output=True, text=True)
    assert branch.stdout.strip() == course.REF


def test_a_failed_download_says_what_happened_and_what_to_do(tmp_path):
    proc = _run_setup_twice_on_colab(tmp_path, (tmp_path / "no-such-repository.git").as_uri())
    assert proc.returncode != 0
    assert "Could not download the course from file://" in proc.stderr
    assert "Check the internet connection, then run this cell again." in proc.stderr
    assert "open this notebook from the course folder" not in proc.stderr
    assert proc.stderr.count("\n") < 15, "a short message, not a long traceback"


def test_the_setup_cell_installs_nothing_and_names_the_course_once():
    assert "pip" not in SETUP and "install" not in SETUP, "Colab has every package: install nothing"
    assert len(re.findall(r"https://github\.com/", SETUP)) == 1


def test_the_setup_cell_is_self_contained():
    """It runs before `utils` can be imported (on Colab, it is what fetches `utils`)."""
    imports = re.findall(r"^(?:import|from) (\w+)", SETUP, re.MULTILINE)
    assert set(imports) <= {"os", "subprocess", "sys", "pathlib"}, f"only the standard library: {imports}"


def test_the_template_fills_in_the_repository_and_ref_once_each():
    template = (ROOT / course.SETUP_TEMPLATE).read_text(encoding="utf-8")
    assert template.count("{repository}") == 1 and template.count("{ref}") == 1
    cell = course.setup_cell("a-school/dl-course", "workshop-2026-12")
    assert 'REPO, REF = "https://github.com/a-school/dl-course", "workshop-2026-12"' in cell
    assert "{repository}" not in cell and "{ref}" not in cell
    assert not cell.endswith("\n"), "Jupyter saves a cell without a newline at its end"
