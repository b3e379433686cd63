"""The browser harness of tests/test_browser.py: JupyterLab on a copy of the course, and headless Chromium.

`Lab` starts one JupyterLab server on a free local port, on a throwaway copy of notebooks/, utils/ and data/
(so the committed notebooks never get outputs and models/ stays untouched), and a headless Chromium that
opens a notebook in a fresh workspace, chooses *Run > Run All Cells* and waits until the kernel is idle;
`Lab.run` returns a `Run`: what JupyterLab's model holds and what the page shows. `running_lab` is the body
of a module-scoped `lab` fixture. `MISSING` says why the browser tests cannot run here (None when they can).
"""

import contextlib
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

from utils import ROOT

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # A learner's laptop: requirements.txt has no Playwright.
    sync_playwright = None

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


def in_ci():
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
        # A fresh workspace (no tabs restored from before), named without the "/" of "es/06_filtros".
        workspace = f"browser-{stem.replace('/', '-')}-{uuid.uuid4().hex[:8]}"
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
        fail_with_screenshot(page, stem, f"{stem}: no idle kernel after {START_TIMEOUT_S} s (last state: {state})")

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
        fail_with_screenshot(page, stem, f"{stem}: still running after {NOTEBOOK_TIMEOUT_S} s")

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


def fail_with_screenshot(page, stem, message):
    folder = SCREENSHOTS / stem
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "failure.png")
    pytest.fail(f"{message} (see {folder / 'failure.png'})")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_lab(workdir):
    """Yield a started `Lab` in `workdir`, closed afterwards: the body of a test module's `lab` fixture."""
    if MISSING:  # Only under CI=true: elsewhere the test module skips itself.
        pytest.fail(f"CI=true and the browser tests cannot run: {MISSING}. .ci/run installs what they need.")
    started = time.monotonic()
    lab = Lab(workdir, find_chromium())
    try:
        yield lab
    finally:
        lab.close()
        print(f"\nbrowser tests: {time.monotonic() - started:.0f} s with JupyterLab and Chromium")
