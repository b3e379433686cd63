"""The course's languages: English (the source) and Spanish, through gettext, standard library only.

Every message a learner or instructor reads from `utils` is written in English and wrapped in `_()`::

    from utils.i18n import _

    raise Incorrect(_("Expected {expected} values, got {got}.").format(expected=3, got=len(values)))

`_()` looks the English text up in the catalog of the language selected *at the time of the call*:
`DL_WORKSHOP_LANG` ("en", the default, or "es"), which the Spanish notebooks' Setup cell sets and which
selects Spanish for every command (`DL_WORKSHOP_LANG=es python -m utils.doctor`). A message the catalog
lacks is shown in English (the tests fail on that; see tests/test_i18n.py).

Catalogs live in utils/locale/<language>/LC_MESSAGES/<domain>.po (one domain per group of modules, so
several people can translate at once) and are compiled to the .mo files next to them, which are committed
(Colab installs nothing): `python -m utils.i18n compile` rewrites every .mo from its .po, and
`python -m utils.i18n check` exits 1 when a .mo is stale. All domains of a language are merged.

Placeholders are named (`{expected}`), never positional, so a translation may reorder them; a test checks
that each Spanish message keeps exactly the placeholders of its English original.

A text defined before the language may change (a class attribute: an exercise's `title`, `hints`, a table of
mistakes) is marked `N_("...")`, which translates nothing, and translated where it is shown: `_(self.title)`.
`python -m utils.i18n missing FILE...` prints, as .po entries to translate, the messages of those files that no
Spanish catalog has yet. Under `with untranslated() as missing:` (tests/test_i18n.py), every message `_()` has to
give back in English while Spanish is selected is recorded.
"""

import ast
import contextlib
import gettext
import os
import re
import struct
import sys
from pathlib import Path

#: The variable that selects the language; its value "es" (or "es_ES", "es-MX", ...) selects Spanish.
LANG_ENV = "DL_WORKSHOP_LANG"
#: The languages the course speaks, the first being the source.
LANGUAGES = ("en", "es")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_catalogs = {}


def language():
    """Return the selected language: "es" when DL_WORKSHOP_LANG says Spanish, else "en"."""
    value = os.environ.get(LANG_ENV, "").strip().lower().replace("-", "_")
    code = value.split("_")[0]
    return code if code in LANGUAGES else "en"


def set_language(code):
    """Select the language of every later message ("en" or "es"), in this process and those it starts."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}: choose one of {', '.join(LANGUAGES)}.")
    os.environ[LANG_ENV] = code


def catalog(code):
    """Return the merged gettext catalog of language `code` (NullTranslations for English)."""
    if code not in _catalogs:
        merged = gettext.NullTranslations()
        folder = LOCALE_DIR / code / "LC_MESSAGES"
        for mo in sorted(folder.glob("*.mo")) if code != "en" else ():
            with mo.open("rb") as stream:
                translations = gettext.GNUTranslations(stream)
            translations.add_fallback(merged)
            merged = translations
        _catalogs[code] = merged
    return _catalogs[code]


def _(message):
    """Return `message` in the selected language (itself in English, or when it has no translation)."""
    code = language()
    if code == "en" or not message:  # gettext("") would return the catalog's header.
        return message
    translated = catalog(code).gettext(message)
    if _recording and not is_translated(message, code) and not _looks_like_code(message):
        _recording[-1].append(message)
    return translated


def N_(message):
    """Mark `message` for translation without translating it: `_()` translates it where it is shown.

    For texts defined before the language may change (class attributes such as `title`, `hints`, a table of
    mistakes): the code that shows them calls `_(text)`, and the marker lets the tests find the msgid.
    """
    return message


def known_texts(code):
    """Return every msgid and msgstr of language `code`'s catalogs: a text `_()` may be given back unchanged.

    A msgstr counts too, so that a message translated where it was made and passed through `_()` again
    (a hint already in Spanish) is not taken for a missing translation.
    """
    key = ("known", code)
    if key not in _catalogs:
        known, translations = set(), catalog(code)
        while translations is not None:
            for msgid, msgstr in getattr(translations, "_catalog", {}).items():
                known.update((msgid, msgstr))
            translations = getattr(translations, "_fallback", None)
        _catalogs[key] = known
    return _catalogs[key]


def is_translated(text, code):
    """Return True if `text` is in the catalogs of language `code`: a msgid, a msgstr, or a msgstr filled in.

    The last case is a message that a checker translated and formatted, which code further on passes through `_()`
    once more (a note, a hint); only these are told apart from a message with no translation at all.
    """
    if text in known_texts(code):
        return True
    key = ("templates", code)
    if key not in _catalogs:
        _catalogs[key] = [_template(msgstr) for msgstr in known_texts(code) if "{" in msgstr]
    return any(template.fullmatch(text) for template in _catalogs[key] if template is not None)


def _template(msgstr):
    """Return a regular expression matching `msgstr` with any values in its placeholders, or None if too vague."""
    pieces = re.split(r"(?<!\{)\{[^{}]*\}(?!\})", msgstr)
    if sum(len(re.findall(r"[^\W\d_]", piece)) for piece in pieces) < 12:  # "{a}: {b}" would match anything.
        return None
    literal = [re.escape(piece.replace("{{", "{").replace("}}", "}")) for piece in pieces]
    return re.compile("(?s)" + ".*?".join(literal))


def _looks_like_code(text):
    """Return True for a text with nothing to translate: "`images`", "my_model" (names a message may pass on)."""
    prose = re.sub(r"`[^`]*`", "", text).strip()
    if not re.search(r"[^\W\d_]{2}", prose):
        return True
    return " " not in prose and bool(re.search(r"[_.()\[\]=]", prose))


#: The lists that `untranslated()` is filling, innermost last.
_recording = []


@contextlib.contextmanager
def untranslated():
    """Record the messages `_()` gives back in English, for want of a translation, while another language is selected.

    The tests use it: `with untranslated() as missing: ...` then `assert not missing`.
    """
    missing = []
    _recording.append(missing)
    try:
        yield missing
    finally:
        _recording.remove(missing)


# --- .po files: read, compile to .mo (what GNU msgfmt does, for the subset the course writes) -------------


def _unquote(line):
    return ast.literal_eval(line)


def read_po(path):
    """Return {msgid: msgstr} of a .po file (the header, msgid "", included; fuzzy entries left out)."""
    entries, msgid, msgstr, current, fuzzy = {}, None, None, None, False

    def flush():
        if msgid is not None and not fuzzy:
            entries[msgid] = msgstr or ""

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            msgid, msgstr, current, fuzzy = None, None, None, True
        elif line.startswith("msgid "):
            if current == "msgstr":  # The entry before ended without a blank line.
                flush()
                fuzzy = False  # The flag was that entry's.
            msgid, msgstr, current = _unquote(line[6:]), None, "msgid"
        elif line.startswith("msgstr "):
            msgstr, current = _unquote(line[7:]), "msgstr"
        elif line.startswith('"') and current == "msgid":
            msgid += _unquote(line)
        elif line.startswith('"') and current == "msgstr":
            msgstr += _unquote(line)
        elif not line and current == "msgstr":
            flush()
            msgid, msgstr, current, fuzzy = None, None, None, False
    if current == "msgstr":
        flush()
    return entries


def mo_bytes(entries):
    """Return the bytes of a GNU .mo file holding `entries` ({msgid: msgstr}); untranslated ones left out."""
    pairs = sorted((k.encode("utf-8"), v.encode("utf-8")) for k, v in entries.items() if v)
    ids = b"".join(k + b"\0" for k, _v in pairs)
    strs = b"".join(v + b"\0" for _k, v in pairs)
    start = 7 * 4 + 16 * len(pairs)
    offsets, position = [], 0
    for k, _v in pairs:
        offsets += [len(k), start + position]
        position += len(k) + 1
    position = 0
    for _k, v in pairs:
        offsets += [len(v), start + len(ids) + position]
        position += len(v) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(pairs), 7 * 4, 7 * 4 + 8 * len(pairs), 0, 0)
    return header + struct.pack(f"{len(offsets)}i", *offsets) + ids + strs


def po_files(code=None):
    """Return the .po files of language `code` (of every language when None), sorted."""
    pattern = f"{code or '*'}/LC_MESSAGES/*.po"
    return sorted(LOCALE_DIR.glob(pattern))


def compile_all(write=True):
    """Compile every .po to its .mo; return the .mo files that were (or, with write=False, would be) changed."""
    changed = []
    for po in po_files():
        mo = po.with_suffix(".mo")
        data = mo_bytes(read_po(po))
        if not mo.exists() or mo.read_bytes() != data:
            changed.append(mo)
            if write:
                temporary = mo.with_suffix(".mo.part")
                temporary.write_bytes(data)
                os.replace(temporary, mo)
    _catalogs.clear()
    return changed


# --- Finding the messages to translate ----------------------------------------------------------------------


def extract(path):
    """Return [(msgid, line)] for every `_("...")` and `N_("...")` of a Python file whose argument is a literal text."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_") and node.args:
            text = node.args[0]
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                found.append((text.value, node.lineno))
    return sorted(found, key=lambda item: item[1])


def po_entry(msgid, msgstr="", reference=None):
    """Return one .po entry: the reference comment, then msgid and msgstr (multi-line texts split at each newline)."""

    def quoted(keyword, text):
        lines = text.splitlines(keepends=True)
        if len(lines) <= 1:
            return f"{keyword} {_quote(text)}\n"
        return f'{keyword} ""\n' + "".join(f"{_quote(line)}\n" for line in lines)

    comment = f"#: {reference}\n" if reference else ""
    return comment + quoted("msgid", msgid) + quoted("msgstr", msgstr)


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def missing(paths, code="es"):
    """Return .po entries (msgstr empty) for the messages of `paths` that no .po file of language `code` has yet."""
    known = {}
    for po in po_files(code):
        known.update(read_po(po))
    entries, seen = [], set()
    root = LOCALE_DIR.parent.parent
    for path in map(Path, paths):
        reference = path.resolve().relative_to(root) if path.resolve().is_relative_to(root) else path
        for msgid, _line in extract(path):
            if msgid not in known and msgid not in seen:
                seen.add(msgid)
                entries.append(po_entry(msgid, reference=reference.as_posix()))
    return entries


def main(argv=None):
    """`python -m utils.i18n compile|check|missing FILE...`: write the .mo files, exit 1 when one is stale, or print
    the .po entries that the given Python files still need (to paste into a domain and translate)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["missing"]:
        print("\n".join(missing(args[1:])), end="")
        return 0
    if args == ["compile"]:
        for mo in compile_all():
            print(f"wrote {mo.relative_to(LOCALE_DIR.parent.parent)}")
        return 0
    if args == ["check"]:
        stale = compile_all(write=False)
        for mo in stale:
            print(f"stale: {mo.relative_to(LOCALE_DIR.parent.parent)} (run: python -m utils.i18n compile)")
        return 1 if stale else 0
    print("usage: python -m utils.i18n compile|check|missing FILE...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
