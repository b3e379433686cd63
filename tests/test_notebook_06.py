"""Notebook 06 beyond nbval: the CNN it shows with and without notebook 04's model, and the kernel explorer.

nbval runs the notebook once, with whatever models/ holds (the suite runs 04 first, so 04's CNN).
These tests run the relevant sections in a fresh kernel with utils.models.MODELS_DIR pointed at an
empty folder, as on a fresh Colab runtime, then at a folder holding a CNN shaped like 04's; and
they drive the explorer's widgets from code.
"""

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from tests import notebooks

NOTEBOOK = notebooks.path("06_filters")
CNN_SECTION = "## What a trained CNN learned"
EXPLORER_SECTION = "## Kernel explorer (optional)"
TIMEOUT_S = 300
#: The tests that run the notebook's cells in a kernel: the `notebooks` tier, out of the fast loop.
RUNS_THE_NOTEBOOK = pytest.mark.notebooks


def _code_cells(*sections):
    """Return the sources of the Setup cells and of the code cells of the given `## ` sections, in order."""
    return notebooks.code_under(NOTEBOOK, "## Setup", *sections)


def _run(sources):
    """Execute code cells in a fresh kernel started from the notebooks folder; return the executed cells."""
    metadata = notebooks.read(NOTEBOOK).metadata
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


ROWS_PROBE = 'print("feature-map rows:", list(maps))'


@pytest.fixture(scope="module")
def cnn_runs(tmp_path_factory):
    """Run the CNN section twice in one kernel: models/ empty (the fallback), then holding a 04-like CNN.

    Returns the executed cells of both runs, each followed by a cell that prints the feature maps' row
    titles; the fallback run is also followed by its training cell, run a second time.
    """
    empty, with_model = tmp_path_factory.mktemp("empty_models"), tmp_path_factory.mktemp("models")
    _save_a_04_like_model(with_model)
    section = _code_cells(CNN_SECTION)
    setup, body = section[:2], section[2:]
    training = next(source for source in body if ".fit(" in source)
    point_at = "from pathlib import Path\n\nimport utils.models\n\nutils.models.MODELS_DIR = Path({!r})"
    fallback = [point_at.format(str(empty)), *body, ROWS_PROBE, training]
    executed = _run([*setup, *fallback, point_at.format(str(with_model)), *body, ROWS_PROBE])
    n = len(body)
    return executed[3 : 3 + n + 2], executed[3 + n + 3 :]


def _losses(cell):
    """Return the loss of each epoch in a training cell's Keras log (verbose=2)."""
    return [float(loss) for loss in re.findall(r"- loss: ([\d.]+)", _text(cell))]


@RUNS_THE_NOTEBOOK
def test_without_04s_model_the_notebook_trains_a_small_cnn_and_shows_it(cnn_runs):
    fallback, _ = cnn_runs
    fallback = fallback[:-1]  # Without the training cell's second run.
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


@RUNS_THE_NOTEBOOK
def test_running_the_fallback_training_cell_again_trains_afresh_rather_than_continuing(cnn_runs):
    fallback, _ = cnn_runs
    first, again = next(cell for cell in fallback if ".fit(" in cell.source), fallback[-1]
    assert again.source == first.source and "build_small_cnn()" in first.source
    first_losses, losses_again = _losses(first), _losses(again)
    assert len(first_losses) == 2 and len(losses_again) == 2, _text(again)
    # A model that continued training would start its second run well below the first run's first epoch.
    assert losses_again == pytest.approx(first_losses, rel=0.02), (first_losses, losses_again)
    _assert_quiet([again])


@RUNS_THE_NOTEBOOK
@pytest.mark.parametrize("run", ["without 04's model", "with 04's model"])
def test_feature_map_rows_are_titled_by_what_they_are_not_by_keras_names(cnn_runs, run):
    fallback, loaded = cnn_runs
    probe = fallback[-2] if run == "without 04's model" else loaded[-1]
    assert probe.source == ROWS_PROBE
    rows = ["after convolution 1", "after max pooling 1", "after convolution 2", "after max pooling 2"]
    assert _text(probe) == f"feature-map rows: {rows}\n"


@RUNS_THE_NOTEBOOK
def test_with_04s_model_the_notebook_shows_it_and_finds_its_convolutions_by_type(cnn_runs):
    _, loaded = cnn_runs
    loaded = loaded[:-1]  # Without the probe of the feature maps' rows.
    text = "\n".join(_text(cell) for cell in loaded)
    assert "Showing notebook 04's CNN, loaded from 04_cnn.keras." in text
    assert "Epoch" not in text and "small CNN" not in text
    assert "conv1: 4 filters of 3×3, feature maps shaped (28, 28, 4)" in text
    assert "conv2: 6 filters of 3×3, feature maps shaped (14, 14, 6)" in text
    assert sum(_has_figure(cell) for cell in loaded) == 2
    _assert_quiet(loaded)


EXPLORER_DRIVE = """
drawn = []
_draw = show_kernel_results
def show_kernel_results(kernels, results, *args, **kwargs):
    drawn.append(next(iter(kernels.values())).tolist())
    return _draw(kernels, results, *args, **kwargs)
def state(what):
    print(json.dumps([what, len(drawn), [box.value for box in boxes], message.value, drawn[-1] if drawn else None]))
import json
print(json.dumps([type(boxes[0]).__name__, all(box.continuous_update for box in boxes), pasted.continuous_update]))
preset.value = "box blur"
state("preset")
boxes[4].value = "2/9"
state("a fraction")
boxes[4].value = "2/"
state("half a fraction")
pasted.value = "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]"
state("pasted")
pasted.value = "[[1, 2], [3, 4]]"
state("pasted badly")
pasted.value = ""
state("paste box emptied")
boxes[0].value = "0.5"
state("a decimal")
"""


@pytest.fixture(scope="module")
def explorer():
    """Run the cells the explorer needs, then type into its boxes and paste into its paste box from code."""
    cells = _code_cells("## Convolution by hand", "## Classic kernels on a real photo", EXPLORER_SECTION)
    executed = _run([*cells, EXPLORER_DRIVE])
    kinds, *states = [json.loads(line) for line in _text(executed[-1]).splitlines()]
    return executed, kinds, {what: rest for what, *rest in states}


@RUNS_THE_NOTEBOOK
def test_the_explorer_shows_its_widgets_with_what_to_do_after_a_restart(explorer):
    executed, kinds, _ = explorer
    shown = [cell for cell in executed if "display(widgets.HBox" in cell.source]
    assert len(shown) == 1
    data = [output.get("data", {}) for output in shown[0].outputs]
    assert any("application/vnd.jupyter.widget-view+json" in d for d in data), shown[0].outputs
    # A plain Markdown line, not a widget: after a restart it still shows, beside the dead explorer.
    notes = [d["text/markdown"] for d in data if "text/markdown" in d]
    assert len(notes) == 1 and "If the explorer stops responding (after a kernel restart" in notes[0], data
    assert "run this cell again" in notes[0] and "*Run > Run All Above Selected Cell*" in notes[0]
    assert not [o for o in shown[0].outputs if o.output_type == "stream"], "the explorer prints nothing"
    _assert_quiet(executed)
    assert kinds == ["Text", True, True], "text boxes that take 1/9 and apply each keystroke, not number boxes"


@RUNS_THE_NOTEBOOK
def test_the_explorer_reads_fractions_and_decimals_as_typed(explorer):
    _, _, states = explorer
    assert states["preset"] == [1, ["1/9"] * 9, "", [[1 / 9] * 3] * 3], "a preset fills the grid, then redraws once"
    count, boxes, message, kernel = states["a fraction"]
    assert count == 2 and boxes[4] == "2/9" and message == "", "editing a weight redraws once, with the new kernel"
    assert kernel[1] == pytest.approx([1 / 9, 2 / 9, 1 / 9]), "2/9 is two ninths, not 29"
    count, boxes, message, kernel = states["a decimal"]
    assert count == 4 and message == "" and kernel[0] == [0.5, 0, 1], "a good weight clears the message"


@RUNS_THE_NOTEBOOK
def test_the_explorer_refuses_what_is_not_a_number_with_a_visible_message(explorer):
    _, _, states = explorer
    count, boxes, message, kernel = states["half a fraction"]
    assert count == 2, "no picture from a weight that is not a number: the last kernel stays"
    assert 'row 2, column 2 is "2/", which is not a number: type one such as 2, -1, 0.5 or 1/9' in message
    assert message.startswith('<div style="color: #b00020;'), "the message is shown in red"


@RUNS_THE_NOTEBOOK
def test_a_kernel_pasted_into_the_explorer_fills_the_nine_boxes(explorer):
    _, _, states = explorer
    sobel = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert states["pasted"] == [3, ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"], "", sobel], "one redraw"
    count, boxes, message, _ = states["pasted badly"]
    assert count == 3 and boxes == states["pasted"][1], "a bad paste changes neither the boxes nor the picture"
    assert "The pasted kernel has 2 rows of 2, 2 weights, not 3 rows of 3" in message
    assert states["paste box emptied"][:3] == [3, boxes, message], "emptying the paste box changes nothing"


def test_the_notebook_says_how_to_use_the_explorer_and_keeps_no_widget_state():
    assert "widgets" not in notebooks.metadata(NOTEBOOK), (
        "no saved widget state: after a restart it would show a dead copy"
    )
    markdown = notebooks.markdown(NOTEBOOK)
    explorer = markdown[markdown.index(EXPLORER_SECTION) : markdown.index("## Exercises")]
    for words in ("as you type", "2, -1, 0.5, 1/9", "paste it into the box under the grid", "After a kernel restart"):
        assert words in " ".join(explorer.split()), words
