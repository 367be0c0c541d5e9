"""`tf.contrib.learn.RunConfig` and its cluster helpers, on TensorFlow 2.15.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.run_config`` (r1.15):
`RunConfig`, `ClusterConfig`, `TaskType`, `Environment` and the uid whitelist
``_DEFAULT_UID_WHITE_LIST``. Native TF2 replacement: ``tf.estimator.RunConfig``.

The contrib `RunConfig` parses ``TF_CONFIG`` with r1.15's rules (unknown task types
allowed, an environment-dependent `is_chief`, `master` counted as a worker), never
runs core ``RunConfig.__init__`` (r1.15 did not either), and still carries every
private field TF 2.15's ``tf.estimator.Estimator`` reads, so it can be passed as the
`config` of a real core Estimator.

Extensions beyond r1.15, for TF2 cluster layouts that r1.15 never saw (each is
documented where it applies):

* a cluster with a ``chief`` job makes `is_chief` mean "``chief`` task 0";
* an ``evaluator`` task that is not a job of the cluster gets master ``''``;
* a ``TF_CONFIG`` that is not a JSON object, or a task index that is not an integer,
  raises a ValueError naming ``TF_CONFIG`` (r1.15 raised raw json/int errors);
* so do an empty job that this task needs (r1.15: ``max() arg is an empty
  sequence``) and a ``TF_CONFIG`` nested too deeply to read (r1.15: RecursionError).
"""

import collections
import json
import logging
import numbers
import os
import re
import reprlib

from compat_learn import _tf
from compat_learn._deprecation import warn_deprecated

__all__ = [
    "ClusterConfig",
    "Environment",
    "RunConfig",
    "TaskType",
]

_log = logging.getLogger(__name__)

# r1.15 run_config.py: the properties a user may change (e.g. with `replace`) without
# changing what the execution framework runs; `uid()` ignores them by default.
# Real scripts import this name, so it keeps r1.15's spelling and contents.
_DEFAULT_UID_WHITE_LIST = [
    "tf_random_seed",
    "save_summary_steps",
    "save_checkpoints_steps",
    "save_checkpoints_secs",
    "session_config",
    "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours",
    "log_step_count_steps",
]

_TF_CONFIG_ENV = "TF_CONFIG"

# TF2 task types (core run_config.TaskType). r1.15's TaskType has neither; they are
# only used here for the documented TF2-layout extensions.
_CHIEF = "chief"
_EVALUATOR = "evaluator"

_TF_CONFIG_EXAMPLE = (
    '{"cluster": {"ps": ["host0:2222"], "worker": ["host1:2222", "host2:2222"]}, '
    '"task": {"type": "worker", "index": 0}}'
)

# A real TF_CONFIG nests 3 or 4 levels deep; anything near Python's recursion limit is
# garbage that would end in RecursionError (json, repr, RunConfig.replace's deepcopy).
_MAX_NESTING = 100
# The TF_CONFIG keys a RunConfig reads and keeps; other keys are left alone (r1.15).
_USED_KEYS = ("cluster", "task", "environment", "model_dir")

# Bad values are shown in messages, but a TF_CONFIG value can be huge.
_short = reprlib.Repr()
_short.maxlevel, _short.maxlist, _short.maxdict, _short.maxstring = 3, 8, 8, 200
_short.maxother = 200


class Environment:
    """Runtime environments named by ``TF_CONFIG['environment']``.

    Replaces ``tf.contrib.learn.Environment`` (r1.15). Native TF2: none (core
    ``tf.estimator.RunConfig`` has no environment concept).
    """

    # For running general distributed training.
    CLOUD = "cloud"
    # For running Google-internal distributed training.
    GOOGLE = "google"
    # For running on local desktop.
    LOCAL = "local"


class TaskType:
    """The task types r1.15's contrib `RunConfig` knows.

    Replaces ``tf.contrib.learn.TaskType`` (r1.15; exactly MASTER, PS, WORKER).
    Native TF2: ``tf.estimator.RunConfig`` task types, which add ``'chief'`` and
    ``'evaluator'``; compat_learn accepts those too (see `ClusterConfig`) but keeps
    this class as r1.15 had it.
    """

    MASTER = "master"
    PS = "ps"
    WORKER = "worker"


def _load_tf_config():
    """Returns TF_CONFIG as a dict; unset or empty counts as ``{}`` (r1.15)."""
    raw = os.environ.get(_TF_CONFIG_ENV) or "{}"
    try:
        config = json.loads(raw)
    except RecursionError:
        # r1.15 let the RecursionError escape.
        raise _too_deep(_deep_path_in_json(raw)) from None
    except ValueError as exc:
        # r1.15 let json's own error escape, which does not say which input was bad.
        raise ValueError(
            f"The `TF_CONFIG` environment variable is not valid JSON ({exc}). Expected a "
            f"JSON object such as {_TF_CONFIG_EXAMPLE}; got {_short.repr(raw)}. Fix or "
            f"unset TF_CONFIG.") from exc
    if not isinstance(config, dict):
        # ValueError like every other TF_CONFIG problem (json's errors are ValueErrors).
        raise ValueError(
            f"The `TF_CONFIG` environment variable must hold a JSON object such as "
            f"{_TF_CONFIG_EXAMPLE}; got {_short.repr(raw)}. Fix or unset TF_CONFIG.")
    for key in _USED_KEYS:
        path = _deep_path(config.get(key), (key,))
        if path is not None:
            raise _too_deep(path)
    task_env = config.get("task", {})
    if not isinstance(task_env, dict):
        raise ValueError(
            f"`TF_CONFIG['task']` must be a JSON object with `type` and `index`, such as "
            f'{{"type": "worker", "index": 0}}; got {_short.repr(task_env)}. Fix TF_CONFIG.')
    _check_cluster(config.get("cluster", {}))
    return config


def _format_path(path):
    """``TF_CONFIG['cluster']['ps'][0]...``: the first levels of a path into TF_CONFIG."""
    shown = "".join(f"[{key!r}]" for key in path[:4])
    return f"`TF_CONFIG{shown}{'...' if len(path) > 4 else ''}`"


def _too_deep(path):
    where = f" at {_format_path(path)}" if path else ""
    return ValueError(
        f"The `TF_CONFIG` environment variable is nested more than {_MAX_NESTING} levels "
        f"deep{where}. Expected a JSON object such as {_TF_CONFIG_EXAMPLE}. Fix TF_CONFIG.")


def _deep_path(value, path):
    """The path to the first list or object below `value` nested too deeply, or None.

    Iterative: the point is not to recurse into what may be thousands of levels.
    """
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            children = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        else:
            continue
        if len(path) > _MAX_NESTING:
            return path
        stack.extend((child, path + (key,)) for key, child in children)
    return None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[][{}:,]')


def _deep_path_in_json(raw):
    """Where JSON text `raw` first nests too deeply (keys and list indices), or ().

    For a text json cannot parse: it is scanned token by token, without recursion.
    """
    stack = []  # per open container: [is_list, key or index]
    last_string = None
    for match in _JSON_TOKEN.finditer(raw):
        token = match.group()
        if token in "[{":
            if len(stack) > _MAX_NESTING:
                return tuple(key for _, key in stack)
            stack.append([token == "[", 0 if token == "[" else None])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == "," and stack and stack[-1][0]:
            stack[-1][1] += 1
        elif token == ":" and stack and not stack[-1][0]:
            stack[-1][1] = last_string
        elif token.startswith('"'):
            try:
                last_string = json.loads(token)
            except ValueError:
                last_string = token
    return ()


def _check_cluster(cluster):
    """Checks TF_CONFIG's `cluster` before TensorFlow's ClusterSpec sees it.

    ClusterSpec's own errors do not say that TF_CONFIG is at fault. An empty job is
    only an error where a task needs its addresses (`_job_tasks`), as in r1.15.
    """
    if not isinstance(cluster, dict):
        raise ValueError(
            f"`TF_CONFIG['cluster']` must be a JSON object mapping each job name to its "
            f'list of addresses, such as {{"worker": ["host1:2222"], "ps": ["host2:2222"]}}; '
            f"got {_short.repr(cluster)}. Fix TF_CONFIG.")
    for job, tasks in cluster.items():
        addresses = list(tasks.values()) if isinstance(tasks, dict) else tasks
        # r1.15 accepted empty jobs (e.g. "ps": [] counts 0 ps); an empty `chief` or
        # `master` job, though, names a chief task that does not exist.
        if (not isinstance(addresses, list)
                or (not addresses and job in (_CHIEF, TaskType.MASTER))
                or not all(isinstance(a, str) and a for a in addresses)):
            raise ValueError(
                f"`TF_CONFIG['cluster'][{job!r}]` must be a "
                f"{'non-empty ' if job in (_CHIEF, TaskType.MASTER) else ''}list of "
                f"'host:port' addresses, got {_short.repr(tasks)}. Fix TF_CONFIG or remove "
                f"the job.")
    # Beyond r1.15: TF2's `chief` job must be alone and single (two chiefs, or a
    # chief next to a master, would both act as the chief).
    from compat_learn import _cluster

    _cluster.check_cluster_layout(cluster)


def _task_index(task_env):
    """r1.15: ``int(index)`` if `index` is truthy, else 0; non-integers are an error."""
    index = task_env.get("index")
    if not index:
        return 0
    # r1.15 silently truncated 1.5 to 1 and raised int()'s bare error for "a"; both
    # are configuration mistakes, so say where the value came from.
    if not (isinstance(index, float) and not index.is_integer()):
        try:
            return int(index)
        except (TypeError, ValueError):
            pass
    raise ValueError(
        f"`TF_CONFIG['task']['index']` must be an integer (the task's position in its "
        f"job), got {_short.repr(index)}. Fix TF_CONFIG.")


class ClusterConfig:
    """The distributed-run part of a contrib `RunConfig`, read from ``TF_CONFIG``.

    Replaces ``tf.contrib.learn.ClusterConfig`` (r1.15). Native TF2:
    ``tf.estimator.RunConfig``, which reads the same ``TF_CONFIG`` with stricter rules.

    ``TF_CONFIG`` is a JSON object with the optional keys ``cluster`` (job name ->
    list of addresses), ``task`` (``type`` and ``index``) and ``environment``
    (`Environment`, default ``'local'``); unset or empty means ``{}``. From it:

    * `task_type` is ``task.type`` (default None) and `task_id` is ``task.index``
      (default 0);
    * `cluster_spec` is a ``tf.train.ClusterSpec`` of ``cluster`` (empty by default);
    * `master` is the explicit argument if given; otherwise ``''`` for no cluster, a
      one-task cluster or no task type, else ``'grpc://'`` plus this task's address
      (ValueError for a task type or index that is not in the cluster);
    * `num_ps_replicas` counts ``ps``; `num_worker_replicas` counts ``worker`` and
      ``master`` (r1.15 counts the master as a worker; beyond r1.15, a ``chief`` too);
    * `is_chief` (r1.15's rule): without a task type, ``task_id == 0``; in the
      ``cloud`` environment, ``master`` task 0; in any other environment,
      ``worker`` task 0 (so a non-cloud ``master`` is not chief).

    TF2 extensions (r1.15 never saw these layouts; everything else is r1.15's):

    * if the cluster has a ``chief`` job, `is_chief` is ``task_type == 'chief' and
      task_id == 0``, as in core ``tf.estimator.RunConfig``;
    * an ``evaluator`` task whose type is not a job of the cluster (TF2 evaluators are
      not part of the training cluster) gets master ``''`` instead of r1.15's
      "is not a valid task_type" ValueError.

    Args:
      master: TensorFlow master. Defaults to the one derived from ``TF_CONFIG``
        (``''`` for local).
      evaluation_master: The master on which to perform evaluation.

    Raises:
      ValueError: if ``TF_CONFIG`` is not a JSON object, is nested more than 100
        levels deep (in a key read here), its task index is not an integer, or
        (without an explicit `master`) its task type or index does not name a task
        of its cluster, or the only job of its cluster is empty.
    """

    def __init__(self, master=None, evaluation_master=None):
        if not isinstance(self, RunConfig):
            warn_deprecated("tf.contrib.learn.ClusterConfig", "tf.estimator.RunConfig")
        config = _load_tf_config()
        task_env = config.get("task", {})
        self._task_type = task_env.get("type", None)
        # r1.15 asks the (static, overridable) get_task_id, so subclasses can.
        self._task_id = self.get_task_id()

        self._cluster_spec = _tf.ClusterSpec(config.get("cluster", {}))
        if master is not None:
            # r1.15: an explicit master skips the cluster lookup and its validation.
            self._master = master
        else:
            self._master = _get_master(self._cluster_spec, self._task_type,
                                       self._task_id) or ""
        self._num_ps_replicas = _count_ps(self._cluster_spec) or 0
        self._num_worker_replicas = _count_worker(self._cluster_spec) or 0

        self._environment = config.get("environment", Environment.LOCAL)
        self._is_chief = _is_chief(self._cluster_spec, self._environment,
                                   self._task_type, self._task_id)
        self._evaluation_master = evaluation_master or ""

    @property
    def cluster_spec(self):
        return self._cluster_spec

    @property
    def environment(self):
        return self._environment

    @property
    def evaluation_master(self):
        return self._evaluation_master

    @property
    def is_chief(self):
        return self._is_chief

    @property
    def master(self):
        return self._master

    @property
    def num_ps_replicas(self):
        return self._num_ps_replicas

    @property
    def num_worker_replicas(self):
        return self._num_worker_replicas

    @property
    def task_id(self):
        return self._task_id

    @property
    def task_type(self):
        return self._task_type

    @staticmethod
    def get_task_id():
        """Returns the task index from the ``TF_CONFIG`` environment variable.

        Re-reads the variable on every call (r1.15); an instance's `task_id` property
        holds the value read at construction.

        Returns:
          ``TF_CONFIG['task']['index']`` as an int; 0 when unset.

        Raises:
          ValueError: if ``TF_CONFIG`` is not a JSON object or the index is not an
            integer.
        """
        return _task_index(_load_tf_config().get("task", {}))


def _config_uid(config, whitelist=None):
    """`RunConfig.uid` for any config object, a core ``tf.estimator.RunConfig`` included.

    Args:
      config: a contrib or core RunConfig (any object with instance fields).
      whitelist: names of the properties to leave out; None means
        `_DEFAULT_UID_WHITE_LIST`, ``[]`` includes everything.

    Returns:
      Sorted ``name=repr(value)`` pairs of the instance fields, with the cluster spec
      ordered by job name (a ClusterSpec's repr depends on insertion order; r1.15
      sorted its jobs).
    """
    if whitelist is None:
        whitelist = _DEFAULT_UID_WHITE_LIST
    state = {k: v for k, v in config.__dict__.items() if not k.startswith("__")}
    for name in whitelist:
        state.pop("_" + name, None)
    ordered = collections.OrderedDict(sorted(state.items(), key=lambda kv: kv[0]))
    if ordered.get("_cluster_spec") is not None:
        ordered["_cluster_spec"] = collections.OrderedDict(
            sorted(ordered["_cluster_spec"].as_dict().items(), key=lambda kv: kv[0]))
    return ", ".join(f"{k}={v!r}" for k, v in ordered.items())


class RunConfig(ClusterConfig, _tf.CoreRunConfig):
    """This class specifies the configurations for an `Estimator` run.

    Replaces ``tf.contrib.learn.RunConfig`` (r1.15). Native TF2 replacement:
    ``tf.estimator.RunConfig``.

    It is a ``tf.estimator.RunConfig`` (so core Estimators accept it), with r1.15's
    constructor, ``TF_CONFIG`` rules (see `ClusterConfig`), `tf_config`, `environment`
    and `uid()`. Differences from the core class that r1.15 had too: no mutual
    exclusion check of `save_checkpoints_steps`/`save_checkpoints_secs` in the
    constructor (both may be set), `session_config` defaults to None, no strict
    task-type validation. `replace()` is core's: it returns a modified deep copy,
    allows only core's replaceable properties, sets the other save-checkpoints
    field to None, and validates.

    Args:
      master: TensorFlow master. Defaults to empty string for local.
      num_cores: Number of cores to be used. If 0, the system picks an appropriate
        number.
      log_device_placement: Log the op placement to devices.
      gpu_memory_fraction: Fraction of GPU memory used by the process on each GPU.
      tf_random_seed: Random seed for TensorFlow initializers.
      save_summary_steps: Save summaries every this many steps.
      save_checkpoints_secs: Save checkpoints every this many seconds. The default
        is 600 when `save_checkpoints_steps` is None, else None.
      save_checkpoints_steps: Save checkpoints every this many steps.
      keep_checkpoint_max: The maximum number of recent checkpoint files to keep;
        None or 0 keeps all.
      keep_checkpoint_every_n_hours: Number of hours between each kept checkpoint.
      log_step_count_steps: How often (in global steps) global step/sec is logged.
      protocol: The protocol used when starting a server; None means grpc.
      evaluation_master: The master on which to perform evaluation.
      model_dir: Directory for parameters, graph etc. If None, ``TF_CONFIG``'s
        ``model_dir`` is used; if both are set they must be equal.
      session_config: A ConfigProto used to set session parameters, or None.
      session_creation_timeout_secs: Max time workers wait for a session to become
        available (MonitoredTrainingSession).

    Raises:
      ValueError: if `model_dir` and ``TF_CONFIG['model_dir']`` disagree, or for the
        ``TF_CONFIG`` errors of `ClusterConfig`.
    """

    _USE_DEFAULT = 0

    def __init__(self,
                 master=None,
                 num_cores=0,
                 log_device_placement=False,
                 gpu_memory_fraction=1,
                 tf_random_seed=None,
                 save_summary_steps=100,
                 save_checkpoints_secs=_USE_DEFAULT,
                 save_checkpoints_steps=None,
                 keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000,
                 log_step_count_steps=100,
                 protocol=None,
                 evaluation_master="",
                 model_dir=None,
                 session_config=None,
                 session_creation_timeout_secs=7200):
        warn_deprecated("tf.contrib.learn.RunConfig", "tf.estimator.RunConfig")
        ClusterConfig.__init__(self, master=master, evaluation_master=evaluation_master)
        # r1.15 never called core RunConfig.__init__ (its strict TF_CONFIG validation
        # rejects contrib layouts), and neither do we. It set the first four fields
        # below by hand; tensorflow-estimator 2.15's Estimator and training code read
        # the rest too (estimator.py: checkpoint_save_graph_def,
        # hasattr(config, '_distribute_coordinator_mode'); run_config.py: service,
        # global_id_in_cluster, experimental_distribute via replace()). All values
        # have deterministic reprs, so uid() stays stable across deepcopy.
        self._train_distribute = None
        self._eval_distribute = None
        self._experimental_max_worker_delay_secs = None
        self._device_fn = None
        self._experimental_distribute = None
        self._checkpoint_save_graph_def = True
        # contrib never read TF_CONFIG['service'] (core 1.15 did not have it).
        self._service = None
        self._distribute_coordinator_mode = None
        self._global_id_in_cluster = _global_id_in_cluster(
            self._cluster_spec, self._task_type, self._task_id)

        # r1.15: the server ConfigProto carries exactly these fields and nothing else.
        self._tf_config = _tf.ConfigProto(
            log_device_placement=log_device_placement,
            inter_op_parallelism_threads=num_cores,
            intra_op_parallelism_threads=num_cores,
            gpu_options=_tf.GPUOptions(per_process_gpu_memory_fraction=gpu_memory_fraction))

        self._tf_random_seed = tf_random_seed
        self._save_summary_steps = save_summary_steps
        self._save_checkpoints_secs = save_checkpoints_secs
        self._log_step_count_steps = log_step_count_steps
        self._protocol = protocol
        self._session_config = session_config
        if save_checkpoints_secs == RunConfig._USE_DEFAULT:
            # r1.15: default to 600s only when no step interval is given; no mutual
            # exclusion check (both may be set explicitly).
            self._save_checkpoints_secs = 600 if save_checkpoints_steps is None else None
        self._save_checkpoints_steps = save_checkpoints_steps
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._model_dir = _get_model_dir(model_dir)
        self._session_creation_timeout_secs = session_creation_timeout_secs

    def uid(self, whitelist=None):
        """Generates a 'Unique Identifier' based on all internal fields.

        Use it to check that a `RunConfig` reached its consumer intact (as
        `learn_runner` does); do not rely on its format. Experimental in r1.15.

        Args:
          whitelist: Names of the properties the uid should not include. None means
            `_DEFAULT_UID_WHITE_LIST`; ``[]`` includes everything.

        Returns:
          A uid string: sorted ``name=repr(value)`` pairs of the instance fields,
          with the cluster spec ordered by job name.
        """
        return _config_uid(self, whitelist)

    @property
    def model_dir(self):
        return self._model_dir

    @property
    def tf_config(self):
        return self._tf_config

    @property
    def tf_random_seed(self):
        return self._tf_random_seed

    @property
    def save_summary_steps(self):
        return self._save_summary_steps

    @property
    def save_checkpoints_secs(self):
        return self._save_checkpoints_secs

    @property
    def save_checkpoints_steps(self):
        return self._save_checkpoints_steps

    @property
    def session_config(self):
        return self._session_config

    @property
    def keep_checkpoint_max(self):
        return self._keep_checkpoint_max

    @property
    def keep_checkpoint_every_n_hours(self):
        return self._keep_checkpoint_every_n_hours

    @property
    def log_step_count_steps(self):
        return self._log_step_count_steps

    @property
    def session_creation_timeout_secs(self):
        return self._session_creation_timeout_secs


def _is_chief(cluster_spec, environment, task_type, task_id):
    if cluster_spec and _CHIEF in cluster_spec.jobs:
        # TF2 extension: a `chief` job is TF2's layout, where core RunConfig's rule
        # applies. r1.15's rule would make no task of such a cluster chief outside
        # the cloud environment (only `worker` 0), i.e. a worker would act as chief.
        return task_type == _CHIEF and task_id == 0
    # r1.15 run_config.py ClusterConfig.__init__.
    if task_type is None:
        return task_id == 0
    if environment == Environment.CLOUD:
        return task_type == TaskType.MASTER and task_id == 0
    # r1.15's "legacy behavior": outside the cloud, worker 0 is chief, master is not.
    return task_type == TaskType.WORKER and task_id == 0


def _count_ps(cluster_spec):
    return len(cluster_spec.as_dict().get(TaskType.PS, [])) if cluster_spec else 0


def _count_worker(cluster_spec):
    # r1.15: the master counts as a worker; so does a TF2 chief (as in TF 2.15's core
    # RunConfig), so that SyncReplicasOptimizer sizes match both layouts.
    if not cluster_spec:
        return 0
    jobs = cluster_spec.as_dict()
    return sum(len(jobs.get(job, [])) for job in (TaskType.WORKER, TaskType.MASTER, _CHIEF))


def _get_master(cluster_spec, task_type, task_id):
    """Returns the session master for this task (r1.15 run_config.py _get_master)."""
    if not cluster_spec:
        return ""
    jobs = cluster_spec.jobs
    # A single-task cluster runs locally.
    if len(jobs) == 1 and len(_job_tasks(cluster_spec, jobs[0], task_type, task_id)) == 1:
        return ""
    if not task_type:
        # r1.15: task_type did not always exist; without one, run locally.
        return ""
    if task_type not in jobs:
        if task_type == _EVALUATOR:
            # TF2 extension: evaluators are not part of the training cluster (core
            # RunConfig gives them master ''); r1.15 raised the ValueError below.
            return ""
        raise ValueError(
            f"{task_type} is not a valid task_type in the cluster_spec:\n"
            f"{cluster_spec}\n\n"
            "Note that these values may be coming from the TF_CONFIG environment "
            "variable.")
    addresses = _job_tasks(cluster_spec, task_type, task_type, task_id)
    if task_id >= len(addresses) or task_id < 0:
        raise ValueError(
            f"{task_id:d} is not a valid task_id for task_type {task_type} in the "
            f"cluster_spec:\n"
            f"{cluster_spec}\n\n"
            "Note that these value may be coming from the TF_CONFIG environment "
            "variable.")
    return "grpc://" + addresses[task_id]


def _job_tasks(cluster_spec, job, task_type, task_id):
    """`cluster_spec.job_tasks(job)`, with TF_CONFIG named for an empty job.

    r1.15 asked ClusterSpec.job_tasks here, which fails on an empty job with a bare
    "max() arg is an empty sequence": for a cluster whose only job is empty, and for
    a task of an empty job. Everywhere else r1.15 accepted empty jobs, and so do we.
    """
    if cluster_spec.num_tasks(job):
        return cluster_spec.job_tasks(job)
    if task_type != job:
        why = ("it is the only job of the cluster, so the cluster has no task. Expected "
               "at least one 'host:port' address; list the job's addresses, or remove `cluster` "
               "from TF_CONFIG to run locally")
    else:
        why = (f"`TF_CONFIG['task']` is task {task_id} of this job. Expected at least one "
               f"'host:port' address; list the job's addresses, or fix the task's `type`")
    raise ValueError(f"`TF_CONFIG['cluster'][{job!r}]` lists no address, but {why}.")


def _global_id_in_cluster(cluster_spec, task_type, task_id):
    """Core's `global_id_in_cluster` (not in r1.15), or None where it is undefined.

    Follows core run_config.py's numbering: the chief (``chief``, else ``master``)
    first, then the other jobs in name order, ``ps`` last. 0 without a cluster, as
    core's local mode; None for a task type that is not a job of the cluster.
    """
    if not cluster_spec:
        return 0
    jobs = cluster_spec.jobs
    if task_type not in jobs or not isinstance(task_id, numbers.Integral):
        return None
    chief = [t for t in (_CHIEF, TaskType.MASTER) if t in jobs][:1]
    ordered = chief + sorted(t for t in jobs if t not in chief and t != TaskType.PS)
    if TaskType.PS in jobs:
        ordered.append(TaskType.PS)
    next_id = 0
    for job in ordered:
        if job == task_type:
            return next_id + task_id
        next_id += cluster_spec.num_tasks(job)
    return None  # unreachable: task_type is one of `jobs`


def _get_model_dir(model_dir):
    """r1.15: `model_dir`, else TF_CONFIG's; both set must agree."""
    model_dir_in_tf_config = _load_tf_config().get("model_dir", None)
    if model_dir_in_tf_config is not None:
        if model_dir is not None and model_dir_in_tf_config != model_dir:
            raise ValueError(
                "`model_dir` provided in RunConfig construct, if set, "
                "must have the same value as the model_dir in TF_CONFIG. "
                f"model_dir: {model_dir}\nTF_CONFIG[\"model_dir\"]: {model_dir_in_tf_config}.\n")
        _log.info("Using model_dir in TF_CONFIG: %s", model_dir_in_tf_config)
    return model_dir or model_dir_in_tf_config
