"""Every time a notebook states about itself or another notebook agrees with the measured table.

The table is docs/timings.json, written by `.ci/time-notebooks` on a 2-core CPU laptop with the course's
sample; a notebook says "runs top to bottom in about 40 seconds" (itself) or "run notebook 04, about 40
seconds" (another one). A sentence about a whole notebook's duration that this test cannot read fails too,
so a new claim cannot slip past it. Fast: no notebook runs here.

A Spanish notebook (notebooks/es/) states the same times as its English twin, cell by cell, in Spanish
("se ejecuta de principio a fin en unos 40 segundos"): the Spanish notebooks cost the same.
"""

import re

import pytest

from tests import notebooks
from utils import timings
from utils.course import NOTEBOOKS

#: The run the notebooks' own claims refer to ("on a 2-core laptop CPU with the sample").
REFERENCE_LABEL = "2-core CPU laptop, offline"

_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "half a": 0.5}
_NUMBER = r"(?:\d+(?:\.\d+)?|a|one|two|three|four|five)"
_AMOUNT = r"(?P<amount>half a minute|a minute and a half|" + _NUMBER + r" (?:seconds?|minutes?|s\b))"
_QUALIFIER = r"(?P<qualifier>about|under|well under|less than|at most)"
#: "runs top to bottom in about 40 seconds": the notebook itself.
SELF = re.compile(r"runs? top to bottom in " + _QUALIFIER + " " + _AMOUNT)
#: "run notebook 04, about 40 seconds" / "notebook 04 (about 40 seconds)" / "notebook 04 takes about ...".
OTHER = re.compile(
    r"notebook (?P<number>\d\d)(?:\.ipynb)?[,:]? (?:\(|takes |runs in |runs top to bottom in )?"
    + _QUALIFIER
    + " "
    + _AMOUNT
)
#: Sentences that speak of a whole notebook's duration; each must match SELF or OTHER.
WHOLE_NOTEBOOK = re.compile(
    r"top to bottom|all cells run|run notebook \d\d|notebook \d\d[^.]{0,40}\b(?:takes|minute|second)"
)


def amount_in_seconds(text):
    """Return the seconds an amount such as "about a minute"'s "a minute" or "40 seconds" means."""
    if text == "half a minute":
        return 30.0
    if text == "a minute and a half":
        return 90.0
    number, unit = text.split(" ", 1)
    value = _WORDS[number] if number in _WORDS else float(number)
    return value * (60 if unit.startswith("minute") else 1)


def agrees(qualifier, seconds, measured):
    """Return True if "<qualifier> <seconds>" is a fair description of `measured` seconds."""
    if qualifier == "about":
        return 0.7 * seconds <= measured <= 1.3 * seconds
    if qualifier in ("under", "less than", "at most"):
        return measured <= seconds
    if qualifier == "well under":
        return measured <= 0.75 * seconds
    raise ValueError(qualifier)


def reference_times():
    runs = timings.load_runs()
    run = next((run for run in runs if run["label"] == REFERENCE_LABEL), None)
    assert run is not None, f"docs/timings.json has no run labelled {REFERENCE_LABEL!r}: run .ci/time-notebooks"
    return {record["stem"][:2]: record["wall_s"] for record in run["notebooks"] if record["status"] == "ok"}


def claims(text):
    """Return (sentence, notebook number or None for itself, qualifier, seconds) for every duration claim,
    and the sentences about a whole notebook's duration that no pattern reads."""
    found, unread = [], []
    flat = " ".join(text.split())
    for sentence in re.split(r"(?<=[.!?])\s+|\n", flat):
        lowered = sentence.lower().replace("*", "")
        matches = [(None, m) for m in SELF.finditer(lowered)] + [(m["number"], m) for m in OTHER.finditer(lowered)]
        for number, match in matches:
            found.append((sentence, number, match["qualifier"], amount_in_seconds(match["amount"])))
        if not matches and WHOLE_NOTEBOOK.search(lowered) and re.search(r"\b(second|minute)s?\b", lowered):
            unread.append(sentence)
    return found, unread


def _texts(notebook):
    """Markdown cells and code comments/strings: everything a learner reads."""
    return notebooks.sources(notebook)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.number)
def test_the_times_a_notebook_states_agree_with_the_timing_table(notebook):
    measured = reference_times()
    problems = []
    for text in _texts(notebook):
        found, unread = claims(text)
        problems += [f"a duration this test cannot read: {sentence!r}" for sentence in unread]
        for sentence, number, qualifier, seconds in found:
            number = number or notebook.number
            if number not in measured:
                problems.append(f"{sentence!r}: notebook {number} has no row in the timing table")
            elif not agrees(qualifier, seconds, measured[number]):
                problems.append(
                    f"{sentence!r} says notebook {number} takes {qualifier} {seconds:.0f} s; the table "
                    f"measured {measured[number]:.0f} s"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.number)
def test_every_notebook_says_how_long_it_runs(notebook):
    stated = [claim for text in _texts(notebook) for claim in claims(text)[0] if claim[1] is None]
    assert len(stated) == 1, f"{notebook.name} should say once how long it runs top to bottom, found {stated}"


def test_the_claim_reader_reads_and_judges_the_usual_forms():
    found, unread = claims(
        "It runs top to bottom in about 40 seconds on a 2-core laptop. If it is missing (run notebook 04, "
        "about a minute), the next cell trains. All cells run in a jiffy, about two minutes."
    )
    assert [(number, qualifier, seconds) for _, number, qualifier, seconds in found] == [
        (None, "about", 40.0),
        ("04", "about", 60.0),
    ]
    assert unread == ["All cells run in a jiffy, about two minutes."]
    assert agrees("about", 60, 50) and not agrees("about", 60, 90)
    assert agrees("under", 60, 59) and not agrees("well under", 60, 50)
    assert amount_in_seconds("half a minute") == 30 and amount_in_seconds("2 minutes") == 120


#: The Spanish words of each qualifier, and of the amounts that have words ("un minuto", "medio minuto").
QUALIFIERS_ES = {
    "about": ["unos", "unas", "alrededor de", "cerca de", "aproximadamente"],
    "under": ["menos de", "por debajo de"],
    "less than": ["menos de"],
    "well under": ["bastante menos de", "muy por debajo de", "muy poco menos de"],
    "at most": ["como mucho", "como máximo", "a lo sumo"],
}
_MINUTES_ES = {1: "un", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco"}


def spanish_claim(qualifier, seconds):
    """Return the pattern of a claim "<qualifier> <amount>" in Spanish, e.g. "unos 40 segundos", "un minuto"."""
    amounts = [rf"{seconds:g} (?:segundos?|s\b)"]
    if seconds == 30:
        amounts.append("medio minuto")
    if seconds == 90:
        amounts.append("(?:un )?minuto y medio")
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        amounts += [rf"{minutes} minutos?"] + ([rf"{_MINUTES_ES[minutes]} minutos?"] if minutes in _MINUTES_ES else [])
    qualifiers = "|".join(QUALIFIERS_ES[qualifier])
    return re.compile(rf"(?:{qualifiers}) (?:{'|'.join(amounts)})")


def _spanish_cells(notebook):
    path = notebook.path_in("es")
    if not path.exists():
        pytest.fail(f"notebooks/es/{path.name} does not exist yet: translate {notebook.name}")
    return {cell.get("id"): notebooks.source(cell) for cell in notebooks.cells(path)}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.number)
def test_the_spanish_notebook_states_the_same_times(notebook):
    spanish = _spanish_cells(notebook)
    problems = []
    for cell in notebooks.cells(notebook):
        for sentence, _, qualifier, seconds in claims(notebooks.source(cell))[0]:
            text = " ".join(spanish.get(cell.get("id"), "").split()).lower().replace("*", "")
            if not spanish_claim(qualifier, seconds).search(text):
                problems.append(f"cell {cell.get('id')}: English says {sentence!r}; say the same time in Spanish")
    assert not problems, "\n".join(problems)


def test_the_spanish_claim_reader_reads_the_usual_forms():
    assert spanish_claim("about", 40).search("se ejecuta de principio a fin en unos 40 segundos en un portátil")
    assert spanish_claim("under", 10).search("en menos de 10 segundos")
    assert spanish_claim("about", 60).search("ejecuta el notebook 04, alrededor de un minuto")
    assert spanish_claim("about", 90).search("unos minuto y medio") or spanish_claim("about", 90).search(
        "alrededor de un minuto y medio"
    )
    assert not spanish_claim("about", 40).search("en unos 45 segundos")
    assert not spanish_claim("under", 10).search("en unos 10 segundos")
