"""Experiment's loop logic against r1.15 (fake estimators, virtual clock).

Each test states the r1.15 behaviour it pins; the integration tests with a real
tf.estimator model are in test_experiment_integration.py.
"""

import json
import os
from unittest import mock

import pytest

from compat_learn import _tf, experiment, export_strategy, run_config
from compat_learn.experiment import Experiment

from _fakes import (
    FakeContribEstimator,
    FakeCoreEstimator,
    NoopHook,
    install_clock,
    write_checkpoint,
)

# r1.15 messages (experiment.py), pinned.
MSG_EVAL_METRICS_CORE = ("`eval_metrics` must be `None` with `tf.estimator.Estimator`. "
                         "Use `eval_metric_ops` in `tf.estimator.EstimatorSpec` instead.")
MSG_NOT_EVALUABLE = "`estimator` must implement `tf.contrib.learn.Evaluable` or `tf.estimator.Estimator`."
MSG_NOT_TRAINABLE = "`estimator` must implement `tf.contrib.learn.Trainable`"
MSG_SAVING_LISTENERS = "`saving_listeners` must be `None` with `tf.contrib.learn.Estimator`."
MSG_EXPORT_STRATEGIES = "`export_strategies` must be an ExportStrategy"
MSG_PREDICATE = "`continuous_eval_predicate_fn` must be a callable, or None."
MSG_STEPS_PER_ITERATION = "`train_steps_per_iteration` must be an integer."
MSG_START_SERVER = ("Could not start server; be sure to specify cluster_spec, task_type, master, "
                    "and task in RunConfig or set the TF_CONFIG environment variable.")
MSG_NON_CONTRIB_DISTRIBUTED = ("For distributed runtime, Experiment class only works with "
                               "tf.contrib.learn.RunConfig for now")

KINDS = [pytest.param(FakeContribEstimator, id="contrib"), pytest.param(FakeCoreEstimator, id="core")]


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


def _strategy(name="Servo"):
    def export_fn(estimator, export_path, checkpoint_path=None, eval_result=None):
        return estimator._record_export(export_path)

    return export_strategy.ExportStrategy(name, export_fn)


def _experiment(est, **kwargs):
    kwargs.setdefault("train_input_fn", "train_input")
    kwargs.setdefault("eval_input_fn", "eval_input")
    return Experiment(est, **kwargs)


# ------------------------------------------------------------------ constructor

def test_eval_metrics_with_core_estimator_is_rejected(tmp_path):
    with pytest.raises(ValueError) as err:
        _experiment(FakeCoreEstimator(tmp_path), eval_metrics="eval_metrics")
    assert str(err.value) == MSG_EVAL_METRICS_CORE


def test_estimator_that_is_neither_core_nor_contrib_is_rejected(tmp_path):
    with pytest.raises(ValueError) as err:
        _experiment(object())
    assert str(err.value) == MSG_NOT_EVALUABLE


def test_evaluable_but_not_trainable_is_rejected(tmp_path):
    from compat_learn.evaluable import Evaluable

    class OnlyEvaluable(Evaluable):
        model_dir = str(tmp_path)

        def evaluate(self, **kwargs):
            return {}

    with pytest.raises(ValueError, match=MSG_NOT_TRAINABLE):
        _experiment(OnlyEvaluable())


def test_saving_listeners_with_contrib_estimator_are_rejected(tmp_path):
    with pytest.raises(ValueError) as err:
        _experiment(FakeContribEstimator(tmp_path), saving_listeners=[])
    assert str(err.value) == MSG_SAVING_LISTENERS


@pytest.mark.parametrize("bad", ["not_an_export_strategy", ["not_an_export_strategy"]])
def test_invalid_export_strategies(tmp_path, bad):
    with pytest.raises(ValueError, match=MSG_EXPORT_STRATEGIES):
        _experiment(FakeContribEstimator(tmp_path), export_strategies=bad)


def test_export_strategies_tuple_elements_fail_as_r115s_formatting_did(tmp_path):
    # r1.15 formatted the message with `% value`: a 1-tuple names its item in a
    # ValueError, any other tuple raised TypeError.
    with pytest.raises(ValueError) as err:
        _experiment(FakeContribEstimator(tmp_path), export_strategies=[("Servo",)])
    assert str(err.value).endswith("or `None`, found Servo.")
    with pytest.raises(TypeError, match=MSG_EXPORT_STRATEGIES + r".*found \('Servo', None\)\."):
        _experiment(FakeContribEstimator(tmp_path), export_strategies=[("Servo", None)])
    with pytest.raises(TypeError, match=MSG_EXPORT_STRATEGIES):
        _experiment(FakeContribEstimator(tmp_path), export_strategies=[()])


def test_tpu_estimator_is_accepted_with_r115s_warning(tmp_path, caplog):
    tpu_estimator = _tf.TPUEstimator(model_fn=lambda features, labels, mode, params: None,
                                     config=_tf.tf.compat.v1.estimator.tpu.RunConfig(
                                         model_dir=str(tmp_path)), use_tpu=False,
                                     train_batch_size=1, eval_batch_size=1)
    with caplog.at_level("WARNING", logger="compat_learn.experiment"):
        ex = _experiment(tpu_estimator)
    assert ex.estimator is tpu_estimator
    assert "`Experiment` class cannot work with `tf.contrib.tpu.TPUEstimator`" in caplog.text


def test_invalid_train_steps_per_iteration(tmp_path):
    with pytest.raises(ValueError) as err:
        _experiment(FakeContribEstimator(tmp_path), train_steps_per_iteration="123")
    assert str(err.value) == MSG_STEPS_PER_ITERATION


def test_nothing_is_called_or_written_at_construction(tmp_path):
    model_dir = tmp_path / "model"
    est = FakeContribEstimator(model_dir)
    _experiment(est, train_input_fn=mock.Mock(), eval_input_fn=mock.Mock())
    assert (est.fit_count, est.eval_count) == (0, 0)
    assert not model_dir.exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sub", ["afile/model", "afile"], ids=["under_a_file", "is_a_file"])
@pytest.mark.parametrize("schedule", ["train", "evaluate", "continuous_eval",
                                      "train_and_evaluate", "continuous_train_and_eval", "test"])
def test_a_model_dir_that_cannot_be_made_is_named_before_anything_runs(
        tmp_path, clock, kind, sub, schedule):
    (tmp_path / "afile").write_text("not a directory")
    est = kind(tmp_path / sub)
    ex = _experiment(est)  # construction never looks at the model_dir (r1.15)
    with pytest.raises(ValueError, match=r"`model_dir` '.*afile.*' cannot be (created|used): "
                                         r"'.*afile' is a file, not a directory"):
        getattr(ex, schedule)()
    assert (est.fit_count, est.eval_count, clock.slept) == (0, 0, 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_an_unwritable_parent_is_named(tmp_path, clock, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: p != str(tmp_path) and real_access(p, mode))
    with pytest.raises(ValueError, match="is not writable by this process"):
        _experiment(FakeContribEstimator(tmp_path / "model")).train()


def test_a_ps_needs_no_model_dir(tmp_path, monkeypatch):
    # run_std_server never touches the model_dir: a ps without the shared mount works.
    (tmp_path / "afile").write_text("")
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": {"ps": ["host1:2222"], "worker": ["host3:2222"]},
        "task": {"type": "ps", "index": 0}}))
    est = FakeContribEstimator(tmp_path / "afile" / "model",
                               config=run_config.RunConfig(master="host1:2222"))
    with mock.patch.object(_tf.server_lib, "Server") as server:
        _experiment(est).run_std_server()
    server.return_value.join.assert_called_once_with()


def test_a_non_chief_worker_trains_without_access_to_model_dir(tmp_path, clock, monkeypatch):
    # Only the chief writes checkpoints; a worker may lack the shared mount (r1.15).
    (tmp_path / "afile").write_text("")
    monkeypatch.setenv("TF_CONFIG", json.dumps({"task": {"type": "worker", "index": 1}}))
    config = run_config.RunConfig()
    assert not config.is_chief
    est = FakeContribEstimator(tmp_path / "afile" / "model", config=config)
    est._record_train = lambda kwargs: setattr(est, "fit_count", est.fit_count + 1)
    _experiment(est).train(delay_secs=0)
    assert est.fit_count == 1


def test_a_mock_estimator_is_accepted(tmp_path):
    # r1.15's own tests build Experiments around mock.Mock(Estimator).
    est = mock.Mock(_tf.CoreEstimator)
    assert Experiment(est, "train_input", "eval_input").estimator is est


def test_subclass_overriding_continuous_eval_internals_with_r115s_signature(tmp_path, clock):
    calls = []

    class R115Experiment(Experiment):
        def _continuous_eval(self, input_fn, name, delay_secs, throttle_delay_secs,
                             evaluate_checkpoint_only_once=True,
                             continuous_eval_predicate_fn=None, export=True):
            calls.append((input_fn, name, export))

    ex = R115Experiment(FakeContribEstimator(tmp_path), "train_input", "eval_input")
    ex.continuous_eval()
    ex.continuous_eval_on_train_data()
    assert calls == [("eval_input", "continuous", True),
                     ("train_input", "continuous_on_train_data", False)]


def test_mixins_are_initialised(tmp_path):
    class Mixin:
        def __init__(self):
            super().__init__()
            self.mixin_ready = True

    class MixedExperiment(Experiment, Mixin):
        pass

    ex = MixedExperiment(FakeContribEstimator(tmp_path), "train_input", "eval_input")
    assert ex.mixin_ready  # r1.15 calls super().__init__()


def test_min_eval_frequency_default_and_explicit(tmp_path):
    est = FakeContribEstimator(tmp_path)
    assert _experiment(est)._min_eval_frequency == 1
    assert _experiment(est, min_eval_frequency=0)._min_eval_frequency == 0
    assert _experiment(est, min_eval_frequency=123)._min_eval_frequency == 123


def test_properties_and_private_attributes_that_subclasses_read(tmp_path):
    est = FakeContribEstimator(tmp_path)
    hooks = [NoopHook()]
    ex = _experiment(est, train_steps=7, eval_steps=3, eval_metrics={"a": 1},
                     train_monitors=hooks, eval_hooks=hooks)
    assert (ex.estimator, ex.train_steps, ex.eval_steps, ex.eval_metrics) == (est, 7, 3, {"a": 1})
    assert (ex._estimator, ex._train_steps, ex._eval_steps) == (est, 7, 3)
    assert ex._train_monitors == hooks and ex._train_monitors is not hooks
    assert ex._eval_hooks == hooks and ex._eval_hooks is not hooks
    with pytest.raises(AttributeError):
        ex.train_steps = 3


def test_train_hooks_extend_does_not_mutate_input_hooks(tmp_path):
    hook, hook2 = NoopHook(), NoopHook()
    given = [hook]
    ex = _experiment(FakeContribEstimator(tmp_path), train_monitors=given)
    ex.extend_train_hooks([hook2])
    assert ex._train_monitors == [hook, hook2]
    assert given == [hook]


def test_deprecation_warning_names_the_replacement(tmp_path):
    from compat_learn import _deprecation

    _deprecation._reset_for_tests()
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                      match="tf.estimator.train_and_evaluate") as record:
        _experiment(FakeContribEstimator(tmp_path))
    assert record[0].filename == __file__  # points at the user's line


# ------------------------------------------------------------------ train / evaluate

@pytest.mark.parametrize("kind", KINDS)
def test_train(tmp_path, clock, kind):
    est = kind(tmp_path)
    kwargs = {"saving_listeners": "saving_listeners"} if kind is FakeCoreEstimator else {}
    ex = _experiment(est, train_steps="train_steps", eval_metrics=None, **kwargs)
    fit_args = ex.train(delay_secs=0)
    assert (est.fit_count, est.eval_count) == (1, 0)
    assert "max_steps" in fit_args
    assert est.train_kwargs[0]["max_steps"] == "train_steps"
    assert est.train_kwargs[0]["input_fn"] == "train_input"
    if kind is FakeCoreEstimator:
        assert est.train_kwargs[0]["saving_listeners"] == "saving_listeners"
        assert set(est.train_kwargs[0]) == {"input_fn", "steps", "max_steps", "hooks", "saving_listeners"}
    else:
        assert set(est.train_kwargs[0]) == {"input_fn", "steps", "max_steps", "monitors"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("delay", [0, 1, 3])
def test_train_delay(tmp_path, clock, kind, delay):
    ex = _experiment(kind(tmp_path))
    ex.train(delay_secs=delay)
    assert clock.slept == delay


@pytest.mark.parametrize("task", [0, 1, 3, 20])
def test_train_default_delay_is_five_seconds_per_task_capped_at_60(tmp_path, clock, monkeypatch, task):
    monkeypatch.setenv("TF_CONFIG", json.dumps({"task": {"index": task}}))
    est = FakeContribEstimator(tmp_path, config=run_config.RunConfig())
    _experiment(est).train()
    assert clock.slept == min(60, 5 * task)


@pytest.mark.parametrize("task, step", [(0, 0), (1, 5545), (3, 11090)])
def test_delay_workers_by_global_step_waits_for_a_step_instead(tmp_path, clock, monkeypatch, task, step):
    monkeypatch.setenv("TF_CONFIG", json.dumps({"task": {"index": task}}))
    est = FakeCoreEstimator(tmp_path, config=run_config.RunConfig())
    _experiment(est, delay_workers_by_global_step=True).train()
    assert clock.slept == 0
    waiters = [h for h in est.monitors if isinstance(h, _tf.GlobalStepWaiterHook)]
    assert [w._wait_until_step for w in waiters] == [step]


_CLOUD_CLUSTER = {"ps": ["host1:2222", "host2:2222"],
                  "worker": ["host3:2222", "host4:2222", "host5:2222"]}


def test_train_starts_server_in_cloud_environment(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": _CLOUD_CLUSTER, "environment": "cloud",
        "task": {"type": "worker", "index": 1}}))
    config = run_config.RunConfig(master="host4:2222", num_cores=15, gpu_memory_fraction=0.314)
    est = FakeContribEstimator(tmp_path, config=config)
    with mock.patch.object(_tf.server_lib, "Server") as server:
        _experiment(est).train(delay_secs=1)
    assert clock.slept == 1
    expected_config = _tf.ConfigProto(
        inter_op_parallelism_threads=15, intra_op_parallelism_threads=15,
        gpu_options=_tf.GPUOptions(per_process_gpu_memory_fraction=0.314))
    server.assert_called_once_with(config.cluster_spec, job_name="worker", task_index=1,
                                   config=expected_config, start=False)
    server.return_value.start.assert_called_once_with()


def test_train_server_does_not_start_without_cluster_spec(tmp_path, clock, monkeypatch):
    # 'cloud' with a master: only the missing cluster_spec keeps the server off.
    monkeypatch.setenv("TF_CONFIG", json.dumps({"environment": "cloud"}))
    est = FakeContribEstimator(tmp_path, config=run_config.RunConfig(master="host4:2222"))
    with mock.patch.object(_tf.server_lib, "Server") as server:
        _experiment(est).train()
    server.assert_not_called()


def test_train_server_does_not_start_with_empty_master(tmp_path, clock, monkeypatch):
    # 'cloud' with a cluster: only the empty master keeps the server off.
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": _CLOUD_CLUSTER, "environment": "cloud", "task": {"type": "worker", "index": 0}}))
    est = FakeContribEstimator(tmp_path, config=run_config.RunConfig(master=""))
    with mock.patch.object(_tf.server_lib, "Server") as server:
        _experiment(est).train()
    server.assert_not_called()


@pytest.mark.parametrize("environment, warns", [("google", False), ("local", True)])
def test_train_server_does_not_start_in_google_or_local_environment(
        tmp_path, clock, monkeypatch, caplog, environment, warns):
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": _CLOUD_CLUSTER, "environment": environment,
        "task": {"type": "worker", "index": 1}}))
    est = FakeContribEstimator(tmp_path, config=run_config.RunConfig(master="host4:2222"))
    with mock.patch.object(_tf.server_lib, "Server") as server, \
            caplog.at_level("WARNING", logger="compat_learn.experiment"):
        _experiment(est).train(delay_secs=0)
    server.assert_not_called()
    assert est.fit_count == 1
    assert ("environment is set to 'local'" in caplog.text) is warns


def test_train_logs_the_remaining_delay_but_sleeps_the_full_delay(tmp_path, clock, monkeypatch, caplog):
    # r1.15 measures from the start of train(): starting the server took 2 s here,
    # so it logs 3 s remaining and then sleeps all 5 (r1.15 code, kept).
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": _CLOUD_CLUSTER, "environment": "cloud", "task": {"type": "worker", "index": 1}}))
    est = FakeContribEstimator(tmp_path, config=run_config.RunConfig(master="host4:2222"))
    with mock.patch.object(_tf.server_lib, "Server") as server, \
            caplog.at_level("INFO", logger="compat_learn.experiment"):
        server.return_value.start.side_effect = lambda: clock.sleep(2)
        _experiment(est).train(delay_secs=5)
    assert clock.slept == 2 + 5
    assert "Waiting 3 secs before starting training." in caplog.text


def test_train_raises_if_job_name_is_missing(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": _CLOUD_CLUSTER, "environment": "cloud", "task": {"index": 1}}))
    est = FakeContribEstimator(tmp_path, config=run_config.RunConfig(master="host3:2222"))
    with mock.patch.object(_tf.server_lib, "Server"), pytest.raises(ValueError) as err:
        _experiment(est).train()
    assert str(err.value) == MSG_START_SERVER
    assert est.fit_count == 0


def test_core_run_config_with_a_cluster_is_rejected_for_distributed_training(tmp_path, clock):
    config = mock.Mock(spec=["cluster_spec", "master", "task_id"], cluster_spec={"ps": ["a:1"]},
                       master="grpc://a:1", task_id=0)
    est = FakeCoreEstimator(tmp_path, config=config)
    with pytest.raises(ValueError, match=MSG_NON_CONTRIB_DISTRIBUTED):
        _experiment(est).train()
    assert est.fit_count == 0


@pytest.mark.parametrize("kind", KINDS)
def test_evaluate(tmp_path, clock, kind):
    hook = NoopHook()
    est = kind(tmp_path)
    ex = _experiment(est, eval_steps="steps", eval_delay_secs=0, eval_hooks=[hook])
    ex.evaluate()
    assert (est.fit_count, est.eval_count) == (0, 1)
    kwargs = est.eval_kwargs[0]
    assert kwargs["hooks"] == [hook] and kwargs["name"] == "one_pass"
    assert kwargs["steps"] == "steps" and kwargs["checkpoint_path"] is None
    expected = {"input_fn", "steps", "name", "checkpoint_path", "hooks"}
    if kind is FakeContribEstimator:
        expected.add("metrics")
    assert set(kwargs) == expected


@pytest.mark.parametrize("delay", [0, 1, 3])
def test_evaluate_delay_defaults_to_eval_delay_secs(tmp_path, clock, delay):
    est = FakeContribEstimator(tmp_path)
    _experiment(est, eval_delay_secs=delay).evaluate()
    assert clock.slept == delay
    _experiment(est, eval_delay_secs=100).evaluate(delay_secs=delay, name="other")
    assert clock.slept == 2 * delay
    assert est.eval_kwargs[1]["name"] == "other"


# ------------------------------------------------------------------ continuous eval

@pytest.mark.parametrize("kind", KINDS)
def test_continuous_eval_runs_until_the_estimator_raises(tmp_path, clock, kind):
    write_checkpoint(tmp_path, 1)
    hook = NoopHook()
    est = kind(tmp_path, eval_dict={"global_step": 100})
    ex = _experiment(est, eval_hooks=[hook], eval_delay_secs=0, continuous_eval_throttle_secs=0)
    with pytest.raises(StopIteration):
        ex.continuous_eval(evaluate_checkpoint_only_once=False)
    assert (est.fit_count, est.eval_count) == (0, 6)
    assert est.eval_hooks == [hook]
    assert {k["name"] for k in est.eval_kwargs} == {"continuous"}
    assert {k["checkpoint_path"] for k in est.eval_kwargs} == {os.path.join(str(tmp_path), "model.ckpt-1")}


@pytest.mark.parametrize("kind", KINDS)
def test_continuous_eval_ends_once_global_step_reaches_train_steps(tmp_path, clock, kind):
    write_checkpoint(tmp_path, 1)
    est = kind(tmp_path, eval_dict={"global_step": 100})
    ex = _experiment(est, train_steps=100, eval_delay_secs=0, continuous_eval_throttle_secs=0)
    assert ex.continuous_eval(evaluate_checkpoint_only_once=False) is None
    assert est.eval_count == 1


@pytest.mark.parametrize("throttle", [0, 1, 2])
def test_continuous_eval_throttle_delay(tmp_path, clock, throttle):
    write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100})
    ex = _experiment(est, eval_delay_secs=0, continuous_eval_throttle_secs=throttle)
    with pytest.raises(StopIteration):
        ex.continuous_eval(evaluate_checkpoint_only_once=False)
    assert clock.slept == 5 * throttle


def test_continuous_eval_predicate_fn(tmp_path, clock):
    write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path)

    def _predicate_fn(unused_eval_result):
        return est.eval_count < 3

    ex = _experiment(est, eval_delay_secs=0, continuous_eval_throttle_secs=0)
    ex.continuous_eval(evaluate_checkpoint_only_once=False,
                       continuous_eval_predicate_fn=_predicate_fn)
    assert est.eval_count == 3


def test_continuous_eval_two_argument_predicate_follows_r115_code(tmp_path, clock):
    # r1.15's test_continuous_eval_predicate_fn_with_checkpoint asserts that a falsy
    # eval_result always comes with checkpoint_path None; r1.15's code passes the last
    # evaluated path after the falsy result is replaced by {}. We follow the code.
    ckpt = write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path)  # evaluate returns None -> {}
    calls = []

    def _predicate_fn(eval_result, checkpoint_path):
        calls.append((eval_result, checkpoint_path))
        return est.eval_count < 3

    ex = _experiment(est, eval_delay_secs=0, continuous_eval_throttle_secs=0)
    ex.continuous_eval(evaluate_checkpoint_only_once=False, continuous_eval_predicate_fn=_predicate_fn)
    assert est.eval_count == 3
    assert calls == [(None, None), ({}, ckpt), ({}, ckpt), ({}, ckpt)]


def test_predicate_keyword_named_checkpoint_path_is_called_by_keyword(tmp_path, clock):
    ckpt = write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path, eval_dict={"loss": 1.0})
    seen = []

    def _predicate_fn(results, unused=None, checkpoint_path=None):  # positional would hit `unused`
        assert unused is None
        seen.append(checkpoint_path)
        return len(seen) < 3

    _experiment(est, eval_delay_secs=0, continuous_eval_throttle_secs=0).continuous_eval(
        continuous_eval_predicate_fn=_predicate_fn)
    assert seen == [None, ckpt, ckpt]


def test_continuous_eval_evaluates_checkpoint_once(tmp_path, clock):
    write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100})
    _predicate_fn, results = _recording_predicate(299)

    ex = _experiment(est, eval_delay_secs=0, continuous_eval_throttle_secs=0)
    ex.continuous_eval(evaluate_checkpoint_only_once=True, continuous_eval_predicate_fn=_predicate_fn)
    assert est.eval_count == 1
    assert len(results) == 300
    assert sum(1 for r in results if r) == 1  # later iterations see {} (r1.15)


def test_invalid_predicate_is_rejected_before_anything_runs(tmp_path, clock):
    est = FakeContribEstimator(tmp_path)
    ex = _experiment(est)
    for call in (lambda: ex.continuous_eval(continuous_eval_predicate_fn="p"),
                 lambda: ex.continuous_train_and_eval(continuous_eval_predicate_fn="p")):
        with pytest.raises(ValueError) as err:
            call()
        assert str(err.value) == MSG_PREDICATE
    assert (est.fit_count, est.eval_count, clock.slept) == (0, 0, 0)


def _recording_predicate(polls=None, model_dir=None, at_poll=None, step=None):
    """A continuous_eval predicate that records the results it sees, writes checkpoint
    `step` into `model_dir` at its `at_poll`-th call, and stops the loop after `polls`
    calls (None: never). Returns it and its list of results."""
    seen = []

    def predicate_fn(eval_result):
        seen.append(eval_result)
        if len(seen) == at_poll:
            write_checkpoint(model_dir, step)
        return polls is None or len(seen) <= polls

    return predicate_fn, seen


def test_continuous_eval_waits_for_the_first_checkpoint_and_says_what_it_waits_for(tmp_path, clock, caplog):
    est = FakeContribEstimator(tmp_path / "not_yet", eval_dict={"global_step": 10})
    _predicate_fn, polls = _recording_predicate(model_dir=tmp_path / "not_yet", at_poll=3, step=10)
    ex = _experiment(est, train_steps=10, eval_delay_secs=0, continuous_eval_throttle_secs=7)
    with caplog.at_level("WARNING", logger="compat_learn.experiment"):
        ex.continuous_eval(continuous_eval_predicate_fn=_predicate_fn)
    assert est.eval_count == 1
    assert polls[:3] == [None, {}, {}]
    warnings = [r.getMessage() for r in caplog.records if "not fitted yet" in r.getMessage()]
    assert len(warnings) == 1  # at most once per 600 s, not at every poll
    assert "not_yet" in warnings[0]  # names what it is waiting for
    assert clock.slept == 7 * 3  # every iteration is throttled, including empty ones


def test_continuous_eval_asks_the_predicate_before_the_train_steps_check(tmp_path, clock):
    # r1.15 order: the predicate sees the final result, then the loop stops.
    write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100})
    _predicate_fn, seen = _recording_predicate()
    ex = _experiment(est, train_steps=100, eval_delay_secs=0, continuous_eval_throttle_secs=0)
    ex.continuous_eval(continuous_eval_predicate_fn=_predicate_fn)
    assert seen == [None, {"global_step": 100}]
    assert est.eval_count == 1


def test_continuous_eval_warns_again_at_once_after_an_evaluation(tmp_path, clock, caplog):
    # The 600 s warning interval restarts after every evaluation (r1.15 resets its
    # timer), so "no new checkpoint" is said right after the evaluation.
    est = FakeContribEstimator(tmp_path / "m", eval_dict={"global_step": 1})
    _predicate_fn, _ = _recording_predicate(4, model_dir=tmp_path / "m", at_poll=2, step=1)
    ex = _experiment(est, eval_delay_secs=0, continuous_eval_throttle_secs=10)
    with caplog.at_level("WARNING", logger="compat_learn.experiment"):
        ex.continuous_eval(continuous_eval_predicate_fn=_predicate_fn)
    messages = [r.getMessage().split(".")[0] for r in caplog.records]
    # poll 1: nothing yet (warned); poll 2: evaluates; poll 3: warned at once (t=20 s);
    # poll 4: within 600 s of that warning, silent.
    assert messages == ["Estimator is not fitted yet", "No new checkpoint ready for evaluation"]
    assert est.eval_count == 1 and clock.slept == 40


def test_continuous_eval_finds_checkpoints_in_a_directory_with_glob_characters(tmp_path, clock):
    model_dir = tmp_path / "run[1]"
    ckpt = write_checkpoint(model_dir, 5)
    est = FakeContribEstimator(model_dir, eval_dict={"global_step": 5})
    ex = _experiment(est, train_steps=5, eval_delay_secs=0, continuous_eval_throttle_secs=0)
    ex.continuous_eval()
    assert est.eval_count == 1
    assert est.eval_kwargs[0]["checkpoint_path"] == ckpt


def test_continuous_eval_on_train_data_uses_train_input_and_does_not_export(tmp_path, clock):
    write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 1})
    ex = _experiment(est, train_steps=1, eval_delay_secs=0, continuous_eval_throttle_secs=0,
                     export_strategies=_strategy())
    ex.continuous_eval_on_train_data()
    assert est.eval_count == 1 and est.export_count == 0
    assert est.eval_kwargs[0]["input_fn"] == "train_input"
    assert est.eval_kwargs[0]["name"] == "continuous_on_train_data"


def test_continuous_eval_exports_after_every_evaluation(tmp_path, clock):
    ckpt = write_checkpoint(tmp_path, 1)
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 1})
    seen = []

    def export_fn(estimator, export_path, checkpoint_path=None, eval_result=None):
        seen.append((export_path, checkpoint_path, eval_result))
        return "exported"

    ex = _experiment(est, train_steps=1, eval_delay_secs=0, continuous_eval_throttle_secs=0,
                     export_strategies=export_strategy.ExportStrategy("Servo", export_fn))
    ex.continuous_eval()
    assert seen == [(os.path.join(os.fsencode(tmp_path), b"export", b"Servo"), ckpt, {"global_step": 1})]


def test_evaluate_all_checkpoints_is_opt_in_and_goes_oldest_first(tmp_path, clock):
    # Three checkpoints kept in the state file by the time the evaluator looks.
    os.makedirs(tmp_path, exist_ok=True)
    for step in (1, 2, 3):
        open(os.path.join(tmp_path, "model.ckpt-%d.index" % step), "wb").close()
    with open(os.path.join(tmp_path, "checkpoint"), "w") as f:
        f.write('model_checkpoint_path: "model.ckpt-3"\n' + "".join(
            'all_model_checkpoint_paths: "model.ckpt-%d"\n' % s for s in (1, 2, 3)))

    class StepEstimator(FakeContribEstimator):
        def evaluate(self, **kwargs):
            super().evaluate(**kwargs)
            return {"global_step": int(kwargs["checkpoint_path"].rsplit("-", 1)[1])}

    default = StepEstimator(tmp_path)
    _experiment(default, train_steps=3, eval_delay_secs=0, continuous_eval_throttle_secs=0).continuous_eval()
    assert [k["checkpoint_path"][-1] for k in default.eval_kwargs] == ["3"]  # r1.15: latest only

    every = StepEstimator(tmp_path, max_evals=20)
    _experiment(every, train_steps=3, eval_delay_secs=0, continuous_eval_throttle_secs=10).continuous_eval(
        evaluate_all_checkpoints=True)
    assert [k["checkpoint_path"][-1] for k in every.eval_kwargs] == ["1", "2", "3"]
    # A second call on the same Experiment evaluates them again instead of waiting forever.
    ex = _experiment(every, train_steps=3, eval_delay_secs=0, continuous_eval_throttle_secs=0)
    ex.continuous_eval(evaluate_all_checkpoints=True)
    ex.continuous_eval(evaluate_all_checkpoints=True)
    assert [k["checkpoint_path"][-1] for k in every.eval_kwargs[3:]] == ["1", "2", "3"] * 2


# ------------------------------------------------------------------ train_and_evaluate

@pytest.mark.parametrize("kind", KINDS)
def test_train_and_evaluate(tmp_path, clock, kind):
    hook = NoopHook()
    est = kind(tmp_path, eval_dict={"global_step": 100})
    ex = _experiment(est, train_steps=100, eval_steps=100, eval_hooks=[hook],
                     export_strategies=_strategy())
    eval_result, export_results = ex.train_and_evaluate()
    assert (est.fit_count, est.eval_count, est.export_count) == (1, 1, 1)
    assert len(est.monitors) == 1 and isinstance(est.monitors[0], _tf.SessionRunHook)
    assert est.eval_hooks == [hook]
    assert est.eval_kwargs[-1]["name"] is None and est.eval_kwargs[-1]["checkpoint_path"] is None
    assert eval_result == {"global_step": 100}
    assert export_results == [os.path.join(os.fsencode(tmp_path), b"export", b"Servo", b"bogus_timestamp")]


@pytest.mark.parametrize("kind", KINDS)
def test_train_and_evaluate_never_delays_even_on_a_later_task(tmp_path, clock, monkeypatch, kind):
    monkeypatch.setenv("TF_CONFIG", json.dumps({"task": {"index": 3}}))
    est = kind(tmp_path, config=run_config.RunConfig(), eval_dict={"global_step": 100})
    ex = _experiment(est, train_steps=100)
    ex.train_and_evaluate()
    assert clock.slept == 0  # r1.15: train(delay_secs=0)
    ex.train()
    assert clock.slept == 15  # the same task's default delay, for contrast


@pytest.mark.parametrize("kind", KINDS)
def test_train_and_evaluate_with_no_eval_during_training(tmp_path, clock, kind):
    est = kind(tmp_path, eval_dict={"global_step": 100})
    _experiment(est, min_eval_frequency=0).train_and_evaluate()
    assert (est.fit_count, est.eval_count) == (1, 1)
    assert est.monitors == []


def test_train_and_evaluate_puts_a_validation_monitor_with_r115_arguments(tmp_path, clock):
    from compat_learn import monitors

    est = FakeCoreEstimator(tmp_path, eval_dict={})
    ex = _experiment(est, min_eval_frequency=7, eval_steps=3, check_interval_secs=11)
    with mock.patch.object(monitors, "ValidationMonitor", wraps=monitors.ValidationMonitor) as vm:
        ex.train_and_evaluate()
    vm.assert_called_once_with(input_fn="eval_input", eval_steps=3, metrics=None, every_n_steps=7,
                               check_interval_secs=11, name=None, hooks=[])


def _validation_monitors(train_kwargs):
    """The ValidationMonitors one fit() call received (inside the hook adapter)."""
    from compat_learn import monitors

    (adapter,) = [h for h in train_kwargs["monitors"]
                  if isinstance(h, monitors.RunHookAdapterForMonitors)]
    return [m for m in adapter._monitors if isinstance(m, monitors.ValidationMonitor)]


def test_repeated_train_and_evaluate_adds_one_validation_monitor_per_call(tmp_path, clock):
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100}, max_evals=10)
    ex = _experiment(est)
    ex.train_and_evaluate()
    ex.train_and_evaluate()
    # r1.15: an empty train_monitors is replaced by a fresh list for each call.
    assert [len(_validation_monitors(kwargs)) for kwargs in est.train_kwargs] == [1, 1]
    assert ex._train_monitors == []


def test_repeated_train_and_evaluate_with_train_monitors_keeps_r115s_in_place_extension(tmp_path, clock):
    # r1.15 quirk, kept for subclasses that read _train_monitors: a non-empty list is
    # extended in place, so each call leaves its ValidationMonitor behind.
    hook = NoopHook()
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100}, max_evals=10)
    ex = _experiment(est, train_monitors=[hook])
    ex.train_and_evaluate()
    ex.train_and_evaluate()
    assert [len(_validation_monitors(kwargs)) for kwargs in est.train_kwargs] == [1, 2]
    assert all(kwargs["monitors"][0] is hook for kwargs in est.train_kwargs)
    assert ex._train_monitors[0] is hook and len(ex._train_monitors) == 3


def test_train_and_evaluate_returns_empty_export_list_without_strategies(tmp_path, clock):
    est = FakeContribEstimator(tmp_path, eval_dict={"loss": 0.5})
    assert _experiment(est).train_and_evaluate() == ({"loss": 0.5}, [])


def test_local_run_uses_local_eval_frequency(tmp_path, clock):
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100})
    ex = _experiment(est, local_eval_frequency=10)
    ex.local_run()
    assert (est.fit_count, est.eval_count) == (1, 1)
    assert len(est.monitors) == 1 and isinstance(est.monitors[0], _tf.SessionRunHook)
    assert ex._min_eval_frequency == 1  # restored afterwards

    est2 = FakeContribEstimator(tmp_path / "b", eval_dict={})
    _experiment(est2).local_run()  # default None: no evaluation during training
    assert est2.monitors == []


def test_export_strategies_reset(tmp_path, clock):
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100})
    es1 = _strategy("s1")
    ex = _experiment(est, export_strategies=es1)
    ex.train_and_evaluate()
    assert est.export_count == 1
    assert ex.reset_export_strategies() == (es1,)
    ex.train_and_evaluate()
    assert est.export_count == 1
    assert ex.reset_export_strategies([_strategy("s2"), _strategy("s3")]) == ()
    ex.train_and_evaluate()
    assert est.export_count == 3


def test_default_output_alternative_key_with_core_estimator_fails_at_export_time(tmp_path, clock):
    from compat_learn.utils import saved_model_export_utils

    est = FakeCoreEstimator(tmp_path, eval_dict={"global_step": 100})
    strategy = saved_model_export_utils.make_export_strategy(
        est, default_output_alternative_key="export_key", exports_to_keep=None)
    ex = _experiment(est, export_strategies=[strategy])  # construction is fine
    with pytest.raises(ValueError, match="default_output_alternative_key is not supported"):
        ex.train_and_evaluate()


# ------------------------------------------------------------------ continuous_train_and_eval

@pytest.mark.parametrize("kind", KINDS)
def test_continuous_train_and_eval(tmp_path, clock, kind):
    est = kind(tmp_path, eval_dict={"global_step": 100})
    kwargs = {"saving_listeners": "saving_listeners"} if kind is FakeCoreEstimator else {}
    ex = _experiment(est, train_steps=100, export_strategies=_strategy(), **kwargs)
    eval_result, export_results = ex.continuous_train_and_eval()
    assert (est.fit_count, est.eval_count, est.export_count) == (1, 1, 1)
    assert eval_result == {"global_step": 100} and len(export_results) == 1
    assert est.train_kwargs[0]["steps"] == 10 and est.train_kwargs[0]["max_steps"] is None
    assert est.eval_kwargs[0]["name"] == "one_pass"
    assert est.eval_kwargs[0]["checkpoint_path"] == os.path.join(str(tmp_path), "model.ckpt-1")
    if kind is FakeCoreEstimator:
        assert est.train_kwargs[0]["saving_listeners"] == "saving_listeners"


def test_continuous_train_and_eval_exports_after_every_iteration(tmp_path, clock):
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 5})
    seen = []

    def export_fn(estimator, export_path, checkpoint_path=None, eval_result=None):
        seen.append((checkpoint_path, eval_result, estimator.step))
        return "export-%d" % len(seen)

    ex = _experiment(est, train_steps=100,
                     export_strategies=export_strategy.ExportStrategy("Servo", export_fn))
    eval_result, export_results = ex.continuous_train_and_eval(
        continuous_eval_predicate_fn=lambda r: est.eval_count < 3)
    assert (est.fit_count, est.eval_count) == (3, 3)
    assert eval_result == {"global_step": 5}
    # r1.15 passes no checkpoint_path here: each export takes the latest checkpoint,
    # right after that iteration's training.
    assert seen == [(None, {"global_step": 5}, step) for step in (1, 2, 3)]
    assert export_results == ["export-3"]  # the last iteration's


def test_continuous_train_and_eval_with_predicate_that_stops_at_once(tmp_path, clock):
    est = FakeContribEstimator(tmp_path, eval_dict={"global_step": 100})
    ex = _experiment(est, train_steps=100, export_strategies=_strategy())
    assert ex.continuous_train_and_eval(continuous_eval_predicate_fn=lambda r: False) == (None, None)
    assert (est.fit_count, est.eval_count, est.export_count) == (0, 0, 0)


@pytest.mark.parametrize("train_steps, per_iteration, expected", [
    (int(1e14), None, int(1e14 / 10)), (None, 1234, 1234), (None, None, 1000)])
def test_continuous_train_and_eval_steps_per_iteration(tmp_path, train_steps, per_iteration, expected):
    est = mock.Mock(_tf.CoreEstimator)
    type(est).model_dir = mock.PropertyMock(return_value=str(tmp_path))
    ex = Experiment(est, train_input_fn="train_input", eval_input_fn="eval_input",
                    train_steps=train_steps, train_steps_per_iteration=per_iteration)
    # evaluate returns a Mock: the predicate must run before the stop check, or
    # comparing a Mock with an int would raise TypeError (r1.15 order).
    ex.continuous_train_and_eval(continuous_eval_predicate_fn=lambda r: r is None)
    est.train.assert_called_once_with(input_fn="train_input", steps=expected, max_steps=mock.ANY,
                                      hooks=mock.ANY, saving_listeners=mock.ANY)


# ------------------------------------------------------------------ servers and test()

def test_run_std_server(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": {"ps": ["host1:2222", "host2:2222"], "worker": ["host3:2222", "host4:2222"]},
        "task": {"type": "ps", "index": 1}}))
    config = run_config.RunConfig(master="host2:2222", num_cores=15, gpu_memory_fraction=0.314)
    est = FakeContribEstimator(tmp_path, config=config)
    with mock.patch.object(_tf.server_lib, "Server") as server:
        _experiment(est).run_std_server()
    server.assert_called_once_with(config.cluster_spec, job_name="ps", task_index=1,
                                   config=config.tf_config, start=False)
    server.return_value.start.assert_called_once_with()
    server.return_value.join.assert_called_once_with()


def test_run_std_server_raises_without_cluster_spec(tmp_path):
    est = FakeContribEstimator(tmp_path, config=run_config.RunConfig(master="host4:2222"))
    with mock.patch.object(_tf.server_lib, "Server") as server, pytest.raises(ValueError) as err:
        _experiment(est).run_std_server()
    assert str(err.value) == MSG_START_SERVER
    server.assert_not_called()


@pytest.mark.parametrize("kind", KINDS)
def test_test_schedule(tmp_path, clock, kind):
    est = kind(tmp_path, eval_dict={"loss": 1.0})
    kwargs = {"saving_listeners": "saving_listeners"} if kind is FakeCoreEstimator else {}
    train_hook = NoopHook()
    ex = _experiment(est, eval_hooks=[NoopHook()], export_strategies=_strategy(),
                     train_monitors=[train_hook], **kwargs)
    assert ex.test() == {"loss": 1.0}
    assert (est.fit_count, est.eval_count, est.export_count) == (1, 1, 1)
    assert est.train_kwargs[0]["steps"] == 1
    assert est.monitors == [train_hook]
    if kind is FakeCoreEstimator:
        assert est.train_kwargs[0]["saving_listeners"] == "saving_listeners"
    assert est.eval_kwargs[0]["steps"] == 1 and est.eval_kwargs[0]["name"] == "one_pass"
    assert est.eval_kwargs[0]["hooks"] is None  # r1.15: no eval hooks in test()


def test_call_helpers_take_keyword_arguments_only(tmp_path):
    ex = _experiment(FakeContribEstimator(tmp_path))
    with pytest.raises(ValueError, match="_call_train should be called with keyword args only"):
        ex._call_train("positional")
    with pytest.raises(ValueError, match="_call_evaluate should be called with keyword args only"):
        ex._call_evaluate("positional")


def test_experiment_module_exports_only_experiment():
    assert experiment.__all__ == ["Experiment"]
