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
