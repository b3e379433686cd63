"""Training helpers the notebooks that train share: TensorBoard logs in one folder. Used in 03, 04 and 05."""

import functools
import shutil

from utils import ROOT
from utils.i18n import _

#: One git-ignored folder at the course's root; TensorBoard (and compose.yaml's TensorBoard) reads it.
LOGS_DIR = ROOT / "logs"
#: The port the notebooks give `%tensorboard`: compose.yaml's own TensorBoard already uses 6006.
NOTEBOOK_TENSORBOARD_PORT = 6007


def tensorboard_callback(run):
    """Return a Keras TensorBoard callback that logs one model's training to logs/<run>/.

    Each call starts the run afresh (the previous logs of the same run are removed), so TensorBoard
    shows one run per model however often a notebook is re-run.

    Args:
        run: a short plain name such as "03_mlp".
    """
    if not isinstance(run, str) or not run or any(ch in run for ch in "/\\. "):
        raise ValueError(_('A run name is a short plain name such as "03_mlp", not {run!r}.').format(run=run))
    log_dir = LOGS_DIR / run
    shutil.rmtree(log_dir, ignore_errors=True)
    return _loss_and_metrics_class()(log_dir=str(log_dir), histogram_freq=0, write_graph=False)


@functools.cache
def _loss_and_metrics_class():
    """Return the callback class, defined on first use: importing utils must not import Keras."""
    import keras

    class LossAndMetrics(keras.callbacks.TensorBoard):
        """TensorBoard logs of the loss and metrics only.

        Keras also logs the learning rate each epoch; TensorBoard sorts its charts by name, so
        "learning_rate" came before "loss" and TensorBoard opened on a flat line instead of the loss.
        """

        def _collect_learning_rate(self, logs):  # Keras 3.13's hook that adds the learning rate.
            return logs

        def on_epoch_end(self, epoch, logs=None):
            logs = {name: value for name, value in (logs or {}).items() if "learning_rate" not in name}
            super().on_epoch_end(epoch, logs)

    return LossAndMetrics


def fresh_start(model, seed=42):
    """Return a new copy of `model`, with fresh starting weights, compiled exactly like it. Used in 03 and 04.

    A training cell that begins with `model = fresh_start(model)` trains from scratch however often it runs,
    and gives the same result each time, instead of silently continuing the previous training.

    Args:
        model: a compiled Sequential or Functional Keras model.
        seed: the seed of the new starting weights (and of the shuffling and augmentation that follow).
    """
    import keras

    from utils.env import set_seed

    if not isinstance(model, keras.Model):
        raise TypeError(_("fresh_start() needs a Keras model, not {kind}.").format(kind=type(model).__name__))
    if not model.compiled:
        raise ValueError(
            _("`{name}` is not compiled yet: run the cell that calls `{name}.compile(...)` first.").format(
                name=model.name
            )
        )
    set_seed(seed)
    try:
        fresh = keras.models.clone_model(model)
    except Exception as exc:  # A subclassed model cannot be cloned from its configuration.
        raise ValueError(
            _("fresh_start() cannot copy `{name}` ({error}): build it again instead.").format(
                name=model.name, error=type(exc).__name__
            )
        ) from None
    fresh.compile_from_config(model.get_compile_config())
    return fresh
