"""Bad arguments to Experiment (issue 12): r1.15's error where it had one, else a
TypeError or ValueError naming the argument, raised before anything runs.

What r1.15 accepted stays accepted: test doubles that take sentinel strings (r1.15's
own experiment_test), numpy and float step counts, tuples, float and zero delays.
"""

import os

import numpy as np
import pytest

from compat_learn import _tf
from compat_learn.experiment import Experiment

import _tiny_model
from _fakes import FakeContribEstimator, FakeCoreEstimator, NoopHook, install_clock

# r1.15's message (experiment.py _set_export_strategies), pinned.
MSG_EXPORT_STRATEGIES_5 = ("`export_strategies` must be an ExportStrategy, an iterable of "
                           "ExportStrategy, or `None`, found 5.")
# TensorFlow's message (tensorflow_estimator estimator.py _check_listeners_type).
MSG_SAVING_LISTENERS_5 = "saving_listeners must be a list of CheckpointSaverListener, given: 5"
# compat_learn's messages (r1.15 raised bare TypeErrors, or took the value silently).
MSG_TRAIN_STEPS = "`train_steps` must be a number of steps (an int), or None to train forever; got '100' of type str."
MSG_TRAIN_MONITORS = "`train_monitors` must be a list of monitors or SessionRunHooks, or None; got 5 of type int."
MSG_EVAL_HOOKS = "`eval_hooks` must be a list of SessionRunHooks, or None; got 5 of type int."
MSG_DELAY_TYPE = "`{}` must be a number of seconds (an int or a float)"
MSG_DELAY_NEGATIVE = "`{}` must be a number of seconds >= 0, got -1."


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


def _real(model_dir, **kwargs):
    return Experiment(_tiny_model.make_estimator(model_dir), _tiny_model.train_input_fn,
                      _tiny_model.eval_input_fn, eval_delay_secs=0,
                      continuous_eval_throttle_secs=0, **kwargs)


def _stop_after(calls):
    """A predicate that lets `calls` iterations run (bounds the loop on old code)."""
    seen = []

    def predicate(eval_result):
        seen.append(eval_result)
        return len(seen) <= calls

    return predicate


# ------------------------------------------------------------------ constructor

@pytest.mark.parametrize("kind", [FakeContribEstimator, FakeCoreEstimator], ids=["contrib", "core"])
def test_hook_lists_that_are_not_lists_are_named(tmp_path, kind):
    with pytest.raises(TypeError) as err:
        Experiment(kind(tmp_path), "train_input", "eval_input", train_monitors=5)
    assert str(err.value) == MSG_TRAIN_MONITORS
    with pytest.raises(TypeError) as err:
        Experiment(kind(tmp_path), "train_input", "eval_input", eval_hooks=5)
    assert str(err.value) == MSG_EVAL_HOOKS


def test_export_strategies_that_are_not_iterable_get_r115s_message(tmp_path):
    with pytest.raises(TypeError) as err:
        Experiment(FakeContribEstimator(tmp_path), "train_input", "eval_input", export_strategies=5)
    assert str(err.value) == MSG_EXPORT_STRATEGIES_5
    ex = Experiment(FakeContribEstimator(tmp_path), "train_input", "eval_input")
    with pytest.raises(TypeError) as err:
        ex.reset_export_strategies(5)
    assert str(err.value) == MSG_EXPORT_STRATEGIES_5
    assert ex.reset_export_strategies(None) == ()  # the old (empty) ones were kept


def test_export_strategies_any_iterable_is_accepted_as_in_r115(tmp_path):
    from compat_learn.export_strategy import ExportStrategy

    strategy = ExportStrategy("Servo", lambda *args, **kwargs: None)

    class OldStyleSequence:  # iterable through __getitem__ only, as `for` allows
        def __getitem__(self, index):
            if index:
                raise IndexError(index)
            return strategy

    for given in (strategy, [strategy], (strategy,), OldStyleSequence(), iter([strategy])):
        ex = Experiment(FakeContribEstimator(tmp_path), "train_input", "eval_input",
                        export_strategies=given)
        assert ex._export_strategies == (strategy,)


# ------------------------------------------------------------------ delays

@pytest.mark.parametrize("schedule, name, kwargs", [
    ("train", "delay_secs", {}),
    ("evaluate", "delay_secs", {}),
    ("evaluate", "eval_delay_secs", {}),
    ("continuous_eval", "delay_secs", {"continuous_eval_predicate_fn": _stop_after(0)}),
    ("continuous_eval_on_train_data", "eval_delay_secs",
     {"continuous_eval_predicate_fn": _stop_after(0)}),
])
@pytest.mark.parametrize("bad, error, message", [
    ("x", TypeError, MSG_DELAY_TYPE), (-1, ValueError, MSG_DELAY_NEGATIVE),
], ids=["str", "negative"])
def test_bad_delays_are_named_before_anything_runs(tmp_path, clock, schedule, name, kwargs,
                                                   bad, error, message):
    est = FakeCoreEstimator(tmp_path)
    if name == "eval_delay_secs":
        ex = Experiment(est, "train_input", "eval_input", eval_delay_secs=bad)
    else:
        ex = Experiment(est, "train_input", "eval_input")
        kwargs = dict(kwargs, delay_secs=bad)
    with pytest.raises(error) as err:
        getattr(ex, schedule)(**kwargs)
    assert str(err.value).startswith(message.format(name))
    assert (est.fit_count, est.eval_count, clock.slept) == (0, 0, 0)


@pytest.mark.parametrize("name", ["throttle_delay_secs", "continuous_eval_throttle_secs"])
def test_a_throttle_that_is_not_a_number_is_named(tmp_path, clock, name):
    # r1.15 failed only after the first evaluation had been written.
    est = FakeCoreEstimator(tmp_path, eval_dict={"global_step": 1})
    kwargs = {"continuous_eval_predicate_fn": _stop_after(2), "delay_secs": 0}
    if name == "throttle_delay_secs":
        ex, kwargs[name] = Experiment(est, "train_input", "eval_input"), "x"
    else:
        ex = Experiment(est, "train_input", "eval_input", continuous_eval_throttle_secs=None)
    est.train()  # a checkpoint to evaluate
    with pytest.raises(TypeError) as err:
        ex.continuous_eval(**kwargs)
    assert str(err.value).startswith(MSG_DELAY_TYPE.format(name))
    assert est.eval_count == 0


def test_float_zero_and_none_delays_are_accepted_as_in_r115(tmp_path, clock):
    est = FakeCoreEstimator(tmp_path)
    ex = Experiment(est, "train_input", "eval_input", eval_delay_secs=None)
    ex.train(delay_secs=0.5)
    ex.train(delay_secs=0)
    ex.evaluate()  # eval_delay_secs=None: no delay (r1.15)
    ex.evaluate(delay_secs=np.float32(0.25))
    assert (est.fit_count, est.eval_count, clock.slept) == (2, 2, 0.75)


# ------------------------------------------------------------------ with a TensorFlow estimator

@pytest.mark.parametrize("schedule, kwargs", [
    ("train", {"delay_secs": 0}),
    ("continuous_train_and_eval", {}),
    ("continuous_eval", {"continuous_eval_predicate_fn": _stop_after(1)}),
])
def test_train_steps_that_is_not_a_number_is_named_before_anything_is_written(
        tmp_path, clock, schedule, kwargs):
    model_dir = tmp_path / "model"
    with pytest.raises(TypeError) as err:
        getattr(_real(model_dir, train_steps="100"), schedule)(**kwargs)
    assert str(err.value) == MSG_TRAIN_STEPS
    assert not model_dir.exists()


@pytest.mark.parametrize("schedule", ["train", "test", "continuous_train_and_eval"])
def test_saving_listeners_get_tensorflows_message_before_anything_is_written(
        tmp_path, clock, schedule):
    model_dir = tmp_path / "model"
    with pytest.raises(TypeError) as err:
        getattr(_real(model_dir, saving_listeners=5), schedule)()
    assert str(err.value) == MSG_SAVING_LISTENERS_5
    assert not model_dir.exists()


class _CountingListener(_tf.CheckpointSaverListener):
    def __init__(self):
        self.saves = 0

    def after_save(self, session, global_step_value):
        self.saves += 1


@pytest.mark.integration
def test_what_r115_accepted_still_trains(tmp_path, clock):
    # numpy steps, tuples of hooks and listeners, a float delay: TensorFlow takes them all.
    listener = _CountingListener()
    ex = _real(tmp_path, train_steps=np.int64(3), train_monitors=(NoopHook(),),
               eval_hooks=(NoopHook(),), saving_listeners=(listener,))
    ex.train(delay_secs=0.5)
    assert _tf.tf.train.load_variable(str(tmp_path), "global_step") == 3
    assert listener.saves >= 1 and clock.slept == 0.5
    assert ex.evaluate(delay_secs=0)["global_step"] == 3
    assert os.path.isdir(tmp_path / "eval_one_pass")
