"""Experiment on TensorFlow's own gRPC runtime: real clusters of separate processes.

Each cluster task is ``python -m compat_learn run --tf1 tests/distributed/cluster_task.py``
(one unmodified TF 1.x script; learn_runner picks each task's schedule from TF_CONFIG)
on 127.0.0.1 with fresh free ports (an in-process TF server can never be stopped, so
ports are never reused). Every process runs in its own session with a hard deadline
and is ended by its own pid (SIGTERM, then SIGKILL) by a finalizer, also when a test
fails; the ps never exits by itself, so the finalizer always ends it.

The unit tests at the end cover compat_learn._cluster without processes.
"""

import glob
import json
import os
import re
import socket
import subprocess
import time
from unittest import mock

import pytest

from compat_learn import _cluster, _tf, experiment, run_config
from compat_learn.estimators import estimator

import _fakes
import _procs

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "distributed",
                      "cluster_task.py")
TRAIN_STEPS = 400
DEADLINE = 90  # seconds for a whole cluster run (hard; 4 TF imports on 2 cores ~ 6 s)
LOST_SECS = 3

MSG_NOT_JSON = "The `TF_CONFIG` environment variable is not valid JSON"
MSG_BAD_TYPE = "wroker is not a valid task_type in the cluster_spec:"
MSG_BAD_INDEX = "3 is not a valid task_id for task_type worker in the cluster_spec:"
MSG_CHIEF_AND_MASTER = "`TF_CONFIG['cluster']` has both a `chief` and a `master` job"
MSG_TWO_CHIEFS = "`TF_CONFIG['cluster']['chief']` must list exactly one address"
MSG_LOST_PS = "Lost a cluster task: /job:ps/task:0 at {address} unreachable for"

PS_DEVICE = "/job:ps/task:0"


def _free_ports(count):
    """Ports the kernel picked as free (all bound at once, so they are distinct)."""
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Task:
    def __init__(self, role, proc, out, err):
        self.role, self.proc, self.out, self.err = role, proc, out, err

    def wait(self, deadline):
        try:
            return self.proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            pytest.fail(f"{self.role} did not exit in time:\n{self.stderr()[-3000:]}")

    def stderr(self):
        self.err.flush()
        with open(self.err.name) as f:
            return f.read()

    @property
    def result(self):
        self.out.flush()
        with open(self.out.name) as f:
            lines = [line for line in f if line.startswith("RESULT ")]
        assert lines, f"{self.role} printed no RESULT line:\n{self.stderr()[-3000:]}"
        return json.loads(lines[-1][len("RESULT "):])


@pytest.fixture
def cluster(tmp_path):
    """start(role, tf_config, ...) -> Task; every task is ended by pid afterwards."""
    tasks = []

    def start(role, tf_config, train_steps=TRAIN_STEPS, env=None):
        tf_config = tf_config if isinstance(tf_config, str) else json.dumps(tf_config)
        extra = {"TF_CONFIG": tf_config, "COMPAT_LEARN_TASK_LOST_SECS": str(LOST_SECS)}
        extra.update(env or {})
        # Files, not pipes: a full pipe must never block a task.
        out = open(tmp_path / f"{role}.out", "w+")
        err = open(tmp_path / f"{role}.err", "w+")
        proc = _procs.start_python(
            ["-m", "compat_learn", "run", "--tf1", SCRIPT, "--output_dir",
             str(tmp_path / "model"), "--train_steps", str(train_steps)],
            cwd=str(tmp_path), env=_procs.python_env(extra), stdout=out, stderr=err)
        tasks.append(Task(role, proc, out, err))
        return tasks[-1]

    yield start
    for task in tasks:
        _procs.stop(task.proc)
        task.out.close()
        task.err.close()


def _layout(chief_job, ports):
    return {chief_job: [f"127.0.0.1:{ports[0]}"], "worker": [f"127.0.0.1:{ports[1]}"],
            "ps": [f"127.0.0.1:{ports[2]}"]}


def _assert_shared_training(chief, worker, model_dir):
    for task in (chief, worker):
        # replica_device_setter put every variable on the ps, in both trainers' graphs.
        assert task["devices"] and set(task["devices"].values()) == {PS_DEVICE}, task
        assert task["local_steps"] > 0, task
    # One global step on the ps: neither trainer ran all the steps on its own, and
    # together they reached train_steps (async updates may overshoot a little).
    assert chief["local_steps"] < TRAIN_STEPS and worker["local_steps"] < TRAIN_STEPS
    assert chief["local_steps"] + worker["local_steps"] >= TRAIN_STEPS
    assert chief["is_chief"] and not worker["is_chief"]
    final = max(int(re.search(r"model\.ckpt-(\d+)\.index$", p).group(1))
                for p in glob.glob(os.path.join(model_dir, "model.ckpt-*.index")))
    assert final >= TRAIN_STEPS


def _assert_exported(chief):
    assert chief["exports"], chief
    for path in chief["exports"]:
        assert os.path.isfile(os.path.join(path, "saved_model.pb")), path


@pytest.mark.integration
@pytest.mark.slow
def test_tf2_layout_chief_worker_ps_and_evaluator(cluster, tmp_path):
    ports = _free_ports(3)
    layout = _layout("chief", ports)
    deadline = time.monotonic() + DEADLINE
    # No "environment": TF2 TF_CONFIGs have none; a `chief` job runs as 'cloud' did.
    tasks = {role: cluster(role, {"cluster": layout, "task": {"type": role, "index": 0}})
             for role in ("ps", "chief", "worker", "evaluator")}
    for role in ("chief", "worker", "evaluator"):
        assert tasks[role].wait(deadline) == 0, tasks[role].stderr()[-3000:]
    assert tasks["ps"].proc.poll() is None  # a ps serves until it is ended

    chief, worker = tasks["chief"].result, tasks["worker"].result
    _assert_shared_training(chief, worker, str(tmp_path / "model"))
    _assert_exported(chief)
    assert not worker["exports"]
    evaluator = tasks["evaluator"].result
    # It evaluated checkpoints as they came and stopped by itself at train_steps.
    assert evaluator["evaluated_steps"] and evaluator["evaluated_steps"][-1] >= TRAIN_STEPS
    assert evaluator["local_steps"] == 0


@pytest.mark.integration
@pytest.mark.slow
def test_legacy_layout_master_worker_ps_in_cloud_environment(cluster, tmp_path):
    ports = _free_ports(3)
    layout = _layout("master", ports)
    deadline = time.monotonic() + DEADLINE
    tasks = {role: cluster(role, {"cluster": layout, "environment": "cloud",
                                  "task": {"type": role, "index": 0}})
             for role in ("ps", "master", "worker")}
    for role in ("master", "worker"):
        assert tasks[role].wait(deadline) == 0, tasks[role].stderr()[-3000:]
    assert tasks["ps"].proc.poll() is None

    master, worker = tasks["master"].result, tasks["worker"].result
    _assert_shared_training(master, worker, str(tmp_path / "model"))
    # r1.15: the master evaluates in-process after training (train_and_evaluate).
    assert master["evaluated_steps"][-1] >= TRAIN_STEPS
    _assert_exported(master)


@pytest.mark.integration
@pytest.mark.slow
def test_lost_ps_ends_the_chief_and_the_evaluator_with_a_message_naming_it(cluster, tmp_path):
    ports = _free_ports(2)
    ps_address = f"127.0.0.1:{ports[1]}"
    layout = {"chief": [f"127.0.0.1:{ports[0]}"], "ps": [ps_address]}
    ps = cluster("ps", {"cluster": layout, "task": {"type": "ps", "index": 0}})
    chief = cluster("chief", {"cluster": layout, "task": {"type": "chief", "index": 0}},
                    train_steps=10 ** 9)
    evaluator = cluster("evaluator", {"cluster": layout,
                                      "task": {"type": "evaluator", "index": 0}},
                        train_steps=10 ** 9)
    deadline = time.monotonic() + DEADLINE
    model_dir = str(tmp_path / "model")
    # Training is under way once a checkpoint after step 0 exists, and the evaluator
    # is at work (it has reached the ps) once it wrote an evaluation summary.
    while not [p for p in glob.glob(os.path.join(model_dir, "model.ckpt-*.index"))
               if not p.endswith("model.ckpt-0.index")]:
        assert chief.proc.poll() is None, chief.stderr()[-3000:]
        assert time.monotonic() < deadline, "the chief never trained"
        time.sleep(0.1)
    while not glob.glob(os.path.join(model_dir, "eval_continuous", "events.*")):
        assert evaluator.proc.poll() is None, evaluator.stderr()[-3000:]
        assert time.monotonic() < deadline, "the evaluator never evaluated"
        time.sleep(0.1)
    _procs.stop(ps.proc)
    # TF 2.15 alone would block forever; the bound is LOST_SECS plus probe and
    # shutdown slack, far below this deadline.
    lost_at = time.monotonic()
    status = chief.wait(lost_at + LOST_SECS + 25)
    assert status != 0
    assert MSG_LOST_PS.format(address=ps_address) in chief.stderr()
    # The evaluator needs no ps to evaluate, but no checkpoint can come any more: it
    # ends too, naming the ps, instead of waiting forever.
    assert evaluator.wait(lost_at + LOST_SECS + 25) != 0
    assert MSG_LOST_PS.format(address=ps_address) in evaluator.stderr()
    assert "no new checkpoint will come" in evaluator.stderr()


@pytest.mark.integration
@pytest.mark.slow
def test_bad_tf_config_fails_before_any_server_starts(cluster):
    ports = _free_ports(3)
    layout = _layout("chief", ports)
    both = dict(layout, master=[f"127.0.0.1:{ports[0]}"])
    cases = {
        "not_json": ("{'cluster': ", MSG_NOT_JSON),
        "bad_type": ({"cluster": layout, "task": {"type": "wroker", "index": 0}},
                     MSG_BAD_TYPE),
        "bad_index": ({"cluster": layout, "task": {"type": "worker", "index": 3}},
                      MSG_BAD_INDEX),
        "chief_and_master": ({"cluster": both, "task": {"type": "ps", "index": 0}},
                             MSG_CHIEF_AND_MASTER),
    }
    # The cluster's ports are held by listening sockets here: a task that tried to
    # start its server first would fail with gRPC's error instead of the expected one.
    holders = []
    for port in ports:
        holder = socket.socket()
        holder.bind(("127.0.0.1", port))
        holder.listen()
        holders.append(holder)
    try:
        tasks = {name: cluster(name, tf_config) for name, (tf_config, _) in cases.items()}
        deadline = time.monotonic() + DEADLINE
        for name, (_, message) in cases.items():
            assert tasks[name].wait(deadline) != 0
            assert message in tasks[name].stderr(), tasks[name].stderr()[-3000:]
    finally:
        for holder in holders:
            holder.close()


# ------------------------------------------------------------------ unit tests


def _set_tf_config(monkeypatch, value):
    monkeypatch.setenv("TF_CONFIG", json.dumps(value))


def test_two_chief_addresses_are_rejected():
    spec = _tf.ClusterSpec({"chief": ["a:1", "b:1"], "ps": ["c:1"]})
    with pytest.raises(ValueError, match=re.escape(MSG_TWO_CHIEFS)):
        _cluster.check_cluster_layout(spec)
    _cluster.check_cluster_layout(_tf.ClusterSpec({"master": ["a:1"], "ps": ["c:1"]}))


def test_chief_cluster_starts_the_server_without_an_environment(tmp_path, monkeypatch):
    _set_tf_config(monkeypatch, {"cluster": {"chief": ["127.0.0.1:1"], "ps": ["127.0.0.1:2"]},
                                 "task": {"type": "chief", "index": 0}})
    _fakes.install_clock(monkeypatch)
    config = run_config.RunConfig()
    assert config.is_chief and config.environment == "local"
    est = _fakes.FakeContribEstimator(tmp_path, config=config)
    with mock.patch.object(_tf.server_lib, "Server") as server:
        experiment.Experiment(est, "train_input", "eval_input").train(delay_secs=0)
    server.assert_called_once_with(config.cluster_spec, job_name="chief", task_index=0,
                                   config=config.tf_config, start=False)


def test_legacy_cluster_in_local_environment_starts_no_server_and_says_why_it_cannot_train(
        tmp_path, monkeypatch, caplog):
    # r1.15: no server in the 'local' environment without a chief job, a warning, and
    # then a session that waits on its own address forever. Nothing can ever serve
    # that address, so compat_learn fails at once and says what to change.
    master = f"127.0.0.1:{_free_ports(1)[0]}"
    _set_tf_config(monkeypatch, {"cluster": {"master": [master], "ps": ["127.0.0.1:2"]},
                                 "task": {"type": "master", "index": 0}})
    _fakes.install_clock(monkeypatch)
    est = _fakes.FakeContribEstimator(tmp_path, config=run_config.RunConfig())
    with mock.patch.object(_tf.server_lib, "Server") as server, \
            pytest.raises(_cluster.ClusterTaskLostError) as err:
        experiment.Experiment(est, "train_input", "eval_input").train(delay_secs=0)
    server.assert_not_called()
    assert est.fit_count == 0
    assert "environment is set to 'local'" in caplog.text
    assert f"(/job:master/task:0) trains through its own address {master}" in str(err.value)
    assert "Add \"environment\": \"cloud\" to TF_CONFIG" in str(err.value)
    assert "Restart" not in str(err.value)


def test_a_server_this_process_started_itself_is_not_mistaken_for_a_missing_one(
        tmp_path, monkeypatch):
    # Scripts that start their own tf.train.Server at this task's address keep working.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    master = f"127.0.0.1:{listener.getsockname()[1]}"
    _set_tf_config(monkeypatch, {"cluster": {"master": [master], "ps": ["127.0.0.1:2"]},
                                 "task": {"type": "master", "index": 0}})
    _fakes.install_clock(monkeypatch)
    est = _fakes.FakeContribEstimator(tmp_path, config=run_config.RunConfig())
    experiment.Experiment(est, "train_input", "eval_input").train(delay_secs=0)
    assert est.fit_count == 1
    listener.close()


@pytest.mark.parametrize("config_kind", ["contrib", "core"])
def test_evaluator_stops_waiting_once_the_ps_is_lost(monkeypatch, tmp_path, config_kind):
    # Checkpoints written before the loss are still evaluated; after that the evaluator
    # fails within COMPAT_LEARN_TASK_LOST_SECS instead of waiting forever.
    clock = _fakes.install_clock(monkeypatch)
    monkeypatch.setattr(time, "monotonic", clock.time)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    ps_address = f"127.0.0.1:{listener.getsockname()[1]}"
    _set_tf_config(monkeypatch, {"cluster": {"chief": ["127.0.0.1:1"], "ps": [ps_address]},
                                 "task": {"type": "evaluator", "index": 0}})
    monkeypatch.setenv(_cluster.TASK_LOST_SECS_ENV, "25")
    config = (run_config.RunConfig() if config_kind == "contrib"
              else _tf.CoreRunConfig(model_dir=str(tmp_path)))
    est = _fakes.FakeContribEstimator(tmp_path, config=config, eval_dict={"global_step": 1})
    polls = []

    def predicate(eval_result):
        polls.append(clock.now)
        if len(polls) == 2:
            listener.close()  # the ps dies
        if len(polls) == 3:
            _fakes.write_checkpoint(str(tmp_path), 1)  # saved just before it died
        return len(polls) < 50

    ex = experiment.Experiment(est, "train_input", "eval_input", eval_delay_secs=0,
                               continuous_eval_throttle_secs=10)
    with pytest.raises(_cluster.ClusterTaskLostError) as err:
        ex.continuous_eval(continuous_eval_predicate_fn=predicate)
    assert est.eval_count == 1
    assert MSG_LOST_PS.format(address=ps_address) in str(err.value)
    assert "it was up earlier" in str(err.value)
    assert "no new checkpoint will come" in str(err.value)
    # Since a probe last reached the ps (first poll): the bound plus at most one poll.
    assert 25 <= clock.now - polls[0] <= 25 + 10
    listener.close()


def test_evaluator_that_never_reached_the_ps_keeps_r115s_wait(monkeypatch, tmp_path):
    # The evaluator does not need the ps; one it cannot reach (e.g. a network policy)
    # is not known to be lost, so evaluation goes on as in r1.15.
    clock = _fakes.install_clock(monkeypatch)
    monkeypatch.setattr(time, "monotonic", clock.time)
    ps_address = f"127.0.0.1:{_free_ports(1)[0]}"
    _set_tf_config(monkeypatch, {"cluster": {"chief": ["127.0.0.1:1"], "ps": [ps_address]},
                                 "task": {"type": "evaluator", "index": 0}})
    monkeypatch.setenv(_cluster.TASK_LOST_SECS_ENV, "25")
    est = _fakes.FakeContribEstimator(tmp_path, config=run_config.RunConfig(),
                                      eval_dict={"global_step": 1})
    polls = []

    def predicate(eval_result):
        polls.append(clock.now)
        if len(polls) in (2, 9):
            _fakes.write_checkpoint(str(tmp_path), len(polls))
        return len(polls) < 12

    ex = experiment.Experiment(est, "train_input", "eval_input", eval_delay_secs=0,
                               continuous_eval_throttle_secs=10)
    assert ex.continuous_eval(continuous_eval_predicate_fn=predicate) is None
    assert est.eval_count == 2 and clock.now - polls[0] > 25 * 4


def test_evaluator_without_ps_or_with_disabled_bound_is_not_watched(monkeypatch):
    _set_tf_config(monkeypatch, {"cluster": {"chief": ["127.0.0.1:1"]},
                                 "task": {"type": "evaluator", "index": 0}})
    assert _cluster.EvaluatorWatch.for_config(run_config.RunConfig()) is None
    _set_tf_config(monkeypatch, {"cluster": {"chief": ["127.0.0.1:1"], "ps": ["127.0.0.1:2"]},
                                 "task": {"type": "evaluator", "index": 0}})
    assert _cluster.EvaluatorWatch.for_config(run_config.RunConfig()) is not None
    monkeypatch.setenv(_cluster.TASK_LOST_SECS_ENV, "0")
    assert _cluster.EvaluatorWatch.for_config(run_config.RunConfig()) is None


def test_malformed_bound_variable_is_reported(monkeypatch):
    monkeypatch.setenv(_cluster.TASK_LOST_SECS_ENV, "soon")
    with pytest.raises(ValueError, match="`COMPAT_LEARN_TASK_LOST_SECS` must be a number"):
        _cluster._env_secs(_cluster.TASK_LOST_SECS_ENV)


def test_watchdog_tells_a_lost_task_from_a_late_one():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    up = f"127.0.0.1:{listener.getsockname()[1]}"
    late = f"127.0.0.1:{_free_ports(1)[0]}"
    probes = _cluster._Probes([("/job:ps/task:0", up), ("/job:ps/task:1", late)],
                              lost_secs=5, wait_secs=100)
    assert probes.start(0.0) is None
    assert probes.probe_all(1.0) is None  # ps 1 not up yet: within its startup bound
    listener.close()
    assert probes.probe_all(4.0) is None  # ps 0 down for 3 s of 5
    assert probes.probe_all(6.5) == ("/job:ps/task:0", up, 5.5, True)
    assert probes.probe_all(100.0)[:2] == ("/job:ps/task:0", up)
    probes.mark_all_seen(100.0)
    assert probes.probe_all(100.5) is None
    assert probes.probe_all(105.0) == ("/job:ps/task:0", up, 5.0, True)
    never_up = _cluster._Probes([("/job:ps/task:1", late)], lost_secs=5, wait_secs=100)
    never_up.start(0.0)
    assert never_up.probe_all(99.0) is None  # late, not lost: the long bound applies
    assert never_up.probe_all(100.5) == ("/job:ps/task:1", late, 100.5, False)


def test_contrib_estimator_sessions_get_the_device_filters(monkeypatch, tmp_path):
    # The contrib Estimator builds a core estimator per call; its sessions must use
    # the filtered config, or a worker waits for every other worker as plain TF does.
    _set_tf_config(monkeypatch, {"cluster": {"chief": ["127.0.0.1:1"], "worker": ["127.0.0.1:2"],
                                             "ps": ["127.0.0.1:3"]},
                                 "environment": "cloud", "task": {"type": "worker", "index": 0}})
    monkeypatch.setenv(_cluster.TASK_LOST_SECS_ENV, "0")
    monkeypatch.setenv(_cluster.TASK_WAIT_SECS_ENV, "0")
    config = run_config.RunConfig(model_dir=str(tmp_path))
    est = estimator.Estimator(model_fn=lambda features, labels: None, config=config)
    with _cluster.distributed_training(est, config, server_started=True):
        core = est._core_estimator()
        assert list(core._session_config.device_filters) == ["/job:ps", "/job:worker/task:0"]
        assert core._session_config.allow_soft_placement  # the rest of the config is kept
    assert not est._core_estimator()._session_config.device_filters


def test_worker_session_gets_device_filters_and_a_short_recovery_wait(monkeypatch):
    _set_tf_config(monkeypatch, {"cluster": {"chief": ["127.0.0.1:1"], "worker": ["127.0.0.1:2"],
                                             "ps": ["127.0.0.1:3"]},
                                 "environment": "cloud", "task": {"type": "worker", "index": 0}})
    monkeypatch.setenv(_cluster.TASK_LOST_SECS_ENV, "0")
    monkeypatch.setenv(_cluster.TASK_WAIT_SECS_ENV, "0")
    config = run_config.RunConfig()
    est = mock.Mock(_session_config=_tf.ConfigProto(allow_soft_placement=True))
    manager_cls = _tf.tf.compat.v1.train.SessionManager
    with _cluster.distributed_training(est, config, server_started=True) as hooks:
        assert hooks == []  # no watchdog when both bounds are disabled
        assert list(est._session_config.device_filters) == ["/job:ps", "/job:worker/task:0"]
        assert manager_cls()._recovery_wait_secs == 1.0
        assert manager_cls(recovery_wait_secs=7)._recovery_wait_secs == 7
    assert manager_cls()._recovery_wait_secs == 30  # TF's default again afterwards
    assert not est._session_config.device_filters
