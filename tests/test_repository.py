"""The repository's shape, set-up files and CI agree with each other and with Colab."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from utils import ROOT

COLAB_FREEZE = ROOT / ".ci" / "colab" / "pip-freeze.txt"  # A dated copy of Colab's list; see .ci/colab/README.md.


def _requirements(python="3.11", files=("requirements.txt", "requirements-test.txt")):
    """Return {name: version} of the requirements files as pip resolves them on the given Python."""
    pins = {}
    lines = [line for name in files for line in (ROOT / name).read_text().splitlines()]
    for line in lines:
        line = line.split("#")[0].strip()
        if not line or line == "-r requirements.txt":
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate({"python_version": python}):
            continue
        (specifier,) = requirement.specifier  # Exactly one pin, such as ==2.20.0.
        assert specifier.operator == "==", f"{line}: pin with =="
        assert requirement.name.lower() not in pins, f"{requirement.name} is pinned twice for Python {python}"
        pins[requirement.name.lower()] = specifier.version
    return pins


def _readme_command(marker):
    text = (ROOT / "README.md").read_text()
    match = re.search(rf"<!-- {marker} -->\n```bash\n(.+?)\n```", text)
    assert match, f"README.md has no ```bash block after <!-- {marker} -->"
    return match.group(1)


NO_GIT = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="not a git checkout (the Docker image holds the files without .git)",
)


@NO_GIT
def test_top_level_layout():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    top = {Path(line).parts[0] for line in tracked.splitlines() if not line.startswith(".")}
    assert top <= {
        "notebooks",
        "data",
        "utils",
        "tests",
        "environment.yml",
        "requirements.txt",
        "requirements-test.txt",
        "requirements-cpu.txt",  # requirements.txt with tensorflow-cpu: the classroom stick's --cpu-only.
        "requirements.lock",  # Every package pinned, for every OS and Python: what the classroom stick installs.
        "lock-constraints.txt",  # What requirements.lock is resolved under (see its comments).
        "README.es.md",
        "Dockerfile",
        "compose.yaml",
        "README.md",
        "INSTRUCTORS.md",
        "docs",
        "pyproject.toml",
        "LICENSE",
        "models",  # Only models/.gitkeep: what notebooks 03-05 save stays out of git.
        "logs",  # Only logs/.gitkeep: TensorBoard's logs stay out of git.
    }, top


@pytest.mark.parametrize("python", ["3.10", "3.11", "3.12", "3.13"])
def test_every_requirement_is_pinned_once_and_the_course_packages_are_there(python):
    pins = _requirements(python)
    assert all(re.fullmatch(r"\d+(\.\d+)+", v) for v in pins.values()), pins
    for name in ("tensorflow", "keras", "numpy", "matplotlib", "jupyterlab", "nbval", "pytest"):
        assert name in pins, name


#: JupyterLab's own front-end extensions. Colab's list includes them, but Colab renders notebooks
#: (and widgets) with its own front end and never uses them, so their pins may differ from Colab's:
#: jupyterlab_widgets 1.1.11 is the one that renders Colab's ipywidgets 7.7.1 in JupyterLab 4.
FRONT_END_ONLY = {"jupyterlab-widgets"}


def test_pins_match_what_colab_preinstalls():
    if not COLAB_FREEZE.exists():
        pytest.fail(f"{COLAB_FREEZE} is missing: restore it from git (see .ci/colab/README.md)")
    colab = {}
    for line in COLAB_FREEZE.read_text().splitlines():
        if "==" in line:
            name, _, version = line.partition("==")
            colab[canonicalize_name(name)] = version
    python = re.search(r"Python (\d+\.\d+)", (COLAB_FREEZE.parent / "os-info.txt").read_text()).group(1)
    pins = {canonicalize_name(name): version for name, version in _requirements(python).items()}
    shared = {name: version for name, version in pins.items() if name in colab and name not in FRONT_END_ONLY}
    assert {"tensorflow", "keras", "numpy", "matplotlib", "ipywidgets"} <= set(shared)
    drifted = [
        f"{name} is pinned to {pin}, Colab has {colab[name]}" for name, pin in shared.items() if pin != colab[name]
    ]
    assert not drifted, (
        f"requirements differ from what Colab preinstalls ({'; '.join(drifted)}). Pin Colab's version "
        f"(see {COLAB_FREEZE.name}), or, for a package that only JupyterLab's front end uses, add it to "
        "FRONT_END_ONLY with a comment in requirements.txt saying why its pin differs."
    )


def test_environment_yml_is_self_contained_and_agrees_with_requirements_txt():
    """Binder may copy environment.yml alone: it lists the pins itself, the same as requirements.txt."""
    yaml = pytest.importorskip("yaml")
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python="))
    version = python.split("=")[1]
    (pip,) = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert not any(line.startswith("-r") for line in pip), "no -r: Binder may not have requirements.txt beside it"
    listed = {Requirement(line).name.lower(): str(Requirement(line).specifier)[2:] for line in pip}
    assert listed == _requirements(version, files=("requirements.txt",)), (
        "environment.yml and requirements.txt disagree: copy the pins of requirements.txt (for Python "
        f"{version}) into environment.yml"
    )


def test_readme_has_the_two_setup_commands_and_ci_runs_the_test_one():
    lab, test = _readme_command("lab-command"), _readme_command("test-command")
    venv = "python3 -m venv .venv && . .venv/bin/activate"
    assert lab == f"{venv} && pip install -r requirements.txt && jupyter lab notebooks/"
    assert test == f"{venv} && pip install -r requirements-test.txt && python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in ci and "rm -rf .venv" in ci
    extracted = subprocess.run(
        ["bash", "-c", ci.split("cmd=$(", 1)[1].split(")\n", 1)[0]], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert extracted == test


def test_ci_run_fails_when_the_test_command_fails(tmp_path):
    """.ci/run propagates a failing test command's exit status."""
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "run").write_text((ROOT / ".ci" / "run").read_text())
    (tmp_path / "README.md").write_text("<!-- test-command -->\n```bash\necho running && exit 3\n```\n")
    proc = subprocess.run(["bash", ".ci/run"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 3 and "running" in proc.stdout
    (tmp_path / "README.md").write_text("no command here\n")
    proc = subprocess.run(["bash", ".ci/run"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 1 and "no test command" in proc.stderr


def test_gitignore_keeps_models_logs_and_environments_out():
    """What the notebooks write (models/, TensorBoard's logs/) and the environment stay out of git."""
    ignored = (ROOT / ".gitignore").read_text().split()
    # The folders themselves exist in a clone (a .gitkeep each), so Docker's bind mounts find them.
    assert {"models/*", "!models/.gitkeep", "logs/*", "!logs/.gitkeep", ".venv/"} <= set(ignored)


def test_learners_do_not_install_the_test_tools():
    learner = _requirements(files=("requirements.txt",))
    test_only = {"pytest", "nbval", "ruff", "playwright"}
    assert not test_only & set(learner), "test-only tools belong in requirements-test.txt"
    assert (ROOT / "requirements-test.txt").read_text().splitlines()[1] == "-r requirements.txt"


def test_readme_documents_every_environment_variable_the_course_reads():
    used = set()
    for path in (ROOT / "utils").rglob("*.py"):
        used |= set(re.findall(r"DL_WORKSHOP_[A-Z_]+", path.read_text()))
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in used if f"`{name}" not in readme)
    assert not missing, f"document these in README.md's instructor section: {missing}"
