"""The bundled example script runs end to end (the README's main job).

examples/legacy_experiment.py is an unmodified TF 1.x script. It runs through the
runner as it is, and, with its import lines rewritten by the README's one-line
migration table (and nothing else), with plain python. Each run is a child process
with a hard timeout, ended by its own pid.
"""

import glob
import os
import re

import pytest

from compat_learn import _contrib_table

import _procs

pytestmark = pytest.mark.integration

LEGACY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "examples", "legacy_experiment.py")


def _migrated_source():
    """legacy_experiment.py with each import line replaced as the README's table says."""
    rows = {old.split("  (")[0]: new for old, new in _contrib_table._README_ROWS}
    with open(LEGACY, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    changed = 0
    for i, line in enumerate(lines):
        if line.rstrip("\n") in rows:
            lines[i] = rows[line.rstrip("\n")] + "\n"
            changed += 1
    assert changed == 5  # tensorflow itself, learn, learn_runner, HParams, export utils
    return "".join(lines)


def _check_output_dir(output_dir, out):
    assert re.search(r"global_step: 40  accuracy: [01]\.\d+", out), out
    assert os.path.exists(os.path.join(output_dir, "model.ckpt-40.index"))
    assert glob.glob(os.path.join(output_dir, "eval", "events.out.tfevents.*"))
    exports = [e for e in glob.glob(os.path.join(output_dir, "export", "Servo", "*"))
               if re.fullmatch(r"\d{10}", os.path.basename(e))]
    assert len(exports) == 1
    assert os.path.exists(os.path.join(exports[0], "saved_model.pb"))
    assert "exported SavedModel: %s" % exports[0] in out


def test_unmodified_legacy_script_runs_through_the_runner(tmp_path):
    output_dir = str(tmp_path / "out")
    returncode, out, err = _procs.run_python(
        ["-m", "compat_learn", "run", "--tf1", LEGACY, "--output_dir", output_dir, "--train_steps", "40"],
        cwd=str(tmp_path))
    assert returncode == 0, err[-4000:]
    _check_output_dir(output_dir, out)


def test_legacy_script_with_one_line_import_changes_runs_with_plain_python(tmp_path):
    script = tmp_path / "migrated_experiment.py"
    script.write_text(_migrated_source(), encoding="utf-8")
    output_dir = str(tmp_path / "out")
    returncode, out, err = _procs.run_python(
        [str(script), "--output_dir", output_dir, "--train_steps", "40"], cwd=str(tmp_path))
    assert returncode == 0, err[-4000:]
    _check_output_dir(output_dir, out)
