"""What both checkpoint-state kernels share: the error type, its messages, slow paths.

The compiled kernel (``csrc/_ckptstate_c.pyx``) and its pure-Python twin
(``compat_learn/_ckptstate_py.py``) raise only what this module builds, so their
exception types and messages cannot drift apart. The two rare slow paths of the
grammar (escape sequences beyond the simple C ones, and number spellings beyond
plain decimal) are also defined here once and called by both kernels.

Everything here mirrors what TensorFlow 2.15's ``tf.train.get_checkpoint_state``
accepts, i.e. ``google.protobuf.text_format.Merge`` (protobuf 4.25) into the
``CheckpointState`` proto.
"""

import re

__all__ = [
    "E_COLON",
    "E_ESCAPE",
    "E_FIELD",
    "E_LIST",
    "E_NUMBER",
    "E_STRING",
    "E_UNTERMINATED",
    "E_UTF8",
    "FIELD_NAMES",
    "INVALID_STATE_MESSAGE",
    "CheckpointStateParseError",
    "parse_error",
    "parse_float",
    "unescape",
]

# The four fields of tensorflow/core/protobuf/checkpoint_state.proto (proto3), in
# field-number order. Field names must match exactly: text_format looks names up
# with fields_by_name (the lower-case retry only applies to groups, and there are none).
FIELD_NAMES = (
    "model_checkpoint_path",
    "all_model_checkpoint_paths",
    "all_model_checkpoint_timestamps",
    "last_preserved_timestamp",
)

# TF 2.15 checkpoint_management.get_checkpoint_state: the exact words of the ValueError
# raised when the state parses but names no model_checkpoint_path.
INVALID_STATE_MESSAGE = "Invalid checkpoint state loaded from "


class CheckpointStateParseError(ValueError):
    """The checkpoint state file is not a valid text-format ``CheckpointState``.

    Where TensorFlow's ``text_format`` raises ``ParseError`` (and
    ``tf.train.get_checkpoint_state`` returns None), both kernels raise this.
    ``compat_learn.checkpoints.read_checkpoint_state`` turns it into None, as TF does.

    Attributes:
      line: 1-based line of the offending token.
      column: 1-based column (in characters) of the offending token.
    """

    def __init__(self, message, line, column):
        super().__init__(message)
        self.line = line
        self.column = column


# Error codes the kernels pass to parse_error(); the messages live only here.
E_FIELD = 1
E_COLON = 2
E_STRING = 3
E_UNTERMINATED = 4
E_ESCAPE = 5
E_UTF8 = 6
E_NUMBER = 7
E_LIST = 8

_MESSAGES = {
    E_FIELD: "expected a field name (one of " + ", ".join(FIELD_NAMES) + "), got {token}",
    E_COLON: "expected ':' after `{field}`, got {token}",
    E_STRING: "expected a quoted string for `{field}`, got {token}",
    E_UNTERMINATED: "the string for `{field}` has no closing quote: {token}",
    E_ESCAPE: "bad escape sequence in the string for `{field}`: {detail}",
    E_UTF8: "the string for `{field}` is not valid UTF-8 once unescaped: {detail}",
    E_NUMBER: "expected a number for `{field}`, got {token}",
    E_LIST: "expected ',' or ']' in the list for `{field}`, got {token}",
}

_TOKEN_SHOWN = 40


def _show(token):
    if not token:
        return "end of file"
    if len(token) > _TOKEN_SHOWN:
        return repr(token[:_TOKEN_SHOWN]) + "..."
    return repr(token)


def parse_error(code, line, column, token, field=None, detail=None):
    """Builds (does not raise) the parse error both kernels raise.

    Args:
      code: one of the ``E_*`` codes.
      line: 1-based line of the offending token.
      column: 1-based column, in characters, of the offending token.
      token: the offending token's text ("" at the end of the file).
      field: the field being parsed, if any.
      detail: the underlying reason for E_ESCAPE / E_UTF8.

    Returns:
      A CheckpointStateParseError.
    """
    text = _MESSAGES[code].format(token=_show(token), field=field, detail=detail)
    return CheckpointStateParseError(f"line {line}, column {column}: {text}", line, column)


# --- numbers ------------------------------------------------------------------------
# protobuf 4.25 text_format.ParseFloat: Python's float() first (so "1e5", "-inf",
# "NaN", "1_000", integers and even a lone non-ASCII decimal digit all work), then
# "inf"/"infinity"/"nan" with an optional trailing "f" in any case, then the token
# with every trailing lower-case "f" stripped ("1.5f", "2ff").
_INFINITY = re.compile(r"-?inf(?:inity)?f?\Z", re.IGNORECASE)
_NAN = re.compile(r"nanf?\Z", re.IGNORECASE)


def parse_float(token):
    """The value of a number token as TF's text-format parser reads it, or None.

    Args:
      token: the token text (str).

    Returns:
      A float, or None when TF would reject the token.
    """
    try:
        return float(token)
    except ValueError:
        pass
    if _INFINITY.match(token):
        return float("-inf") if token[0] == "-" else float("inf")
    if _NAN.match(token):
        return float("nan")
    try:
        return float(token.rstrip("f"))
    except ValueError:
        return None


# --- strings ------------------------------------------------------------------------
# protobuf 4.25 text_encoding.CUnescape defines string escapes as Python's
# "unicode_escape" codec applied to the UTF-8 bytes of the literal, after a lone hex
# digit "\xF" has been widened to "\x0F", and then re-encoded with
# "raw_unicode_escape" (so a code point above 0xFF, e.g. "\u1234", comes back as the
# six bytes "\u1234", and one in 0x80-0xFF as a single raw byte). The codec emits a
# DeprecationWarning for an unknown escape such as "\q" (keeping the backslash) and
# for an octal escape above 0o377 (giving that code point); we get the same results
# without the warnings by doubling the backslash, and by spelling the code point as
# a "\u" escape.
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F](?![0-9a-fA-F])|[0-7]{1,3}|.)", re.DOTALL)
_CODEC_ESCAPES = frozenset("\\'\"abfnrtvxNuU")
_OCTAL = frozenset("01234567")


def _normalise_escape(match):
    body = match.group(1)
    if body[0] == "x" and len(body) == 2:  # "\xF" -> "\x0F"
        return "\\x0" + body[1]
    if body[0] in _OCTAL:
        value = int(body, 8)
        return match.group(0) if value <= 0o377 else f"\\u{value:04x}"
    if body in _CODEC_ESCAPES:
        return match.group(0)
    return "\\\\" + body


def unescape(body):
    """The bytes of one string literal's body (quotes removed), as TF reads them.

    Args:
      body: the text between the quotes (str, no newline).

    Returns:
      bytes.

    Raises:
      ValueError: (UnicodeDecodeError) on a malformed escape such as "\\x", a
        truncated "\\u12", an unknown "\\N{...}" name or a trailing backslash.
    """
    normalised = _ESCAPE.sub(_normalise_escape, body)
    return normalised.encode("utf-8").decode("unicode_escape").encode("raw_unicode_escape")
