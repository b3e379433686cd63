"""Every notebook as a learner runs it: in JupyterLab, in headless Chromium, from the Run menu.

nbval proves what the kernel computes; this module checks what the learner sees. It starts one
JupyterLab (tests/browser_lab.py) on a free local port for the whole module, on a throwaway copy of the
course (so the committed notebooks never get outputs, and models/ stays untouched), opens each notebook in
course order in a fresh workspace (the six English notebooks, then the Spanish 06,
notebooks/es/06_filtros.ipynb), chooses *Run > Run All Cells*, waits until the kernel is idle, then fails on
an error output, a code cell left unrun, TensorFlow log noise or any other stderr output (a red box), fewer
figures than the notebook draws (tests/browser_expectations.py), or a widget that does not render. In
notebook 06, English and Spanish, it checks the kernel explorer's labels are in the notebook's language,
changes its menu and one of its weights, and compares the picture's pixels before and after.

The figures and the explorer are saved as PNGs in screenshots/<notebook>/ (git-ignored), which
`python -m tests.make_screenshots` turns into the small pictures of docs/screenshots/.

Run it alone with `python -m pytest -m browser`, leave it out with `-m "not browser"`. Without
Playwright or a Chromium-family browser it is skipped, unless CI=true, where that is a failure
(.ci/run installs both). Set DL_WORKSHOP_CHROMIUM=/path/to/chromium to choose the browser.
"""

import io
import re

import pytest

from tests.browser_expectations import FIGURES, WIDGET_VIEWS
from tests.browser_lab import MISSING, SCREENSHOTS, fail_with_screenshot, in_ci, running_lab
from utils.course import NOTEBOOKS as COURSE

pytestmark = pytest.mark.browser

NOTEBOOKS = [notebook.stem for notebook in COURSE]
EXPLORER_NOTEBOOK = "06_filters"
#: The Spanish notebooks run here, as paths below notebooks/ without .ipynb: the Spanish 06 (its explorer).
SPANISH = [f"es/{notebook.stem_es}" for notebook in COURSE if notebook.stem == EXPLORER_NOTEBOOK]
#: What each edition's kernel explorer shows: its menu's label, a word of the edge kernels' names, a word of
#: every kernel name in the other language (none may show), and the words of its message for "2/".
EXPLORER_WORDS = {
    EXPLORER_NOTEBOOK: {"label": "start from", "edge": "edge", "foreign": "bordes", "not_a_number": "is not a number"},
    SPANISH[0]: {"label": "empezar por", "edge": "bordes", "foreign": "edge", "not_a_number": "no es un número"},
}
#: What TensorFlow writes when its logs are not quieted: JupyterLab shows it as red boxes.
TF_NOISE = re.compile(
    r"cuda|cuInit|cpu_feature_guard|oneDNN|TF_ENABLE_ONEDNN_OPTS|WARNING:tensorflow|absl::InitializeLog"
    r"|^[IWEF]\d{4} \d\d:\d\d:\d\d|\.cc:\d+\]",
    re.IGNORECASE | re.MULTILINE,
)
#: What JupyterLab shows where a widget should be when ipywidgets and jupyterlab_widgets do not match.
WIDGET_FAILURES = ("Loading widget...", "Click to show javascript error", "Error displaying widget")

if MISSING and not in_ci():
    pytest.skip(f"browser tests skipped: {MISSING}", allow_module_level=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab and one Chromium for the whole module (tests/browser_lab.py)."""
    with running_lab(tmp_path_factory.mktemp("browser")) as lab:
        yield lab


def _first_line(source):
    return next((line for line in source.splitlines() if line.strip()), "<empty cell>")[:100]


def _outputs(run, keep):
    """Return (cell, output) for every output of the run that `keep(output)` accepts."""
    return [(cell, output) for cell in run.cells for output in cell["outputs"] if keep(output)]


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(lab, stem):
    _assert_runs_clean(lab, stem)


def _assert_runs_clean(lab, stem):
    run = lab.run(stem)
    print(f"{stem}: Run All Cells took {run.seconds:.0f} s in the browser")
    unrun = [_first_line(c["source"]) for c in run.cells if c["count"] is None]
    errors = [
        f"{o['ename']}: {o['evalue']} in cell `{_first_line(c['source'])}`"
        for c, o in _outputs(run, lambda o: o["type"] == "error")
    ]
    assert not errors, f"{stem}: error outputs in JupyterLab:\n" + "\n".join(errors)
    assert not unrun, f"{stem}: {len(unrun)} code cells were left unrun, the first: `{unrun[0]}`"
    noisy = [
        f"`{_first_line(c['source'])}` shows {match.group(0)!r}"
        for c in run.cells
        for text in [c["shown"], *(o["text"] + o["plain"] for o in c["outputs"])]
        if (match := TF_NOISE.search(text))
    ]
    assert not noisy, f"{stem}: TensorFlow log noise in outputs:\n" + "\n".join(dict.fromkeys(noisy))
    red = [
        f"`{_first_line(c['source'])}` writes {o['text'][:200]!r}"
        for c, o in _outputs(run, lambda o: o["name"] == "stderr")
    ]
    assert not red, f"{stem}: JupyterLab shows stderr as red boxes that look like errors:\n" + "\n".join(red)
    seen = run.seen
    assert seen["broken"] == 0, f"{stem}: {seen['broken']} of {seen['figures']} figures did not load"
    assert seen["figures"] >= FIGURES[stem], (
        f"{stem}: JupyterLab shows {seen['figures']} figures, the notebook is known to draw {FIGURES[stem]} "
        "(tests/browser_expectations.py)"
    )
    _assert_widgets_render(run)


def _assert_widgets_render(run):
    stem, seen = run.stem, run.seen
    failures = [words for words in WIDGET_FAILURES if words in seen["outputText"]]
    assert not failures, (
        f"{stem}: JupyterLab shows {failures} where a widget should be: do ipywidgets and jupyterlab_widgets "
        f"match (requirements.txt)? Page errors: {run.page_errors[:3]}"
    )
    expected = WIDGET_VIEWS.get(stem, 0)
    assert run.widgets >= expected, f"{stem}: {run.widgets} outputs hold a widget, expected {expected}"
    assert seen["widgetViews"] == run.widgets, (
        f"{stem}: {run.widgets} outputs hold a widget, JupyterLab renders {seen['widgetViews']} of them. "
        f"Page errors: {run.page_errors[:3]}"
    )


def _picture(locator):
    """Return the pixels of an element as JupyterLab shows it, as an RGB Pillow image."""
    from PIL import Image

    return Image.open(io.BytesIO(locator.screenshot())).convert("RGB")


def _changed_fraction(before, after):
    """Return the fraction of pixels that differ between two screenshots of the same element."""
    from PIL import ImageChops

    assert before.size == after.size, f"the picture changed size: {before.size} -> {after.size}"
    difference = ImageChops.difference(before, after).convert("L").point(lambda value: 255 if value > 24 else 0)
    return sum(difference.histogram()[255:]) / (before.size[0] * before.size[1])


def _wait_for_new_picture(page, picture, old_src, what, stem=EXPLORER_NOTEBOOK):
    try:
        page.wait_for_function("([img, old]) => img.src !== old && img.complete", arg=[picture, old_src], timeout=30000)
    except Exception as error:  # Playwright's TimeoutError: say what the learner would have seen.
        fail_with_screenshot(page, stem, f"the explorer's picture did not change after {what}: {error}")


@pytest.mark.parametrize("stem", [EXPLORER_NOTEBOOK, *SPANISH])
def test_kernel_explorer_redraws_when_the_learner_changes_the_kernel(lab, stem):
    lab.run(stem)
    page = lab.page
    words = EXPLORER_WORDS[stem]
    explorer = page.locator(".jp-OutputArea-output .jupyter-widgets.widget-hbox").last
    menu = explorer.locator(".widget-dropdown select")
    weights = explorer.locator(".widget-text input")
    picture = explorer.locator("img")
    assert menu.count() == 1 and weights.count() == 9 and picture.count() == 1, (
        f"the explorer shows {menu.count()} menus, {weights.count()} weight boxes, {picture.count()} pictures"
    )
    options = menu.locator("option").all_text_contents()
    shown = explorer.inner_text()
    assert words["label"] in shown, f"{stem}: the explorer's menu is labelled {words['label']!r}: {shown[:200]!r}"
    assert not [option for option in options if words["foreign"] in option], f"{stem}: kernel names {options}"
    folder = SCREENSHOTS / stem
    lab.page_errors.clear()  # jupyterlab_widgets 1.1.11 logs one TypeError on opening; it is harmless.
    explorer.screenshot(path=folder / "explorer-before.png")
    before = _picture(picture)

    # A different kernel from the menu: the nine boxes take its weights and the picture is redrawn.
    chosen = next(option for option in options if option != menu.input_value() and words["edge"] in option)
    old_src = picture.get_attribute("src")
    menu.select_option(label=chosen)
    _wait_for_new_picture(page, picture.element_handle(), old_src, f'choosing "{chosen}"', stem)
    after_menu = _picture(picture)
    explorer.screenshot(path=folder / "explorer-after.png")
    changed = _changed_fraction(before, after_menu)
    assert changed > 0.02, f'choosing "{chosen}" changed {changed:.1%} of the picture\'s pixels'

    # One weight typed in, as a fraction and without Enter: the picture follows the typing.
    centre = weights.nth(4)
    old_src = picture.get_attribute("src")
    centre.fill("41/9" if centre.input_value() != "41/9" else "-41/9")
    _wait_for_new_picture(page, picture.element_handle(), old_src, "typing a new centre weight (no Enter)", stem)
    edited = _picture(picture)
    changed = _changed_fraction(after_menu, edited)
    explorer.screenshot(path=folder / "explorer-edited.png")
    assert changed > 0.02, f"a new centre weight changed {changed:.1%} of the picture's pixels"

    # Half a fraction is refused with a message, never read as another number.
    centre.fill("2/")
    message = explorer.locator(".widget-html")
    try:
        page.wait_for_function(
            "([el, words]) => el.innerText.includes(words)",
            arg=[message.last.element_handle(), words["not_a_number"]],
            timeout=15000,
        )
    except Exception as error:
        fail_with_screenshot(page, stem, f"typing 2/ showed no message with {words['not_a_number']!r}: {error}")

    # A whole kernel pasted into the box under the grid fills the nine boxes.
    old_src = picture.get_attribute("src")
    explorer.locator(".widget-textarea textarea").fill("[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]")
    _wait_for_new_picture(page, picture.element_handle(), old_src, "pasting a whole kernel", stem)
    assert [weights.nth(i).input_value() for i in (0, 3, 4, 5)] == ["-1", "-2", "0", "2"]
    assert not lab.page_errors, f"JavaScript errors while using the explorer: {lab.page_errors[:3]}"


@pytest.mark.parametrize("stem", SPANISH)
def test_spanish_notebook_runs_clean_in_jupyterlab(lab, stem):
    """After its explorer's test (the same run, when it comes next): the Spanish 06 runs as clean as the English."""
    _assert_runs_clean(lab, stem)


def test_every_notebook_has_a_small_picture_for_the_readme():
    """docs/screenshots/ holds one picture per notebook, made by `python -m tests.make_screenshots`."""
    from tests.make_screenshots import DOCS, SHOWCASE

    for stem in NOTEBOOKS:
        name, caption = SHOWCASE[stem]
        assert caption, stem
        if name.startswith("figure-"):
            assert int(name[len("figure-") : -len(".png")]) <= FIGURES[stem], f"{stem}: {name} is not drawn"
        picture = DOCS / f"{stem}.png"
        assert picture.exists(), f"{picture} is missing: run python -m tests.make_screenshots"
        assert picture.stat().st_size < 150_000, f"{picture} is over 150 KB: make it smaller"
