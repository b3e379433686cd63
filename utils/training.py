"""Training helpers the notebooks that train share: TensorBoard logs in one folder. Used in 03, 04 and 05."""

import shutil

from utils import ROOT

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
    import keras

    if not isinstance(run, str) or not run or any(ch in run for ch in "/\\. "):
        raise ValueError(f'A run name is a short plain name such as "03_mlp", not {run!r}.')
    log_dir = LOGS_DIR / run
    shutil.rmtree(log_dir, ignore_errors=True)
    return keras.callbacks.TensorBoard(log_dir=str(log_dir), histogram_freq=0, write_graph=False)
