"""Fixtures shared by the whole suite.

Module-specific fixtures live in their own test modules; this file holds only what
every area needs: a clean TF_CONFIG, and the scanner implementation fixture.
"""

import importlib
import os

import pytest


def _flag(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(autouse=True)
def _no_tf_config(monkeypatch):
    """Every test starts without TF_CONFIG; tests that need one set it themselves."""
    monkeypatch.delenv("TF_CONFIG", raising=False)


def _implementations():
    """The scanner kernels this run must test, with readable ids."""
    impls = [pytest.param("python", id="python")]
    if _flag("COMPAT_LEARN_NO_EXTENSIONS"):
        return impls
    try:
        importlib.import_module("compat_learn._ckptstate_c")
    except ImportError:
        if _flag("COMPAT_LEARN_REQUIRE_EXTENSIONS"):
            # A required extension that is missing is a failure of this run, not a skip.
            raise
        return impls
    return [pytest.param("cython", id="cython")] + impls


@pytest.fixture(params=_implementations())
def kernel(request):
    """The kernel module under test: compat_learn._ckptstate_c or _ckptstate_py."""
    name = {"cython": "compat_learn._ckptstate_c", "python": "compat_learn._ckptstate_py"}[request.param]
    return importlib.import_module(name)
