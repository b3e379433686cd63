"""utils.course: the notebook list, and one command that moves the course's address and ref."""

import shutil

import pytest

from utils import ROOT, course


def test_every_badge_and_setup_cell_names_the_same_repository_and_ref():
    found = course.addresses()
    assert list(found) == [(course.REPOSITORY, course.REF)], found
    places = found[(course.REPOSITORY, course.REF)]
    assert any("README.md (Binder badge)" == place for place in places)
    for notebook in course.existing_notebooks():
        assert f"notebooks/{notebook.name} (Colab badge)" in places
    assert course.main(["--check"]) == 0


@pytest.fixture
def copy_of_the_course(tmp_path, monkeypatch):
    """README, notebooks and utils/course.py copied to tmp_path, with course.ROOT pointing there."""
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (tmp_path / "utils").mkdir()
    shutil.copy(ROOT / "utils" / "course.py", tmp_path / "utils" / "course.py")
    monkeypatch.setattr(course, "ROOT", tmp_path)
    return tmp_path


def test_one_command_moves_every_badge_and_setup_cell(copy_of_the_course, capsys):
    assert course.main(["--repository", "a-school/dl-course", "--ref", "workshop-2026-12"]) == 0
    found = course.addresses()
    assert list(found) == [("a-school/dl-course", "workshop-2026-12")]
    assert len(found[("a-school/dl-course", "workshop-2026-12")]) == sum(len(v) for v in course_addresses_here())
    text = (copy_of_the_course / "utils" / "course.py").read_text()
    assert 'REPOSITORY = "a-school/dl-course"' in text and 'REF = "workshop-2026-12"' in text
    assert "a-school/dl-course @ workshop-2026-12" in capsys.readouterr().out


def course_addresses_here():
    """The places found in the real checkout (same files as the copy)."""
    original = course.ROOT
    course.ROOT = ROOT
    try:
        return list(course.addresses().values())
    finally:
        course.ROOT = original


@pytest.mark.parametrize(("args", "message"), [(["--repository", "no-slash"], "owner/name"), (["--ref", "a b"], "tag")])
def test_bad_arguments_say_what_is_expected(copy_of_the_course, args, message):
    with pytest.raises(ValueError, match=message):
        course.main(args)


def test_check_fails_when_one_place_disagrees(copy_of_the_course, capsys):
    readme = copy_of_the_course / "README.md"
    readme.write_text(readme.read_text().replace("/blob/main/notebooks/01", "/blob/old/notebooks/01", 1))
    assert course.main(["--check"]) == 1
    assert "disagree" in capsys.readouterr().out


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
