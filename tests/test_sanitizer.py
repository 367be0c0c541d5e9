"""`tox -e sanitize` is what it claims: an instrumented scanner, the sanitizer runtimes
loaded in the test process, and a report that ends the run.

Runs only in that environment (COMPAT_LEARN_SANITIZE=1, set by tox.ini): elsewhere
the scanner is built without sanitizers and there is nothing to check.
"""

import importlib
import os
import signal
import subprocess

import pytest
from _sanitizer import runtime_libraries

from _procs import run_python

if os.environ.get("COMPAT_LEARN_SANITIZE") != "1":
    pytest.skip("checks the sanitizer build; runs in `tox -e sanitize`", allow_module_level=True)

# Throwaway code with the bugs the sanitizers must catch; volatile keeps gcc from
# folding them away.
_BUGGY_C = r"""
#include <stdlib.h>
#include <string.h>

int clean(void) { return 0; }

/* The old _make_path: two empty literals ("" "") left the source NULL. */
int null_memcpy(void) {
    char out[1] = {0};
    const char *volatile source = NULL;
    volatile size_t length = 0;
    memcpy(out, source, length);
    return out[0];
}

int heap_overflow(void) {
    char *volatile block = malloc(4);
    int value = block[4];
    free(block);
    return value;
}
"""


def _tool(*argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60).stdout


def _dynamic(path, tag):
    """The values of one tag of an ELF file's dynamic section (NEEDED, SONAME)."""
    return {line.split("[")[-1].rstrip("]") for line in _tool("readelf", "-d", path).splitlines()
            if f"({tag})" in line}


@pytest.fixture(scope="module")
def scanner_path():
    return importlib.import_module("compat_learn._ckptstate_c").__file__


def test_the_scanner_is_built_with_both_sanitizers(scanner_path):
    symbols = {line.split()[-1] for line in _tool("nm", "-D", "--undefined-only", scanner_path).splitlines()}
    assert {"__asan_init", "__asan_report_load1", "__asan_report_store1"} <= symbols
    # -fsanitize=undefined with -fno-sanitize-recover=all: the handlers that stop.
    assert "__ubsan_handle_nonnull_arg_abort" in symbols  # the check that caught _make_path
    assert not {s for s in symbols if s.startswith("__ubsan_handle_") and not s.endswith("_abort")}
    # It needs the very runtimes the launcher preloads (gcc's, same sonames).
    sonames = {soname for path in runtime_libraries() for soname in _dynamic(path, "SONAME")}
    assert len(sonames) == 2 and sonames <= _dynamic(scanner_path, "NEEDED")


def test_the_runtimes_are_loaded_in_this_process(scanner_path):
    with open("/proc/self/maps") as maps:
        mapped = maps.read()
    for path in runtime_libraries() + [os.path.realpath(scanner_path)]:
        assert path in mapped


@pytest.fixture(scope="module")
def buggy_library(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sanitizer")
    source = directory / "buggy.c"
    source.write_text(_BUGGY_C)
    library = directory / "libbuggy.so"
    flags = os.environ["SANITIZE_CFLAGS"].split()  # the flags tox.ini built the scanner with
    _tool("gcc", *flags, "-shared", "-fPIC", "-o", str(library), str(source))
    return str(library)


@pytest.mark.parametrize("function,report", [
    ("null_memcpy", "null pointer passed as argument 2"),
    ("heap_overflow", "AddressSanitizer: heap-buffer-overflow"),
])
def test_a_report_aborts_python(buggy_library, function, report):
    # A child Python with this process's environment (LD_PRELOAD, ASAN_OPTIONS,
    # UBSAN_OPTIONS) calls into sanitized code, as pytest calls the scanner here.
    call = "import ctypes, sys; sys.exit(getattr(ctypes.CDLL(sys.argv[1]), sys.argv[2])())"
    assert run_python(["-c", call, buggy_library, "clean"], env=dict(os.environ))[0] == 0
    code, _, err = run_python(["-c", call, buggy_library, function], env=dict(os.environ))
    assert code == -signal.SIGABRT, err
    assert report in err
