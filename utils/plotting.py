"""Plots the notebooks share; every plot gets a title and axis labels by default."""

import numpy as np
from matplotlib.ticker import MaxNLocator

from utils.i18n import _


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _common_scale(images):
    """Return (black, white) for a whole batch: 0-255 for integer pixels, 0-1 for floats in [0, 1], else its range."""
    if images.dtype == bool:
        return 0, 1
    low, high = float(np.nanmin(images)), float(np.nanmax(images))
    if images.dtype.kind in "iu" and low >= 0 and high <= 255:
        return 0, 255  # Pixels as load_mnist() gives them.
    if low >= 0 and high <= 1:
        return 0, 1  # Pixels scaled to [0, 1], such as an autoencoder's output.
    return low, high


def _image_batch(images, labels, predictions, ncols):
    """Return `images` as an array of 2-d (or colour) images, after checking show_images' arguments."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(
            _("show_images() needs a non-empty batch shaped (n, height, width), got {shape}.").format(
                shape=images.shape
            )
        )
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values is not None and len(values) != len(images):
            raise ValueError(
                _("{name} has {entries} entries but there are {images} images.").format(
                    name=name, entries=len(values), images=len(images)
                )
            )
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(_("{name} must be a positive integer, not {value!r}.").format(name="ncols", value=ncols))
    return images


def _grey_scale(images, vmin, vmax):
    """Return the values drawn black and white: `vmin`/`vmax` where given, else the batch's common scale."""
    for name, value in (("vmin", vmin), ("vmax", vmax)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | np.number)):
            raise TypeError(
                _("{name} must be a number such as 0 or 255, not {value!r}.").format(name=name, value=value)
            )
    low, high = _common_scale(images)
    low, high = low if vmin is None else float(vmin), high if vmax is None else float(vmax)
    if not low < high:  # Both given the wrong way round, or a batch holding one value only.
        if vmin is not None and vmax is not None:
            raise ValueError(_("vmin must be below vmax: they are {vmin!r} and {vmax!r}.").format(vmin=vmin, vmax=vmax))
        low, high = (high - 1, high) if vmax is not None else (low, low + 1)
    return low, high


def _image_title(i, labels, predictions):
    """Return the title of image `i` ("label 3", "pred 5") and its colour: red for a wrong prediction."""
    parts, colour = [], "black"
    if labels is not None:
        parts.append(_("label {label}").format(label=labels[i]))
    if predictions is not None:
        parts.append(_("pred {prediction}").format(prediction=predictions[i]))
        if labels is not None and predictions[i] != labels[i]:
            colour = "red"
    return "\n".join(parts), colour


def show_images(
    images, labels=None, predictions=None, ncols=10, title=None, cmap="gray", size=1.3, vmin=None, vmax=None
):
    """Show a grid of images with optional labels; wrong predictions are titled in red.

    Every image is drawn on one grey scale, so a faint image looks faint beside a strong one: by
    default 0-255 for integer pixels, 0-1 for floats that lie in [0, 1], otherwise the lowest to the
    highest value of the whole batch. `vmin` and `vmax` set the scale's black and white instead.

    Args:
        images: array (n, height, width) or (n, height, width, channels).
        labels: optional true labels, one per image.
        predictions: optional predicted labels, one per image.
        ncols: images per row.
        title: the figure's title.
        size: the width in inches of one image (less when a row would be wider than MAX_FIGURE_WIDTH).
        vmin, vmax: the values drawn black and white in every image (default: see above).
    Returns:
        The matplotlib Figure.
    """
    images = _image_batch(images, labels, predictions, ncols)
    low, high = _grey_scale(images, vmin, vmax)
    plt = _plt()
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    size = min(size, MAX_FIGURE_WIDTH / ncols)  # A row of images fits the notebook's width.
    title_lines = (labels is not None) + (predictions is not None)  # Room for each row's titles.
    figsize = (size * ncols, (size + 0.3 * title_lines) * nrows + 0.5)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
        ax.imshow(images[i], cmap=cmap, vmin=low, vmax=high)
        text, colour = _image_title(i, labels, predictions)
        ax.set_title(text, fontsize=8, color=colour)
    fig.suptitle(title or _("{count} images").format(count=len(images)))
    fig.tight_layout()
    return fig


def plot_history(history, metrics=None, title=None):
    """Plot training (and validation) curves per epoch from a Keras History or its dict.

    Args:
        history: what `model.fit()` returned, or its `.history` dict.
        metrics: names to plot (default: every metric without a "val_" prefix).
        title: the figure's title (default: "Learning curves").
    Returns:
        The matplotlib Figure.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(_("plot_history() needs what model.fit() returned (a History) or its .history dict."))
    metrics = metrics or [name for name in logs if not name.startswith("val_") and name != "learning_rate"]
    missing = [name for name in metrics if name not in logs]
    if missing:
        raise ValueError(_("No {missing} in the history; it has {names}.").format(missing=missing, names=sorted(logs)))
    plt = _plt()
    fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.5), squeeze=False)
    for ax, name in zip(axes.flat, metrics, strict=True):
        epochs = np.arange(1, len(logs[name]) + 1)
        ax.plot(epochs, logs[name], "o-", label=_("training {metric}").format(metric=name))
        if f"val_{name}" in logs:
            ax.plot(epochs, logs[f"val_{name}"], "s--", label=_("validation {metric}").format(metric=name))
        ax.set(title=name, xlabel=_("epoch"), ylabel=name)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # Epochs are whole numbers.
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(_("Learning curves") if title is None else title)
    fig.tight_layout()
    return fig


def plot_function(functions, x_range=(-5, 5), title=None, xlabel="x", ylabel="f(x)", ax=None):
    """Plot one or more functions of x given as {name: callable}.

    Args:
        functions: a dict mapping a legend name to a function of a NumPy array.
        x_range: (low, high) of x.
        title: the plot's title (default: "Functions").
    Returns:
        The matplotlib Axes.
    """
    if callable(functions):
        functions = {ylabel: functions}
    if not isinstance(functions, dict) or not functions:
        raise ValueError(_("plot_function() needs a function or a dict {{name: function}}.").format())
    low, high = x_range
    if not low < high:
        raise ValueError(_("x_range must be (low, high) with low < high, not {x_range!r}.").format(x_range=x_range))
    plt = _plt()
    if ax is None:
        ax = plt.subplots(figsize=(5, 3.5))[1]
    x = np.linspace(low, high, 401)
    for name, function in functions.items():
        ax.plot(x, np.asarray(function(x)), label=name)
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
    ax.set(title=_("Functions") if title is None else title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_regression(x, y, predict=None, title=None, xlabel="x", ylabel="y", ax=None, label=None):
    """Scatter the data (x, y) and, if given, the line or curve `predict(x)`.

    Args:
        x, y: 1-d arrays of the same length.
        predict: optional function mapping an array of x to predictions.
        title: the plot's title (default: "Linear regression").
        label: the legend's name for `predict` (default: "model").
    Returns:
        The matplotlib Axes.
    """
    x, y = np.ravel(x), np.ravel(y)
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(
            _("x and y must be non-empty and the same length, got {x} and {y}.").format(x=len(x), y=len(y))
        )
    plt = _plt()
    if ax is None:
        ax = plt.subplots(figsize=(5, 3.5))[1]
    ax.scatter(x, y, s=12, alpha=0.6, label=_("data"))
    if predict is not None:
        grid = np.linspace(x.min(), x.max(), 200)
        ax.plot(grid, np.ravel(predict(grid)), color="C3", lw=2, label=_("model") if label is None else label)
    ax.set(title=_("Linear regression") if title is None else title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_confusion_matrix(y_true, y_pred, labels=None, title=None, normalize=None, ax=None):
    """Draw the confusion matrix (rows: true class, columns: predicted class) with counts.

    The title is "Confusion matrix" unless `title` gives another.

    Returns:
        The matplotlib Axes.
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    if len(y_true) != len(y_pred):
        raise ValueError(
            _("y_true has {true} labels but y_pred has {predicted}.").format(true=len(y_true), predicted=len(y_pred))
        )
    plt = _plt()
    if ax is None:
        ax = plt.subplots(figsize=(5.5, 5))[1]
    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=labels, normalize=normalize, ax=ax, colorbar=False, cmap="Blues"
    )
    title = _("Confusion matrix") if title is None else title
    display.ax_.set(title=title, xlabel=_("predicted class"), ylabel=_("true class"))
    return display.ax_


#: The widest figure, in inches, that the grids of this module draw. At the inline backend's
#: 100 dpi, with its 0.1-inch margins, that is under 1,000 px: the width of a notebook's output in JupyterLab
#: in a 1366-px window, so the figure is shown at full size, not shrunk.
MAX_FIGURE_WIDTH = 9.6


def show_filters(kernels, ncols=8, title=None, cmap="gray", size=1.2):
    """Show 2-d kernels or a conv layer's weights (kh, kw, in, out) as small images. Used in 04 and 06.

    All kernels share one grey scale centred on 0: mid-grey is a weight of 0, white the largest
    weight in absolute value, black its negative; so a weak kernel looks faint beside a strong one.
    The title is "Filters" unless `title` gives another.

    Returns:
        The matplotlib Figure.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim == 4:  # Keras Conv2D weights: show the first input channel of each filter.
        kernels = np.moveaxis(kernels[:, :, 0, :], -1, 0)
    elif kernels.ndim == 2:
        kernels = kernels[None]
    if kernels.ndim != 3:
        raise ValueError(
            _("show_filters() needs kernels shaped (n, h, w) or (h, w, in, out), got {shape}.").format(
                shape=kernels.shape
            )
        )
    limit = max(float(np.abs(kernels).max()), 1e-12)
    title = _("Filters") if title is None else title
    return show_images(kernels, ncols=ncols, title=title, cmap=cmap, size=size, vmin=-limit, vmax=limit)


def _weight_label(value):
    """Write a kernel weight briefly: 1, -4, 0.5, or a fraction such as 1/9 when it is one."""
    from fractions import Fraction

    value = float(value)
    if value.is_integer():
        return str(int(value))
    fraction = Fraction(value).limit_denominator(64)
    if abs(float(fraction) - value) < 1e-6 and abs(fraction.numerator) < 100:
        return f"{fraction.numerator}/{fraction.denominator}"
    return f"{value:.2g}"


def _draw_kernel(ax, kernel, title):
    """Draw a 2-d kernel as coloured cells (red positive, blue negative) with its weights written in."""
    limit = max(float(np.abs(kernel).max()), 1e-12)
    ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    if kernel.size <= 49:  # Numbers in the cells of small kernels; larger ones only get colours.
        for (row, col), weight in np.ndenumerate(kernel):
            colour = "white" if abs(weight) > 0.6 * limit else "black"  # Readable on dark cells.
            ax.text(col, row, _weight_label(weight), ha="center", va="center", fontsize=8, color=colour)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def show_kernel_results(kernels, results, title=None, pairs_per_row=3, value_range=None, size=None):
    """Show each kernel (its weights written in its cells) beside the image it produced. Used in 06.

    Args:
        kernels: a dict {name: 2-d kernel}.
        results: the filtered images, one 2-d array per kernel, in the same order.
        title: the figure's title, if any (each pair has its kernel's name as its own title).
        pairs_per_row: how many (kernel, result) pairs per row.
        value_range: (black, white), the same grey scale for every result, such as (0, 255) to see
            a result get brighter or darker; by default each result gets its own scale (its 1st to
            99th percentile), so that faint edges and blurs are all visible.
        size: the width in inches of one kernel or result (default 2.2, less when a row would be
            wider than MAX_FIGURE_WIDTH).
    Returns:
        The matplotlib Figure.
    """
    if not isinstance(kernels, dict) or not kernels:
        raise ValueError(_("show_kernel_results() needs a non-empty dict {{name: kernel}}.").format())
    kernels = {name: np.asarray(kernel, dtype=float) for name, kernel in kernels.items()}
    results = [np.asarray(result, dtype=float) for result in results]
    if len(results) != len(kernels):
        raise ValueError(
            _("there are {kernels} kernels but {results} results: give one result per kernel.").format(
                kernels=len(kernels), results=len(results)
            )
        )
    bad = [name for name, kernel in kernels.items() if kernel.ndim != 2]
    bad += [name for name, result in zip(kernels, results, strict=True) if result.ndim != 2]
    if bad:
        raise ValueError(_("kernels and results must be 2-d arrays (height, width); see {name!r}.").format(name=bad[0]))
    if not isinstance(pairs_per_row, int) or pairs_per_row < 1:
        raise ValueError(
            _("{name} must be a positive integer, not {value!r}.").format(name="pairs_per_row", value=pairs_per_row)
        )
    plt = _plt()
    ncols = min(pairs_per_row, len(kernels))
    nrows = -(-len(kernels) // ncols)
    # The layout in inches, fixed (no layout engine to solve): margins, kernel to result, pair to pair,
    # and above each row a gap, then the room for a pair's name and for its two axes' titles.
    margin, inner, between, titles = 0.1, 0.12, 0.35, 0.65
    room = MAX_FIGURE_WIDTH - 2 * margin - ncols * inner - (ncols - 1) * between
    size = min(size or 2.2, room / (2 * ncols))  # A row of pairs fits the notebook's width.
    head = 0.4 if title else 0.0
    width = 2 * margin + ncols * (2 * size + inner) + (ncols - 1) * between
    height = head + nrows * (titles + size) + 0.1
    fig = plt.figure(figsize=(width, height))
    for i, ((name, kernel), result) in enumerate(zip(kernels.items(), results, strict=True)):
        row, col = divmod(i, ncols)
        left, bottom = margin + col * (2 * size + inner + between), height - head - (row + 1) * (titles + size)
        kernel_ax = fig.add_axes((left / width, bottom / height, size / width, size / height))
        result_ax = fig.add_axes(((left + size + inner) / width, bottom / height, size / width, size / height))
        _draw_kernel(kernel_ax, kernel, _("weights (sum {total})").format(total=_weight_label(kernel.sum())))
        low, high = value_range if value_range is not None else np.percentile(result, [1, 99])
        result_ax.imshow(result, cmap="gray", vmin=low, vmax=high if high > low else low + 1)
        result_ax.set_title(_("result"), fontsize=9)
        result_ax.axis("off")
        centre, top = (left + size + inner / 2) / width, (bottom + size + titles - 0.2) / height
        fig.text(centre, top, name, ha="center", va="top", fontsize=10)  # The pair's name, above both.
    if title:
        fig.suptitle(title, y=1 - 0.08 / height, va="top")
    return fig


def show_feature_maps(maps, n=8, title=None, size=1.2):
    """Show the first `n` feature maps of each layer, one titled row per layer. Used in 06.

    The maps of a row share one grey scale (black: the row's lowest value, white: its highest), so
    a map that responds weakly looks dim beside one that responds strongly.

    Args:
        maps: a dict {row title: array (height, width, channels)}, in the order of the layers, such
            as {"after convolution 1": ...}.
        n: how many channels to show per layer (fewer if a layer has fewer).
        title: the figure's title (default: "Feature maps").
        size: the width in inches of one map (less when a row would be wider than MAX_FIGURE_WIDTH).
    Returns:
        The matplotlib Figure.
    """
    if not isinstance(maps, dict) or not maps:
        raise ValueError(
            _("show_feature_maps() needs a non-empty dict {{layer name: (height, width, channels)}}.").format()
        )
    maps = {name: np.asarray(value) for name, value in maps.items()}
    bad = [name for name, value in maps.items() if value.ndim != 3]
    if bad:
        raise ValueError(
            _("each layer's maps must be shaped (height, width, channels); {name!r} is not.").format(name=bad[0])
        )
    if not isinstance(n, int) or n < 1:
        raise ValueError(_("{name} must be a positive integer, not {value!r}.").format(name="n", value=n))
    plt = _plt()
    margin, gap, titles, head = 0.1, 0.08, 0.5, 0.4  # Inches; above each row: a gap, its title, the maps' titles.
    size = min(size, (MAX_FIGURE_WIDTH - 2 * margin - (n - 1) * gap) / n)
    width, height = 2 * margin + n * size + (n - 1) * gap, head + len(maps) * (titles + size) + 0.1
    fig = plt.figure(figsize=(width, height))
    for row, (name, value) in enumerate(maps.items()):
        bottom = height - head - (row + 1) * (titles + size)
        shown = value[..., :n]
        low, high = float(shown.min()), float(shown.max())
        for channel in range(shown.shape[-1]):
            left = margin + channel * (size + gap)
            ax = fig.add_axes((left / width, bottom / height, size / width, size / height))
            ax.imshow(shown[..., channel], cmap="gray", vmin=low, vmax=high if high > low else low + 1)
            ax.set_title(_("map {channel}").format(channel=channel), fontsize=7)
            ax.axis("off")
        map_height, map_width, channels = value.shape
        row_title = _("{name}: {channels} maps of {height}×{width}").format(
            name=name, channels=channels, height=map_height, width=map_width
        )
        fig.text(margin / width, (bottom + size + titles - 0.15) / height, row_title, va="top", fontsize=9)
    fig.suptitle(_("Feature maps") if title is None else title, y=1 - 0.08 / height, va="top")
    return fig
