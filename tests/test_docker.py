"""The Docker itinerary: the Dockerfile and compose file are linted, and agree with each other,
with the README and with where the notebooks write. (Images cannot be built on the machine that
wrote these tests; CI builds the image and runs the test suite inside it.)"""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from utils import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())


def _tool(name):
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.fail(f"{name} is missing: it is in requirements-test.txt; pip install -r requirements-test.txt")
    return path


def _instruction(name):
    return [line.split(None, 1)[1] for line in DOCKERFILE.splitlines() if line.startswith(name + " ")]


def test_dockerfile_passes_hadolint():
    proc = subprocess.run([_tool("hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_file_matches_the_compose_spec():
    proc = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(ROOT / "compose.yaml")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_base_image_is_small_well_known_and_pinned_and_the_user_is_not_root():
    (base,) = _instruction("FROM")
    assert re.fullmatch(r"python:3\.\d+\.\d+-slim-\w+", base), base
    users = _instruction("USER")
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert "pip install --user -r requirements.txt" in DOCKERFILE
    assert "python -m utils.data --prefetch ||" in DOCKERFILE, "fetch MNIST at build time when the network allows"


def test_compose_serves_jupyterlab_and_tensorboard_with_the_notebooks_from_the_host():
    (workdir,) = _instruction("WORKDIR")
    lab, board = COMPOSE["services"]["jupyterlab"], COMPOSE["services"]["tensorboard"]
    assert lab["ports"] == ["127.0.0.1:8888:8888"] and board["ports"] == ["127.0.0.1:6006:6006"]
    assert f"./notebooks:{workdir}/notebooks" in lab["volumes"], "learners' work lives on the host"
    assert f"./logs:{workdir}/logs" in lab["volumes"] and f"./logs:{workdir}/logs:ro" in board["volumes"]
    assert f"./models:{workdir}/models" in lab["volumes"]
    assert board["image"] == lab["image"] and board["command"][:3] == ["tensorboard", "--logdir", "logs"]
    assert "6006" in board["command"] and "8888" in " ".join(_instruction("EXPOSE"))


def test_the_images_command_and_the_readme_agree():
    (cmd,) = _instruction("CMD")
    command = shlex.join(yaml.safe_load(cmd))
    assert command.startswith("jupyter lab --ip=0.0.0.0 --port=8888") and command.endswith("notebooks/")
    readme = (ROOT / "README.md").read_text()
    assert "docker compose up --build" in readme
    assert "http://127.0.0.1:8888" in readme and "http://127.0.0.1:6006" in readme


def test_what_the_container_writes_stays_out_of_the_image():
    """Out of git too: tests/test_repository.py checks .gitignore."""
    docker_ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", "models/", "logs/"} <= set(docker_ignored)


def _mounts():
    """(host source, container target) of every bind mount compose.yaml declares."""
    (workdir,) = _instruction("WORKDIR")
    mounts = []
    for service in COMPOSE["services"].values():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            assert source.startswith("./"), f"{volume}: a bind mount of a folder of the course"
            mounts.append((source[2:], str(Path(workdir, target))))
    return mounts


def test_every_mount_target_is_created_by_the_images_own_user():
    """Else Docker creates it as root and the non-root user cannot save models or logs into it."""
    user, created = "root", {}
    for line in DOCKERFILE.splitlines():
        if line.startswith("USER "):
            user = line.split()[1].split(":")[0]
        elif line.startswith("RUN mkdir -p "):
            created.update(dict.fromkeys(line.split()[3:], user))
    (final_user,) = {line.split()[1].split(":")[0] for line in DOCKERFILE.splitlines() if line.startswith("USER ")}
    for source, target in _mounts():
        if source == "notebooks":
            continue  # Copied by COPY --chown with the rest of the course.
        assert created.get(target) == final_user, f"{target} must be made by USER {final_user}: {created}"


@pytest.mark.skipif(not (ROOT / ".git").exists() or not shutil.which("git"), reason="needs git and a git checkout")
def test_the_folders_compose_mounts_exist_in_a_fresh_clone(tmp_path):
    """The repository as it is about to be committed, cloned: every mount source exists, and what the
    notebooks write there (models, TensorBoard runs) stays out of git."""
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"]
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / ".gitignore", source)
    kept = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", "models", "logs", "notebooks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in kept:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    (source / "logs" / "03_mlp" / "train").mkdir(parents=True)
    (source / "models").mkdir(exist_ok=True)
    (source / "models" / "03_mlp.keras").write_bytes(b"a trained model")
    (source / "logs" / "03_mlp" / "train" / "events.out").write_bytes(b"a TensorBoard run")
    subprocess.run([*git, "init", "-q"], cwd=source, check=True)
    subprocess.run([*git, "add", "-A"], cwd=source, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "course"], cwd=source, check=True)
    clone = tmp_path / "clone"
    subprocess.run([*git, "clone", "-q", str(source), str(clone)], check=True)
    for name, _ in _mounts():
        assert (clone / name).is_dir(), f"./{name} is missing from a fresh clone: Docker would create it as root"
    assert sorted(p.name for p in (clone / "models").iterdir()) == [".gitkeep"]
    assert sorted(p.name for p in (clone / "logs").iterdir()) == [".gitkeep"]
