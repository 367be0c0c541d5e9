# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled checkpoint-state kernel (compat_learn._ckptstate_c).

The grammar, the API and every behaviour are those of the pure-Python twin,
compat_learn/_ckptstate_py.py, which is the documented reference; read it first.
Here the tokenizer and the common cases of strings and numbers run in C over the
file's bytes; errors and the rare escape / number spellings go through the shared
Python helpers in compat_learn/_ckptcommon.py, so messages cannot drift.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.exc cimport PyErr_SetFromErrnoWithFilenameObject
from cpython.float cimport PyFloat_AS_DOUBLE, PyFloat_CheckExact, PyFloat_FromDouble
from cpython.list cimport PyList_Append, PyList_GET_ITEM, PyList_GET_SIZE
from cpython.object cimport PyObject
from cpython.unicode cimport PyUnicode_CheckExact
from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memchr, memcmp, memcpy
from posix.stat cimport stat as c_stat
from posix.stat cimport struct_stat

import os

from compat_learn._ckptcommon import (
    E_COLON,
    E_ESCAPE,
    E_FIELD,
    E_LIST,
    E_NUMBER,
    E_STRING,
    E_UNTERMINATED,
    E_UTF8,
    FIELD_NAMES,
    parse_error,
    parse_float,
    unescape,
)

cdef extern from "Python.h":
    double c_strtod "PyOS_string_to_double"(const char *s, char **endptr, PyObject *overflow)
    PyObject *PyErr_Occurred()
    void PyErr_Clear()
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    void *PyUnicode_DATA(object o)
    bint PyUnicode_IS_ASCII(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    object PyUnicode_DecodeUTF8(const char *s, Py_ssize_t size, const char *errors)

__all__ = ["parse", "stat_key"]

cdef enum:
    MODEL = 0
    ALL_PATHS = 1
    ALL_STAMPS = 2
    PRESERVED = 3

cdef enum:
    K_EOF = 0
    K_IDENT = 1
    K_NUMBER = 2
    K_STRING = 3
    K_CHAR = 4

cdef enum:
    C_ID_START = 1
    C_ID_CONT = 2
    C_NUM_START = 4
    C_NUM_CONT = 8
    C_DIGIT = 16
    C_FLOAT = 32   # characters of a plain decimal number: handled by PyOS_string_to_double
    C_HEX = 64
    C_OCT = 128

cdef unsigned char CLS[256]
cdef unsigned char HEXVAL[256]


cdef void _init_tables():
    cdef int c
    for c in range(256):
        CLS[c] = 0
        HEXVAL[c] = 0
    for c in range(ord('a'), ord('z') + 1):
        CLS[c] |= C_ID_START | C_ID_CONT | C_NUM_CONT
        CLS[c - 32] |= C_ID_START | C_ID_CONT | C_NUM_CONT
    for c in range(ord('0'), ord('9') + 1):
        CLS[c] |= C_ID_CONT | C_NUM_START | C_NUM_CONT | C_DIGIT | C_FLOAT | C_HEX
        HEXVAL[c] = c - ord('0')
    for c in range(ord('0'), ord('7') + 1):
        CLS[c] |= C_OCT
    for c in range(6):
        CLS[ord('a') + c] |= C_HEX
        CLS[ord('A') + c] |= C_HEX
        HEXVAL[ord('a') + c] = 10 + c
        HEXVAL[ord('A') + c] = 10 + c
    CLS[ord('_')] |= C_ID_START | C_ID_CONT | C_NUM_CONT
    for c in (ord('+'), ord('-')):
        CLS[c] |= C_ID_CONT | C_NUM_START | C_NUM_CONT | C_FLOAT
    CLS[ord('.')] |= C_NUM_CONT | C_FLOAT
    CLS[ord('e')] |= C_FLOAT
    CLS[ord('E')] |= C_FLOAT


_init_tables()

_NAMES = dict(enumerate(FIELD_NAMES))


cdef struct Lexer:
    const unsigned char *b
    Py_ssize_t n
    Py_ssize_t start    # current token: b[start:end]
    Py_ssize_t end
    int kind
    char *buf           # scratch for strings that need copying
    Py_ssize_t cap
    Py_ssize_t len


cdef inline Py_ssize_t _space(const unsigned char *b, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """Length of the Unicode whitespace character (str.isspace) at b[i], else 0."""
    cdef unsigned char c = b[i], c1, c2
    if c < 0x80:
        return 1 if (c == 0x20 or 0x09 <= c <= 0x0D or 0x1C <= c <= 0x1F) else 0
    if c == 0xC2:  # U+0085, U+00A0
        if i + 1 < n and (b[i + 1] == 0x85 or b[i + 1] == 0xA0):
            return 2
        return 0
    if c < 0xE1 or c > 0xE3 or i + 2 >= n:
        return 0
    c1 = b[i + 1]
    c2 = b[i + 2]
    if c == 0xE1:  # U+1680
        return 3 if (c1 == 0x9A and c2 == 0x80) else 0
    if c == 0xE3:  # U+3000
        return 3 if (c1 == 0x80 and c2 == 0x80) else 0
    # U+2000-U+200A, U+2028, U+2029, U+202F, U+205F
    if c1 == 0x80 and (c2 <= 0x8A or c2 == 0xA8 or c2 == 0xA9 or c2 == 0xAF):
        return 3
    if c1 == 0x81 and c2 == 0x9F:
        return 3
    return 0


cdef inline Py_ssize_t _char_len(unsigned char c) noexcept nogil:
    if c < 0x80:
        return 1
    if c < 0xE0:
        return 2
    if c < 0xF0:
        return 3
    return 4


cdef void _next(Lexer *lx) noexcept nogil:
    """Advances to the next token (see _ckptstate_py._TOKENS)."""
    cdef const unsigned char *b = lx.b
    cdef Py_ssize_t n = lx.n
    cdef Py_ssize_t i = lx.end, j, w
    cdef unsigned char c, q
    while i < n:
        c = b[i]
        if c == b'#':
            while i < n and b[i] != b'\n':
                i += 1
            continue
        w = _space(b, i, n)
        if w == 0:
            break
        i += w
    lx.start = i
    if i >= n:
        lx.kind = K_EOF
        lx.end = n
        return
    c = b[i]
    j = i + 1
    if CLS[c] & C_ID_START:
        lx.kind = K_IDENT
        while j < n and CLS[b[j]] & C_ID_CONT:
            j += 1
    elif CLS[c] & C_NUM_START or (c == b'.' and j < n and CLS[b[j]] & C_DIGIT):
        lx.kind = K_NUMBER
        while j < n and CLS[b[j]] & C_NUM_CONT:
            j += 1
    elif c == b'"' or c == b"'":
        # Ends after the matching quote, or at the end of the line (with a lone
        # trailing backslash); a backslash takes the next character with it.
        lx.kind = K_STRING
        q = c
        while j < n:
            c = b[j]
            if c == b'\n':
                break
            if c == q:
                j += 1
                break
            if c == b'\\':
                if j + 1 < n and b[j + 1] != b'\n':
                    j += 2
                else:
                    j += 1
                    break
            else:
                j += 1
    else:
        lx.kind = K_CHAR
        j = i + _char_len(c)
    lx.end = j


cdef inline bint _is(Lexer *lx, unsigned char c) noexcept nogil:
    return lx.end - lx.start == 1 and lx.b[lx.start] == c


cdef int _reserve(Lexer *lx, Py_ssize_t extra) except -1:
    cdef Py_ssize_t want = lx.len + extra
    cdef char *grown
    if want <= lx.cap:
        return 0
    want = max(want, 2 * lx.cap, 256)
    grown = <char *>realloc(lx.buf, want)
    if grown == NULL:
        raise MemoryError()
    lx.buf = grown
    lx.cap = want
    return 0


cdef int _append(Lexer *lx, const char *s, Py_ssize_t k) except -1:
    if k == 0:
        return 0
    _reserve(lx, k)
    memcpy(lx.buf + lx.len, s, k)
    lx.len += k
    return 0


cdef object _error(Lexer *lx, int code, int field, object detail=None):
    """The shared parse error for the current token."""
    cdef Py_ssize_t i, pos = lx.start, line = 1, line_start = 0, column = 1
    for i in range(pos):
        if lx.b[i] == b'\n':
            line += 1
            line_start = i + 1
    for i in range(line_start, pos):
        if (lx.b[i] & 0xC0) != 0x80:
            column += 1
    token = PyUnicode_DecodeUTF8(<const char *>lx.b + pos, lx.end - pos, NULL)
    return parse_error(code, line, column, token, _NAMES.get(field), detail)


cdef int _simple_unescape(Lexer *lx, const unsigned char *s, Py_ssize_t k) except -1:
    """Appends the unescaped body when it only uses the C escapes; returns 0 to defer.

    Deferring (to _ckptcommon.unescape) covers \\u, \\U, \\N, octal above \\377,
    unknown escapes and malformed ones; the buffer is left as it was.
    """
    cdef Py_ssize_t i = 0, j, saved = lx.len, digits
    cdef unsigned char c, d
    cdef unsigned int v
    _reserve(lx, k)  # unescaping never makes the body longer
    while i < k:
        c = s[i]
        if c != b'\\':
            lx.buf[lx.len] = <char>c
            lx.len += 1
            i += 1
            continue
        if i + 1 >= k:
            lx.len = saved
            return 0
        d = s[i + 1]
        j = i + 2
        if d == b'\\' or d == b"'" or d == b'"':
            v = d
        elif d == b'n':
            v = 10
        elif d == b't':
            v = 9
        elif d == b'r':
            v = 13
        elif d == b'a':
            v = 7
        elif d == b'b':
            v = 8
        elif d == b'f':
            v = 12
        elif d == b'v':
            v = 11
        elif CLS[d] & C_OCT:
            v = d - 48
            digits = 1
            while digits < 3 and j < k and CLS[s[j]] & C_OCT:
                v = v * 8 + (s[j] - 48)
                j += 1
                digits += 1
            if v > 255:
                lx.len = saved
                return 0
        elif d == b'x' and j < k and CLS[s[j]] & C_HEX:
            # protobuf's CUnescape widens a lone hex digit; the codec takes two.
            v = HEXVAL[s[j]]
            j += 1
            if j < k and CLS[s[j]] & C_HEX:
                v = v * 16 + HEXVAL[s[j]]
                j += 1
        else:
            lx.len = saved
            return 0
        lx.buf[lx.len] = <char>v
        lx.len += 1
        i = j
    return 1


cdef inline bint _ascii(const unsigned char *s, Py_ssize_t k) noexcept nogil:
    cdef Py_ssize_t i = 0
    cdef uint64_t word
    while i + 8 <= k:
        memcpy(&word, s + i, 8)
        if word & 0x8080808080808080ULL:
            return False
        i += 8
    while i < k:
        if s[i] & 0x80:
            return False
        i += 1
    return True


# --- recycling the objects of the previous parse ------------------------------------
# A state file changes by an entry or two between saves, and a watcher or an evaluator
# reads it again after each one. Handing out the str and float objects of the previous
# result again where the new value is identical (both are immutable, so nothing but
# `is` can tell) saves allocating, and above all the page faults CPython's allocator
# pays for a large result: it returns freed arenas to the OS, so without recycling
# every re-read of a 200,000-entry file would fault its ~25 MB of objects in again
# (the per-entry cost would step up by a third above ~50,000 entries). Every byte is
# still tokenized and every value decoded and checked; only the result objects are
# shared. One slot: the lists of the last result (the caller's own lists, read with
# their current size at each step since Python code may change them), kept until the
# next parse: at most one state file's objects stay alive after their last user.
# The pure-Python twin does not recycle: its results are equal, which is the contract.

cdef list _last_paths = []
cdef list _last_stamps = []
cdef str _last_prefix = ""

cdef enum:
    FIRST = 64  # old entries looked through for the first value: saves since the last read
    RESYNC = 8  # entries looked ahead for a later value after a mismatch


cdef class _Recycler:
    """A cursor over a previous result list; takes equal objects from it in order."""
    cdef list items
    cdef Py_ssize_t next
    cdef bint started

    def __cinit__(self, list items):
        self.items = items
        self.next = 0
        self.started = False

    cdef inline Py_ssize_t _stop(self) noexcept:
        # The size is read again each time: the list is the caller's too, and Python
        # code run meanwhile (the slow paths) may have changed it.
        cdef Py_ssize_t n = PyList_GET_SIZE(self.items)
        # The first value is further on when old entries were dropped from the front
        # (one per save since the last read); later ones are expected in order. Both
        # searches are bounded, so a previous result from another file costs little.
        if not self.started:
            self.started = True
            return min(n, FIRST)
        return min(n, self.next + RESYNC)

    cdef object path(self, const char *s, Py_ssize_t k, const char *prefix, Py_ssize_t plen):
        """The previous str equal to the joined path (ASCII only), or None."""
        cdef Py_ssize_t i, stop, length, head
        cdef const char *d
        cdef PyObject *c
        head = 0 if k > 0 and s[0] == b'/' else plen
        stop = self._stop()
        for i in range(self.next, stop):
            c = PyList_GET_ITEM(self.items, i)
            if not PyUnicode_CheckExact(<object>c) or not PyUnicode_IS_ASCII(<object>c):
                continue
            length = PyUnicode_GET_LENGTH(<object>c)
            if length != head + k:
                continue
            d = <const char *>PyUnicode_DATA(<object>c)
            if (k == 0 or memcmp(d + head, s, k) == 0) and (head == 0 or memcmp(d, prefix, head) == 0):
                self.next = i + 1
                return <object>c
        return None

    cdef object number(self, double v):
        """The previous float with the same bits as ``v``, or None."""
        cdef Py_ssize_t i, stop
        cdef PyObject *c
        cdef double w
        stop = self._stop()
        for i in range(self.next, stop):
            c = PyList_GET_ITEM(self.items, i)
            if not PyFloat_CheckExact(<object>c):
                continue
            w = PyFloat_AS_DOUBLE(<object>c)
            if memcmp(&w, &v, sizeof(double)) == 0:
                self.next = i + 1
                return <object>c
        return None


cdef object _make_path(const char *s, Py_ssize_t k, object prefix, bint prefix_ascii, bint ascii):
    """``prefix + s`` as TF's os.path.join, in one allocation when both are ASCII."""
    cdef Py_ssize_t plen
    cdef char *out
    if k > 0 and s[0] == b'/':
        return PyUnicode_DecodeUTF8(s, k, NULL)
    if prefix_ascii and (ascii or _ascii(<const unsigned char *>s, k)):
        plen = PyUnicode_GET_LENGTH(prefix)
        result = PyUnicode_New(plen + k, 127)
        out = <char *>PyUnicode_DATA(result)
        memcpy(out, PyUnicode_DATA(prefix), plen)
        if k > 0:  # s is NULL for two empty literals ("" ""); memcpy from NULL is UB even for 0 bytes
            memcpy(out + plen, s, k)
        return result
    return prefix + PyUnicode_DecodeUTF8(s, k, NULL)


cdef object _string(Lexer *lx, int field, object prefix, bint prefix_ascii, bint ascii_file,
                    _Recycler ru=None):
    """One string value (adjacent literals joined); joined onto prefix for paths."""
    cdef const char *single = NULL
    cdef Py_ssize_t single_len = 0, count = 0, first_start, first_end
    cdef bint escaped = False
    cdef const unsigned char *body
    cdef Py_ssize_t body_len
    if lx.kind != K_STRING:
        raise _error(lx, E_STRING, field)
    first_start = lx.start
    first_end = lx.end
    lx.len = 0
    while lx.kind == K_STRING:
        if lx.end - lx.start < 2 or lx.b[lx.end - 1] != lx.b[lx.start]:
            raise _error(lx, E_UNTERMINATED, field)
        body = lx.b + lx.start + 1
        body_len = lx.end - lx.start - 2
        if count == 1:  # a second literal: from now on, copy
            _append(lx, single, single_len)
        if memchr(body, b'\\', body_len) != NULL:
            if count == 0:
                single_len = 0
            escaped = True
            if not _simple_unescape(lx, body, body_len):
                try:
                    raw = unescape(PyUnicode_DecodeUTF8(<const char *>body, body_len, NULL))
                except ValueError as exc:
                    raise _error(lx, E_ESCAPE, field, exc) from None
                _append(lx, PyBytes_AS_STRING(raw), PyBytes_GET_SIZE(raw))
        elif count == 0:
            single = <const char *>body
            single_len = body_len
        else:
            _append(lx, <const char *>body, body_len)
        count += 1
        _next(lx)
    if escaped:
        try:
            value = PyUnicode_DecodeUTF8(lx.buf, lx.len, NULL)
        except UnicodeDecodeError as exc:
            lx.start = first_start
            lx.end = first_end
            raise _error(lx, E_UTF8, field, exc) from None
        if field == ALL_PATHS and not value.startswith("/"):
            return prefix + value
        return value
    if count > 1:
        single = lx.buf
        single_len = lx.len
    if field == ALL_PATHS:
        if ru is not None and prefix_ascii:
            value = ru.path(single, single_len, <const char *>PyUnicode_DATA(prefix),
                            PyUnicode_GET_LENGTH(prefix))
            if value is not None:
                return value
        return _make_path(single, single_len, prefix, prefix_ascii, ascii_file)
    return PyUnicode_DecodeUTF8(single, single_len, NULL)


cdef object _number(Lexer *lx, int field, _Recycler ru=None):
    """One number value as a Python float."""
    cdef char tmp[64]
    cdef char *stop
    cdef Py_ssize_t k = lx.end - lx.start, i
    cdef double v
    cdef bint plain = lx.kind == K_NUMBER and k < 64
    if plain:
        for i in range(k):
            if not CLS[lx.b[lx.start + i]] & C_FLOAT:
                plain = False
                break
    if plain:
        # Python's float() is PyOS_string_to_double over the whole token.
        memcpy(tmp, lx.b + lx.start, k)
        tmp[k] = 0
        v = c_strtod(tmp, &stop, NULL)
        if PyErr_Occurred() != NULL:
            PyErr_Clear()
        elif stop == tmp + k:
            _next(lx)
            if ru is not None:
                value = ru.number(v)
                if value is not None:
                    return value
            return PyFloat_FromDouble(v)
    value = parse_float(PyUnicode_DecodeUTF8(<const char *>lx.b + lx.start, k, NULL))
    if value is None:
        raise _error(lx, E_NUMBER, field)
    _next(lx)
    return value


cdef int _field(Lexer *lx) noexcept nogil:
    cdef Py_ssize_t k = lx.end - lx.start
    cdef const char *s = <const char *>lx.b + lx.start
    if lx.kind != K_IDENT:
        return -1
    if k == 21 and memcmp(s, b"model_checkpoint_path", 21) == 0:
        return MODEL
    if k == 26 and memcmp(s, b"all_model_checkpoint_paths", 26) == 0:
        return ALL_PATHS
    if k == 31 and memcmp(s, b"all_model_checkpoint_timestamps", 31) == 0:
        return ALL_STAMPS
    if k == 24 and memcmp(s, b"last_preserved_timestamp", 24) == 0:
        return PRESERVED
    return -1


cdef inline int _put(list items, Py_ssize_t *count, object value) except -1:
    """Stores the next value: into the pre-sized list's next slot, else appended."""
    if count[0] < PyList_GET_SIZE(items):
        items[count[0]] = value
    else:
        PyList_Append(items, value)
    count[0] += 1
    return 0


cdef inline list _presized(list previous, bint same_file):
    # Sized like the previous result of the same file (a save adds one entry and drops
    # at most one): one allocation of the list's array instead of the ~100 reallocations
    # appending makes at 200,000 entries, whose growing blocks glibc kept returning to
    # the kernel and faulting in again (benchmarks/README.md, "Scaling"). The unused
    # slack is cut off at the end. Another file's size is no hint.
    if not same_file or PyList_GET_SIZE(previous) == 0:
        return []
    return [None] * (PyList_GET_SIZE(previous) + 16)


cdef object _value(Lexer *lx, int field, list paths, list stamps, Py_ssize_t *counts,
                   object prefix, bint prefix_ascii, bint ascii_file, _Recycler old_paths,
                   _Recycler old_stamps):
    if field == ALL_PATHS:
        _put(paths, &counts[0], _string(lx, field, prefix, prefix_ascii, ascii_file, old_paths))
    elif field == ALL_STAMPS:
        _put(stamps, &counts[1], _number(lx, field, old_stamps))
    elif field == MODEL:
        return _string(lx, field, prefix, prefix_ascii, ascii_file)
    else:
        return _number(lx, field)
    return None


def parse(bytes data not None, str checkpoint_dir not None):
    """See compat_learn._ckptstate_py.parse (the reference)."""
    global _last_paths, _last_stamps, _last_prefix
    cdef Lexer lx
    cdef int field
    cdef bint ascii_file, prefix_ascii
    lx.b = <const unsigned char *>PyBytes_AS_STRING(data)
    lx.n = PyBytes_GET_SIZE(data)
    lx.start = lx.end = 0
    lx.kind = K_EOF
    lx.buf = NULL
    lx.cap = lx.len = 0
    ascii_file = _ascii(lx.b, lx.n)
    if not ascii_file:
        # TF decodes the whole file strictly before parsing; same error, same words.
        PyUnicode_DecodeUTF8(<const char *>lx.b, lx.n, NULL)
    if not checkpoint_dir or checkpoint_dir.endswith("/"):
        prefix = checkpoint_dir
    else:
        prefix = checkpoint_dir + "/"
    prefix_ascii = PyUnicode_IS_ASCII(prefix)
    model = ""
    preserved = 0.0
    cdef bint same_file = prefix == _last_prefix
    cdef list paths = _presized(_last_paths, same_file)
    cdef list stamps = _presized(_last_stamps, same_file)
    cdef Py_ssize_t counts[2]
    counts[0] = counts[1] = 0
    cdef _Recycler old_paths = (
        _Recycler(_last_paths) if PyList_GET_SIZE(_last_paths) and same_file else None)
    cdef _Recycler old_stamps = _Recycler(_last_stamps) if PyList_GET_SIZE(_last_stamps) else None
    try:
        _next(&lx)
        while lx.kind != K_EOF:
            field = _field(&lx)
            if field < 0:
                raise _error(&lx, E_FIELD, -1)
            _next(&lx)
            if not _is(&lx, b':'):
                raise _error(&lx, E_COLON, field)
            _next(&lx)
            if (field == ALL_PATHS or field == ALL_STAMPS) and _is(&lx, b'['):
                _next(&lx)
                if _is(&lx, b']'):
                    _next(&lx)
                else:
                    while True:
                        _value(&lx, field, paths, stamps, counts, prefix, prefix_ascii, ascii_file, old_paths, old_stamps)
                        if _is(&lx, b']'):
                            _next(&lx)
                            break
                        if not _is(&lx, b','):
                            raise _error(&lx, E_LIST, field)
                        _next(&lx)
            elif field == MODEL:
                model = _value(&lx, field, paths, stamps, counts, prefix, prefix_ascii, ascii_file, None, None)
            elif field == PRESERVED:
                preserved = _value(&lx, field, paths, stamps, counts, prefix, prefix_ascii, ascii_file, None, None)
            else:
                _value(&lx, field, paths, stamps, counts, prefix, prefix_ascii, ascii_file, old_paths, old_stamps)
            if _is(&lx, b',') or _is(&lx, b';'):
                _next(&lx)
    finally:
        free(lx.buf)
    if counts[0] < PyList_GET_SIZE(paths):
        del paths[counts[0]:]
    if counts[1] < PyList_GET_SIZE(stamps):
        del stamps[counts[1]:]
    _last_paths = paths
    _last_stamps = stamps
    _last_prefix = prefix
    return model, paths, stamps, preserved


def stat_key(path):
    """See compat_learn._ckptstate_py.stat_key; one stat() and no stat_result."""
    cdef struct_stat st
    if not isinstance(path, bytes):
        path = os.fsencode(path)
    cdef const char *p = PyBytes_AS_STRING(path)
    if memchr(p, 0, PyBytes_GET_SIZE(path)) != NULL:
        raise ValueError("stat: embedded null character in path")
    if c_stat(p, &st) != 0:
        PyErr_SetFromErrnoWithFilenameObject(OSError, path)
    return (
        <unsigned long long>st.st_dev,
        <unsigned long long>st.st_ino,
        <long long>st.st_size,
        <long long>st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
    )
