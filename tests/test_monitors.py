"""compat_learn.monitors (r1.15 monitors.py; spec §6)."""

import logging
import os
import types

import numpy as np
import pytest

from compat_learn import _deprecation, _tf, monitors
from compat_learn.estimators import estimator as contrib_estimator

import _fakes
import _tiny_model

tf = _tf.tf

# r1.15 monitors.py messages.
MISSING_ESTIMATOR = r"^Missing estimator\.$"
BEGIN_TWICE = r"^begin called twice without end\.$"
END_WITHOUT_BEGIN = r"^end called without begin\.$"
EPOCH_TWICE = r"^epoch_begin called twice without epoch_end\.$"
INVALID_EPOCH = r"^Invalid epoch -1\.$"
INVALID_STEP = r"^Invalid step 11\.$"
STEP_END_MISMATCH = r"^step_end expected 3 but got 4\.$"
EPOCH_END_MISMATCH = r"^epoch_end expected 1 but got 2\.$"
STOP_NEITHER = r"^One of num_steps or last_step must be specified\.$"
STOP_BOTH = r"^Only one of num_steps or last_step can be specified\.$"
NO_INPUT = r"^Either x or input_fn should be provided\.$"
NO_SET_ESTIMATOR = r"^Missing call to set_estimator\.$"
CORE_UNSUPPORTED_ARGS = (
    r"^tf\.estimator\.Estimator does not support following arguments: x, y, batch_size, "
    r"metrics\. Should set as `None` in ValidationMonitor$")
METRIC_MISSING = r"^Metric auc missing from outputs \{'loss'\}\.$"
NAN_LOSS = "NaN loss during training."
STEP_BEGIN_NOT_LIST = r"^Monitor\.step_begin should return a list\.$"
AMBIGUOUS_NAME = r"^Name split is ambiguous, as this `Operation` has multiple outputs"
SAVER_NEITHER = r"^Either save_steps or save_secs should be provided$"
SAVER_BOTH = r"^Can not provide both save_steps and save_secs\.$"
# New message (no r1.15 counterpart: ref variables could always be fetched).
HANDLE_WITHOUT_READ = (r"^`bare:0` is the handle of a resource variable that has no read op in "
                       r"the graph, so its value cannot be fetched\. Fetch a tensor that reads "
                       r"it instead")


@pytest.fixture
def clock(monkeypatch):
    return _fakes.install_clock(monkeypatch)


def _run(monitor, steps, outputs=None, max_steps=None, end=True):
    """Drives a monitor through `steps`; returns (fetch requests, step_end results)."""
    monitor.begin(max_steps=max_steps)
    requests, stops = [], []
    for step in steps:
        requests.append(monitor.step_begin(step))
        stops.append(monitor.step_end(step, outputs if outputs is not None else {}))
        monitor.post_step(step, None)
    if end:
        monitor.end()
    return requests, stops


class Recorder(monitors.EveryN):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = []

    def every_n_step_begin(self, step):
        self.calls.append(("begin", step))
        return []

    def every_n_step_end(self, step, outputs):
        self.calls.append(("end", step))
        return False

    def every_n_post_step(self, step, session):
        self.calls.append(("post", step))


# ------------------------------------------------------------------ BaseMonitor, EveryN

def test_base_monitor_warns_deprecation_naming_session_run_hook():
    _deprecation._reset_for_tests()
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                      match=r"tf\.contrib\.learn\.monitors.*SessionRunHook") as record:
        monitors.StopAtStep(num_steps=1)
    assert record[0].filename == __file__  # points at the user's line


def test_base_monitor_lifecycle_errors():
    m = monitors.BaseMonitor()
    assert m.run_on_all_workers is False
    with pytest.raises(ValueError, match=MISSING_ESTIMATOR):
        m.set_estimator(None)
    with pytest.raises(ValueError, match=END_WITHOUT_BEGIN):
        m.end()
    m.begin(max_steps=10)
    with pytest.raises(ValueError, match=BEGIN_TWICE):
        m.begin()
    with pytest.raises(ValueError, match=INVALID_STEP):
        m.step_begin(11)
    with pytest.raises(ValueError, match=r"^Invalid step -1\.$"):
        m.step_begin(-1)
    assert m.step_begin(3) == []
    with pytest.raises(ValueError, match=STEP_END_MISMATCH):
        m.step_end(4, {})
    assert m.step_end(3, {}) is False
    with pytest.raises(ValueError, match=INVALID_EPOCH):
        m.epoch_begin(-1)
    m.epoch_begin(1)
    with pytest.raises(ValueError, match=EPOCH_TWICE):
        m.epoch_begin(2)
    with pytest.raises(ValueError, match=EPOCH_END_MISMATCH):
        m.epoch_end(2)
    m.epoch_end(1)
    m.end()
    m.begin()  # may begin again after end


def test_every_n_cadence_with_first_n_and_max_steps():
    m = Recorder(every_n_steps=3, first_n_steps=2)
    _run(m, range(1, 11), max_steps=10)
    active = [s for kind, s in m.calls if kind == "begin"]
    assert active == [1, 2, 5, 8, 10]  # first 2, then every 3 from the last, and max_steps
    assert [s for kind, s in m.calls if kind == "post"] == active  # end adds nothing


def test_every_n_end_posts_the_last_step_if_it_was_not_active():
    m = Recorder(every_n_steps=3, first_n_steps=0)
    _run(m, range(1, 8))
    assert [s for kind, s in m.calls if kind == "begin"] == [3, 6]
    assert [s for kind, s in m.calls if kind == "post"] == [3, 6, 7]


def test_stop_at_step():
    with pytest.raises(ValueError, match=STOP_NEITHER):
        monitors.StopAtStep()
    with pytest.raises(ValueError, match=STOP_BOTH):
        monitors.StopAtStep(num_steps=1, last_step=2)
    assert monitors.StopAtStep(num_steps=1).run_on_all_workers is True
    _, stops = _run(monitors.StopAtStep(num_steps=3), range(5, 10))
    assert stops == [False, False, True, True, True]  # 3 steps counted from step 5
    _, stops = _run(monitors.StopAtStep(last_step=6), range(5, 8))
    assert stops == [False, True, True]


def test_print_tensor_and_capture_variable(caplog):
    printer = monitors.PrintTensor(["loss:0"], every_n=2, first_n=1)
    capture = monitors.CaptureVariable("w:0", every_n=2, first_n=1)
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        requests, _ = _run(printer, [1, 2, 3], outputs={"loss:0": 0.5})
    assert requests == [["loss:0"], [], ["loss:0"]]
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("tensorflow", "Step 1: loss:0 = 0.5"), ("tensorflow", "Step 3: loss:0 = 0.5")]
    _run(capture, [1, 2, 3], outputs={"w:0": 7})
    assert capture.values == {1: 7, 3: 7}


def test_print_tensor_logs_through_tf_logging_info_as_r115(monkeypatch, caplog):
    # r1.15's monitors_test replaced tf_logging.info to see what PrintTensor logged.
    logged = []
    monkeypatch.setattr(_tf.tf_logging, "info", lambda *args: logged.append(args))
    _run(monitors.PrintTensor({"loss": "loss:0"}, every_n=1), [4], outputs={"loss:0": 2.0})
    assert logged == [("Step %d: %s", 4, "loss = 2.0")]
    monkeypatch.undo()
    # tf.compat.v1.logging.set_verbosity decides whether the lines appear.
    v1_logging = _tf.tf.compat.v1.logging
    level = v1_logging.get_verbosity()
    try:
        for verbosity, expected in ((v1_logging.ERROR, []), (v1_logging.INFO, ["Step 4: loss = 2.0"])):
            v1_logging.set_verbosity(verbosity)
            caplog.clear()
            with caplog.at_level(logging.NOTSET):
                _run(monitors.PrintTensor({"loss": "loss:0"}, every_n=1), [4],
                     outputs={"loss:0": 2.0})
            assert [r.getMessage() for r in caplog.records] == expected
    finally:
        v1_logging.set_verbosity(level)


def test_nan_loss_fails_or_stops():
    with pytest.raises(monitors.NanLossDuringTrainingError) as info:
        _run(monitors.NanLoss("loss:0", every_n_steps=1), [1], outputs={"loss:0": np.nan})
    assert str(info.value) == NAN_LOSS
    assert isinstance(info.value, RuntimeError)
    _, stops = _run(monitors.NanLoss("loss:0", fail_on_nan_loss=False), [1, 2],
                    outputs={"loss:0": np.nan})
    assert stops == [True, False]  # the second step is not checked (every 100)
    _, stops = _run(monitors.NanLoss("loss:0"), [1], outputs={"loss:0": 1.0})
    assert not stops[0]


def test_summary_saver_and_step_counter_write_to_their_writers(clock):
    class Writer:
        def __init__(self):
            self.summaries, self.flushed = [], 0

        def add_summary(self, summary, step):
            self.summaries.append((summary, step))

        def flush(self):
            self.flushed += 1

    writer = Writer()
    saver = monitors.SummarySaver("summary:0", save_steps=2, summary_writer=writer)
    requests, _ = _run(saver, [1, 2, 3], outputs={"summary:0": b"proto"})
    assert requests == [["summary:0"], [], ["summary:0"]]
    assert writer.summaries == [(b"proto", 1), (b"proto", 3)]
    assert writer.flushed == 1

    counter_writer = Writer()
    counter = monitors.StepCounter(every_n_steps=2, summary_writer=counter_writer)
    counter.begin()
    for step in (1, 2, 3):
        counter.step_begin(step)
        clock.now += 0.5
        counter.step_end(step, {})
        counter.post_step(step, None)
    (summary, step), = counter_writer.summaries
    assert step == 3
    assert summary.value[0].tag == "global_step/sec"
    assert summary.value[0].simple_value == pytest.approx(2 / 1.0)


def test_checkpoint_saver_arguments():
    with pytest.raises(ValueError, match=SAVER_NEITHER):
        monitors.CheckpointSaver("/tmp/x")
    with pytest.raises(ValueError, match=SAVER_BOTH):
        monitors.CheckpointSaver("/tmp/x", save_secs=1, save_steps=1)


def test_graph_dump_compare():
    a, b = monitors.GraphDump(), monitors.GraphDump()
    a._data = {1: {"x": np.array([1.0, 2.0]), "y": 3, "s": "text", "z": 1}}
    b._data = {1: {"x": np.array([1.0, 2.5]), "y": 3, "s": "other", "z": 2}}
    matched, non_matched = a.compare(b, 1)
    assert matched == ["y"]
    np.testing.assert_allclose(non_matched["x"], [0.0, -0.5])
    assert non_matched["z"] == (1, 2)
    with pytest.raises(ValueError, match=r"^y missing at step 1\.$"):
        a.compare(types.SimpleNamespace(data={1: {"x": 1}}), 1)


def test_export_monitor_raises_naming_the_replacement():
    with pytest.raises(NotImplementedError, match=r"make_export_strategy") as info:
        monitors.ExportMonitor(every_n_steps=10, export_dir="/tmp/export")
    assert str(info.value) == monitors.EXPORT_MONITOR_MESSAGE
    assert issubclass(monitors.ExportMonitor, monitors.EveryN)


def test_get_default_monitors():
    assert monitors.get_default_monitors() == []
    loss = types.SimpleNamespace(name="loss:0")
    printer, saver = monitors.get_default_monitors(loss_op=loss, summary_op="s:0",
                                                   save_summary_steps=7)
    assert isinstance(printer, monitors.PrintTensor)
    assert printer._tensor_names == {"loss": "loss:0"}
    assert isinstance(saver, monitors.SummarySaver) and saver._every_n_steps == 7


# ------------------------------------------------------------------ ValidationMonitor

class ContribEstimator:
    """Contrib-style evaluate double: checks keywords against the real contrib one."""

    def __init__(self, model_dir, results=(), is_chief=True):
        self.model_dir = str(model_dir)
        self.config = types.SimpleNamespace(is_chief=is_chief)
        self.results = list(results)
        self.eval_calls = []

    def evaluate(self, **kwargs):
        _fakes.check_kwargs(contrib_estimator.BaseEstimator.evaluate, kwargs)
        self.eval_calls.append(kwargs)
        return dict(self.results.pop(0))


@pytest.fixture
def core_estimator(tmp_path):
    """A real (untrained) tf.estimator.Estimator whose evaluate records."""
    est = _tiny_model.make_estimator(tmp_path / "core")
    est.eval_calls = []
    est.results = []

    def evaluate(**kwargs):
        _fakes.check_kwargs(tf.estimator.Estimator.evaluate, kwargs)
        est.eval_calls.append(kwargs)
        return dict(est.results.pop(0))

    est.evaluate = evaluate
    return est


def test_validation_monitor_requires_input_and_set_estimator():
    with pytest.raises(ValueError, match=NO_INPUT):
        monitors.ValidationMonitor()
    vm = monitors.ValidationMonitor(input_fn=len, every_n_steps=1)
    assert (vm.early_stopped, vm.best_step, vm.best_value, vm.best_metrics) == (
        False, None, None, None)
    with pytest.raises(ValueError, match=NO_SET_ESTIMATOR):
        _run(vm, [1])


def test_validation_monitor_evaluates_each_new_checkpoint_once(tmp_path, clock):
    est = ContribEstimator(tmp_path, results=[{"loss": 1.0}, {"loss": 2.0}])
    vm = monitors.ValidationMonitor(x="X", y="Y", batch_size=4, eval_steps=3, metrics={"m": 1},
                                    hooks=["hook"], name="val", every_n_steps=2,
                                    check_interval_secs=None)
    vm.set_estimator(est)
    vm.begin()

    def step(n):
        vm.step_begin(n)
        result = vm.step_end(n, {})
        vm.post_step(n, None)
        return result

    step(1)  # first_n_steps=-1: not active at the first step
    step(2)  # active, but no checkpoint yet
    assert est.eval_calls == []
    _fakes.write_checkpoint(est.model_dir, 3)
    step(3)
    step(4)  # active: new checkpoint
    assert est.eval_calls == [{"x": "X", "y": "Y", "input_fn": None, "batch_size": 4,
                               "steps": 3, "metrics": {"m": 1}, "hooks": ["hook"],
                               "name": "val"}]
    step(5)
    step(6)  # same checkpoint: skipped
    assert len(est.eval_calls) == 1
    _fakes.write_checkpoint(est.model_dir, 6)
    step(7)
    step(8)
    assert len(est.eval_calls) == 2


def test_validation_monitor_check_interval_secs(tmp_path, clock):
    est = ContribEstimator(tmp_path, results=[{"loss": 1.0}] * 3)
    vm = monitors.ValidationMonitor(input_fn=len, every_n_steps=1, check_interval_secs=5)
    vm.set_estimator(est)
    vm.begin()
    evaluations = []
    # (step, seconds since the previous step): a new checkpoint before every step.
    for n, advance in ((1, 0), (2, 5), (3, 0.1), (4, 1)):
        clock.now += advance
        _fakes.write_checkpoint(est.model_dir, n)
        vm.step_begin(n)
        vm.step_end(n, {})
        vm.post_step(n, None)
        evaluations.append(len(est.eval_calls))
    # Step 2 comes exactly 5 s after the check at step 1 (<= interval): skipped; step 3
    # is 5.1 s after it: evaluated; step 4 only 1 s after step 3's check: skipped.
    assert evaluations == [1, 1, 2, 2]
    vm = monitors.ValidationMonitor(input_fn=len, every_n_steps=1, check_interval_secs=None)
    est.results = [{"loss": 1.0}] * 2
    vm.set_estimator(est)
    vm.begin()
    for n in (5, 6):  # no time passes at all
        _fakes.write_checkpoint(est.model_dir, n)
        vm.step_begin(n)
        vm.step_end(n, {})
        vm.post_step(n, None)
    assert len(est.eval_calls) == 4


def test_validation_monitor_with_core_estimator(core_estimator, clock):
    core_estimator.results = [{"loss": 1.0}]
    vm = monitors.ValidationMonitor(input_fn=len, eval_steps=2, hooks=["h"], name="n",
                                    every_n_steps=1)
    vm.set_estimator(core_estimator)
    _fakes.write_checkpoint(core_estimator.model_dir, 1)
    _run(vm, [1])
    # Beyond r1.15, which let TF pick the latest checkpoint (the same one): the path
    # found is passed, so TF 2.15 never evaluates fresh variables when it is deleted.
    assert core_estimator.eval_calls == [{"input_fn": len, "steps": 2, "hooks": ["h"],
                                          "name": "n", "checkpoint_path": os.path.join(
                                              core_estimator.model_dir, "model.ckpt-1")}]
    for bad in ({"x": 1}, {"y": 1}, {"batch_size": 1}, {"metrics": {}}):
        vm = monitors.ValidationMonitor(input_fn=len, every_n_steps=1, **bad)
        vm.set_estimator(core_estimator)
        with pytest.raises(ValueError, match=CORE_UNSUPPORTED_ARGS):
            _run(vm, [1], end=False)


def _early_stopping_run(tmp_path, losses, **kwargs):
    est = ContribEstimator(tmp_path, results=[{"loss": v, "auc": -v} for v in losses])
    vm = monitors.ValidationMonitor(input_fn=len, every_n_steps=1, check_interval_secs=None,
                                    **kwargs)
    vm.set_estimator(est)
    vm.begin()
    stops = []
    for n, _ in enumerate(losses, start=1):
        _fakes.write_checkpoint(est.model_dir, n)
        vm.step_begin(n)
        stops.append(vm.step_end(n, {}))
        vm.post_step(n, None)
    return vm, stops


def test_early_stopping_minimize(tmp_path, clock):
    vm, stops = _early_stopping_run(tmp_path, [5.0, 4.0, 4.0, 4.5],
                                    early_stopping_rounds=2)
    # Best at step 2 (4.0 == 4.0 is no improvement); 4 - 2 >= 2 stops at step 4.
    assert stops == [False, False, False, True]
    assert vm.early_stopped and vm.best_step == 2 and vm.best_value == 4.0
    assert vm.best_metrics == {"loss": 4.0, "auc": -4.0}


def test_early_stopping_maximize_and_missing_metric(tmp_path, clock):
    vm, stops = _early_stopping_run(tmp_path, [5.0, 6.0], early_stopping_rounds=1,
                                    early_stopping_metric="auc",
                                    early_stopping_metric_minimize=False)
    assert stops == [False, True]  # auc -6 < -5: no improvement at step 2
    assert vm.best_step == 1 and vm.best_value == -5.0
    est = ContribEstimator(tmp_path, results=[{"loss": 1.0}])
    vm = monitors.ValidationMonitor(input_fn=len, every_n_steps=1, early_stopping_rounds=1,
                                    early_stopping_metric="auc")
    vm.set_estimator(est)
    with pytest.raises(ValueError, match=METRIC_MISSING):
        _run(vm, [1], end=False)


def test_without_early_stopping_rounds_it_never_stops(tmp_path, clock):
    vm, stops = _early_stopping_run(tmp_path, [1.0, 2.0, 3.0])
    assert stops == [False] * 3 and not vm.early_stopped and vm.best_step is None


# ------------------------------------------------------------------ hooks

class Probe(monitors.BaseMonitor):
    """Fetches `fetches` and records what it sees; stops at `stop_at`."""

    def __init__(self, fetches=(), stop_at=None, all_workers=False):
        super().__init__()
        self.fetches, self.stop_at, self.all_workers = list(fetches), stop_at, all_workers
        self.seen, self.ended, self.estimator = [], [], None

    @property
    def run_on_all_workers(self):
        return self.all_workers

    def set_estimator(self, estimator):
        super().set_estimator(estimator)
        self.estimator = estimator

    def step_begin(self, step):
        super().step_begin(step)
        return list(self.fetches)

    def step_end(self, step, output):
        super().step_end(step, output)
        self.seen.append((step, dict(output)))
        return step == self.stop_at

    def end(self, session=None):
        super().end(session)
        self.ended.append(session)


class NoSessionEnd(monitors.BaseMonitor):
    def end(self):  # r1.15 allowed an `end` without `session`
        super().end()
        self.ended = True


def test_replace_monitors_with_hooks():
    est = types.SimpleNamespace(config=types.SimpleNamespace(is_chief=True))
    hook_a, hook_b = tf.estimator.StopAtStepHook(last_step=1), tf.estimator.NanTensorHook(1.0)
    m1, m2 = Probe(), Probe()
    assert monitors.replace_monitors_with_hooks(None, est) == []
    assert monitors.replace_monitors_with_hooks([hook_a], est) == [hook_a]
    hooks = monitors.replace_monitors_with_hooks([m1, hook_a, m2, hook_b], est)
    assert hooks[:2] == [hook_a, hook_b] and len(hooks) == 3
    adapter = hooks[2]
    assert isinstance(adapter, monitors.RunHookAdapterForMonitors)
    assert isinstance(adapter, _tf.SessionRunHook)
    assert adapter._monitors == [m1, m2]
    assert m1.estimator is est and m2.estimator is est


def test_replace_monitors_with_hooks_on_a_non_chief_keeps_all_worker_monitors_only():
    est = types.SimpleNamespace(config=types.SimpleNamespace(is_chief=False))
    chief_only, everywhere = Probe(), Probe(all_workers=True)
    vm = monitors.ValidationMonitor(input_fn=len)
    (adapter,) = monitors.replace_monitors_with_hooks([chief_only, vm, everywhere], est)
    assert adapter._monitors == [everywhere]
    assert chief_only.estimator is None
    assert monitors.replace_monitors_with_hooks([vm], est) == []


def _monitored_run(hooks, steps=10, extra_variables=False):
    """Runs a tiny graph (a global step and two constants) under a MonitoredSession.

    With `extra_variables`, also a resource variable kept out of the collections
    ("hidden", 4.5) and a bare variable handle without any read ("bare").
    """
    with tf.Graph().as_default():
        global_step = tf.compat.v1.train.get_or_create_global_step()
        tf.constant(2.0, name="two")
        tf.constant(3.0, name="three")
        tf.split(tf.zeros([2]), 2, name="split")
        tf.compat.v1.get_variable("w", [], initializer=tf.compat.v1.constant_initializer(1.5))
        scaffold = None
        if extra_variables:
            hidden = tf.compat.v1.Variable(4.5, name="hidden", collections=[],
                                           use_resource=True)
            tf.raw_ops.VarHandleOp(dtype=tf.float32, shape=[], name="bare")
            scaffold = tf.compat.v1.train.Scaffold(init_op=tf.group(
                tf.compat.v1.global_variables_initializer(), hidden.initializer))
        train_op = global_step.assign_add(1)
        runs = 0
        with tf.compat.v1.train.SingularMonitoredSession(hooks=hooks,
                                                         scaffold=scaffold) as sess:
            while not sess.should_stop() and runs < steps:
                sess.run(train_op)
                runs += 1
        return runs


def test_adapter_runs_monitors_in_a_session():
    probe = Probe(fetches=["two", "three:0"], stop_at=3)
    plain = NoSessionEnd()
    est = types.SimpleNamespace(config=types.SimpleNamespace(is_chief=True))
    hooks = monitors.replace_monitors_with_hooks([probe, plain], est)
    runs = _monitored_run(hooks)
    assert runs == 3  # step_end returning True requested stop
    # Step = global step before the run + 1, one per run; fetched by name (a name
    # without ":" means ":0"), keyed as requested.
    assert [s for s, _ in probe.seen] == [1, 2, 3]
    assert all(out == {"two": 2.0, "three:0": 3.0} for _, out in probe.seen)
    assert len(probe.ended) == 1 and probe.ended[0] is not None  # got the session
    assert plain.ended is True


def test_variables_fetched_by_name_or_object_give_their_value_after_the_run():
    class VariableProbe(Probe):
        def begin(self, max_steps=None):
            super().begin(max_steps)
            (self.w,) = [v for v in tf.compat.v1.global_variables() if v.op.name == "w"]
            self.fetches = ["w:0", "global_step", "hidden:0", self.w]

        def step_end(self, step, output):
            # Keyed by the variable, which is hashable only while its graph is default.
            output = dict(output)
            output["w_variable"] = output.pop(self.w)
            return super().step_end(step, output)

    probe = VariableProbe(stop_at=3)
    est = types.SimpleNamespace(config=types.SimpleNamespace(is_chief=True))
    _monitored_run(monitors.replace_monitors_with_hooks([probe], est), extra_variables=True)
    # TF 2.15's "w:0" is a resource handle: the monitor gets the variable's value
    # (not the handle's bytes), and the value after the run, as with r1.15's ref
    # variables: the run that makes the global step N is step N.
    assert [(s, out["global_step"]) for s, out in probe.seen] == [(1, 1), (2, 2), (3, 3)]
    for _, out in probe.seen:
        assert (out["w:0"], out["hidden:0"], out["w_variable"]) == (1.5, 4.5, 1.5)
        assert isinstance(out["w:0"], np.float32)


def test_a_variable_handle_without_a_read_cannot_be_fetched():
    with pytest.raises(ValueError, match=HANDLE_WITHOUT_READ):
        _monitored_run([monitors.RunHookAdapterForMonitors([Probe(fetches=["bare"])])],
                       extra_variables=True)


def test_logging_trainable_logs_variables_from_a_finalized_graph(caplog):
    est = types.SimpleNamespace(config=types.SimpleNamespace(is_chief=True))
    monitor = monitors.LoggingTrainable(every_n=2, first_n=1)
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        _monitored_run(monitors.replace_monitors_with_hooks([monitor], est), steps=3)
    assert [(r.name, r.getMessage()) for r in caplog.records
            if "Logging Trainable" in r.getMessage()] == [
        ("tensorflow", "Logging Trainable: Step 1: w:0 = 1.5"),
        ("tensorflow", "Logging Trainable: Step 3: w:0 = 1.5")]


def test_graph_dump_in_a_session():
    est = types.SimpleNamespace(config=types.SimpleNamespace(is_chief=True))
    dump = monitors.GraphDump()
    _monitored_run(monitors.replace_monitors_with_hooks([dump], est), steps=2)
    assert sorted(dump.data) == [1, 2]
    values = {t.name: v for t, v in dump.data[1].items()}
    assert values["split:0"].tolist() == [0.0]
    assert "two:0" not in values  # Const is ignored


def test_adapter_rejects_bad_requests():
    class Tuple(Probe):
        def step_begin(self, step):
            monitors.BaseMonitor.step_begin(self, step)
            return ("two",)

    with pytest.raises(ValueError, match=STEP_BEGIN_NOT_LIST):
        _monitored_run([monitors.RunHookAdapterForMonitors([Tuple()])])
    with pytest.raises(ValueError, match=AMBIGUOUS_NAME):
        _monitored_run([monitors.RunHookAdapterForMonitors([Probe(fetches=["split"])])])
    with tf.Graph().as_default():
        foreign = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"should have graph attribute"):
        _monitored_run([monitors.RunHookAdapterForMonitors([Probe(fetches=[foreign])])])


# ------------------------------------------------------------------ integration

@pytest.mark.integration
def test_validation_monitor_early_stopping_stops_a_real_estimator(tmp_path):
    est = _tiny_model.make_estimator(tmp_path / "model", save_checkpoints_steps=2,
                                     save_checkpoints_secs=None)
    # global_step can only grow, so (minimizing it) the first evaluation stays the best.
    vm = monitors.ValidationMonitor(
        input_fn=_tiny_model.eval_input_fn, eval_steps=1, every_n_steps=2,
        early_stopping_rounds=4, early_stopping_metric="global_step",
        check_interval_secs=None)
    hooks = monitors.replace_monitors_with_hooks([vm], est)
    est.train(_tiny_model.train_input_fn, hooks=hooks, max_steps=100)
    # Checks at steps 2, 4, 6 (each sees a new checkpoint); 6 - 2 >= 4 stops after the
    # run that made the global step 6.
    assert vm.early_stopped
    assert vm.best_step == 2
    assert "loss" in vm.best_metrics
    assert est.get_variable_value("global_step") == 6
    assert (tmp_path / "model" / "eval").is_dir()  # name=None evaluates into eval/


@pytest.mark.integration
def test_graph_dump_records_every_step_of_a_real_estimator(tmp_path):
    est = _tiny_model.make_estimator(tmp_path / "model")
    dump = monitors.GraphDump()
    # TF 2.15's global step graph has a `cond`, whose tensors cannot be fetched.
    est.train(_tiny_model.train_input_fn, steps=3,
              hooks=monitors.replace_monitors_with_hooks([dump], est))
    assert sorted(dump.data) == [1, 2, 3]
    for step in (1, 2, 3):
        values = {t.name: v for t, v in dump.data[step].items()}
        assert values["MatMul:0"].shape == (16, 1)  # the model's batch of 16
    first_loss = {t.name: v for t, v in dump.data[1].items()}["mean_squared_error/value:0"]
    # Step 1 runs on w = b = 0 and the first 16 examples.
    np.testing.assert_allclose(first_loss, np.mean(_tiny_model._Y[:16] ** 2), rtol=1e-6)


@pytest.mark.integration
def test_capture_variable_and_print_tensor_give_variable_values_in_a_real_estimator(
        tmp_path, caplog):
    model_dir = tmp_path / "model"
    est = _tiny_model.make_estimator(model_dir, save_checkpoints_steps=1,
                                     save_checkpoints_secs=None)
    capture = monitors.CaptureVariable("w:0", every_n=1)
    printer = monitors.PrintTensor(["global_step"], every_n=1)
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        est.train(_tiny_model.train_input_fn, steps=3,
                  hooks=monitors.replace_monitors_with_hooks([capture, printer], est))
    assert sorted(capture.values) == [1, 2, 3]
    for step, value in capture.values.items():
        # The value after the step, as saved in that step's checkpoint.
        saved = tf.train.load_variable(str(model_dir / f"model.ckpt-{step}"), "w")
        assert value.dtype == np.float32
        np.testing.assert_array_equal(value, saved)
    assert len({v.item() for v in capture.values.values()}) == 3  # it trained
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("Step ")] == [
        "Step 1: global_step = 1", "Step 2: global_step = 2", "Step 3: global_step = 3"]
