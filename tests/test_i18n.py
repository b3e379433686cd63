"""The Spanish edition's messages: gettext catalogs complete, compiled, and used wherever a message is shown.

Four nets, from the cheapest:

1. the catalogs themselves: each .mo is what its .po compiles to; every Spanish msgstr is filled in and keeps
   exactly the `{placeholders}` (names, conversions and format specs) of its English msgid; a msgid found in
   two domains is translated the same in both (the domains are merged, so one would silently win);
2. static, over the source: every literal `_("...")`/`N_("...")` in utils/ has a Spanish entry, and, in the
   files converted so far (`CONVERTED`), no learner-facing English literal is left unwrapped (`RULE` says what
   that covers);
3. dynamic: with Spanish selected, every exercise of every notebook is checked blank, with the wrong number of
   values, with a wrong type, with each mistake its tables declare, with its own solution (but the two that
   train for seconds), and asked for every hint, its solution and its title; then the tests of
   tests/test_exercises_NN.py that need no fixture are replayed (their English assertions ignored).
   `utils.i18n.untranslated()` records each message `_()` had to give back in English, and the texts shown are
   searched for English words that never went through `_()` at all;
4. switching the language in a running process switches the messages.
"""

import ast
import contextlib
import importlib
import inspect
import re
import string
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

from tests.exercise_helpers import run_solution
from tests.test_exercises_common import PROBLEMS, _counts, _solution_names
from utils import ROOT, i18n
from utils.checks.core import FunctionProblem, NumberProblem, Problem, TextProblem, ____, _mistakes
from utils.i18n import LANG_ENV, compile_all, extract, po_files, read_po, untranslated

SPANISH = po_files("es")


def test_every_mo_is_compiled_from_its_po():
    stale = compile_all(write=False)
    assert not stale, f"stale .mo files (run: python -m utils.i18n compile): {[p.name for p in stale]}"


def test_spanish_has_catalogs():
    assert {"core", "model_rules", "nb01", "nb02"} <= {po.stem for po in SPANISH}


# --- 1. The catalogs ---------------------------------------------------------------------------------------------


def placeholders(text):
    """Return the set of `{name!conversion:spec}` fields of a format string (doubled braces are not fields)."""
    try:
        return {
            (name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text) if name is not None
        }
    except ValueError:  # Unbalanced braces: not a format string; compare the braces themselves.
        return {("braces", text.count("{"), text.count("}"))}


def catalog_problems(po):
    """Return what is wrong with a .po file: empty msgstrs and placeholders that differ from the msgid's."""
    problems = []
    for msgid, msgstr in read_po(po).items():
        if not msgid:
            continue
        if not msgstr.strip():
            problems.append(f"{po.name}: no translation for {msgid!r}")
        elif placeholders(msgid) != placeholders(msgstr):
            problems.append(
                f"{po.name}: the placeholders of {msgid!r} are {sorted(placeholders(msgid))}, "
                f"but its translation has {sorted(placeholders(msgstr))}"
            )
    return problems


@pytest.mark.parametrize("po", SPANISH, ids=lambda po: po.stem)
def test_every_message_is_translated_with_its_placeholders(po):
    assert not catalog_problems(po), "\n".join(catalog_problems(po))


def test_the_catalog_check_finds_missing_and_broken_translations(tmp_path):
    po = tmp_path / "broken.po"
    po.write_text(
        textwrap.dedent(
            """\
            msgid ""
            msgstr ""
            "Content-Type: text/plain; charset=UTF-8\\n"

            msgid "Well done!"
            msgstr ""

            msgid "Expected {expected} values, got {got}."
            msgstr "Se esperaban {esperados} valores; hay {got}."

            msgid "the loss is {loss:.3f}"
            msgstr "la pérdida es {loss}"

            msgid "{a} and {b}"
            msgstr "{b} y {a}"
            """
        ),
        encoding="utf-8",
    )
    problems = catalog_problems(po)
    assert len(problems) == 3, problems  # The reordered {b} y {a} is fine.
    assert "no translation for 'Well done!'" in problems[0]
    assert "esperados" in problems[1] and "'expected'" in problems[1]
    assert "'.3f'" in problems[2]


def test_a_message_in_two_domains_has_one_translation():
    translations = defaultdict(dict)
    for po in SPANISH:
        for msgid, msgstr in read_po(po).items():
            if msgid:
                translations[msgid][po.stem] = msgstr
    clashes = {msgid: domains for msgid, domains in translations.items() if len(set(domains.values())) > 1}
    assert not clashes, f"the same msgid translated differently (the merged catalog keeps only one): {clashes}"


# --- 2. Static: the source -----------------------------------------------------------------------------------------

#: The files whose messages are converted to `_()`: the static rule below holds for each. A helper whose module
#: is converted adds it here.
CONVERTED = [
    *("utils/checks/core.py", "utils/checks/model_rules.py", "utils/checks/nb01.py", "utils/checks/nb02.py"),
    *("utils/checks/nb03.py", "utils/checks/nb04.py", "utils/checks/nb06.py"),  # G2's.
    *("utils/checks/nb05.py", "utils/env.py", "utils/plotting.py", "utils/explorer.py"),  # G3's, and the next line.
    *("utils/training.py", "utils/models.py", "utils/data.py"),
]

RULE = """\
In a converted file, a string literal (an f-string included) must be the argument of `_()` or `N_()` when
- it reads as English prose: two or more words of letters once `code spans` and {placeholders} are left out; or
- it is assigned, in a class or module body, to one of the texts a problem shows: title, hints, solution_code,
  blank_message, correct_note, fallback, what, expected_function, in_place_message, mistakes (or to a name
  ending in _MISTAKES, _HINT or _MESSAGE), and holds anything but code spans;
unless it is a docstring, an operand of a comparison (`==`, `in`), a dict key or an index, the message of a
programmer's error (`raise ValueError(...)`, TypeError, KeyError, NotImplementedError, AssertionError,
AttributeError), the answer a mistake of a table recognises (the first item of each entry of `mistakes`, a
`Mistake`'s first argument), or a line of it carries the comment `# i18n: keep (why)` (or `# i18n: not shown`):
text never shown, or shown the same in every language (a product's name, a menu's label, words matched in
another program's message).
The argument of `_()`/`N_()` must itself be one literal, never an f-string (a msgid is a constant)."""

SHOWN_ATTRIBUTES = {
    *("title", "hints", "solution_code", "blank_message", "correct_note", "fallback", "what"),
    *("expected_function", "in_place_message", "mistakes"),
}
SHOWN_SUFFIXES = ("_MISTAKES", "_HINT", "_MESSAGE")
PROGRAMMER_ERRORS = {"ValueError", "TypeError", "KeyError", "NotImplementedError", "AssertionError", "AttributeError"}
KEEP = ("# i18n: keep", "# i18n: not shown")
_WORD = re.compile(r"[(\"'“«¿¡]*[A-Za-z][a-z]+[)\"'”»,.;:!?]*")


def _literal_text(node):
    """Return the text of a str constant, or the literal parts of an f-string (its {values} left out)."""
    if isinstance(node, ast.Constant):
        return node.value
    return " ".join(part.value for part in node.values if isinstance(part, ast.Constant))


def _without_code(text):
    return re.sub(r"\{[^{}]*\}", " ", re.sub(r"`[^`]*`", " ", text))


def reads_as_prose(text):
    """Return True if `text` holds two or more words (letters only) outside code spans and placeholders."""
    return sum(1 for token in _without_code(text).split() if _WORD.fullmatch(token)) >= 2


def _docstring(node):
    body = getattr(node, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return [body[0].value]
    return []


def _call_name(node):
    return getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""


def _mistake_answers_of(node):
    """The wrong answers a table recognises: the first item of each (answer, message[, hint]) of `mistakes`."""
    if not any(getattr(target, "id", "") == "mistakes" for target in node.targets):
        return []
    entries = node.value.elts if isinstance(node.value, (ast.Tuple, ast.List)) else []
    return [entry.elts[0] for entry in entries if isinstance(entry, ast.Tuple) and entry.elts]


#: For each kind of node, the parts of it whose literals the rule leaves alone.
_EXEMPT_PARTS = {
    ast.Compare: lambda node: [node.left, *node.comparators],
    ast.Subscript: lambda node: [node.slice],
    ast.Dict: lambda node: [key for key in node.keys if key is not None],
    ast.Raise: lambda node: [node.exc] if _call_name(node.exc) in PROGRAMMER_ERRORS else [],
    ast.Call: lambda node: (
        node.args if _call_name(node) in ("_", "N_") else node.args[:1] if _call_name(node) == "Mistake" else []
    ),
    ast.JoinedStr: lambda node: [part for part in node.values if isinstance(part, ast.Constant)],  # Judged whole.
    ast.Assign: _mistake_answers_of,
}


def _exempt_nodes(tree):
    """Return the ids of the literal nodes the rule leaves alone (docstrings, comparisons, keys, programmer errors)."""
    exempt = set()
    for node in ast.walk(tree):
        parts = _docstring(node) + _EXEMPT_PARTS.get(type(node), lambda node: [])(node)
        exempt.update(id(sub) for part in parts for sub in ast.walk(part))
    return exempt


def _shown_attribute_literals(tree):
    """Return the ids of the literals assigned to a problem's shown texts (title, hints, ...)."""
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.ClassDef)):
            continue
        for statement in node.body:
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            names = [target.id for target in targets if isinstance(target, ast.Name)]
            if any(name in SHOWN_ATTRIBUTES or name.endswith(SHOWN_SUFFIXES) for name in names):
                found.update(id(sub) for sub in ast.walk(statement.value))
    return found


def unwrapped_literals(path):
    """Return "file:line: text" for each literal of `path` that the rule says should go through `_()`/`N_()`."""
    source = Path(path).read_text(encoding="utf-8")
    tree, lines = ast.parse(source), source.splitlines()
    exempt, shown = _exempt_nodes(tree), _shown_attribute_literals(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "N_"):
            if node.args and isinstance(node.args[0], ast.JoinedStr):
                found.append(f"{path}:{node.lineno}: an f-string given to {node.func.id}()")
        is_text = isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))
        if not is_text or id(node) in exempt:
            continue
        text = _literal_text(node)
        in_shown = id(node) in shown and re.search(r"[A-Za-z]", re.sub(r"`[^`]*`", "", text))
        if not (reads_as_prose(text) or in_shown):
            continue
        if any(marker in lines[number - 1] for marker in KEEP for number in range(node.lineno, node.end_lineno + 1)):
            continue
        found.append(f"{path}:{node.lineno}: {text[:70]!r}")
    return found


def test_the_static_rule_finds_unwrapped_messages(tmp_path):
    module = tmp_path / "checker.py"
    module.write_text(
        textwrap.dedent(
            '''\
            """A docstring is not a message."""
            from utils.i18n import N_, _

            class Q:
                title = "a title to translate"
                what = "`x`"
                hints = (N_("wrapped"), "one more hint")
                solution_code = "x = 1\\nq1.check(x)"
                mistakes = (("wrong answer words", N_("that is wrong.")), (2, "an unwrapped mistake message"))

                def check_answer(self, x):
                    if x == "two words":
                        raise ValueError(f"not for learners: {x}")
                    if x:
                        raise Incorrect(f"{x} is not the answer")
                    print("debug output only")  # i18n: keep (a developer's trace)
                    return _(f"bad {x}") or _("well done, {x}").format(x=x)
            '''
        ),
        encoding="utf-8",
    )
    found = unwrapped_literals(module)
    texts = "\n".join(found)
    assert len(found) == 6, texts
    for expected in ("a title to translate", "one more hint", "q1.check", "is not the answer", "f-string given to _"):
        assert expected in texts, (expected, texts)
    assert "an unwrapped mistake message" in texts and "wrong answer words" not in texts


@pytest.mark.parametrize("path", CONVERTED)
def test_no_learner_message_is_left_in_english_source(path):
    found = unwrapped_literals(ROOT / path)
    assert not found, f"wrap these in _() (or N_() where shown later):\n{RULE}\n" + "\n".join(found)


def test_every_marked_message_has_a_spanish_entry():
    known = {}
    for po in SPANISH:
        known.update(read_po(po))
    missing = []
    for path in sorted((ROOT / "utils").rglob("*.py")):
        for msgid, line in extract(path):
            if msgid not in known:
                missing.append(f"{path.relative_to(ROOT)}:{line}: {msgid[:70]!r}")
    assert not missing, (
        "no Spanish entry (python -m utils.i18n missing FILE prints them as .po entries):\n" + "\n".join(missing)
    )


# --- 3. Dynamic: what a learner reads, with Spanish selected ---------------------------------------------------

#: English words that Spanish never uses: one of them in a shown text means a message that skipped `_()`.
ENGLISH = set(
    "the is are your you and of with it that this then should was has have which what not be to in on for by "
    "did does remove replace run again cell expected gave returns returned".split()
)
#: Solutions that train a model for seconds: the fast tier leaves them to tests/test_exercises_common.py.
SLOW_SOLUTIONS = {"nb03.q5", "nb05.q4"}
#: Notebooks whose checkers are still being converted, with why: their dynamic tests are expected to fail (xfail,
#: not strict) until then. Empty: every notebook's checkers speak Spanish.
PENDING = {}


def english_words(text):
    """Return the English words of a shown text, outside code (fenced blocks keep their comments), tags and quotes."""
    text = re.sub(r"```python\n(.*?)```", lambda m: "\n".join(re.findall(r"#.*", m.group(1))), text, flags=re.S)
    text = re.sub(r"<[^>]+>|`[^`]*`|\"[^\"]*\"", " ", text)
    return sorted({word for word in re.findall(r"\b[A-Za-z]+\b", text.lower()) if word in ENGLISH})


def assert_spanish(shown, missing):
    """Assert that `_()` found a translation for every message, and that no text shown holds an English word."""
    assert not missing, "no Spanish translation for:\n" + "\n".join(sorted(set(missing)))
    english = [f"{english_words(text)} in {text[:160]!r}" for text in shown if english_words(text)]
    assert not english, "English words in what a learner reads:\n" + "\n".join(english)


def _mistake_answers(problem):
    """Return the answers of every mistake `problem` declares: values, texts, or rules a wrong function follows."""
    if isinstance(problem, (NumberProblem, TextProblem)):
        return [mistake.answer for mistake in _mistakes(problem.mistakes)]
    if isinstance(problem, FunctionProblem):
        groups = {problem.group(args) for args in problem.cases}
        return [mistake.answer for group in groups for mistake in _mistakes(problem.mistakes_for(group))]
    return []


def shown_texts(number, name, problem):
    """Check `problem` every cheap way a learner can, and return each text shown (Results, hints, solution, title)."""
    fewest, most = _counts(problem)
    problem.reset()
    results = [
        problem.check(*[____] * fewest),
        problem.check(*[0] * (most + 1)),
        problem.check(*["abc"] * max(fewest, 1)),
        *(problem.check(answer) for answer in _mistake_answers(problem)),
    ]
    problem_id = f"nb{number}.{name}"
    if problem_id not in SLOW_SOLUTIONS:
        results.append(run_solution(problem, name, **_solution_names(problem_id)))
    hints = [problem.hint()._repr_markdown_() for _ in range(len(problem.hints) + 1)]
    texts = [result._repr_markdown_() for result in results] + [repr(result) for result in results]
    return [*texts, *hints, problem.solution()._repr_markdown_(), repr(problem)]


def _by_notebook():
    params = defaultdict(list)
    for param in PROBLEMS:
        params[param.values[0]].append(param.values)
    for number, problems in sorted(params.items()):
        marks = [pytest.mark.xfail(reason=PENDING[number], strict=False)] if number in PENDING else []
        yield pytest.param(number, problems, id=f"nb{number}", marks=marks)


@pytest.mark.parametrize(("number", "problems"), list(_by_notebook()))
def test_every_message_a_learner_reads_is_spanish(monkeypatch, fresh_problems, number, problems):
    monkeypatch.setenv(LANG_ENV, "es")
    shown = []
    with untranslated() as missing:
        for _number, name, problem in problems:
            shown += shown_texts(number, name, problem)
            problem.reset()
    assert_spanish(shown, missing)


def test_the_english_detector_sees_english_and_not_spanish():
    assert english_words("you gave the text; a number is expected") == ["expected", "gave", "is", "the", "you"]
    assert english_words('Incorrecto: diste el texto "the"; usa `return x` y `q1.check(x)`') == []
    assert english_words("**Solución**:\n```python\n# the best line\nx = f(a, is_b=True)\n```") == ["the"]


def test_untranslated_records_only_missing_messages(monkeypatch):
    monkeypatch.setenv(LANG_ENV, "es")
    with untranslated() as missing:
        i18n._("Correct")  # In the catalog.
        i18n._("Incorrecto")  # Already Spanish (a msgstr).
        i18n._("{call} devolvió None: ¿olvidaste el `return`?").format(call="`f(1)`")
        i18n._(
            i18n._("`{name}` recibe {takes}: `{call}` (le diste {gave}).").format(
                name="q", takes="x", call="c", gave="1"
            )
        )
        i18n._("my_model")  # A name, nothing to translate.
        i18n._("A sentence nobody translated")
    assert missing == ["A sentence nobody translated"]
    monkeypatch.setenv(LANG_ENV, "en")
    with untranslated() as missing:
        i18n._("A sentence nobody translated")
    assert missing == []


def _replayable(module):
    """Yield (test, arguments) for each test of `module` that takes only its own parametrized values (no fixture)."""
    for name, test in vars(module).items():
        if not (name.startswith("test_") and inspect.isfunction(test)):
            continue
        parameters = list(inspect.signature(test).parameters)
        marks = [mark for mark in getattr(test, "pytestmark", []) if mark.name == "parametrize"]
        if not marks:
            if not parameters:
                yield test, ()
            continue
        names, values = marks[0].args[:2]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        if len(marks) == 1 and parameters == names:
            for value in values:
                value = getattr(value, "values", value)  # A pytest.param.
                yield test, tuple(value) if len(names) > 1 else (value,)


@pytest.fixture
def fresh_problems():
    """Forget the hints shown by the Spanish runs, so that later tests find every exercise as new."""
    yield
    for param in PROBLEMS:
        param.values[2].reset()


@pytest.mark.parametrize("number", sorted({param.values[0] for param in PROBLEMS}))
def test_the_scenarios_of_the_checkers_tests_read_in_spanish(monkeypatch, fresh_problems, number):
    """Replay tests/test_exercises_NN.py (the tests that need no fixture) with Spanish selected; their assertions,
    which expect English, are ignored: what counts is what each check, hint and solution showed."""
    if number in PENDING:
        pytest.xfail(PENDING[number])
    module = importlib.import_module(f"tests.test_exercises_{number}")
    shown, check, hint = [], Problem.check, Problem.hint

    def keep(result):
        shown.append(result._repr_markdown_())
        return result

    monkeypatch.setattr(Problem, "check", lambda self, *args, **named: keep(check(self, *args, **named)))
    monkeypatch.setattr(Problem, "hint", lambda self: keep(hint(self)))
    monkeypatch.setenv(LANG_ENV, "es")
    with untranslated() as missing:
        for test, arguments in _replayable(module):
            with contextlib.suppress(AssertionError, pytest.fail.Exception):
                test(*arguments)
    assert len(shown) >= 20, f"only {len(shown)} texts shown: did the replay find the tests?"
    assert_spanish(shown, missing)


# --- 4. Switching the language in a running process ------------------------------------------------------------


def test_switching_the_language_switches_every_message(monkeypatch, fresh_problems):
    from utils.checks.nb01 import q3

    q3.reset()
    shown = {}
    for code in ("en", "es", "en"):
        monkeypatch.setenv(LANG_ENV, code)
        shown.setdefault(code, []).append((repr(q3), repr(q3.check(17.0)), q3.hint()._repr_markdown_()))
        q3.reset()
    english, spanish = shown["en"][0], shown["es"][0]
    assert shown["en"][1] == english, "back in English, every message is English again"
    assert english[0] == "Exercise 3: dy/dx of y = x³ + 5x at x = 2 with GradientTape"
    assert spanish[0] == "Ejercicio 3: dy/dx de y = x³ + 5x en x = 2 con GradientTape"
    assert english[1].startswith("Correct: ") and spanish[1].startswith("Correcto: ")
    assert "**Hint 1**" in english[2] and "**Pista 1**" in spanish[2]
    assert "The tape recorded" in english[2] and "La cinta (tape) registró" in spanish[2]


def test_set_language_selects_spanish_for_later_messages(monkeypatch):
    monkeypatch.setenv(LANG_ENV, "")  # Recorded, so that the teardown undoes set_language's change too.
    assert i18n.language() == "en" and i18n._("Correct") == "Correct"
    i18n.set_language("es")
    assert i18n.language() == "es" and i18n._("Correct") == "Correcto"
    assert i18n._("") == "", "an empty text (an exercise without a note) stays empty, never the catalog's header"
    monkeypatch.setenv(LANG_ENV, "es-MX")
    assert i18n._("Not attempted yet") == "Aún sin intentar"


def test_missing_prints_po_entries_for_new_messages_only(tmp_path, capsys):
    module = tmp_path / "new.py"
    module.write_text('from utils.i18n import N_, _\n\nA = N_("Correct")\nB = _("A new message for {name}")\n')
    assert i18n.main(["missing", str(module)]) == 0
    printed = tmp_path / "printed.po"
    printed.write_text(capsys.readouterr().out.replace('msgstr ""', 'msgstr "x"'), encoding="utf-8")
    assert read_po(printed) == {"A new message for {name}": "x"}
