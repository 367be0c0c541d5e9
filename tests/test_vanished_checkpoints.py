"""The evaluator keeps evaluating when a checkpoint vanishes under it (issue 12, item 2).

A trainer's keep_checkpoint_max deletes old checkpoints; an evaluator that detected one
a moment earlier used to end with TF's "The passed save_path is not a valid checkpoint"
ValueError (continuous_eval, continuous_eval_on_train_data, the export after an
evaluation), and a core ValidationMonitor silently evaluated freshly initialised
variables. Every test here deletes the files with TF's own
`tf.compat.v1.train.remove_checkpoint`, as the trainer's Saver does.
"""

import errno
import glob
import logging
import os
import shutil
import tempfile
import time

import pytest

from compat_learn import _pinning, _tf, monitors
from compat_learn.experiment import Experiment
from compat_learn.export_strategy import ExportStrategy
from compat_learn.utils import saved_model_export_utils

import _procs
import _tiny_model

tf = _tf.tf

@pytest.fixture
def pin_base(tmp_path, monkeypatch):
    """A private temporary directory for pins; it must be empty again after the test."""
    base = tmp_path / "tmp"
    base.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(base))
    yield base
    assert os.listdir(base) == []


@pytest.fixture
def no_hard_links(monkeypatch):
    """A file system without hard links (FUSE, SMB, ...)."""
    def link(src, dst, *args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted", src)

    monkeypatch.setattr(os, "link", link)


@pytest.fixture
def unpinnable(no_hard_links, monkeypatch):
    """No hard links, and no room for copies either: nothing can be pinned."""
    def copyfile(src, dst, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", dst)

    monkeypatch.setattr(shutil, "copyfile", copyfile)


def _trained(model_dir, steps, keep=5):
    est = _tiny_model.make_estimator(model_dir, save_checkpoints_steps=5,
                                     keep_checkpoint_max=keep)
    est.train(_tiny_model.train_input_fn, max_steps=steps)
    return est


def _experiment(est, **kwargs):
    kwargs.setdefault("eval_steps", 2)
    return Experiment(est, train_input_fn=_tiny_model.train_input_fn,
                      eval_input_fn=_tiny_model.eval_input_fn, eval_delay_secs=0,
                      continuous_eval_throttle_secs=0, **kwargs)


def _deleting_evaluate(est, after=False):
    """Makes `est.evaluate` delete the checkpoint it is asked for, before the restore
    (after detection: the trainer's keep_checkpoint_max) or, `after`, once evaluated
    (before the export). Returns the list of (checkpoint_path, trained w) it was asked."""
    real_evaluate = est.evaluate
    asked = []

    def evaluate(**kwargs):
        path = kwargs.get("checkpoint_path") or tf.train.latest_checkpoint(est.model_dir)
        asked.append((path, tf.train.load_variable(path, "w")))
        if not after:
            tf.compat.v1.train.remove_checkpoint(path)
        result = real_evaluate(**kwargs)
        if after:
            tf.compat.v1.train.remove_checkpoint(path)
        return result

    est.evaluate = evaluate
    return asked


def _summaries(model_dir, subdir):
    """{global step: {tag: value}} of the evaluation summaries TF wrote into `subdir`."""
    found = {}
    pattern = os.path.join(glob.escape(str(model_dir)), subdir, "events.out.tfevents.*")
    for path in glob.glob(pattern):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.tag == "checkpoint_path":
                    item = tf.make_ndarray(value.tensor).item().decode()
                else:
                    item = value.simple_value
                found.setdefault(event.step, {})[value.tag] = item
    return found


def _no_pin_left(model_dir):
    assert not [e for e in os.listdir(model_dir) if "compat_learn_pin" in e]


SCHEDULES = [("continuous_eval", "eval_continuous"),
             ("continuous_eval_on_train_data", "eval_continuous_on_train_data")]


# ------------------------------------------------------------------ continuous evaluation

@pytest.mark.parametrize("schedule, eval_dir", SCHEDULES)
def test_a_checkpoint_deleted_during_its_evaluation_is_still_evaluated(
        tmp_path, pin_base, schedule, eval_dir):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10)
    ckpt = str(model_dir / "model.ckpt-10")
    asked = _deleting_evaluate(est)
    assert getattr(_experiment(est, train_steps=10), schedule)() is None  # r1.15's return
    assert [path for path, _ in asked] == [ckpt]  # TF is asked for the original path
    assert not os.path.exists(ckpt + ".index")
    summaries = _summaries(model_dir, eval_dir)
    # The trained weights were evaluated (not a fresh model), and TF's checkpoint_path
    # summary names the original checkpoint, not the pin.
    assert list(summaries) == [10]
    assert summaries[10]["checkpoint_path"] == ckpt
    assert summaries[10]["loss"] < 1.0  # the untrained model's loss is 7/3
    _no_pin_left(model_dir)


@pytest.mark.parametrize("schedule, eval_dir", SCHEDULES)
def test_a_checkpoint_deleted_before_the_restore_is_skipped_for_the_newest(
        tmp_path, pin_base, caplog, schedule, eval_dir):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10, keep=1)
    ex = _experiment(est, train_steps=15)
    watcher = ex._checkpoint_watcher()
    real_latest = watcher.latest
    detected = []

    def latest():
        path = real_latest()
        if not detected:
            detected.append(path)
            # The trainer saves model.ckpt-15 and, keeping 1, deletes the one just found.
            est.train(_tiny_model.train_input_fn, max_steps=15)
        return path

    watcher.latest = latest
    with caplog.at_level(logging.WARNING, logger="compat_learn"):
        getattr(ex, schedule)()
    assert detected == [str(model_dir / "model.ckpt-10")]
    newest = str(model_dir / "model.ckpt-15")
    summaries = _summaries(model_dir, eval_dir)
    assert list(summaries) == [15] and summaries[15]["checkpoint_path"] == newest
    vanished = [r.getMessage() for r in caplog.records if "was deleted" in r.getMessage()]
    assert vanished == [
        f"Checkpoint {detected[0]} was deleted before it could be restored (e.g. by the "
        f"trainer's keep_checkpoint_max); evaluating the newest checkpoint, {newest}, "
        f"instead."]
    _no_pin_left(model_dir)


def test_evaluating_every_kept_checkpoint_goes_on_to_the_next_kept_one(
        tmp_path, pin_base, caplog):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10)  # keeps model.ckpt-0, -5 and -10
    real_evaluate = est.evaluate

    def evaluate(**kwargs):
        # While model.ckpt-0 is evaluated, the trainer deletes model.ckpt-5.
        tf.compat.v1.train.remove_checkpoint(str(model_dir / "model.ckpt-5"))
        return real_evaluate(**kwargs)

    est.evaluate = evaluate
    with caplog.at_level(logging.WARNING, logger="compat_learn"):
        _experiment(est, train_steps=10).continuous_eval(evaluate_all_checkpoints=True)
    assert sorted(_summaries(model_dir, "eval_continuous")) == [0, 10]
    assert [r.getMessage() for r in caplog.records if "was deleted" in r.getMessage()] == [
        f"Checkpoint {model_dir / 'model.ckpt-5'} was deleted before it could be restored "
        f"(e.g. by the trainer's keep_checkpoint_max); evaluating the next kept "
        f"checkpoint, {model_dir / 'model.ckpt-10'}, instead."]


def test_unpinned_a_checkpoint_deleted_during_restore_is_skipped_for_the_newest(
        tmp_path, pin_base, unpinnable, caplog):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10, keep=1)
    real_evaluate = est.evaluate
    asked = []

    def evaluate(**kwargs):
        asked.append(kwargs["checkpoint_path"])
        if len(asked) == 1:
            est.train(_tiny_model.train_input_fn, max_steps=15)  # deletes model.ckpt-10
        return real_evaluate(**kwargs)

    est.evaluate = evaluate
    with caplog.at_level(logging.WARNING, logger="compat_learn"):
        _experiment(est, train_steps=15).continuous_eval()
    first, newest = str(model_dir / "model.ckpt-10"), str(model_dir / "model.ckpt-15")
    assert asked == [first, newest]
    assert list(_summaries(model_dir, "eval_continuous")) == [15]  # never a fresh model
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if m.startswith("Cannot pin the checkpoints in")]) == 1
    assert [m for m in messages if "was deleted" in m] == [
        f"Checkpoint {first} was deleted before it could be restored (e.g. by the "
        f"trainer's keep_checkpoint_max); evaluating the newest checkpoint, {newest}, "
        f"instead."]


def test_without_hard_links_the_checkpoint_is_copied_for_its_evaluation(
        tmp_path, pin_base, no_hard_links, caplog):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10)
    ckpt = str(model_dir / "model.ckpt-10")
    _deleting_evaluate(est)
    with caplog.at_level(logging.WARNING, logger="compat_learn"):
        _experiment(est, train_steps=10).continuous_eval()
    summaries = _summaries(model_dir, "eval_continuous")
    assert list(summaries) == [10] and summaries[10]["checkpoint_path"] == ckpt
    [copying] = [r.getMessage() for r in caplog.records if "Cannot hard-link" in r.getMessage()]
    assert f"each checkpoint is copied into {pin_base} while it is evaluated" in copying
    _no_pin_left(model_dir)


def test_a_vanished_checkpoint_with_none_newer_waits_for_the_next(tmp_path, pin_base, caplog):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10, keep=1)
    tf.compat.v1.train.remove_checkpoint(str(model_dir / "model.ckpt-10"))
    ex = _experiment(est, train_steps=10)
    watcher = ex._checkpoint_watcher()
    watcher.latest = lambda: str(model_dir / "model.ckpt-10")  # detected, then deleted
    seen = []

    def predicate(eval_result):
        seen.append(eval_result)
        return len(seen) < 4

    with caplog.at_level(logging.WARNING, logger="compat_learn"):
        ex.continuous_eval(continuous_eval_predicate_fn=predicate)
    assert seen == [None, {}, {}, {}]  # r1.15's eval_result after nothing was evaluated
    assert not os.path.exists(model_dir / "eval_continuous")  # nothing, not a fresh model
    assert len([r for r in caplog.records if "was deleted" in r.getMessage()]) == 1


# ------------------------------------------------------------------ export after evaluation

def _recording_strategy(seen):
    def export_fn(estimator, export_path, checkpoint_path=None, eval_result=None):
        seen.append((checkpoint_path, eval_result["global_step"]))
        return export_path

    return ExportStrategy("record", export_fn)


def test_a_checkpoint_deleted_between_evaluation_and_export_is_exported(tmp_path, pin_base):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10)
    ckpt = str(model_dir / "model.ckpt-10")
    asked = _deleting_evaluate(est, after=True)
    seen = []
    servo = saved_model_export_utils.make_export_strategy(_tiny_model.serving_input_fn)
    _experiment(est, train_steps=10,
                export_strategies=[servo, _recording_strategy(seen)]).continuous_eval()
    assert seen == [(ckpt, 10)]  # exporters are told the original path
    [export_dir] = glob.glob(str(model_dir / "export" / "Servo" / "*"))
    variables = os.path.join(export_dir, "variables", "variables")
    # The export holds the evaluated checkpoint's weights (TF reads them back).
    assert tf.train.load_variable(variables, "global_step") == 10
    assert (tf.train.load_variable(variables, "w") == asked[0][1]).all()
    _no_pin_left(model_dir)


def test_unpinned_an_export_of_a_deleted_checkpoint_is_skipped_once(
        tmp_path, pin_base, unpinnable, caplog):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10)
    _deleting_evaluate(est, after=True)
    servo = saved_model_export_utils.make_export_strategy(_tiny_model.serving_input_fn)
    with caplog.at_level(logging.WARNING, logger="compat_learn"):
        _experiment(est, train_steps=10, export_strategies=[servo]).continuous_eval()
    assert list(_summaries(model_dir, "eval_continuous")) == [10]  # the evaluation stands
    assert not glob.glob(str(model_dir / "export" / "Servo" / "*"))
    ckpt = str(model_dir / "model.ckpt-10")
    reports = [r for r in caplog.records if r.name.startswith("compat_learn")
               and r.levelno >= logging.WARNING and "Cannot pin" not in r.getMessage()]
    assert len(reports) == 1  # once: no second line from the export strategy
    assert reports[0].getMessage().startswith(
        f"Checkpoint {ckpt} was deleted after its evaluation, before its export (e.g. by "
        f"the trainer's keep_checkpoint_max): not exported (")


# ------------------------------------------------------------------ ValidationMonitor

def test_validation_monitor_evaluates_the_detected_checkpoint_not_a_fresh_model(
        tmp_path, pin_base):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10, keep=1)
    ckpt = str(model_dir / "model.ckpt-10")
    _deleting_evaluate(est)  # between detection and restore
    vm = monitors.ValidationMonitor(input_fn=_tiny_model.eval_input_fn, eval_steps=2,
                                    every_n_steps=1, check_interval_secs=None)
    vm.set_estimator(est)
    assert vm.every_n_step_end(11, {}) is False
    summaries = _summaries(model_dir, "eval")
    # TF 2.15 alone found no checkpoint here and evaluated fresh variables (step 0).
    assert list(summaries) == [10] and summaries[10]["checkpoint_path"] == ckpt
    _no_pin_left(model_dir)


def test_validation_monitor_goes_on_to_the_newest_checkpoint(tmp_path, pin_base, caplog):
    model_dir = tmp_path / "model"
    est = _trained(model_dir, 10, keep=1)
    vm = monitors.ValidationMonitor(input_fn=_tiny_model.eval_input_fn, eval_steps=2,
                                    every_n_steps=1, check_interval_secs=None)
    vm.set_estimator(est)
    real_link = os.link
    calls = []

    def link(src, dst, *args, **kwargs):
        if not calls:  # the pin of the checkpoint just detected: the trainer was faster
            calls.append(src)
            est.train(_tiny_model.train_input_fn, max_steps=15)
        return real_link(src, dst, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch, \
            caplog.at_level(logging.WARNING, logger="compat_learn"):
        patch.setattr(os, "link", link)
        assert vm.every_n_step_end(11, {}) is False
    assert list(_summaries(model_dir, "eval")) == [15]
    assert len([r for r in caplog.records if "was deleted" in r.getMessage()]) == 1


# ------------------------------------------------------------------ pins

def test_a_pin_is_removed_when_the_evaluation_fails(tmp_path, pin_base):
    model_dir = tmp_path / "model"
    _trained(model_dir, 5)
    ckpt = str(model_dir / "model.ckpt-5")
    with pytest.raises(RuntimeError, match="boom"), _pinning.pinned_checkpoint(ckpt) as pinned:
        assert pinned is True and len(os.listdir(pin_base)) == 1
        raise RuntimeError("boom")
    assert not _pinning.is_pinned(ckpt)


def test_pins_go_beside_the_checkpoint_when_the_temporary_directory_is_elsewhere(
        tmp_path, pin_base, monkeypatch):
    model_dir = tmp_path / "model"
    _trained(model_dir, 5)
    ckpt = str(model_dir / "model.ckpt-5")
    real_link = os.link

    def link(src, dst, *args, **kwargs):
        if dst.startswith(str(pin_base)):
            raise OSError(errno.EXDEV, "Invalid cross-device link", dst)
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    with _pinning.pinned_checkpoint(ckpt) as pinned:
        [pin_dir] = [e for e in os.listdir(model_dir) if e.startswith(".compat_learn_pin-")]
        tf.compat.v1.train.remove_checkpoint(ckpt)
        assert pinned and tf.train.load_variable(
            os.path.join(model_dir, pin_dir, "model.ckpt-5"), "global_step") == 5
    _no_pin_left(model_dir)


def test_pins_left_by_a_dead_process_are_removed(tmp_path, pin_base):
    model_dir = tmp_path / "model"
    _trained(model_dir, 5)
    dead_pid = 2 ** 22 + 7  # above pid_max's default: never a live process
    stale = pin_base / f"compat_learn_pin-{_pinning._host_tag()}-{dead_pid}-x"
    stale.mkdir()
    (stale / "model.ckpt-1.index").write_text("stale")
    _pinning._swept.discard(str(pin_base))
    with _pinning.pinned_checkpoint(str(model_dir / "model.ckpt-5")):
        assert not stale.exists()


# ------------------------------------------------------------------ a real trainer process

_TRAINER = """
import sys
sys.path.insert(0, sys.argv[1])
import _tiny_model
est = _tiny_model.make_estimator(sys.argv[2], save_checkpoints_steps=1, keep_checkpoint_max=1,
                                 save_summary_steps=10**6, log_step_count_steps=10**6)
est.train(_tiny_model.train_input_fn, max_steps=10**9)
"""


class _SlowRestore(_tf.SessionRunHook):
    """Waits between detection and restore, as a slow evaluator does."""

    def begin(self):
        time.sleep(0.3)


@pytest.mark.integration
def test_continuous_eval_against_a_trainer_process_that_keeps_deleting(tmp_path, pin_base):
    model_dir = tmp_path / "model"
    est = _tiny_model.make_estimator(model_dir)
    evaluated = []
    deadline = time.monotonic() + 90

    def predicate(eval_result, checkpoint_path):
        if eval_result:
            evaluated.append((eval_result["global_step"], checkpoint_path))
        return len(evaluated) < 3 and time.monotonic() < deadline

    ex = Experiment(est, train_input_fn=_tiny_model.train_input_fn,
                    eval_input_fn=_tiny_model.eval_input_fn, eval_steps=2,
                    eval_hooks=[_SlowRestore()], eval_delay_secs=0,
                    continuous_eval_throttle_secs=0.1)
    with open(tmp_path / "trainer.log", "w") as log:
        trainer = _procs.start_python(
            ["-c", _TRAINER, os.path.dirname(os.path.abspath(__file__)), str(model_dir)],
            cwd=str(tmp_path), env=_procs.python_env(), stdout=log, stderr=log)
        try:
            ex.continuous_eval(continuous_eval_predicate_fn=predicate)
        finally:
            _procs.stop(trainer)
    assert len(evaluated) == 3, (tmp_path / "trainer.log").read_text()[-2000:]
    for global_step, path in evaluated:
        # The detected checkpoint itself, though the trainer deleted it meanwhile.
        assert path == str(model_dir / f"model.ckpt-{global_step}")
        assert not os.path.exists(path + ".index")
    _no_pin_left(model_dir)
