"""utils.stick (`python -m utils.classroom stick`): wheel folders resolved for their own target, offline.

The end-to-end tests build a tiny course (a git repository with requirements, a lock and wheels made here) so
that they run in seconds with no network: the real stick (2 GB) is built by hand, as INSTRUCTORS.md says.
"""

import base64
import hashlib
import http.server
import os
import subprocess
import sys
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest

from utils import ROOT, classroom, stick

# --- the course's own lock ----------------------------------------------------------------------------------


def _requirement_lines(path):
    lines = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#")[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


ALL_TARGETS = [stick.parse_target(f"{name}/{python}") for name in stick.SYSTEMS for python in stick.PYTHONS]


@pytest.mark.parametrize("target", ALL_TARGETS, ids=lambda target: target.label)
def test_the_lock_pins_every_requirement_of_every_target_at_its_version(target):
    from packaging.requirements import Requirement

    pins = set(stick.pins_for(target, stick.read_lock(ROOT / stick.LOCK)))
    for line in _requirement_lines(ROOT / stick.REQUIREMENTS):
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate(target.environment()):
            continue
        (specifier,) = requirement.specifier
        name = requirement.name.lower().replace("_", "-")
        assert f"{name}=={specifier.version}" in pins, (target.label, line)


def test_each_target_gets_the_packages_only_its_system_needs():
    lock = stick.read_lock(ROOT / stick.LOCK)
    names = {t.label: {pin.split("==")[0] for pin in stick.pins_for(t, lock)} for t in ALL_TARGETS}
    assert {"colorama", "pywinpty"} <= names["windows/3.12"]
    assert "appnope" in names["macos/3.12"] and "appnope" not in names["linux/3.11"]
    assert not {"colorama", "pywinpty"} & names["linux/3.11"]
    assert "keras==3.12.4" in stick.pins_for(stick.parse_target("linux/3.10"), lock)
    assert "keras==3.13.2" in stick.pins_for(stick.parse_target("windows/3.12"), lock)


def test_a_package_split_at_a_patch_release_ships_both_versions():
    lock = [
        ("soupsieve", "2.10", "python_full_version < '3.11.5'"),
        ("soupsieve", "4.1.3", "python_full_version >= '3.11.5'"),
    ]
    assert stick.pins_for(stick.parse_target("linux/3.11"), lock) == ["soupsieve==2.10", "soupsieve==4.1.3"]
    assert stick.pins_for(stick.parse_target("linux/3.12"), lock) == ["soupsieve==4.1.3"]


def test_cpu_requirements_are_requirements_txt_with_tensorflow_cpu():
    plain = _requirement_lines(ROOT / stick.REQUIREMENTS)
    cpu = _requirement_lines(ROOT / stick.CPU_REQUIREMENTS)
    assert [line.replace("tensorflow==", "tensorflow-cpu==") for line in plain] == cpu
    assert "tensorflow-cpu==2.20.0" in stick.swap_for_cpu(["numpy==2.1.3", "tensorflow==2.20.0"])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("macos-intel/3.12", "2.16.2"),
        ("macos-x86_64/3.11", "2.16.2"),
        ("linux/3.9", "not a target"),
        ("solaris/3.11", "not a target"),
        ("windows-arm64/3.12", "Windows on ARM"),
    ],
)
def test_targets_that_cannot_be_served_are_refused_with_the_reason(text, reason):
    with pytest.raises(stick.StickError, match=reason):
        stick.parse_target(text)


def test_the_default_target_is_this_machine():
    assert stick.this_machine() == f"linux/{sys.version_info.major}.{sys.version_info.minor}"
    assert (
        stick.parse_target(stick.this_machine()).folder == f"linux-py{sys.version_info.major}.{sys.version_info.minor}"
    )


def test_the_machines_package_configuration_is_left_out(monkeypatch):
    monkeypatch.setenv("PIP_FIND_LINKS", "/opt/wheels")
    monkeypatch.setenv("PIP_CONSTRAINT", "/etc/constraints.txt")
    monkeypatch.setenv("UV_INDEX_URL", "http://mirror.example/simple")
    environment = stick.clean_environment()
    assert environment["PIP_CONFIG_FILE"] == os.devnull and environment["UV_NO_CONFIG"] == "1"
    assert not {"PIP_FIND_LINKS", "PIP_CONSTRAINT", "UV_INDEX_URL"} & set(environment)


# --- a tiny course, end to end ----------------------------------------------------------------------------


def _wheel(folder, name, version, tag="py3-none-any", requires=()):
    """Write a minimal valid wheel (METADATA, WHEEL, RECORD) and return its path."""
    path = folder / f"{name}-{version}-{tag}.whl"
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f"VERSION = {version!r}\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\n"
        + f"Name: {name}\nVersion: {version}\n"
        + "".join(f"Requires-Dist: {requirement}\n" for requirement in requires),
        f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n",
    }
    record = []
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            archive.writestr(member, text)
            digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
            record.append(f"{member},sha256={digest},{len(text.encode())}")
        archive.writestr(f"{info}/RECORD", "\n".join([*record, f"{info}/RECORD,,"]) + "\n")
    return path


LOCK_TEXT = """# A lock as uv writes it
alpha==1.0
    # via -r requirements.txt
beta==1.0 ; sys_platform == 'win32'
    # via alpha
delta==2.0
    # via alpha
gamma==1.0 ; sys_platform == 'darwin'
    # via alpha
"""


@pytest.fixture(scope="module")
def tiny_course(tmp_path_factory):
    """A git repository with requirements, a lock and (beside it) the wheels: Windows needs beta, macOS gamma."""
    base = tmp_path_factory.mktemp("tiny")
    wheels = base / "index"
    wheels.mkdir()
    requires = ["beta; sys_platform == 'win32'", "gamma; sys_platform == 'darwin'", "delta"]
    _wheel(wheels, "alpha", "1.0", requires=requires)
    _wheel(wheels, "beta", "1.0")
    _wheel(wheels, "gamma", "1.0")
    _wheel(wheels, "delta", "2.0", tag="cp311-cp311-manylinux_2_17_x86_64")  # Platform wheels: one per system.
    _wheel(wheels, "delta", "2.0", tag="cp312-cp312-win_amd64")
    _wheel(wheels, "delta", "2.0", tag="cp312-cp312-macosx_11_0_arm64")
    course = base / "course"
    course.mkdir()
    (course / "requirements.txt").write_text("alpha==1.0\n")
    (course / "requirements-cpu.txt").write_text("alpha==1.0\n")
    (course / "requirements.lock").write_text(LOCK_TEXT)
    git = ["git", "-C", str(course), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "--quiet", str(course)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "tiny course"], check=True)
    return course, wheels


@pytest.fixture(scope="module")
def tiny_stick(tiny_course, tmp_path_factory):
    course, wheels = tiny_course
    dest = tmp_path_factory.mktemp("stick")
    targets = [stick.parse_target("linux/3.11"), stick.parse_target("windows/3.12")]
    lines = []
    summary = stick.make_stick(dest, targets, course=course, find_links=wheels, online=False, say=lines.append)
    return dest, summary, lines


def _names(folder):
    return sorted(path.name for path in folder.iterdir())


def test_each_folder_holds_what_its_own_target_needs(tiny_stick):
    dest, summary, lines = tiny_stick
    linux, windows = dest / "wheels" / "linux-py3.11", dest / "wheels" / "windows-py3.12"
    assert _names(linux) == [
        "SHA256SUMS",
        "alpha-1.0-py3-none-any.whl",
        "delta-2.0-cp311-cp311-manylinux_2_17_x86_64.whl",
    ]
    assert _names(windows) == [
        "SHA256SUMS",
        "alpha-1.0-py3-none-any.whl",
        "beta-1.0-py3-none-any.whl",
        "delta-2.0-cp312-cp312-win_amd64.whl",
    ]
    assert [line.split(":")[0] for line in summary["checked"]] == ["linux/3.11", "windows/3.12"]
    assert "resolves offline" in summary["checked"][1] and "2 locked versions" in summary["checked"][0]
    assert any("downloading" in line for line in lines)


def test_each_folder_resolves_offline_for_its_own_target_and_not_for_the_other(tiny_course, tiny_stick):
    course, _ = tiny_course
    dest, _, _ = tiny_stick
    environment = stick.clean_environment()
    uv = stick.find_uv(dest, environment)
    windows = stick.parse_target("windows/3.12")
    folder = dest / "wheels" / "windows-py3.12"
    assert stick.resolve_offline(uv, windows, course / "requirements.txt", folder, environment) == [
        "alpha==1.0",
        "beta==1.0",
        "delta==2.0",
    ]
    with pytest.raises(stick.StickError, match="resolving requirements.txt for windows/3.12"):
        stick.resolve_offline(uv, windows, course / "requirements.txt", dest / "wheels" / "linux-py3.11", environment)


def test_the_stick_carries_the_course_with_its_history_and_install_lines_per_system(tiny_stick):
    dest, summary, _ = tiny_stick
    copy = dest / stick.COURSE_FOLDER
    assert (copy / ".git").is_dir() and (copy / "requirements.lock").exists()
    log = subprocess.run(["git", "-C", str(copy), "log", "--oneline"], capture_output=True, text=True, check=True)
    assert summary["commit"] in log.stdout
    text = (dest / "INSTALL.md").read_text()
    assert '--find-links "$STICK/wheels/linux-py3.11" -r requirements.txt' in text
    assert ".venv\\Scripts\\Activate.ps1" in text and "py -3.12 -m venv .venv" in text
    assert '--find-links "$STICK\\wheels\\windows-py3.12"' in text
    assert "--no-index" in text and summary["commit"] in text


def test_a_damaged_wheel_is_caught_by_the_checksums(tiny_stick, tmp_path):
    dest, _, _ = tiny_stick
    copy = tmp_path / "linux"
    copy.mkdir()
    for path in (dest / "wheels" / "linux-py3.11").iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    assert stick.verify_checksums(copy) == 2
    (copy / "alpha-1.0-py3-none-any.whl").write_bytes(b"truncated")
    with pytest.raises(stick.StickError, match="alpha-1.0-py3-none-any.whl"):
        stick.verify_checksums(copy)


def test_a_lock_that_misses_a_package_is_refused_and_no_folder_is_left(tiny_course, tmp_path):
    course, wheels = tiny_course
    stale = tmp_path / "course"
    subprocess.run(["git", "clone", "--quiet", str(course), str(stale)], check=True)
    (stale / "requirements.lock").write_text(LOCK_TEXT.replace("beta==1.0 ; sys_platform == 'win32'\n", ""))
    git = ["git", "-C", str(stale), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "commit", "--quiet", "-am", "a lock without beta"], check=True)
    with pytest.raises(stick.StickError, match="regenerate the lock"):
        stick.make_stick(
            tmp_path / "stick",
            [stick.parse_target("windows/3.12")],
            course=stale,
            find_links=wheels,
            online=False,
            say=print,
        )
    assert not (tmp_path / "stick" / "wheels" / "windows-py3.12").exists()


def test_cpu_only_needs_a_linux_target():
    with pytest.raises(stick.StickError, match="Linux folders only"):
        stick.make_stick("/nonexistent", [stick.parse_target("windows/3.12")], cpu_only=True)


def test_the_command_refuses_an_intel_mac_with_the_reason(capsys):
    with pytest.raises(SystemExit) as exit_info:
        classroom.main(["stick", "/nonexistent", "--for", "macos-intel/3.12"])
    assert exit_info.value.code == 2
    assert "TensorFlow's last release for Intel Macs is 2.16.2" in capsys.readouterr().err


def test_an_offline_install_from_a_folder_served_on_localhost(tiny_course, tiny_stick, tmp_path):
    """The install line with the index switched off, from the stick's folder served over HTTP on 127.0.0.1."""
    course, _ = tiny_course
    dest, _, _ = tiny_stick
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(dest / "wheels" / "linux-py3.11"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--find-links", url]
        command += ["--target", str(tmp_path / "site"), "-r", str(course / "requirements.txt")]
        done = subprocess.run(command, capture_output=True, text=True, env=stick.clean_environment())
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "alpha" / "__init__.py").exists() and (tmp_path / "site" / "delta").is_dir()
    assert not (tmp_path / "site" / "beta").exists()  # Windows-only.


def test_without_the_uv_package_the_resolver_is_fetched_into_a_temporary_folder(tmp_path, monkeypatch):
    """A learner's environment (requirements.txt only) has no uv: the command fetches its own from PyPI."""
    from utils.data import is_online

    if not is_online("pypi.org"):
        pytest.skip("PyPI is not reachable from here")
    monkeypatch.setitem(sys.modules, "uv", None)  # `import uv` now fails, as without the package.
    path = stick.find_uv(tmp_path, stick.clean_environment())
    assert Path(path).is_relative_to(tmp_path)
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith(f"uv {stick.UV_VERSION}")


def test_a_download_that_fails_says_to_go_online_and_leaves_no_half_folder(tiny_course, tmp_path):
    """Offline (here: a wheel folder that lacks the packages), the command explains itself and cleans up."""
    course, _ = tiny_course
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    dest = tmp_path / "stick"
    with pytest.raises(stick.StickError, match="filled while online"):
        stick.make_stick(
            dest, [stick.parse_target("linux/3.11")], course=course, find_links=empty, online=False, say=print
        )
    assert not list((dest / "wheels").iterdir())
