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


def test_show_kernel_results_puts_each_kernel_beside_its_result():
    kernels = {"box blur": np.ones((3, 3)) / 9, "edges": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])}
    results = [np.arange(36.0).reshape(6, 6), np.zeros((6, 6))]
    fig = plotting.show_kernel_results(kernels, results, title="two kernels", pairs_per_row=2)
    assert fig._suptitle.get_text() == "two kernels"
    kernel_ax, result_ax, edges_ax = fig.axes[:3]
    assert kernel_ax.get_title() == "box blur\n(sum 1)" and result_ax.get_title() == "box blur: result"
    assert sorted(t.get_text() for t in kernel_ax.texts) == ["1/9"] * 9
    assert sorted(t.get_text() for t in edges_ax.texts) == ["-4"] + ["0"] * 4 + ["1"] * 4
    assert edges_ax.get_title() == "edges\n(sum 0)"
    np.testing.assert_array_equal(result_ax.images[0].get_array(), results[0])


def test_show_kernel_results_wraps_rows_and_rejects_bad_input():
    kernels = {f"k{i}": np.eye(3) for i in range(5)}
    fig = plotting.show_kernel_results(kernels, [np.eye(4)] * 5, pairs_per_row=2)
    assert len(fig.axes) == 3 * 4 and sum(bool(ax.images) for ax in fig.axes) == 10
    with pytest.raises(ValueError, match="one result per kernel"):
        plotting.show_kernel_results(kernels, [np.eye(4)])
    with pytest.raises(ValueError, match="2-d"):
        plotting.show_kernel_results({"flat": np.ones(3)}, [np.eye(4)])
    with pytest.raises(ValueError, match="dict"):
        plotting.show_kernel_results([np.eye(3)], [np.eye(4)])


def test_show_feature_maps_one_row_per_layer():
    maps = {"conv1": np.random.default_rng(0).random((8, 8, 4)), "pool1": np.ones((4, 4, 16))}
    fig = plotting.show_feature_maps(maps, n=6, title="maps of a 7")
    assert fig._suptitle.get_text() == "maps of a 7" and len(fig.axes) == 12
    assert fig.axes[0].get_ylabel() == "conv1\n8×8×4" and fig.axes[6].get_ylabel() == "pool1\n4×4×16"
    assert sum(bool(ax.images) for ax in fig.axes[:6]) == 4 and sum(bool(ax.images) for ax in fig.axes[6:]) == 6
    with pytest.raises(ValueError, match="height, width, channels"):
        plotting.show_feature_maps({"dense": np.ones((10,))})
