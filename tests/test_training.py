"""utils.training: TensorBoard logs, one run per model, in the course's logs/ folder."""

import keras
import numpy as np
import pytest

from utils import ROOT, training


def test_logs_live_in_one_ignored_folder_and_the_port_does_not_clash_with_compose():
    assert training.LOGS_DIR == ROOT / "logs"
    assert "logs/" in (ROOT / ".gitignore").read_text().split()
    assert "6006" in (ROOT / "compose.yaml").read_text() and training.NOTEBOOK_TENSORBOARD_PORT != 6006


def test_a_run_logs_events_and_starts_afresh(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "LOGS_DIR", tmp_path)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.zeros((8, 2), "float32"), np.zeros((8, 1), "float32")
    for _ in range(2):  # A notebook run twice: still one run.
        model.fit(x, y, epochs=1, verbose=0, callbacks=[training.tensorboard_callback("tiny")])
    assert [p.name for p in tmp_path.iterdir()] == ["tiny"]
    events = list((tmp_path / "tiny").rglob("events.out.tfevents.*"))
    assert len(events) == 1, events  # The first run's events were removed.


@pytest.mark.parametrize("bad", ["", "../x", "a b", None, "x.y"])
def test_bad_run_names_are_refused(bad):
    with pytest.raises(ValueError, match="short plain name"):
        training.tensorboard_callback(bad)
