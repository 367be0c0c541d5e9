"""Legacy TF 1.x scripts (tests/migration/) run unmodified through the runner.

Each script is a separate ``python -m compat_learn run [--tf1] SCRIPT --output_dir DIR``
process (two at a time: each imports TensorFlow), with a hard timeout and killed by
its own pid when anything goes wrong. The tests assert on what each leaves behind:
checkpoints, evaluation and export directories, its printed RESULT line (return
values, hook calls) and its exit status.
"""

import ast
import json
import os
import re
import subprocess
import sys
import time
import types

import numpy as np
import pytest

from compat_learn import _checker

import _mnist_files
import _procs

pytestmark = pytest.mark.integration

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGRATION = os.path.join(ROOT, "tests", "migration")
TIMEOUT = 150  # seconds per script; generous for two loaded cores
PARALLEL = 2

# script -> (run with --tf1, extra arguments)
SCRIPTS = {
    "custom_model_fn": (True, []),
    "canned_estimator": (False, []),
    "runconfig_hparams": (True, ["--hparams", "learning_rate=0.05"]),
    "schedules": (True, []),
    "export_strategies": (True, []),
    "monitors_early_stop": (True, []),
    "eval_hooks": (True, []),
    "flags_app": (True, ["--hparams", "train_steps=12", "--exit_code", "3"]),
    "deep_imports": (True, []),
    "unsupported_symbol": (True, []),
    "slim_cnn": (True, []),
    "resnet_batchnorm": (True, []),
    "abalone_estimator": (True, []),
    "mnist_deep": (True, ["--data_dir", "mnist_data"]),
    "text_classification": (True, []),
    "char_rnn": (True, ["--data_dir", "char_rnn_data"]),
    "iris_quickstart": (True, []),
    "boston_input_fn": (True, []),
    "iris_monitors": (True, []),
    "wide_deep_census": (True, []),
    "criteo_tfrecords": (True, []),
}

# script -> arguments of its SECOND run: the same script started again, once its first
# run has ended, on the output_dir that run left (a user running it a second time).
SECOND_RUNS = {
    "iris_quickstart": [],
    "boston_input_fn": [],
    "iris_monitors": [],
    "wide_deep_census": ["--train_steps", "60"],
    "criteo_tfrecords": [],
}
SECOND = "#2"  # suffix of a second run's name in the fixture's results

# package directory -> (module started with `run --tf1 -m` from that directory, arguments)
MODULES = {
    "cloudml_census": ("trainer.task", [
        "--train-files", "data/adult.data.csv", "--eval-files", "data/adult.test.csv",
        "--train-steps", "30", "--eval-steps", "10", "--verbosity", "WARN", "--job-dir"]),
}


CRITEO_TRAIN_ROWS, CRITEO_EVAL_ROWS = 320, 80


def criteo_rows(n, seed):
    """Criteo-like click logs: (int features [n, 3], categorical [n, 2] str, labels [n])."""
    rng = np.random.RandomState(seed)
    ints = rng.randint(0, 5, size=(n, 3))
    categorical = np.stack([rng.choice(["a", "b", "c", "d"], n), rng.choice(["x", "y"], n)],
                           axis=1)
    # a click follows the first two counts and the second category
    clicked = (ints[:, 0] - ints[:, 1] + 2 * (categorical[:, 1] == "y") > 1).astype(np.int64)
    return ints, categorical, clicked


def write_criteo_tfrecords(base):
    """criteo_data/: two GZIP TFRecord shards of tf.train.Example to train, one to evaluate
    (as the Cloud ML samples' preprocessing left them)."""
    from compat_learn import _tf

    tf, directory = _tf.tf, base / "criteo_data"
    directory.mkdir()
    for name, n, seed, shards in (("train", CRITEO_TRAIN_ROWS, 0, 2), ("eval", CRITEO_EVAL_ROWS, 1, 1)):
        ints, categorical, clicked = criteo_rows(n, seed)
        for shard in range(shards):
            path = str(directory / ("%s-%05d-of-%05d.tfrecord.gz" % (name, shard, shards)))
            with tf.io.TFRecordWriter(path, options="GZIP") as writer:
                for i in range(shard, n, shards):
                    feature = {"int-feature-%d" % (j + 1): tf.train.Feature(
                        int64_list=tf.train.Int64List(value=[v])) for j, v in enumerate(ints[i])}
                    feature.update({"categorical-feature-%d" % (j + 4): tf.train.Feature(
                        bytes_list=tf.train.BytesList(value=[v.encode()]))
                        for j, v in enumerate(categorical[i])})
                    feature["clicked"] = tf.train.Feature(
                        int64_list=tf.train.Int64List(value=[clicked[i]]))
                    writer.write(tf.train.Example(
                        features=tf.train.Features(feature=feature)).SerializeToString())


def write_char_rnn_text(data_dir):
    data_dir.mkdir()
    (data_dir / "input.txt").write_text("hello tensorflow world. " * 40, encoding="utf-8")


# script -> function(working directory) that writes the script's input data first
PREPARE = {
    # 5000 validation examples (read_data_sets' default) + 200 to train; 100 to test.
    "mnist_deep": lambda base: _mnist_files.write_mnist(str(base / "mnist_data"),
                                                        n_train=5200, n_test=100),
    # GZIP TFRecord shards of tf.train.Example under criteo_data/
    "criteo_tfrecords": write_criteo_tfrecords,
    # char-rnn's data_dir: the text to learn, as input.txt
    "char_rnn": lambda base: write_char_rnn_text(base / "char_rnn_data"),
}


class Run:
    def __init__(self, name, output_dir, proc):
        self.name, self.output_dir, self.proc = name, output_dir, proc
        self.started = time.monotonic()
        self.returncode = self.out = self.err = None

    @property
    def result(self):
        lines = [line for line in self.out.splitlines() if line.startswith("RESULT ")]
        assert lines, f"{self.name} printed no RESULT line:\n{self.err[-3000:]}"
        return json.loads(lines[-1][len("RESULT "):])

    def path(self, *parts):
        return os.path.join(self.output_dir, *parts)


def _start(name, base):
    script, second = name[:-len(SECOND)], name.endswith(SECOND)
    if not second:
        script = name
    output_dir = str(base / script)
    cwd = str(base)
    if second:
        tf1, extra = SCRIPTS[script]
        argv = [sys.executable, "-m", "compat_learn", "run"] + (["--tf1"] if tf1 else []) + \
            [os.path.join(MIGRATION, script + ".py"), "--output_dir", output_dir] + \
            extra + SECOND_RUNS[script]
    elif name in MODULES:  # a trainer package, from its parent directory as Cloud ML ran it
        module, extra = MODULES[name]
        argv = [sys.executable, "-m", "compat_learn", "run", "--tf1", "-m", module] + \
            extra + [output_dir]
        cwd = os.path.join(MIGRATION, name)
    else:
        tf1, extra = SCRIPTS[name]
        argv = [sys.executable, "-m", "compat_learn", "run"] + (["--tf1"] if tf1 else []) + \
            [os.path.join(MIGRATION, name + ".py"), "--output_dir", output_dir] + extra
    if name in PREPARE:
        PREPARE[name](base)
    env = _procs.python_env()
    # stdout/stderr go to files: a full pipe must never block a script.
    # Closed by _finish once the process has ended.
    out = open(str(base / (name + ".out")), "w+")
    err = open(str(base / (name + ".err")), "w+")
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
    proc.files = (out, err)
    return Run(name, output_dir, proc)


def _finish(run):
    out, err = run.proc.files
    for f in (out, err):
        f.flush()
        f.seek(0)
    run.returncode, run.out, run.err = run.proc.returncode, out.read(), err.read()
    out.close()
    err.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("migration")
    pending, running, done = list(SCRIPTS) + list(MODULES), [], {}
    try:
        while pending or running:
            while pending and len(running) < PARALLEL:
                running.append(_start(pending.pop(0), base))
            time.sleep(0.1)
            for run in list(running):
                if run.proc.poll() is not None:
                    running.remove(run)
                    _finish(run)
                    done[run.name] = run
                    if run.name in SECOND_RUNS:
                        pending.insert(0, run.name + SECOND)
                elif time.monotonic() - run.started > TIMEOUT:
                    run.proc.kill()
                    run.proc.wait()
                    running.remove(run)
                    _finish(run)
                    run.returncode = "timeout"
                    done[run.name] = run
    finally:
        for run in running:  # an exception above: leave nothing behind
            run.proc.kill()
            run.proc.wait()
            _finish(run)
    return done


def ok(runs, name):
    run = runs[name]
    assert run.returncode == 0, f"{name} exited {run.returncode}:\n{run.err[-4000:]}"
    return run


def _checkpoints(run):
    return sorted(int(m.group(1)) for f in os.listdir(run.output_dir)
                  for m in [re.match(r"model\.ckpt-(\d+)\.index$", f)] if m)


def test_custom_model_fn_with_tf_layers_optimizers_and_contrib_helpers(runs):
    run = ok(runs, "custom_model_fn")
    result = run.result
    assert result["global_step"] == 30
    assert result["metrics"] == ["accuracy", "auc", "loss", "mean_label"]
    assert result["export_results"] == []
    assert _checkpoints(run)[-1] == 30
    assert os.listdir(run.path("eval"))


def test_canned_estimator_through_learn_runner_output_dir_without_tf1(runs):
    run = ok(runs, "canned_estimator")
    result = run.result
    assert result == {"global_step": 25, "has_accuracy": True, "tf_is_v1": False}
    assert _checkpoints(run)[-1] == 25
    assert os.listdir(run.path("eval"))


def test_learn_runner_with_run_config_and_hparams(runs):
    run = ok(runs, "runconfig_hparams")
    result = run.result
    assert result["learning_rate"] == 0.05  # parsed from --hparams
    assert result["model_dir"] == run.output_dir
    assert result["save_checkpoints_steps"] == 10
    assert result["global_step"] == 40
    assert result["is_contrib_runconfig"] is True
    assert 40 in _checkpoints(run) and 10 in _checkpoints(run)


def test_every_local_schedule(runs):
    run = ok(runs, "schedules")
    result = run.result
    assert result["train"] == "Estimator" and result["train_latest"] == 20
    assert result["evaluate"] == 20
    assert result["test"] == 21  # test() trains one step, then evaluates
    assert result["continuous_eval"] is None  # stops: global_step >= train_steps
    assert result["train_and_evaluate"] == 21  # already past train_steps: no training
    assert result["continuous_train_and_eval"] == result["continuous_train_and_eval_latest"]
    assert result["continuous_train_and_eval"] > 21
    for eval_dir in ("eval_one_pass", "eval_continuous", "eval"):
        assert os.listdir(run.path(eval_dir)), eval_dir


def test_export_strategies_write_servo_and_keep_the_last_n(runs):
    run = ok(runs, "export_strategies")
    result = run.result
    servo = result["servo"]
    assert len(servo) == 2 and all(d.isdigit() for d in servo)  # exports_to_keep=2
    for export in servo:
        assert os.path.isfile(run.path("export", "Servo", export, "saved_model.pb"))
    assert result["export_results"] == [run.path("export", "Servo", servo[-1]), "recorded"]
    assert [c["step"] for c in result["recorder_calls"]] == [10, 20, 30]
    assert {c["path"] for c in result["recorder_calls"]} == {run.path("export", "recorder")}


def test_monitors_early_stopping_every_n_and_hooks(runs):
    run = ok(runs, "monitors_early_stop")
    result = run.result
    assert result["early_stopped"] is True
    assert result["final_step"] < 1000
    assert result["best_step"] < result["final_step"]
    assert result["counts"]["every_n"][:1] == [1]
    assert result["counts"]["hook_begin"] == 1
    assert result["counts"]["hook_after_run"] == result["final_step"]


def test_eval_hooks_and_continuous_eval_predicate(runs):
    run = ok(runs, "eval_hooks")
    result = run.result
    assert result["eval_begin"] == result["eval_end"] == 2  # evaluate + one continuous
    assert result["predicate"] == [False, True]
    assert result["named_step"] == 15
    assert os.listdir(run.path("eval_holdout"))
    assert os.listdir(run.path("eval_continuous"))


def test_tf_app_flags_and_exit_status(runs):
    run = runs["flags_app"]
    assert run.returncode == 3, run.err[-4000:]
    assert run.result == {"global_step": 12, "train_steps": 12}


def test_deep_import_paths_and_contrib_estimator(runs):
    run = ok(runs, "deep_imports")
    result = run.result
    assert result == {"loss_key": True, "global_step": 12, "trainable": True,
                      "evaluable": True, "environment": "local", "problem_type": 1,
                      "exported": [True]}


def test_unsupported_symbol_fails_at_its_line_naming_the_replacement(runs):
    run = runs["unsupported_symbol"]
    assert run.returncode == 1
    assert run.out.strip().splitlines()[-1] == "before"
    tail = run.err.strip().splitlines()
    script = os.path.join(MIGRATION, "unsupported_symbol.py")
    assert f'  File "{script}", line 7, in <module>' in run.err
    # A module whose kernels TF 2.15 lacks; docs/migration.md gives the reason.
    assert tail[-1].startswith("AttributeError: `tf.contrib.tensor_forest` is not supported by "
                               "compat_learn. Nearest TF2 replacement: tensorflow_decision_forests "
                               "(impossible on TF 2.15: r1.15's forest kernels")


def test_cloudml_trainer_package_started_with_run_m(runs):
    run = ok(runs, "cloudml_census")
    result = run.result
    package = os.path.join(MIGRATION, "cloudml_census", "trainer")
    # python -m semantics: the module's file as argv[0], its package, its sibling module
    assert result["argv0"] == os.path.join(package, "task.py")
    assert result["package"] == "trainer" and result["model_module"] == "trainer.model"
    assert result["graph_mode"] is True  # --tf1
    # np.int, which --tf1 restores: int(16 * 0.5 ** i) for two layers
    assert result["hidden_units"] == [16, 8]
    assert result["global_step"] == 30
    assert _checkpoints(run)[-1] == 30
    assert os.listdir(run.path("eval"))
    # one export, after the final evaluation, kept by exports_to_keep=1
    [export] = result["exports"]
    assert export.startswith(os.path.join("export", "Servo", ""))
    assert os.listdir(run.path("export", "Servo")) == [os.path.basename(export)]
    assert os.path.isfile(run.path(export, "saved_model.pb"))


def test_checker_reports_every_contrib_use_of_the_scripts():
    reports = _checker.check_paths([MIGRATION])
    assert sorted(os.path.relpath(r.path, MIGRATION) for r in reports) == sorted(
        [name + ".py" for name in SCRIPTS] +
        [os.path.join(package, "trainer", f) for package in MODULES
         for f in ("__init__.py", "model.py", "task.py")])
    for report in reports:
        assert report.error is None
        with open(report.path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        docstrings = set()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                docstrings.update(range(node.lineno, node.end_lineno + 1))
        code_lines = {i + 1 for i, line in enumerate(lines)
                      if "contrib" in line.split("#")[0] and i + 1 not in docstrings}
        reported = {u.line for u in report.uses if u.name.startswith("tf.contrib")}
        assert code_lines <= reported, (report.path, sorted(code_lines - reported))
        unsupported = [u.name for u in report.uses if u.status == "unsupported"]
        if report.path.endswith("unsupported_symbol.py"):
            assert unsupported == ["tf.contrib.tensor_forest.python.tensor_forest.ForestHParams"]
        else:
            assert unsupported == [], report.path


def test_abalone_contrib_estimator_with_contrib_layers_losses_and_metrics(runs):
    run = ok(runs, "abalone_estimator")
    result = run.result
    assert result["fit_returns_estimator"] is True
    assert result["global_step"] == 61 and result["older_global_step"] == 20
    assert result["loss"] < result["first_loss"] / 5  # optimize_loss trained it
    ages, targets = np.array(result["ages"]), np.array(result["test_targets"])
    assert len(ages) == len(targets) == 100
    # One evaluation step covers the whole test set (r1.15: batch_size = len(x)), so
    # the loss and metrics are those of the predictions, recomputed here with numpy.
    assert result["loss"] == pytest.approx(((ages - targets) ** 2).mean(), rel=1e-3)
    assert result["rmse"] == pytest.approx(np.sqrt(((ages - targets) ** 2).mean()), rel=1e-3)
    assert result["pearson"] == pytest.approx(np.corrcoef(ages, targets)[0, 1], rel=1e-3)
    assert result["extra_mae"] == pytest.approx(np.abs(ages - targets).mean(), rel=1e-3)
    assert result["extra_keys"] == ["covariance", "global_step", "loss", "mae", "pearson",
                                    "rmse"]
    assert result["older_keys"] == ["global_step", "loss", "rmse"]
    assert result["older_predictions"] == 100
    assert _checkpoints(types.SimpleNamespace(output_dir=run.path("abalone")))[-1] == 61


def test_slim_cnn_with_optimize_loss_and_optimizer_names(runs):
    run = ok(runs, "slim_cnn")
    result = run.result
    assert result["global_step"] == 40
    assert result["accuracy"] >= 0.9  # two bright corners: trivially separable
    assert result["optimizers"] == ["Adagrad", "Adam", "Ftrl", "Momentum", "RMSProp", "SGD"]
    # r1.15's names: slim's scopes, optimize_loss's OptimizeLoss scope with its
    # learning_rate variable, and the optimizer's slots under it.
    for name in ("conv1/weights", "conv2/biases", "fc3/weights", "fc4/biases", "global_step",
                 "OptimizeLoss/learning_rate", "OptimizeLoss/conv1/weights/Adam",
                 "OptimizeLoss/beta1_power"):
        assert name in result["variables"], name
    assert {"OptimizeLoss/loss", "OptimizeLoss/learning_rate_1",
            "OptimizeLoss/global_norm/gradient_norm",
            "OptimizeLoss/global_norm/clipped_gradient_norm",
            "OptimizeLoss/gradient_norm/fc4/weights_0"} <= set(result["summaries"])
    assert {20, 40} <= set(_checkpoints(run))
    assert os.listdir(run.path("eval"))


def test_resnet_model_fn_with_batch_norm_and_a_contrib_data_pipeline(runs):
    run = ok(runs, "resnet_batchnorm")
    result = run.result
    assert result["global_step"] == 30
    assert result["accuracy"] >= 0.9  # the class is a brighter channel
    scopes = ["block1/bn1", "block1/bn2", "block2/bn1", "block2/bn2", "final_bn"]
    assert result["batch_norm_variables"] == [
        f"{scope}/{name}" for scope in scopes
        for name in ("beta", "gamma", "moving_mean", "moving_variance")]
    # updates_collections=None (final_bn) updates in place: nothing in UPDATE_OPS.
    assert result["update_ops"] == [f"{scope}/AssignMovingAvg{suffix}"
                                    for scope in scopes[:4] for suffix in ("", "_1")]
    assert result["moving_mean_moved"] == {"block1/bn1/moving_mean": True,
                                           "final_bn/moving_mean": True}
    assert _checkpoints(run)[-1] == 30


def test_tutorial_cnn_on_read_data_sets_through_tensorflow_examples(runs):
    run = ok(runs, "mnist_deep")
    result = run.result
    assert result["num_examples"] == [200, 5000, 100]
    assert result["batch_shapes"] == [[50, 784], [50, 10]]
    assert result["pixel_range"][0] == 0.0 and result["pixel_range"][1] <= 1.0
    assert result["epochs_completed"] == 14  # 60 batches of 50 over 200 examples
    assert result["test_accuracy"] > 0.5  # the fake digits are learnable; chance is 0.1
    assert _checkpoints(run) == [60]
    assert "Extracting mnist_data/train-images-idx3-ubyte.gz" in run.out


def test_text_classifier_with_vocabulary_processor_learn_ops_and_models(runs):
    run = ok(runs, "text_classification")
    result = run.result
    assert result["dbpedia_titles"] == ["Google", "Larry Page", "Time"]
    assert result["x_train_shape"] == [150, 8]
    assert result["restored_vocabulary"] == result["n_words"] > 20
    reversed_doc = result["reverse"].split()  # 7 words, then padding
    assert len(reversed_doc) == 8 and reversed_doc[-1] == "<UNK>"
    assert result["predictions"] == 30
    assert result["accuracy"] > 0.8  # three topics told apart by their words; chance 1/3
    assert _checkpoints(run)[-1] == 100
    assert os.path.isfile(run.path("vocab"))


# The TF 1.x tutorials' canned estimators (issue 10), each run twice on one output_dir.

def _first_and_second(runs, name):
    return ok(runs, name), ok(runs, name + SECOND)


def test_iris_quickstart_dnn_classifier_twice(runs):
    first, second = _first_and_second(runs, "iris_quickstart")
    for run, start in ((first.result, 0), (second.result, 250)):
        # 200 steps on the input_fn, then 50 on x / y, on from the saved step
        assert run["start_step"] == start and run["global_step"] == start + 250
        assert run["hidden_shapes"] == [[4, 10], [10, 20], [20, 10]]
        assert run["older_keys"] == ["accuracy", "global_step", "loss"]
        classes, targets = np.array(run["test_classes"]), np.array(run["test_targets"])
        probabilities = np.array(run["test_probabilities"])
        # evaluate covers the whole test set in one batch: recomputed from predictions
        assert run["accuracy"] == pytest.approx((classes == targets).mean(), abs=1e-6)
        assert run["older_accuracy"] == run["accuracy"]
        assert (probabilities.argmax(axis=1) == classes).all()
        assert run["older_loss"] == pytest.approx(
            -np.log(probabilities[np.arange(len(targets)), targets]).mean(), rel=1e-4)
        assert run["predictions"] == run["older_predictions"]
        assert np.allclose(np.array(run["probabilities"]).sum(axis=1), 1.0, atol=1e-5)
    assert first.result["accuracy"] > 0.6  # three separable species: chance is 1/3
    assert second.result["older_loss"] < first.result["older_loss"]
    assert second.result["accuracy"] >= 0.8
    assert second.result["predictions"] == [0, 2]  # at the setosa / virginica centres
    assert _checkpoints(second)[-1] == 500


def test_boston_input_fn_dnn_regressor_on_int64_and_float64_tensors_twice(runs):
    first, second = _first_and_second(runs, "boston_input_fn")
    for run, step in ((first.result, 40), (second.result, 80)):
        assert run["global_step"] == step
        assert run["eval_keys"] == ["global_step", "loss"]
        assert run["input_layer_rows"] == 13  # one real_valued_column per feature
        predictions, targets = np.array(run["test_predictions"]), np.array(run["test_targets"])
        assert len(predictions) == len(targets) == 106
        assert run["loss"] == pytest.approx(((predictions - targets) ** 2).mean(), rel=1e-3)
        assert run["predictions"] == run["test_predictions"][:6]
        # 40 unseeded Adagrad steps on unscaled features (the tutorial's own setup) give
        # anything from ~30 to ~600: how good the fit is, is chance and not asserted.
        assert np.isfinite(run["loss"])
    assert _checkpoints(second)[-1] == 80
    assert os.listdir(second.path("eval"))


def test_iris_monitors_validation_metric_specs_and_early_stopping_twice(runs):
    first, second = _first_and_second(runs, "iris_monitors")
    for run in (first, second):
        result = run.result
        assert result["early_stopped"] is True
        assert result["best_step"] + 200 <= result["global_step"] < 20000
        ev = result["eval"]
        assert sorted(ev) == ["accuracy", "global_step", "loss", "precision", "recall"]
        classes, targets = np.array(result["test_classes"]), np.array(result["test_targets"])
        # MetricSpec on the "classes" prediction, recomputed: streaming_precision and
        # streaming_recall take the class ids as booleans, as r1.15's tutorial did.
        assert ev["accuracy"] == pytest.approx((classes == targets).mean(), abs=1e-6)
        true_positives = ((classes != 0) & (targets != 0)).sum()
        assert ev["precision"] == pytest.approx(true_positives / (classes != 0).sum())
        assert ev["recall"] == pytest.approx(true_positives / (targets != 0).sum())
        assert ev["accuracy"] > 0.5
        validations = [line for line in run.err.splitlines()
                       if "Validation (step" in line and "accuracy = " in line
                       and "precision = " in line and "recall = " in line]
        assert len(validations) >= 2
        assert "Stopping. Best step: %d with loss = " % result["best_step"] in run.err
    # the second run validates first on the first run's last checkpoint, then trains on
    assert second.result["best_step"] > first.result["global_step"]
    assert second.result["global_step"] > first.result["best_step"] + 200
    assert _checkpoints(second)[-1] == second.result["global_step"]


def test_wide_and_deep_census_in_an_experiment_with_export_twice(runs):
    first, second = _first_and_second(runs, "wide_deep_census")
    # r1.15's DNNLinearCombinedClassifier (fix_global_step_increment_bug=False) counts
    # two global steps per step, from two optimizers' increments that race: the stop
    # hook may read the step between them, so max_steps=30 stops at 30 or at 32, as in
    # TF 1.x.
    for run, target in ((first, 30), (second, 60)):
        result = run.result
        assert result["global_step"] in (target, target + 2)
        assert result["eval_keys"] == [
            "accuracy", "accuracy/baseline_label_mean", "accuracy/threshold_0.500000_mean",
            "auc", "auc_precision_recall", "global_step", "labels/actual_label_mean",
            "labels/prediction_mean", "loss", "precision/positive_threshold_0.500000_mean",
            "recall/positive_threshold_0.500000_mean"]
        classes, labels = np.array(result["test_classes"]), np.array(result["test_labels"])
        assert result["accuracy"] == pytest.approx((classes == labels).mean(), abs=1e-6)
        # the export serves the estimator's own probabilities, fed tf.Examples
        assert np.allclose(result["served_scores"], result["probabilities"], atol=1e-5)
        [export] = result["exports"]
        assert os.path.isfile(run.path(export, "saved_model.pb"))
    # the second run's directory: both runs' exports and checkpoints
    assert sorted(os.listdir(second.path("export", "Servo"))) == [
        os.path.basename(first.result["exports"][0]),
        os.path.basename(second.result["exports"][0])]
    assert {first.result["global_step"], second.result["global_step"]} <= set(_checkpoints(second))
    majority = max(labels.mean(), 1 - labels.mean())
    assert second.result["accuracy"] > majority


def test_cloudml_criteo_tfrecord_trainer_reads_until_its_epochs_run_out_twice(runs):
    first, second = _first_and_second(runs, "criteo_tfrecords")
    _, _, labels = criteo_rows(CRITEO_EVAL_ROWS, seed=1)
    # no train_steps: fit ends at the OutOfRangeError of --num_epochs 3 over 320 records
    # in batches of 32 (r1.15), then goes on from the saved step on the second run
    for run, step in ((first, 30), (second, 60)):
        result = run.result
        assert result["global_step"] == step
        # predict read the eval file once, in its order; evaluate saw each record once
        classes = np.array(result["predicted_classes"])
        assert len(classes) == len(labels)
        assert result["accuracy"] == pytest.approx((classes == labels).mean(), abs=1e-6)
    assert _checkpoints(second)[-2:] == [30, 60]  # both runs' last checkpoints, one directory
    # exports_to_keep=1: the second run's export replaced the first run's
    [first_export], [export] = first.result["exports"], second.result["exports"]
    assert os.listdir(second.path("export", "Servo")) == [os.path.basename(export)]
    assert first_export != export
    assert os.path.isfile(second.path(export, "saved_model.pb"))
    assert second.result["accuracy"] > max(labels.mean(), 1 - labels.mean())


def test_char_rnn_legacy_seq2seq_session_loop_and_contrib_estimator_with_rnn_cells(runs):
    run = ok(runs, "char_rnn")
    lm, classifier = run.result["char_rnn"], run.result["classifier"]
    # The session loop: 4 epochs of 24 batches, state carried across batches.
    assert lm["steps"] == 96
    assert lm["losses"][1] < lm["losses"][0] / 4
    # r1.15's checkpoint names for MultiRNNCell(BasicLSTMCell) under rnn_decoder(scope=)
    assert lm["variables"] == [
        "Variable", "rnnlm/embedding",
        "rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/bias",
        "rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/kernel",
        "rnnlm/multi_rnn_cell/cell_1/basic_lstm_cell/bias",
        "rnnlm/multi_rnn_cell/cell_1/basic_lstm_cell/kernel",
        "rnnlm/softmax_b", "rnnlm/softmax_w"]
    # the one-character model restored the checkpoint and continues the learned text
    assert len(lm["sample"]) == 30 and lm["sample"] in "hello tensorflow world. " * 3
    # rnn_decoder's loop_function fed each argmax back: one run, the same greedy text
    assert lm["loop_sample"] == lm["sample"][len("hello "):]
    # TextLoader's preprocessed files and the sampler's pickles
    data_dir = os.path.join(os.path.dirname(run.output_dir), "char_rnn_data")
    assert sorted(os.listdir(data_dir)) == ["data.npy", "input.txt", "vocab.pkl"]
    assert {"config.pkl", "chars_vocab.pkl", "checkpoint"} <= set(os.listdir(
        run.path("char_rnn")))
    # TF 1.1's character-RNN classifier: GRUCell in a contrib Estimator model_fn
    assert classifier["global_step"] == 40 and classifier["predictions"] == 30
    assert classifier["variables"] == ["rnn/gru_cell/candidate/bias", "rnn/gru_cell/candidate/kernel",
                                       "rnn/gru_cell/gates/bias", "rnn/gru_cell/gates/kernel"]
    assert classifier["accuracy"] > 0.8  # chance 1/3
    assert os.path.isfile(run.path("classifier", "model.ckpt-40.index"))
    # The time-series tutorial: OutputProjectionWrapper(BasicRNNCell) under dynamic_rnn
    series = run.result["time_series"]
    assert series["variables"] == [
        "rnn/output_projection_wrapper/basic_rnn_cell/bias",
        "rnn/output_projection_wrapper/basic_rnn_cell/kernel",
        "rnn/output_projection_wrapper/bias", "rnn/output_projection_wrapper/kernel"]
    assert series["mse"][1] < series["mse"][0] / 10
