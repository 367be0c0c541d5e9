"""The contrib heads (compat_learn.estimators.head) against r1.15's head.py behaviour.

Losses and streaming metrics are recomputed with numpy from the same labels, logits
and weights; the AUC values that TensorFlow's thresholded trapezoid produces are
r1.15 head_test.py's own expected numbers. Variable names and summary tags are the
ones r1.15 created, so a model_dir trained by TF 1.x restores.
"""

import numpy as np
import pytest

from compat_learn._tf import tf
from compat_learn.estimators import constants
from compat_learn.estimators import head as head_lib
from compat_learn.estimators.model_fn import ModeKeys

v1 = tf.compat.v1
TRAIN, EVAL, INFER = ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.INFER


@pytest.fixture
def sess():
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as session:
        yield session


def _sigmoid(x):
    return 1. / (1. + np.exp(-np.asarray(x, np.float64)))


def _sigmoid_xent(labels, logits):
    z, x = np.asarray(labels, np.float64), np.asarray(logits, np.float64)
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


def _softmax(logits):
    e = np.exp(np.asarray(logits, np.float64))
    return e / e.sum(axis=1, keepdims=True)


def _metrics(sess, ops):
    """Runs every metric's update then value op once: {key: value}."""
    sess.run(v1.local_variables_initializer())
    sess.run(v1.tables_initializer())
    updates = sess.run({k: update for k, (_, update) in ops.eval_metric_ops.items()})
    values = sess.run({k: value for k, (value, _) in ops.eval_metric_ops.items()})
    for key, value in values.items():
        np.testing.assert_allclose(updates[key], value, rtol=1e-5, err_msg=key)
    return values


def _summary_tags(sess):
    from tensorflow.core.framework import summary_pb2

    tags = []
    for op in v1.get_collection(v1.GraphKeys.SUMMARIES):
        summary = summary_pb2.Summary()
        summary.ParseFromString(sess.run(op))
        tags.append(summary.value[0].tag)
    return sorted(tags)


def _var_names(collection=v1.GraphKeys.GLOBAL_VARIABLES):
    return sorted(v.name for v in v1.get_collection(collection))


def _alternative_types(ops):
    return {k: v[0] for k, v in ops.output_alternatives.items()}


def _check(metrics, expected):
    assert sorted(metrics) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(metrics[key], value, atol=1e-4, err_msg=key)


# ------------------------------------------------------------------------- regression
def test_regression_head_loss_is_mean_squared_error(sess):
    labels, logits = ((0.,), (1.,), (1.,)), ((1.,), (1.,), (3.,))
    ops = head_lib.regression_head().create_model_fn_ops(
        {}, TRAIN, labels, head_lib.no_op_train_fn, logits=logits)
    expected = np.mean((np.array(logits) - np.array(labels)) ** 2)
    assert _alternative_types(ops) == {None: constants.ProblemType.LINEAR_REGRESSION}
    assert _var_names() == []
    assert _summary_tags(sess) == ["loss"]
    np.testing.assert_allclose(sess.run(ops.loss), expected, rtol=1e-6)
    _check(_metrics(sess, ops), {"loss": expected})
    assert sorted(ops.predictions) == ["scores"]
    np.testing.assert_allclose(sess.run(ops.predictions["scores"]), [1., 1., 3.])


def test_regression_head_link_fn_maps_logits_to_scores(sess):
    ops = head_lib.regression_head(link_fn=tf.square).create_model_fn_ops(
        {}, INFER, logits=((1.,), (-2.,), (3.,)))
    assert ops.loss is None and ops.train_op is None and ops.eval_metric_ops == {}
    np.testing.assert_allclose(sess.run(ops.predictions["scores"]), [1., 4., 9.])


def test_regression_head_builds_r115_logits_layer_from_logits_input(sess):
    ops = head_lib.regression_head().create_model_fn_ops(
        {}, TRAIN, ((0.,), (1.,), (1.,)), head_lib.no_op_train_fn,
        logits_input=((0., 0.), (0., 0.), (0., 0.)))
    names = ["regression_head/logits/biases:0", "regression_head/logits/weights:0"]
    assert _var_names() == names
    assert _var_names(v1.GraphKeys.MODEL_VARIABLES) == names
    assert _var_names(v1.GraphKeys.TRAINABLE_VARIABLES) == names
    sess.run(v1.global_variables_initializer())
    # Zero inputs and zero-initialised biases: every prediction is 0.
    np.testing.assert_allclose(sess.run(ops.loss), 2. / 3, rtol=1e-6)


@pytest.mark.parametrize("weights", [2., (1., 0., 3.), ((1.,), (0.,), (3.,))],
                         ids=["scalar", "1d", "2d"])
def test_regression_weights_train_on_batch_mean_and_report_weighted_average(sess, weights):
    labels, logits = ((0.,), (1.,), (1.,)), ((1.,), (1.,), (3.,))
    ops = head_lib.regression_head(weight_column_name="w").create_model_fn_ops(
        {"w": weights}, TRAIN, labels, head_lib.no_op_train_fn, logits=logits)
    losses = ((np.array(logits) - np.array(labels)) ** 2).ravel()
    w = np.broadcast_to(np.reshape(weights, (-1,)), losses.shape)
    # r1.15 _compute_weighted_loss: training loss sum(w*l)/batch, reported sum(w*l)/sum(w).
    np.testing.assert_allclose(sess.run(ops.loss), np.sum(w * losses) / 3, rtol=1e-6)
    _check(_metrics(sess, ops), {"loss": np.sum(w * losses) / np.sum(w)})


def test_regression_logits_of_the_wrong_dimension_are_rejected(sess):
    with pytest.raises(ValueError, match=r"Dimensions.*not compatible"):
        head_lib.regression_head().create_model_fn_ops(
            {}, TRAIN, ((0.,), (1.,)), head_lib.no_op_train_fn,
            logits=((1., 1.), (1., 1.)))


def test_logits_and_logits_input_exclude_each_other(sess):
    head = head_lib.regression_head()
    with pytest.raises(ValueError, match=r"^Both logits and logits_input supplied\.$"):
        head.create_model_fn_ops({}, TRAIN, ((0.,),), head_lib.no_op_train_fn,
                                 logits=((1.,),), logits_input=((1.,),))
    with pytest.raises(ValueError, match=r"^Neither logits nor logits_input supplied\.$"):
        head.create_model_fn_ops({}, TRAIN, ((0.,),), head_lib.no_op_train_fn)


def test_train_mode_needs_train_op_fn_and_modes_are_checked(sess):
    head = head_lib.regression_head()
    with pytest.raises(ValueError, match=r"^train_op_fn can not be None in TRAIN mode$"):
        head.create_model_fn_ops({}, TRAIN, ((0.,),), None, logits=((1.,),))
    with pytest.raises(ValueError, match=r"^mode=predict unrecognized\.$"):
        head.create_model_fn_ops({}, "predict", ((0.,),), None, logits=((1.,),))


def test_weight_column_missing_from_features_is_named(sess):
    head = head_lib.regression_head(weight_column_name="w")
    with pytest.raises(ValueError, match=r"^Weights w missing from features\.$"):
        head.create_model_fn_ops({}, EVAL, ((0.,),), logits=((1.,),))


def test_poisson_regression_head_loss_is_full_log_poisson_loss(sess):
    labels, logits = ((0.,), (1.,), (3.,)), ((0.,), (-1.,), (3.,))
    ops = head_lib.poisson_regression_head().create_model_fn_ops(
        {}, TRAIN, labels, head_lib.no_op_train_fn, logits=logits)
    x, z = np.ravel(logits), np.ravel(labels)
    loss = np.exp(x) - z * x
    # Stirling's term, for labels > 1 only (compute_full_loss=True).
    with np.errstate(divide="ignore", invalid="ignore"):
        stirling = z * np.log(z) - z + 0.5 * np.log(2. * np.pi * z)
    loss += np.where(z > 1, stirling, 0.)
    np.testing.assert_allclose(sess.run(ops.loss), loss.mean(), rtol=1e-5)
    np.testing.assert_allclose(sess.run(ops.predictions["scores"]), np.exp(x), rtol=1e-6)


# ------------------------------------------------------------------ binary logistic
_BIN_LOGITS, _BIN_LABELS = ((1.,), (1.,)), ((1.,), (0.,))


def test_binary_head_loss_metrics_and_keys_are_r115s(sess):
    ops = head_lib.multi_class_head(n_classes=2).create_model_fn_ops(
        {}, TRAIN, _BIN_LABELS, head_lib.no_op_train_fn, logits=_BIN_LOGITS)
    loss = _sigmoid_xent(_BIN_LABELS, _BIN_LOGITS).mean()
    assert _alternative_types(ops) == {None: constants.ProblemType.LOGISTIC_REGRESSION}
    assert _summary_tags(sess) == ["loss"]
    np.testing.assert_allclose(sess.run(ops.loss), loss, rtol=1e-6)
    p = _sigmoid(np.ravel(_BIN_LOGITS))
    y = np.ravel(_BIN_LABELS)
    tp = np.sum((p >= .5) & (y == 1))
    _check(_metrics(sess, ops), {
        "loss": loss,
        "accuracy": np.mean((p > .5) == y),
        "accuracy/baseline_label_mean": y.mean(),
        "accuracy/threshold_0.500000_mean": np.mean((p >= .5) == y),
        "labels/actual_label_mean": y.mean(),
        "labels/prediction_mean": p.mean(),
        "precision/positive_threshold_0.500000_mean": tp / np.sum(p >= .5),
        "recall/positive_threshold_0.500000_mean": tp / np.sum(y == 1),
        # r1.15 head_test.py's values (TF's 200-threshold trapezoid).
        "auc": .5,
        "auc_precision_recall": .749999,
    })


def test_binary_head_predictions_and_export_classes(sess):
    logits = ((1.,), (-2.,))
    ops = head_lib.multi_class_head(n_classes=2, head_name="head_name").create_model_fn_ops(
        {}, INFER, logits=logits)
    assert ops.train_op is None and ops.loss is None
    out = sess.run(ops.predictions)
    assert sorted(out) == ["classes", "logistic", "logits", "probabilities"]
    p = _sigmoid(np.ravel(logits))
    np.testing.assert_allclose(out["logistic"].ravel(), p, rtol=1e-6)
    np.testing.assert_allclose(out["probabilities"], np.stack([1 - p, p], 1), rtol=1e-6)
    assert out["classes"].tolist() == [1, 0]
    problem, exported = ops.output_alternatives["head_name"]
    assert problem == constants.ProblemType.LOGISTIC_REGRESSION
    assert sorted(exported) == ["classes", "probabilities"]
    assert sess.run(exported["classes"]).tolist() == [[b"0", b"1"], [b"0", b"1"]]


def test_binary_head_infer_needs_no_weight_feature(sess):
    ops = head_lib.multi_class_head(n_classes=2, weight_column_name="w").create_model_fn_ops(
        {}, INFER, _BIN_LABELS, head_lib.no_op_train_fn, logits=_BIN_LOGITS)
    assert ops.loss is None and _var_names() == []


def test_binary_head_1d_weights(sess):
    weights = (1., 0.)
    ops = head_lib.multi_class_head(n_classes=2, weight_column_name="w").create_model_fn_ops(
        {"w": weights}, TRAIN, _BIN_LABELS, head_lib.no_op_train_fn, logits=_BIN_LOGITS)
    losses = _sigmoid_xent(_BIN_LABELS, _BIN_LOGITS).ravel()
    np.testing.assert_allclose(sess.run(ops.loss), np.dot(weights, losses) / 2, rtol=1e-6)
    metrics = _metrics(sess, ops)
    np.testing.assert_allclose(metrics["loss"], np.dot(weights, losses) / 1., rtol=1e-6)
    # Only the first example (label 1, predicted 1) carries weight.
    assert metrics["accuracy"] == 1. and metrics["labels/actual_label_mean"] == 1.


def test_centered_bias_has_r115_names_summaries_and_adagrad_step(sess):
    labels = ((1.,), (1.,))
    ops = head_lib.multi_class_head(n_classes=2, enable_centered_bias=True).create_model_fn_ops(
        {}, TRAIN, labels, head_lib.no_op_train_fn, logits=_BIN_LOGITS)
    assert _var_names() == [
        "binary_logistic_head/binary_logistic_head/centered_bias_weight/Adagrad:0",
        "binary_logistic_head/centered_bias_weight:0"]
    assert _var_names(v1.GraphKeys.TRAINABLE_VARIABLES) == [
        "binary_logistic_head/centered_bias_weight:0"]
    sess.run(v1.global_variables_initializer())
    assert _summary_tags(sess) == ["binary_logistic_head/centered_bias/bias_0", "loss"]
    # The logits get the (zero) bias added: the loss is the plain sigmoid loss.
    np.testing.assert_allclose(sess.run(ops.loss), _sigmoid_xent(labels, _BIN_LOGITS).mean(),
                               rtol=1e-6)
    sess.run(ops.train_op)
    # r1.15's centered bias step: Adagrad(0.1) on the loss of the bias alone as
    # logits; at bias 0 the gradient is mean(sigmoid(0) - 1) = -0.5 and the
    # accumulator starts at 0.1.
    grad = -0.5
    expected = -0.1 * grad / np.sqrt(0.1 + grad ** 2)
    [var] = v1.trainable_variables()
    np.testing.assert_allclose(sess.run(var), [expected], rtol=1e-5)


def test_sparse_labels_are_rejected_by_single_label_heads(sess):
    labels = tf.SparseTensor(indices=((0, 0),), values=(1,), dense_shape=(1, 1))
    with pytest.raises(ValueError, match=r"^SparseTensor is not supported\.$"):
        head_lib.multi_class_head(n_classes=2).create_model_fn_ops(
            {}, TRAIN, labels, head_lib.no_op_train_fn, logits=((1.,),))


# ---------------------------------------------------------------------- multi class
_MC_LOGITS, _MC_LABELS = ((1., 0., 0.), (0., 2., 1.)), ((2,), (1,))


def test_multi_class_head_loss_and_per_class_metrics(sess):
    head = head_lib.multi_class_head(n_classes=3, metric_class_ids=range(3))
    ops = head.create_model_fn_ops({}, TRAIN, _MC_LABELS, head_lib.no_op_train_fn,
                                   logits=_MC_LOGITS)
    assert _alternative_types(ops) == {None: constants.ProblemType.CLASSIFICATION}
    probs = _softmax(_MC_LOGITS)
    y = np.ravel(_MC_LABELS)
    loss = -np.log(probs[np.arange(2), y]).mean()
    np.testing.assert_allclose(sess.run(ops.loss), loss, rtol=1e-6)
    predicted = np.argmax(_MC_LOGITS, 1)
    expected = {"loss": loss, "accuracy": np.mean(predicted == y)}
    for c in range(3):
        expected[f"labels/prediction_mean/class{c}"] = np.mean(predicted == c)
        expected[f"labels/actual_label_mean/class{c}"] = np.mean(y == c)
        expected[f"labels/probability_mean/class{c}"] = probs[:, c].mean()
        expected[f"labels/logits_mean/class{c}"] = np.mean(np.array(_MC_LOGITS)[:, c])
    _check(_metrics(sess, ops), expected)
    out = sess.run(ops.predictions)
    assert sorted(out) == ["classes", "logits", "probabilities"]
    np.testing.assert_allclose(out["probabilities"], probs, rtol=1e-6)
    assert out["classes"].tolist() == predicted.tolist()


def test_multi_class_label_keys_map_strings_both_ways(sess):
    keys = ("key0", "key1", "key2")
    head = head_lib.multi_class_head(n_classes=3, label_keys=keys)
    ops = head.create_model_fn_ops({}, EVAL, (("key2",), ("key1",)), logits=_MC_LOGITS)
    sess.run(v1.tables_initializer())
    assert sess.run(ops.predictions["classes"]).tolist() == [b"key0", b"key1"]
    exported = ops.output_alternatives[None][1]["classes"]
    assert sess.run(exported).tolist() == [[b"key0", b"key1", b"key2"]] * 2
    probs = _softmax(_MC_LOGITS)
    _check(_metrics(sess, ops), {"loss": -np.mean(np.log(probs[[0, 1], [2, 1]])),
                                 "accuracy": .5})


def test_multi_class_labels_out_of_range_fail_at_run_time(sess):
    ops = head_lib.multi_class_head(n_classes=3).create_model_fn_ops(
        {}, EVAL, ((3,), (1,)), logits=_MC_LOGITS)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Received a label value of 3 which is outside the valid range "
                             r"of \[0, 3\)"):
        sess.run(ops.loss)


def test_multi_class_labels_must_be_integers(sess):
    with pytest.raises(ValueError, match=r"^Labels dtype should be integer Instead got "):
        head_lib.multi_class_head(n_classes=3).create_model_fn_ops(
            {}, EVAL, ((2.,), (1.,)), logits=_MC_LOGITS)


@pytest.mark.parametrize("kwargs, message", [
    ({"n_classes": 1}, "n_classes must be > 1 for classification: 1."),
    ({"n_classes": None}, "n_classes must be > 1 for classification: None."),
    ({"n_classes": 2, "metric_class_ids": [0]}, "metric_class_ids invalid for n_classes==2."),
    ({"n_classes": 2, "label_keys": ["a", "b"]}, "label_keys is not supported for n_classes=2."),
    ({"n_classes": 3, "label_keys": ["a", "b"]}, "Length of label_keys must equal n_classes."),
    ({"n_classes": 3, "metric_class_ids": [3]}, "Class ID 3 not in [0, 3)."),
    ({"n_classes": 3, "loss_fn": lambda labels, logits: 0.}, "Argument weights not found in loss_fn."),
])
def test_multi_class_head_argument_errors_are_r115s(kwargs, message):
    with pytest.raises(ValueError) as info:
        head_lib.multi_class_head(**kwargs)
    assert str(info.value) == message


def test_multi_label_head_rejects_fewer_than_two_classes():
    with pytest.raises(ValueError, match=r"^n_classes must be > 1 for classification\.$"):
        head_lib.multi_label_head(n_classes=1)


def test_custom_loss_fn_is_training_and_reported_loss(sess):
    def loss_fn(labels, logits, weights=None):
        return v1.losses.sparse_softmax_cross_entropy(labels, logits, weights=weights)

    head = head_lib.multi_class_head(n_classes=3, weight_column_name="w", loss_fn=loss_fn)
    ops = head.create_model_fn_ops({"w": ((2.,), (2.,))}, TRAIN, _MC_LABELS,
                                   head_lib.no_op_train_fn, logits=_MC_LOGITS)
    probs = _softmax(_MC_LOGITS)
    # tf.losses' default reduction: sum(w*l) / (number of non-zero weights).
    expected = 2. * -np.log(probs[[0, 1], [2, 1]]).sum() / 2
    np.testing.assert_allclose(sess.run(ops.loss), expected, rtol=1e-5)
    np.testing.assert_allclose(_metrics(sess, ops)["loss"], expected, rtol=1e-5)


# ---------------------------------------------------------------------- multi label
_ML_LOGITS, _ML_LABELS = ((1., 0., 0.),), ((0, 0, 1),)


def test_multi_label_head_loss_and_metrics(sess):
    head = head_lib.multi_label_head(n_classes=3, metric_class_ids=range(3))
    ops = head.create_model_fn_ops({}, TRAIN, _ML_LABELS, head_lib.no_op_train_fn,
                                   logits=_ML_LOGITS)
    loss = _sigmoid_xent(_ML_LABELS, _ML_LOGITS).mean()
    np.testing.assert_allclose(sess.run(ops.loss), loss, rtol=1e-6)
    probs = _sigmoid(_ML_LOGITS)[0]
    classes = (np.array(_ML_LOGITS[0]) > 0).astype(float)
    expected = {"loss": loss, "accuracy": np.mean(classes == _ML_LABELS[0]),
                # r1.15 head_test.py's values.
                "auc": 1. / 4, "auc_precision_recall": 0.166667,
                "auc/class0": 1., "auc/class1": 1., "auc/class2": 0.,
                "auc_precision_recall/class0": 0., "auc_precision_recall/class1": 0.,
                "auc_precision_recall/class2": 1.}
    for c in range(3):
        expected[f"labels/actual_label_mean/class{c}"] = _ML_LABELS[0][c]
        expected[f"labels/logits_mean/class{c}"] = _ML_LOGITS[0][c]
        expected[f"labels/prediction_mean/class{c}"] = classes[c]
        expected[f"labels/probability_mean/class{c}"] = probs[c]
    _check(_metrics(sess, ops), expected)


def test_multi_label_sparse_labels_become_multi_hot(sess):
    labels = tf.compat.v1.SparseTensorValue(indices=((0, 0),), values=(2,), dense_shape=(1, 1))
    ops = head_lib.multi_label_head(n_classes=3).create_model_fn_ops(
        {}, EVAL, labels, logits=_ML_LOGITS)
    np.testing.assert_allclose(sess.run(ops.loss),
                               _sigmoid_xent(_ML_LABELS, _ML_LOGITS).mean(), rtol=1e-6)


def test_multi_label_1d_weights_cannot_broadcast(sess):
    head = head_lib.multi_label_head(n_classes=3, weight_column_name="w")
    with pytest.raises(ValueError, match="weights can not be broadcast to values"):
        head.create_model_fn_ops({"w": (.1, .1, .1)}, TRAIN, _ML_LABELS,
                                 head_lib.no_op_train_fn, logits=_ML_LOGITS)


# ------------------------------------------------------------------------------ SVM
def test_binary_svm_head_hinge_loss_and_metrics(sess):
    logits, labels = ((-.5,), (1.2,)), (0, 1)
    ops = head_lib.binary_svm_head().create_model_fn_ops(
        {}, TRAIN, labels, head_lib.no_op_train_fn, logits=logits)
    signed = 2. * np.array(labels) - 1.
    loss = np.maximum(0., 1. - signed * np.ravel(logits)).mean()
    np.testing.assert_allclose(sess.run(ops.loss), loss, rtol=1e-6)
    _check(_metrics(sess, ops), {"loss": loss, "accuracy": 1.})
    assert sorted(ops.predictions) == ["classes", "logits"]
    assert _alternative_types(ops) == {None: constants.ProblemType.LOGISTIC_REGRESSION}


# ------------------------------------------------------------------ multi head
def _two_heads():
    return (head_lib.multi_class_head(n_classes=3, label_name="label1", head_name="head1"),
            head_lib.multi_class_head(n_classes=4, label_name="label2", head_name="head2"))


_MH_LOGITS = ((-0.7, 0.2, .1, .1, .1, .1, .1),)
_MH_LABELS = {"label1": (1,), "label2": (1,)}


def _mh_losses():
    logits = np.array(_MH_LOGITS)
    return (-np.log(_softmax(logits[:, :3])[0, 1]), -np.log(_softmax(logits[:, 3:])[0, 1]))


def test_multi_head_merges_weighted_losses_and_loss_only_heads(sess):
    head = head_lib.multi_head(
        _two_heads() + (head_lib.loss_only_head(lambda: 1.0, head_name="const"),),
        loss_weights=(1, .5, 2))
    ops = head.create_model_fn_ops({}, TRAIN, _MH_LABELS, head_lib.no_op_train_fn,
                                   logits=_MH_LOGITS)
    first, second = _mh_losses()
    np.testing.assert_allclose(sess.run(ops.loss), first + .5 * second + 2., rtol=1e-5)
    assert ops.predictions is None and ops.output_alternatives is None
    assert {"loss/head1", "accuracy/head1", "loss/head2", "accuracy/head2"} <= set(
        ops.eval_metric_ops)


def test_multi_head_dict_logits_and_infer_keys(sess):
    head1, head2 = _two_heads()
    head = head_lib.multi_head((head1, head2))
    ops = head.create_model_fn_ops(
        {}, EVAL, _MH_LABELS,
        logits={"head1": ((-0.7, 0.2, .1),), "head2": ((.1, .1, .1, .1),)})
    np.testing.assert_allclose(sess.run(ops.loss), sum(_mh_losses()), rtol=1e-5)
    ops = head.create_model_fn_ops({}, INFER, logits=_MH_LOGITS)
    assert sorted(ops.predictions) == sorted(
        (h, k) for h in ("head1", "head2") for k in ("classes", "logits", "probabilities"))
    assert _alternative_types(ops) == {"head1": constants.ProblemType.CLASSIFICATION,
                                       "head2": constants.ProblemType.CLASSIFICATION}


def test_multi_head_errors_are_r115s():
    head1, _ = _two_heads()
    with pytest.raises(ValueError, match=r"^Members of MultiHead must have names\.$"):
        head_lib.multi_head((head1, head_lib.multi_class_head(n_classes=3)))
    with pytest.raises(ValueError, match=r"^heads and loss_weights must have same size$"):
        head_lib.multi_head((head1,), loss_weights=(1., 2.))


def test_loss_only_head_has_no_predictions_or_metrics(sess):
    ops = head_lib.loss_only_head(lambda: [tf.constant(1.), tf.constant(2.)],
                                  head_name="const").create_model_fn_ops(
        features={}, mode=TRAIN, train_op_fn=head_lib.no_op_train_fn)
    assert ops.predictions == {} and ops.eval_metric_ops == {}
    assert sess.run(ops.loss) == 3.
    assert _summary_tags(sess) == ["loss/const"]


def test_core_spec_of_a_classification_head_exports_a_classify_signature(sess):
    ops = head_lib.multi_class_head(n_classes=3).create_model_fn_ops(
        {}, INFER, logits=_MC_LOGITS)
    spec = ops.estimator_spec()
    assert spec.export_outputs
    for output in spec.export_outputs.values():
        assert isinstance(output, tf.estimator.export.ClassificationOutput)
        assert output.classes.dtype == tf.string
