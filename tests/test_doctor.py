"""utils.doctor: each check's verdicts (ok, info, warn, fail), the report, the exit status and the estimates."""

import hashlib
import io
import subprocess
import sys
from collections import namedtuple

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
    installed["broken"]["sklearn"] = "ImportError: numpy.core.multiarray failed to import"
    check = doctor.check_package("scikit-learn", "1.6.1")
    assert check.verdict == "fail"
    assert "does not import (ImportError: numpy.core.multiarray failed to import)" in check.message


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
    [(10, "10-15 s"), (30, "25-45 s"), (60, "under 2 min"), (120, "2-3 min"), (400, "5-10 min")],
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
    assert estimate.verdict == "info" and "01: under 1 min; 04: 2-3 min" in estimate.message
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
    assert doctor.SPEED_KIND == {nb.number: nb.workload for nb in NOTEBOOKS}
    assert set(doctor.SPEED_KIND.values()) <= set(reference["speed"]), "each workload is a timed model"
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
    for topic in ("Python", "tensorflow", "keras", "MNIST sample", "GPU", "disk", "memory"):
        assert f"  {topic} " in text, topic


def test_the_module_runs_from_the_command_line():
    proc = subprocess.run(
        [sys.executable, "-m", "utils.doctor", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and "--no-speed" in proc.stdout


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
