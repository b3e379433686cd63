"""utils.plotting: each plot draws what it is given, with titles and labels, and rejects bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_images_titles_wrong_predictions_in_red():
    images = np.zeros((3, 28, 28), np.uint8)
    fig = plotting.show_images(images, labels=[1, 2, 3], predictions=[1, 0, 3], title="digits")
    axes = [ax for ax in fig.axes if ax.images]
    assert len(axes) == 3 and fig._suptitle.get_text() == "digits"
    assert axes[1].title.get_text() == "label 2\npred 0"
    assert axes[1].title.get_color() == "red" and axes[0].title.get_color() == "black"


def test_show_images_accepts_channel_last_and_wraps_rows():
    fig = plotting.show_images(np.zeros((12, 8, 8, 1)), ncols=5)
    assert len(fig.axes) == 15 and sum(bool(ax.images) for ax in fig.axes) == 12


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"images": np.zeros((28, 28))}, "shaped"),
        ({"images": np.zeros((2, 4, 4)), "labels": [1]}, "labels has 1"),
        ({"images": np.zeros((2, 4, 4)), "ncols": 0}, "ncols"),
    ],
)
def test_show_images_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plotting.show_images(**kwargs)


def test_plot_history_draws_training_and_validation():
    history = {"loss": [1.0, 0.5, 0.2], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.8, 0.9]}
    fig = plotting.plot_history(history)
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_xlabel() == "epoch" and loss_ax.get_title() == "loss"
    assert [line.get_label() for line in loss_ax.lines] == ["training loss", "validation loss"]
    np.testing.assert_array_equal(loss_ax.lines[1].get_ydata(), [1.1, 0.7, 0.6])
    assert len(acc_ax.lines) == 1
    fig.canvas.draw()
    assert all(float(tick).is_integer() for tick in loss_ax.get_xticks()), "epochs are whole numbers"


def test_plot_history_bad_input():
    with pytest.raises(ValueError, match="History"):
        plotting.plot_history([1, 2])
    with pytest.raises(ValueError, match="No \\['accuracy'\\]"):
        plotting.plot_history({"loss": [1.0]}, metrics=["accuracy"])


def test_plot_function_and_regression():
    ax = plotting.plot_function({"relu": lambda x: np.maximum(0, x)}, x_range=(-2, 2), title="ReLU")
    assert ax.get_title() == "ReLU" and ax.get_xlabel() == "x"
    np.testing.assert_allclose(ax.lines[0].get_ydata()[-1], 2.0)
    ax = plotting.plot_regression([0, 1, 2], [1, 3, 5], predict=lambda x: 2 * x + 1)
    np.testing.assert_allclose(ax.lines[0].get_ydata()[[0, -1]], [1, 5])
    with pytest.raises(ValueError, match="low < high"):
        plotting.plot_function(np.sin, x_range=(1, 0))
    with pytest.raises(ValueError, match="same length"):
        plotting.plot_regression([1, 2], [1])


def test_plot_confusion_matrix_counts():
    ax = plotting.plot_confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1])
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["0", "1", "1", "2"] and ax.get_ylabel() == "true class"
    with pytest.raises(ValueError, match="y_pred has 1"):
        plotting.plot_confusion_matrix([0, 1], [0])


def test_show_filters_accepts_conv_weights():
    weights = np.random.default_rng(0).normal(size=(3, 3, 1, 4))
    fig = plotting.show_filters(weights)
    assert sum(bool(ax.images) for ax in fig.axes) == 4
    with pytest.raises(ValueError, match="show_filters"):
        plotting.show_filters(np.zeros(5))
