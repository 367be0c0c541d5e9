"""learn_runner.run / tune against r1.15 (learn_runner.py and checklist 7.2).

The experiment double follows r1.15's learn_runner_test TestExperiment: an Experiment
subclass built with Experiment.__init__(estimator, None, None) around a contrib-style
fake estimator (Trainable + Evaluable) whose class attribute `config` is the config
passed in.
"""

import json
import re

import pytest

from compat_learn import _deprecation, _tf, evaluable, learn_runner, trainable
from compat_learn.experiment import Experiment
from compat_learn.run_config import RunConfig
from compat_learn.training import HParams

tf = _tf.tf

# r1.15 messages (learn_runner.py), pinned.
MSG_BOTH_SET = "Cannot provide both `output_dir` and `run_config`"
MSG_NONE_SET = "Must set value for `output_dir` or `run_config`"
MSG_NOT_CALLABLE = 'Experiment builder "not callable" is not callable.'
MSG_EMPTY_OUTPUT_DIR = "Must specify an output directory"
MSG_HPARAMS_WITH_OUTPUT_DIR = "Must set `hparams` as None for `experiment_fn` with `output_dir`."
MSG_NOT_EXPERIMENT = "Experiment builder did not return an Experiment instance, got <class 'str'> instead."
MSG_NON_EXISTENT = "Schedule references non-existent task mirage"
MSG_NON_CALLABLE_TASK = "Schedule references non-callable member default"
MSG_RUN_CONFIG_TYPE = "`run_config` must be `tf.contrib.learn.RunConfig` instance"
MSG_MODEL_DIR = "Must specify a model directory `model_dir` in `run_config`."
MSG_HPARAMS_TYPE = "`hparams` must be `HParams` instance"
MSG_HPARAMS_NONE = "`hparams` cannot be `None`."
MSG_NO_UID = "Pass `run_config` argument of the `experiment_fn` to the Estimator in Experiment."
MSG_UID_MISMATCH = "`RunConfig` instance is expected to be used by the `Estimator` inside the `Experiment`."
MSG_MUST_SPECIFY_SCHEDULE = "Must specify a schedule"
MSG_NO_DEFAULT_SCHEDULE = "No default schedule for task type: foo_has_no_default_schedule"
# The regexes of the r1.x learn_runner_test (older wording); still matched.
RE_OLD_MODEL_DIR = "Must specify a model directory in `run_config`."
RE_OLD_RUN_CONFIG_TYPE = "`run_config` must be `RunConfig` instance"

_DISTRIBUTED_CLUSTER = {
    "ps": ["localhost:1234", "localhost:1235"],
    "worker": ["localhost:1236", "localhost:1237"],
    "master": ["localhost:1238"],
    "foo_has_no_default_schedule": ["localhost:1239"],
}
_TF2_CLUSTER = {"chief": ["localhost:1"], "ps": ["localhost:2"], "worker": ["localhost:3"]}


# ------------------------------------------------------------------ experiment double

class _FakeEstimator(trainable.Trainable, evaluable.Evaluable):
    """Contrib-style estimator; subclasses set the class attribute `config`."""

    config = None

    @property
    def model_dir(self):
        return self.config.model_dir if self.config else None

    def fit(self, x=None, y=None, input_fn=None, steps=None, batch_size=None,
            monitors=None, max_steps=None):
        raise NotImplementedError

    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None,
                 steps=None, metrics=None, name=None, checkpoint_path=None, hooks=None):
        raise NotImplementedError


class TestExperiment(Experiment):
    """Schedules return "<name>-<model_dir>"; `default` is a non-callable member."""

    __test__ = False  # not a pytest test class

    def __init__(self, default=None, config=None, model_dir=None):
        self.default = default
        self.config = config
        self._test_model_dir = model_dir or (config.model_dir if config else None)
        estimator_cls = type("Estimator", (_FakeEstimator,), {"config": config})
        super().__init__(estimator_cls(), None, None)

    def _result(self, name):
        return f"{name}-{self._test_model_dir}"

    def local_run(self):
        return self._result("local_run")

    def train(self):
        return self._result("train")

    def run_std_server(self):
        return self._result("run_std_server")

    def train_and_evaluate(self):
        return self._result("train_and_evaluate")

    def continuous_eval(self):
        return self._result("continuous_eval")

    def simple_task(self):
        return f"simple_task, default={self.default}."


_HPARAMS = HParams(learning_rate=0.01)


def build_experiment(output_dir):
    return TestExperiment(model_dir=output_dir)


def build_experiment_for_run_config(run_config, hparams):
    if hparams is not None and hparams is not _HPARAMS:
        raise ValueError("hparams is not set correctly")
    return TestExperiment(config=run_config)


def build_non_experiment(*args, **kwargs):
    del args, kwargs
    return "Ceci n'est pas un Experiment."


@pytest.fixture
def tf_config(monkeypatch):
    def set_config(value):
        monkeypatch.setenv("TF_CONFIG", json.dumps(value))
    return set_config


@pytest.fixture
def model_dir(tmp_path):
    return str(tmp_path)


# ------------------------------------------------------------------ output_dir form

def test_output_dir_custom_schedule(model_dir):
    assert learn_runner.run(build_experiment, output_dir=model_dir,
                            schedule="simple_task") == "simple_task, default=None."


def test_output_dir_explicit_local_run(model_dir):
    assert learn_runner.run(build_experiment, output_dir=model_dir,
                            schedule="local_run") == "local_run-" + model_dir


def test_output_dir_builder_is_called_by_keyword(model_dir):
    calls = []

    def keyword_only(*, output_dir):
        calls.append(output_dir)
        return TestExperiment(model_dir=output_dir)

    assert learn_runner.run(keyword_only, output_dir=model_dir, schedule="train") == "train-" + model_dir
    assert calls == [model_dir]


def test_output_dir_and_run_config_both_set(model_dir):
    with pytest.raises(ValueError, match=re.escape(MSG_BOTH_SET)):
        learn_runner.run(build_experiment, output_dir=model_dir, schedule="simple_task",
                         run_config=RunConfig(model_dir=model_dir))


def test_empty_output_dir():
    with pytest.raises(ValueError, match=re.escape(MSG_EMPTY_OUTPUT_DIR)):
        learn_runner.run(build_experiment, output_dir="", schedule="simple_task")


def test_no_output_dir_and_no_run_config():
    with pytest.raises(ValueError, match=re.escape(MSG_NONE_SET)):
        learn_runner.run(build_experiment, None, "simple_task")


def test_hparams_with_output_dir(model_dir):
    with pytest.raises(ValueError, match=re.escape(MSG_HPARAMS_WITH_OUTPUT_DIR)):
        learn_runner.run(build_experiment, output_dir=model_dir, schedule="simple_task",
                         hparams=_HPARAMS)


def test_output_dir_non_callable_builder(model_dir):
    with pytest.raises(TypeError, match=re.escape(MSG_NOT_CALLABLE)):
        learn_runner.run("not callable", output_dir=model_dir, schedule="simple_task")


def test_output_dir_builder_not_returning_experiment(model_dir):
    with pytest.raises(TypeError, match=re.escape(MSG_NOT_EXPERIMENT)):
        learn_runner.run(build_non_experiment, output_dir=model_dir, schedule="simple_task")


def test_output_dir_non_existent_task_lists_valid_schedules(model_dir):
    with pytest.raises(ValueError, match="^" + re.escape(MSG_NON_EXISTENT)) as err:
        learn_runner.run(build_experiment, output_dir=model_dir, schedule="mirage")
    for name in ("simple_task", "train", "train_and_evaluate", "run_std_server", "local_run"):
        assert name in str(err.value)
    assert "default" not in str(err.value).split(": ", 1)[1]  # not callable, not listed


def test_output_dir_non_callable_task(model_dir):
    with pytest.raises(TypeError, match="^" + re.escape(MSG_NON_CALLABLE_TASK) + "$"):
        learn_runner.run(build_experiment, output_dir=model_dir, schedule="default")


def test_check_order_both_set_before_callable(model_dir):
    with pytest.raises(ValueError, match=re.escape(MSG_BOTH_SET)):
        learn_runner.run("not callable", output_dir=model_dir,
                         run_config=RunConfig(model_dir=model_dir))
    with pytest.raises(ValueError, match=re.escape(MSG_NONE_SET)):
        learn_runner.run("not callable")


def test_check_order_callable_before_empty_output_dir():
    with pytest.raises(TypeError, match=re.escape(MSG_NOT_CALLABLE)):
        learn_runner.run("not callable", output_dir="")


# ------------------------------------------------------------------ run_config form

def test_run_config_custom_schedule(model_dir):
    assert learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                            schedule="simple_task") == "simple_task, default=None."


def test_run_config_with_hparams(model_dir):
    assert learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                            schedule="simple_task", hparams=_HPARAMS) == "simple_task, default=None."


def test_run_config_builder_is_called_positionally(model_dir):
    calls = []
    config = RunConfig(model_dir=model_dir)

    def positional(first, second, /):
        calls.append((first, second))
        return TestExperiment(config=first)

    learn_runner.run(positional, run_config=config, schedule="train", hparams=_HPARAMS)
    assert calls == [(config, _HPARAMS)]


def test_run_config_explicit_local_run(model_dir):
    assert learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                            schedule="local_run") == "local_run-" + model_dir


@pytest.mark.parametrize("config_kwargs", [{"model_dir": ""}, {}], ids=["empty", "none"])
def test_run_config_without_model_dir(config_kwargs):
    with pytest.raises(ValueError, match=re.escape(MSG_MODEL_DIR)) as err:
        learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(**config_kwargs),
                         schedule="local_run")
    # The r1.x test regex (pre-r1.2 wording) matches too.
    assert re.search(RE_OLD_MODEL_DIR, str(err.value))


def test_run_config_wrong_type(model_dir):
    with pytest.raises(ValueError, match=re.escape(MSG_RUN_CONFIG_TYPE)) as err:
        learn_runner.run(build_experiment_for_run_config, run_config="I am a RunConfig",
                         schedule="local_run")
    # The r1.2/r1.3 test regex matches too, and the message names what was given.
    assert re.search(RE_OLD_RUN_CONFIG_TYPE, str(err.value))
    assert "got builtins.str." in str(err.value)


def test_core_run_config_is_accepted_with_the_same_uid_check(model_dir, tmp_path):
    # Beyond r1.15 (the issue: a core RunConfig wherever r1.15 takes a contrib one).
    config = tf.estimator.RunConfig(model_dir=model_dir)
    assert learn_runner.run(build_experiment_for_run_config, run_config=config,
                            schedule="train") == "train-" + model_dir

    def whitelisted_change(run_config, hparams):
        return TestExperiment(config=run_config.replace(save_checkpoints_steps=7))

    assert learn_runner.run(whitelisted_change, run_config=config,
                            schedule="train") == "train-" + model_dir

    def other_model_dir(run_config, hparams):
        return TestExperiment(config=run_config.replace(model_dir=str(tmp_path / "other")))

    with pytest.raises(RuntimeError, match=re.escape(MSG_UID_MISMATCH)):
        learn_runner.run(other_model_dir, run_config=config, schedule="train")
    with pytest.raises(RuntimeError, match=re.escape(MSG_NO_UID)):
        learn_runner.run(lambda c, h: TestExperiment(config=None, model_dir=model_dir),
                         run_config=config, schedule="train")


def test_run_config_subclass_is_accepted(model_dir):
    class MyConfig(RunConfig):
        pass

    assert learn_runner.run(build_experiment_for_run_config, run_config=MyConfig(model_dir=model_dir),
                            schedule="train") == "train-" + model_dir


def test_invalid_hparams_type(model_dir):
    calls = []

    def builder(run_config, hparams):
        calls.append(1)
        return TestExperiment(config=run_config)

    with pytest.raises(ValueError, match=re.escape(MSG_HPARAMS_TYPE)):
        learn_runner.run(builder, run_config=RunConfig(model_dir=model_dir),
                         schedule="local_run", hparams=["hparams"])
    assert calls == []


def test_check_order_in_run_config_form(model_dir):
    # run_config type before model_dir before hparams (r1.15 wrapper order).
    with pytest.raises(ValueError, match=re.escape(MSG_RUN_CONFIG_TYPE)):
        learn_runner.run(build_experiment_for_run_config, run_config=object(), hparams=["x"])
    with pytest.raises(ValueError, match=re.escape(MSG_MODEL_DIR)):
        learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(), hparams=["x"])


def test_run_config_non_callable_builder(model_dir):
    with pytest.raises(TypeError, match=re.escape(MSG_NOT_CALLABLE)):
        learn_runner.run("not callable", run_config=RunConfig(model_dir=model_dir),
                         schedule="simple_task")


def test_run_config_builder_not_returning_experiment(model_dir):
    with pytest.raises(TypeError, match=re.escape(MSG_NOT_EXPERIMENT)):
        learn_runner.run(build_non_experiment, run_config=RunConfig(model_dir=model_dir),
                         schedule="simple_task")


def test_run_config_non_existent_task(model_dir):
    with pytest.raises(ValueError, match="^" + re.escape(MSG_NON_EXISTENT)):
        learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                         schedule="mirage")


def test_run_config_non_callable_task(model_dir):
    with pytest.raises(TypeError, match=re.escape(MSG_NON_CALLABLE_TASK)):
        learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                         schedule="default")


def test_uid_check_accepts_whitelisted_changes(model_dir):
    # r1.x's test_basic_run_config_uid_check expected a RuntimeError here: it predates
    # the uid whitelist (r1.2+). r1.15's code, followed here, accepts the config.
    def builder(run_config, hparams):
        del run_config, hparams
        return TestExperiment(config=RunConfig(model_dir=model_dir, save_checkpoints_steps=123))

    assert learn_runner.run(builder, run_config=RunConfig(model_dir=model_dir),
                            schedule="train") == "train-" + model_dir


def test_uid_check_accepts_replace_of_whitelisted_fields(model_dir):
    def builder(run_config, hparams):
        return TestExperiment(config=run_config.replace(save_checkpoints_steps=500,
                                                        tf_random_seed=3))

    assert learn_runner.run(builder, run_config=RunConfig(model_dir=model_dir),
                            schedule="train") == "train-" + model_dir


def test_uid_check_rejects_a_different_model_dir(model_dir, tmp_path):
    def builder(run_config, hparams):
        return TestExperiment(config=run_config.replace(model_dir=str(tmp_path / "other")))

    with pytest.raises(RuntimeError, match=re.escape(MSG_UID_MISMATCH)):
        learn_runner.run(builder, run_config=RunConfig(model_dir=model_dir), schedule="train")


@pytest.mark.parametrize("estimator_config", [None, "core"], ids=["none", "core"])
def test_uid_check_requires_a_config_with_uid(model_dir, estimator_config):
    def builder(run_config, hparams):
        config = (tf.estimator.RunConfig(model_dir=model_dir)
                  if estimator_config == "core" else None)
        return TestExperiment(config=config, model_dir=model_dir)

    with pytest.raises(RuntimeError, match=re.escape(MSG_NO_UID)):
        learn_runner.run(builder, run_config=RunConfig(model_dir=model_dir), schedule="train")


def test_run_returns_the_schedule_result(model_dir):
    result = object()

    class Exp(TestExperiment):
        def train(self):
            return result

    assert learn_runner.run(lambda c, h: Exp(config=c), run_config=RunConfig(model_dir=model_dir),
                            schedule="train") is result


# ------------------------------------------------------------------ default schedule

def _run_default(model_dir):
    return learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir))


@pytest.mark.parametrize("task_type, schedule", [
    ("worker", "train"), ("master", "train_and_evaluate"), ("ps", "run_std_server"),
])
def test_default_schedule_from_tf_config(tf_config, model_dir, task_type, schedule):
    tf_config({"cluster": _DISTRIBUTED_CLUSTER, "task": {"type": task_type, "index": 0}})
    assert _run_default(model_dir) == f"{schedule}-{model_dir}"


def test_no_schedule_and_no_config_runs_train_and_evaluate(model_dir):
    assert learn_runner.run(build_experiment, output_dir=model_dir) == "train_and_evaluate-" + model_dir


def test_no_schedule_and_non_distributed_runs_train_and_evaluate(tf_config, model_dir):
    tf_config({"cluster": {"foo": ["localhost:1"]}, "task": {"type": "foo", "index": 0}})
    assert _run_default(model_dir) == "train_and_evaluate-" + model_dir


def test_one_task_cluster_runs_train_and_evaluate_whatever_the_type(tf_config, model_dir):
    tf_config({"cluster": {"ps": ["localhost:1"]}, "task": {"type": "ps", "index": 0}})
    assert _run_default(model_dir) == "train_and_evaluate-" + model_dir


def test_task_type_with_no_default_schedule(tf_config, model_dir):
    tf_config({"cluster": _DISTRIBUTED_CLUSTER,
               "task": {"type": "foo_has_no_default_schedule", "index": 0}})
    with pytest.raises(ValueError, match=re.escape(MSG_NO_DEFAULT_SCHEDULE)):
        _run_default(model_dir)


def test_distributed_without_task_type(tf_config, model_dir):
    tf_config({"cluster": _DISTRIBUTED_CLUSTER})
    with pytest.raises(ValueError, match="^" + re.escape(MSG_MUST_SPECIFY_SCHEDULE) + "$"):
        _run_default(model_dir)


def test_explicit_schedule_wins_over_default(tf_config, model_dir):
    tf_config({"cluster": _DISTRIBUTED_CLUSTER, "task": {"type": "ps", "index": 0}})
    assert learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                            schedule="train") == "train-" + model_dir


# TF2 task types (extension beyond r1.15).

@pytest.mark.parametrize("task_type, schedule", [
    ("chief", "train_and_evaluate"), ("evaluator", "continuous_eval"), ("worker", "train"),
    ("ps", "run_std_server"),
])
def test_default_schedule_for_tf2_task_types(tf_config, model_dir, task_type, schedule):
    tf_config({"cluster": _TF2_CLUSTER, "task": {"type": task_type, "index": 0}})
    assert _run_default(model_dir) == f"{schedule}-{model_dir}"


def test_evaluator_in_legacy_cluster_runs_continuous_eval(tf_config, model_dir):
    tf_config({"cluster": _DISTRIBUTED_CLUSTER, "task": {"type": "evaluator", "index": 0}})
    assert _run_default(model_dir) == "continuous_eval-" + model_dir


def test_evaluator_next_to_a_single_chief_runs_continuous_eval(tf_config, model_dir):
    # The cluster has one task, so r1.15's rule says "not distributed"; an evaluator
    # must still not train into the chief's model_dir.
    tf_config({"cluster": {"chief": ["host0:2222"]}, "task": {"type": "evaluator", "index": 0}})
    assert _run_default(model_dir) == "continuous_eval-" + model_dir


def test_evaluator_without_cluster_keeps_r115_local_default(tf_config, model_dir):
    tf_config({"task": {"type": "evaluator", "index": 0}})
    assert _run_default(model_dir) == "train_and_evaluate-" + model_dir


@pytest.mark.parametrize("task_type, schedule", [
    ("chief", "train_and_evaluate"), ("evaluator", "continuous_eval"), ("worker", "train"),
])
def test_default_schedule_from_core_estimator_config(tf_config, model_dir, task_type, schedule):
    # output_dir form: the schedule comes from the estimator's (core) config. Core takes
    # the evaluator out of the cluster, which must not make it train.
    tf_config({"cluster": _TF2_CLUSTER, "task": {"type": task_type, "index": 0}})
    core_config = tf.estimator.RunConfig()
    assert learn_runner.run(lambda output_dir: TestExperiment(config=core_config, model_dir=output_dir),
                            output_dir=model_dir) == f"{schedule}-{model_dir}"


# ------------------------------------------------------------------ tune

class _FakeTuner:
    def __init__(self, trials, hparams):
        self._trials = trials
        self._hparams = hparams
        self.experiments = []

    def next_trial(self):
        self._trials -= 1
        return self._trials >= 0

    def run_experiment(self, experiment_fn):
        config = RunConfig(model_dir="/tmp/tune_trial")
        self.experiments.append(experiment_fn(config, self._hparams))


def test_tune_runs_one_experiment_per_trial():
    tuner = _FakeTuner(trials=3, hparams=_HPARAMS)
    assert learn_runner.tune(build_experiment_for_run_config, tuner) is None
    assert len(tuner.experiments) == 3
    assert all(isinstance(e, TestExperiment) for e in tuner.experiments)


def test_tune_requires_hparams():
    with pytest.raises(ValueError, match=re.escape(MSG_HPARAMS_NONE)):
        learn_runner.tune(build_experiment_for_run_config, _FakeTuner(trials=1, hparams=None))


def test_tune_applies_the_uid_check():
    def builder(run_config, hparams):
        return TestExperiment(config=RunConfig(model_dir="/tmp/elsewhere"))

    with pytest.raises(RuntimeError, match=re.escape(MSG_UID_MISMATCH)):
        learn_runner.tune(builder, _FakeTuner(trials=1, hparams=_HPARAMS))


# ------------------------------------------------------------------ surface, warnings

def test_public_surface():
    assert learn_runner.__all__ == ["run", "tune"]


@pytest.mark.parametrize("name, call", [
    ("run", lambda d: learn_runner.run(build_experiment, output_dir=d, schedule="train")),
    ("tune", lambda d: learn_runner.tune(build_experiment_for_run_config, _FakeTuner(0, _HPARAMS))),
], ids=["run", "tune"])
def test_deprecation_warnings(model_dir, name, call):
    _deprecation._reset_for_tests()
    pattern = rf"tf\.contrib\.learn\.learn_runner\.{name} .*tf\.estimator\.train_and_evaluate"
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning, match=pattern):
        call(model_dir)


# ------------------------------------------------------------------ real Estimator

@pytest.mark.integration
@pytest.mark.parametrize("config_cls", [RunConfig, tf.estimator.RunConfig], ids=["contrib", "core"])
def test_run_with_real_experiment_and_core_estimator(tmp_path, config_cls):
    from _tiny_model import eval_input_fn, model_fn, train_input_fn

    def experiment_fn(run_config, hparams):
        estimator = tf.estimator.Estimator(model_fn=model_fn, config=run_config)
        return Experiment(estimator, train_input_fn=train_input_fn, eval_input_fn=eval_input_fn,
                          train_steps=2, eval_steps=1, min_eval_frequency=0)

    config = config_cls(model_dir=str(tmp_path))
    eval_result, export_results = learn_runner.run(experiment_fn, run_config=config,
                                                   hparams=_HPARAMS)
    assert eval_result["global_step"] == 2
    assert export_results == []


# ------------------------------------------------------------------ bad schedules (issue 12)

# compat_learn's messages (r1.15 ran private members, and let hasattr's TypeError out).
MSG_PRIVATE_SCHEDULE = "Schedule references private member {}, which is not a schedule"
MSG_SCHEDULE_NOT_STR = "`schedule` must be the name of an Experiment method"


class _RecordingExperiment(TestExperiment):
    __test__ = False

    def _private_schedule(self):
        self.ran = True
        return "ran"


@pytest.mark.parametrize("schedule", ["__init__", "_call_train", "_private_schedule",
                                      "__class__"])
def test_private_members_are_not_run_as_schedules(model_dir, schedule):
    experiments = []

    def builder(output_dir):
        experiments.append(_RecordingExperiment(model_dir=output_dir))
        return experiments[-1]

    with pytest.raises(ValueError) as err:
        learn_runner.run(builder, output_dir=model_dir, schedule=schedule)
    assert str(err.value).startswith(MSG_PRIVATE_SCHEDULE.format(schedule))
    assert "train_and_evaluate" in str(err.value)  # the valid ones are listed
    assert not hasattr(experiments[0], "ran")


@pytest.mark.parametrize("schedule", [5, b"train", ["train"]], ids=["int", "bytes", "list"])
def test_a_schedule_that_is_not_a_str_is_named(model_dir, schedule):
    with pytest.raises(TypeError) as err:
        learn_runner.run(build_experiment, output_dir=model_dir, schedule=schedule)
    assert str(err.value).startswith(MSG_SCHEDULE_NOT_STR)
    assert repr(schedule) in str(err.value)


def test_an_empty_schedule_is_the_default_as_in_r115(model_dir, tf_config):
    # r1.15: `schedule or _get_default_schedule(...)`; '' is a common flag default.
    assert learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                            schedule="") == f"train_and_evaluate-{model_dir}"
    tf_config({"cluster": _DISTRIBUTED_CLUSTER, "task": {"type": "worker", "index": 1}})
    assert learn_runner.run(build_experiment_for_run_config, run_config=RunConfig(model_dir=model_dir),
                            schedule="") == f"train-{model_dir}"
