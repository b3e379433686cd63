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
    weights[..., 0] *= 0.1  # A weak filter.
    fig = plotting.show_filters(weights)
    assert sum(bool(ax.images) for ax in fig.axes) == 4
    limit = np.abs(weights).max()
    scales = {ax.images[0].get_clim() for ax in fig.axes if ax.images}
    assert scales == {(-limit, limit)}, "one scale centred on 0: the weak filter looks faint, not stretched"
    with pytest.raises(ValueError, match="show_filters"):
        plotting.show_filters(np.zeros(5))


def _titles_of_parts(fig):
    """Return the texts written on the figure itself (a pair's or a row's title), without the figure's title."""
    return [text.get_text() for text in fig.texts if text is not fig._suptitle]


def test_show_kernel_results_puts_each_kernel_beside_its_result():
    kernels = {"box blur": np.ones((3, 3)) / 9, "edges": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])}
    results = [np.arange(36.0).reshape(6, 6), np.zeros((6, 6))]
    fig = plotting.show_kernel_results(kernels, results, title="two kernels", pairs_per_row=2)
    assert fig._suptitle.get_text() == "two kernels"
    assert _titles_of_parts(fig) == ["box blur", "edges"], "each pair is titled by its name"
    kernel_ax, result_ax, edges_ax = fig.axes[:3]
    assert kernel_ax.get_title() == "weights (sum 1)" and result_ax.get_title() == "result"
    assert sorted(t.get_text() for t in kernel_ax.texts) == ["1/9"] * 9
    assert sorted(t.get_text() for t in edges_ax.texts) == ["-4"] + ["0"] * 4 + ["1"] * 4
    assert edges_ax.get_title() == "weights (sum 0)"
    np.testing.assert_array_equal(result_ax.images[0].get_array(), results[0])


def test_show_kernel_results_wraps_rows_and_rejects_bad_input():
    kernels = {f"k{i}": np.eye(3) for i in range(5)}
    fig = plotting.show_kernel_results(kernels, [np.eye(4)] * 5, pairs_per_row=2)
    assert len(_titles_of_parts(fig)) == 5 and len(fig.axes) == 10 and sum(bool(ax.images) for ax in fig.axes) == 10
    lefts = sorted({round(ax.get_position().x0, 3) for ax in fig.axes})
    assert len(lefts) == 4, "two pairs per row: a kernel and its result, twice"
    assert fig._suptitle is None, "no title unless one is given: each pair has its own"
    with pytest.raises(ValueError, match="one result per kernel"):
        plotting.show_kernel_results(kernels, [np.eye(4)])
    with pytest.raises(ValueError, match="2-d"):
        plotting.show_kernel_results({"flat": np.ones(3)}, [np.eye(4)])
    with pytest.raises(ValueError, match="dict"):
        plotting.show_kernel_results([np.eye(3)], [np.eye(4)])


def test_show_feature_maps_one_titled_row_per_layer_on_one_grey_scale():
    weak_and_strong = np.stack([np.full((8, 8), 0.1), np.full((8, 8), 1.0), np.zeros((8, 8)), np.eye(8)], axis=-1)
    maps = {"after convolution 1": weak_and_strong, "after max pooling 1": np.ones((4, 4, 16))}
    fig = plotting.show_feature_maps(maps, n=6, title="maps of a 7")
    assert fig._suptitle.get_text() == "maps of a 7" and len(fig.axes) == 4 + 6, "all 4 maps, then the first 6"
    rows = _titles_of_parts(fig)
    assert rows == ["after convolution 1: 4 maps of 8×8", "after max pooling 1: 16 maps of 4×4"]
    assert [ax.get_title() for ax in fig.axes[4:]] == [f"map {i}" for i in range(6)]
    scales = {ax.images[0].get_clim() for ax in fig.axes[:4]}
    assert scales == {(0.0, 1.0)}, "a weak map (0.1 everywhere) is drawn dim beside a strong one, not stretched"
    with pytest.raises(ValueError, match="height, width, channels"):
        plotting.show_feature_maps({"dense": np.ones((10,))})


#: 06's kernels, with its longest names: the titles that must fit.
KERNELS_OF_06 = {
    name: np.random.default_rng(i).normal(size=(3, 3))
    for i, name in enumerate(
        ["identity", "horizontal edges", "vertical edges", "corners (decks)", "all edges, 4 neighbours"]
        + ["all edges, 8 neighbours", "sharpen", "box blur", "Gaussian blur"]
    )
}
PHOTO = np.random.default_rng(0).random((200, 171)) * 255  # The shape of 06's photo.


def _kernel_results(count, *args, **kwargs):
    kernels = dict(list(KERNELS_OF_06.items())[:count])
    return plotting.show_kernel_results(kernels, [PHOTO] * count, *args, **kwargs)


#: The figures notebook 06 draws with these functions, as it calls them (and larger).
FIGURES_OF_06 = {
    "five edge detectors, 3 per row": lambda: _kernel_results(5, "Kernels whose weights add up to 0: edge detectors"),
    "all nine kernels, 3 per row": lambda: _kernel_results(9, "Nine kernels", value_range=(0, 255)),
    "four kernels, 2 per row": lambda: _kernel_results(4, "Kernels whose weights add up to 1", pairs_per_row=2),
    "the explorer's picture": lambda: _kernel_results(1, value_range=(0, 255), size=3),
    "feature maps": lambda: plotting.show_feature_maps(
        {f"after max pooling {i}": np.random.default_rng(i).random((28, 28, 32)) for i in range(1, 5)},
        n=8,
        title="A 7 through small_cnn: the first 8 feature maps of each layer",
    ),
    "32 learned kernels": lambda: plotting.show_filters(
        np.random.default_rng(0).normal(size=(3, 3, 1, 32)), title="The learned 3×3 kernels of conv1 (small_cnn)"
    ),
}


def _overlaps(fig):
    """Return pairs of titles and axes whose boxes overlap on the drawn figure (a title on an image, two titles)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        if ax.images:
            boxes.append((f"the axes of {ax.get_title()!r}", ax.get_window_extent(renderer)))
        if ax.get_title():
            boxes.append((f"the title {ax.get_title()!r}", ax.title.get_window_extent(renderer)))
    for text in fig.texts:  # The figure's title, and the titles of pairs or rows.
        if text.get_text():
            boxes.append((f"the title {text.get_text()!r}", text.get_window_extent(renderer)))
    boxes = [(what, box.expanded(1, 1).shrunk(0.98, 0.98)) for what, box in boxes]  # Touching is not overlapping.
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1 :] if box_a.overlaps(box_b)]


@pytest.mark.parametrize("name", FIGURES_OF_06)
def test_figures_of_06_fit_the_notebooks_width_and_nothing_overlaps(name):
    """JupyterLab in a 1366-px window shows about 1,000 px of output: a wider figure is shrunk, its text unreadable."""
    fig = FIGURES_OF_06[name]()
    width, _ = fig.get_size_inches()
    assert width <= plotting.MAX_FIGURE_WIDTH + 1e-9 and plotting.MAX_FIGURE_WIDTH <= 10, f"{name}: {width} inches"
    drawn = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.1)  # As the inline backend saves it.
    assert drawn.width * fig.dpi <= 1000, f"{name}: {drawn.width * fig.dpi:.0f} px wide as the notebook shows it"
    assert not _overlaps(fig), f"{name}: {_overlaps(fig)[:3]}"
