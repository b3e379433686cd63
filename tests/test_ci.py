"""CI: the workflows (schema, security, pinned actions, what they run) and the Colab scripts."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from utils import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _workflow(name):
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def _tool(name):
    path = shutil.which(name, path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    if path is None:
        pytest.fail(f"{name} is missing: it is in requirements-test.txt; pip install -r requirements-test.txt")
    return path


def test_workflows_match_github_schema():
    proc = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflows_pass_zizmor_offline():
    proc = subprocess.run(
        [_tool("zizmor"), "--offline", "--persona", "pedantic", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_action_is_pinned_to_a_full_commit_with_its_version():
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{path.name}: {line}"


def test_the_test_workflow_covers_what_the_readme_promises():
    jobs = _workflow("tests.yml")["jobs"]
    matrix = jobs["test"]["strategy"]["matrix"]
    assert matrix["python-version"] == ["3.10", "3.11", "3.12", "3.13"]
    assert {entry["os"] for entry in matrix["include"]} == {"macos-latest", "windows-latest"}
    assert any(step.get("run") == "bash .ci/run" for step in jobs["test"]["steps"])
    assert any(step.get("run") == "bash .ci/colab-pinned" for step in jobs["colab-pinned"]["steps"])
    readme = (ROOT / "README.md").read_text()
    assert "Python 3.10 to 3.13" in readme


def test_the_colab_runtime_workflow_runs_weekly_in_dated_images():
    workflow = _workflow("colab-runtime.yml")
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True.
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    for image in (workflow["env"]["COLAB_CPU_IMAGE"], workflow["env"]["COLAB_GPU_IMAGE"]):
        assert image.startswith("us-docker.pkg.dev/colab-images/public/")
        assert re.search(r":release-colab[\w-]*_\d{8}-\d{6}_RC\d\d$", image), f"a dated tag, not latest: {image}"
    cpu, gpu = workflow["jobs"]["cpu-image"], workflow["jobs"]["gpu-image"]
    assert any("in-runtime.sh" in step.get("run", "") for step in cpu["steps"])
    assert any("rm -rf" in step.get("run", "") for step in cpu["steps"]), "make room on the runner's disk first"
    assert gpu["if"] == "${{ vars.GPU_RUNNER != '' }}" and "vars.GPU_RUNNER" in gpu["runs-on"]
    assert any("REQUIRE_GPU=1" in step.get("run", "") and "--gpus all" in step.get("run", "") for step in gpu["steps"])


def test_colab_pins_come_from_the_copy_of_colabs_list():
    proc = subprocess.run([sys.executable, str(ROOT / ".ci" / "colab" / "pins.py")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    pins = dict(line.split("==") for line in proc.stdout.split())
    assert pins["tensorflow"] == "2.20.0" and pins["ipython"] == "7.34.0" and pins["ipywidgets"] == "7.7.1"
    readme = (ROOT / ".ci" / "colab" / "README.md").read_text()
    assert "googlecolab/backend-info" in readme and re.search(r"[0-9a-f]{40}", readme)


def test_the_gpu_job_fails_when_tensorflow_sees_no_gpu(tmp_path):
    """REQUIRE_GPU=1 on this CPU machine: the script stops before running anything."""
    env = {**os.environ, "REQUIRE_GPU": "1", "PYTHON": sys.executable, "SESSION_DIR": str(tmp_path)}
    proc = subprocess.run(
        ["bash", str(ROOT / ".ci" / "colab" / "in-runtime.sh")], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode != 0
    assert "TensorFlow sees no GPU" in proc.stderr
    assert not list(tmp_path.glob("*.ipynb")), "nothing ran"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout (the Docker image has no .git)")
def test_a_colab_session_runs_a_notebook_fetched_by_its_setup_cell(tmp_path):
    """The in-image script, run here with a stand-in google.colab and a local bare repository."""
    if subprocess.run(["git", "status", "--porcelain", "utils", "notebooks"], cwd=ROOT, capture_output=True).stdout:
        pytest.skip("the Setup cell clones committed work: commit utils/ and notebooks/ first")
    session = tmp_path / "content"
    env = {**os.environ, "PYTHON": sys.executable, "SESSION_DIR": str(session), "NOTEBOOKS": "01_tensors_and_gradients"}
    proc = subprocess.run(
        ["bash", str(ROOT / ".ci" / "colab" / "in-runtime.sh")], env=env, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "in-runtime: passed" in proc.stdout
    clone = session / "deep-learning-workshop"
    assert (clone / "utils" / "course.py").is_file() and (clone / ".git").is_dir()
    assert [p.name for p in session.glob("*.ipynb")] == ["01_tensors_and_gradients.ipynb"]


def test_the_docker_job_writes_through_the_mounts_compose_uses():
    steps = _workflow("tests.yml")["jobs"]["docker"]["steps"]
    runs = [step.get("run", "") for step in steps]
    build = next(i for i, run in enumerate(runs) if "docker build -t dl-workshop:ci ." in run)
    (check,) = [run for run in runs if "docker compose run" in run]
    assert runs.index(check) > build
    assert "test -d models && test -d logs" in check, "the checkout itself must hold the folders"
    assert "docker tag dl-workshop:ci dl-workshop:latest" in check, "compose's service uses the image just built"
    assert "--no-deps jupyterlab" in check and "touch models/" in check and "logs/" in check
