"""Describe and prepare the environment a notebook runs in (Colab or JupyterLab, CPU or GPU)."""

import os
import platform
import re
import sys
from pathlib import Path

import numpy as np

from utils.i18n import _


def is_colab():
    """Return True when running inside Google Colab."""
    return "google.colab" in sys.modules


def _nvidia_driver_present():
    """Return True when this machine has an NVIDIA driver (so CUDA errors may matter)."""
    return Path("/proc/driver/nvidia").exists() or Path("/dev/nvidiactl").exists()


def driver_gpu_names():
    """Return the NVIDIA GPUs' names as the driver (nvidia-smi) lists them, without starting TensorFlow.

    For tools that describe a machine (.ci/time-notebooks); a notebook asks TensorFlow: gpu_names().
    """
    import subprocess

    try:
        listed = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [name.strip() for name in listed.split("\n") if name.strip()]


def quiet_tensorflow():
    """Hide TensorFlow's C++ start-up messages; call before TensorFlow is first imported.

    On a machine without an NVIDIA driver, TensorFlow logs "Could not find cuda drivers" and
    "failed call to cuInit" as errors: they only mean "no GPU here", so we hide all C++ logs.
    With a driver present we keep C++ errors visible, because then they may be real.
    Python exceptions are never hidden. A value the user already set is respected.
    """
    level = "2" if _nvidia_driver_present() else "3"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", level)
    return os.environ["TF_CPP_MIN_LOG_LEVEL"]


def where_am_i():
    """Say where this code runs: "Google Colab", "Jupyter (JupyterLab or Notebook)" or "Python"."""
    if is_colab():
        return "Google Colab"  # i18n: keep (a product's name)
    try:
        from IPython import get_ipython
    except ImportError:
        return "Python"
    shell = get_ipython()
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":  # A Jupyter kernel.
        return _("Jupyter (JupyterLab or Notebook)")
    return "Python"


def _gpu_name(device):
    """Return a GPU's model name ("NVIDIA T4") when TensorFlow knows it, else its device name."""
    import tensorflow as tf

    try:
        return tf.config.experimental.get_device_details(device).get("device_name") or device.name
    except Exception:  # Details are optional; the name is enough.
        return device.name


def gpu_names():
    """Return the model names of the GPUs TensorFlow sees (["NVIDIA T4"]); an empty list when there is none."""
    import tensorflow as tf

    return [_gpu_name(gpu) for gpu in tf.config.list_physical_devices("GPU")]


def has_gpu():
    """Return True when TensorFlow can see at least one GPU. Used by set_seed()."""
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


_SETUP_NAMES = {"____", "q1", "q2", "q3", "q4", "q5", "q6", "np", "tf", "keras", "layers", "plt"}


def name_error_advice(message):
    """Return a plain sentence for a NameError's message, saying which cells to run.

    Only the cells that define the missing name: "Run All Above" from an exercise would retrain every
    model above it (a minute or more), though most exercises need only the Setup cells.
    """
    match = re.search(r"name '([^']+)' is not defined", message)  # i18n: keep (Python's own message)
    name = match.group(1) if match else None
    if name in _SETUP_NAMES or (name and name.startswith("load_")):
        return _(
            "`{name}` comes from the Setup cells at the top of the notebook: the kernel has probably restarted and "
            "forgotten them. Run the Setup cells again: click in the first code cell under *Setup* and press "
            "Shift+Enter until you reach the next section (Colab: press each Setup cell's ▶ button)."
        ).format(name=name)
    run_above = "JupyterLab: *Run > Run All Above*; Colab: *Runtime > Run before*"  # i18n: keep (menu labels)
    if not name:
        return _(
            "This name is defined by a cell above this one that has not run since the kernel started. Run that cell "
            "again after the Setup cells, or check the spelling. Running every cell above ({run_above}) also works, "
            "but retrains any model above."
        ).format(run_above=run_above)
    return _(
        "`{name}` is defined by a cell above this one that has not run since the kernel started. Run that cell "
        "again (Ctrl+F `{name} =` finds it) after the Setup cells, or check the spelling. Running every cell above "
        "({run_above}) also works, but retrains any model above."
    ).format(name=name, run_above=run_above)


def explain_name_errors():
    """In a notebook, follow every NameError with a sentence that says which cells to run.

    Called in each notebook's Setup, after describe_environment(). Outside IPython it does nothing
    and returns False. (After a kernel restart it is gone too: the notebooks' Exercises sections
    say what to do then.)
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False

    def handler(shell, etype, value, tb, tb_offset=None):
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        print(name_error_advice(str(value)))

    shell.set_custom_exc((NameError,), handler)
    return True


def describe_environment(print_it=True):
    """Print (and return) the versions that matter and whether a GPU was found.

    Args:
        print_it: print the description; set False to only get the text back.
    """
    import keras
    import tensorflow as tf

    lines = [
        _("Running on:  {place} ({system} {machine})").format(
            place=where_am_i(), system=platform.system(), machine=platform.machine()
        ),
        f"Python:      {platform.python_version()}",
        f"TensorFlow:  {tf.__version__}",
        f"Keras:       {keras.__version__} (backend: {keras.backend.backend()})",  # i18n: keep (names, versions)
        f"NumPy:       {np.__version__}",
    ]
    gpus = gpu_names()
    if gpus:
        lines.append(_("GPU:         {names}: training runs on the GPU.").format(names=", ".join(gpus)))
    elif is_colab():
        lines.append(_("GPU:         none (a CPU runtime). For faster training: Runtime > Change runtime type > GPU."))
    else:
        lines.append(_("GPU:         none, training runs on the CPU (every notebook is sized for that)."))
    text = "\n".join(lines)
    if print_it:
        print(text)
    return text


def _restart_keras_seed_generator():
    """Make `keras.random` calls without a seed restart from the new seed; return False if Keras moved it.

    Keras 3.13 keeps a global SeedGenerator that `keras.utils.set_random_seed` does not reset; dropping it
    (a private attribute) makes the next one start from the new seed. Keras 3.12, the last release for
    Python 3.10, has none. If a later Keras moves it, seeding still works for everything else, and
    tests/test_env.py notices that unseeded `keras.random` calls no longer repeat.
    """
    try:
        from keras.src.backend.common import global_state

        global_state.set_global_attribute("global_seed_generator", None)
    except (ImportError, AttributeError):
        return False
    return True


def set_seed(seed=42, deterministic=None):
    """Seed Python, NumPy and TensorFlow/Keras so that results repeat from run to run.

    Args:
        seed: a non-negative integer.
        deterministic: also make TensorFlow's operations deterministic, so the same notebook
            prints the same numbers on the same machine. Default: on a CPU only, because on
            a GPU it slows training and some operations have no deterministic version.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(_("set_seed() needs a non-negative integer such as 42, not {seed!r}.").format(seed=seed))
    import keras
    import tensorflow as tf

    seed = int(seed)
    keras.utils.set_random_seed(seed)  # Seeds Python's random, NumPy and the backend together.
    _restart_keras_seed_generator()
    if deterministic is None:
        deterministic = not has_gpu()
    if deterministic:
        tf.config.experimental.enable_op_determinism()
