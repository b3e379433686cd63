"""utils.doctor: each check's verdicts (ok, info, warn, fail), the report, the exit status and the estimates."""

import hashlib
import io
import os
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from utils import ROOT, data, doctor, timings
from utils.course import NOTEBOOKS

Usage = namedtuple("Usage", "total used free")


def _disk(free_gb):
    return lambda path: Usage(500e9, 500e9 - free_gb * 1e9, free_gb * 1e9)


# --- Python and packages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "verdict", "words"),
    [
        ((3, 9, 18), "fail", "too old"),
        ((3, 10, 0), "ok", "3.10 to 3.13"),
        ((3, 13, 1), "ok", ""),
        ((3, 14, 0), "warn", "newer"),
    ],
)
def test_python_version_verdicts(version, verdict, words):
    check = doctor.check_python(version)
    assert check.verdict == verdict and words in check.message
    assert check.fix if verdict == "fail" else not check.fix


def test_read_pins_applies_the_python_markers(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "# a comment\n-r other.txt\nnumpy==2.1.3  # trailing comment\n"
        'keras==3.13.2; python_version >= "3.11"\nkeras==3.12.4; python_version < "3.11"\nscikit_learn==1.6.1\n'
    )
    pins = doctor.read_pins(requirements)
    keras = "3.13.2" if sys.version_info >= (3, 11) else "3.12.4"
    assert pins == {"numpy": "2.1.3", "keras": keras, "scikit-learn": "1.6.1"}


def test_the_course_pins_are_read_from_requirements_txt():
    pins = doctor.read_pins()
    assert {"tensorflow", "keras", "numpy", "matplotlib", "jupyterlab", "ipywidgets"} <= set(pins)


@pytest.fixture
def installed(monkeypatch):
    """Pretend versions are installed and modules import (or not), without touching the environment."""
    state = {"versions": {}, "broken": {}, "findable": set()}
    monkeypatch.setattr(doctor, "installed_version", lambda name: state["versions"].get(name))
    monkeypatch.setattr(doctor, "try_import", lambda module: state["broken"].get(module))
    monkeypatch.setattr(doctor, "is_findable", lambda module: module in state["findable"])
    monkeypatch.setattr(doctor, "is_offline", lambda: False)
    monkeypatch.setattr(doctor.platform, "system", lambda: "Linux")
    return state


def test_a_package_at_its_pin_is_ok(installed):
    installed["versions"]["tensorflow"] = "2.20.0"
    check = doctor.check_package("tensorflow", "2.20.0")
    assert (check.verdict, check.topic, check.message) == ("ok", "tensorflow", "2.20.0")


def test_a_package_that_differs_but_imports_is_a_warning(installed):
    installed["versions"]["keras"] = "3.10.0"
    check = doctor.check_package("keras", "3.13.2")
    assert check.verdict == "warn"
    assert check.message == "3.10.0: works, but differs from the course's pin; the course is tested with 3.13.2"


def test_a_missing_package_fails_with_the_install_command(installed):
    check = doctor.check_package("mlxtend", "0.23.4")
    assert check.verdict == "fail" and "not installed" in check.message
    assert "pip install -r requirements.txt" in check.fix


def test_a_package_that_does_not_import_fails_with_the_error(installed):
    installed["versions"]["scikit-learn"] = "1.6.1"
    installed["broken"]["sklearn"] = "ImportError: DLL load failed while importing _openmp_helpers"
    check = doctor.check_package("scikit-learn", "1.6.1")
    assert check.verdict == "fail"
    assert "does not import (ImportError: DLL load failed while importing _openmp_helpers)" in check.message


def test_offline_the_fix_is_the_sticks_install_line(installed, monkeypatch):
    monkeypatch.setattr(doctor, "is_offline", lambda: True)
    check = doctor.check_package("mlxtend", "0.23.4")
    assert "pip install --no-index --find-links <folder> -r requirements.txt" in check.fix
    assert "`pip install -r requirements.txt`" not in check.fix


def test_offline_is_what_utils_data_says(monkeypatch):
    monkeypatch.setenv("DL_WORKSHOP_OFFLINE", "1")
    doctor.is_offline.cache_clear()
    try:
        assert doctor.is_offline() and "--no-index" in doctor.install_command()
    finally:
        doctor.is_offline.cache_clear()
    assert doctor.install_command(offline=False) == "`pip install -r requirements.txt`"


def test_on_windows_the_fix_activates_in_powershell(installed, monkeypatch):
    monkeypatch.setattr(doctor.platform, "system", lambda: "Windows")
    check = doctor.check_package("mlxtend", "0.23.4")
    assert "`.venv\\Scripts\\activate` in PowerShell" in check.fix and "bin/activate" not in check.fix
    assert doctor.activate_command("Darwin") == "`. .venv/bin/activate`"


@pytest.mark.parametrize(
    "error",
    [
        "ImportError: numpy.core.multiarray failed to import",
        "AttributeError: _ARRAY_API not found",
        "ImportError: A module that was compiled using NumPy 1.x cannot be run in NumPy 2.1.3 as it may crash.",
        "ValueError: numpy.dtype size changed, may indicate binary incompatibility.",
    ],
)
def test_an_import_failure_caused_by_numpy_names_numpy_and_numpy_fails(installed, monkeypatch, error):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    installed["versions"].update(numpy="1.26.4", tensorflow="2.20.0")
    installed["broken"]["tensorflow"] = error
    checks = _by_topic(doctor.check_packages({"numpy": "2.1.3", "tensorflow": "2.20.0"}))
    assert checks["tensorflow"].verdict == "fail" and "another NumPy" in checks["tensorflow"].message
    assert "NumPy" in checks["tensorflow"].fix
    numpy = checks["numpy"]
    assert numpy.verdict == "fail" and "1.26.4 does not fit tensorflow" in numpy.message and "2.1.3" in numpy.message
    assert "pip install -r requirements.txt" in numpy.fix


def test_tensorflow_cpu_is_accepted_for_tensorflow(installed):
    installed["versions"]["tensorflow-cpu"] = "2.20.0"
    check = doctor.check_package("tensorflow", "2.20.0")
    assert (check.verdict, check.message) == ("ok", "2.20.0 (as tensorflow-cpu)")
    installed["versions"]["tensorflow-cpu"] = "2.19.0"
    assert doctor.check_package("tensorflow", "2.20.0").verdict == "warn"


def test_in_colab_the_fix_is_a_cell_and_a_restart(installed):
    check = doctor.check_package("mlxtend", "0.23.4", in_colab=True)
    assert check.verdict == "fail" and "!pip install mlxtend==0.23.4" in check.fix and "Restart session" in check.fix


def test_front_end_packages_are_found_not_imported_and_not_needed_in_colab(installed):
    installed["broken"]["jupyterlab"] = "would be slow to import"  # Never imported: found instead.
    installed["versions"]["jupyterlab"] = "4.4.10"
    installed["findable"].add("jupyterlab")
    assert doctor.check_package("jupyterlab", "4.4.10").verdict == "ok"
    installed["findable"].clear()
    assert doctor.check_package("jupyterlab", "4.4.10").verdict == "fail"
    installed["versions"]["jupyterlab-widgets"] = "3.0.16"  # Colab's own, made for ipywidgets 8.
    for name in ("jupyterlab", "jupyterlab-widgets"):
        check = doctor.check_package(name, "1.0", in_colab=True)
        assert check.verdict == "info" and "not needed in Colab" in check.message


def test_check_packages_puts_tensorflow_first(installed, monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    installed["versions"].update(numpy="2.1.3", tensorflow="2.19.0")
    checks = doctor.check_packages({"numpy": "2.1.3", "tensorflow": "2.20.0"})
    assert [(c.topic, c.verdict) for c in checks] == [("tensorflow", "warn"), ("numpy", "ok")]


def test_the_real_try_import_reports_a_missing_module_in_one_line():
    assert doctor.try_import("json") is None
    assert doctor.try_import("no_such_module_here").startswith("ModuleNotFoundError: No module named")


# --- Data ------------------------------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DL_WORKSHOP_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("DL_WORKSHOP_MNIST", raising=False)
    return tmp_path / "cache" / "mnist.npz"


def _by_topic(checks):
    return {check.topic: check for check in checks}


def test_data_ok_with_the_sample_and_no_full_mnist_is_only_info(cache):
    checks = _by_topic(doctor.check_data())
    assert checks["MNIST sample"].verdict == "ok" and "4,000 training and 1,000 test" in checks["MNIST sample"].message
    assert checks["full MNIST"].verdict == "info" and "python -m utils.data --prefetch" in checks["full MNIST"].fix
    assert checks["sample photo"].verdict == "ok"


def test_a_missing_sample_fails_and_says_how_to_restore_it(cache, monkeypatch, tmp_path):
    monkeypatch.setattr(data, "SAMPLE_PATH", tmp_path / "missing.npz")
    check = _by_topic(doctor.check_data())["MNIST sample"]
    assert check.verdict == "fail" and "is missing" in check.message and "git checkout" in check.message


def test_a_damaged_sample_fails(cache, monkeypatch, tmp_path):
    damaged = tmp_path / "mnist_sample.npz"
    damaged.write_bytes(data.SAMPLE_PATH.read_bytes()[:1000])
    monkeypatch.setattr(data, "SAMPLE_PATH", damaged)
    check = _by_topic(doctor.check_data())["MNIST sample"]
    assert check.verdict == "fail" and "corrupt" in check.message


def test_a_damaged_full_mnist_is_a_warning_and_left_in_place(cache):
    cache.parent.mkdir()
    cache.write_bytes(b"half a download")
    check = _by_topic(doctor.check_data())["full MNIST"]
    assert check.verdict == "warn" and "damaged" in check.message and "--prefetch" in check.fix
    assert cache.read_bytes() == b"half a download", "the doctor reports; it never moves files"


def test_a_verified_full_mnist_is_ok(cache, monkeypatch):
    cache.parent.mkdir()
    cache.write_bytes(b"pretend MNIST")
    monkeypatch.setattr(data, "MNIST_SHA256", hashlib.sha256(b"pretend MNIST").hexdigest())
    check = _by_topic(doctor.check_data())["full MNIST"]
    assert check.verdict == "ok" and "70,000 digits" in check.message


def test_without_the_full_mnist_dl_workshop_mnist_full_fails(cache, monkeypatch):
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "full")
    assert _by_topic(doctor.check_data())["full MNIST"].verdict == "fail"
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "sample")
    assert _by_topic(doctor.check_data())["full MNIST"].verdict == "info"


@pytest.mark.parametrize("value", ["Full", "everything", " sample"])
def test_a_value_of_dl_workshop_mnist_that_load_mnist_refuses_fails(cache, monkeypatch, value):
    monkeypatch.setenv("DL_WORKSHOP_MNIST", value)
    with pytest.raises(ValueError) as refused:
        data.load_mnist()
    check = _by_topic(doctor.check_data())["full MNIST"]
    assert check.verdict == "fail" and check.message == str(refused.value)
    assert "DL_WORKSHOP_MNIST" in check.fix and "unset" in check.fix


def test_the_doctor_names_the_gpus_env_names(monkeypatch):
    monkeypatch.setattr("utils.env.gpu_names", lambda: ["Tesla T4", "Tesla T4"])
    check = doctor.check_gpu()
    assert check.verdict == "ok" and check.message == "Tesla T4, Tesla T4: training runs on the GPU"
    monkeypatch.setattr("utils.env.gpu_names", lambda: [])
    assert doctor.check_gpu().message.startswith("none")


# --- Disk and memory ---------------------------------------------------------------------------------------------


def test_a_course_folder_the_notebooks_cannot_write_to_fails(tmp_path):
    check = doctor.check_writable(tmp_path, writable=lambda folder: folder.name != "logs")
    assert check.verdict == "fail" and "logs/" in check.message and "models/" not in check.message
    assert "copy the whole course folder" in check.fix
    assert doctor.check_writable(tmp_path, writable=lambda folder: True).verdict == "ok"


def test_the_writability_probe_creates_and_removes_a_file(tmp_path, monkeypatch):
    assert doctor.is_writable(tmp_path / "models")  # Not there yet: the notebooks create it in tmp_path.
    assert list(tmp_path.iterdir()) == []  # Nothing is left behind.
    (tmp_path / "logs").write_text("a file where a folder should be")
    assert not doctor.is_writable(tmp_path / "logs")

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(doctor.tempfile, "NamedTemporaryFile", read_only)  # Root here ignores chmod.
    assert not doctor.is_writable(tmp_path)
    assert doctor.check_writable(tmp_path).verdict == "fail"


@pytest.mark.parametrize(("free_gb", "verdict"), [(0.2, "fail"), (1.2, "warn"), (40, "ok")])
def test_disk_verdicts(tmp_path, free_gb, verdict):
    check = doctor.check_disk([tmp_path], disk_usage=_disk(free_gb))
    assert check.verdict == verdict and f"{free_gb:.1f} GB free in {tmp_path}" in check.message
    assert bool(check.fix) == (verdict == "fail")


def test_disk_reports_the_fullest_place_and_climbs_to_a_folder_that_exists(tmp_path):
    roomy, tight = tmp_path / "roomy", tmp_path / "tight"
    roomy.mkdir(), tight.mkdir()

    def usage(path):
        return _disk(0.3 if path == tight else 90)(path)

    check = doctor.check_disk([roomy, tight / "not" / "yet"], disk_usage=usage)
    assert check.verdict == "fail" and str(tight) in check.message


@pytest.mark.parametrize(
    ("available_gb", "verdict"), [(0.6, "fail"), (1.5, "warn"), (6.0, "ok")], ids=["fail", "warn", "ok"]
)
def test_memory_verdicts_with_the_default_thresholds(available_gb, verdict):
    check = doctor.check_memory(measure=lambda: (available_gb * 1e9, 8e9))
    assert check.verdict == verdict and f"{available_gb:.1f} GB available of 8.0 GB" in check.message


def test_memory_thresholds_follow_the_measured_peaks():
    reference = {"notebooks": [{"peak_mb": 700}, {"peak_mb": 1400}, {"peak_mb": None}]}
    assert doctor.memory_thresholds(reference) == (1.4, 2.8)
    assert doctor.check_memory(reference, measure=lambda: (1.2e9, 4e9)).verdict == "fail"
    assert doctor.check_memory(reference, measure=lambda: (2.0e9, 4e9)).verdict == "warn"
    assert doctor.memory_thresholds(None) == (doctor.MEMORY_FAIL_GB, doctor.MEMORY_WARN_GB)


def test_memory_that_cannot_be_measured_is_info():
    assert doctor.check_memory(measure=lambda: (None, None)).verdict == "info"


def test_available_memory_is_measured_here():
    available, total = doctor.available_memory()
    assert 0 < available <= total


# --- Speed and estimates -----------------------------------------------------------------------------------------

REFERENCE = {
    "label": "a test machine",
    "date": "2026-01-01",
    "speed": {"mlp": 0.010, "cnn": 0.050},
    "machine": {"cpus": 2, "cpu_model": "a CPU", "gpu": "no GPU", "os": "Linux x86_64", "python": "3.11.7"}
    | {"tensorflow": "2.20.0", "keras": "3.13.2"},
    "data": "sample",
    "notebooks": [
        {"stem": "01_tensors_and_gradients", "title": "Tensors and gradients", "status": "ok", "wall_s": 20.0},
        {"stem": "04_cnn", "title": "Convolutional networks", "status": "ok", "wall_s": 60.0},
        {"stem": "05_autoencoder", "title": "Autoencoders", "wall_s": None, "status": "failed: ..."},
    ],
}


def test_the_test_reference_follows_the_declared_format(tmp_path):
    timings.save_runs([REFERENCE], tmp_path / "timings.json")
    assert doctor.load_reference(tmp_path / "timings.json") == REFERENCE


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(10, "10-15 s"), (30, "25-45 s"), (44, "35-65 s"), (60, "50-90 s"), (70, "under 2 min"), (120, "2-3 min")]
    + [(400, "5-10 min")],
)
def test_estimates_are_ranges(seconds, shown):
    assert doctor.format_range(seconds) == shown


def test_estimates_scale_each_notebook_by_its_kind_of_training():
    estimates = doctor.estimate_notebooks({"mlp": 0.010, "cnn": 0.100}, REFERENCE)
    assert estimates == [("01", "Tensors and gradients", 20.0), ("04", "Convolutional networks", 120.0)]


def test_check_speed_compares_with_the_reference_and_estimates_each_notebook():
    ok, estimate = doctor.check_speed(REFERENCE, measure=lambda: {"mlp": 0.020, "cnn": 0.100})
    assert ok.verdict == "ok" and "100 ms (small CNN) and 20 ms (MLP)" in ok.message
    assert "2.0x as long as on the machine that measured the course (2 CPUs, no GPU)" in ok.message
    assert estimate.verdict == "info" and "01: 30-60 s; 04: 2-3 min" in estimate.message
    assert "5,000-digit sample" in estimate.message
    slow, _ = doctor.check_speed(REFERENCE, measure=lambda: {"mlp": 0.040, "cnn": 0.200})
    assert slow.verdict == "warn" and "slow" in slow.message and "Colab" in slow.fix


def test_check_speed_without_reference_timings_is_info():
    (check,) = doctor.check_speed(None, measure=lambda: {"mlp": 0.010, "cnn": 0.100})
    assert check.verdict == "info" and "no reference timings" in check.message


def test_measure_speed_times_real_training_steps():
    seconds = doctor.measure_speed(steps=1, batch_size=8)
    assert set(seconds) == {"mlp", "cnn"} and all(0 < s < 60 for s in seconds.values())


def test_the_committed_reference_covers_every_notebook():
    reference = doctor.load_reference()
    assert reference is not None, "docs/timings.json is missing: run .ci/time-notebooks"
    assert [nb["stem"] for nb in reference["notebooks"]] == [nb.stem for nb in NOTEBOOKS]
    kinds = {nb.number: doctor.speed_kind(nb.number) for nb in NOTEBOOKS}
    assert kinds == {nb.number: nb.workload for nb in NOTEBOOKS}
    assert set(kinds.values()) <= set(reference["speed"]), "each workload is a timed model"
    assert reference["speed"]["mlp"] > 0 and reference["speed"]["cnn"] > 0


def test_load_reference_of_a_missing_or_broken_file_is_none(tmp_path):
    assert doctor.load_reference(tmp_path / "none.json") is None
    (tmp_path / "broken.json").write_text("{not json")
    assert doctor.load_reference(tmp_path / "broken.json") is None
    (tmp_path / "old.json").write_text('{"runs": [{"label": "no machine"}]}')
    assert doctor.load_reference(tmp_path / "old.json") is None


# --- The report and the exit status ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _fake_checks(monkeypatch, checks):
    def run_checks(speed=True, report=None):
        for check in checks:
            report(check)
        return checks

    monkeypatch.setattr(doctor, "run_checks", run_checks)


def test_a_failure_exits_1_and_says_what_to_do(monkeypatch):
    _fake_checks(
        monkeypatch,
        [
            doctor.Check("ok", "Python", "3.11.7"),
            doctor.Check("warn", "keras", "3.10.0: works, but differs"),
            doctor.Check("fail", "disk", "0.2 GB free", "free some disk space"),
        ],
    )
    out = io.StringIO()
    assert doctor.main([], stream=out) == 1
    text = out.getvalue()
    assert "  FAIL  disk" in text and "-> free some disk space" in text
    assert "NOT READY: 1 problem would break the workshop" in text and "  - disk: free some disk space" in text


def test_warnings_alone_exit_0(monkeypatch):
    _fake_checks(monkeypatch, [doctor.Check("ok", "Python", "3.11.7"), doctor.Check("warn", "keras", "differs")])
    out = io.StringIO()
    assert doctor.main([], stream=out) == 0
    assert "READY, with 1 warning" in out.getvalue()


def test_colours_only_in_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    _fake_checks(monkeypatch, [doctor.Check("ok", "Python", "3.11.7")])
    plain, terminal = io.StringIO(), Terminal()
    doctor.main([], stream=plain), doctor.main([], stream=terminal)
    assert "\033[" not in plain.getvalue() and "  ok    Python" in plain.getvalue()
    assert "\033[32mok  \033[0m" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    colourless = Terminal()
    doctor.main([], stream=colourless)
    assert "\033[" not in colourless.getvalue()


def test_a_check_needs_a_known_verdict():
    with pytest.raises(ValueError, match="verdict must be one of"):
        doctor.Check("error", "x", "y")


def test_the_real_check_passes_here_and_prints_plainly():
    """The test environment has the pinned packages and the sample: ready, maybe with warnings."""
    out = io.StringIO()
    status = doctor.main(["--no-speed"], stream=out)
    text = out.getvalue()
    assert status == 0, text
    assert "\033[" not in text and "READY" in text
    for topic in ("Python", "tensorflow", "keras", "MNIST sample", "GPU", "disk", "course folder", "memory"):
        assert f"  {topic} " in text, topic


def test_the_module_runs_from_the_command_line():
    proc = subprocess.run(
        [sys.executable, "-m", "utils.doctor", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and "--no-speed" in proc.stdout


def _other_python(versions):
    """Return a pyenv Python of one of `versions` (without the course's packages), or skip."""
    for version in versions:
        for python in sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python")):
            return str(python)
    pytest.skip(f"no pyenv Python {' or '.join(versions)} here")


def _run_doctor(python, *args):
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [python, *args], cwd=ROOT, env={**env, "PYTHONNOUSERSITE": "1"}, capture_output=True, text=True, timeout=60
    )


def test_a_python_without_the_courses_packages_gets_a_sentence_not_a_traceback():
    proc = _run_doctor(_other_python(["3.12", "3.13", "3.11", "3.10"]), "-m", "utils.doctor")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "NumPy and TensorFlow not found" in proc.stdout and "activate the course's environment" in proc.stdout


def test_a_too_old_python_gets_a_sentence_not_a_traceback():
    proc = _run_doctor(_other_python(["3.9", "3.8"]), "-m", "utils.doctor", "--no-speed")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "the course needs Python 3.10 or newer" in proc.stdout


def test_a_python_too_old_by_its_version_stops_before_any_check():
    """The same sentence in this environment, with sys.version_info faked: nothing is checked after it."""
    code = (
        "import sys; sys.version_info = (3, 9, 18, 'final', 0); "
        "from utils.doctor import main; sys.exit(main(['--no-speed']))"
    )
    proc = _run_doctor(sys.executable, "-c", code)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.startswith("NOT READY: This is Python 3.9: the course needs Python 3.10 or newer.")
    assert "Activate the course's environment" in proc.stdout and "tensorflow" not in proc.stdout


def test_environment_problems_in_order():
    assert doctor.environment_problem() is None  # This environment has the course's packages.
    found, imports = (lambda module: True), (lambda module: None)
    assert "3.10 or newer" in doctor.environment_problem((3, 9, 0), found, imports)
    assert doctor.environment_problem((3, 12, 1), lambda module: module == "numpy", imports).startswith(
        "TensorFlow not found"
    )
    broken = doctor.environment_problem((3, 12, 1), found, lambda module: "ImportError: no _multiarray_umath")
    assert broken.startswith("NumPy does not import (ImportError: no _multiarray_umath)") and "--no-index" in broken


def test_the_doctors_module_imports_nothing_beyond_the_standard_library():
    code = (
        "import sys, utils.doctor; print(sorted(m for m in ('numpy', 'tensorflow', 'utils.env') if m in sys.modules))"
    )
    proc = _run_doctor(sys.executable, "-c", code)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_the_in_notebook_call_ignores_the_kernels_arguments(monkeypatch):
    """`from utils.doctor import main; main()` in a notebook: the kernel's argv (-f connection.json) is not ours."""
    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py", "-f", "/run/kernel-1234.json"])
    monkeypatch.setattr(doctor, "run_checks", lambda speed, report: [doctor.Check("ok", "Python", "3.11")])
    out = io.StringIO()
    assert doctor.main(stream=out) == 0
    assert "Checking Python, packages, data, GPU, disk, memory and speed" in out.getvalue()
    assert doctor.main(["--no-speed"], stream=io.StringIO()) == 0
    with pytest.raises(SystemExit):  # The command line still refuses what it does not know.
        doctor.main(["-f", "/run/kernel-1234.json"], stream=io.StringIO())
