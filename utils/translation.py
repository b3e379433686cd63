"""The Spanish edition kept in step with the English source: what needs translating, and code carried over.

The English notebooks (notebooks/) are the source. Each Spanish notebook (notebooks/es/, its file named in
utils/course.py) has exactly their cells, with the same ids and types in the same order, and each Spanish cell
records which English text it translates: its metadata holds the English cell's metadata plus
``"translation": {"source_sha": "<16 hex digits>"}``, the fingerprint() of the English cell's source. A cell
that still holds English waiting for a translator also has ``"untranslated": true`` there. A Spanish code cell
differs from its English twin only in comments and string literals (program_differences() says how else).

    python -m utils.translation status            # everything that needs translating; exit 1 if anything does
    python -m utils.translation sync [04 ...]     # bring the Spanish notebooks' cells in line with English
    python -m utils.translation done 04 cell-012  # after translating a listed cell: record what it translates

`sync` adds the cells English gained (with the English text, marked untranslated), drops those it lost,
follows its order, copies its metadata, rewrites the Setup cell (utils/course.py's, in Spanish) and carries
code cells over: a code cell whose English changed takes the new English code, and gets back the Spanish of
every comment and string literal whose English did not change (the English text the old Spanish translated is
found in git history by its fingerprint). A cell with anything new to translate is marked untranslated.
Markdown whose English changed keeps its Spanish until a translator updates it (`status` lists it).
"""

import argparse
import ast
import copy
import difflib
import hashlib
import io
import json
import re
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from functools import cache

from utils import course

#: The Spanish edition's language code.
SPANISH = "es"
#: What an Item can be: a missing notebook, cells that differ from English's (added, removed, moved, of another
#: type), a translation of an older English text, English waiting for a translator, a Setup cell that is not the
#: Spanish one, or code that is not the English program.
KINDS = ("missing", "structure", "stale", "untranslated", "setup", "program")
#: Keyword arguments whose strings are data the program reads (a translated "relu" would change the program).
DATA_KEYWORDS = frozenset(
    {"activation", "padding", "loss", "metrics", "monitor", "optimizer", "mode", "cmap", "interpolation", "dtype"}
)
#: Short English words: a line or a comment that is the same as in English and holds several of them is English
#: left untranslated (code, formulas and names hold few).
ENGLISH_WORDS = frozenset(
    "the and of to is are with this that for from you your it in on as be by an at which what when how its each "
    "one has have not or than then into there their they we our can will".split()
)
_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")
_HISTORY_DEPTH = 200


def fingerprint(text):
    """Return the fingerprint of an English cell's source: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def source(cell):
    """Return a cell's source as one string."""
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def first_line(text):
    """Return the first non-blank line of a cell's text, cut to 80 characters."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "<empty cell>")[:80]


def read(path):
    """Return the notebook at `path` as parsed JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def dumps(notebook):
    """Return a notebook's JSON text as Jupyter writes it (and as the course's notebooks are committed)."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def setup_index(cells):
    """Return the index of the first code cell (the Setup cell), or None."""
    return next((i for i, cell in enumerate(cells) if cell["cell_type"] == "code"), None)


# --- The same program: a code cell and its translation differ only in comments and string literals ------------


class _Blank(ast.NodeTransformer):
    """Blank the words of a program: string literals become "", f-strings keep only their placeholders.

    Strings that are data stay: the DATA_KEYWORDS arguments (activation="relu") and format specs ({x:.4f}).
    Keys (KERNELS["identity"]) may be labels a learner reads: key_inconsistencies() checks them instead.
    """

    def __init__(self):
        self.kept = set()

    def keep(self, node):
        for inner in ast.walk(node):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                self.kept.add(id(inner))

    def visit_keyword(self, node):
        if node.arg in DATA_KEYWORDS:
            self.keep(node.value)
        return self.generic_visit(node)

    def visit_FormattedValue(self, node):
        if node.format_spec is not None:
            self.keep(node.format_spec)
        return self.generic_visit(node)

    def visit_JoinedStr(self, node):
        node.values = [value for value in node.values if not isinstance(value, ast.Constant)]
        return self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and id(node) not in self.kept:
            return ast.Constant(value="")
        return node


def shape(code):
    """Return the program of `code` with its words blanked (an ast dump): what a translation must keep."""
    return ast.dump(_Blank().visit(ast.parse(code)))


def placeholders(code):
    """Return the f-string placeholders of `code`, in order, as source text ("{loss:.4f}" gives "loss:.4f").

    String literals inside a placeholder ({'MLP':<24}) are words, blanked as shape() blanks them.
    """
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.FormattedValue):
            spec = ast.unparse(node.format_spec)[2:-1] if node.format_spec else ""
            conversion = f"!{chr(node.conversion)}" if node.conversion != -1 else ""
            value = ast.unparse(_Blank().visit(copy.deepcopy(node.value)))  # A label inside {} is words too.
            found.append(value + conversion + (f":{spec}" if spec else ""))
    return found


def _words(code):
    """Return the comments and string literals of `code`, as text."""
    return ["\n".join(unit.text) for unit in _units(code)]


def has_decimal_comma(number, text):
    """Return True if `text` writes the decimal `number` ("0.98") with a comma ("0,98"), as a number of its own."""
    return re.search(r"(?<![\d.,])" + re.escape(number.replace(".", ",")) + r"(?![\d])", text) is not None


def _first_difference(english, spanish):
    """Return the first line where the two programs, words blanked, differ: English `...` / Spanish `...`."""
    ours, theirs = (ast.unparse(_Blank().visit(ast.parse(code))).splitlines() for code in (english, spanish))
    for en, es in zip([*ours, "<end>"], [*theirs, "<end>"], strict=False):
        if en != es:
            return f"English `{en.strip()}`, Spanish `{es.strip()}`"
    return "the same lines, in a different syntax tree"


def program_differences(english, spanish):
    """Return how a Spanish code cell differs from its English twin beyond words (an empty list when it does not)."""
    try:
        spanish_shape = shape(spanish)
    except SyntaxError as error:
        return [f"the Spanish code does not parse: {error.msg} (line {error.lineno})"]
    problems = []
    if spanish_shape != shape(english):
        problems.append(
            "the code differs from English beyond comments and strings (identifiers, numbers, data strings such "
            f"as activation names, or the structure): {_first_difference(english, spanish)}; take the English "
            "code and translate only its words"
        )
    if placeholders(spanish) != placeholders(english):
        problems.append(
            f"the f-string placeholders differ: English {placeholders(english)}, Spanish {placeholders(spanish)}"
        )
    decimals = {number for text in _words(english) for number in _DECIMAL.findall(text)}
    spanish_words = " ".join(_words(spanish))
    commas = sorted(number for number in decimals if has_decimal_comma(number, spanish_words))
    if commas:
        problems.append(f"numbers stay in Python's notation: write {', '.join(commas)}, not with a decimal comma")
    return problems


# --- Carrying code over: the words of a program, and their Spanish -----------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """A run of words in a program: a string literal, or a block of comments (on consecutive lines)."""

    kind: str  # "string" or "comment"
    start: int  # offset in the source
    end: int
    text: tuple  # the literal's text, or the block's comments one per line


def _tokens(code):
    return list(tokenize.generate_tokens(io.StringIO(code).readline))


def _line_offsets(code):
    offsets, total = [0], 0
    for line in code.splitlines(keepends=True):
        total += len(line)
        offsets.append(total)
    return offsets


def _string_units(tokens, offset):
    """Yield the string literals (an f-string of Python 3.12+ tokens as one) as units."""
    fstring = {"FSTRING_START": 1, "FSTRING_END": -1}
    depth, start = 0, None
    for token in tokens:
        name = tokenize.tok_name[token.type]
        if name == "STRING" and depth == 0:
            yield _Unit("string", offset(token.start), offset(token.end), (token.string,))
        elif name in fstring:
            start = token.start if depth == 0 else start
            depth += fstring[name]
            if depth == 0:
                yield _Unit("string", offset(start), offset(token.end), (token.string,))


def _comment_units(tokens, lines, offset):
    """Yield the comments as units: consecutive own-line comments at one indentation form one block."""
    block = []
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        row, col = token.start
        alone = not lines[row - 1][:col].strip()
        if block and alone and block[-1].start == (row - 1, col) and block[-1].alone:
            block.append(_Comment(token, alone))
            continue
        if block:
            yield _block_unit(block, offset)
        block = [_Comment(token, alone)]
    if block:
        yield _block_unit(block, offset)


@dataclass(frozen=True)
class _Comment:
    token: tokenize.TokenInfo
    alone: bool

    @property
    def start(self):
        return self.token.start


def _block_unit(block, offset):
    return _Unit(
        "comment", offset(block[0].token.start), offset(block[-1].token.end), tuple(c.token.string for c in block)
    )


def _units(code):
    """Return the words of `code` (string literals and comment blocks), in the order they appear."""
    tokens = _tokens(code)
    starts = _line_offsets(code)

    def offset(position):
        return starts[position[0] - 1] + position[1]

    lines = code.splitlines()
    units = [*_string_units(tokens, offset), *_comment_units(tokens, lines, offset)]
    return sorted(units, key=lambda unit: unit.start)


def _skeleton(code):
    """Return the program's tokens other than words and layout: equal for a cell and its faithful translation."""
    layout = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.STRING}
    names = {"FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END"}
    return [t.string for t in _tokens(code) if t.type not in layout and tokenize.tok_name[t.type] not in names]


def _pairs(english, spanish):
    """Return [(kind, English words, Spanish words)] of a code cell and its translation, paired in order.

    Where the two programs' other tokens, or their numbers of string literals or comment blocks, differ,
    nothing can be paired (that kind, or everything, is left out).
    """
    try:
        if _skeleton(english) != _skeleton(spanish):
            return []
        ours, theirs = _units(english), _units(spanish)
    except (SyntaxError, tokenize.TokenError):
        return []
    found = []
    for kind in ("string", "comment"):
        en_units, es_units = [u for u in ours if u.kind == kind], [u for u in theirs if u.kind == kind]
        if len(en_units) == len(es_units):
            found += [(kind, en.text, es.text) for en, es in zip(en_units, es_units, strict=True)]
    return found


def _keys(code):
    """Return the string literals `code` uses as keys: subscripts (KERNELS["identity"]) and dict keys."""
    nodes = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Subscript):
            nodes.append(node.slice)
        elif isinstance(node, ast.Dict):
            nodes += [key for key in node.keys if key is not None]
    return {node.value for node in nodes if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def key_inconsistencies(pairs):
    """Return the keys of a notebook's code translated in more than one way (a lookup that would then fail).

    `pairs` holds (English code, Spanish code) for every code cell. A key that is a label (the kernels' names in
    06) may be translated, but the same way everywhere, so that each lookup still finds its entry.
    """
    keys = set().union(*(_keys(english) for english, _ in pairs)) if pairs else set()
    seen = {}
    for english, spanish in pairs:
        for kind, ours, theirs in _pairs(english, spanish):
            try:
                key, value = ast.literal_eval(ours[0]), ast.literal_eval(theirs[0])
            except (ValueError, SyntaxError):
                continue  # An f-string: not a key.
            if kind == "string" and key in keys:
                seen.setdefault(key, set()).add(value)
    return [
        f"the key {key!r} is translated in {len(values)} ways ({', '.join(map(repr, sorted(values)))}): "
        "use one everywhere, or keep the English"
        for key, values in seen.items()
        if len(values) > 1
    ]


def translations_of(english, spanish):
    """Return {(kind, English words): Spanish words} read from a translated code cell and its English twin.

    Words pair up in order, kind by kind; where the two programs' other tokens, or their numbers of string
    literals or comment blocks, differ, nothing can be paired and the map is empty.
    """
    found = {}
    for kind, ours, theirs in _pairs(english, spanish):
        found.setdefault((kind, ours), theirs)
    return found


def _rendered(unit, words, code):
    if unit.kind == "string":
        return words[0]
    line_start = code.rfind("\n", 0, unit.start) + 1
    indent = " " * (unit.start - line_start)
    return ("\n" + indent).join(words)


def carry_over(old_english, old_spanish, new_english):
    """Return (Spanish code, complete): `new_english` with the Spanish of its unchanged words put back.

    Every comment block and string literal of `new_english` that `old_spanish` translated (as the translation
    of `old_english`) gets that translation; `complete` is False when some words are new (they stay English)
    or when the result would not be the same program as `new_english` (then it is `new_english` itself).
    """
    known = translations_of(old_english, old_spanish)
    code, complete = new_english, True
    for unit in reversed(_units(new_english)):
        words = known.get((unit.kind, unit.text))
        if words is None:
            complete = False
            continue
        code = code[: unit.start] + _rendered(unit, words, new_english) + code[unit.end :]
    if program_differences(new_english, code):
        return new_english, False
    return code, complete


# --- What needs translating -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing to translate or fix in a Spanish notebook."""

    notebook: str  # the Spanish notebook, relative to the course's root
    cell: str | None  # the cell's id, or None for the whole notebook
    line: str  # the first line of the Spanish cell (of the English one where Spanish has none)
    what: str
    #: "missing", "structure", "stale", "untranslated", "setup" or "program" (see KINDS).
    kind: str = "stale"

    def __str__(self):
        where = f"cell {self.cell} ({self.line!r})" if self.cell else "the notebook"
        return f"{self.notebook}: {where}: {self.what}"


def translation_of(cell):
    """Return a Spanish cell's translation record ({"source_sha": ..., "untranslated": ...}), {} when it has none."""
    record = cell.get("metadata", {}).get("translation")
    return record if isinstance(record, dict) else {}


def _structure_items(english, spanish, item):
    """Yield the cells English gained, lost or moved, and the cells whose type differs."""
    en_ids = [cell.get("id") for cell in english]
    es_ids = [cell.get("id") for cell in spanish]
    for cell in english:
        if cell.get("id") not in es_ids:
            yield item(
                cell, f"missing: the English {cell['cell_type']} cell was added; run sync to add it", "structure"
            )
    for cell in spanish:
        if cell.get("id") not in en_ids:
            yield item(cell, "English no longer has this cell: run sync to drop it", "structure")
    common_en = [cid for cid in en_ids if cid in es_ids]
    common_es = [cid for cid in es_ids if cid in en_ids]
    by_id = {cell.get("id"): cell for cell in spanish}
    for cid, theirs in zip(common_en, common_es, strict=True):
        if cid != theirs:
            yield item(
                by_id[theirs], f"out of order: English has {cid} here; run sync to follow its order", "structure"
            )


def _english_words(text):
    """Return the short English words of `text`, leaving out inline code, formulas and parentheses."""
    prose = re.sub(r"`[^`]*`|\$[^$]*\$|\([^)]*\)", " ", text.lower())
    return set(re.findall(r"[a-z']+", prose)) & ENGLISH_WORDS


def english_left(english, spanish, kind):
    """Return the English a Spanish cell still holds: markdown lines, or code comments and strings, that are
    exactly as in its English twin and read as English sentences (three short English words, two in code)."""
    if kind == "markdown":
        ours = {" ".join(line.split()) for line in english.splitlines()}
        lines = (" ".join(line.split()) for line in spanish.splitlines())
        return [line for line in lines if line in ours and len(_english_words(line)) >= 3]
    try:
        ours = {unit.text for unit in _units(english)}
        theirs = _units(spanish)
    except (SyntaxError, tokenize.TokenError):
        return []
    return ["\n".join(u.text) for u in theirs if u.text in ours and len(_english_words(" ".join(u.text))) >= 2]


def english_change(old, new, most=8):
    """Return what changed from the English `old` to `new`, as "- old line" / "+ new line" lines (at most `most`)."""
    lines = [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]
    return lines[:most] + ([f"... ({len(lines) - most} more lines)"] if len(lines) > most else [])


def _cell_items(en_cell, es_cell, is_setup, item, history=dict):
    """Yield what is wrong with one Spanish cell compared with its English twin."""
    english, spanish = source(en_cell), source(es_cell)
    record = translation_of(es_cell)
    if en_cell["cell_type"] != es_cell["cell_type"]:
        yield item(es_cell, f"is {es_cell['cell_type']}, English has {en_cell['cell_type']}: run sync", "structure")
        return
    if not record.get("source_sha"):
        yield item(es_cell, 'has no "translation": {"source_sha": ...} in its metadata', "stale")
    elif record["source_sha"] != fingerprint(english):
        old = history().get(record["source_sha"])
        change = "".join(f"\n      {line[:110]}" for line in english_change(old, english)) if old else ""
        yield item(
            es_cell, f"its English text changed since it was translated: update it, then run done{change}", "stale"
        )
    elif record.get("untranslated"):
        yield item(es_cell, "still untranslated (English text): translate it, then run done", "untranslated")
    elif not is_setup:
        for words in english_left(english, spanish, en_cell["cell_type"])[:3]:
            yield item(es_cell, f"still English: {words[:100]!r}", "untranslated")
    if is_setup and spanish != course.setup_cell(language=SPANISH):
        yield item(es_cell, "is not the Spanish Setup cell: run python -m utils.course --write (or sync)", "setup")
    elif en_cell["cell_type"] == "code" and not is_setup:
        for problem in program_differences(english, spanish):
            yield item(es_cell, problem, "program")


def items(notebook):
    """Return the Items of one notebook of utils.course.NOTEBOOKS: everything its Spanish edition needs."""
    path = notebook.path_in(SPANISH)
    name = str(path.relative_to(course.ROOT))

    def item(cell, what, kind):
        cell_id = cell.get("id") if cell else None
        what = what.replace("run done", f"run python -m utils.translation done {notebook.number} {cell_id}")
        return Item(name, cell_id, first_line(source(cell)) if cell else "", what, kind)

    if not path.exists():
        what = f"missing: translate {notebook.name} (python -m utils.translation sync {notebook.number})"
        return [item(None, what, "missing")]
    english, spanish = read(notebook.path)["cells"], read(path)["cells"]
    found = list(_structure_items(english, spanish, item))
    by_id = {cell.get("id"): cell for cell in spanish}
    setup = setup_index(english)
    for index, en_cell in enumerate(english):
        if en_cell.get("id") in by_id:
            found += _cell_items(
                en_cell, by_id[en_cell.get("id")], index == setup, item, lambda: _english_history(notebook)
            )
    return found


def status(numbers=()):
    """Print everything the Spanish notebooks need; return 1 when anything is listed, else 0."""
    listed = 0
    for notebook in _chosen(numbers):
        found = items(notebook)
        listed += len(found)
        print(f"{notebook.name_in(SPANISH)}: {len(found) or 'nothing'} to do")
        for entry in found:
            print(f"  {entry}")
    print(f"{listed} item(s) to translate or fix" if listed else "The Spanish edition is up to date.")
    return 1 if listed else 0


# --- sync: the Spanish notebooks' cells follow the English ones -------------------------------------------------


def _english_history(notebook):
    """Return {fingerprint: source} of every code cell of the English notebook in git (the last commits)."""
    return _history(str(notebook.path.relative_to(course.ROOT)), str(course.ROOT))


@cache
def _history(relative, root):
    texts = {}
    log = subprocess.run(
        ["git", "-C", root, "log", f"-{_HISTORY_DEPTH}", "--format=%H", "--", relative],
        capture_output=True,
        text=True,
    )
    for commit in log.stdout.split() if log.returncode == 0 else ():
        shown = subprocess.run(["git", "-C", root, "show", f"{commit}:{relative}"], capture_output=True, text=True)
        try:
            cells = json.loads(shown.stdout)["cells"] if shown.returncode == 0 else []
        except (ValueError, KeyError):
            cells = []  # A version that was not a notebook: nothing to learn from it.
        for cell in cells:
            texts.setdefault(fingerprint(source(cell)), source(cell))
    return texts


def _as_cell(en_cell, text, sha, untranslated):
    """Return a Spanish cell: the English cell's id, type and metadata, `text`, and its translation record."""
    cell = copy.deepcopy(en_cell)
    cell["source"] = text.splitlines(keepends=True)
    record = {"source_sha": sha} | ({"untranslated": True} if untranslated else {})
    cell["metadata"] = {**cell.get("metadata", {}), "translation": record}
    if cell["cell_type"] == "code":
        cell["outputs"], cell["execution_count"] = [], None
    return cell


def _synced_cell(notebook, en_cell, es_cell, is_setup):
    """Return the Spanish cell for `en_cell`, from the Spanish one it had (or None)."""
    english, sha = source(en_cell), fingerprint(source(en_cell))
    if is_setup:
        return _as_cell(en_cell, course.setup_cell(language=SPANISH), sha, False)
    if es_cell is None or es_cell["cell_type"] != en_cell["cell_type"]:
        return _as_cell(en_cell, english, sha, True)
    record = translation_of(es_cell)
    if record.get("source_sha") == sha or en_cell["cell_type"] != "code":
        return _as_cell(en_cell, source(es_cell), record.get("source_sha") or sha, record.get("untranslated", False))
    old_english = _english_history(notebook).get(record.get("source_sha"))
    if old_english is None:
        return _as_cell(en_cell, english, sha, True)
    code, complete = carry_over(old_english, source(es_cell), english)
    return _as_cell(en_cell, code, sha, not complete or record.get("untranslated", False))


def synced(notebook):
    """Return the Spanish notebook (parsed JSON) brought in line with the English one."""
    english = read(notebook.path)
    path = notebook.path_in(SPANISH)
    old = {cell.get("id"): cell for cell in read(path)["cells"]} if path.exists() else {}
    setup = setup_index(english["cells"])
    result = copy.deepcopy(english)
    result["cells"] = [
        _synced_cell(notebook, cell, old.get(cell.get("id")), index == setup)
        for index, cell in enumerate(english["cells"])
    ]
    return result


def sync(numbers=()):
    """Bring the chosen Spanish notebooks (all by default) in line with English; print what changed."""
    for notebook in _chosen(numbers):
        path = notebook.path_in(SPANISH)
        before = path.read_text(encoding="utf-8") if path.exists() else None
        text = dumps(synced(notebook))
        if text != before:
            path.parent.mkdir(parents=True, exist_ok=True)
            course.write_atomically(path, text)
        to_do = len(items(notebook))
        print(f"{path.relative_to(course.ROOT)}: {'updated' if text != before else 'unchanged'}, {to_do} to do")
    return 0


def done(number, cell_ids):
    """Record that the given cells of a Spanish notebook now translate the English text they face."""
    (notebook,) = _chosen([number])
    path = notebook.path_in(SPANISH)
    spanish = read(path)
    english = {cell.get("id"): cell for cell in read(notebook.path)["cells"]}
    unknown = [cid for cid in cell_ids if cid not in english]
    if unknown:
        raise ValueError(f"{notebook.name} has no cell {', '.join(unknown)}: run status to see the cells to do.")
    for cell in spanish["cells"]:
        if cell.get("id") in cell_ids:
            cell.setdefault("metadata", {})["translation"] = {"source_sha": fingerprint(source(english[cell["id"]]))}
    course.write_atomically(path, dumps(spanish))
    return 0


def _chosen(numbers):
    """Return the notebooks named by number ("04"), English stem or Spanish stem; all when none is named."""
    if not numbers:
        return list(course.NOTEBOOKS)
    chosen = []
    for wanted in numbers:
        key = wanted.removesuffix(".ipynb").split("/")[-1]
        match = [nb for nb in course.NOTEBOOKS if key in (nb.number, nb.stem, nb.stem_es) or key.zfill(2) == nb.number]
        if not match:
            raise ValueError(f"no notebook {wanted!r}: use its number, 01 to {course.NOTEBOOKS[-1].number}.")
        chosen += match
    return chosen


def main(argv=None):
    """List what the Spanish notebooks need, or bring them in line with the English ones."""
    parser = argparse.ArgumentParser(
        prog="python -m utils.translation",
        description=main.__doc__,
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("status", "list what needs translating (exit 1 if anything)"), ("sync", sync.__doc__)):
        commands.add_parser(name, help=text).add_argument("notebooks", nargs="*", help="numbers (04); all if none")
    marked = commands.add_parser("done", help=done.__doc__)
    marked.add_argument("notebook", help="its number (04)")
    marked.add_argument("cells", nargs="+", help="the ids of the cells translated (cell-012)")
    args = parser.parse_args(argv)
    try:
        if args.command == "done":
            return done(args.notebook, args.cells)
        return status(args.notebooks) if args.command == "status" else sync(args.notebooks)
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    sys.exit(main())
