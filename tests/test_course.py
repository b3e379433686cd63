"""utils.course: the notebook list, the course's identity as data, and one command that writes it everywhere."""

import json
import re
import shutil
from pathlib import Path

import pytest

from utils import ROOT, course

#: What `python -m utils.course` reads and writes, copied for the tests that change them.
COPIED = ["README.md", "notebooks", course.IDENTITY_FILE, course.SETUP_TEMPLATE]


def test_every_badge_and_setup_cell_names_the_same_repository_and_ref():
    found = course.addresses()
    assert list(found) == [(course.REPOSITORY, course.REF)], found
    places = found[(course.REPOSITORY, course.REF)]
    assert any("README.md (Binder badge)" == place for place in places)
    for notebook in course.NOTEBOOKS:
        assert f"notebooks/{notebook.name} (Colab badge)" in places
        assert f"notebooks/{notebook.name} (Setup cell)" in places
    assert course.main(["--check"]) == 0


def test_the_identity_is_data_not_source():
    data = json.loads((ROOT / course.IDENTITY_FILE).read_text(encoding="utf-8"))
    assert data == {"repository": course.REPOSITORY, "ref": course.REF}
    assert course.read_identity() == (course.REPOSITORY, course.REF)
    for path in (ROOT / "utils" / "course.py", ROOT / course.SETUP_TEMPLATE):
        assert course.REPOSITORY not in path.read_text(encoding="utf-8"), f"{path.name} names the repository"


@pytest.fixture
def copy_of_the_course(tmp_path, monkeypatch):
    """README, notebooks, the identity and the Setup cell's template copied to tmp_path, with course.ROOT there."""
    for name in COPIED:
        if (ROOT / name).is_dir():
            # The English course; the Spanish edition's part is tests/test_translation.py's.
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "es"))
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.setattr(course, "ROOT", tmp_path)
    return tmp_path


def _files(root):
    """Return {path relative to root: bytes} for every file below root."""
    return {path.relative_to(root): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _changed_lines(before, after):
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new), "lines change in place: none is added or removed"
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_one_command_moves_every_badge_and_setup_cell(copy_of_the_course, capsys):
    before = _files(copy_of_the_course)
    places = sum(len(where) for where in course.addresses().values())
    assert course.main(["--repository", "a-school/dl-course", "--ref", "workshop-2026-12"]) == 0
    found = course.addresses()
    assert list(found) == [("a-school/dl-course", "workshop-2026-12")]
    assert len(found[("a-school/dl-course", "workshop-2026-12")]) == places
    assert course.read_identity() == ("a-school/dl-course", "workshop-2026-12")
    assert "a-school/dl-course @ workshop-2026-12" in capsys.readouterr().out
    after = _files(copy_of_the_course)
    assert set(after) == set(before), "no file is added (no temporary file is left behind)"
    for name in (course.IDENTITY_FILE, "README.md", "notebooks/01_tensors_and_gradients.ipynb"):
        assert (copy_of_the_course / name).stat().st_mode == (ROOT / name).stat().st_mode, f"{name} keeps its mode"
    assert after[Path(course.SETUP_TEMPLATE)] == before[Path(course.SETUP_TEMPLATE)]
    for notebook in course.NOTEBOOKS:
        name = Path("notebooks", notebook.name)
        changed = _changed_lines(before[name], after[name])
        assert len(changed) == 2, f"{notebook.name}: only its badge and its Setup cell's REPO line change: {changed}"
    assert course.stale_setup_cells() == []


def test_writing_the_course_as_it_is_changes_no_byte(copy_of_the_course):
    """The template and the identity render every notebook's Setup cell exactly as committed."""
    before = _files(copy_of_the_course)
    assert course.main(["--write"]) == 0
    assert _files(copy_of_the_course) == before


def test_an_edited_template_reaches_every_notebook_with_one_command(copy_of_the_course, capsys):
    template = copy_of_the_course / course.SETUP_TEMPLATE
    template.write_text("# This same cell works\n" + template.read_text())
    assert course.main(["--check"]) == 1
    out = capsys.readouterr().out
    for notebook in course.NOTEBOOKS:
        assert f"notebooks/{notebook.name}: its first code cell is not the Setup cell" in out
    assert "python -m utils.course --write" in out
    assert course.main(["--write"]) == 0
    assert course.stale_setup_cells() == []
    for notebook in course.NOTEBOOKS:
        cells = json.loads((copy_of_the_course / "notebooks" / notebook.name).read_text(encoding="utf-8"))["cells"]
        setup = next(cell for cell in cells if cell["cell_type"] == "code")
        assert setup["source"][0].startswith("# This same cell works"), notebook.name
        assert 'LANGUAGE = "en"\n' in setup["source"], notebook.name


def test_a_notebook_whose_first_code_cell_is_not_the_setup_cell_stops_the_command(copy_of_the_course):
    path = copy_of_the_course / "notebooks" / course.NOTEBOOKS[-1].name
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = next(i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code")
    notebook["cells"].insert(first, {**notebook["cells"][first], "source": ["x = 1"]})
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    before = _files(copy_of_the_course)
    with pytest.raises(ValueError, match="first code cell is not a Setup cell"):
        course.main(["--ref", "v2"])
    assert _files(copy_of_the_course) == before, "nothing is written, not even the identity"


@pytest.mark.parametrize(("args", "message"), [(["--repository", "no-slash"], "owner/name"), (["--ref", "a b"], "tag")])
def test_bad_arguments_say_what_is_expected(copy_of_the_course, args, message):
    before = _files(copy_of_the_course)
    with pytest.raises(ValueError, match=message):
        course.main(args)
    assert _files(copy_of_the_course) == before


@pytest.mark.parametrize("data", [{"repository": "no-slash", "ref": "main"}, {"repo": "a/b", "ref": "main"}, []])
def test_a_bad_identity_file_says_what_it_must_hold(copy_of_the_course, data):
    (copy_of_the_course / course.IDENTITY_FILE).write_text(json.dumps(data))
    with pytest.raises(ValueError, match="owner/name"):
        course.read_identity()


def test_check_fails_when_one_place_disagrees(copy_of_the_course, capsys):
    readme = copy_of_the_course / "README.md"
    readme.write_text(readme.read_text().replace("/blob/main/notebooks/01", "/blob/old/notebooks/01", 1))
    assert course.main(["--check"]) == 1
    assert "disagree" in capsys.readouterr().out


def test_check_fails_when_the_identity_file_disagrees_with_every_badge(copy_of_the_course, capsys):
    (copy_of_the_course / course.IDENTITY_FILE).write_text(json.dumps({"repository": "a/b", "ref": "v1"}))
    assert course.main(["--check"]) == 1
    assert "disagree with utils/course.json (a/b @ v1)" in capsys.readouterr().out


def test_each_notebooks_declared_facts_match_the_notebook():
    """What utils/course.py says of a notebook (the model it saves, its workload) is what the notebook does."""
    for notebook in course.NOTEBOOKS:
        text = notebook.path.read_text(encoding="utf-8")
        assert notebook.workload in ("mlp", "cnn"), notebook.stem
        if notebook.saves:
            assert "save_model(" in text and f'\\"{notebook.saves}\\")' in text, notebook.stem
        else:
            assert "save_model(" not in text, f"{notebook.stem} saves a model: declare it as saves="
        assert notebook.key_result and len(notebook.key_result) == 3, notebook.stem


def test_each_notebook_names_its_spanish_edition_once():
    """One list: each Notebook knows its Spanish file, badge and key result; nothing else lists them."""
    for notebook in course.NOTEBOOKS:
        spanish = notebook.edition("es")
        assert spanish.name == notebook.name_in("es") and spanish.number == notebook.number
        assert spanish.path == ROOT / "notebooks" / "es" / spanish.name
        assert spanish.colab_url.endswith(f"/notebooks/es/{spanish.name}")
        assert notebook.colab_badge("es").startswith("[![Abrir en Colab](")
        assert spanish.key_result[0] == notebook.key_result[0] and spanish.key_result[2] == notebook.key_result[2]
        if spanish.path.exists():  # Its key result's words are those its own print() writes.
            words = re.split(r"[(\[]", spanish.key_result[1])[0]
            assert words and words in spanish.path.read_text(encoding="utf-8"), (spanish.stem, words)
