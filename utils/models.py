"""Save and load the models the notebooks train, in the course's models/ folder."""

import os
from pathlib import Path

from utils import ROOT
from utils.i18n import _

MODELS_DIR = ROOT / "models"


def model_path(name):
    """Return the path of a saved model, e.g. model_path("04_cnn") -> models/04_cnn.keras."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise ValueError(_('A model name is a plain file name such as "04_cnn", not {name!r}.').format(name=name))
    return MODELS_DIR / (name if name.endswith(".keras") else f"{name}.keras")


def save_model(model, name):
    """Save a Keras model to models/<name>.keras atomically (never a half-written file); return the path."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(_("save_model() needs a keras.Model, not {kind}.").format(kind=type(model).__name__))
    path = model_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.keras")
    try:
        model.save(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def _how_to_make(stem):
    """Say which notebook saves the model `stem` ("05_denoising_autoencoder" -> notebooks/05_autoencoder.ipynb)."""
    from utils.course import NOTEBOOKS

    maker = next((notebook for notebook in NOTEBOOKS if notebook.saves == stem), None)
    if maker is None:  # A model of the learner's own, named after its notebook ("04_my_cnn").
        maker = next((notebook for notebook in NOTEBOOKS if stem.startswith(notebook.number + "_")), None)
    if maker is None:
        saved = [f"models/{notebook.saves}" for notebook in NOTEBOOKS if notebook.saves]
        return _("the course's notebooks save {models} and {last}.").format(
            models=", ".join(saved[:-1]), last=saved[-1]
        )
    return _("run notebooks/{notebook} to train and save it.").format(notebook=maker.name)


def load_model(name):
    """Load models/<name>.keras; the error says which notebook to run if it is missing."""
    import keras

    path = model_path(name)
    if not path.exists():
        raise FileNotFoundError(
            _("{path} does not exist yet: {what_to_do}").format(path=path, what_to_do=_how_to_make(path.stem))
        )
    return keras.models.load_model(path)
