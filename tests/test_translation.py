"""The Spanish edition (notebooks/es/) keeps in step with the English source: cells, programs, words, badges.

Fast (no notebook runs, no TensorFlow). The tests on the real notebooks are parametrized per Spanish notebook,
so a missing or stale translation fails by name; the ones below them prove, on copies in tmp_path, that each
check catches what it is for and that `python -m utils.translation` lists and syncs what it should.
"""

import re
import shutil
import subprocess

import pytest

from utils import ROOT, course, translation
from utils.course import NOTEBOOKS

SPANISH = translation.SPANISH
#: Every Spanish notebook the course lists, by its stem (the tests' ids).
EDITIONS = {notebook.stem_es: notebook for notebook in NOTEBOOKS}
#: Where English markdown teaches an idea (its words, case-insensitive), the Spanish uses one of the decks'
#: terms (docs/glossary.es.md; the list is issue 20's).
TERMS = {
    r"\bneurons?\b": ["neurona"],
    r"\bhidden layers?\b": ["capa oculta", "capas ocultas"],
    r"\bactivation functions?\b": ["función de activación", "funciones de activación"],
    r"\bgradients?\b": ["gradiente"],
    r"\bgradient descent\b": ["descenso de gradiente", "descenso del gradiente", "gradiente descendente"],
    r"\blearning rates?\b": ["tasa de aprendizaje", "tasas de aprendizaje"],
    r"\b(?:loss|cost) functions?\b": ["función de coste", "función de costo", "función de pérdida", "funciones de"],
    r"\bperceptrons?\b": ["perceptrón", "perceptrones"],
    r"\bconvolutions?\b": ["convolución", "convoluciones"],
    r"\bfilters?\b": ["filtro"],
    r"\bfeature maps?\b": ["mapas de características", "mapa de características"],
    r"\bpooling\b": ["pooling"],
    r"\bpadding\b": ["padding"],
    r"\bstrides?\b": ["stride"],
    r"\bencoders?\b": ["codificador"],
    r"\bautoencoders?\b": ["autoencoder"],
    r"\bnoise\b": ["ruido"],
    r"\btraining\b": ["entrenamiento", "entrenar"],
    r"\bvalidation\b": ["validación"],
    r"\bweights?\b": ["peso"],
    r"\bbias(?:es)?\b": ["sesgo", "bias"],
    r"\bsupervised learning\b": ["aprendizaje supervisado"],
    r"\bunsupervised\b": ["no supervisado"],
    r"\bepochs?\b": ["época", "epoch"],
}
#: The sections every notebook has, and their Spanish titles (the glossary's).
HEADINGS = {"Overview": "Presentación", "Setup": "Preparación del entorno", "Exercises": "Ejercicios"}
HEADINGS["Summary"] = "Resumen"


def _spanish(stem_es):
    """Return (the English notebook, the Spanish one), both parsed; fail clearly while the Spanish is missing."""
    notebook = EDITIONS[stem_es]
    path = notebook.path_in(SPANISH)
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} does not exist yet: translate {notebook.name} into it")
    return translation.read(notebook.path), translation.read(path)


def _markdown(notebook):
    return "\n".join(translation.source(c) for c in notebook["cells"] if c["cell_type"] == "markdown")


def test_every_spanish_notebook_is_listed_in_the_course():
    on_disk = sorted(path.name for path in (ROOT / course.FOLDERS[SPANISH]).glob("*.ipynb"))
    listed = [notebook.name_in(SPANISH) for notebook in NOTEBOOKS]
    assert set(on_disk) <= set(listed), f"notebooks/es/ holds notebooks the course does not list: {on_disk}"
    assert [name[:3] for name in listed] == [notebook.name[:3] for notebook in NOTEBOOKS], "same numbers, same order"
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", name) for name in listed), listed


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_the_spanish_notebook_has_the_english_cells(stem_es):
    english, spanish = _spanish(stem_es)
    assert [(c.get("id"), c["cell_type"]) for c in spanish["cells"]] == [
        (c.get("id"), c["cell_type"]) for c in english["cells"]
    ], "the English cells (ids, types, order): run python -m utils.translation sync"
    assert spanish["metadata"] == english["metadata"] and spanish["nbformat"] == english["nbformat"]
    for en, es in zip(english["cells"], spanish["cells"], strict=True):
        metadata = {key: value for key, value in es.get("metadata", {}).items() if key != "translation"}
        assert metadata == en.get("metadata", {}), f"cell {es.get('id')}: the English cell's metadata"
        if es["cell_type"] == "code":
            assert es["outputs"] == [] and es["execution_count"] is None, f"cell {es.get('id')}: committed clean"


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_no_cell_is_stale_or_untranslated(stem_es):
    _spanish(stem_es)
    stale = ("structure", "stale", "untranslated")
    listed = [str(item) for item in translation.items(EDITIONS[stem_es]) if item.kind in stale]
    assert not listed, "update these Spanish cells (python -m utils.translation status):\n" + "\n".join(listed)


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_the_setup_cell_is_the_english_one_in_spanish(stem_es):
    english, spanish = _spanish(stem_es)
    first = translation.setup_index(spanish["cells"])
    assert translation.source(spanish["cells"][first]) == course.setup_cell(language=SPANISH), (
        "run python -m utils.course --write"
    )


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_each_code_cell_is_the_english_program(stem_es):
    english, spanish = _spanish(stem_es)
    theirs = {cell.get("id"): cell for cell in spanish["cells"]}
    after_setup = english["cells"][translation.setup_index(english["cells"]) + 1 :]
    pairs = {
        cell["id"]: (translation.source(cell), translation.source(theirs[cell["id"]]))
        for cell in after_setup
        if cell["cell_type"] == "code" and cell.get("id") in theirs
    }
    problems = [
        f"cell {cell_id} ({translation.first_line(ours)!r}): {problem}"
        for cell_id, (ours, translated) in pairs.items()
        for problem in translation.program_differences(ours, translated)
    ]
    pairs = list(pairs.values())
    problems += translation.key_inconsistencies(pairs)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_the_badges_open_the_spanish_notebook(stem_es):
    english, spanish = _spanish(stem_es)
    notebook = EDITIONS[stem_es]
    first = translation.source(spanish["cells"][0])
    assert notebook.colab_badge(SPANISH) in first, f"the Colab badge: {notebook.colab_badge(SPANISH)}"
    assert "Open In Colab" not in first
    if "mybinder.org" in translation.source(english["cells"][0]):
        assert f"notebooks/es/{notebook.name_in(SPANISH)}" in first.split("mybinder.org", 1)[1], "the Binder badge"


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_the_markdown_uses_the_decks_terms(stem_es):
    english, spanish = _spanish(stem_es)
    ours, theirs = " ".join(_markdown(english).split()), " ".join(_markdown(spanish).lower().split())
    missing = [
        f"{pattern} -> {' / '.join(words)}"
        for pattern, words in TERMS.items()
        if re.search(pattern, ours, re.IGNORECASE) and not any(word in theirs for word in words)
    ]
    assert not missing, "the English teaches these ideas; use the glossary's Spanish terms:\n" + "\n".join(missing)


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_no_english_section_heading_is_left(stem_es):
    _, spanish = _spanish(stem_es)
    headings = [line for line in _markdown(spanish).splitlines() if line.startswith("#")]
    english = [line for line in headings if re.search(r"\b(Overview|Setup|Exercises?|Summary|optional)\b", line)]
    assert not english, f"English headings left: {english}"
    spanish_titles = [f"## {title}" for title in HEADINGS.values()]
    found = [headings.index(title) for title in spanish_titles if title in headings]
    assert len(found) == len(spanish_titles) and found == sorted(found), f"{spanish_titles} in order: {headings}"


@pytest.mark.parametrize("stem_es", EDITIONS)
def test_prose_numbers_keep_pythons_notation(stem_es):
    english, spanish = _spanish(stem_es)
    decimals = set(re.findall(r"(?<![\d.,])\d+\.\d+(?![\d.])", _markdown(english)))
    commas = sorted(number for number in decimals if translation.has_decimal_comma(number, _markdown(spanish)))
    assert not commas, f"write the numbers as the cells print them (0.98): {commas}"


# --- Proofs: each check catches what it is for ------------------------------------------------------------------

ENGLISH_CODE = """# Train for five epochs: each one sees every digit once.
history = model.fit(x_train, y_train, epochs=5, validation_split=0.1)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
threshold = 0.98
print(f"test accuracy: {accuracy:.2%} after {len(history.epoch)} epochs")
plt.title("Training loss")
model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
#: ENGLISH_CODE faithfully translated: its comment (reflowed onto two lines) and its words, nothing else.
SPANISH_CODE = (
    ENGLISH_CODE.replace(
        "# Train for five epochs: each one sees every digit once.",
        "# Entrena durante cinco épocas: cada una ve\n# todos los dígitos una vez.",
    )
    .replace(
        '"test accuracy: {accuracy:.2%} after {len(history.epoch)} epochs"',
        '"exactitud en prueba: {accuracy:.2%} tras {len(history.epoch)} épocas"',
    )
    .replace('"Training loss"', '"Pérdida de entrenamiento"')
)


def test_a_faithful_translation_is_the_same_program():
    assert translation.program_differences(ENGLISH_CODE, SPANISH_CODE) == []


@pytest.mark.parametrize(
    ("old", "new", "caught"),
    [
        ("epochs=5", "epochs=6", "epochs=6"),
        ("threshold = 0.98", "threshold = 0,98", "threshold = (0, 98)"),
        ("validation_split=0.1", "validation_split=0,1", "does not parse"),
        ("loss, accuracy = model", "perdida, accuracy = model", "perdida"),
        ("{accuracy:.2%} tras {len(history.epoch)}", "{len(history.epoch)} tras {accuracy:.2%}", "placeholders"),
        ("{accuracy:.2%}", "{accuracy:.1%}", "placeholders"),
        ('metrics=["accuracy"]', 'metrics=["exactitud"]', "exactitud"),
        ('loss="sparse_categorical_crossentropy"', 'loss="entropía_cruzada"', "entropía_cruzada"),
        ("epochs=5, validation", "epochs=5,  validation", None),
    ],
    ids=[
        "number",
        "decimal-comma",
        "decimal-comma-in-a-call",
        "renamed-variable",
        "swapped-placeholders",
        "format-spec",
        "data-string",
        "data-keyword",
        "space",
    ],
)
def test_the_program_check_catches_a_changed_program(old, new, caught):
    changed = SPANISH_CODE.replace(old, new)
    assert changed != SPANISH_CODE
    problems = translation.program_differences(ENGLISH_CODE, changed)
    if caught is None:
        assert problems == [], "layout is not the program"
    else:
        assert problems and caught in " ".join(problems), problems


def test_a_key_may_be_a_label_but_is_translated_one_way_everywhere():
    english = ['KERNELS = {"identity": a, "box blur": b}', 'x = KERNELS["identity"]', 'y = KERNELS["box blur"]']
    spanish = ['KERNELS = {"identidad": a, "desenfoque": b}', 'x = KERNELS["identidad"]', 'y = KERNELS["box blur"]']
    pairs = list(zip(english, spanish, strict=True))
    assert all(translation.program_differences(en, es) == [] for en, es in pairs)
    assert translation.key_inconsistencies(pairs[:2]) == []
    (problem,) = translation.key_inconsistencies(pairs)
    assert "the key 'box blur' is translated in 2 ways ('box blur', 'desenfoque')" in problem


def test_english_left_in_a_translated_cell_is_found():
    english = "## Training\n\nThe model sees each digit once in every epoch.\n\n$y = w x + b$"
    spanish = "## Entrenamiento\n\nThe model sees each digit once in every epoch.\n\n$y = w x + b$"
    assert translation.english_left(english, spanish, "markdown") == ["The model sees each digit once in every epoch."]
    assert translation.english_left(english, english.replace("The model sees", "El modelo ve"), "markdown") == []
    code = 'plt.title("Loss of the model on each epoch")  # Plot the loss of the model.\nplt.plot(x, "r-")'
    spanish_code = code.replace("# Plot the loss of the model.", "# Dibuja la pérdida del modelo.")
    assert translation.english_left(code, spanish_code, "code") == ['"Loss of the model on each epoch"']


def test_numbers_in_words_keep_pythons_notation():
    problems = translation.program_differences("x = 1  # about 0.98", "x = 1  # unos 0,98")
    assert problems == ["numbers stay in Python's notation: write 0.98, not with a decimal comma"]


def test_carrying_code_over_keeps_the_spanish_of_unchanged_words():
    new_english = ENGLISH_CODE.replace("epochs=5", "epochs=8")
    code, complete = translation.carry_over(ENGLISH_CODE, SPANISH_CODE, new_english)
    assert complete and code == SPANISH_CODE.replace("epochs=5", "epochs=8")
    new_english = new_english.replace('"Training loss"', '"Training loss per epoch"')
    code, complete = translation.carry_over(ENGLISH_CODE, SPANISH_CODE, new_english)
    assert not complete, "a new title is for the translator"
    assert '"Training loss per epoch"' in code and "# Entrena durante cinco épocas" in code
    assert translation.program_differences(new_english, code) == []


@pytest.fixture
def copy_of_the_course(tmp_path, monkeypatch):
    """The English notebooks, the identity and the Setup template in tmp_path (a git repository), as the course."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("es", ".ipynb_*"))
    for name in ("README.md", course.IDENTITY_FILE, course.SETUP_TEMPLATE):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    _git(tmp_path, "init", "-q")
    _commit(tmp_path)
    monkeypatch.setattr(course, "ROOT", tmp_path)
    return tmp_path


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True)


def _commit(root):
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "a version")


def _fake_spanish(code):
    """Return `code` with "ES " put before the words of each comment and string that reads as English."""
    for unit in reversed(translation._units(code)):
        if len(translation._english_words(" ".join(unit.text))) >= 2:
            at = unit.start + 1 if unit.kind == "comment" else code.index(unit.text[0][-1], unit.start) + 1
            code = code[:at] + "ES " + code[at:]
    return code


def _translated(notebook):
    """Sync a Spanish notebook from English, then call every cell translated (here: "ES " before its words)."""
    assert translation.sync([notebook.number]) == 0
    path = notebook.path_in(SPANISH)
    spanish = translation.read(path)
    for cell in spanish["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = [f"ES {line}" if line.strip() else line for line in cell["source"]]
        elif cell is not spanish["cells"][translation.setup_index(spanish["cells"])]:
            cell["source"] = _fake_spanish(translation.source(cell)).splitlines(keepends=True)
    path.write_text(translation.dumps(spanish), encoding="utf-8")
    ids = [cell["id"] for cell in spanish["cells"]]
    assert translation.done(notebook.number, ids) == 0
    return path


def _edit_english(notebook, edit):
    english = translation.read(notebook.path)
    edit(english["cells"])
    notebook.path.write_text(translation.dumps(english), encoding="utf-8")


def test_a_changed_english_cell_names_the_spanish_notebook_and_cell(copy_of_the_course, capsys):
    notebook = NOTEBOOKS[3]
    _translated(notebook)
    assert translation.items(notebook) == []
    assert translation.main(["status", notebook.number]) == 0
    cells = translation.read(notebook.path)["cells"]
    target = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown" and i > 3)
    _edit_english(notebook, lambda cells: cells[target]["source"].append("\nOne more sentence."))
    capsys.readouterr()
    assert translation.main(["status", notebook.number]) == 1
    out = capsys.readouterr().out
    spanish_first = "ES " + translation.first_line(translation.source(cells[target]))
    assert f"notebooks/es/{notebook.name_in(SPANISH)}: cell {cells[target]['id']} ({spanish_first[:80]!r})" in out
    assert "its English text changed since it was translated" in out
    assert "+One more sentence." in out, "what changed in English, read from git history"
    assert f"python -m utils.translation done {notebook.number} {cells[target]['id']}" in out


def test_sync_follows_english_and_carries_code_over(copy_of_the_course):
    notebook = NOTEBOOKS[3]
    path = _translated(notebook)
    spanish = translation.read(path)
    code = [i for i, cell in enumerate(spanish["cells"]) if cell["cell_type"] == "code"]
    target = next(i for i in code[2:] if re.search(r"#.*\n.*\b\d+\b", translation.source(spanish["cells"][i])))
    old = translation.source(translation.read(notebook.path)["cells"][target])  # The English cell.
    translated = translation.source(spanish["cells"][target])
    assert translated != old, "the English words of the cell are translated"
    path.write_text(translation.dumps(spanish), encoding="utf-8")
    number = re.search(r"(?<![\w.])(\d+)(?![\w.])", old.split("\n", 1)[1]).group(1)

    target_id, dropped_id = spanish["cells"][target]["id"], spanish["cells"][code[-1]]["id"]
    changed = old.replace(number, str(int(number) + 1), 1)

    def edit(cells):
        cells[target]["source"] = changed.splitlines(keepends=True)
        cells[:] = [cell for cell in cells if cell["id"] != dropped_id]
        cells.insert(5, {"cell_type": "markdown", "id": "cell-new", "metadata": {}, "source": ["A new idea."]})
        cells[1], cells[2] = cells[2], cells[1]

    _edit_english(notebook, edit)
    assert translation.main(["sync", notebook.number]) == 0
    english, synced = translation.read(notebook.path), translation.read(path)
    assert [c["id"] for c in synced["cells"]] == [c["id"] for c in english["cells"]]
    assert dropped_id not in [c["id"] for c in synced["cells"]]
    setup = synced["cells"][translation.setup_index(synced["cells"])]
    assert translation.source(setup) == course.setup_cell(language=SPANISH), "sync writes the Spanish Setup cell"
    assert not list(path.parent.glob("*.tmp")), "the write is atomic: no temporary file is left"
    by_id = {c["id"]: c for c in synced["cells"]}
    carried = translation.source(by_id[target_id])
    assert carried == translated.replace(number, str(int(number) + 1), 1), "the new code, the Spanish comments"
    assert translation.translation_of(by_id[target_id]) == {"source_sha": translation.fingerprint(changed)}
    new = by_id["cell-new"]
    assert translation.translation_of(new)["untranslated"] is True and translation.source(new) == "A new idea."
    listed = [item.cell for item in translation.items(notebook)]
    assert listed == ["cell-new"], listed


def test_course_write_gives_the_spanish_setup_cell_and_check_reads_the_spanish_badge(copy_of_the_course, capsys):
    notebook = NOTEBOOKS[0]
    path = _translated(notebook)
    spanish = translation.read(path)
    setup = translation.setup_index(spanish["cells"])
    spanish["cells"][setup]["source"] = course.setup_cell().splitlines(keepends=True)  # As a translator copies it.
    path.write_text(translation.dumps(spanish), encoding="utf-8")
    assert course.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert f"notebooks/es/{notebook.name_in(SPANISH)}: its first code cell is not the Setup cell" in out
    assert f"lacks the badge {notebook.colab_badge(SPANISH)}" in out
    assert f"lacks the badge {notebook.binder_badge(SPANISH)}" in out
    assert course.main(["--write"]) == 1, "the Setup cell is written; the badge is the translator's"
    written = translation.source(translation.read(path)["cells"][setup])
    assert written == course.setup_cell(language=SPANISH)
    english = course.setup_cell().splitlines()
    differing = [(a, b) for a, b in zip(english, written.splitlines(), strict=True) if a != b]
    assert differing == [('LANGUAGE = "en"', 'LANGUAGE = "es"')]


def test_moving_the_course_moves_the_spanish_badge_and_setup_cell(copy_of_the_course):
    notebook = NOTEBOOKS[1]
    path = _translated(notebook)
    spanish = translation.read(path)
    badges = f"{notebook.colab_badge(SPANISH)} {notebook.binder_badge(SPANISH)}"
    spanish["cells"][0]["source"] = ["# 02 · Regresión lineal\n\n*Una línea.*\n\n", badges]
    path.write_text(translation.dumps(spanish), encoding="utf-8")
    assert course.badge_problems() == [] or all("02_" not in problem for problem in course.badge_problems())
    course.main(["--repository", "a-school/dl-course", "--ref", "v2"])
    moved = translation.read(path)["cells"]
    assert "github/a-school/dl-course/blob/v2/notebooks/es/02_regresion_lineal.ipynb" in translation.source(moved[0])
    assert "gh/a-school/dl-course/v2?urlpath=lab/tree/notebooks/es/02_regresion_lineal.ipynb" in translation.source(
        moved[0]
    )
    setup = translation.source(moved[translation.setup_index(moved)])
    assert setup == course.setup_cell("a-school/dl-course", "v2", SPANISH) and 'LANGUAGE = "es"' in setup


def test_the_glossary_is_in_the_repository_with_every_required_term():
    glossary = (ROOT / "docs" / "glossary.es.md").read_text(encoding="utf-8")
    rows = [line for line in glossary.splitlines() if line.startswith("| ") and line.endswith("| required |")]
    missing = [words[0] for words in TERMS.values() if not any(words[0] in row for row in rows)]
    assert not missing, f"docs/glossary.es.md marks no required row for {missing}"
    for english, spanish in HEADINGS.items():
        assert f"| {english} | {spanish} |" in glossary, english


def test_check_reads_the_spanish_readmes_badges(copy_of_the_course, capsys):
    links = "\n".join(f"[{nb.name_in(SPANISH)}]({nb.edition(SPANISH).colab_url})" for nb in NOTEBOOKS)
    binder = f"https://mybinder.org/v2/gh/{course.REPOSITORY}/{course.REF}?urlpath=lab/tree/notebooks"
    readme = copy_of_the_course / "README.es.md"
    readme.write_text(f"[![Binder](b.svg)]({binder}/es)\n{links}\n", encoding="utf-8")
    assert course.badge_problems() == []
    readme.write_text(f"[![Binder](b.svg)]({binder})\n{links.split(chr(10), 1)[1]}\n", encoding="utf-8")
    first = NOTEBOOKS[0].edition(SPANISH)
    assert course.badge_problems() == [
        "README.es.md: its Binder badge must open notebooks/es (urlpath=lab/tree/notebooks/es)",
        f"README.es.md: it lacks the Colab link of {first.name}: {first.colab_url}",
    ]
