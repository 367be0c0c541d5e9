"""Every Experiment schedule on a real tf.estimator model (tiny, a few dozen steps)."""

import glob
import os
import re
import shutil
from unittest import mock

import pytest

from compat_learn import _tf, checkpoints
from compat_learn.experiment import Experiment
from compat_learn.utils import saved_model_export_utils

import _tiny_model

pytestmark = pytest.mark.integration


def _events(model_dir, subdir):
    return glob.glob(os.path.join(glob.escape(str(model_dir)), subdir, "events.out.tfevents.*"))


def _experiment(model_dir, **kwargs):
    config_kwargs = kwargs.pop("config_kwargs", {"save_checkpoints_steps": 10})
    est = _tiny_model.make_estimator(model_dir, **config_kwargs)
    kwargs.setdefault("eval_steps", 4)  # the training input repeats forever
    kwargs.setdefault("eval_delay_secs", 0)
    kwargs.setdefault("continuous_eval_throttle_secs", 0)
    return Experiment(est, train_input_fn=_tiny_model.train_input_fn,
                      eval_input_fn=_tiny_model.eval_input_fn, **kwargs)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One train_and_evaluate run with an export strategy, shared by the checks below."""
    model_dir = tmp_path_factory.mktemp("model")
    strategy = saved_model_export_utils.make_export_strategy(
        _tiny_model.serving_input_fn, exports_to_keep=2)
    ex = _experiment(model_dir, train_steps=20, min_eval_frequency=10, check_interval_secs=0,
                     export_strategies=[strategy])
    result = ex.train_and_evaluate()
    return ex, model_dir, result


def test_train_and_evaluate_trains_evaluates_into_eval_and_exports_to_servo(trained):
    _, model_dir, (eval_result, export_results) = trained
    assert eval_result["global_step"] == 20
    assert "loss" in eval_result and "mae" in eval_result
    assert checkpoints.latest_checkpoint(str(model_dir)).endswith("model.ckpt-20")
    assert _events(model_dir, "eval")  # r1.15: train_and_evaluate evaluates into eval/
    assert len(export_results) == 1
    export_dir = os.fsdecode(export_results[0])
    assert os.path.dirname(export_dir) == os.path.join(str(model_dir), "export", "Servo")
    assert re.fullmatch(r"\d{10}", os.path.basename(export_dir))
    assert os.path.exists(os.path.join(export_dir, "saved_model.pb"))


def test_the_export_serves_predictions(trained):
    from compat_learn import _tf

    _, _, (_, export_results) = trained
    loaded = _tf.tf.saved_model.load(os.fsdecode(export_results[0]))
    out = loaded.signatures["serving_default"](x=_tf.tf.constant([[0.5]]))
    assert out["y"].shape == (1, 1)


def test_validation_monitor_evaluated_during_training(trained):
    from compat_learn import _tf

    _, model_dir, _ = trained
    steps = []
    for path in _events(model_dir, "eval"):
        for event in _tf.tf.compat.v1.train.summary_iterator(path):
            if any(value.tag == "loss" for value in event.summary.value):
                steps.append(event.step)  # one per evaluation
    # min_eval_frequency=10 with checkpoints every 10 steps (check_interval_secs=0):
    # the ValidationMonitor evaluates at steps 10 and 20, then the final evaluation
    # (step 20 again), as r1.15's code does.
    assert sorted(steps) == [10, 20, 20]


def test_evaluate_writes_eval_one_pass(trained):
    ex, model_dir, _ = trained
    result = ex.evaluate()
    assert result["global_step"] == 20
    assert _events(model_dir, "eval_one_pass")


def test_continuous_eval_stops_at_train_steps_and_writes_eval_continuous(trained):
    ex, model_dir, _ = trained
    assert ex.continuous_eval() is None
    assert _events(model_dir, "eval_continuous")
    assert ex.continuous_eval_on_train_data() is None
    assert _events(model_dir, "eval_continuous_on_train_data")


def test_train_on_a_finished_model_dir_does_not_train_again(trained):
    ex, model_dir, _ = trained
    ex.train(delay_secs=0)
    assert checkpoints.latest_checkpoint(str(model_dir)).endswith("model.ckpt-20")


def test_continuous_train_and_eval(tmp_path):
    ex = _experiment(tmp_path, train_steps=20, train_steps_per_iteration=10)
    eval_result, export_results = ex.continuous_train_and_eval()
    assert eval_result["global_step"] == 20
    assert export_results == []
    assert _events(tmp_path, "eval_one_pass")


def test_test_schedule_trains_one_step(tmp_path):
    ex = _experiment(tmp_path, train_steps=20)
    result = ex.test()
    assert result["global_step"] == 1


def test_checkpoint_and_export_with_a_contrib_estimator(tmp_path):
    # The contrib protocol: fit(monitors=[CheckpointSaverHook with the listener]),
    # evaluate(metrics=...), export_savedmodel.
    est = _tiny_model.make_contrib_estimator(tmp_path, save_checkpoints_steps=3)
    strategy = saved_model_export_utils.make_export_strategy(_tiny_model.serving_input_fn,
                                                             exports_to_keep=None)
    ex = Experiment(est, train_input_fn=_tiny_model.train_input_fn,
                    eval_input_fn=_tiny_model.eval_input_fn, train_steps=8, eval_steps=4,
                    checkpoint_and_export=True, export_strategies=[strategy])
    eval_result, export_results = ex.train_and_evaluate()
    assert eval_result["global_step"] == 8
    [last_export] = export_results
    exports = sorted(os.listdir(tmp_path / "export" / "Servo"))
    assert os.path.basename(os.fsdecode(last_export)) == exports[-1]
    # One export per checkpoint save, each of that checkpoint's weights.
    steps = [_tf.tf.train.load_variable(
        str(tmp_path / "export" / "Servo" / name / "variables" / "variables"), "global_step")
        for name in exports]
    assert steps == [0, 3, 6, 8]
    assert _events(tmp_path, "eval_intermediate_export")


def test_checkpoint_and_export_evaluates_and_exports_at_every_save(tmp_path):
    ex = _experiment(tmp_path, train_steps=8, checkpoint_and_export=True,
                     config_kwargs={"save_checkpoints_steps": 3})
    with mock.patch.object(ex, "_maybe_export", wraps=ex._maybe_export) as export, \
            mock.patch.object(ex, "_call_evaluate", wraps=ex._call_evaluate) as evaluate:
        eval_result, export_results = ex.train_and_evaluate()
    # Saves at session creation (step 0), at steps 3 and 6, and at the end (step 8);
    # no extra final evaluation (r1.15).
    assert evaluate.call_count == 4 and export.call_count == 4
    assert [c.kwargs["name"] for c in evaluate.call_args_list] == ["intermediate_export"] * 4
    assert eval_result["global_step"] == 8
    assert export_results == []
    assert _events(tmp_path, "eval_intermediate_export")


def test_model_dir_with_glob_characters_evaluates_the_real_checkpoint(tmp_path):
    # TF 2.15 alone evaluates a fresh model (global_step 0) here, or fails to restore.
    model_dir = tmp_path / "run[1]"
    strategy = saved_model_export_utils.make_export_strategy(_tiny_model.serving_input_fn)
    ex = _experiment(model_dir, train_steps=10, min_eval_frequency=0,
                     export_strategies=[strategy])
    eval_result, export_results = ex.train_and_evaluate()
    assert eval_result["global_step"] == 10
    # The export restored the trained checkpoint (TF alone: "Couldn't find trained model").
    [export_dir] = export_results
    assert os.path.dirname(os.fsdecode(export_dir)) == str(model_dir / "export" / "Servo")
    plain = shutil.copytree(os.fsdecode(export_dir), tmp_path / "plain")  # TF globs paths
    assert _tf.tf.train.load_variable(str(plain / "variables" / "variables"), "global_step") == 10
    assert ex.continuous_eval() is None  # finds the checkpoint; does not wait forever
    assert _events(model_dir, "eval_continuous")


def test_validation_monitor_in_a_model_dir_with_glob_characters_evaluates_trained_weights(tmp_path):
    from compat_learn import _tf

    model_dir = tmp_path / "lr[0.1]"
    ex = _experiment(model_dir, train_steps=20, min_eval_frequency=10, check_interval_secs=0)
    ex.train_and_evaluate()
    steps = set()
    for path in _events(model_dir, "eval"):
        for event in _tf.tf.compat.v1.train.summary_iterator(path):
            if event.summary.value:
                steps.add(event.step)
    assert 0 not in steps  # TF alone would have evaluated a fresh model (step 0)
    assert {10, 20} <= steps
