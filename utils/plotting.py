"""Plots the notebooks share; every plot gets a title and axis labels by default."""

import numpy as np
from matplotlib.ticker import MaxNLocator


def _plt():
    import matplotlib.pyplot as plt

    return plt


def show_images(images, labels=None, predictions=None, ncols=10, title=None, cmap="gray", size=1.3):
    """Show a grid of images with optional labels; wrong predictions are titled in red.

    Args:
        images: array (n, height, width) or (n, height, width, channels).
        labels: optional true labels, one per image.
        predictions: optional predicted labels, one per image.
        ncols: images per row.
        title: the figure's title.
    Returns:
        The matplotlib Figure.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(f"show_images() needs a non-empty batch shaped (n, height, width), got {images.shape}.")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values is not None and len(values) != len(images):
            raise ValueError(f"{name} has {len(values)} entries but there are {len(images)} images.")
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, not {ncols!r}.")
    plt = _plt()
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    title_lines = (labels is not None) + (predictions is not None)  # Room for each row's titles.
    figsize = (size * ncols, (size + 0.3 * title_lines) * nrows + 0.5)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
        ax.imshow(images[i], cmap=cmap)
        parts, colour = [], "black"
        if labels is not None:
            parts.append(f"label {labels[i]}")
        if predictions is not None:
            parts.append(f"pred {predictions[i]}")
            if labels is not None and predictions[i] != labels[i]:
                colour = "red"
        ax.set_title("\n".join(parts), fontsize=8, color=colour)
    fig.suptitle(title or f"{len(images)} images")
    fig.tight_layout()
    return fig


def plot_history(history, metrics=None, title="Learning curves"):
    """Plot training (and validation) curves per epoch from a Keras History or its dict.

    Args:
        history: what `model.fit()` returned, or its `.history` dict.
        metrics: names to plot (default: every metric without a "val_" prefix).
    Returns:
        The matplotlib Figure.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError("plot_history() needs what model.fit() returned (a History) or its .history dict.")
    metrics = metrics or [name for name in logs if not name.startswith("val_") and name != "learning_rate"]
    missing = [name for name in metrics if name not in logs]
    if missing:
        raise ValueError(f"No {missing} in the history; it has {sorted(logs)}.")
    plt = _plt()
    fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.5), squeeze=False)
    for ax, name in zip(axes.flat, metrics, strict=True):
        epochs = np.arange(1, len(logs[name]) + 1)
        ax.plot(epochs, logs[name], "o-", label=f"training {name}")
        if f"val_{name}" in logs:
            ax.plot(epochs, logs[f"val_{name}"], "s--", label=f"validation {name}")
        ax.set(title=name, xlabel="epoch", ylabel=name)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # Epochs are whole numbers.
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_function(functions, x_range=(-5, 5), title="Functions", xlabel="x", ylabel="f(x)", ax=None):
    """Plot one or more functions of x given as {name: callable}.

    Args:
        functions: a dict mapping a legend name to a function of a NumPy array.
        x_range: (low, high) of x.
    Returns:
        The matplotlib Axes.
    """
    if callable(functions):
        functions = {ylabel: functions}
    if not isinstance(functions, dict) or not functions:
        raise ValueError("plot_function() needs a function or a dict {name: function}.")
    low, high = x_range
    if not low < high:
        raise ValueError(f"x_range must be (low, high) with low < high, not {x_range!r}.")
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    x = np.linspace(low, high, 401)
    for name, function in functions.items():
        ax.plot(x, np.asarray(function(x)), label=name)
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_regression(x, y, predict=None, title="Linear regression", xlabel="x", ylabel="y", ax=None, label="model"):
    """Scatter the data (x, y) and, if given, the line or curve `predict(x)`.

    Args:
        x, y: 1-d arrays of the same length.
        predict: optional function mapping an array of x to predictions.
    Returns:
        The matplotlib Axes.
    """
    x, y = np.ravel(x), np.ravel(y)
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"x and y must be non-empty and the same length, got {len(x)} and {len(y)}.")
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    ax.scatter(x, y, s=12, alpha=0.6, label="data")
    if predict is not None:
        grid = np.linspace(x.min(), x.max(), 200)
        ax.plot(grid, np.ravel(predict(grid)), color="C3", lw=2, label=label)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_confusion_matrix(y_true, y_pred, labels=None, title="Confusion matrix", normalize=None, ax=None):
    """Draw the confusion matrix (rows: true class, columns: predicted class) with counts.

    Returns:
        The matplotlib Axes.
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}.")
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5))
    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=labels, normalize=normalize, ax=ax, colorbar=False, cmap="Blues"
    )
    display.ax_.set(title=title, xlabel="predicted class", ylabel="true class")
    return display.ax_


def show_filters(kernels, ncols=8, title="Filters", cmap="gray", size=1.2):
    """Show 2-d kernels or a conv layer's weights (kh, kw, in, out) as small images.

    Returns:
        The matplotlib Figure.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim == 4:  # Keras Conv2D weights: show the first input channel of each filter.
        kernels = np.moveaxis(kernels[:, :, 0, :], -1, 0)
    elif kernels.ndim == 2:
        kernels = kernels[None]
    if kernels.ndim != 3:
        raise ValueError(f"show_filters() needs kernels shaped (n, h, w) or (h, w, in, out), got {kernels.shape}.")
    return show_images(kernels, ncols=ncols, title=title, cmap=cmap, size=size)


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


def show_kernel_results(
    kernels, results, title="Kernels and what they do", pairs_per_row=3, value_range=None, size=2.2
):
    """Show each kernel (its weights written in its cells) beside the image it produced. Used in 06.

    Args:
        kernels: a dict {name: 2-d kernel}.
        results: the filtered images, one 2-d array per kernel, in the same order.
        pairs_per_row: how many (kernel, result) pairs per row.
        value_range: (black, white), the same grey scale for every result, such as (0, 255) to see
            a result get brighter or darker; by default each result gets its own scale (its 1st to
            99th percentile), so that faint edges and blurs are all visible.
    Returns:
        The matplotlib Figure.
    """
    if not isinstance(kernels, dict) or not kernels:
        raise ValueError("show_kernel_results() needs a non-empty dict {name: kernel}.")
    kernels = {name: np.asarray(kernel, dtype=float) for name, kernel in kernels.items()}
    results = [np.asarray(result, dtype=float) for result in results]
    if len(results) != len(kernels):
        raise ValueError(f"there are {len(kernels)} kernels but {len(results)} results: give one result per kernel.")
    bad = [name for name, kernel in kernels.items() if kernel.ndim != 2]
    bad += [name for name, result in zip(kernels, results, strict=True) if result.ndim != 2]
    if bad:
        raise ValueError(f"kernels and results must be 2-d arrays (height, width); see {bad[0]!r}.")
    if not isinstance(pairs_per_row, int) or pairs_per_row < 1:
        raise ValueError(f"pairs_per_row must be a positive integer, not {pairs_per_row!r}.")
    plt = _plt()
    ncols = min(pairs_per_row, len(kernels))
    nrows = -(-len(kernels) // ncols)
    fig, axes = plt.subplots(nrows, 2 * ncols, figsize=(size * 2 * ncols, size * nrows + 0.6), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, ((name, kernel), result) in enumerate(zip(kernels.items(), results, strict=True)):
        row, col = divmod(i, ncols)
        kernel_ax, result_ax = axes[row, 2 * col], axes[row, 2 * col + 1]
        kernel_ax.axis("on")
        _draw_kernel(kernel_ax, kernel, f"{name}\n(sum {_weight_label(kernel.sum())})")
        low, high = value_range if value_range is not None else np.percentile(result, [1, 99])
        result_ax.imshow(result, cmap="gray", vmin=low, vmax=high if high > low else low + 1)
        result_ax.set_title(f"{name}: result", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_feature_maps(maps, n=8, title="Feature maps", size=1.2):
    """Show the first `n` feature maps of each layer, one row per layer. Used in 06.

    Args:
        maps: a dict {layer name: array (height, width, channels)}, in the order of the layers.
        n: how many channels to show per layer (fewer if a layer has fewer).
    Returns:
        The matplotlib Figure.
    """
    if not isinstance(maps, dict) or not maps:
        raise ValueError("show_feature_maps() needs a non-empty dict {layer name: (height, width, channels)}.")
    maps = {name: np.asarray(value) for name, value in maps.items()}
    bad = [name for name, value in maps.items() if value.ndim != 3]
    if bad:
        raise ValueError(f"each layer's maps must be shaped (height, width, channels); {bad[0]!r} is not.")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, not {n!r}.")
    plt = _plt()
    fig, axes = plt.subplots(len(maps), n, figsize=(size * n, (size + 0.25) * len(maps) + 0.5), squeeze=False)
    for row, (name, value) in zip(axes, maps.items(), strict=True):
        for channel, ax in enumerate(row):
            ax.set_xticks([])
            ax.set_yticks([])
            if channel >= value.shape[-1]:
                ax.axis("off")
                continue
            ax.imshow(value[..., channel], cmap="gray")
            ax.set_title(f"map {channel}", fontsize=7)
        row[0].set_ylabel(f"{name}\n{value.shape[0]}×{value.shape[1]}×{value.shape[2]}", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
