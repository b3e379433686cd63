"""The class board's page in headless Chromium: 40 learners, their counts, a hostile name shown as text.

A real board (tests/test_board.py's `start_board`, on 127.0.0.1) receives a class of 40 learners whose
mistakes are the real checkers' (notebook 03's, which need no TensorFlow); the page is then read as the
instructor's projector shows it. With BOARD_SCREENSHOT=<file.png> the test saves what the page looks like.
Without Playwright or a Chromium-family browser it is skipped (CI=true makes that a failure), as
tests/test_browser.py is.
"""

import os
import random
import time
from pathlib import Path

import pytest

from tests.browser_lab import CHROMIUM_ARGS, MISSING, find_chromium, in_ci
from tests.test_board import HOSTILE, event, post, start_board
from utils.checks.nb03 import q1, q4

pytestmark = pytest.mark.browser

if MISSING and not in_ci():
    pytest.skip(f"browser tests skipped: {MISSING}", allow_module_level=True)

LEARNERS = 40
VIEWPORT = {"width": 1600, "height": 900}  # A common projector's 16:9 picture.


def named_mistake(problem, answer):
    """Return the hint that a real checker attaches to a wrong answer (what a learner's check reports)."""
    problem.reset()
    assert problem.check(answer).status == "incorrect"
    return problem._mistake_hint


def fill_the_room(running):
    """Post the checks of 40 learners on notebook 03: some solved, some stuck, the hostile name among them."""
    sigmoid_hint = named_mistake(q1, 0.2)
    crossentropy_hint = named_mistake(q4, "categorical_crossentropy")
    assert sigmoid_hint and crossentropy_hint
    names = [HOSTILE] + [f"Learner {index:02d} {'Ñandú' if index % 7 == 0 else ''}".strip() for index in range(1, 40)]
    pick = random.Random(19)
    expected = {"solved q1": 0, "stuck q1": 0}
    for index, name in enumerate(names):
        wrong = index % 4  # 0 to 3 wrong answers to q1, then solved by every other learner.
        for attempt in range(1, wrong + 1):
            assert post(running.events_url, event(name=name, attempt=attempt, mistake=sigmoid_hint)) == 204
        solved = index % 2 == 0
        if solved:
            assert post(running.events_url, event(name=name, attempt=wrong + 1, outcome="correct")) == 204
        expected["solved q1"] += solved
        expected["stuck q1"] += not solved and wrong >= 3
        if pick.random() < 0.5:
            change = {"exercise": 4, "mistake": crossentropy_hint, "hints_seen": True}
            assert post(running.events_url, event(name=name, **change)) == 204
        assert post(running.events_url, event(name=name, exercise=2, outcome="not attempted")) == 204
    return names, expected, sigmoid_hint


@pytest.fixture(scope="module")
def browser():
    if MISSING:  # Only under CI=true: elsewhere the module skips itself.
        pytest.fail(f"CI=true and the browser tests cannot run: {MISSING}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_the_board_page_shows_forty_learners_their_counts_and_a_hostile_name_as_text(tmp_path, browser):
    running = start_board(tmp_path)
    try:
        names, expected, sigmoid_hint = fill_the_room(running)
        page = browser.new_page(viewport=VIEWPORT)
        dialogs, errors = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        started = time.monotonic()
        page.goto(running.instructor)
        page.locator("td.name").nth(LEARNERS - 1).wait_for(timeout=15_000)
        shown = page.locator("td.name").all_text_contents()
        assert sorted(shown) == sorted(names)
        assert page.locator("td.name", has_text=HOSTILE).count() == 1  # The name, as plain text.
        assert page.locator("#grid img, #summary img").count() == 0 and dialogs == [] and errors == []
        assert page.locator("#status").text_content().startswith(f"{LEARNERS} learners")
        q1_row = page.locator("#summary tbody tr").filter(has_text="03 · 1")
        assert q1_row.locator("td").nth(1).text_content() == f"{expected['solved q1']}/{LEARNERS}"
        assert q1_row.locator("td").nth(2).text_content() == str(expected["stuck q1"])
        assert page.locator("#grid .cell.solved").count() == expected["solved q1"]
        assert page.locator("#grid .cell.stuck").count() == expected["stuck q1"]
        assert page.locator("#grid .cell sup").count() > 0  # The learners who opened hints.
        # The notebooks in use only (03): a grid a projector can show.
        assert page.locator(".learners").first.locator("th").all_text_contents()[1:] == [f"03·{n}" for n in range(1, 6)]
        mistake = q1_row.locator("button.mistake").first
        assert mistake.text_content().endswith(f"×{sum(1 for i in range(LEARNERS) if i % 4)}")
        mistake.click()
        assert page.locator("#hint").is_visible() and page.locator("#hint p").text_content() == sigmoid_hint
        assert page.locator(".learners").count() >= 2  # 40 rows split into columns that fit the screen.
        box = page.locator("#grid").bounding_box()
        assert box["y"] + box["height"] <= VIEWPORT["height"] + 40, "the 40 learners do not fit on one screen"
        if os.environ.get("BOARD_SCREENSHOT"):
            page.screenshot(path=Path(os.environ["BOARD_SCREENSHOT"]))
        # The page refreshes itself: a new learner appears without a reload.
        assert post(running.events_url, event(name="Latecomer", outcome="correct")) == 204
        page.locator("td.name", has_text="Latecomer").wait_for(timeout=15_000)
        print(f"\nboard page: {time.monotonic() - started:.1f} s")
        page.close()
    finally:
        running.kill(hard=False)


def test_the_board_page_refuses_a_wrong_token(tmp_path, browser):
    running = start_board(tmp_path)
    try:
        page = browser.new_page()
        response = page.goto(running.instructor[:-5] + "wrong")
        assert response.status == 403 and "wrong instructor token" in page.content()
        page.close()
    finally:
        running.kill(hard=False)
