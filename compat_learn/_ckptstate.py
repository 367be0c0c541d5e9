"""Picks the checkpoint-state kernel once, at import.

The compiled kernel ``compat_learn._ckptstate_c`` (built from csrc/_ckptstate_c.pyx)
when it is importable, else the pure-Python twin ``compat_learn._ckptstate_py``.

* ``COMPAT_LEARN_NO_EXTENSIONS=1`` forces the pure-Python twin.
* ``COMPAT_LEARN_REQUIRE_EXTENSIONS=1`` makes a missing compiled kernel an ImportError.
"""

import os

__all__ = ["IMPLEMENTATION", "parse", "stat_key"]


def _flag(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


if _flag("COMPAT_LEARN_NO_EXTENSIONS"):
    if _flag("COMPAT_LEARN_REQUIRE_EXTENSIONS"):
        raise ImportError(
            "COMPAT_LEARN_NO_EXTENSIONS and COMPAT_LEARN_REQUIRE_EXTENSIONS are both set; "
            "unset one of them."
        )
    from compat_learn._ckptstate_py import parse, stat_key

    IMPLEMENTATION = "python"
else:
    try:
        from compat_learn._ckptstate_c import parse, stat_key
    except ImportError as exc:
        if _flag("COMPAT_LEARN_REQUIRE_EXTENSIONS"):
            raise ImportError(
                "COMPAT_LEARN_REQUIRE_EXTENSIONS is set but compat_learn's compiled "
                f"checkpoint scanner (compat_learn._ckptstate_c) cannot be imported ({exc}). "
                "Build it with `python setup.py build_ext --inplace` (needs Cython and a C "
                "compiler), or unset COMPAT_LEARN_REQUIRE_EXTENSIONS to use the pure-Python one."
            ) from exc
        from compat_learn._ckptstate_py import parse, stat_key

        IMPLEMENTATION = "python"
    else:
        IMPLEMENTATION = "cython"
