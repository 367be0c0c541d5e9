"""The TensorFlow version gate: outside TF 2.15 + estimator, a clear ImportError.

Each case runs in a child interpreter whose `tensorflow` is a stand-in package that
reports another version (a real TF 2.16+ cannot be installed next to 2.15).
"""

import textwrap

import pytest

import _procs

GATE = "import compat_learn, sys\ntry:\n    compat_learn.Experiment\nexcept ImportError as e:\n    print(e)\n"


def _fake_tensorflow(root, version, with_estimator):
    pkg = root / "tensorflow"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(f"__version__ = {version!r}\n")
    if with_estimator:
        (root / "tensorflow_estimator").mkdir()
        (root / "tensorflow_estimator" / "__init__.py").write_text("")


def _run_gate(tmp_path, prelude=""):
    env = _procs.python_env({"PYTHONPATH": str(tmp_path) + ":" + _procs.PACKAGE_ROOT})
    returncode, out, err = _procs.run_python(["-c", prelude + GATE], cwd=str(tmp_path), env=env)
    assert returncode == 0, err
    return out


@pytest.mark.parametrize("version", ["2.16.1", "2.21.0"])
def test_tensorflow_without_estimator_names_the_version_and_what_to_install(tmp_path, version):
    _fake_tensorflow(tmp_path, version, with_estimator=True)
    out = _run_gate(tmp_path)
    assert f"removed in TensorFlow 2.16 (found TensorFlow {version})" in out
    assert 'pip install "tensorflow-cpu==2.15.1" "tensorflow-estimator==2.15.0"' in out


def test_tensorflow_too_old(tmp_path):
    _fake_tensorflow(tmp_path, "1.15.0", with_estimator=True)
    assert "needs TensorFlow 2.15 (found TensorFlow 1.15.0)" in _run_gate(tmp_path)


def test_missing_estimator_package(tmp_path):
    _fake_tensorflow(tmp_path, "2.15.1", with_estimator=False)
    # Hide the real tensorflow_estimator of this environment (None in sys.modules
    # makes it unimportable and invisible to find_spec).
    out = _run_gate(tmp_path, prelude="import sys\nsys.modules['tensorflow_estimator'] = None\n")
    assert "needs tensorflow-estimator 2.15 next to TensorFlow 2.15.1" in out


def test_import_compat_learn_alone_needs_no_tensorflow(tmp_path):
    code = textwrap.dedent("""
        import sys
        import compat_learn, compat_learn.checkpoints, compat_learn.utils, compat_learn.learn_runner
        assert not [m for m in sys.modules if m.split('.')[0] == 'tensorflow'], sorted(sys.modules)
    """)
    returncode, _, err = _procs.run_python(["-c", code], cwd=str(tmp_path))
    assert returncode == 0, err
