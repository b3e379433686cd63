"""A stand-in for the full MNIST, of its size, for timing the notebooks where it cannot be downloaded.

`.ci/time-notebooks --data standin` times the notebooks on 60,000 training and 10,000 test digits, so an
instructor can see what a prefetched full MNIST (or Colab's CPU) does to 03-05, on a machine with no internet.
The digits are the course's 5,000-digit sample, repeated with small random shifts (up to 2 pixels each way,
the augmentation the notebooks themselves use), so the work per epoch is the full MNIST's: the accuracies it
gives are not the full MNIST's, and the table says so.

The notebooks load it as they load the full MNIST (`load_mnist()` in "full" mode, which verifies the file's
sha256): the kernels get a `sitecustomize` that sets that checksum to the stand-in's, and nothing else. It
never touches the learner's cache: everything lives in a temporary folder.
"""

import hashlib
import io
import sys
from pathlib import Path

import numpy as np

TRAIN, TEST = 60_000, 10_000
SEED = 20261202

_SITECUSTOMIZE = """# Written by .ci/standin_mnist.py for a timing run: kernels take the stand-in for the full MNIST.
import sys
sys.path.insert(0, {root!r})
import utils.data

utils.data.MNIST_SHA256 = {sha!r}
"""


def _shifted(images, rng):
    """Return `images`, each shifted by up to 2 pixels vertically and horizontally (a random shift each)."""
    out = np.zeros_like(images)
    shifts = rng.integers(-2, 3, size=(len(images), 2))
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            chosen = (shifts[:, 0] == dy) & (shifts[:, 1] == dx)
            out[chosen] = np.roll(images[chosen], (dy, dx), axis=(1, 2))
    return out


def build(sample_path):
    """Return the bytes of a 60,000/10,000-digit mnist.npz made from the sample at `sample_path`."""
    rng = np.random.default_rng(SEED)
    with np.load(sample_path) as sample:
        x_train, y_train, x_test, y_test = (sample[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    parts = {}
    for name, x, y, count in (("train", x_train, y_train, TRAIN), ("test", x_test, y_test, TEST)):
        index = rng.integers(0, len(x), count)
        parts[f"x_{name}"], parts[f"y_{name}"] = _shifted(x[index], rng), y[index]
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **parts)
    return buffer.getvalue()


def prepare(folder, root):
    """Write the stand-in and a sitecustomize into `folder`; return the environment the kernels need."""
    folder = Path(folder)
    data = build(Path(root) / "data" / "mnist_sample.npz")
    (folder / "mnist.npz").write_bytes(data)
    site = folder / "site"
    site.mkdir(exist_ok=True)
    sha = hashlib.sha256(data).hexdigest()
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE.format(root=str(root), sha=sha), encoding="utf-8")
    return {"DL_WORKSHOP_DATA": str(folder), "DL_WORKSHOP_MNIST": "full", "PYTHONPATH": str(site)}


if __name__ == "__main__":  # A quick look: python .ci/standin_mnist.py
    root = Path(__file__).resolve().parent.parent
    content = build(root / "data" / "mnist_sample.npz")
    with np.load(io.BytesIO(content)) as made:
        print({key: made[key].shape for key in made.files}, f"{len(content) / 1e6:.0f} MB", file=sys.stdout)
