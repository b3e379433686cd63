"""A core path that fits a live workshop, the decks' content (01-04), and summaries that keep answers back (01-04).

The course runs as a 3-hour workshop. Each overview states its core path ("**Core path: about 25 minutes**") and
what the optional parts add; optional parts say so in their heading, or start with `# extra code –`, and the core
path never needs a name that only an optional part defines, so an instructor can skip them all.

The Spanish notebooks (notebooks/es/) state the same minutes in the glossary's words ("**Recorrido básico: unos
25 minutos**"), label the same parts optional ("(opcional)", `# extra code –` or `# código extra –`), teach the
decks' content in the decks' words and keep the answers out of their summaries too.
"""

import builtins
import re

import pytest

from tests import notebooks
from tests.notebooks import core_minutes, section
from utils.checks import nb01, nb02, nb03, nb04
from utils.course import NOTEBOOKS

CHECKERS = {"01_tensors_and_gradients": nb01, "02_linear_regression": nb02, "03_mlp": nb03, "04_cnn": nb04}
STEMS = [notebook.stem for notebook in NOTEBOOKS]
#: Minutes for the core paths of 01-04 together: 05 and 06 take the rest of a 3-hour workshop.
CORE_BUDGET = (90, 100)
#: The 3-hour plan: getting every laptop running (stick install or Colab, the doctor), a break and a stretch, and
#: questions and a close, then the six core paths in what is left.
WORKSHOP_MINUTES, BREAK_MINUTES, SETUP_MINUTES, CLOSE_MINUTES = 180, 15, 15, 10
OPTIONAL = re.compile(r"optional[^.]*? add about (\d+) minutes", re.DOTALL)
EXTRA_CODE = "# extra code –"
#: The Spanish notebooks, by their English stem (so that each is compared with its twin).
SPANISH = {notebook.stem: notebook.path_in("es") for notebook in NOTEBOOKS}
CORE_ES = re.compile(r"\*\*Recorrido básico: unos (\d+) minutos\*\*")
OPTIONAL_ES = re.compile(r"opcional[^.]*? añaden unos (\d+) minutos", re.DOTALL)
#: How each edition marks its optional parts: a heading's word, and how optional code starts.
OPTIONAL_MARKS = {"en": ("(optional", (EXTRA_CODE,)), "es": ("(opcional", (EXTRA_CODE, "# código extra –"))}


def _spanish(stem):
    path = SPANISH[stem]
    if not path.exists():
        pytest.fail(f"{path.relative_to(path.parents[2])} does not exist yet: translate notebooks/{stem}.ipynb")
    return path


@pytest.mark.parametrize("stem", STEMS)
def test_overview_states_the_core_path_and_what_the_optional_parts_add(stem):
    overview = section(stem, "## Overview")
    assert 15 <= core_minutes(stem) <= 40, overview
    assert OPTIONAL.search(overview), "say how many minutes the optional parts add"


def test_the_core_paths_fit_a_three_hour_workshop():
    """Six core paths, the set-up, the breaks and a close fit in 3 hours; 01-04 leave 05 and 06 their share."""
    minutes = {stem: core_minutes(stem) for stem in STEMS}
    assert sum(minutes.values()) + SETUP_MINUTES + BREAK_MINUTES + CLOSE_MINUTES <= WORKSHOP_MINUTES, minutes
    first_four = sum(minutes[stem] for stem in CHECKERS)
    assert CORE_BUDGET[0] <= first_four <= CORE_BUDGET[1], f"the core paths of 01-04 add up to {first_four} minutes"


def _parts(stem, language="en"):
    """Yield (cell, optional) for every cell: optional inside an '(optional' heading's section, or extra code."""
    word, extra_code = OPTIONAL_MARKS[language]
    optional_level = None  # The heading level (number of #) of the optional section we are in, if any.
    for cell in notebooks.cells(stem):
        source = notebooks.source(cell)
        if cell["cell_type"] == "markdown":
            for line in source.splitlines():
                heading = re.match(r"(#{2,4}) ", line)
                if not heading:
                    continue
                level = len(heading.group(1))
                if optional_level is not None and level <= optional_level:
                    optional_level = None
                if optional_level is None and word in line:
                    optional_level = level
            yield cell, optional_level is not None
        else:
            yield cell, optional_level is not None or source.startswith(extra_code)


@pytest.mark.parametrize("stem", STEMS)
def test_optional_parts_are_labelled(stem):
    optional = [cell for cell, is_optional in _parts(stem) if is_optional]
    assert any(cell["cell_type"] == "code" for cell in optional), "mark at least one optional part"
    for line in notebooks.markdown(stem).splitlines():
        if line.startswith("#") and "optional" in line.lower():
            assert "(optional" in line, f"write '(optional)' in the heading: {line}"


@pytest.mark.parametrize("stem", STEMS)
def test_the_core_path_runs_without_the_optional_parts(stem):
    core, only_optional = set(dir(builtins)), set()
    for cell, is_optional in _parts(stem):
        if cell["cell_type"] != "code":
            continue
        defined, read = notebooks.names_in(notebooks.source(cell))
        if is_optional:
            only_optional |= defined - core
            continue
        missing = (read - defined - core) & only_optional
        assert not missing, (
            f"a core cell needs {sorted(missing)}, defined only in optional parts:\n{notebooks.source(cell)}"
        )
        core |= defined


DECKS_WORDS = {
    "01_tensors_and_gradients": (
        ["supervised", "unsupervised", "reinforcement", "`Const`", "`Identity`"],
        ["supervisado", "no supervisado", "refuerzo", "`Const`", "`Identity`"],
    ),
    "02_linear_regression": (
        ["cross-validation", "generalisation error", "early stopping"],
        ["validación cruzada", "error de generalización", "early stopping"],
    ),
    "03_mlp": (
        ["linearly separable", "XOR", "shallow", "backward pass", "logits", "EarlyStopping"],
        ["linealmente separable", "XOR", "superficial", "hacia atrás", "logits", "EarlyStopping"],
    ),
    "04_cnn": (["average pooling", "stride of 2"], ["average pooling", "stride de 2"]),
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("stem", DECKS_WORDS)
def test_the_decks_content_is_taught(stem, language):
    words = DECKS_WORDS[stem][language == "es"]
    markdown = " ".join(notebooks.markdown(stem if language == "en" else _spanish(stem)).split())
    for word in words:
        assert word in markdown, word


@pytest.mark.parametrize(
    ("stem", "calls"),
    [
        ("02_linear_regression", ["cross_validate(x_curve, y_curve, degree)"]),
        ("03_mlp", ["tape.gradient(loss, [W1_var, W2_var])", "from_logits=True", "keras.callbacks.EarlyStopping("]),
        ("04_cnn", ["layers.AveragePooling2D(", "strides=2"]),
    ],
)
def test_the_decks_content_runs(stem, calls):
    code = notebooks.code(stem)
    for call in calls:
        assert call in code, call


def _giveaways(problem):
    """Yield the texts that would hand the learner this exercise's answer."""
    for line in problem.solution_code.splitlines():
        line = line.strip()
        if line.startswith(("#", "@", "def ", "import ", "from ")) or ".check(" in line:
            continue
        value = line.split(" = ", 1)[1] if re.match(r"\w+ = ", line) else line
        value = value.strip("\"'")
        if len(value) >= 12:
            yield value
    yield from getattr(problem, "answers", ())
    expected = getattr(problem, "expected", None)
    if isinstance(expected, int | float) and not isinstance(expected, bool) and expected >= 10:
        if float(expected).is_integer():
            yield from (f"{int(expected)}", f"{int(expected):,}")


@pytest.mark.parametrize("stem", CHECKERS)
def test_the_summary_does_not_give_away_an_exercise_answer(stem):
    summary = section(stem, "## Summary")
    problems = [getattr(CHECKERS[stem], name) for name in dir(CHECKERS[stem]) if re.fullmatch(r"q\d+", name)]
    assert problems
    for problem in problems:
        for giveaway in _giveaways(problem):
            assert not re.search(rf"(?<![\w.,]){re.escape(giveaway)}(?![\w,])", summary), (problem.title, giveaway)


@pytest.mark.parametrize("stem", STEMS)
def test_the_spanish_overview_states_the_same_minutes(stem):
    overview = section(_spanish(stem), "## Presentación")
    english = section(stem, "## Overview")
    core = CORE_ES.search(overview)
    assert core, "state the core path as '**Recorrido básico: unos N minutos**' (docs/glossary.es.md)"
    assert int(core.group(1)) == core_minutes(stem), "the same minutes as the English overview"
    optional = OPTIONAL_ES.search(overview)
    assert optional, "say how many minutes the optional parts add: '... (opcional) ... añaden unos N minutos'"
    assert optional.group(1) == OPTIONAL.search(english).group(1), "the same minutes as the English overview"


@pytest.mark.parametrize("stem", STEMS)
def test_the_spanish_notebook_labels_the_same_parts_optional(stem):
    english = {cell.get("id"): optional for cell, optional in _parts(stem)}
    spanish = {cell.get("id"): optional for cell, optional in _parts(_spanish(stem), "es")}
    differ = [
        f"cell {cell_id}: {'optional' if optional else 'core'} in English"
        for cell_id, optional in english.items()
        if spanish.get(cell_id, optional) != optional
    ]
    assert not differ, "label the optional parts as English does ('(opcional)', '# código extra –'):\n" + "\n".join(
        differ
    )
    for line in notebooks.markdown(_spanish(stem)).splitlines():
        if line.startswith("#") and "opcional" in line.lower():
            assert "(opcional" in line, f"write '(opcional)' in the heading: {line}"


@pytest.mark.parametrize("stem", CHECKERS)
def test_the_spanish_summary_does_not_give_away_an_exercise_answer(stem):
    summary = section(_spanish(stem), "## Resumen")
    problems = [getattr(CHECKERS[stem], name) for name in dir(CHECKERS[stem]) if re.fullmatch(r"q\d+", name)]
    for problem in problems:
        for giveaway in _giveaways(problem):
            assert not re.search(rf"(?<![\w.,]){re.escape(giveaway)}(?![\w,])", summary), (problem.title, giveaway)
