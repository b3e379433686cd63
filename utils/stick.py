"""A classroom stick: everything thirty laptops need to install and run the course offline.

    python -m utils.classroom stick /media/usb --for linux/3.11 --for windows/3.12 --for macos/3.12
    python -m utils.classroom stick /media/usb --for linux/3.11 --cpu-only     # 259 MB TensorFlow, not 620

Run it once, online. It writes into DEST:

- ``wheels/<os>-py<version>/``: one flat folder of wheels per target, resolved FOR THAT TARGET: the
  pinned versions of requirements.lock (every indirect dependency, committed and tested) whose environment
  markers hold on the target's operating system and Python (Windows gets colorama and pywinpty, macOS
  appnope, Python 3.10 keras 3.12.4), downloaded with pip for the target's platform tags, one file each,
  with SHA256SUMS;
- ``deep-learning-workshop/``: the course, cloned with its history (the doctor's repairs use git), and its
  data: the full MNIST in data/mnist.npz when it could be downloaded and verified, else the shipped sample;
- ``INSTALL.md``: what to type on each kind of laptop (Linux and macOS shells, Windows PowerShell).

Then it checks, with the network unused, that each folder resolves the course's requirements for its own
target (``uv pip compile --no-index --find-links FOLDER --python-platform ...``, the resolver run as on the
learner's laptop) to exactly the locked versions, and that every file matches its SHA256SUMS line.

The resolver is uv (from PyPI, fetched into a temporary folder when it is not installed). The machine's
pip and uv configuration is ignored (a local mirror, a constraints file or extra wheel folders would
change what lands on the stick); the index is PyPI unless --index-url says otherwise.

Targets: linux (x86-64), windows (x86-64) and macos (Apple silicon, macOS 14 or newer), with Python 3.10 to
3.13. An Intel Mac cannot be served: TensorFlow's last release for it is 2.16.2, and the course needs 2.20.
"""

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from utils import ROOT
from utils.course import write_atomically
from utils.data import sha256_of
from utils.i18n import N_, _

#: The resolver's version: fetched from PyPI into a temporary folder when this one is not installed.
UV_VERSION = "0.13.9"
PYPI = "https://pypi.org/simple"
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
COURSE_FOLDER = "deep-learning-workshop"
REQUIREMENTS = "requirements.txt"
CPU_REQUIREMENTS = "requirements-cpu.txt"
LOCK = "requirements.lock"
#: How the lock is made again after requirements.txt changes (online); the tests then check it.
LOCK_COMMAND = (
    f"uv pip compile {REQUIREMENTS} -c lock-constraints.txt --universal --python-version 3.10 --no-config -o {LOCK}"
)


def lock_advice():
    """Return what to do about a stale lock, in the selected language (the command itself unchanged)."""
    return _("regenerate the lock: {command}").format(command=LOCK_COMMAND)


#: The oldest macOS the macOS folders serve (Sonoma; every Apple-silicon Mac can run it). Wheels built for a newer
#: macOS are never downloaded, and the offline check resolves for this version.
MACOS_FLOOR = 14


class StickError(ValueError):
    """A request the stick cannot serve; the message says why and what to do instead."""


@dataclass(frozen=True)
class System:
    """An operating system the stick serves, and how resolvers and pip name it."""

    name: str  # "linux"
    uv_platform: str  # uv's --python-platform
    pip_platforms: tuple  # pip download's --platform tags
    markers: tuple  # (marker variable, value) pairs that hold there
    shell: str  # "sh" or "powershell"


def _manylinux(arch):
    return ("manylinux2014_" + arch, *(f"manylinux_2_{minor}_{arch}" for minor in range(17, 29)))


SYSTEMS = {
    "linux": System(
        "linux",
        "x86_64-manylinux_2_28",
        _manylinux("x86_64"),
        (("sys_platform", "linux"), ("platform_system", "Linux"), ("os_name", "posix"), ("platform_machine", "x86_64")),
        "sh",
    ),
    "windows": System(
        "windows",
        "x86_64-pc-windows-msvc",
        ("win_amd64",),
        (("sys_platform", "win32"), ("platform_system", "Windows"), ("os_name", "nt"), ("platform_machine", "AMD64")),
        "powershell",
    ),
    "macos": System(
        "macos",
        "aarch64-apple-darwin",
        tuple(f"macosx_{major}_0_{arch}" for major in range(11, MACOS_FLOOR + 1) for arch in ("arm64", "universal2")),
        (
            ("sys_platform", "darwin"),
            ("platform_system", "Darwin"),
            ("os_name", "posix"),
            ("platform_machine", "arm64"),
        ),
        "sh",
    ),
}

#: Targets that cannot be served, and why (translated where shown: `_(REFUSED[name])`).
REFUSED = {
    "macos-intel": N_(
        "an Intel Mac cannot install the course's TensorFlow 2.20: TensorFlow's last release for Intel "
        "Macs is 2.16.2. Give that learner Google Colab (README, 'Use it in Google Colab')."
    ),
    "linux-arm64": N_(
        "this stick serves x86-64 Linux only (tensorflow-cpu and the tested lock are x86-64); on an ARM "
        "laptop use Google Colab or Docker."
    ),
    "windows-arm64": N_("TensorFlow publishes no wheel for Windows on ARM; use Google Colab on that laptop."),
}
_ALIASES = {
    "mac": "macos",
    "macos-arm64": "macos",
    "macos-x86_64": "macos-intel",
    "macos-x86-64": "macos-intel",
    "win": "windows",
    "linux-aarch64": "linux-arm64",
}


@dataclass(frozen=True)
class Target:
    """One kind of laptop in the room: an operating system and a Python version."""

    system: System
    python: str  # "3.11"

    @property
    def label(self):
        return f"{self.system.name}/{self.python}"

    @property
    def folder(self):
        return f"{self.system.name}-py{self.python}"

    def environment(self, patch=0):
        """Return the marker environment of this target at Python `python`.`patch`."""
        values = dict(self.system.markers)
        values.update(
            python_version=self.python,
            python_full_version=f"{self.python}.{patch}",
            implementation_name="cpython",
            platform_python_implementation="CPython",
            platform_release="",
            platform_version="",
        )
        return values


def this_machine():
    """Return this machine's target as "os/x.y" (what --for defaults to)."""
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    if system == "macos" and machine in ("x86_64", "amd64"):
        system = "macos-intel"
    elif machine in ("aarch64", "arm64") and system in ("linux", "windows"):
        system += "-arm64"
    return f"{system}/{sys.version_info.major}.{sys.version_info.minor}"


def parse_target(text):
    """Return the Target named by "os/x.y" (linux/3.11, windows/3.12, macos/3.12), or raise StickError."""
    name, _slash, python = str(text).strip().lower().partition("/")
    name = _ALIASES.get(name, name)
    if name in REFUSED:
        raise StickError(f"{text}: {_(REFUSED[name])}")
    if name not in SYSTEMS or python not in PYTHONS:
        raise StickError(
            _(
                "{text!r} is not a target: write OS/PYTHON with OS one of {systems} and PYTHON one of {pythons}, for "
                "example linux/3.11 or windows/3.12."
            ).format(text=text, systems=", ".join(SYSTEMS), pythons=", ".join(PYTHONS))
        )
    return Target(SYSTEMS[name], python)


# --- the lock: every package of the course, pinned, with the markers saying where it is needed ---------------

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*(.*?))?\s*(?:\\)?$")


def read_lock(path):
    """Return [(name, version, marker or None)] of a lock written by `uv pip compile` (hashes and comments skipped)."""
    pins = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "--")):
            continue
        match = _PIN.match(line)
        if match is None:
            raise StickError(
                _("{path}: cannot read the line {line!r}; regenerate the lock (see INSTRUCTORS.md).").format(
                    path=path, line=line
                )
            )
        pins.append((match[1].lower().replace("_", "-"), match[2], match[3]))
    return pins


def pins_for(target, pins):
    """Return the sorted "name==version" pins of the lock that `target` installs.

    A marker is evaluated at the first and the last patch release of the target's Python (3.11.0 and 3.11.99):
    a package split at a patch release (python_full_version < '3.11.5') then has both its versions on the stick.
    """
    from packaging.markers import Marker

    chosen = set()
    for name, version, marker in pins:
        if marker is None or any(Marker(marker).evaluate(target.environment(patch)) for patch in (0, 99)):
            chosen.add(f"{name}=={version}")
    return sorted(chosen)


def swap_for_cpu(pins):
    """Return `pins` with tensorflow replaced by tensorflow-cpu of the same version (Linux x86-64 only)."""
    return sorted(
        pin.replace("tensorflow==", "tensorflow-cpu==", 1) if pin.startswith("tensorflow==") else pin for pin in pins
    )


# --- running pip and uv with this machine's configuration left out ---------------------------------------------

#: Variables kept for pip and uv: how to reach the network and trust it, nothing that changes what is chosen.
_KEEP = ("PATH", "HOME", "USERPROFILE", "SYSTEMROOT", "TEMP", "TMP", "TMPDIR", "LANG", "LC_ALL", "SSL_CERT_FILE")
_KEEP_PREFIXES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "REQUESTS_CA")


def clean_environment(cache=None):
    """Return an environment for pip and uv without the machine's package configuration (files and variables)."""
    environment = {k: v for k, v in os.environ.items() if k in _KEEP or k.startswith(_KEEP_PREFIXES)}
    if os.environ.get("PIP_CERT"):  # Trust, not choice: a proxy's certificate.
        environment["PIP_CERT"] = environment["SSL_CERT_FILE"] = os.environ["PIP_CERT"]
    environment.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", UV_NO_CONFIG="1")
    if cache is not None:
        environment["UV_CACHE_DIR"] = str(cache)
    return environment


def run(command, environment, what):
    """Run `command`; return its stdout, or raise StickError with the last lines of its stderr."""
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise StickError(_("{what} failed:\n{tail}").format(what=what, tail=tail))
    return done.stdout


def find_uv(workdir, environment, index_url=PYPI):
    """Return the path of a uv binary: the installed `uv` package's, else one fetched from the index into `workdir`."""
    try:
        import uv

        return uv.find_uv_bin()
    except (ImportError, FileNotFoundError):
        pass
    target = Path(workdir) / "uv"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), "--index-url", index_url]
    fetching = _("fetching the resolver (uv {version}) from {index}").format(version=UV_VERSION, index=index_url)
    run([*pip, f"uv=={UV_VERSION}"], environment, fetching)
    found = sorted(target.glob("bin/uv*")) or sorted(target.glob("**/uv.exe")) or sorted(target.glob("**/bin/uv"))
    if not found:
        raise StickError(
            _("uv {version} was installed into {folder} but its program is not there.").format(
                version=UV_VERSION, folder=target
            )
        )
    return str(found[0])


# --- one target's wheel folder -------------------------------------------------------------------------------


def download(target, pins, folder, environment, index_url=PYPI, find_links=None):
    """Download exactly `pins`, one wheel each for `target`'s platform, into `folder` (no dependency resolution).

    pip download takes one version per package at a time, so a package pinned twice (one version per patch
    release of Python) is downloaded in a second round.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rounds = []
    for pin in pins:
        name = pin.split("==")[0]
        free = next((batch for batch in rounds if all(other.split("==")[0] != name for other in batch)), None)
        if free is None:
            rounds.append(free := [])
        free.append(pin)
    for batch in rounds:
        _download_batch(target, batch, folder, environment, index_url, find_links)


def _download_batch(target, pins, folder, environment, index_url, find_links):
    requirements = folder.parent / f".{folder.name}.pins.txt"
    requirements.write_text("\n".join(pins) + "\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary=:all:",
        "--ignore-requires-python",
    ]
    command += ["-d", str(folder), "--python-version", target.python, "--implementation", "cp", "-r", str(requirements)]
    command += [f"--platform={tag}" for tag in target.system.pip_platforms]
    command += ["--index-url", index_url] if find_links is None else ["--no-index", "--find-links", str(find_links)]
    try:
        run(command, environment, _("downloading the wheels for {target}").format(target=target.label))
    finally:
        requirements.unlink(missing_ok=True)


def write_checksums(folder):
    """Write SHA256SUMS (sha256 and file name, the format `sha256sum -c` reads) for the files of `folder`."""
    lines = [f"{sha256_of(path)}  {path.name}" for path in sorted(folder.iterdir()) if path.name != "SHA256SUMS"]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def verify_checksums(folder):
    """Return the number of files checked; raise StickError naming any file missing or changed."""
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    bad = []
    for line in lines:
        digest, name = line.split("  ", 1)
        path = folder / name
        if not path.exists() or sha256_of(path) != digest:
            bad.append(name)
    if bad:
        raise StickError(
            _("{folder}: {count} file(s) missing or damaged ({names}); build it again.").format(
                folder=folder, count=len(bad), names=", ".join(bad[:3])
            )
        )
    return len(lines)


def resolve_offline(uv, target, requirements, folder, environment):
    """Resolve `requirements` for `target` from `folder` alone (no index, no network); return the sorted pins."""
    pins = set()
    if target.system.name == "macos":  # uv reads the macOS version to resolve for from this variable.
        environment = {**environment, "MACOSX_DEPLOYMENT_TARGET": f"{MACOS_FLOOR}.0"}
    for patch in (0, 99):
        command = [uv, "pip", "compile", str(requirements), "--no-index", "--find-links", str(folder), "--offline"]
        command += ["--python-platform", target.system.uv_platform, "--python-version", f"{target.python}.{patch}"]
        command += ["--no-header", "--no-annotate", "--quiet", "--no-config"]
        what = _("resolving {requirements} for {target} from {folder}/ offline").format(
            requirements=requirements.name, target=target.label, folder=folder.name
        )
        output = run(command, environment, what)
        pins.update(line.strip() for line in output.splitlines() if "==" in line and not line.startswith("#"))
    return sorted(pin.split(";")[0].strip().lower().replace("_", "-") for pin in pins)


def build_folder(uv, target, pins, folder, requirements, environment, index_url=PYPI, find_links=None):
    """Fill `folder` with `target`'s wheels (replacing an older one only once complete) and verify it offline.

    Returns a dict: the number of files, their size in bytes and what was checked.
    """
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        download(target, pins, partial, environment, index_url, find_links)
    except StickError as exc:  # Offline, a proxy, a wrong --index-url: leave no half folder, and say what to do.
        shutil.rmtree(partial, ignore_errors=True)
        advice = _(
            "The stick is filled while online: check this machine's connection to {index} (or give --index-url), "
            "then run the command again."
        ).format(index=index_url if find_links is None else find_links)
        raise StickError(f"{exc}\n{advice}") from exc
    write_checksums(partial)
    try:
        resolved = resolve_offline(uv, target, requirements, partial, environment)
    except StickError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        advice = _("The locked wheels do not install on {target}: {advice}").format(
            target=target.label, advice=lock_advice()
        )
        raise StickError(f"{exc}\n{advice}") from exc
    expected = sorted(pin.lower() for pin in pins)
    missing = sorted(set(expected) - set(resolved))
    extra = sorted(set(resolved) - set(expected))
    if extra:  # A package the resolver needs that the lock does not have: the lock is stale.
        shutil.rmtree(partial, ignore_errors=True)
        raise StickError(
            _("{target}: {requirements} needs {packages}, not in {lock}: {advice}").format(
                target=target.label,
                requirements=requirements.name,
                packages=", ".join(extra),
                lock=LOCK,
                advice=lock_advice(),
            )
        )
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)
    wheels = [path for path in folder.iterdir() if path.name != "SHA256SUMS"]
    return {
        "files": len(wheels),
        "bytes": sum(path.stat().st_size for path in wheels),
        "resolved": len(resolved),
        "unused": missing,  # Locked for another patch release (both kept).
    }


# --- the course, its data and the instructions ----------------------------------------------------------------


def clone_course(course, dest):
    """Clone the git repository `course` (with its history) into dest/deep-learning-workshop; return the commit."""
    if not (Path(course) / ".git").exists():
        raise StickError(
            _("{course} is not a git clone: run the command from a clone of the course (git clone ...).").format(
                course=course
            )
        )
    final = dest / COURSE_FOLDER
    partial = dest / f".{COURSE_FOLDER}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    run(["git", "clone", "--quiet", "--no-hardlinks", str(course), str(partial)], environment, _("copying the course"))
    reading = _("reading the commit")
    commit = run(["git", "-C", str(partial), "rev-parse", "--short", "HEAD"], environment, reading).strip()
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)
    return commit


def place_mnist(course_copy, online=None):
    """Put a verified full MNIST into the copy's data/ when this machine has or can get one; say which data ships."""
    from utils import data

    status, cached = data.cached_mnist_status()
    if status != "ok":
        try:
            cached = data.fetch_mnist(online=online)
        except data.DataError as exc:
            return _("the shipped 5,000-digit sample only ({reason})").format(reason=exc)
    target = course_copy / "data" / "mnist.npz"
    partial = target.with_name("mnist.npz.part")
    shutil.copyfile(cached, partial)
    if sha256_of(partial) != data.MNIST_SHA256:
        partial.unlink()
        raise StickError(
            _("the copy of {file} on the stick failed its sha256 check: is the stick full or failing?").format(
                file=cached
            )
        )
    os.replace(partial, target)
    return _("the full MNIST (70,000 digits, verified by sha256) in deep-learning-workshop/data/mnist.npz")


def install_lines(target, cpu_only=False):
    """Return the install instructions of one target, as a Markdown section with a code block."""
    requirements = CPU_REQUIREMENTS if cpu_only and target.system.name == "linux" else REQUIREMENTS
    folder = f"wheels/{target.folder}"
    if target.system.shell == "powershell":
        lines = [
            '$STICK = "E:"   # ' + _("the stick's drive letter, or the shared folder (\\\\server\\share)"),
            f'Copy-Item -Recurse "$STICK\\{COURSE_FOLDER}" "$HOME\\{COURSE_FOLDER}"',
            f'Set-Location "$HOME\\{COURSE_FOLDER}"',
            f"py -{target.python} -m venv .venv",
            "Set-ExecutionPolicy -Scope Process -ExecutionPolicy Bypass   # " + _("lets this window run the next line"),
            ".venv\\Scripts\\Activate.ps1",
            f'python -m pip install --no-index --find-links "$STICK\\{folder.replace("/", chr(92))}" -r {requirements}',
            "python -m utils.doctor",
            "jupyter lab notebooks/",
        ]
        shell = "powershell"
    else:
        mount = "/Volumes/STICK" if target.system.name == "macos" else "/media/$USER/STICK"
        lines = [
            f"STICK={mount}   # " + _("where the stick (or the shared folder) is mounted"),
            f'cp -R "$STICK/{COURSE_FOLDER}" ~/{COURSE_FOLDER} && cd ~/{COURSE_FOLDER}',
            f"python{target.python} -m venv .venv && . .venv/bin/activate",
            f'python -m pip install --no-index --find-links "$STICK/{folder}" -r {requirements}',
            "python -m utils.doctor",
            "jupyter lab notebooks/",
        ]
        shell = "bash"
    title = {
        "linux": "Linux",
        "windows": "Windows (PowerShell)",
        "macos": _("macOS (Apple silicon, macOS 14 or newer)"),
    }
    cpu = _(" (CPU-only TensorFlow)") if requirements == CPU_REQUIREMENTS else ""
    return f"## {title[target.system.name]}, Python {target.python}{cpu}\n\n```{shell}\n" + "\n".join(lines) + "\n```\n"


#: INSTALL.md's opening, before the install lines of each target (translated where written).
INSTALL_HEAD = N_(
    """# Installing the course from this stick, offline

This stick holds the course (commit {commit}, with its history), {data_note}, and one folder of wheels per kind
of laptop. On each laptop: copy the course to the laptop's disk (the notebooks save models and logs in it),
make a virtual environment with the Python named below, and install from the stick's folder for that laptop
(no network: `--no-index`). Then `python -m utils.doctor` says READY or what to fix. About 1-2 minutes per laptop
once copied. For the course in Spanish, set DL_WORKSHOP_LANG=es before the doctor and JupyterLab.

A laptop whose Python is not listed here: use the folder of the same operating system whose Python it has, or
Google Colab. "No matching distribution found" means the folder is for another system or Python.

Instead of passing the stick around, you can serve it from one laptop on the room's network:
`python -m http.server 8000 --directory <the stick>`, then on each laptop use
`--find-links http://<that laptop's address>:8000/wheels/<folder>/` in the install line (and copy the course
from `http://<address>:8000/{course_folder}/`, or from the stick).
"""
)


def instructions(targets, cpu_only, commit, data_note):
    """Return INSTALL.md: what the stick holds and what to type on each kind of laptop."""
    head = _(INSTALL_HEAD).format(commit=commit, data_note=data_note, course_folder=COURSE_FOLDER)
    return head + "\n" + "\n".join(install_lines(target, cpu_only) for target in targets)


def folder_size(path):
    """Return the size in bytes of every file under `path`."""
    return sum(item.stat().st_size for item in Path(path).rglob("*") if item.is_file())


def make_stick(dest, targets, cpu_only=False, course=ROOT, index_url=PYPI, find_links=None, online=None, say=print):
    """Write the classroom stick into `dest` (see the module's docstring); return a summary dict.

    The course is copied first, and the wheels follow the requirements and lock of that copy (its last commit),
    so the stick's packages always match the course it carries.

    Args:
        dest: the stick's folder (created if needed).
        targets: Target objects, one folder each.
        cpu_only: tensorflow-cpu instead of tensorflow in the Linux folders (requirements-cpu.txt).
        course: the git clone of the course to copy.
        index_url: the package index (default PyPI), ignored when `find_links` is given (a local wheel folder).
        online: whether to try downloading the full MNIST (None: find out); False ships the sample only.
        say: where progress lines go.
    """
    dest = Path(dest)
    if cpu_only and not any(target.system.name == "linux" for target in targets):
        raise StickError(
            _("--cpu-only changes the Linux folders only (tensorflow-cpu is x86-64 Linux's): add --for linux/3.x.")
        )
    dest.mkdir(parents=True, exist_ok=True)
    say(_("copying the course (with its history)..."))
    summary = {"folders": {}, "checked": [], "commit": clone_course(Path(course), dest)}
    copy = dest / COURSE_FOLDER
    lock = read_lock(copy / LOCK)
    with tempfile.TemporaryDirectory(prefix="dl-workshop-stick-") as work:
        environment = clean_environment(cache=Path(work) / "uv-cache")
        uv = find_uv(work, environment, index_url)
        for target in targets:
            cpu = cpu_only and target.system.name == "linux"
            pins = swap_for_cpu(pins_for(target, lock)) if cpu else pins_for(target, lock)
            requirements = copy / (CPU_REQUIREMENTS if cpu else REQUIREMENTS)
            downloading = _("{target}: downloading {count} pinned packages...")
            if cpu:
                downloading = _("{target}: downloading {count} pinned packages (CPU-only TensorFlow)...")
            say(downloading.format(target=target.label, count=len(pins)))
            folder = dest / "wheels" / target.folder
            result = build_folder(uv, target, pins, folder, requirements, environment, index_url, find_links)
            result["checksums"] = verify_checksums(folder)
            summary["folders"][target.label] = result
            checked = _(
                "{target}: {requirements} resolves offline from wheels/{folder}/ alone to the {resolved} locked "
                "versions (Python {python}.0 and {python}.99; {files} wheels, {megabytes:.0f} MB, {checksums} sha256 "
                "sums checked)"
            )
            summary["checked"].append(
                checked.format(
                    target=target.label,
                    requirements=requirements.name,
                    folder=target.folder,
                    resolved=result["resolved"],
                    python=target.python,
                    files=result["files"],
                    megabytes=result["bytes"] / 1e6,
                    checksums=result["checksums"],
                )
            )
    summary["data"] = place_mnist(copy, online) if online is not False else _("the shipped sample only")
    write_atomically(dest / "INSTALL.md", instructions(targets, cpu_only, summary["commit"], summary["data"]))
    summary["bytes"] = folder_size(dest)
    return summary
