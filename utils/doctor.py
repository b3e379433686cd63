"""Check that a laptop is ready for the workshop, in about half a minute: ``python -m utils.doctor``.

A learner runs it at the start of a workshop, from the course folder::

    python -m utils.doctor              # in a terminal (JupyterLab's too), from the course folder
    python -m utils.doctor --no-speed   # skip the timed training step (a few seconds faster)

or in a notebook cell, after the notebook's Setup cell (in JupyterLab and in Colab)::

    from utils.doctor import main
    status = main()

It checks Python and the packages against the course's pins (requirements.txt), the MNIST data,
the GPU, free disk, that the notebooks can write in the course folder, memory, and times a few
training steps to estimate how long each notebook takes to run on this machine. Each line ends in
a verdict: ``ok``; ``info`` (worth knowing); ``warn`` (works, but differs from what the course is
tested with); ``FAIL`` (would break the workshop: a missing or damaged data file, a package that
does not import, too little disk or memory, a read-only course folder). A Python without the
course's packages, or older than 3.10, gets one sentence saying what to do instead. It exits with
status 1 only when a line says FAIL, and the last lines say what to do. In a notebook, main()
returns that status instead of exiting.
"""

import argparse
import importlib
import importlib.util
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# Only the standard library and modules that need nothing more (and run on Python 3.7+) at the top: main() first
# checks the Python version and that NumPy and TensorFlow are there, so that a bare or too-old Python gets a
# sentence instead of a traceback. The course's other modules (utils.course needs Python 3.10, utils.env NumPy)
# are imported inside the functions that use them.
# utils.i18n needs only the standard library (gettext), so the sentences for a bare Python are translated too.
from utils import ROOT, timings
from utils.i18n import N_, _

#: The Python versions the course is tested with (CI runs 3.10 to 3.13).
SUPPORTED_PYTHONS = ((3, 10), (3, 13))
REQUIREMENTS = ROOT / "requirements.txt"
#: Measured by .ci/time-notebooks: each notebook's time, peak memory and the machine's speed.
TIMINGS = timings.PATH

#: Distribution name -> the module to import, where they differ.
IMPORT_NAMES = {"scikit-learn": "sklearn", "jupyterlab-widgets": "jupyterlab_widgets"}
#: Packages that only JupyterLab's front end uses: the notebooks never import them, and Colab has its own
#: front end, so there they may be missing or differ. Checked by finding them, not by importing them
#: (importing JupyterLab takes seconds and starts nothing useful).
FRONT_END_ONLY = {"jupyterlab", "jupyterlab-widgets"}

#: Free disk below which the workshop breaks (models, TensorBoard logs and the 11 MB MNIST need room), and
#: below which it is tight. In GB.
DISK_FAIL_GB, DISK_WARN_GB = 0.5, 2.0
#: Available memory in GB, used when docs/timings.json is missing. Otherwise FAIL below the largest peak a
#: notebook reached (one notebook at a time just fits) and warn below twice that (two kernels open).
MEMORY_FAIL_GB, MEMORY_WARN_GB = 1.0, 2.0
#: An estimate is shown as a range, from this fraction to this multiple of the scaled reference time.
ESTIMATE_RANGE = (0.8, 1.5)
#: Warn when training steps are this many times slower than on the reference machine.
SLOW_FACTOR = 3.0
#: The folders the notebooks write to (saved models, TensorBoard logs): a read-only course folder breaks them.
WRITTEN_FOLDERS = ("models", "logs")
#: Other distributions that provide a package's module, accepted in its place (same version): the CPU-only
#: TensorFlow of a classroom stick (`--cpu-only`).
ALTERNATIVES = {"tensorflow": ("tensorflow-cpu",)}
#: Words of the errors a package raises when it was built for another NumPy than the one installed.
NUMPY_ERRORS = (
    "numpy.core.multiarray failed to import",  # i18n: keep (NumPy's own error words, matched)
    "numpy.core._multiarray_umath",
    "compiled using numpy",  # i18n: keep (NumPy's own error words, matched)
    "_array_api not found",  # i18n: keep (NumPy's own error words, matched)
    "numpy.dtype size changed",  # i18n: keep (NumPy's own error words, matched)
)

#: The verdict words, translated where they are shown (their column is as wide as the longest).
VERDICTS = {"ok": N_("ok"), "info": N_("info"), "warn": N_("warn"), "fail": N_("FAIL")}
_COLOURS = {"ok": "32", "info": "36", "warn": "33", "fail": "1;31"}


@dataclass
class Check:
    """One line of the report: a verdict ("ok", "info", "warn" or "fail"), a topic, a message and a fix."""

    verdict: str
    topic: str
    message: str
    fix: str = ""
    #: True for a package that cannot import because it was built for another NumPy (see _blame_numpy).
    wrong_numpy: bool = field(default=False, repr=False)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {sorted(VERDICTS)}, not {self.verdict!r}.")


# --- Python and packages -------------------------------------------------------------------------------------


def check_python(version_info=None):
    """Return a Check of this Python's version against the versions the course supports."""
    major, minor, micro = (version_info or sys.version_info)[:3]
    (low_major, low_minor), (high_major, high_minor) = SUPPORTED_PYTHONS
    supported = _("{low} to {high}").format(low=f"{low_major}.{low_minor}", high=f"{high_major}.{high_minor}")
    version = f"{major}.{minor}.{micro}"
    if (major, minor) < SUPPORTED_PYTHONS[0]:
        return Check(
            "fail",
            "Python",
            _("{version} is too old: TensorFlow and the course need Python {supported}.").format(
                version=version, supported=supported
            ),
            _(
                "install Python {newest} (python.org or your package manager), then create the virtual environment "
                "again as the README says."
            ).format(newest=f"{high_major}.{high_minor}"),
        )
    if (major, minor) > SUPPORTED_PYTHONS[1]:
        return Check(
            "warn",
            "Python",
            _(
                "{version} is newer than the course is tested with ({supported}); it works if every package below "
                "installs and imports."
            ).format(version=version, supported=supported),
        )
    return Check(
        "ok", "Python", _("{version} (the course runs on {supported})").format(version=version, supported=supported)
    )


def read_pins(path=REQUIREMENTS):
    """Return {distribution name: pinned version} of requirements.txt, for this Python (markers applied)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        versions = [spec.version for spec in requirement.specifier if spec.operator == "=="]
        if versions:
            pins[canonicalize_name(requirement.name)] = versions[0]
    return pins


def installed_version(distribution):
    """Return the installed version of `distribution`, or None when it is not installed."""
    from importlib import metadata  # Here, not at the top: Python 3.7 has none, and must reach main()'s sentence.

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def installed_as(name):
    """Return (version, distribution) of `name` or of a distribution accepted in its place, or (None, name)."""
    for distribution in (name, *ALTERNATIVES.get(name, ())):
        version = installed_version(distribution)
        if version is not None:
            return version, distribution
    return None, name


def try_import(module):
    """Import `module`; return None when it imports, else a one-line description of the error."""
    try:
        importlib.import_module(module)
    except Exception as exc:  # Anything a broken install raises (ImportError, OSError for a DLL, ...).
        first_line = (str(exc).strip().splitlines() or [""])[0]
        return f"{type(exc).__name__}: {first_line}"[:200]
    return None


def is_findable(module):
    """Return True when `module` could be imported (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


@lru_cache(maxsize=1)
def is_offline():
    """Return True when this machine cannot reach the internet (or DL_WORKSHOP_OFFLINE says so): asked once."""
    from utils.data import is_online

    return not is_online()


def activate_command(system=None):
    """Return how to activate the course's environment on this system (PowerShell on Windows)."""
    if (system or platform.system()) == "Windows":
        return _("`.venv\\Scripts\\activate` in PowerShell")
    return "`. .venv/bin/activate`"


def install_command(offline=None):
    """Return the command that installs the course's pins: from the classroom's USB stick when offline."""
    if offline is None:
        offline = is_offline()
    if offline:
        return _(
            "`pip install --no-index --find-links <folder> -r requirements.txt`, <folder> being this computer's "
            "wheel folder on the classroom's USB stick (its install instructions name it)"
        )
    return "`pip install -r requirements.txt`"


def _install_fix(name, pin, in_colab):
    if in_colab:
        return _("run `!pip install {name}=={pin}` in a cell, then Runtime > Restart session.").format(
            name=name, pin=pin
        )
    return _("activate the course's environment ({activate}), then {install}.").format(
        activate=activate_command(), install=install_command()
    )


def blames_numpy(error):
    """Return True when an import error says the package was built for another NumPy than the one installed."""
    return any(words in (error or "").lower() for words in NUMPY_ERRORS)


def check_package(name, pin, in_colab=False):
    """Return a Check of one pinned package: imports and equals the pin (ok), differs (warn), breaks (fail)."""
    module = IMPORT_NAMES.get(name, name.replace("-", "_"))
    version, distribution = installed_as(name)
    front_end = name in FRONT_END_ONLY
    if front_end and in_colab:
        if version:
            return Check(
                "info",
                name,
                _("{version} installed; not needed in Colab, which has its own front end").format(version=version),
            )
        return Check("info", name, _("not installed; not needed in Colab, which has its own front end"))
    if version is None:
        return Check(
            "fail", name, _("not installed (the course pins {pin})").format(pin=pin), _install_fix(name, pin, in_colab)
        )
    if front_end:  # Found, not imported: importing JupyterLab takes seconds and starts nothing useful.
        error = None if is_findable(module) else _("no module named {module!r}").format(module=module)
    else:
        error = try_import(module)
    if error and blames_numpy(error) and name != "numpy":
        return Check(
            "fail",
            name,
            _(
                "{version} is installed but does not import: it was built for another NumPy than the one installed "
                "({error})"
            ).format(version=version, error=error),
            _("install the course's NumPy: {fix}").format(
                fix=_install_fix("numpy", read_pins().get("numpy", ""), in_colab)
            ),
            wrong_numpy=True,
        )
    if error:
        message = _("{version} is installed but does not import ({error})").format(version=version, error=error)
        return Check("fail", name, message, _install_fix(name, pin, in_colab))
    shown = (
        version
        if distribution == name
        else _("{version} (as {distribution})").format(version=version, distribution=distribution)
    )
    if version != pin:
        return Check(
            "warn",
            name,
            _("{shown}: works, but differs from the course's pin; the course is tested with {pin}").format(
                shown=shown, pin=pin
            ),
        )
    return Check("ok", name, shown)


def _blame_numpy(checks, pins, in_colab):
    """Return `checks` with NumPy's line failing when another package's import failed because of NumPy."""
    victims = [check.topic for check in checks if check.verdict == "fail" and check.wrong_numpy]
    if not victims or "numpy" not in pins:
        return checks
    version = installed_version("numpy")
    blamed = Check(
        "fail",
        "numpy",
        _("{version} does not fit {packages}, which cannot import with it (the course pins {pin})").format(
            version=version, packages=", ".join(victims), pin=pins["numpy"]
        ),
        _install_fix("numpy", pins["numpy"], in_colab),
    )
    return [blamed if check.topic == "numpy" else check for check in checks]


def check_packages(pins=None, in_colab=None):
    """Return one Check per pinned package, TensorFlow first (its import is the slow one)."""
    from utils.env import is_colab, quiet_tensorflow

    quiet_tensorflow()  # Before TensorFlow's first import: its C++ start-up messages are not errors.
    if pins is None:
        pins = read_pins()
    if in_colab is None:
        in_colab = is_colab()
    order = sorted(pins, key=lambda name: (name != "tensorflow", name != "keras"))
    return _blame_numpy([check_package(name, pins[name], in_colab) for name in order], pins, in_colab)


def environment_problem(version_info=None, find=None, import_module=None):
    """Return why the doctor cannot run in this Python (too old, or not the course's environment), or None.

    main() asks before it imports anything beyond the standard library, so that a learner reads a sentence, not a
    traceback. `find` and `import_module` (is_findable and try_import) are for tests.
    """
    find, import_module = find or is_findable, import_module or try_import
    major, minor = (version_info or sys.version_info)[:2]
    low = ".".join(map(str, SUPPORTED_PYTHONS[0]))
    activate = _(
        "activate the course's environment ({activate}) and run `python -m utils.doctor` again from the course folder"
    ).format(activate=activate_command())
    if (major, minor) < SUPPORTED_PYTHONS[0]:
        return _(
            "This is Python {version}: the course needs Python {low} or newer. {Activate}; no environment yet? "
            "Install Python 3.12 and create it as the README says."
        ).format(version=f"{major}.{minor}", low=low, Activate=activate[0].upper() + activate[1:])
    missing = [shown for shown, module in (("NumPy", "numpy"), ("TensorFlow", "tensorflow")) if not find(module)]
    # No install_command() here: it asks utils.data whether this machine is online, and utils.data needs NumPy.
    if missing:
        # Whole sentences for one package and for both, so that a translation can agree in number.
        not_found = _(
            "{package} not found in this Python ({python}): {activate}. No environment yet? Create it and install "
            "the course's packages as the README says (offline: as the classroom's USB stick says)."
        )
        if len(missing) == 2:
            not_found = _(
                "NumPy and TensorFlow not found in this Python ({python}): {activate}. No environment yet? Create it "
                "and install the course's packages as the README says (offline: as the classroom's USB stick says)."
            )
        return not_found.format(package=missing[0], python=sys.executable, activate=activate)
    error = import_module("numpy")
    if error:
        return _(
            "NumPy does not import ({error}): {activate}; if it still fails, install the course's NumPy in it: "
            "{online} (offline: {offline})."
        ).format(error=error, activate=activate, online=install_command(False), offline=install_command(True))
    return None


# --- Data -----------------------------------------------------------------------------------------------------


def _check_sample(data):
    try:
        (x_train, _labels), (x_test, _test_labels) = data.load_sample_mnist()
    except data.DataError as exc:
        return Check("fail", _("MNIST sample"), str(exc), _("restore the file as the message says."))
    return Check(
        "ok",
        _("MNIST sample"),
        _("{train:,} training and {test:,} test digits, sha256 verified (what every notebook uses offline)").format(
            train=len(x_train), test=len(x_test)
        ),
    )


def _check_full_mnist(data):
    """Return a Check of the cached full MNIST, as load_mnist() will choose and verify it."""
    try:
        mode = data.mnist_choice()  # The same rule as load_mnist(): a wrong value is refused, not guessed.
    except ValueError as exc:
        fix = _("set DL_WORKSHOP_MNIST to auto, full or sample, or unset it.")
        return Check("fail", _("full MNIST"), str(exc), fix)
    if mode == "sample":
        return Check("info", _("full MNIST"), _("not used: DL_WORKSHOP_MNIST=sample (the notebooks use the sample)"))
    status, path = data.cached_mnist_status()
    prefetch = _("run `python -m utils.data --prefetch` from the course folder while online")
    needed = mode == "full"  # Then load_mnist() raises without it.
    if status == "missing":
        fix = _("{prefetch} (DL_WORKSHOP_MNIST=full needs it).") if needed else _("for all 70,000 digits, {prefetch}.")
        return Check(
            "fail" if needed else "info",
            _("full MNIST"),
            _("not in {folder}: the notebooks download it (11 MB) when online, else use the sample").format(
                folder=path.parent
            ),
            fix.format(prefetch=prefetch),
        )
    if status == "damaged":
        return Check(
            "fail" if needed else "warn",
            _("full MNIST"),
            _("{path} is damaged (wrong sha256): the notebooks will move it aside and use the sample").format(
                path=path
            ),
            _("{prefetch}, or copy a good mnist.npz there.").format(prefetch=prefetch),
        )
    return Check("ok", _("full MNIST"), _("70,000 digits in {path}, sha256 verified").format(path=path))


def _check_photo(data):
    try:
        data.load_image()
    except Exception as exc:  # A DataError, or matplotlib itself missing (already reported above).
        return Check(
            "fail", _("sample photo"), str(exc), _("reinstall matplotlib: {install}.").format(install=install_command())
        )
    return Check("ok", _("sample photo"), _("found (notebook 06 filters it)"))


def check_data():
    """Return Checks of the MNIST sample (must be there), the full MNIST (optional) and 06's photo."""
    from utils import data

    return [_check_sample(data), _check_full_mnist(data), _check_photo(data)]


# --- GPU, disk and memory -------------------------------------------------------------------------------------


def check_gpu():
    """Return a Check saying whether TensorFlow sees a GPU (never a failure: the course is sized for a CPU)."""
    from utils.env import gpu_names, is_colab

    if try_import("tensorflow"):
        return Check("info", "GPU", _("not checked: TensorFlow does not import (see above)"))
    names = gpu_names()
    if names:
        return Check("ok", "GPU", _("{names}: training runs on the GPU").format(names=", ".join(names)))
    if is_colab():
        return Check(
            "info",
            "GPU",
            _("none (a CPU runtime): every notebook is sized for a CPU"),
            _("for faster training: Runtime > Change runtime type > GPU (then run the notebook's cells again)."),
        )
    return Check("ok", "GPU", _("none: training runs on the CPU, which every notebook is sized for"))


def _gb(n_bytes):
    return n_bytes / 1e9


def check_disk(paths=None, disk_usage=shutil.disk_usage):
    """Return a Check of the free disk where the course writes (its folder and the data cache)."""
    from utils.data import cache_dir

    if paths is None:
        paths = [ROOT, cache_dir()]
    free = {}
    for path in paths:
        path = Path(path)
        while not path.exists() and path != path.parent:  # The cache folder may not exist yet.
            path = path.parent
        free[path] = disk_usage(path).free
    where, least = min(free.items(), key=lambda item: item[1])
    message = _("{free:.1f} GB free in {where}").format(free=_gb(least), where=where)
    if _gb(least) < DISK_FAIL_GB:
        return Check(
            "fail",
            _("disk"),
            _("{free}: the notebooks need about {need} GB for models, logs and data").format(
                free=message, need=DISK_FAIL_GB
            ),
            _("free some disk space (empty the rubbish bin, delete large downloads), then run the check again."),
        )
    if _gb(least) < DISK_WARN_GB:
        return Check(
            "warn", _("disk"), _("{free}: enough for the course, but little room to spare").format(free=message)
        )
    return Check("ok", _("disk"), message)


def is_writable(folder):
    """Return True when a file can be created and removed in `folder` (or, if it does not exist yet, in the
    nearest folder above it that does, where the notebooks will create it)."""
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError:
        return False
    return True


def check_writable(root=ROOT, writable=is_writable):
    """Return a Check that the notebooks can write their models and logs in the course folder."""
    folders = [f"{name}/" for name in WRITTEN_FOLDERS]
    blocked = [folder for folder in folders if not writable(Path(root) / folder)]
    if blocked:
        return Check(
            "fail",
            _("course folder"),
            _("cannot write to {folders} in {root}: the notebooks save their models and logs there").format(
                folders=_(" and ").join(blocked), root=root
            ),
            _(
                "copy the whole course folder (with its hidden .git folder) to a folder of your own, such as your home "
                "folder, and work from the copy."
            ),
        )
    writable_folders = _("{folders} writable (the notebooks save models and logs)")
    return Check("ok", _("course folder"), writable_folders.format(folders=_(" and ").join(folders)))


def _cgroup_memory():
    """Return (limit, usage) in bytes of this container's memory cgroup (Docker, Binder, Colab), or None."""
    for limit_file, usage_file in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),  # cgroup v2
        ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),  # v1
    ):
        try:
            limit = Path(limit_file).read_text().strip()
            usage = int(Path(usage_file).read_text().strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < 1 << 60:  # "max" or a huge number means no limit.
            return int(limit), usage
    return None


def available_memory():
    """Return (available, total) memory in bytes, or (None, None) when it cannot be measured."""
    available = total = None
    try:
        import psutil  # Installed with Jupyter's kernel; not a course requirement.

        memory = psutil.virtual_memory()
        available, total = memory.available, memory.total
    except ImportError:
        try:
            fields = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
            available = int(fields["MemAvailable"].split()[0]) * 1024
            total = int(fields["MemTotal"].split()[0]) * 1024
        except (OSError, KeyError, ValueError):
            pass
    cgroup = _cgroup_memory()
    if cgroup:
        limit, usage = cgroup
        total = min(total, limit) if total else limit
        available = min(available, limit - usage) if available is not None else limit - usage
    return available, total


def memory_thresholds(reference=None):
    """Return (fail, warn) thresholds in GB: from the measured peaks when known, else the defaults."""
    peaks = [nb["peak_mb"] for nb in (reference or {}).get("notebooks", []) if nb.get("peak_mb")]
    if not peaks:
        return MEMORY_FAIL_GB, MEMORY_WARN_GB
    peak = max(peaks) / 1000
    return round(peak, 1), round(2 * peak, 1)


def check_memory(reference=None, measure=available_memory):
    """Return a Check of the available memory against what the notebooks need (one kernel at a time)."""
    available, total = measure()
    if available is None:
        return Check("info", _("memory"), _("could not be measured on this system"))
    fail_gb, warn_gb = memory_thresholds(reference)
    message = _("{available:.1f} GB available").format(available=_gb(available))
    if total:
        message = _("{available:.1f} GB available of {total:.1f} GB").format(available=_gb(available), total=_gb(total))
    if _gb(available) < fail_gb:
        return Check(
            "fail",
            _("memory"),
            _("{memory}: a notebook needs up to {need:.1f} GB").format(memory=message, need=fail_gb),
            _(
                "close other programs (browsers' tabs too) and shut down other notebooks' kernels "
                "(JupyterLab: Kernel > Shut Down All Kernels), then run the check again."
            ),
        )
    if _gb(available) < warn_gb:
        return Check(
            "warn",
            _("memory"),
            _("{memory}: enough for one notebook at a time").format(memory=message),
            _("shut down each notebook's kernel (Kernel > Shut Down Kernel) before opening the next."),
        )
    return Check(
        "ok", _("memory"), _("{memory} (a notebook needs up to {need:.1f} GB)").format(memory=message, need=fail_gb)
    )


# --- Speed ----------------------------------------------------------------------------------------------------


def measure_speed(steps=8, batch_size=100):
    """Time training steps of the decks' MLP and of a small CNN on random digits-shaped data.

    Returns:
        {"mlp": seconds, "cnn": seconds}: the fastest of `steps` training steps (a batch of `batch_size`)
        of each, after a first step that builds the model and is not timed. The fastest, not the mean:
        other programs only ever slow a step down, so the fastest is the steadiest measure of the machine.
    """
    from utils.env import quiet_tensorflow

    quiet_tensorflow()
    import keras
    import numpy as np
    from keras import layers

    rng = np.random.default_rng(0)
    x = rng.random((batch_size, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, batch_size)
    stacks = {
        "mlp": [layers.Flatten(), layers.Dense(256, activation="relu"), layers.Dense(256, activation="relu")],
        "cnn": [
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
        ],
    }
    seconds = {}
    for name, stack in stacks.items():
        model = keras.Sequential([keras.Input(shape=(28, 28, 1)), *stack, layers.Dense(10)])
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.train_on_batch(x, y)  # The first step traces the graph: not what the notebooks repeat.
        times = []
        for _step in range(steps):
            start = time.perf_counter()
            model.train_on_batch(x, y)
            times.append(time.perf_counter() - start)
        seconds[name] = min(times)
    return seconds


def load_reference(path=TIMINGS):
    """Return the reference run of docs/timings.json (written by .ci/time-notebooks), or None."""
    try:
        runs = timings.load_runs(path)
    except (OSError, timings.TimingsError):  # A broken file only costs the estimates.
        return None
    return timings.reference_run(runs)


def format_range(seconds):
    """Return an estimate as a range that does not pretend to precision: "20-40 s", "1-2 min"."""
    low, high = seconds * ESTIMATE_RANGE[0], seconds * ESTIMATE_RANGE[1]
    if high < 100:  # Seconds up to about a minute and a half: "under 2 min" would say little about 45 s.
        low, high = max(5, 5 * round(low / 5)), max(10, 5 * round(high / 5))
        return _("{low}-{high} s").format(low=low, high=high) if high > low else _("about {high} s").format(high=high)
    low_min, high_min = max(1, round(low / 60)), math.ceil(high / 60)
    if low < 60:
        return _("under {high} min").format(high=high_min)
    if high_min > low_min:
        return _("{low}-{high} min").format(low=low_min, high=high_min)
    return _("about {high} min").format(high=high_min)


def speed_kind(number):
    """Return which timed model stands for notebook `number`'s work: "mlp" (the dense ones) or "cnn"."""
    from utils.course import NOTEBOOKS  # Here, not at the top: see the imports.

    return {notebook.number: notebook.workload for notebook in NOTEBOOKS}.get(number, "cnn")


def estimate_notebooks(local, reference):
    """Return [(number, title, seconds)]: each notebook's measured time scaled by this machine's speed.

    Args:
        local: measure_speed() on this machine.
        reference: load_reference(): the notebooks' measured times and the speed of the machine that ran them.
    """
    estimates = []
    for notebook in reference["notebooks"]:
        if not notebook.get("wall_s"):
            continue
        number = notebook["stem"][:2]
        kind = speed_kind(number)
        ratio = local[kind] / reference["speed"][kind]
        estimates.append((number, notebook.get("title", notebook["stem"]), notebook["wall_s"] * ratio))
    return estimates


def check_speed(reference=None, measure=measure_speed):
    """Return Checks of a timed training step and the estimated run time of each notebook."""
    if try_import("tensorflow") or try_import("keras"):
        return [Check("info", _("speed"), _("not measured: TensorFlow or Keras does not import (see above)"))]
    local = measure()
    step = _("a training step takes {cnn:.0f} ms (small CNN) and {mlp:.0f} ms (MLP)").format(
        cnn=local["cnn"] * 1000, mlp=local["mlp"] * 1000
    )
    if reference is None:
        no_reference = _("{step}; no reference timings ({file} is missing) to compare with")
        return [Check("info", _("speed"), no_reference.format(step=step, file=TIMINGS.name))]
    # The geometric mean of both ratios: one noisy step (a few milliseconds for the MLP) sways it less.
    factor = math.sqrt(math.prod(local[kind] / reference["speed"][kind] for kind in ("mlp", "cnn")))
    machine = reference.get("machine", {})
    comparison = _("{factor:.1f}x as long as on the machine that measured the course").format(factor=factor)
    if machine.get("cpus"):
        gpu = machine.get("gpu", "no GPU")
        comparison += _(" ({cpus} CPUs, {gpu})").format(
            cpus=machine["cpus"], gpu=_("no GPU") if gpu == "no GPU" else gpu
        )
    estimates = estimate_notebooks(local, reference)
    lines = "; ".join(f"{number}: {format_range(seconds)}" for number, _title, seconds in estimates)
    data = _("the full MNIST") if reference.get("data") == "full" else _("the 5,000-digit sample")
    checks = []
    if factor > SLOW_FACTOR:
        checks.append(
            Check(
                "warn",
                _("speed"),
                _("{step}: {comparison}, slow for a live workshop").format(step=step, comparison=comparison),
                _("close other programs; in class, pair up with a faster laptop or use Colab for notebooks 04 and 05."),
            )
        )
    else:
        checks.append(Check("ok", _("speed"), f"{step}: {comparison}"))
    each = _("each notebook, run top to bottom here with {data}: {lines}").format(data=data, lines=lines)
    checks.append(Check("info", _("estimate"), each))
    return checks


# --- Report ---------------------------------------------------------------------------------------------------


def _use_colour(stream):
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def format_check(check, colour=False, width=18):
    """Return the report's line(s) for one Check: verdict, topic, message, and the fix under it."""
    column = max(len(_(word)) for word in VERDICTS.values())  # 4 in English ("warn", "FAIL").
    verdict = f"{_(VERDICTS[check.verdict]):<{column}}"
    if colour:
        verdict = f"\033[{_COLOURS[check.verdict]}m{verdict}\033[0m"
    line = f"  {verdict}  {check.topic:<{width}} {check.message}"
    if check.fix and check.verdict in ("warn", "fail", "info"):
        line += f"\n  {'':<{column}}  {'':<{width}} -> {check.fix}"
    return line


def summary(checks):
    """Return the closing verdict: ready, ready with warnings, or not ready with the fixes to make."""
    fails = [check for check in checks if check.verdict == "fail"]
    warns = [check for check in checks if check.verdict == "warn"]
    if fails:
        heading = _("NOT READY: {count} problems would break the workshop. Fix:")
        if len(fails) == 1:
            heading = _("NOT READY: 1 problem would break the workshop. Fix:")
        lines = [heading.format(count=len(fails))]
        lines += [f"  - {check.topic}: {check.fix or check.message}" for check in fails]
        lines.append(_("then run `python -m utils.doctor` again. Stuck? Show this screen to the instructor."))
        return "\n".join(lines)
    if warns:
        ready = _(
            "READY, with {count} warnings (marked warn above): the course works; tell the instructor if something "
            "looks odd."
        )
        if len(warns) == 1:
            ready = _(
                "READY, with 1 warning (marked warn above): the course works; tell the instructor if something looks "
                "odd."
            )
        return ready.format(count=len(warns))
    return _("READY: everything the workshop needs is here.")


def run_checks(speed=True, report=None):
    """Run every check, passing each Check to `report` as soon as it is known; return them all."""
    reference = load_reference()
    steps = [lambda: [check_python()], check_packages, check_data, lambda: [check_gpu()], lambda: [check_disk()]]
    steps.append(lambda: [check_writable()])
    steps.append(lambda: [check_memory(reference)])
    if speed:
        steps.append(lambda: check_speed(reference))
    checks = []
    for step in steps:
        for check in step():
            checks.append(check)
            if report:
                report(check)
    return checks


def _where():
    from utils.env import where_am_i

    where = where_am_i()
    if where == "Python":
        where = _("a terminal")
    return _("in {where}, {system} {machine}, {cpus} CPUs").format(
        where=where, system=platform.system(), machine=platform.machine(), cpus=os.cpu_count()
    )


def main(argv=None, stream=None):
    """Check this machine for the workshop; print a verdict per line; return 0 (ready) or 1 (not ready).

    Args:
        argv: the command's arguments. `python -m utils.doctor` passes its own; a call from code (a notebook:
            `from utils.doctor import main; main()`) reads none, never the kernel's `-f connection.json`.
        stream: where to print (default: standard output).
    """
    argv = [] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="python -m utils.doctor",
        description=_("Check that this machine is ready for the workshop: packages, data, GPU, disk, memory, speed."),
    )
    parser.add_argument("--no-speed", action="store_true", help=_("skip the timed training step and the estimates"))
    args = parser.parse_args(argv)
    stream = stream or sys.stdout
    colour = _use_colour(stream)

    def say(text=""):
        print(text, file=stream, flush=True)

    problem = environment_problem()  # Before anything beyond the standard library is imported.
    if problem:
        say(_("NOT READY: {problem}").format(problem=problem))
        return 1
    say(_("Workshop pre-flight check, {where}, course folder {folder}").format(where=_where(), folder=ROOT))
    if args.no_speed:
        say(_("Checking Python, packages, data, GPU, disk, memory..."))
    else:
        say(_("Checking Python, packages, data, GPU, disk, memory and speed..."))
    start = time.perf_counter()
    checks = run_checks(speed=not args.no_speed, report=lambda check: say(format_check(check, colour)))
    say(_("Done in {seconds:.0f} s.").format(seconds=time.perf_counter() - start))
    say(summary(checks))
    return 1 if any(check.verdict == "fail" for check in checks) else 0


def _in_ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


if __name__ == "__main__":
    status = main(sys.argv[1:])
    if not _in_ipython():  # `%run -m utils.doctor` in a notebook must not raise SystemExit.
        sys.exit(status)
