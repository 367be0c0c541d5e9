"""The contrib DNN estimators (compat_learn.estimators.dnn) against r1.15's dnn.py.

The networks are r1.15's: variable names, shapes, collections and initial values are
checked on the graph, and evaluate / predict on a checkpoint written with TF 1.x's
variable names (plain tf.compat.v1 variables, as a TF 1.x model_dir holds them) are
checked against a numpy forward pass of the same weights.
"""

import os

import numpy as np
import pytest

from compat_learn._tf import tf
from compat_learn.estimators import dnn
from compat_learn.estimators import head as head_lib
from compat_learn.estimators.model_fn import ModeKeys
from compat_learn.layers import feature_column as fc

v1 = tf.compat.v1

X = np.random.RandomState(0).rand(8, 3).astype(np.float32)
Y_CLASS = (X[:, 0] > .5).astype(np.int64)
Y_REG = (X @ np.array([1., -2., .5], np.float32) + .3).astype(np.float32)


def _input_fn(y):
    def input_fn():
        return {"x": tf.constant(X)}, tf.constant(y)
    return input_fn


def _columns():
    return [fc.real_valued_column("x", dimension=3)]


def _global_vars():
    return {v.name: v for v in v1.global_variables()}


def _model_fn_graph(estimator, mode=ModeKeys.TRAIN, y=Y_CLASS):
    """Builds the estimator's model_fn in a fresh graph; returns the ModelFnOps."""
    v1.train.create_global_step()
    features, labels = _input_fn(y)()
    return estimator.model_fn(features, labels, mode, estimator.config)


def test_dnn_graph_has_r115_variable_names_shapes_and_initial_biases(tmp_path):
    estimator = dnn.DNNClassifier(hidden_units=[4, 2], feature_columns=_columns(),
                                  model_dir=str(tmp_path))
    with tf.Graph().as_default(), v1.Session() as sess:
        ops = _model_fn_graph(estimator)
        variables = _global_vars()
        shapes = {name: tuple(v.shape) for name, v in variables.items()
                  if "Adagrad" not in name}
        assert shapes == {
            "global_step:0": (),
            "dnn/hiddenlayer_0/weights/part_0:0": (3, 4),
            "dnn/hiddenlayer_0/biases/part_0:0": (4,),
            "dnn/hiddenlayer_1/weights/part_0:0": (4, 2),
            "dnn/hiddenlayer_1/biases/part_0:0": (2,),
            "dnn/logits/weights/part_0:0": (2, 1),
            "dnn/logits/biases/part_0:0": (1,),
            # optimize_loss(name="dnn") inside the head's scope, as r1.15 built it.
            "dnn/binary_logistic_head/dnn/learning_rate:0": (),
        }
        # Every model weight has an Adagrad slot (r1.15's default optimizer).
        assert sum("Adagrad" in name for name in variables) == 6
        # The "dnn" collection is what optimize_loss trains (r1.15 weight collections).
        assert {v.name for v in v1.get_collection("dnn")} >= {
            "dnn/hiddenlayer_0/weights/part_0:0", "dnn/logits/biases/part_0:0"}
        sess.run(v1.global_variables_initializer())
        assert sess.run(variables["dnn/binary_logistic_head/dnn/learning_rate:0"]) == (
            pytest.approx(0.05))
        for name in ("dnn/hiddenlayer_0/biases/part_0:0", "dnn/logits/biases/part_0:0"):
            assert not sess.run(variables[name]).any()
        assert ops.train_op is not None


def test_centered_bias_variable_is_r115s(tmp_path):
    estimator = dnn.DNNRegressor(hidden_units=[2], feature_columns=_columns(),
                                 model_dir=str(tmp_path), enable_centered_bias=True)
    with tf.Graph().as_default():
        _model_fn_graph(estimator, ModeKeys.EVAL, Y_REG)
        assert "dnn/regression_head/centered_bias_weight:0" in _global_vars()


def _r1x_checkpoint(model_dir, weights, global_step):
    """Writes a TF 1.x-style checkpoint: plain variables under r1.x's names."""
    with tf.Graph().as_default(), v1.Session() as sess:
        variables = [v1.Variable(value, name=name) for name, value in weights.items()]
        variables.append(v1.Variable(np.int64(global_step), name="global_step"))
        sess.run(v1.global_variables_initializer())
        v1.train.Saver(variables).save(sess, os.path.join(model_dir, "model.ckpt"),
                                       global_step=global_step)


def _relu(x):
    return np.maximum(x, 0.)


@pytest.mark.parametrize("activation_fn, numpy_fn", [
    (tf.nn.relu, lambda x: np.maximum(x, 0.)), ("tanh", np.tanh)], ids=["relu", "tanh"])
def test_evaluate_and_predict_on_a_tf1_model_dir_match_a_numpy_forward_pass(
        tmp_path, activation_fn, numpy_fn):
    rng = np.random.RandomState(1)
    weights = {
        "dnn/hiddenlayer_0/weights": rng.randn(3, 4).astype(np.float32),
        "dnn/hiddenlayer_0/biases": rng.randn(4).astype(np.float32),
        "dnn/logits/weights": rng.randn(4, 1).astype(np.float32),
        "dnn/logits/biases": rng.randn(1).astype(np.float32),
    }
    _r1x_checkpoint(str(tmp_path), weights, global_step=7)
    hidden = numpy_fn(X @ weights["dnn/hiddenlayer_0/weights"]
                      + weights["dnn/hiddenlayer_0/biases"])
    scores = (hidden @ weights["dnn/logits/weights"] + weights["dnn/logits/biases"]).ravel()

    estimator = dnn.DNNRegressor(hidden_units=[4], feature_columns=_columns(),
                                 activation_fn=activation_fn, model_dir=str(tmp_path))
    results = estimator.evaluate(input_fn=_input_fn(Y_REG), steps=1)
    assert results["global_step"] == 7
    np.testing.assert_allclose(results["loss"], np.mean((scores - Y_REG) ** 2), rtol=1e-5)
    predicted = estimator.predict_scores(input_fn=_input_fn(Y_REG), as_iterable=False)
    np.testing.assert_allclose(predicted, scores, rtol=1e-5)


def test_classifier_fit_evaluate_and_predict_with_r115_keys(tmp_path):
    estimator = dnn.DNNClassifier(hidden_units=[3], feature_columns=_columns(),
                                  model_dir=str(tmp_path), optimizer="SGD")
    estimator.fit(input_fn=_input_fn(Y_CLASS), steps=2)
    results = estimator.evaluate(input_fn=_input_fn(Y_CLASS), steps=1)
    assert sorted(results) == sorted([
        "loss", "accuracy", "labels/prediction_mean", "labels/actual_label_mean",
        "accuracy/baseline_label_mean", "auc", "auc_precision_recall",
        "accuracy/threshold_0.500000_mean", "precision/positive_threshold_0.500000_mean",
        "recall/positive_threshold_0.500000_mean", "global_step"])
    assert results["global_step"] == 2
    names = estimator.get_variable_names()
    # optimizer="SGD": optimize_loss's GradientDescent, no slots.
    assert not [n for n in names if "Adagrad" in n]

    def value(name):
        return estimator.get_variable_value(name)

    hidden = _relu(X @ value("dnn/hiddenlayer_0/weights") + value("dnn/hiddenlayer_0/biases"))
    logits = (hidden @ value("dnn/logits/weights") + value("dnn/logits/biases")).ravel()
    p = 1. / (1. + np.exp(-logits))
    proba = estimator.predict_proba(input_fn=_input_fn(Y_CLASS), as_iterable=False)
    np.testing.assert_allclose(proba, np.stack([1 - p, p], 1), rtol=1e-5)
    classes = list(estimator.predict_classes(input_fn=_input_fn(Y_CLASS)))
    assert classes == (p > .5).astype(int).tolist()
    assert list(estimator.predict(input_fn=_input_fn(Y_CLASS))) == classes
    np.testing.assert_allclose(results["accuracy"], np.mean((p > .5) == Y_CLASS), rtol=1e-6)


def test_multi_class_label_keys_predict_strings(tmp_path):
    keys = ["a", "b", "c"]
    labels = np.array([keys[i] for i in (X[:, 0] * 3).astype(int)])
    estimator = dnn.DNNClassifier(hidden_units=[2], feature_columns=_columns(), n_classes=3,
                                  label_keys=keys, model_dir=str(tmp_path),
                                  optimizer=lambda: v1.train.GradientDescentOptimizer(0.1))
    estimator.fit(input_fn=_input_fn(labels), steps=1)
    predicted = estimator.predict_classes(input_fn=_input_fn(labels), as_iterable=False)
    assert set(predicted.tolist()) <= {b"a", b"b", b"c"} and predicted.shape == (8,)


def test_dnn_estimator_takes_any_head(tmp_path):
    estimator = dnn.DNNEstimator(head=head_lib.multi_label_head(n_classes=2),
                                 hidden_units=[2], feature_columns=_columns(),
                                 model_dir=str(tmp_path))
    with tf.Graph().as_default():
        ops = _model_fn_graph(estimator, ModeKeys.EVAL, np.stack([Y_CLASS, 1 - Y_CLASS], 1))
        assert {"auc", "auc_precision_recall", "accuracy", "loss"} <= set(ops.eval_metric_ops)


def test_bad_activation_name_is_r115s_error(tmp_path):
    estimator = dnn.DNNRegressor(hidden_units=[2], feature_columns=_columns(),
                                 activation_fn="elu", model_dir=str(tmp_path))
    with tf.Graph().as_default(), pytest.raises(ValueError) as info:
        _model_fn_graph(estimator, y=Y_REG)
    assert str(info.value) == ("Activation name should be one of [relu, tanh, sigmoid], "
                               "you provided elu.")


def test_n_classes_below_two_fails_before_anything_is_written(tmp_path):
    model_dir = tmp_path / "model"
    with pytest.raises(ValueError, match=r"^n_classes must be > 1 for classification: 1\.$"):
        dnn.DNNClassifier(hidden_units=[2], feature_columns=_columns(), n_classes=1,
                          model_dir=str(model_dir))
    assert not model_dir.exists()


def _sparse_input_fn():
    features = {"x": tf.constant(X),
                "k": tf.SparseTensor(indices=[[i, 0] for i in range(8)],
                                     values=["a", "b"] * 4, dense_shape=[8, 1])}
    return features, tf.constant(Y_CLASS)


def test_embedding_lr_multiplier_zero_freezes_the_embedding(tmp_path):
    embedding = fc.embedding_column(fc.sparse_column_with_keys("k", ["a", "b"]), dimension=2)
    estimator = dnn.DNNClassifier(hidden_units=[2], feature_columns=[embedding] + _columns(),
                                  embedding_lr_multipliers={embedding: 0.},
                                  model_dir=str(tmp_path))
    name = "dnn/input_from_feature_columns/k_embedding/weights"
    estimator.fit(input_fn=_sparse_input_fn, steps=1)
    before = estimator.get_variable_value(name), estimator.get_variable_value(
        "dnn/hiddenlayer_0/weights")
    # A second fit continues from the saved step and optimizer state.
    estimator.fit(input_fn=_sparse_input_fn, steps=1)
    assert estimator.get_variable_value("global_step") == 2
    np.testing.assert_array_equal(estimator.get_variable_value(name), before[0])
    assert not np.array_equal(estimator.get_variable_value("dnn/hiddenlayer_0/weights"),
                              before[1])


def test_export_writes_r115_classification_signatures(tmp_path):
    from compat_learn.utils import input_fn_utils

    columns = _columns()
    estimator = dnn.DNNClassifier(hidden_units=[2], feature_columns=columns,
                                  model_dir=str(tmp_path / "model"))
    estimator.fit(input_fn=_input_fn(Y_CLASS), steps=1)
    serving_input_fn = input_fn_utils.build_parsing_serving_input_fn(
        fc.create_feature_spec_for_parsing(columns))
    export_dir = estimator.export_savedmodel(str(tmp_path / "export"), serving_input_fn)
    with tf.Graph().as_default(), v1.Session() as sess:
        meta = v1.saved_model.loader.load(sess, ["serve"], export_dir)
    signatures = meta.signature_def
    assert "serving_default" in signatures
    for signature in signatures.values():
        assert signature.method_name == "tensorflow/serving/classify"
        assert sorted(signature.outputs) == ["classes", "scores"]


def test_export_with_one_non_string_input_raises_r115s_error_and_writes_nothing(tmp_path):
    # r1.15's classify/regress signatures serve serialized tf.Examples: one serving
    # input of another type is its ValueError, not a signature no server takes.
    from compat_learn.utils import input_fn_utils

    def serving_input_fn():
        x = v1.placeholder(tf.float32, [None, 3])
        return input_fn_utils.InputFnOps({"x": x}, None, {"x": x})

    # TF 2.15 makes the export's temp-<timestamp> directory before building the graph:
    # nothing of it may stay, and an earlier export stays as it was.
    fresh_base, used_base = tmp_path / "export_new", tmp_path / "export_used"
    (used_base / "1500000000").mkdir(parents=True)
    for estimator, y, kind, export_base in (
            (dnn.DNNClassifier(hidden_units=[2], feature_columns=_columns(),
                               model_dir=str(tmp_path / "classifier")), Y_CLASS,
             "Classification", fresh_base),
            (dnn.DNNRegressor(hidden_units=[2], feature_columns=_columns(),
                              model_dir=str(tmp_path / "regressor")), Y_REG, "Regression",
             used_base)):
        estimator.fit(input_fn=_input_fn(y), steps=1)
        with pytest.raises(ValueError, match=rf"^{kind} examples must be a string Tensor\.$"):
            estimator.export_savedmodel(str(export_base), serving_input_fn)
    assert not fresh_base.exists()
    assert [p.name for p in used_base.iterdir()] == ["1500000000"]


def test_fit_continues_a_tf1_model_dir_with_its_adagrad_slots(tmp_path):
    rng = np.random.RandomState(2)
    w0, b0 = rng.randn(3, 1).astype(np.float32), rng.randn(1).astype(np.float32)
    accumulator = np.float32(4.)
    # r1.15's names for DNNRegressor(hidden_units=[]): its slot names are what
    # r1.15's slot_creator saved for single-partition variables (the primary's op
    # name length cut off the slot's scoped name).
    _r1x_checkpoint(str(tmp_path), {
        "dnn/logits/weights": w0,
        "dnn/logits/biases": b0,
        "dnn/logits/weights/n/logits/weights/part_0/Adagrad": np.full((3, 1), accumulator),
        "dnn/logits/biases/nn/logits/biases/part_0/Adagrad": np.full((1,), accumulator),
        "dnn/regression_head/dnn/learning_rate": np.float32(0.05),
    }, global_step=7)
    estimator = dnn.DNNRegressor(hidden_units=[], feature_columns=_columns(),
                                 model_dir=str(tmp_path))
    estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    assert estimator.get_variable_value("global_step") == 8
    residual = (X @ w0 + b0).ravel() - Y_REG
    g_w = (2 * X.T @ residual / len(X)).reshape(3, 1)
    g_b = np.array([2 * residual.mean()])
    # One Adagrad step (learning rate 0.05) from the restored accumulators.
    np.testing.assert_allclose(estimator.get_variable_value("dnn/logits/weights"),
                               w0 - 0.05 * g_w / np.sqrt(accumulator + g_w ** 2), rtol=1e-5)
    np.testing.assert_allclose(estimator.get_variable_value("dnn/logits/biases"),
                               b0 - 0.05 * g_b / np.sqrt(accumulator + g_b ** 2), rtol=1e-5)


def test_dropout_is_applied_in_training_only(tmp_path):
    estimator = dnn.DNNRegressor(hidden_units=[2], feature_columns=_columns(), dropout=0.5,
                                 model_dir=str(tmp_path))
    for mode, expected in ((ModeKeys.TRAIN, True), (ModeKeys.EVAL, False)):
        with tf.Graph().as_default() as graph:
            _model_fn_graph(estimator, mode, Y_REG)
            assert any("/Dropout/" in op.name for op in graph.get_operations()) is expected
