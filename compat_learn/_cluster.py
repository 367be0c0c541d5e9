"""Distributed training on TensorFlow 2.15's own gRPC runtime, for `Experiment`.

r1.15's `Experiment` ran the same script on every task of a ``TF_CONFIG`` cluster;
TF 2.15 still has that runtime (``tf.distribute.Server``, ``replica_device_setter``,
``MonitoredTrainingSession``) but three of its defaults turn small mishaps into
silent hangs. While `Experiment.train` trains on a cluster, `distributed_training`
changes exactly these, and nothing else (see docs/distributed.md):

* **The 30 s worker wait.** A non-chief worker polls for the chief's initialised
  model every ``recovery_wait_secs``, a hard 30 s in TF 2.15 (and r1.15)
  ``SessionManager``. compat_learn polls every ``COMPAT_LEARN_RECOVERY_WAIT_SECS``
  seconds (default 1) instead.
* **Device filters.** A contrib `RunConfig` has no ``session_config`` (r1.15), so
  every task's session waited for *every* task of the cluster: a worker that starts
  after the chief finished waited forever. As ``tf.estimator.train_and_evaluate``
  does, a session without device filters gets TF 2.15 core RunConfig's own: the
  ``ps`` job plus this task (``/job:chief``, ``/job:master`` or
  ``/job:worker/task:<i>``).
* **A lost task.** When a ``ps`` task dies, TF 2.15 blocks forever inside a C++ call
  (no error, no log at WARNING). A watchdog thread TCP-probes every ``ps`` task and
  this task's master; one that was reachable and then is not for
  ``COMPAT_LEARN_TASK_LOST_SECS`` (default 60), or never was for
  ``COMPAT_LEARN_TASK_WAIT_SECS`` (default 600), ends training with
  `ClusterTaskLostError` naming the task (``/job:ps/task:0 at host:port``); if the
  training thread is stuck in TensorFlow and cannot take the exception, the process
  exits with status 1 after writing the same message to stderr. 0 disables a bound.

`check_cluster_layout` rejects TF2 layouts that would give a cluster no chief or two.
"""

import contextlib
import ctypes
import functools
import logging
import os
import socket
import sys
import threading
import time

from compat_learn import _tf

__all__ = [
    "RECOVERY_WAIT_SECS_ENV",
    "TASK_LOST_SECS_ENV",
    "TASK_WAIT_SECS_ENV",
    "ClusterTaskLostError",
    "EvaluatorWatch",
    "check_cluster_layout",
    "distributed_training",
    "is_tf2_layout",
]

_log = logging.getLogger(__name__)

RECOVERY_WAIT_SECS_ENV = "COMPAT_LEARN_RECOVERY_WAIT_SECS"
TASK_LOST_SECS_ENV = "COMPAT_LEARN_TASK_LOST_SECS"
TASK_WAIT_SECS_ENV = "COMPAT_LEARN_TASK_WAIT_SECS"
_DEFAULTS = {RECOVERY_WAIT_SECS_ENV: 1.0, TASK_LOST_SECS_ENV: 60.0, TASK_WAIT_SECS_ENV: 600.0}

# Seconds between probes, and for one TCP connect.
_PROBE_INTERVAL_SECS = 1.0
# How long the training thread gets to unwind after the exception before the process
# is ended (it cannot take a Python exception while blocked inside TensorFlow).
_GRACE_SECS = 3.0
_EXIT_STATUS = 1

_CHIEF = "chief"
_MASTER = "master"
_PS = "ps"


class ClusterTaskLostError(RuntimeError):
    """A task this training task depends on (a ``ps``, or its master) is unreachable."""

    message = "a cluster task is unreachable"

    def __init__(self, *args):
        # Raised asynchronously by class (no arguments): the message rides on the class.
        super().__init__(*(args or (self.message,)))


def _env_secs(name):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return _DEFAULTS[name]
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(
            f"`{name}` must be a number of seconds (0 disables), got {raw!r}. Fix or unset "
            f"the environment variable (default {_DEFAULTS[name]:g}).") from None
    return max(value, 0.0)


def _jobs(cluster_spec):
    if not cluster_spec:
        return {}
    as_dict = cluster_spec.as_dict() if hasattr(cluster_spec, "as_dict") else cluster_spec
    if not isinstance(as_dict, dict):
        return {}
    # ClusterSpec.as_dict() gives a dict {index: address} for sparse jobs.
    return {job: list(tasks.values()) if isinstance(tasks, dict) else list(tasks)
            for job, tasks in as_dict.items()}


def is_tf2_layout(config):
    """True for a ``chief`` cluster in the default ``local`` environment (extension).

    r1.15 never saw a ``chief`` job. TF2 TF_CONFIGs carry no ``environment`` (so it is
    ``'local'``), in which r1.15 would start no server and every training task would
    wait forever on its own ``grpc://`` master; such a cluster is run like r1.15's
    ``'cloud'`` environment instead. Every r1.15 layout is unaffected.
    """
    return (getattr(config, "environment", None) == "local"
            and _CHIEF in _jobs(getattr(config, "cluster_spec", None)))


def check_cluster_layout(cluster_spec):
    """Raises ValueError for a cluster without exactly one chief candidate.

    r1.15 checked nothing here; these layouts only exist with TF2's ``chief`` job,
    where they would give the cluster two chiefs (or a chief that is not task 0).
    """
    jobs = _jobs(cluster_spec)
    if _CHIEF not in jobs:
        return
    if _MASTER in jobs:
        raise ValueError(
            "`TF_CONFIG['cluster']` has both a `chief` and a `master` job; expected one of "
            f"them (TF2 layout: chief, worker, ps; legacy layout: master, worker, ps), got "
            f"jobs {sorted(jobs)}. Rename or remove one.")
    if len(jobs[_CHIEF]) != 1:
        raise ValueError(
            "`TF_CONFIG['cluster']['chief']` must list exactly one address (the one chief "
            f"task), got {jobs[_CHIEF]!r}. Move the other addresses to the `worker` job.")


def _split_address(address):
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def _probe(host, port):
    try:
        with socket.create_connection((host, port), timeout=_PROBE_INTERVAL_SECS):
            return True
    except OSError:
        return False


def _targets(config):
    """(name, address) of every task training needs: each ps, then this task's master."""
    jobs = _jobs(config.cluster_spec)
    targets = [(f"/job:{_PS}/task:{i}", address) for i, address in enumerate(jobs.get(_PS, []))]
    master = config.master[len("grpc://"):]
    if all(address != master for _, address in targets):
        name = next((f"/job:{job}/task:{i}" for job, addresses in sorted(jobs.items())
                     for i, address in enumerate(addresses) if address == master),
                    "the master")
        targets.append((name, master))
    return targets


class _Probes:
    """When each task was last reachable; which one is past its bound."""

    def __init__(self, targets, lost_secs, wait_secs):
        self._targets = targets
        self._lost_secs = lost_secs
        self._wait_secs = wait_secs
        self._started = None
        self._last_seen = {}

    def start(self, now):
        self._started = now
        self._last_seen = {}
        return self.probe_all(now)

    def mark_all_seen(self, now):
        for name, _ in self._targets:
            self._last_seen[name] = now

    def probe_all(self, now):
        """Probes every target; returns (name, address, down_secs, was_seen) of the
        first one past its bound, else None."""
        for name, address in self._targets:
            try:
                reachable = _probe(*_split_address(address))
            except ValueError:
                reachable = True  # not host:port; nothing we can probe
            if reachable:
                self._last_seen[name] = now
                continue
            seen = name in self._last_seen
            down = now - (self._last_seen[name] if seen else self._started)
            limit = self._lost_secs if seen else self._wait_secs
            if limit and down >= limit:
                return name, address, down, seen
        return None

    def unreachable_at(self, address):
        """The name of the target at `address` if no probe has reached it, else None."""
        for name, target in self._targets:
            if target == address and name not in self._last_seen:
                return name
        return None

    def describe(self, lost):
        name, address, down, seen = lost
        if seen:
            return (f"{name} at {address} unreachable for {down:.0f} s (it was up "
                    f"earlier; limit {TASK_LOST_SECS_ENV}={self._lost_secs:g})")
        return (f"{name} at {address} unreachable for {down:.0f} s since this task "
                f"started waiting for it (limit {TASK_WAIT_SECS_ENV}={self._wait_secs:g})")


def _lost_message(what, consequence):
    return f"Lost a cluster task: {what}. {consequence} Restart the task (or the cluster) and this one."


class _Watchdog:
    """Probes the tasks training needs; ends training when one stays unreachable."""

    def __init__(self, targets, lost_secs, wait_secs, own_address, server_started):
        self._probes = _Probes(targets, lost_secs, wait_secs)
        self._own_address = own_address
        self._server_started = server_started
        self._stopped = threading.Event()
        self._main_ident = threading.get_ident()
        self._thread = threading.Thread(target=self._run, name="compat_learn-cluster-watchdog",
                                        daemon=True)

    def start(self):
        # The first probe runs here, in the training thread: the watchdog thread may
        # not get the GIL for seconds while TensorFlow builds the graph, and a task
        # seen up once must count as "lost", not "late", if it dies meanwhile.
        self._probes.start(time.monotonic())
        own = self._probes.unreachable_at(self._own_address)
        if own is not None and not self._server_started:
            # Nobody else serves this task's own address: waiting cannot help.
            message = (
                f"This task ({own}) trains through its own address {self._own_address}, "
                "but nothing serves it: Experiment starts a server only when TF_CONFIG has "
                "\"environment\": \"cloud\" or a `chief` job (r1.15's rule), and TensorFlow "
                "would wait for it forever. Add \"environment\": \"cloud\" to TF_CONFIG, "
                "use the TF2 layout (a `chief` job), or start a tf.distribute.Server for "
                "this task before training.")
            _log.error("%s", message)
            raise ClusterTaskLostError(message)
        self._thread.start()

    def stop(self):
        self._stopped.set()

    def mark_all_seen(self):
        """A session was just created: every task training needs was up."""
        self._probes.mark_all_seen(time.monotonic())

    def _run(self):
        # Monotonic: the watchdog measures real time even where tests patch time.time.
        while not self._stopped.wait(_PROBE_INTERVAL_SECS):
            lost = self._probes.probe_all(time.monotonic())
            if lost is not None and not self._stopped.is_set():
                return self._fail(self._probes.describe(lost))

    def _fail(self, what):
        message = _lost_message(what, "Training cannot continue without it; TensorFlow 2.15 "
                                      "would wait forever.")
        _log.error("%s", message)
        error = type("ClusterTaskLostError", (ClusterTaskLostError,), {"message": message})
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._main_ident),
                                                   ctypes.py_object(error))
        if self._stopped.wait(_GRACE_SECS):
            return  # the training thread took the exception and left training
        sys.stderr.write(f"compat_learn.ClusterTaskLostError: {message} Exiting with status "
                         f"{_EXIT_STATUS}.\n")
        sys.stderr.flush()
        os._exit(_EXIT_STATUS)


class EvaluatorWatch:
    """The ``ps`` tasks of an evaluating task's cluster, probed at every iteration.

    Continuous evaluation needs no ``ps`` (it restores checkpoints), but a ``ps``
    that died means no new checkpoint will ever come: without this, the evaluator
    waits forever. Only a ``ps`` that a probe from here has reached, and that then
    stays unreachable for ``COMPAT_LEARN_TASK_LOST_SECS``, counts as lost, and only
    when there is nothing new to evaluate: an evaluator that cannot reach the ``ps``
    at all (it does not need to) keeps r1.15's behaviour, and checkpoints written
    before a loss are still evaluated. Use `for_config`.
    """

    def __init__(self, targets, lost_secs):
        # No startup bound: a ps never reached from here is not known to be lost.
        self._probes = _Probes(targets, lost_secs, wait_secs=0)
        self._lost = None
        self._probes.start(time.monotonic())

    @classmethod
    def for_config(cls, config):
        """An EvaluatorWatch for `config`'s ``ps`` tasks, or None (no ps, no cluster,
        or ``COMPAT_LEARN_TASK_LOST_SECS=0``).

        Raises:
          ValueError: for a malformed ``COMPAT_LEARN_TASK_LOST_SECS``.
        """
        jobs = _jobs(getattr(config, "cluster_spec", None))
        if not jobs and getattr(config, "task_type", None) == "evaluator":
            # A core tf.estimator.RunConfig takes the evaluator out of its cluster.
            from compat_learn import run_config

            jobs = _jobs(run_config._load_tf_config().get("cluster", {}))
        targets = [(f"/job:{_PS}/task:{i}", a) for i, a in enumerate(jobs.get(_PS, []))]
        lost_secs = _env_secs(TASK_LOST_SECS_ENV)
        if not targets or not lost_secs:
            return None
        return cls(targets, lost_secs)

    def probe(self):
        """Probes every ``ps`` once (call at every iteration of the evaluation loop)."""
        self._lost = self._probes.probe_all(time.monotonic())

    def check(self):
        """Raises ClusterTaskLostError when the last `probe` found a ``ps`` lost."""
        if self._lost is not None:
            message = _lost_message(self._probes.describe(self._lost),
                                    "Training cannot have continued without it, so no new "
                                    "checkpoint will come to evaluate.")
            _log.error("%s", message)
            raise ClusterTaskLostError(message)


class _SessionCreatedHook(_tf.SessionRunHook):
    """Tells the watchdog that a (re)created session reached every task it needs.

    Without it, a ps that came up after the first probe and died before the next
    one would count as "never seen" and get the long startup bound.
    """

    def __init__(self, watchdog):
        self._watchdog = watchdog

    def after_create_session(self, session, coord):
        del session, coord
        self._watchdog.mark_all_seen()


@contextlib.contextmanager
def _recovery_wait(secs):
    """Makes SessionManagers created meanwhile poll every `secs` (TF 2.15: 30)."""
    cls = _tf.tf.compat.v1.train.SessionManager
    original = cls.__dict__["__init__"]

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        # recovery_wait_secs is the 5th parameter (session_manager.py, TF 2.15.1);
        # monitored_session creates SessionManagers with keywords and never passes it.
        if len(args) < 5:
            kwargs.setdefault("recovery_wait_secs", secs)
        original(self, *args, **kwargs)

    cls.__init__ = __init__
    try:
        yield
    finally:
        cls.__init__ = original


def _device_filters(config):
    """TF 2.15 core RunConfig's filters for this task (run_config.py), or None."""
    if config.task_type in (_MASTER, _CHIEF):
        return ["/job:ps", f"/job:{config.task_type}"]
    if config.task_type == "worker":
        return ["/job:ps", f"/job:worker/task:{config.task_id}"]
    return None


@contextlib.contextmanager
def _session_device_filters(estimator, config):
    session_config = getattr(estimator, "_session_config", None)
    filters = _device_filters(config)
    if (not filters or not isinstance(session_config, _tf.ConfigProto)
            or session_config.device_filters):
        yield
        return
    # The core Estimator reads `_session_config` (set at its construction) for every
    # training session; swap in a copy with filters for this call only.
    patched = _tf.ConfigProto()
    patched.CopyFrom(session_config)
    patched.device_filters.extend(filters)
    estimator._session_config = patched
    try:
        yield
    finally:
        estimator._session_config = session_config


def _is_cluster_training(config):
    master = getattr(config, "master", None)
    return (isinstance(master, str) and master.startswith("grpc://")
            and bool(_jobs(getattr(config, "cluster_spec", None))))


@contextlib.contextmanager
def distributed_training(estimator, config, server_started):
    """Context for one `Experiment.train` call; does nothing outside a cluster.

    Yields a list of extra training hooks (empty outside a cluster).

    Args:
      estimator: the Experiment's estimator.
      config: its config (a contrib `RunConfig`, or anything with the same fields).
      server_started: whether this process started this task's server.

    Raises:
      ClusterTaskLostError: in the calling thread, when a task stays unreachable.
      ValueError: for a malformed ``COMPAT_LEARN_*`` variable.
    """
    if not _is_cluster_training(config):
        yield []
        return
    recovery_wait = _env_secs(RECOVERY_WAIT_SECS_ENV)
    lost_secs = _env_secs(TASK_LOST_SECS_ENV)
    wait_secs = _env_secs(TASK_WAIT_SECS_ENV)
    watchdog = None
    if lost_secs or wait_secs:
        own = _jobs(config.cluster_spec).get(config.task_type, [])
        own_address = own[config.task_id] if 0 <= (config.task_id or 0) < len(own) else None
        watchdog = _Watchdog(_targets(config), lost_secs, wait_secs, own_address=own_address,
                             server_started=server_started)
    with contextlib.ExitStack() as stack:
        stack.enter_context(_session_device_filters(estimator, config))
        if recovery_wait:
            stack.enter_context(_recovery_wait(recovery_wait))
        hooks = []
        if watchdog is not None:
            watchdog.start()
            stack.callback(watchdog.stop)
            hooks.append(_SessionCreatedHook(watchdog))
        yield hooks
