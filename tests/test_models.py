"""The models notebooks 03, 04 and 05 save work outside the notebook, on raw load_mnist() images."""

import numpy as np
import pytest

from utils import ROOT
from utils.data import load_mnist
from utils.models import load_model, model_path, save_model

#: Accuracy each saved model must reach on the sample's 1,000 test digits it never saw, with room above the bars
#: set for the official MNIST test set (95.5 % and 98.5 %), whose digits are harder than the sample's.
TARGETS = {"03_mlp": 0.965, "04_cnn": 0.985}


def _saved_model(name, notebook, request):
    """Load models/<name>.keras; fail if this run executed the notebook that saves it and it is missing, else skip."""
    path = model_path(name)
    ran_notebook = any(item.path.name == notebook for item in request.session.items)
    if not path.exists():
        if ran_notebook:
            pytest.fail(f"notebooks/{notebook} ran but did not save {path}")
        pytest.skip(f"{path} is made by notebooks/{notebook}, which this run did not execute")
    return load_model(name)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_saved_model_classifies_raw_uint8_digits(name, request):
    model = _saved_model(name, f"{name}.ipynb", request)
    _, (x_test, y_test) = load_mnist("sample")
    assert x_test.dtype == np.uint8 and x_test.shape[1:] == (28, 28)
    probabilities = model.predict(x_test, verbose=0)
    assert probabilities.shape == (len(x_test), 10)
    assert np.all(probabilities >= 0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    assert accuracy >= TARGETS[name], f"{name}: {accuracy:.2%} on the test digits"


#: The denoising autoencoder of notebook 05: its mean squared error per pixel (pixels in [0, 1]) on the
#: sample's 1,000 test digits with Gaussian noise (std 0.3) must stay at or below this (the noise alone: ~0.047).
DENOISER = "05_denoising_autoencoder"
DENOISER_MAX_MSE = 0.010


def test_saved_denoiser_cleans_noisy_uint8_digits(request):
    model = _saved_model(DENOISER, "05_autoencoder.ipynb", request)
    _, (x_test, _) = load_mnist("sample")
    clean = x_test / 255
    rng = np.random.default_rng(2024)
    noisy = np.round(np.clip(clean + rng.normal(0, 0.3, size=clean.shape), 0, 1) * 255).astype(np.uint8)
    assert np.mean((noisy / 255 - clean) ** 2) > 0.04  # The noise is really there.
    denoised = model.predict(noisy, verbose=0)
    assert denoised.shape == (len(x_test), 28, 28) and denoised.dtype == np.float32
    assert denoised.min() >= 0 and denoised.max() <= 1
    mse = float(np.mean((denoised - clean) ** 2))
    assert mse <= DENOISER_MAX_MSE, f"{DENOISER}: mean squared error {mse:.4f} on the noisy test digits"
    clean_out = model.predict(x_test[:100], verbose=0)  # Clean digits go through too.
    assert clean_out.shape == (100, 28, 28) and np.mean((clean_out - clean[:100]) ** 2) <= DENOISER_MAX_MSE


def test_save_model_is_atomic_and_round_trips(tmp_path, monkeypatch):
    import keras

    monkeypatch.setattr("utils.models.MODELS_DIR", tmp_path)
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Rescaling(1 / 255), keras.layers.Flatten()])
    model.add(keras.layers.Dense(10, activation="softmax"))
    path = save_model(model, "tiny")
    assert path == tmp_path / "tiny.keras" and [p.name for p in tmp_path.iterdir()] == ["tiny.keras"]
    x = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    np.testing.assert_allclose(load_model("tiny").predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_failed_save_leaves_no_partial_file(tmp_path, monkeypatch):
    import keras

    monkeypatch.setattr("utils.models.MODELS_DIR", tmp_path)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    monkeypatch.setattr(model, "save", lambda path: (open(path, "wb").write(b"half"), 1 / 0))
    with pytest.raises(ZeroDivisionError):
        save_model(model, "broken")
    assert list(tmp_path.iterdir()) == []


def test_model_helpers_reject_bad_input(tmp_path, monkeypatch):
    monkeypatch.setattr("utils.models.MODELS_DIR", tmp_path)
    with pytest.raises(ValueError, match="plain file name"):
        model_path("../evil")
    with pytest.raises(TypeError, match="keras.Model"):
        save_model("not a model", "x")
    with pytest.raises(FileNotFoundError, match="run notebooks/04_cnn.ipynb"):
        load_model("04_cnn")


@pytest.mark.parametrize(
    "name, notebook",
    [("03_mlp", "03_mlp"), ("04_cnn", "04_cnn"), ("05_denoising_autoencoder", "05_autoencoder")],
)
def test_a_missing_model_names_the_notebook_that_saves_it(tmp_path, monkeypatch, name, notebook):
    monkeypatch.setattr("utils.models.MODELS_DIR", tmp_path)
    with pytest.raises(FileNotFoundError) as raised:
        load_model(name)
    assert f"run notebooks/{notebook}.ipynb to train and save it" in str(raised.value)
    assert (ROOT / "notebooks" / f"{notebook}.ipynb").exists()


def test_a_missing_model_of_another_name_says_what_the_course_saves(tmp_path, monkeypatch):
    monkeypatch.setattr("utils.models.MODELS_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="run notebooks/04_cnn.ipynb"):
        load_model("04_my_cnn")  # Named after its notebook: that notebook.
    with pytest.raises(FileNotFoundError) as raised:
        load_model("my_model")
    assert "save models/03_mlp, models/04_cnn and models/05_denoising_autoencoder." in str(raised.value)
