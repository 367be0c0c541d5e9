"""contrib RunConfig / ClusterConfig against r1.15 (run_config.py and its test checklist).

Covers spec section 4 and checklist 7.3, the TF2-layout extensions, bad TF_CONFIG
input, core replace(), and use as the `config` of a real core tf.estimator.Estimator.
"""

import copy
import itertools
import json
import re

import pytest

from compat_learn import _deprecation, _tf
from compat_learn import run_config as run_config_lib
from compat_learn.run_config import ClusterConfig, Environment, RunConfig, TaskType

tf = _tf.tf

# r1.15 messages (contrib run_config.py; core 2.15 run_config.py for replace), pinned.
MSG_INVALID_TASK_TYPE = "not_in_cluster_spec is not a valid task_type in the cluster_spec:"
MSG_INVALID_TASK_ID = "3 is not a valid task_id for task_type worker in the cluster_spec:"
MSG_NEGATIVE_TASK_ID = "-1 is not a valid task_id for task_type worker in the cluster_spec:"
MSG_MODEL_DIR_MISMATCH = ("`model_dir` provided in RunConfig construct, if set, must have the "
                          "same value as the model_dir in TF_CONFIG.")
MSG_REPLACE_NOT_SUPPORTED = "Replacing master is not supported. Allowed properties are"
MSG_SAVE_CKPT_BOTH = "`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set."
MSG_SEED_NOT_INT = "tf_random_seed must be integer."
MSG_MODEL_DIR_EMPTY = "model_dir should be non-empty"
# compat_learn's own messages (r1.15 let json/int errors escape).
MSG_TF_CONFIG_NOT_JSON = "The `TF_CONFIG` environment variable is not valid JSON"
MSG_TF_CONFIG_NOT_OBJECT = "The `TF_CONFIG` environment variable must hold a JSON object"
MSG_TASK_NOT_OBJECT = "`TF_CONFIG['task']` must be a JSON object"
MSG_TASK_INDEX = "`TF_CONFIG['task']['index']` must be an integer"

_R115_UID_WHITE_LIST = [
    "tf_random_seed", "save_summary_steps", "save_checkpoints_steps", "save_checkpoints_secs",
    "session_config", "keep_checkpoint_max", "keep_checkpoint_every_n_hours",
    "log_step_count_steps",
]

_LEGACY_CLUSTER = {"ps": ["host1:1", "host2:2"], "worker": ["host3:3", "host4:4", "host5:5"]}
_TF2_CLUSTER = {"chief": ["host0:0"], "ps": ["host1:1"], "worker": ["host3:3", "host4:4"]}


@pytest.fixture
def tf_config(monkeypatch):
    """Sets TF_CONFIG to the JSON of a dict (or to a raw string)."""
    def set_config(value):
        monkeypatch.setenv("TF_CONFIG", value if isinstance(value, str) else json.dumps(value))
    return set_config


# ------------------------------------------------------------------ constants

def test_constants_are_r115s():
    assert (Environment.CLOUD, Environment.GOOGLE, Environment.LOCAL) == ("cloud", "google", "local")
    assert (TaskType.MASTER, TaskType.PS, TaskType.WORKER) == ("master", "ps", "worker")
    # TaskType stays exactly r1.15's: chief/evaluator are accepted but not named here.
    assert not hasattr(TaskType, "CHIEF") and not hasattr(TaskType, "EVALUATOR")
    assert run_config_lib._DEFAULT_UID_WHITE_LIST == _R115_UID_WHITE_LIST
    assert RunConfig._USE_DEFAULT == 0


def test_public_surface():
    assert sorted(run_config_lib.__all__) == ["ClusterConfig", "Environment", "RunConfig", "TaskType"]


def test_facade_names():
    import compat_learn

    assert compat_learn.RunConfig is RunConfig
    assert compat_learn.TaskType is TaskType


def test_cluster_config_alone(tf_config):
    tf_config({"cluster": _LEGACY_CLUSTER, "task": {"type": "worker", "index": 0}})
    _deprecation._reset_for_tests()
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                      match=r"tf\.contrib\.learn\.ClusterConfig.*tf\.estimator\.RunConfig"):
        config = ClusterConfig(evaluation_master="grpc://e:1")
    assert not isinstance(config, tf.estimator.RunConfig)
    assert (config.master, config.is_chief, config.num_ps_replicas, config.evaluation_master) == (
        "grpc://host3:3", True, 2, "grpc://e:1")


# ------------------------------------------------------------------ checklist 7.3

def test_instance_of_core_run_config():
    config = RunConfig()
    assert isinstance(config, tf.estimator.RunConfig)
    assert isinstance(config, ClusterConfig)


def test_defaults_with_no_tf_config():
    config = RunConfig()
    assert config.master == ""
    assert config.task_id == 0
    assert config.num_ps_replicas == 0
    assert config.num_worker_replicas == 0
    assert config.cluster_spec == {}
    assert not config.cluster_spec
    assert config.task_type is None
    assert config.is_chief
    assert config.evaluation_master == ""
    assert config.environment == "local"
    assert config.model_dir is None
    assert config.session_config is None
    assert config.save_checkpoints_secs == 600
    assert config.save_checkpoints_steps is None
    assert (config.save_summary_steps, config.keep_checkpoint_max,
            config.keep_checkpoint_every_n_hours, config.log_step_count_steps,
            config.session_creation_timeout_secs) == (100, 5, 10000, 100, 7200)
    assert config.tf_random_seed is None and config.protocol is None


def test_empty_tf_config_counts_as_absent(tf_config):
    tf_config("")
    config = RunConfig()
    assert config.cluster_spec == {} and config.task_type is None and config.is_chief


def test_values_from_tf_config(tf_config):
    tf_config({"cluster": _LEGACY_CLUSTER, "task": {"type": "worker", "index": 1}})
    config = RunConfig()
    assert config.master == "grpc://host4:4"
    assert config.task_id == 1
    assert config.task_type == "worker"
    assert config.num_ps_replicas == 2
    assert config.num_worker_replicas == 3
    assert config.cluster_spec.as_dict() == _LEGACY_CLUSTER
    assert config.cluster_spec == _tf.ClusterSpec(_LEGACY_CLUSTER)
    assert not config.is_chief


def test_explicitly_specified_values(tf_config):
    cluster = {"my_job_name": ["localhost:0", "localhost:1"]}
    tf_config({"cluster": cluster, "task": {"type": "not_in_cluster", "index": 5}})
    config = RunConfig(master="localhost:0", evaluation_master="localhost:9991")
    # An explicit master skips the cluster lookup (no ValueError for the bad task).
    assert config.master == "localhost:0"
    assert config.evaluation_master == "localhost:9991"
    assert config.task_id == 5
    assert config.num_ps_replicas == 0
    assert config.num_worker_replicas == 0  # a custom job name is not a worker
    assert config.cluster_spec == _tf.ClusterSpec(cluster)


def test_single_node_in_cluster_spec_produces_empty_master(tf_config):
    tf_config({"cluster": {"worker": ["host1:1"]}, "task": {"type": "worker", "index": 0}})
    assert RunConfig().master == ""


def test_no_task_type_produces_empty_master(tf_config):
    tf_config({"cluster": _LEGACY_CLUSTER})
    assert RunConfig().master == ""


def test_invalid_job_name_raises(tf_config):
    tf_config({"cluster": _LEGACY_CLUSTER, "task": {"type": "not_in_cluster_spec"}})
    with pytest.raises(ValueError, match=re.escape(MSG_INVALID_TASK_TYPE)):
        RunConfig()


@pytest.mark.parametrize("index, message", [(3, MSG_INVALID_TASK_ID), (-1, MSG_NEGATIVE_TASK_ID)])
def test_illegal_task_index_raises(tf_config, index, message):
    tf_config({"cluster": _LEGACY_CLUSTER, "task": {"type": "worker", "index": index}})
    with pytest.raises(ValueError, match=re.escape(message)):
        RunConfig()


def test_is_chief_from_cloud_tf_config(tf_config):
    cluster = {"ps": ["h:1"], "worker": ["h:2"], "master": ["h:3"]}
    tf_config({"cluster": cluster, "environment": "cloud", "task": {"type": "master", "index": 0}})
    assert RunConfig().is_chief
    tf_config({"cluster": cluster, "environment": "cloud", "task": {"type": "worker", "index": 0}})
    assert not RunConfig().is_chief


@pytest.mark.parametrize("environment", ["random", "local", "google", None])
def test_is_chief_from_noncloud_tf_config(tf_config, environment):
    cluster = {"ps": ["h:1"], "worker": ["h:2", "h:4"], "master": ["h:3"]}
    base = {"cluster": cluster}
    if environment is not None:
        base["environment"] = environment
    tf_config(dict(base, task={"type": "worker", "index": 0}))
    assert RunConfig().is_chief
    tf_config(dict(base, task={"type": "worker", "index": 1}))
    assert not RunConfig().is_chief
    # r1.15's legacy rule: outside the cloud a master is not chief.
    tf_config(dict(base, task={"type": "master", "index": 0}))
    assert not RunConfig().is_chief


def test_default_is_chief_from_tf_config_without_job_name(tf_config):
    tf_config({"cluster": {}, "task": {}})
    assert RunConfig().is_chief
    tf_config({"task": {"index": 1}})
    config = RunConfig()
    assert config.task_id == 1 and not config.is_chief


def test_model_dir(tmp_path):
    assert RunConfig().model_dir is None
    assert RunConfig(model_dir=str(tmp_path)).model_dir == str(tmp_path)


def test_empty_model_dir_becomes_none():
    assert RunConfig(model_dir="").model_dir is None


def test_model_dir_in_tf_config(tf_config):
    tf_config({"model_dir": "/tmp/from_tf_config"})
    assert RunConfig().model_dir == "/tmp/from_tf_config"


def test_model_dir_both_in_tf_config_and_constructor(tf_config):
    tf_config({"model_dir": "/tmp/same"})
    assert RunConfig(model_dir="/tmp/same").model_dir == "/tmp/same"


def test_model_dir_fail_if_constructor_value_mismatch_tf_config(tf_config):
    tf_config({"model_dir": "/tmp/a"})
    with pytest.raises(ValueError, match=re.escape(MSG_MODEL_DIR_MISMATCH)):
        RunConfig(model_dir="/tmp/b")


def test_subclass_get_task_id_sets_task_id(tf_config):
    tf_config({"task": {"type": "worker", "index": 1}})

    class FixedTask(RunConfig):
        @staticmethod
        def get_task_id():
            return 4

    assert FixedTask().task_id == 4  # r1.15 asks get_task_id()
    assert RunConfig().task_id == 1


def test_num_worker_replicas_counts_in_master_too(tf_config):
    cluster = {"ps": ["h:1"], "worker": ["h:2", "h:3", "h:4"], "master": ["h:5"]}
    tf_config({"cluster": cluster, "task": {"type": "worker", "index": 1}})
    assert RunConfig().num_worker_replicas == 4


def test_task_id_read_without_cluster(tf_config):
    tf_config({"task": {"type": "worker", "index": "2"}})
    config = RunConfig()
    assert config.task_id == 2 and config.master == ""


def test_get_task_id_rereads_tf_config(tf_config):
    tf_config({"task": {"index": 3}})
    config = RunConfig()
    tf_config({"task": {"index": 7}})
    assert config.task_id == 3
    assert RunConfig.get_task_id() == 7 == ClusterConfig.get_task_id()


# ------------------------------------------------------------------ constructor values

def test_save_checkpoints_defaults():
    assert RunConfig(save_checkpoints_steps=10).save_checkpoints_secs is None
    assert RunConfig(save_checkpoints_secs=30).save_checkpoints_secs == 30
    # r1.15 has no mutual-exclusion check in the constructor.
    both = RunConfig(save_checkpoints_steps=13, save_checkpoints_secs=14)
    assert (both.save_checkpoints_steps, both.save_checkpoints_secs) == (13, 14)


def test_tf_config_is_the_bare_server_config_proto():
    config = RunConfig(num_cores=3, log_device_placement=True, gpu_memory_fraction=0.5)
    expected = _tf.ConfigProto(
        log_device_placement=True, inter_op_parallelism_threads=3,
        intra_op_parallelism_threads=3,
        gpu_options=_tf.GPUOptions(per_process_gpu_memory_fraction=0.5))
    assert config.tf_config == expected


def test_positional_order_is_r115s():
    config = RunConfig("m", 0, False, 1, 7, 50, 0, 20, 3, 2, 10, "grpc", "em", "/tmp/d", None, 60)
    assert (config.master, config.tf_random_seed, config.save_summary_steps,
            config.save_checkpoints_secs, config.save_checkpoints_steps,
            config.keep_checkpoint_max, config.keep_checkpoint_every_n_hours,
            config.log_step_count_steps, config.protocol, config.evaluation_master,
            config.model_dir, config.session_creation_timeout_secs) == (
        "m", 7, 50, None, 20, 3, 2, 10, "grpc", "em", "/tmp/d", 60)


def test_construction_warns_deprecation():
    _deprecation._reset_for_tests()
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                      match=r"tf\.contrib\.learn\.RunConfig.*tf\.estimator\.RunConfig"):
        RunConfig()


def test_core_fields_2_15_reads_are_set(tf_config):
    """tensorflow-estimator 2.15 reads these; r1.15 set only some of them."""
    config = RunConfig(protocol="grpc")
    assert config.checkpoint_save_graph_def is True
    assert config.session_creation_timeout_secs == 7200
    assert config.experimental_max_worker_delay_secs is None
    assert config.device_fn is None
    assert config.protocol == "grpc"
    assert config.train_distribute is None and config.eval_distribute is None
    assert config.service is None
    assert config.global_id_in_cluster == 0
    assert hasattr(config, "_distribute_coordinator_mode")
    assert not config._distribute_coordinator_mode
    assert config._experimental_distribute is None


@pytest.mark.parametrize("task, expected", [
    ({"type": "master", "index": 0}, 0),
    ({"type": "worker", "index": 0}, 1),
    ({"type": "worker", "index": 1}, 2),
    ({"type": "ps", "index": 1}, 4),
    ({"type": "evaluator", "index": 0}, None),
])
def test_global_id_in_cluster_follows_core_numbering(tf_config, task, expected):
    cluster = {"master": ["h:0"], "ps": ["h:1", "h:2"], "worker": ["h:3", "h:4"]}
    tf_config({"cluster": cluster, "task": task})
    # An evaluator outside the cluster (TF2 extension) has no global id.
    assert RunConfig().global_id_in_cluster == expected


# ------------------------------------------------------------------ TF2 extensions

def test_chief_cluster_makes_chief_task_zero_the_chief(tf_config):
    tf_config({"cluster": _TF2_CLUSTER, "task": {"type": "chief", "index": 0}})
    config = RunConfig()
    assert config.is_chief
    assert config.master == "grpc://host0:0"
    assert config.global_id_in_cluster == 0
    # The chief trains too: counted like r1.15's master (and TF 2.15's core config).
    assert config.num_worker_replicas == 3
    assert config.num_worker_replicas == tf.estimator.RunConfig().num_worker_replicas


@pytest.mark.parametrize("environment", ["local", "cloud"])
def test_chief_cluster_worker_zero_is_not_chief(tf_config, environment):
    tf_config({"cluster": _TF2_CLUSTER, "environment": environment,
               "task": {"type": "worker", "index": 0}})
    config = RunConfig()
    assert not config.is_chief
    assert config.master == "grpc://host3:3"
    assert config.global_id_in_cluster == 1


def test_chief_cluster_without_task_type_has_no_chief(tf_config):
    tf_config({"cluster": _TF2_CLUSTER})
    assert not RunConfig().is_chief


def test_evaluator_outside_cluster_gets_local_master(tf_config):
    tf_config({"cluster": _TF2_CLUSTER, "task": {"type": "evaluator", "index": 0}})
    config = RunConfig()
    assert config.master == ""
    assert config.task_type == "evaluator"
    assert not config.is_chief
    # The cluster is kept (learn_runner uses it to decide the default schedule).
    assert config.cluster_spec.as_dict() == _TF2_CLUSTER


def test_evaluator_job_inside_cluster_is_looked_up(tf_config):
    tf_config({"cluster": dict(_LEGACY_CLUSTER, evaluator=["host9:9"]),
               "task": {"type": "evaluator", "index": 0}})
    assert RunConfig().master == "grpc://host9:9"


def test_other_unknown_task_type_still_raises_in_tf2_cluster(tf_config):
    tf_config({"cluster": _TF2_CLUSTER, "task": {"type": "not_in_cluster_spec", "index": 0}})
    with pytest.raises(ValueError, match=re.escape(MSG_INVALID_TASK_TYPE)):
        RunConfig()


# ------------------------------------------------------------------ bad TF_CONFIG

def test_tf_config_not_json_names_tf_config_and_json_error(tf_config):
    tf_config("{cluster: oops")
    with pytest.raises(ValueError, match=re.escape(MSG_TF_CONFIG_NOT_JSON)) as err:
        RunConfig()
    assert "Expecting property name enclosed in double quotes" in str(err.value)
    assert "'{cluster: oops'" in str(err.value)


@pytest.mark.parametrize("cluster, message", [
    (["host1:2222"], "`TF_CONFIG['cluster']` must be a JSON object mapping each job name"),
    ({"chief": [], "worker": ["h:1"]}, "`TF_CONFIG['cluster']['chief']` must be a non-empty list"),
    ({"worker": "h:1"}, "`TF_CONFIG['cluster']['worker']` must be a list of"),
    ({"worker": [1]}, "`TF_CONFIG['cluster']['worker']` must be a list of"),
    ({"master": [], "worker": ["h:1"]}, "`TF_CONFIG['cluster']['master']` must be a non-empty list"),
    ({"chief": ["a:1", "b:2"]}, "`TF_CONFIG['cluster']['chief']` must list exactly one address"),
    ({"chief": ["a:1"], "master": ["b:2"]}, "has both a `chief` and a `master` job"),
])
@pytest.mark.parametrize("task_type", ["evaluator", "worker"])
def test_bad_cluster_is_named_at_construction(tf_config, cluster, message, task_type):
    # Caught when the config is built, for every task (an evaluator starts no server
    # that would otherwise catch it), with TF_CONFIG named.
    tf_config({"cluster": cluster, "task": {"type": task_type, "index": 0}})
    with pytest.raises(ValueError, match=re.escape(message)) as err:
        RunConfig()
    assert "TF_CONFIG" in str(err.value)


def test_an_empty_ps_or_worker_job_is_accepted_as_in_r115(tf_config, tmp_path):
    from compat_learn import learn_runner

    tf_config({"cluster": {"master": ["h:1"], "worker": ["h:2"], "ps": []},
               "task": {"type": "master", "index": 0}})
    config = RunConfig(model_dir=str(tmp_path))
    assert (config.master, config.num_ps_replicas) == ("grpc://h:1", 0)
    assert learn_runner._get_default_schedule(config) == "train_and_evaluate"


def test_tf_config_not_an_object(tf_config):
    tf_config("[1, 2]")
    with pytest.raises(ValueError, match=re.escape(MSG_TF_CONFIG_NOT_OBJECT)):
        RunConfig()


def test_tf_config_task_not_an_object(tf_config):
    tf_config({"task": "worker"})
    with pytest.raises(ValueError, match=re.escape(MSG_TASK_NOT_OBJECT)):
        RunConfig()


@pytest.mark.parametrize("index", ["a", "1.0", 1.5, [1], {"i": 1}])
def test_task_index_not_an_integer(tf_config, index):
    tf_config({"task": {"type": "worker", "index": index}})
    with pytest.raises(ValueError, match=re.escape(MSG_TASK_INDEX)) as err:
        RunConfig()
    assert repr(index) in str(err.value)
    with pytest.raises(ValueError, match=re.escape(MSG_TASK_INDEX)):
        RunConfig.get_task_id()


@pytest.mark.parametrize("index, expected", [(None, 0), (0, 0), ("", 0), ("3", 3), (2.0, 2)])
def test_task_index_forms_r115_accepted(tf_config, index, expected):
    tf_config({"task": {"index": index}})
    assert RunConfig().task_id == expected


# ------------------------------------------------------------------ replace

def test_replace_returns_modified_copy(tmp_path):
    config = RunConfig(tf_random_seed=11, model_dir=str(tmp_path / "a"))
    new = config.replace(model_dir=str(tmp_path / "b"))
    assert isinstance(new, RunConfig) and new is not config
    assert new.model_dir == str(tmp_path / "b")
    assert new.tf_random_seed == 11
    assert config.model_dir == str(tmp_path / "a")


def test_replace_tf_random_seed_is_allowed():
    assert RunConfig(tf_random_seed=1).replace(tf_random_seed=2).tf_random_seed == 2


def test_replace_nulls_the_other_save_field():
    config = RunConfig(save_checkpoints_secs=30)
    steps = config.replace(save_checkpoints_steps=5)
    assert (steps.save_checkpoints_steps, steps.save_checkpoints_secs) == (5, None)
    secs = steps.replace(save_checkpoints_secs=7)
    assert (secs.save_checkpoints_steps, secs.save_checkpoints_secs) == (None, 7)
    assert (config.save_checkpoints_steps, config.save_checkpoints_secs) == (None, 30)


def test_replace_both_save_fields_raises():
    with pytest.raises(ValueError, match=re.escape(MSG_SAVE_CKPT_BOTH)):
        RunConfig().replace(save_checkpoints_steps=1, save_checkpoints_secs=2)


def test_replace_unsupported_property_raises():
    with pytest.raises(ValueError, match=re.escape(MSG_REPLACE_NOT_SUPPORTED)):
        RunConfig().replace(master="grpc://x")


@pytest.mark.parametrize("kwargs, message", [
    ({"tf_random_seed": "7"}, MSG_SEED_NOT_INT),
    ({"model_dir": ""}, MSG_MODEL_DIR_EMPTY),
    ({"protocol": "http"}, "protocol should be grpc or grpc+verbs"),
    ({"log_step_count_steps": 0}, "log_step_count_steps should be > 0"),
])
def test_replace_validates(kwargs, message):
    config = RunConfig()
    with pytest.raises(ValueError, match=re.escape(message)):
        config.replace(**kwargs)


def test_replace_session_config_is_whitelisted_for_uid(tmp_path):
    config = RunConfig(model_dir=str(tmp_path))
    new = config.replace(session_config=_tf.ConfigProto(allow_soft_placement=True))
    assert new.uid() == config.uid()
    assert new.uid(whitelist=[]) != config.uid(whitelist=[])


# ------------------------------------------------------------------ uid

def test_uid_for_different_configs(tmp_path):
    config = RunConfig(tf_random_seed=1, model_dir=str(tmp_path))
    expected = config.uid()
    assert all(config.uid() == expected for _ in range(10))
    assert config.replace(model_dir=str(tmp_path / "other")).uid() != expected


def test_uid_for_whitelist(tmp_path):
    config = RunConfig(model_dir=str(tmp_path))
    new = config.replace(model_dir=str(tmp_path / "other"))
    assert new.uid(["model_dir"]) == config.uid(["model_dir"])


def test_uid_for_default_whitelist(tmp_path):
    a = RunConfig(tf_random_seed=11, save_summary_steps=12, save_checkpoints_steps=13,
                  save_checkpoints_secs=14, session_config=_tf.ConfigProto(),
                  keep_checkpoint_max=15, keep_checkpoint_every_n_hours=16,
                  log_step_count_steps=17, model_dir=str(tmp_path))
    b = RunConfig(tf_random_seed=21, save_summary_steps=22, save_checkpoints_steps=23,
                  save_checkpoints_secs=24, session_config=None, keep_checkpoint_max=25,
                  keep_checkpoint_every_n_hours=26, log_step_count_steps=27,
                  model_dir=str(tmp_path))
    assert a.uid() == b.uid()
    assert a.uid(whitelist=[]) != b.uid(whitelist=[])
    assert a.uid() != a.replace(model_dir=str(tmp_path / "x")).uid()


def test_uid_for_deepcopy(tf_config, tmp_path):
    tf_config({"cluster": _LEGACY_CLUSTER, "task": {"type": "worker", "index": 1}})
    config = RunConfig(model_dir=str(tmp_path), session_config=_tf.ConfigProto())
    copied = copy.deepcopy(config)
    assert copied.uid() == config.uid()
    assert copied.uid(whitelist=[]) == config.uid(whitelist=[])


def test_uid_has_no_address_based_reprs(tf_config, tmp_path):
    tf_config({"cluster": _TF2_CLUSTER, "task": {"type": "chief", "index": 0}})
    uid = RunConfig(model_dir=str(tmp_path), session_config=_tf.ConfigProto()).uid(whitelist=[])
    assert " at 0x" not in uid
    for field in ("_checkpoint_save_graph_def=True", "_service=None",
                  "_distribute_coordinator_mode=None", "_global_id_in_cluster=0"):
        assert field in uid


def test_uid_for_different_cluster_spec_order(tf_config, tmp_path):
    jobs = {"ps": ["h:1", "h:2"], "worker": ["h:3", "h:4"], "master": ["h:5"], "other": ["h:6"]}
    uids = set()
    for order in itertools.permutations(jobs):
        tf_config({"cluster": {job: jobs[job] for job in order}})
        uids.add(RunConfig(model_dir=str(tmp_path)).uid())
    assert len(uids) == 1


def test_uid_for_different_cluster_specs(tf_config, tmp_path):
    tf_config({"cluster": {"ps": ["h:1"], "worker": ["h:2"]}})
    first = RunConfig(model_dir=str(tmp_path)).uid()
    tf_config({"cluster": {"ps": ["h:1"], "worker": ["h:3"]}})
    assert RunConfig(model_dir=str(tmp_path)).uid() != first


# ------------------------------------------------------------------ subclassing

class _MyRunConfig(RunConfig):
    def __init__(self, extra, **kwargs):
        super().__init__(**kwargs)
        self._extra = extra

    @property
    def extra(self):
        return self._extra


def test_subclass(tmp_path):
    config = _MyRunConfig("x", model_dir=str(tmp_path), save_checkpoints_steps=3)
    assert config.save_checkpoints_secs is None
    new = config.replace(save_checkpoints_steps=4)
    assert type(new) is _MyRunConfig and new.extra == "x"
    assert "_extra='x'" in config.uid()
    assert new.uid() == config.uid()


# ------------------------------------------------------------------ core Estimator

def _model_fn(features, labels, mode):
    w = tf.compat.v1.get_variable("w", [1, 1], initializer=tf.compat.v1.zeros_initializer())
    predictions = tf.matmul(features["x"], w)
    loss = tf.compat.v1.losses.mean_squared_error(labels, predictions)
    train_op = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.compat.v1.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def _input_fn():
    x = [[1.0], [2.0], [3.0], [4.0]]
    dataset = tf.data.Dataset.from_tensor_slices(({"x": x}, [[2.0], [4.0], [6.0], [8.0]]))
    return dataset.repeat().batch(2)


@pytest.mark.parametrize("estimator_cls", [
    pytest.param(tf.estimator.Estimator, id="v2"),
    pytest.param(tf.compat.v1.estimator.Estimator, id="v1"),
])
@pytest.mark.parametrize("cluster, task", [
    pytest.param({"ps": ["h:1"], "worker": ["h:2"], "master": ["h:3"]},
                 {"type": "worker", "index": 0}, id="legacy"),
    pytest.param(_TF2_CLUSTER, {"type": "chief", "index": 0}, id="tf2"),
])
def test_core_estimator_accepts_distributed_config(tf_config, tmp_path, estimator_cls,
                                                   cluster, task):
    # Construction runs the replica device setter and core's config plumbing.
    tf_config({"cluster": cluster, "task": task})
    config = RunConfig(model_dir=str(tmp_path))
    estimator = estimator_cls(model_fn=_model_fn, config=config)
    assert isinstance(estimator.config, RunConfig)
    assert estimator.config.uid() == config.uid()
    # Core fills in its default session_config on a copy; the user's is untouched.
    assert estimator.config.session_config is not None
    assert config.session_config is None


@pytest.mark.integration
def test_core_estimator_trains_and_evaluates_with_contrib_run_config(tmp_path):
    config = RunConfig(model_dir=str(tmp_path), save_checkpoints_steps=2, tf_random_seed=3,
                       keep_checkpoint_max=1, log_step_count_steps=1)
    estimator = tf.estimator.Estimator(model_fn=_model_fn, config=config)
    estimator.train(_input_fn, steps=3)
    result = estimator.evaluate(_input_fn, steps=1)
    assert result["global_step"] == 3
    assert estimator.model_dir == str(tmp_path)
    assert estimator.config.uid() == config.uid()
    # save_checkpoints_steps=2 plus the final save; keep_checkpoint_max=1 kept one.
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path.endswith("model.ckpt-3")
    assert list(state.all_model_checkpoint_paths) == [state.model_checkpoint_path]


# ------------------------------------------------------------------ empty jobs, deep nesting (issue 12)

# compat_learn's messages: r1.15 raised a bare "max() arg is an empty sequence" and
# RecursionError here.
MSG_EMPTY_JOB = "`TF_CONFIG['cluster']['ps']` lists no address, but "
MSG_EMPTY_ONLY_JOB = "it is the only job of the cluster, so the cluster has no task."
MSG_EMPTY_OWN_JOB = "`TF_CONFIG['task']` is task 0 of this job."
MSG_TOO_DEEP = "The `TF_CONFIG` environment variable is nested more than 100 levels deep at "


@pytest.mark.parametrize("cluster, task, reason", [
    ({"ps": []}, None, MSG_EMPTY_ONLY_JOB),
    ({"ps": {}}, None, MSG_EMPTY_ONLY_JOB),  # a sparse job without tasks
    ({"ps": []}, {"type": "worker", "index": 0}, MSG_EMPTY_ONLY_JOB),
    ({"ps": [], "worker": ["h:1"]}, {"type": "ps", "index": 0}, MSG_EMPTY_OWN_JOB),
], ids=["only-job", "only-job-sparse", "only-job-other-task", "own-job"])
def test_an_empty_job_that_is_needed_is_named(tf_config, cluster, task, reason):
    # Exactly where r1.15 failed (ClusterSpec.job_tasks in _get_master).
    tf_config({"cluster": cluster, **({"task": task} if task else {})})
    with pytest.raises(ValueError) as err:
        RunConfig()
    assert str(err.value).startswith(MSG_EMPTY_JOB + reason)


def test_empty_jobs_are_accepted_where_r115_accepted_them(tf_config, monkeypatch):
    # An explicit master skips the lookup (r1.15); so do tasks of other, non-empty jobs.
    tf_config({"cluster": {"ps": []}})
    config = RunConfig(master="grpc://h:9")
    assert (config.master, config.num_ps_replicas, config.num_worker_replicas) == ("grpc://h:9", 0, 0)
    tf_config({"cluster": {"ps": [], "worker": ["h:1", "h:2"]}})
    assert (RunConfig().master, RunConfig().num_ps_replicas) == ("", 0)
    tf_config({"cluster": {"ps": [], "worker": ["h:1", "h:2"]}, "task": {"type": "worker", "index": 1}})
    config = RunConfig()
    assert (config.master, config.num_ps_replicas, config.num_worker_replicas) == ("grpc://h:2", 0, 2)
    assert config.global_id_in_cluster == 1
    assert config.replace(save_summary_steps=7).uid() == config.uid()


def test_an_empty_ps_job_reaches_the_cluster_watchdogs_harmlessly(tf_config, tmp_path, monkeypatch):
    import socket
    from unittest import mock

    from compat_learn import _cluster, experiment

    import _fakes

    # This process serves the master's own address, as a script that starts its own
    # server does; the watchdog then probes only the master (no ps to probe).
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    master = f"127.0.0.1:{listener.getsockname()[1]}"
    tf_config({"cluster": {"master": [master], "worker": ["127.0.0.1:1"], "ps": []},
               "task": {"type": "master", "index": 0}})
    _fakes.install_clock(monkeypatch)
    config = RunConfig()
    assert _cluster._targets(config) == [("/job:master/task:0", master)]
    assert _cluster.EvaluatorWatch.for_config(config) is None
    est = _fakes.FakeContribEstimator(tmp_path, config=config)
    with mock.patch.object(_tf.server_lib, "Server") as server:
        experiment.Experiment(est, "train_input", "eval_input").train(delay_secs=0)
    listener.close()
    assert est.fit_count == 1
    server.assert_not_called()  # 'local' environment: r1.15 started no server


@pytest.mark.integration
def test_tensorflow_starts_a_server_in_a_cluster_with_an_empty_job(tmp_path):
    # r1.15 passed the cluster spec, empty job included, to the server; TF 2.15's gRPC
    # server accepts it too. In a child: an in-process server can never be stopped.
    import textwrap

    import _procs

    script = textwrap.dedent("""
        import json, os, socket
        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        address = f"127.0.0.1:{port}"
        os.environ["TF_CONFIG"] = json.dumps({
            "cluster": {"master": [address], "worker": ["127.0.0.1:1"], "ps": []},
            "task": {"type": "master", "index": 0}, "environment": "cloud"})
        from compat_learn import experiment, run_config
        from compat_learn.estimators.estimator import Estimator
        est = Estimator(model_fn=lambda features, labels, mode: None,
                        config=run_config.RunConfig(), model_dir=MODEL_DIR)
        server = experiment.Experiment(est, None, None)._start_server()
        target = server.target
        print("TARGET", target.decode() if isinstance(target, bytes) else target,
              "grpc://" + address)
        """).replace("MODEL_DIR", repr(str(tmp_path)))
    code, out, err = _procs.run_python(["-W", "ignore", "-c", script])
    assert code == 0, err[-3000:]
    target, expected = out.split("TARGET ")[1].split()[:2]
    assert target == expected


def test_deeply_nested_tf_config_is_named_not_a_recursion_error(tf_config):
    depth = 100_000  # beyond what json can parse
    tf_config('{"cluster": {"ps": ' + "[" * depth + "]" * depth + "}}")
    with pytest.raises(ValueError) as err:
        RunConfig()
    assert str(err.value).startswith(MSG_TOO_DEEP + "`TF_CONFIG['cluster']['ps'][0][0]...`.")
    with pytest.raises(ValueError, match=re.escape(MSG_TOO_DEEP)):
        ClusterConfig.get_task_id()


def test_deep_but_parseable_values_that_runconfig_keeps_are_named(tf_config):
    # json parses 500 levels, but RunConfig kept the value and replace()'s deepcopy
    # then ended in RecursionError.
    deep = "[" * 500 + "]" * 500
    tf_config('{"task": {"type": ' + deep + "}}")
    with pytest.raises(ValueError) as err:
        RunConfig().replace(save_summary_steps=3)
    assert str(err.value).startswith(MSG_TOO_DEEP + "`TF_CONFIG['task']['type'][0][0]...`.")
    # Keys r1.15 never read are left alone, deep or not.
    tf_config('{"job": ' + deep + "}")
    assert RunConfig().replace(save_summary_steps=3).save_summary_steps == 3
