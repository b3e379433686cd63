"""utils.env: environment detection, description, seeding and quiet TensorFlow."""

import subprocess
import sys

import numpy as np
import pytest

from tests.ipython_shell import run_cells
from utils import env


def test_is_colab_follows_the_google_colab_module(monkeypatch):
    assert env.is_colab() is False
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert env.is_colab() is True


def test_describe_environment_names_versions_and_gpu_status(capsys):
    import keras
    import tensorflow as tf

    text = env.describe_environment()
    assert capsys.readouterr().out.strip() == text
    assert f"TensorFlow:  {tf.__version__}" in text and f"Keras:       {keras.__version__}" in text
    assert f"NumPy:       {np.__version__}" in text and "Python:" in text
    assert "GPU:" in text
    assert env.describe_environment(print_it=False) == text and capsys.readouterr().out == ""


def test_describe_environment_hints_how_to_get_a_gpu_on_colab(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", object())
    monkeypatch.setattr("tensorflow.config.list_physical_devices", lambda kind: [])
    text = env.describe_environment(print_it=False)
    assert "Google Colab" in text and "Runtime > Change runtime type" in text


def test_describe_environment_names_the_gpu_model(monkeypatch):
    import tensorflow as tf

    gpu = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    monkeypatch.setattr("tensorflow.config.list_physical_devices", lambda kind: [gpu])
    monkeypatch.setattr("tensorflow.config.experimental.get_device_details", lambda d: {"device_name": "Tesla T4"})
    assert "GPU:         Tesla T4: training runs on the GPU." in env.describe_environment(print_it=False)


def test_gpu_names_are_read_from_tensorflow_once_here(monkeypatch):
    import tensorflow as tf

    gpu = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    monkeypatch.setattr("tensorflow.config.list_physical_devices", lambda kind: [gpu])
    monkeypatch.setattr("tensorflow.config.experimental.get_device_details", lambda d: {})
    assert env.gpu_names() == ["/physical_device:GPU:0"], "no model name: the device's name"
    monkeypatch.setattr("tensorflow.config.list_physical_devices", lambda kind: [])
    assert env.gpu_names() == []


def test_driver_gpu_names_asks_nvidia_smi_and_survives_its_absence(monkeypatch):
    listed = subprocess.CompletedProcess([], 0, stdout="NVIDIA H200\nNVIDIA H200\n\n", stderr="")
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: listed)
    assert env.driver_gpu_names() == ["NVIDIA H200", "NVIDIA H200"]

    def missing(*args, **kwargs):
        raise FileNotFoundError("nvidia-smi")

    monkeypatch.setattr(subprocess, "run", missing)
    assert env.driver_gpu_names() == []


def test_where_am_i_tells_colab_jupyter_and_plain_python_apart(monkeypatch):
    import IPython

    class ZMQInteractiveShell:  # The class name a Jupyter kernel's shell has.
        pass

    class TerminalInteractiveShell:  # The IPython shell in a terminal: not a notebook.
        pass

    assert env.where_am_i() == "Python"  # pytest, not a notebook kernel.
    monkeypatch.setattr(IPython, "get_ipython", lambda: TerminalInteractiveShell())
    assert env.where_am_i() == "Python"
    monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell())
    assert env.where_am_i() == "Jupyter (JupyterLab or Notebook)"
    monkeypatch.setitem(sys.modules, "google.colab", object())  # Colab runs a Jupyter kernel too: Colab wins.
    assert env.where_am_i() == "Google Colab"
    monkeypatch.setitem(sys.modules, "IPython", None)  # No IPython at all: plain Python.
    monkeypatch.delitem(sys.modules, "google.colab")
    assert env.where_am_i() == "Python"


def test_set_seed_makes_numpy_and_tensorflow_repeat():
    import keras

    env.set_seed(7)
    first = (
        np.random.rand(3),  # noqa: NPY002 - learners' code uses the global generator.
        keras.random.normal((3,)).numpy(),
    )
    env.set_seed(7)
    second = (
        np.random.rand(3),  # noqa: NPY002
        keras.random.normal((3,)).numpy(),
    )
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("seed", [-1, 1.5, "42", None, True])
def test_set_seed_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="non-negative integer"):
        env.set_seed(seed)


def test_quiet_tensorflow_respects_user_setting_and_picks_level(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    assert env.quiet_tensorflow() == "0"
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL")
    monkeypatch.setattr(env, "_nvidia_driver_present", lambda: False)
    assert env.quiet_tensorflow() == "3"
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL")
    monkeypatch.setattr(env, "_nvidia_driver_present", lambda: True)
    assert env.quiet_tensorflow() == "2"


def test_quiet_tensorflow_hides_cpu_only_noise(tmp_path):
    """Importing TensorFlow after quiet_tensorflow() prints nothing to stderr on this CPU machine."""
    import subprocess

    code = (
        "from utils.env import quiet_tensorflow; quiet_tensorflow(); import tensorflow as tf; "
        "print(float(tf.reduce_sum(tf.ones(3))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=env.Path(env.__file__).parent.parent
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "3.0"
    if not env._nvidia_driver_present():
        assert "cuInit" not in proc.stderr and "cuda drivers" not in proc.stderr, proc.stderr


def test_name_error_advice_points_to_setup_or_to_the_cells_above():
    from utils.env import name_error_advice

    for name in ("____", "q1", "np"):
        advice = name_error_advice(f"name '{name}' is not defined")
        assert f"`{name}` comes from the Setup cells" in advice and "Run the Setup cells again" in advice
        assert "Run All Above" not in advice  # From an exercise it would retrain every model above.
    advice = name_error_advice("name 'x_train' is not defined")
    assert "`x_train` is defined by a cell above" in advice and "Ctrl+F `x_train =`" in advice
    assert "retrains any model above" in advice


def test_a_name_error_in_a_notebook_says_what_to_run():
    """In a real IPython shell, after explain_name_errors(), a NameError is followed by the advice."""
    shown = run_cells("from utils.env import explain_name_errors; print(explain_name_errors())", "q3.check(answer)")
    assert "True" in shown and "NameError" in shown and "`q3` comes from the Setup cells" in shown
    from utils.env import explain_name_errors

    assert explain_name_errors() is False  # Outside IPython it does nothing.


def test_describe_environment_only_describes(monkeypatch):
    """Installing the NameError advice is explain_name_errors()'s job, called on its own line in each Setup."""
    monkeypatch.setattr(env, "explain_name_errors", lambda: pytest.fail("describe_environment installed a handler"))
    assert "Python:" in env.describe_environment(print_it=False)


def test_set_seed_restarts_unseeded_keras_random_calls():
    """set_seed drops Keras' private global SeedGenerator; if Keras moves it, this test notices."""
    import keras

    draws = []
    for _ in range(2):
        env.set_seed(7)
        draws.append(float(keras.random.uniform(())))
    assert draws[0] == draws[1]
    assert env._restart_keras_seed_generator() is True


def test_set_seed_still_seeds_when_keras_moves_its_private_seed_generator(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def moved(name, *args, **kwargs):
        if name.startswith("keras.src.backend.common"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", moved)
    assert env._restart_keras_seed_generator() is False
    import tensorflow as tf

    env.set_seed(3)
    first = float(tf.random.uniform(()))
    env.set_seed(3)
    assert float(tf.random.uniform(())) == first
