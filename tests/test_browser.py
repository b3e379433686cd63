"""Every notebook as a learner runs it: in JupyterLab, in headless Chromium, from the Run menu.

nbval proves what the kernel computes; this module checks what the learner sees. It starts one
JupyterLab on a free local port for the whole module, on a throwaway copy of the course (so the
committed notebooks never get outputs, and models/ stays untouched), opens each notebook in course
order in a fresh workspace, chooses *Run > Run All Cells*, waits until the kernel is idle, then
fails on an error output, a code cell left unrun, TensorFlow log noise or any other stderr output
(a red box), fewer figures than the notebook draws (tests/browser_expectations.py), or a widget
that does not render. In
notebook 06 it changes the kernel explorer's menu and one of its weights, and compares the
picture's pixels before and after.

The figures and the explorer are saved as PNGs in screenshots/<notebook>/ (git-ignored), which
`python -m tests.make_screenshots` turns into the small pictures of docs/screenshots/.

Run it alone with `python -m pytest -m browser`, leave it out with `-m "not browser"`. Without
Playwright or a Chromium-family browser it is skipped, unless CI=true, where that is a failure
(.ci/run installs both). Set DL_WORKSHOP_CHROMIUM=/path/to/chromium to choose the browser.
"""

import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.browser_expectations import FIGURES, WIDGET_VIEWS
from utils import ROOT
from utils.course import existing_notebooks

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # A learner's laptop: requirements.txt has no Playwright.
    sync_playwright = None

pytestmark = pytest.mark.browser

NOTEBOOKS = [notebook.stem for notebook in existing_notebooks()]
EXPLORER_NOTEBOOK = "06_filters"
SCREENSHOTS = ROOT / "screenshots"
NOTEBOOK_TIMEOUT_S = 600  # One notebook's Run All on a busy 2-core machine (they take 5 to 60 s alone).
START_TIMEOUT_S = 120
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# This machine's closed network refuses background connections: Chromium must not try any.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)
#: What TensorFlow writes when its logs are not quieted: JupyterLab shows it as red boxes.
TF_NOISE = re.compile(
    r"cuda|cuInit|cpu_feature_guard|oneDNN|TF_ENABLE_ONEDNN_OPTS|WARNING:tensorflow|absl::InitializeLog"
    r"|^[IWEF]\d{4} \d\d:\d\d:\d\d|\.cc:\d+\]",
    re.IGNORECASE | re.MULTILINE,
)
#: What JupyterLab shows where a widget should be when ipywidgets and jupyterlab_widgets do not match.
WIDGET_FAILURES = ("Loading widget...", "Click to show javascript error", "Error displaying widget")


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def find_chromium():
    """Return the path of a Chromium-family browser: DL_WORKSHOP_CHROMIUM, then the usual names and places."""
    chosen = os.environ.get("DL_WORKSHOP_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in BROWSER_NAMES:
        if path := shutil.which(name):
            return path
    found = next((path for path in BROWSER_PATHS if Path(path).is_file()), None)
    return found or _playwright_chromium()


def _playwright_chromium():
    """Return the Chromium that `playwright install chromium` downloaded, where that worked, or None."""
    home, local = Path.home(), os.environ.get("LOCALAPPDATA")
    folders = [os.environ.get("PLAYWRIGHT_BROWSERS_PATH"), home / ".cache", home / "Library" / "Caches", local]
    folders = [Path(folders[0])] if folders[0] else [Path(f) / "ms-playwright" for f in folders[1:] if f]
    patterns = (
        "chromium-*/chrome-linux*/chrome",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-win*/chrome.exe",
    )
    for folder in folders:
        for pattern in patterns:
            if found := sorted(folder.glob(pattern)):
                return str(found[-1])
    return None


def _what_is_missing():
    """Return a one-line reason why the browser tests cannot run here, or None."""
    if sync_playwright is None:
        return "Playwright is not installed (pip install -r requirements-test.txt)"
    if find_chromium() is None:
        return "no Chromium found (Debian: apt-get install chromium; or set DL_WORKSHOP_CHROMIUM=/path/to/chrome)"
    return None


MISSING = _what_is_missing()
if MISSING and not _in_ci():
    pytest.skip(f"browser tests skipped: {MISSING}", allow_module_level=True)


# JavaScript run in the page. JupyterLab is started with expose_app_in_browser, so `window.jupyterapp`
# is the application; its current widget is the notebook the test opened.
KERNEL_STATE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.content) return null;
  const prompts = [...panel.content.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
  return {
    status: panel.sessionContext.kernelDisplayStatus,
    kernel: panel.sessionContext.session?.kernel?.name ?? null,
    running: prompts.filter(p => p.textContent.includes('*')).length,
    dialog: !!document.querySelector('.jp-Dialog'),
  };
}"""
CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const joined = t => Array.isArray(t) ? t.join('') : (t || '');
  return panel.content.widgets.filter(c => c.model.type === 'code').map(c => ({
    source: c.model.sharedModel.getSource(),
    count: c.model.executionCount,
    outputs: c.model.outputs.toJSON().map(o => ({
      type: o.output_type,
      name: o.name || null,
      text: joined(o.text),
      ename: o.ename || null,
      evalue: o.evalue || null,
      plain: o.data ? joined(o.data['text/plain']) : '',
      mimes: o.data ? Object.keys(o.data) : [],
    })),
    shown: c.node.querySelector('.jp-Cell-outputArea')?.innerText ?? '',
  }));
}"""
PAGE_JS = """() => {
  const node = window.jupyterapp.shell.currentWidget.content.node;
  const figures = [...node.querySelectorAll('.jp-Cell-outputArea .jp-RenderedImage img')];
  const views = [...node.querySelectorAll('.jp-OutputArea-output.jupyter-widgets')];
  return {
    figures: figures.length,
    broken: figures.filter(img => !(img.complete && img.naturalWidth > 0)).length,
    widgetViews: views.filter(v => v.querySelector('[class*="widget-"]') && v.offsetHeight > 0).length,
    outputText: [...node.querySelectorAll('.jp-Cell-outputArea')].map(e => e.innerText).join('\\n'),
  };
}"""


class Lab:
    """A JupyterLab server on a copy of the course, and a headless Chromium that opens its notebooks."""

    def __init__(self, workdir, chromium):
        self.workdir = workdir
        self.course = workdir / "course"
        for folder in ("notebooks", "utils", "data"):  # The Setup cell finds utils/ above the notebook.
            shutil.copytree(ROOT / folder, self.course / folder, ignore=shutil.ignore_patterns("__pycache__"))
        settings = workdir / "settings" / "@jupyterlab"
        for plugin, values in {
            "docmanager-extension/plugin": {"autosave": False},  # Never write outputs into a notebook.
            "notebook-extension/tracker": {"windowingMode": "none"},  # Every cell in the page, to count.
            "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        }.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        # The kernels inherit this: the shipped MNIST sample, as under nbval. TF_CPP_MIN_LOG_LEVEL is
        # removed (the test suite's own process sets it) so that the notebooks quiet TensorFlow
        # themselves, as on a learner's laptop: log noise that leaks through fails the test.
        env.pop("TF_CPP_MIN_LOG_LEVEL", None)
        env["DL_WORKSHOP_MNIST"] = "sample"
        env["DL_WORKSHOP_OFFLINE"] = "1"
        env["JUPYTERLAB_SETTINGS_DIR"] = str(workdir / "settings")
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(workdir / "workspaces")
        env["JUPYTER_RUNTIME_DIR"] = str(workdir / "runtime")
        env["JUPYTER_CONFIG_DIR"] = str(workdir / "config")
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.course}",
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path = workdir / "jupyterlab.log"
        self._log = self.log_path.open("wb")
        self.server = subprocess.Popen(command, cwd=self.course, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_for_server()
        self.playwright = sync_playwright().start()
        self.context = self.playwright.chromium.launch_persistent_context(
            str(workdir / "chromium-profile"),
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        self.page = None
        self.current = None  # The notebook open in self.page, after its run.
        self.page_errors = []

    def _wait_for_server(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                break
            try:
                self._api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.5)
        self.close()
        pytest.fail(f"JupyterLab did not start in {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def _api(self, method, path):
        request = urllib.request.Request(
            self.base + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines=30):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def shut_down_kernels(self):
        """End every kernel, so that each notebook starts in a fresh one and memory stays low."""
        for session in self._api("GET", "/api/sessions"):
            self._api("DELETE", f"/api/sessions/{session['id']}")

    def run(self, stem, timeout=NOTEBOOK_TIMEOUT_S):
        """Open notebooks/<stem>.ipynb in a fresh workspace, Run All Cells, wait until idle; return a Run."""
        if self.current is not None and self.current.stem == stem:
            return self.current
        if self.page is not None:
            self.page.close()
        self.current = None
        self.shut_down_kernels()
        self.page = page = self.context.new_page()
        self.page_errors = []
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        workspace = f"browser-{stem}-{uuid.uuid4().hex[:8]}"  # A fresh one: no tabs restored from before.
        start = time.monotonic()
        page.goto(f"{self.base}/lab/workspaces/{workspace}/tree/notebooks/{stem}.ipynb?reset&token={self.token}")
        self._wait_for_kernel(page, stem, deadline=start + START_TIMEOUT_S)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        self._wait_until_idle(page, stem, deadline=time.monotonic() + timeout)
        seconds = time.monotonic() - start
        cells = page.evaluate(CELLS_JS)
        widgets = sum(WIDGET_MIME in output["mimes"] for cell in cells for output in cell["outputs"])
        run = Run(stem, seconds, cells, widgets, self._wait_for_widgets(page, widgets), list(self.page_errors))
        run.save_screenshots(page)
        self.current = run
        return run

    def _wait_for_kernel(self, page, stem, deadline):
        """Wait until the notebook's kernel is idle, accepting the kernel dialog if JupyterLab shows one."""
        state = None
        while time.monotonic() < deadline:
            state = page.evaluate(KERNEL_STATE_JS)
            if state and state["dialog"]:
                page.locator(".jp-Dialog .jp-mod-accept").click()
            elif state and state["kernel"] and state["status"] == "idle":
                return
            time.sleep(0.5)
        _fail_with_screenshot(page, stem, f"{stem}: no idle kernel after {START_TIMEOUT_S} s (last state: {state})")

    def _wait_until_idle(self, page, stem, deadline):
        """Wait until no cell is queued or running and the kernel has been idle for two polls in a row."""
        time.sleep(2)  # Run All marks every cell [*] at once; give the kernel time to turn busy.
        quiet = 0
        while time.monotonic() < deadline:
            state = page.evaluate(KERNEL_STATE_JS)
            quiet = quiet + 1 if state["status"] == "idle" and state["running"] == 0 else 0
            if quiet >= 2:
                return
            time.sleep(1)
        _fail_with_screenshot(page, stem, f"{stem}: still running after {NOTEBOOK_TIMEOUT_S} s")

    def _wait_for_widgets(self, page, widgets, timeout=30):
        """Return what the page shows, once its `widgets` views and its figures have rendered (or after `timeout`)."""
        deadline = time.monotonic() + timeout
        while True:
            seen = page.evaluate(PAGE_JS)
            settled = seen["widgetViews"] >= widgets and seen["broken"] == 0
            if (settled and "Loading widget..." not in seen["outputText"]) or time.monotonic() > deadline:
                return seen
            time.sleep(0.5)

    def close(self):
        if getattr(self, "context", None) is not None:
            self.context.close()
            self.playwright.stop()
            self.context = None
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self._log.close()


class Run:
    """What one notebook showed after Run All: its code cells (from JupyterLab's model) and the page."""

    def __init__(self, stem, seconds, cells, widgets, seen, page_errors):
        self.stem, self.seconds, self.cells, self.seen, self.page_errors = stem, seconds, cells, seen, page_errors
        self.widgets = widgets  # Outputs that hold a widget view, in JupyterLab's model of the notebook.

    def save_screenshots(self, page):
        folder = SCREENSHOTS / self.stem
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        figures = page.locator(".jp-Cell-outputArea .jp-RenderedImage img")
        for index in range(figures.count()):
            figures.nth(index).screenshot(path=folder / f"figure-{index + 1:02d}.png")
        page.screenshot(path=folder / "notebook.png")


def _fail_with_screenshot(page, stem, message):
    folder = SCREENSHOTS / stem
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "failure.png")
    pytest.fail(f"{message} (see {folder / 'failure.png'})")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _first_line(source):
    return next((line for line in source.splitlines() if line.strip()), "<empty cell>")[:100]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if MISSING:  # Only under CI=true: elsewhere the module was skipped.
        pytest.fail(f"CI=true and the browser tests cannot run: {MISSING}. .ci/run installs what they need.")
    started = time.monotonic()
    lab = Lab(tmp_path_factory.mktemp("browser"), find_chromium())
    yield lab
    lab.close()
    print(f"\nbrowser tests: {time.monotonic() - started:.0f} s with JupyterLab and Chromium")


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(lab, stem):
    run = lab.run(stem)
    print(f"{stem}: Run All Cells took {run.seconds:.0f} s in the browser")
    unrun = [_first_line(c["source"]) for c in run.cells if c["count"] is None]
    errors = [
        f"{o['ename']}: {o['evalue']} in cell `{_first_line(c['source'])}`"
        for c in run.cells
        for o in c["outputs"]
        if o["type"] == "error"
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
        for c in run.cells
        for o in c["outputs"]
        if o["name"] == "stderr"
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


def _wait_for_new_picture(page, picture, old_src, what):
    try:
        page.wait_for_function("([img, old]) => img.src !== old && img.complete", arg=[picture, old_src], timeout=30000)
    except Exception as error:  # Playwright's TimeoutError: say what the learner would have seen.
        _fail_with_screenshot(page, EXPLORER_NOTEBOOK, f"the explorer's picture did not change after {what}: {error}")


@pytest.mark.skipif(EXPLORER_NOTEBOOK not in NOTEBOOKS, reason="notebook 06 is not in the course yet")
def test_kernel_explorer_redraws_when_the_learner_changes_the_kernel(lab):
    lab.run(EXPLORER_NOTEBOOK)
    page = lab.page
    explorer = page.locator(".jp-OutputArea-output .jupyter-widgets.widget-hbox").last
    menu = explorer.locator(".widget-dropdown select")
    weights = explorer.locator(".widget-text input")
    picture = explorer.locator("img")
    assert menu.count() == 1 and weights.count() == 9 and picture.count() == 1, (
        f"the explorer shows {menu.count()} menus, {weights.count()} weight boxes, {picture.count()} pictures"
    )
    folder = SCREENSHOTS / EXPLORER_NOTEBOOK
    lab.page_errors.clear()  # jupyterlab_widgets 1.1.11 logs one TypeError on opening; it is harmless.
    explorer.screenshot(path=folder / "explorer-before.png")
    before = _picture(picture)

    # A different kernel from the menu: the nine boxes take its weights and the picture is redrawn.
    options = menu.locator("option").all_text_contents()
    chosen = next(option for option in options if option != menu.input_value() and "edge" in option)
    old_src = picture.get_attribute("src")
    menu.select_option(label=chosen)
    _wait_for_new_picture(page, picture.element_handle(), old_src, f'choosing "{chosen}"')
    after_menu = _picture(picture)
    explorer.screenshot(path=folder / "explorer-after.png")
    changed = _changed_fraction(before, after_menu)
    assert changed > 0.02, f'choosing "{chosen}" changed {changed:.1%} of the picture\'s pixels'

    # One weight typed in, as a fraction and without Enter: the picture follows the typing.
    centre = weights.nth(4)
    old_src = picture.get_attribute("src")
    centre.fill("41/9" if centre.input_value() != "41/9" else "-41/9")
    _wait_for_new_picture(page, picture.element_handle(), old_src, "typing a new centre weight (no Enter)")
    edited = _picture(picture)
    changed = _changed_fraction(after_menu, edited)
    explorer.screenshot(path=folder / "explorer-edited.png")
    assert changed > 0.02, f"a new centre weight changed {changed:.1%} of the picture's pixels"

    # Half a fraction is refused with a message, never read as another number.
    centre.fill("2/")
    message = explorer.locator(".widget-html")
    try:
        page.wait_for_function(
            "el => el.innerText.includes('is not a number')", arg=message.last.element_handle(), timeout=15000
        )
    except Exception as error:
        _fail_with_screenshot(page, EXPLORER_NOTEBOOK, f"typing 2/ showed no message: {error}")

    # A whole kernel pasted into the box under the grid fills the nine boxes.
    old_src = picture.get_attribute("src")
    explorer.locator(".widget-textarea textarea").fill("[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]")
    _wait_for_new_picture(page, picture.element_handle(), old_src, "pasting a whole kernel")
    assert [weights.nth(i).input_value() for i in (0, 3, 4, 5)] == ["-1", "-2", "0", "2"]
    assert not lab.page_errors, f"JavaScript errors while using the explorer: {lab.page_errors[:3]}"


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
