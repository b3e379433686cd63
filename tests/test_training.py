"""utils.training: TensorBoard logs, one run per model, in the course's logs/ folder."""

import keras
import numpy as np
import pytest

from utils import ROOT, training


def test_logs_live_in_one_folder_and_the_port_does_not_clash_with_compose():
    assert training.LOGS_DIR == ROOT / "logs"  # Git ignores it: tests/test_repository.py checks .gitignore.
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


def _augmented_cnn():
    augment = keras.Sequential([keras.layers.RandomRotation(0.05)], name="augment")
    model = keras.Sequential(
        [
            keras.Input((12, 12)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Reshape((12, 12, 1)),
            augment,
            keras.layers.Conv2D(4, 3, use_bias=False, name="conv1"),
            keras.layers.BatchNormalization(),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    schedule = keras.optimizers.schedules.CosineDecay(0.003, decay_steps=20)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def test_a_training_cell_run_twice_gives_what_running_it_once_gives():
    model = _augmented_cnn()
    x = np.random.default_rng(0).integers(0, 256, (96, 12, 12)).astype("uint8")
    y = np.arange(96) % 10
    losses = []
    for _ in range(2):  # The training cell, run twice.
        model = training.fresh_start(model)
        losses.append(model.fit(x, y, epochs=2, batch_size=16, validation_split=0.1, verbose=0).history["loss"])
    assert losses[0] == losses[1]
    assert int(model.optimizer.iterations.numpy()) == 2 * 6  # The optimizer started again, too.
    assert model.get_layer("conv1") is not None and model.compiled


def test_fresh_start_says_what_to_do_with_a_model_it_cannot_copy():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)], name="tiny")
    with pytest.raises(ValueError, match="run the cell that calls `tiny.compile"):
        training.fresh_start(model)
    with pytest.raises(TypeError, match="needs a Keras model"):
        training.fresh_start("tiny")


def test_tensorboard_logs_the_loss_and_metrics_but_not_the_learning_rate(tmp_path, monkeypatch):
    """TensorBoard sorts charts by name: a logged learning rate came first and hid the loss."""
    import tensorflow as tf

    monkeypatch.setattr(training, "LOGS_DIR", tmp_path)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = np.zeros((8, 2), "float32"), np.zeros((8, 1), "float32")
    model.fit(x, y, epochs=2, validation_split=0.25, verbose=0, callbacks=[training.tensorboard_callback("tags")])
    tags = set()
    for path in (tmp_path / "tags").rglob("events.out.tfevents.*"):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            tags |= {value.tag for value in event.summary.value}
    assert {"epoch_loss", "epoch_mae"} <= tags, tags
    assert not any("learning_rate" in tag for tag in tags), tags
