"""`compat-learn run` / `python -m compat_learn run|check` (compat_learn.cli, _runner).

Every run is a subprocess with a hard timeout, killed by its own pid. Scripts that do
not import TensorFlow keep most of these tests fast.
"""

import json
import os
import sys
import textwrap

import pytest

from compat_learn import cli

import _procs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 90


def run(argv, cwd, timeout=TIMEOUT):
    """Runs ``python argv...``; kills the process by its pid on timeout or failure."""
    return _procs.run_python(argv, cwd=cwd, timeout=timeout)


def write(path, text):
    path.write_text(textwrap.dedent(text))
    return str(path)


SCRIPT = """\
import sys

def fail():
    raise ValueError("boom " + " ".join(sys.argv[1:]))

if __name__ == "__main__":
    print("argv=%r file=%s path0=%s" % (sys.argv, __file__, sys.path[0]))
    if "--raise" in sys.argv:
        fail()
    if "--exit" in sys.argv:
        sys.exit(int(sys.argv[-1]))
"""


@pytest.fixture
def script(tmp_path):
    return write(tmp_path / "legacy.py", SCRIPT)


def test_run_passes_arguments_and_runs_as_main(script, tmp_path):
    rc, out, err = run(["-m", "compat_learn", "run", script, "--flag", "x", "--tf1"],
                       cwd=tmp_path)
    assert rc == 0, err
    assert out.strip() == "argv={!r} file={} path0={}".format(
        [script, "--flag", "x", "--tf1"], script, os.path.dirname(script))


def test_run_keeps_exit_status(script, tmp_path):
    rc, _, _ = run(["-m", "compat_learn", "run", script, "--exit", "7"], cwd=tmp_path)
    assert rc == 7


def test_run_traceback_is_the_one_python_prints(script, tmp_path):
    want = run([script, "--raise", "now"], cwd=tmp_path)
    got = run(["-m", "compat_learn", "run", script, "--raise", "now"], cwd=tmp_path)
    assert got[0] == want[0] == 1
    assert got[2] == want[2]
    assert "ValueError: boom --raise now" in got[2]


def test_missing_script_gives_pythons_error_and_status(tmp_path):
    missing = str(tmp_path / "missing.py")
    want = run([missing], cwd=tmp_path)
    got = run(["-m", "compat_learn", "run", missing], cwd=tmp_path)
    assert got[0] == want[0] == 2
    assert got[2] == want[2]


def test_syntax_error_gives_pythons_error_and_status(tmp_path):
    bad = write(tmp_path / "bad.py", "x = 1\ndef (:\n")
    want = run([bad], cwd=tmp_path)
    got = run(["-m", "compat_learn", "run", bad], cwd=tmp_path)
    assert got[0] == want[0] == 1
    assert got[2] == want[2]
    assert "SyntaxError" in got[2]


def test_run_without_script_is_a_usage_error(tmp_path):
    rc, _, err = run(["-m", "compat_learn", "run"], cwd=tmp_path)
    assert rc == 2
    assert "script" in err


def test_children_started_with_sys_executable_get_the_aliases(tmp_path):
    parent = write(tmp_path / "parent.py", """\
        import subprocess, sys
        child = ("import sys; from compat_learn import _alias; "
                 "print(_alias.is_installed(), 'tensorflow' in sys.modules)")
        out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                             timeout=60)
        print("child:", out.stdout.strip(), out.stderr.strip())
        from compat_learn import _alias
        print("parent:", _alias.is_installed())
        """)
    rc, out, err = run(["-m", "compat_learn", "run", parent], cwd=tmp_path)
    assert rc == 0, err
    assert "child: True False" in out  # installed, and TensorFlow not imported for it
    assert "parent: True" in out


# ---------------------------------------------------------------------------------------
# run -m MODULE: `python -m MODULE` itself is the oracle.
# ---------------------------------------------------------------------------------------
MODULE = """\
import sys

print("argv=%r name=%s file=%s package=%s spec=%s path0=%s" % (
    sys.argv, __name__, __file__, __package__, __spec__.name, sys.path[0]))
if "--raise" in sys.argv:
    import trainer.util
    trainer.util.fail()
if "--exit" in sys.argv:
    sys.exit(int(sys.argv[-1]))
"""


@pytest.fixture
def package(tmp_path):
    (tmp_path / "trainer").mkdir()
    write(tmp_path / "trainer" / "__init__.py", "")
    write(tmp_path / "trainer" / "task.py", MODULE)
    write(tmp_path / "trainer" / "__main__.py", MODULE)
    write(tmp_path / "trainer" / "util.py", """\
        def fail():
            raise ValueError("boom")
        """)
    return tmp_path


@pytest.mark.parametrize("module", ["trainer.task", "trainer"])
def test_run_m_runs_the_module_as_python_m_does(package, module):
    args = ["--output_dir", "out", "--tf1", "-m", "x"]
    want = run(["-m", module] + args, cwd=package)
    got = run(["-m", "compat_learn", "run", "-m", module] + args, cwd=package)
    assert want[0] == 0, want[2]
    assert got == want
    assert "name=__main__" in got[1] and f"path0={package}" in got[1]
    # -mMODULE, as Python spells it too
    assert run(["-m", "compat_learn", "run", "-m" + module] + args, cwd=package) == want


def test_run_m_keeps_exit_status_and_pythons_traceback(package):
    assert run(["-m", "compat_learn", "run", "-m", "trainer.task", "--exit", "7"],
               cwd=package)[0] == 7
    want = run(["-m", "trainer.task", "--raise"], cwd=package)
    got = run(["-m", "compat_learn", "run", "-m", "trainer.task", "--raise"], cwd=package)
    assert got[0] == want[0] == 1
    # Python's own, without the two `<frozen runpy>` frames of its -m machinery.
    assert got[2] == "".join(line for line in want[2].splitlines(keepends=True)
                             if "<frozen runpy>" not in line)
    assert got[2].endswith("ValueError: boom\n")


@pytest.mark.parametrize("module", ["nonexistent", "trainer.nonexistent", "trainer.util.x",
                                    ".task"])
def test_run_m_missing_module_gives_pythons_message_and_status(package, module):
    want = run(["-m", module], cwd=package)
    got = run(["-m", "compat_learn", "run", "-m", module], cwd=package)
    assert got[0] == want[0] == 1
    assert got[2] == want[2]
    assert got[2].startswith(f"{sys.executable}: ")


@pytest.mark.integration
def test_tf1_restores_numpy_aliases_and_device_spec_without_leaking(package, tmp_path):
    write(tmp_path / "trainer" / "tf1_task.py", """\
        import os
        import subprocess
        import sys

        import numpy as np
        import tensorflow as tf
        from tensorflow.python.framework import device as pydev

        def child(env=None):
            code = ("import numpy as np; print([getattr(np, n, None) is t for n, t in "
                    "[('int', int), ('float', float), ('bool', bool), ('object', object), "
                    "('str', str), ('long', int), ('unicode', str), ('complex', complex)]])")
            return subprocess.run([sys.executable, "-c", code], capture_output=True,
                                  text=True, env=env, timeout=60).stdout.strip()

        spec = pydev.DeviceSpec.from_string("/job:worker/task:1")
        spec.merge_from(pydev.DeviceSpec.from_string("/device:CPU:0"))
        print("merged", spec.to_string())
        print("here", np.array([1.5]).astype(np.int).tolist(), np.float is float)
        print("child", child())
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMPAT_LEARN")}
        print("unasked", child(env))
        """)
    rc, out, err = run(["-m", "compat_learn", "run", "--tf1", "-m", "trainer.tf1_task"],
                       cwd=package, timeout=120)
    assert rc == 0, err
    assert "merged /job:worker/task:1/device:CPU:0" in out
    assert "here [1] True" in out
    assert f"child {[True] * 8}" in out
    assert f"unasked {[False] * 8}" in out
    # Without --tf1: TF 2.15 and numpy as they are.
    rc, out, err = run(["-m", "compat_learn", "run", "-m", "trainer.tf1_task"], cwd=package,
                       timeout=120)
    assert rc == 1
    assert "AttributeError: 'DeviceSpecV2' object has no attribute 'merge_from'" in err


@pytest.mark.integration
def test_tf1_gives_the_script_and_its_modules_the_v1_namespace(tmp_path):
    write(tmp_path / "helper.py", """\
        import tensorflow as tf
        LAYERS = tf.layers
        """)
    script = write(tmp_path / "tf1_script.py", """\
        import multiprocessing
        import sys
        import tensorflow as tf
        from tensorflow import logging
        import helper
        import tensorflow.contrib.learn as learn

        def child_sees_v1():
            import tensorflow as tf_in_child
            return hasattr(tf_in_child, "layers") and hasattr(tf_in_child, "contrib")

        if __name__ == "__main__":
            real = sys.modules["tensorflow"]
            assert tf is real.compat.v1, tf
            assert tf.contrib.learn is learn
            assert helper.LAYERS is real.compat.v1.layers
            assert logging is real.compat.v1.logging
            assert not tf.executing_eagerly()  # TF 1.x graph behaviour
            # keras (site-packages) still gets the real TF 2 module
            import keras
            assert not hasattr(sys.modules["tensorflow"], "layers")
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(1) as pool:
                print("spawned:", pool.apply(child_sees_v1))
            print("OK")
        """)
    rc, out, err = run(["-m", "compat_learn", "run", "--tf1", script], cwd=tmp_path,
                       timeout=120)
    assert rc == 0, err
    assert "spawned: True" in out
    assert out.strip().endswith("OK")


# ---------------------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------------------
LEGACY = """\
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner
exp = tf.contrib.learn.Experiment
cell = tf.contrib.rnn.GridLSTMCell(3)
"""


def test_check_reports_every_use_with_line_and_exit_status(tmp_path, capsys):
    path = write(tmp_path / "legacy.py", LEGACY)
    assert cli.main(["check", path]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2:1: supported: tf.contrib.learn.python.learn.learn_runner" in out
    assert f"{path}:3:7: supported: tf.contrib.learn.Experiment" in out
    assert f"{path}:4:8: unsupported: tf.contrib.rnn.GridLSTMCell (not served); native TF2: " \
           "tf.keras.layers.LSTMCell (r1.15's contrib-only cell" in out
    assert f"{path}: 3 contrib uses (2 supported, 1 unsupported), 0 TF1-only uses" in out


def test_check_json_and_unparseable_files_do_not_stop_it(tmp_path, capsys):
    write(tmp_path / "a_bad.py", "def (:\n")
    write(tmp_path / "b_ok.py", "from tensorflow.contrib.training import HParams\n")
    assert cli.main(["check", "--format", "json", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    bad, ok = report["files"]
    assert bad["error"].startswith("cannot parse: ")
    assert ok["uses"] == [{"line": 1, "col": 1, "name": "tf.contrib.training.HParams",
                           "status": "supported",
                           "served_by": "compat_learn.training.HParams",
                           "replacement": "a plain dict or dataclass (TensorFlow 2 has no "
                                          "HParams)"}]
    assert ok["hints"] == []
    assert report["summary"] == {"supported": 1, "unsupported": 0, "tf1": 0, "removed": 0,
                                 "files": 2, "errors": 1}


def test_check_exits_zero_when_everything_is_supported(tmp_path, capsys):
    path = write(tmp_path / "ok.py", "from tensorflow.contrib import learn\n")
    assert cli.main(["check", path]) == 0


def test_check_runs_without_tensorflow(tmp_path):
    path = write(tmp_path / "legacy.py", LEGACY)
    rc, out, err = run(["-c", ("import sys; from compat_learn.cli import main; "
                              f"rc = main(['check', {path!r}]); "
                              "print('tensorflow' in sys.modules); sys.exit(rc)")],
                       cwd=tmp_path)
    assert rc == 1, err
    assert out.strip().endswith("False")
