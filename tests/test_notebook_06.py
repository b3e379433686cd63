"""Notebook 06 beyond nbval: the CNN it shows with and without notebook 04's model, and the kernel explorer.

nbval runs the notebook once, with whatever models/ holds (the suite runs 04 first, so 04's CNN).
These tests run the relevant sections in a fresh kernel with utils.models.MODELS_DIR pointed at an
empty folder, as on a fresh Colab runtime, then at a folder holding a CNN shaped like 04's; and
they drive the explorer's widgets from code.
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient

from utils import ROOT

NOTEBOOK = ROOT / "notebooks" / "06_filters.ipynb"
CNN_SECTION = "## What a trained CNN learned"
EXPLORER_SECTION = "## Kernel explorer (optional)"
TIMEOUT_S = 300


def _code_cells(*sections):
    """Return the sources of the Setup cells and of the code cells of the given `## ` sections, in order."""
    wanted, current, cells = {"## Setup", *sections}, None, []
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "markdown":
            headings = [line for line in cell.source.splitlines() if line.startswith("## ")]
            current = headings[-1] if headings else current
        elif current in wanted:
            cells.append(cell.source)
    return cells


def _run(sources):
    """Execute code cells in a fresh kernel started from the notebooks folder; return the executed cells."""
    metadata = nbformat.read(NOTEBOOK, as_version=4).metadata
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources], metadata=metadata)
    NotebookClient(notebook, timeout=TIMEOUT_S, resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return notebook.cells


def _text(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def _assert_quiet(cells):
    """No cell wrote to stderr (TensorFlow logs, warnings): a learner would see red boxes."""
    for cell in cells:
        noise = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not noise, f"stderr from:\n{cell.source}\n{noise}"


def _has_figure(cell):
    return any("image/png" in o.get("data", {}) for o in cell.outputs)


def _save_a_04_like_model(folder):
    """Save an untrained CNN shaped like notebook 04's (rescaling, reshape, augmentation, batch norm)."""
    import keras
    from keras import layers

    augment = keras.Sequential([layers.RandomRotation(0.03), layers.RandomZoom(0.08)], name="augment")
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Rescaling(1 / 255),
            layers.Reshape((28, 28, 1)),
            augment,
            layers.Conv2D(4, 3, padding="same", use_bias=False, name="conv1"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(6, 3, padding="same", use_bias=False, name="conv2"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ],
        name="cnn",
    )
    model.save(folder / "04_cnn.keras")


@pytest.fixture(scope="module")
def cnn_runs(tmp_path_factory):
    """Run the CNN section twice in one kernel: models/ empty (the fallback), then holding a 04-like CNN."""
    empty, with_model = tmp_path_factory.mktemp("empty_models"), tmp_path_factory.mktemp("models")
    _save_a_04_like_model(with_model)
    section = _code_cells(CNN_SECTION)
    setup, body = section[:2], section[2:]
    point_at = "from pathlib import Path\n\nimport utils.models\n\nutils.models.MODELS_DIR = Path({!r})"
    executed = _run([*setup, point_at.format(str(empty)), *body, point_at.format(str(with_model)), *body])
    return executed[3 : 3 + len(body)], executed[4 + len(body) :]


def test_without_04s_model_the_notebook_trains_a_small_cnn_and_shows_it(cnn_runs):
    fallback, _ = cnn_runs
    text = "\n".join(_text(cell) for cell in fallback)
    assert "04_cnn.keras is missing (run notebook 04" in text
    assert re.search(r"Epoch 2/2", text) and "Showing the small CNN trained just now." in text
    assert "conv1: 16 filters of 3×3" in text and "conv2: 32 filters of 3×3" in text
    accuracy = float(re.search(r"small_cnn reads ([\d.]+)% of the 1,000", text).group(1))
    assert accuracy > 50, "two epochs on 2,000 digits should read most test digits right"
    figures = [cell for cell in fallback if _has_figure(cell)]
    assert len(figures) == 2, "the first-layer kernels and the feature maps are drawn"
    assert "show_filters(" in figures[0].source and "show_feature_maps(" in figures[1].source
    _assert_quiet(fallback)


def test_with_04s_model_the_notebook_shows_it_and_finds_its_convolutions_by_type(cnn_runs):
    _, loaded = cnn_runs
    text = "\n".join(_text(cell) for cell in loaded)
    assert "Showing notebook 04's CNN, loaded from 04_cnn.keras." in text
    assert "Epoch" not in text and "small CNN" not in text
    assert "conv1: 4 filters of 3×3, feature maps shaped (28, 28, 4)" in text
    assert "conv2: 6 filters of 3×3, feature maps shaped (14, 14, 6)" in text
    assert sum(_has_figure(cell) for cell in loaded) == 2
    _assert_quiet(loaded)


def test_the_kernel_explorer_shows_widgets_and_redraws_once_per_change():
    cells = _code_cells("## Convolution by hand", "## Classic kernels on a real photo", EXPLORER_SECTION)
    drive = """
drawn = []
_draw = show_kernel_results
def show_kernel_results(kernels, results, *args, **kwargs):
    drawn.append(next(iter(kernels.values())).tolist())
    return _draw(kernels, results, *args, **kwargs)
preset.value = "box blur"
print(len(drawn), [round(box.value, 4) for box in boxes])
boxes[4].value = 2.0
print(len(drawn), drawn[-1][1])
"""
    executed = _run([*cells, drive])
    shown = [cell for cell in executed if "display(widgets.HBox" in cell.source]
    assert len(shown) == 1
    kinds = [kind for output in shown[0].outputs for kind in output.get("data", {})]
    assert "application/vnd.jupyter.widget-view+json" in kinds, shown[0].outputs
    assert not [o for o in shown[0].outputs if o.output_type == "stream"], "the explorer prints nothing"
    _assert_quiet(executed)
    one_redraw, edited = _text(executed[-1]).splitlines()
    assert one_redraw == f"1 {[0.1111] * 9}", "a preset fills the grid, then redraws once"
    assert edited == "2 [0.1111, 2.0, 0.1111]", "editing a weight redraws once, with the new kernel"
