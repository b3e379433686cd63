"""Notebook 05 beyond nbval: fair comparisons, honest prose, fresh training cells and restart advice that fits.

nbval runs the notebook once; these tests read its cells (and build its models, without training
them) to check what a learner is told: that the two autoencoders it compares are trained alike, that
a training cell run twice starts afresh, that no answer is given away, and that the cells the
restart advice names are the ones the exercises need.
"""

import ast
import builtins
import re

import numpy as np
import pytest

from tests import notebooks
from utils.checks import nb05

NOTEBOOK = notebooks.path("05_autoencoder")
PIXELS = 28 * 28
_source = notebooks.source
CODE = notebooks.sources(NOTEBOOK, "code")
MARKDOWN = notebooks.markdown(NOTEBOOK)


def _calls(tree, name):
    """Yield the calls in `tree` to a function or method called `name`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == name:
                yield node


def _fit_cell(model_name):
    """Return the source of the core cell that trains `model_name` (not an exercise)."""
    found = [s for s in CODE if f"{model_name}.fit(" in s and ".check(" not in s]
    assert len(found) == 1, f"one cell trains {model_name}"
    return found[0]


def _fit_arguments(model_name):
    (call,) = [c for c in _calls(ast.parse(_fit_cell(model_name)), "fit") if c.func.value.id == model_name]
    return [ast.unparse(a) for a in call.args], sorted((k.arg, ast.unparse(k.value)) for k in call.keywords)


def _definitions():
    """Return a namespace holding the notebook's functions and UPPERCASE constants, with the Setup's imports."""
    import keras
    from keras import layers

    from utils.env import set_seed

    namespace = {"keras": keras, "layers": layers, "np": np, "set_seed": set_seed}
    for source in CODE[2:]:
        tree = ast.parse(source)
        kept = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            or (isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets))
        ]
        exec(compile(ast.Module(body=kept, type_ignores=[]), str(NOTEBOOK), "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture(scope="module")
def notebook():
    return _definitions()


# The dense and the convolutional autoencoder are compared fairly.


def test_the_two_compared_autoencoders_are_trained_alike():
    dense, conv = _fit_arguments("dense_autoencoder"), _fit_arguments("conv_autoencoder")
    assert dense == conv, "the same data, epochs, batch size and validation for both"
    keywords = dict(dense[1])
    assert "epochs" in keywords and "validation_split" in keywords and keywords.get("verbose") == "2"
    for name in ("build_dense_autoencoder", "build_conv_autoencoder"):
        (source,) = [s for s in CODE if f"def {name}(" in s]
        assert "compile_autoencoder(" in source, f"{name} compiles with the shared function (same optimiser)"


def test_the_two_compared_codes_are_of_similar_size_and_both_compiled_alike(notebook):
    dense, conv = notebook["build_dense_autoencoder"](), notebook["build_conv_autoencoder"]()
    sizes = [int(np.prod(model.layers[0].outputs[0].shape[1:])) for model in (dense, conv)]
    assert sizes[0] == 32 and 0.75 <= sizes[1] / sizes[0] <= 1.5, f"code sizes {sizes}"
    for model in (dense, conv):
        assert type(model.optimizer).__name__ == "Adam"
        assert float(model.optimizer.learning_rate) == pytest.approx(float(dense.optimizer.learning_rate))
        assert model.loss == dense.loss


def test_the_conv_encoder_keeps_the_decks_layers_up_to_its_third_pooling(notebook):
    """Exercise 1 asks about the decks' code: 64 feature maps of 3 × 3 after the third max pooling."""
    encoder = notebook["build_conv_encoder"]()
    pools = [layer for layer in encoder.layers if type(layer).__name__ == "MaxPooling2D"]
    assert len(pools) == 3 and tuple(pools[-1].output.shape[1:]) == (3, 3, 64)
    assert nb05.q1.expected == pytest.approx(PIXELS / np.prod(pools[-1].output.shape[1:]))


def test_the_comparison_prose_states_no_winner_the_cells_do_not_print():
    assert "although its code is larger" not in MARKDOWN
    assert "rebuilds every class better" not in MARKDOWN
    comparison = next(s for s in CODE if "errors_conv = reconstruction_errors" in s)
    assert "count_params()" in comparison and "digit classes" in comparison, "the counts the prose refers to"


# Re-running a training cell starts afresh.


def _names_built_in(tree):
    """Return the names assigned from a call to a build_* function in the cell."""
    built = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            calls = [c for c in ast.walk(node.value) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)]
            if calls and all(c.func.id.startswith("build_") for c in calls):
                for target in node.targets:
                    built |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return built


def test_every_training_cell_builds_a_fresh_model_before_it_fits():
    training = [s for s in CODE if ".fit(" in s]
    assert len(training) >= 6, "dense, conv, denoiser, the two wide ones, 2-D, and exercise 4"
    for source in training:
        tree = ast.parse(source)
        built = _names_built_in(tree)
        loops = {
            n.id: {e.id for e in ast.walk(loop.iter) if isinstance(e, ast.Name)}
            for loop in ast.walk(tree)
            if isinstance(loop, ast.For)
            for n in ast.walk(loop.target)
            if isinstance(n, ast.Name)
        }
        for call in _calls(tree, "fit"):
            model = call.func.value.id
            fresh = model in built or (model in loops and loops[model] and loops[model] <= built)
            assert fresh, f"`{model}.fit` runs on a model this cell did not build afresh:\n{source}"
            assigned = min(n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assign))
            assert assigned < call.lineno, source


def test_build_functions_seed_so_that_a_rerun_repeats_the_first_run(notebook):
    names = sorted(name for name in notebook if name.startswith("build_") and name != "build_small_autoencoder")
    trained = {n for s in CODE if ".fit(" in s for n in re.findall(r"\b(build_\w+)\(", s)}
    assert trained - {"build_small_autoencoder"} <= set(names)
    for name in trained - {"build_small_autoencoder"}:
        (source,) = [s for s in CODE if f"def {name}(" in s]
        assert "set_seed(" in source, f"{name} seeds, so that a re-run starts from the same weights"
        first, second = notebook[name](), notebook[name]()
        assert first is not second
        for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)


def test_each_training_log_is_labelled_when_a_cell_trains_more_than_one_model():
    for source in CODE:
        tree = ast.parse(source)
        for loop in (n for n in ast.walk(tree) if isinstance(n, ast.For)):
            fits = list(_calls(loop, "fit"))
            if fits:
                prints = [c.lineno for c in _calls(loop, "print")]
                assert prints and min(prints) < fits[0].lineno, f"print a line before each training log:\n{source}"


# The sparse autoencoder is overcomplete, and its cost is printed.


def test_the_sparse_autoencoder_is_overcomplete_and_regularised(notebook):
    plain = notebook["build_wide_autoencoder"]()
    sparse = notebook["build_wide_autoencoder"](notebook["keras"].regularizers.l1(1e-5))
    for model in (plain, sparse):
        assert model.get_layer("code").units > PIXELS, "more hidden neurons than the 784 inputs"
    assert plain.get_layer("code").activity_regularizer is None
    assert sparse.get_layer("code").activity_regularizer is not None
    assert "overcomplete" in MARKDOWN


def test_the_sparse_cost_is_printed_not_guessed():
    assert any("multiplies the reconstruction error by" in s for s in CODE)
    assert "somewhat" not in MARKDOWN
    assert not re.search(r"\b0\.0\d", MARKDOWN), "measured errors come from the cells' output, not the prose"
    assert "well below" not in MARKDOWN


# The latent space, the decks' points and figures.


def test_the_latent_space_shows_where_decoding_makes_digits():
    assert "variational" in MARKDOWN.lower() and "sampler" in MARKDOWN
    assert not re.search(r"decoding any point makes a new\s+digit", MARKDOWN)
    assert any("decoded_grid(far_low, far_high)" in s for s in CODE), "a grid reaching far outside the codes"


def test_the_decks_points_are_made():
    assert "not** what autoencoders are usually for" in MARKDOWN
    assert "stacked autoencoder" in MARKDOWN.lower()
    assert "(n − 1) × stride + kernel size" in MARKDOWN, "how a transposed convolution's output size comes about"


def test_compared_images_share_one_scale_and_the_code_heatmap_has_a_colorbar():
    calls = [s for s in CODE if "show_images(" in s]
    assert calls
    for source in calls:
        for call in _calls(ast.parse(source), "show_images"):
            assert {"vmin"} <= {k.arg for k in call.keywords}, f"give the figure one grey scale:\n{source}"
    heatmap = next(s for s in CODE if "encoder(x_test[:10])" in s and "imshow(" in s)
    assert "colorbar(" in heatmap


# Exercises: no answer in the prose, a starter cell for every step, and restart advice that fits.


def test_exercise_1_answer_is_not_in_the_markdown():
    code_size = round(PIXELS / nb05.q1.expected)
    for giveaway in (f"{code_size}", f"{code_size:,}", f"{nb05.q1.expected:.1f}", f"{nb05.q1.expected:.2f}"):
        assert not re.search(rf"(?<![\w.,]){re.escape(giveaway)}(?![\w,])", MARKDOWN), giveaway


def test_exercise_4_has_a_starter_cell_to_show_the_reconstructions():
    look = [s for s in CODE if "small_autoencoder" in s and "show_images(" in s]
    assert len(look) == 1 and "dense_autoencoder" in look[0]
    assert "isinstance(small_autoencoder, keras.Model)" in look[0], "it runs without a traceback before the exercise"


def _exercise_cells(number):
    start = next(i for i, s in enumerate(CODE) if s.startswith(f"# Exercise {number}"))
    return [s for s in CODE[start:] if f"q{number}." in s or s.startswith(f"# Exercise {number}")]


def _missing(cells, available):
    known = set(dir(builtins)) | available
    missing = set()
    for source in cells:
        defined, read = notebooks.names_in(source)
        missing |= read - defined - known
        known |= defined
    return missing


def _section_cells(heading):
    """Return the code cells under a `## ` heading, in order."""
    return notebooks.code_under(NOTEBOOK, heading)


def test_the_restart_advice_names_the_cells_each_exercise_needs():
    exercises = MARKDOWN[MARKDOWN.index("## Exercises") :]
    advice = exercises[: exercises.index("### Exercise 1")]
    assert "Exercises 1-3 need only the Setup cells" in advice
    assert "Run > Run All Above" not in advice, "running everything above would retrain every model"
    setup = _section_cells("## Setup")
    for number in (1, 2, 3):
        assert not _missing(_exercise_cells(number), _defined(setup)), f"exercise {number} needs more than the Setup"
    # Exercise 4: the Setup, the cell that sets CODE_SIZE, and the dense section down to its training cell.
    assert "`CODE_SIZE` (under *The idea*)" in advice and "*A dense autoencoder*" in advice
    assert "(`dense_autoencoder.fit`)" in advice
    (code_size,) = [s for s in _section_cells("## The idea: encoder, code, decoder") if "CODE_SIZE =" in s]
    dense = _section_cells("## A dense autoencoder")
    named = setup + [code_size] + dense[: next(i for i, s in enumerate(dense) if "dense_autoencoder.fit(" in s) + 1]
    assert not _missing(_exercise_cells(4), _defined(named)), "exercise 4 needs a cell the advice does not name"
    assert _missing(_exercise_cells(4), _defined(setup)), "exercise 4 needs more than the Setup (the test can fail)"


def _defined(cells):
    return set().union(*(notebooks.names_in(s)[0] for s in cells))
