"""The Setup cell shared by every notebook finds `utils` in JupyterLab and in Colab, or says why not.

The cell is tested as utils/setup_cell.template.py renders it for the course's identity; that every
notebook's first code cell is this text is tests/test_notebook_style.py's test_setup_cell_is_the_shared_one.
The Spanish notebooks' cell is the same but for `LANGUAGE = "es"`, which selects Spanish for `utils` and for
the cell's own messages.
"""

import os
import re
import subprocess
import sys

import pytest

from utils import ROOT, course

SETUP = course.setup_cell()
SETUP_ES = course.setup_cell(language="es")
FAKE_COLAB = "import sys, types; sys.modules['google.colab'] = types.ModuleType('google.colab')\n"


def _run_setup(cwd, colab=False, setup=SETUP):
    """Run the Setup cell in a fresh Python in `cwd`; print where it found the course."""
    code = (FAKE_COLAB if colab else "") + setup + "\nimport utils\nprint(ROOT, utils.ROOT)"
    env = {key: value for key, value in os.environ.items() if key != "DL_WORKSHOP_LANG"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


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


def _run_setup_twice_on_colab(cwd, clone_url, setup=SETUP):
    """Run the Setup cell twice in one fresh Python, as a learner re-running it on Colab would."""
    code = FAKE_COLAB + setup + "\n" + setup + "\nimport utils\nprint(ROOT, utils.ROOT, sys.path.count(str(ROOT)))"
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


def test_the_cells_messages_exist_in_both_languages_with_the_same_placeholders():
    english, spanish = course.setup_messages("en"), course.setup_messages("es")
    assert english[1] == "Cannot find the course's utils/ folder: open this notebook from the course folder."
    for ours, theirs in zip(english, spanish, strict=True):
        assert re.findall(r"{\w+}", ours) == re.findall(r"{\w+}", theirs) and ours != theirs


def test_the_two_editions_cells_differ_only_in_the_language_line():
    english, spanish = SETUP.splitlines(), SETUP_ES.splitlines()
    assert [(a, b) for a, b in zip(english, spanish, strict=True) if a != b] == [('LANGUAGE = "en"', 'LANGUAGE = "es"')]
    assert "#" not in SETUP.replace("https://", ""), "no comment: a Spanish notebook would show it in English"
    with pytest.raises(ValueError, match="one of en, es"):
        course.setup_cell(language="fr")


def test_the_language_line_selects_the_language_of_utils(tmp_path):
    code = "\nfrom utils.i18n import language\nprint(language(), os.environ['DL_WORKSHOP_LANG'])"
    for setup, expected in ((SETUP, "en en"), (SETUP_ES, "es es")):
        env = {**os.environ, "DL_WORKSHOP_LANG": "es" if expected.startswith("en") else "en"}
        proc = subprocess.run(
            [sys.executable, "-c", setup + code], cwd=ROOT / "notebooks", env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split()[-2:] == expected.split(), "the notebook's language wins over the environment"


def test_a_spanish_learner_reads_the_cells_messages_in_spanish(tmp_path):
    proc = _run_setup(tmp_path, setup=SETUP_ES)
    assert proc.returncode != 0
    assert course.setup_messages("es")[1] in proc.stderr
    assert course.setup_messages("es")[1].startswith("No se encuentra la carpeta utils/ del curso")
    assert "Cannot find" not in proc.stderr
    proc = _run_setup_twice_on_colab(tmp_path, (tmp_path / "no-such-repository.git").as_uri(), setup=SETUP_ES)
    assert "No se pudo descargar el curso desde file://" in proc.stderr
    assert "Comprueba la conexión a internet y vuelve a ejecutar esta celda." in proc.stderr
    assert "Could not download" not in proc.stderr
