"""Installs compat_learn's aliases in processes started under ``compat-learn run``.

Python imports ``sitecustomize`` at start-up from the first ``sys.path`` entry that has
one; ``compat-learn run`` prepends this directory to ``PYTHONPATH`` and sets
``COMPAT_LEARN_RUN`` (``aliases`` or ``tf1``) and ``COMPAT_LEARN_TF1_ROOTS``. Any
other ``sitecustomize`` further down ``sys.path`` still runs afterwards. Nothing here
imports TensorFlow. ``python -S``, ``-I`` or ``-E`` skip this file, as they skip every
``sitecustomize``.
"""
import importlib.machinery
import importlib.util
import os
import sys


def _install():
    mode = os.environ.get("COMPAT_LEARN_RUN", "")
    if mode not in ("aliases", "tf1"):
        return
    try:
        from compat_learn import _alias
    except ImportError as exc:  # another interpreter, or compat_learn not importable
        sys.stderr.write(f"compat_learn: aliases not installed in this process ({exc})\n")
        return
    roots = [r for r in os.environ.get("COMPAT_LEARN_TF1_ROOTS", "").split(os.pathsep) if r]
    _alias.install(tf1=(mode == "tf1"), tf1_roots=roots)


def _chain():
    """Runs the next ``sitecustomize`` on sys.path, which this one shadows."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


_install()
_chain()
