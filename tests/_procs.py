"""Child Python processes for tests: the compat_learn under test, a hard timeout, and
an end by the child's own pid whatever happens.

Children import the same compat_learn the test process imported (the installed
package under tox, the source tree under ``python -m pytest``), never a shadowing
copy: PYTHONPATH points at the directory holding that package, and the working
directory defaults to a temporary one (``python -c`` puts the cwd first on sys.path).
"""

import ctypes
import os
import signal
import subprocess
import sys
import tempfile

import compat_learn

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(compat_learn.__file__)))
TIMEOUT = 120


def python_env(extra=None, drop=()):
    """os.environ with PYTHONPATH at the package under test; `drop` names are removed."""
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    for name in ("COMPAT_LEARN_RUN", "COMPAT_LEARN_TF1_ROOTS") + tuple(drop):
        env.pop(name, None)
    env.update(extra or {})
    return env


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent():
    """In the child, before exec: the kernel SIGKILLs it when the test process dies.

    Finalizers do not run when pytest itself is killed (a CI timeout); a TensorFlow
    ps, which never exits by itself, must not outlive the test run then.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def run_python(argv, cwd=None, timeout=TIMEOUT, env=None):
    """Runs ``python argv...``; returns (returncode, stdout, stderr).

    The child is killed by its pid if it outlives `timeout` or the test is
    interrupted, and always reaped.
    """
    proc = subprocess.Popen([sys.executable] + list(argv), cwd=cwd or tempfile.gettempdir(),
                            env=env if env is not None else python_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_die_with_parent)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, out, err


def start_python(argv, cwd, env, stdout, stderr):
    """Starts ``python argv...`` in its own session (its own process group) and returns
    the Popen; end it with `stop` (e.g. from a fixture finalizer)."""
    return subprocess.Popen([sys.executable] + list(argv), cwd=cwd, env=env,
                            stdout=stdout, stderr=stderr, start_new_session=True,
                            preexec_fn=_die_with_parent)


def stop(proc, grace=3.0):
    """Ends `proc` by its own pid: SIGTERM, then SIGKILL after `grace` seconds (a
    TensorFlow ps blocked in ``server.join()`` ignores SIGINT). Returns its status."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait()
