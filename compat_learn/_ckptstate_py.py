"""Pure-Python checkpoint-state kernel: the documented reference.

``csrc/_ckptstate_c.pyx`` is its compiled twin and must behave identically
(tests/test_checkpoints_kernel.py runs every kernel test on both). Public code imports
neither directly: ``compat_learn._ckptstate`` picks one at import.

The grammar is exactly what TensorFlow 2.15 accepts for the ``checkpoint`` state file,
i.e. ``google.protobuf.text_format.Merge`` (protobuf 4.25) into ``CheckpointState``:

* The text is UTF-8 (TF's ``read_file_to_string`` decodes it strictly, so invalid
  UTF-8 raises UnicodeDecodeError, a ValueError, before any parsing).
* Between tokens: any Unicode whitespace (``str.isspace``) and ``#`` comments that
  run to the end of the line.
* Tokens: identifiers ``[a-zA-Z_][0-9a-zA-Z_+-]*``; numbers
  ``([0-9+-]|\\.[0-9])[0-9a-zA-Z_.+-]*``; strings in either quote that end at the
  matching quote or at the end of the line (the latter is an error when used); any
  other single character.
* Fields: ``name: value`` (the colon is required: every field is a scalar), in any
  order, each optionally followed by one ``,`` or ``;``. The two repeated fields also
  take ``name: [v1, v2]`` (possibly empty); repeated values append, singular ones
  overwrite (last wins). Any other name is an error.
* Strings: adjacent literals concatenate; escapes follow
  ``_ckptcommon.unescape``; the result must be valid UTF-8.
* Numbers: ``_ckptcommon.parse_float`` (integers, ``1e5``, ``inf``, ``-Infinity``,
  ``nan``, ``1.5f``, ...).
"""

import os
import re

from compat_learn._ckptcommon import (
    E_COLON,
    E_ESCAPE,
    E_FIELD,
    E_LIST,
    E_NUMBER,
    E_STRING,
    E_UNTERMINATED,
    E_UTF8,
    parse_error,
    parse_float,
    unescape,
)

__all__ = ["parse", "stat_key"]

# One match per token, whitespace and comments skipped before it; the final match is
# the empty token at the end of the text. Each alternative is the corresponding
# regex of protobuf 4.25 text_format.Tokenizer, over the whole text instead of
# line by line (so "end of line" is "before \n or at the end").
_TOKENS = re.compile(
    r"""(?:\s|\#[^\n]*)*
    ( [a-zA-Z_][0-9a-zA-Z_+-]*
    | (?:[0-9+-]|\.[0-9])[0-9a-zA-Z_.+-]*
    | "[^"\n\\]*(?:\\[^\n][^"\n\\]*)*(?:"|\\?(?=\n|\Z))
    | '[^'\n\\]*(?:\\[^\n][^'\n\\]*)*(?:'|\\?(?=\n|\Z))
    | [^\n]
    | \Z
    )""",
    re.VERBOSE,
)

_MODEL, _ALL_PATHS, _ALL_STAMPS, _PRESERVED = range(4)
_FIELDS = {
    "model_checkpoint_path": _MODEL,
    "all_model_checkpoint_paths": _ALL_PATHS,
    "all_model_checkpoint_timestamps": _ALL_STAMPS,
    "last_preserved_timestamp": _PRESERVED,
}
_NAMES = {v: k for k, v in _FIELDS.items()}
_QUOTES = ("'", '"')


def stat_key(path):
    """``(st_dev, st_ino, st_size, st_mtime_ns)`` of ``path`` (bytes); raises OSError."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class _Tokens:
    """The token list plus what an error message needs (positions, on demand)."""

    def __init__(self, text):
        self.text = text
        self.items = _TOKENS.findall(text)

    def error(self, code, index, field=None, detail=None):
        match = None
        for n, found in enumerate(_TOKENS.finditer(self.text)):
            match = found
            if n == index:
                break
        offset = match.start(1)
        line_start = self.text.rfind("\n", 0, offset) + 1
        line = self.text.count("\n", 0, offset) + 1
        name = None if field is None else _NAMES[field]
        return parse_error(code, line, offset - line_start + 1, self.items[index], name, detail)


def _string(tokens, i, field):
    """Reads one string value (adjacent literals joined) at token ``i``."""
    items = tokens.items
    tok = items[i]
    if not tok or tok[0] not in _QUOTES:
        raise tokens.error(E_STRING, i, field)
    first = i
    bodies = []
    escaped = False
    while tok and tok[0] in _QUOTES:
        if len(tok) < 2 or tok[-1] != tok[0]:
            raise tokens.error(E_UNTERMINATED, i, field)
        body = tok[1:-1]
        if "\\" in body:
            escaped = True
            try:
                body = unescape(body)
            except ValueError as exc:
                raise tokens.error(E_ESCAPE, i, field, exc) from None
        bodies.append(body)
        i += 1
        tok = items[i]
    if not escaped:
        return "".join(bodies), i
    raw = b"".join(b if isinstance(b, bytes) else b.encode("utf-8") for b in bodies)
    try:
        return raw.decode("utf-8"), i
    except UnicodeDecodeError as exc:
        raise tokens.error(E_UTF8, first, field, exc) from None


def _number(tokens, i, field):
    value = parse_float(tokens.items[i])
    if value is None:
        raise tokens.error(E_NUMBER, i, field)
    return value, i + 1


def parse(data, checkpoint_dir):
    """Parses the bytes of a checkpoint state file.

    Args:
      data: the file's bytes.
      checkpoint_dir: str; relative ``all_model_checkpoint_paths`` are joined onto it
        (``os.path.join`` on POSIX, as TF does).

    Returns:
      ``(model_checkpoint_path, all_model_checkpoint_paths,
      all_model_checkpoint_timestamps, last_preserved_timestamp)``: the model path as
      written (not joined: the caller validates it first), the joined path list, the
      timestamp list and a float.

    Raises:
      UnicodeDecodeError: the bytes are not UTF-8 (TF raises the same).
      CheckpointStateParseError: TF's text_format would raise ParseError.
    """
    if type(data) is not bytes:  # the compiled kernel's `bytes data not None`
        raise TypeError(f"Argument 'data' has incorrect type (expected bytes, got "
                        f"{type(data).__name__})")
    tokens = _Tokens(data.decode("utf-8"))
    items = tokens.items
    model = ""
    paths = []
    stamps = []
    preserved = 0.0
    i = 0
    tok = items[0]
    while tok:
        field = _FIELDS.get(tok)
        if field is None:
            raise tokens.error(E_FIELD, i)
        i += 1
        if items[i] != ":":
            raise tokens.error(E_COLON, i, field)
        i += 1
        read = _number if field >= _ALL_STAMPS else _string
        if field == _ALL_PATHS or field == _ALL_STAMPS:
            out = paths if field == _ALL_PATHS else stamps
            if items[i] == "[":
                i += 1
                if items[i] == "]":
                    i += 1
                else:
                    while True:
                        value, i = read(tokens, i, field)
                        out.append(value)
                        if items[i] == "]":
                            i += 1
                            break
                        if items[i] != ",":
                            raise tokens.error(E_LIST, i, field)
                        i += 1
            else:
                value, i = read(tokens, i, field)
                out.append(value)
        elif field == _MODEL:
            model, i = read(tokens, i, field)
        else:
            preserved, i = read(tokens, i, field)
        tok = items[i]
        if tok == "," or tok == ";":
            i += 1
            tok = items[i]
    # TF checkpoint_management.get_checkpoint_state: os.path.join(checkpoint_dir, p)
    # for every relative path (posixpath.join semantics).
    prefix = checkpoint_dir if not checkpoint_dir or checkpoint_dir.endswith("/") else checkpoint_dir + "/"
    paths = [p if p.startswith("/") else prefix + p for p in paths]
    return model, paths, stamps, preserved
