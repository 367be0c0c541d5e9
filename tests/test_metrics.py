"""tf.contrib.metrics (compat_learn.metrics): every r1.15 name, its signature and numbers.

Streaming metrics are run over two batches in a session; numpy recomputes each value
from the definitions r1.15 documents.
"""

import importlib
import inspect

import numpy as np
import pytest

from compat_learn import _alias, metrics
from compat_learn._tf import tf

v1 = tf.compat.v1

_STD = "weights metrics_collections updates_collections name"

# r1.15 contrib/metrics: names and parameter order (metric_ops.py, classification.py,
# histogram_ops.py, confusion_matrix_ops.py).
R115_SIGNATURES = {
    "streaming_true_positives": "predictions labels " + _STD,
    "streaming_true_negatives": "predictions labels " + _STD,
    "streaming_false_positives": "predictions labels " + _STD,
    "streaming_false_negatives": "predictions labels " + _STD,
    "streaming_mean": "values " + _STD,
    "streaming_mean_tensor": "values " + _STD,
    "streaming_accuracy": "predictions labels " + _STD,
    "streaming_precision": "predictions labels " + _STD,
    "streaming_recall": "predictions labels " + _STD,
    "streaming_false_positive_rate": "predictions labels " + _STD,
    "streaming_false_negative_rate": "predictions labels " + _STD,
    "streaming_true_positives_at_thresholds": "predictions labels thresholds weights",
    "streaming_false_negatives_at_thresholds": "predictions labels thresholds weights",
    "streaming_false_positives_at_thresholds": "predictions labels thresholds weights",
    "streaming_true_negatives_at_thresholds": "predictions labels thresholds weights",
    "streaming_curve_points":
        "labels predictions weights num_thresholds metrics_collections updates_collections curve name",
    "streaming_auc":
        "predictions labels weights num_thresholds metrics_collections updates_collections curve name",
    "streaming_dynamic_auc":
        "labels predictions curve metrics_collections updates_collections name weights",
    "auc_with_confidence_intervals":
        "labels predictions weights alpha logit_transformation metrics_collections updates_collections name",
    "precision_recall_at_equal_thresholds":
        "labels predictions weights num_thresholds use_locking name",
    "streaming_specificity_at_sensitivity":
        "predictions labels sensitivity weights num_thresholds metrics_collections updates_collections name",
    "streaming_sensitivity_at_specificity":
        "predictions labels specificity weights num_thresholds metrics_collections updates_collections name",
    "streaming_precision_at_thresholds": "predictions labels thresholds " + _STD,
    "streaming_recall_at_thresholds": "predictions labels thresholds " + _STD,
    "streaming_false_positive_rate_at_thresholds": "predictions labels thresholds " + _STD,
    "streaming_false_negative_rate_at_thresholds": "predictions labels thresholds " + _STD,
    "streaming_recall_at_k": "predictions labels k " + _STD,
    "streaming_sparse_recall_at_k": "predictions labels k class_id " + _STD,
    "streaming_sparse_precision_at_k": "predictions labels k class_id " + _STD,
    "streaming_sparse_precision_at_top_k": "top_k_predictions labels class_id " + _STD,
    "sparse_recall_at_top_k": "labels top_k_predictions class_id " + _STD,
    "recall_at_precision":
        "labels predictions precision weights num_thresholds metrics_collections updates_collections name strict_mode",
    "precision_at_recall":
        "labels predictions target_recall weights num_thresholds metrics_collections updates_collections name",
    "streaming_sparse_average_precision_at_k": "predictions labels k " + _STD,
    "streaming_sparse_average_precision_at_top_k": "top_k_predictions labels " + _STD,
    "streaming_mean_absolute_error": "predictions labels " + _STD,
    "streaming_mean_relative_error": "predictions labels normalizer " + _STD,
    "streaming_mean_squared_error": "predictions labels " + _STD,
    "streaming_root_mean_squared_error": "predictions labels " + _STD,
    "streaming_covariance": "predictions labels " + _STD,
    "streaming_pearson_correlation": "predictions labels " + _STD,
    "streaming_mean_cosine_distance": "predictions labels dim " + _STD,
    "streaming_percentage_less": "values threshold " + _STD,
    "streaming_mean_iou": "predictions labels num_classes " + _STD,
    "streaming_concat": "values axis max_size metrics_collections updates_collections name",
    "aggregate_metrics": "*value_update_tuples",
    "aggregate_metric_map": "names_to_tuples",
    "count": "values " + _STD,
    "cohen_kappa": "labels predictions_idx num_classes " + _STD,
    "accuracy": "predictions labels weights name",
    "f1_score":
        "labels predictions weights num_thresholds metrics_collections updates_collections name",
    "auc_using_histogram": "boolean_labels scores score_range nbins collections check_shape name",
    "confusion_matrix": "labels predictions num_classes dtype name weights",
}
R115_SET_OPS = ["set_difference", "set_intersection", "set_size", "set_union"]

P1 = np.array([0.1, 0.6, 0.8, 0.3, 0.9, 0.45], np.float32)
L1 = np.array([0, 1, 0, 0, 1, 1], np.int64)
P2 = np.array([0.7, 0.2, 0.55, 0.05], np.float32)
L2 = np.array([1, 1, 0, 0], np.int64)
P_ALL, L_ALL = np.concatenate([P1, P2]), np.concatenate([L1, L2])


def _stream(build, batches):
    """Runs `build(*placeholders)` -> (value, update_op) over `batches`; the last value."""
    with tf.Graph().as_default():
        holders = [v1.placeholder(tf.as_dtype(a.dtype), [None, *a.shape[1:]])
                   for a in batches[0]]
        value, update_op = build(*holders)
        with v1.Session() as session:
            session.run(v1.local_variables_initializer())
            for batch in batches:
                session.run(update_op, dict(zip(holders, batch)))
            # Some values (r1.15's too) sit under control dependencies on the inputs:
            # feed the last batch again, which does not update anything.
            return session.run(value, dict(zip(holders, batches[-1])))


def _two_batches(build):
    return _stream(build, [(P1, L1), (P2, L2)])


def _exact_auc(scores, labels):
    """Mann-Whitney ROC AUC (ties count one half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (len(pos) * len(neg))


def _counts(scores, labels, thresholds):
    above = scores[None, :] > np.asarray(thresholds, np.float32)[:, None]
    positive = labels[None, :] == 1
    return ((above & positive).sum(1), (~above & positive).sum(1),
            (~above & ~positive).sum(1), (above & ~positive).sum(1))


def _curve_thresholds(n):
    return [-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7]


def test_public_names_are_r115s():
    assert sorted(metrics.__all__) == sorted(list(R115_SIGNATURES) + R115_SET_OPS)


@pytest.mark.parametrize("name", sorted(R115_SIGNATURES))
def test_signature_is_r115s(name):
    params = inspect.signature(getattr(metrics, name)).parameters.values()
    got = ["*" + p.name if p.kind is p.VAR_POSITIONAL else p.name for p in params]
    assert got == R115_SIGNATURES[name].split()


def test_defaults_are_r115s():
    sig = inspect.signature
    assert sig(metrics.streaming_auc).parameters["num_thresholds"].default == 200
    assert sig(metrics.streaming_auc).parameters["curve"].default == "ROC"
    assert sig(metrics.streaming_dynamic_auc).parameters["metrics_collections"].default == ()
    assert sig(metrics.auc_with_confidence_intervals).parameters["alpha"].default == 0.95
    assert sig(metrics.confusion_matrix).parameters["dtype"].default == tf.int32


def test_set_ops_are_tensorflows():
    assert metrics.set_union is v1.sets.set_union
    assert metrics.set_size is v1.sets.set_size


def test_core_metrics_keep_predictions_first():
    got = _two_batches(lambda p, lab: metrics.streaming_precision(
        tf.greater(p, 0.5), tf.cast(lab, tf.bool)))
    predicted = P_ALL > 0.5
    assert got == pytest.approx((predicted & (L_ALL == 1)).sum() / predicted.sum())


def test_false_positive_and_negative_rates():
    fpr = _two_batches(lambda p, lab: metrics.streaming_false_positive_rate(p > 0.5, lab))
    fnr = _two_batches(lambda p, lab: metrics.streaming_false_negative_rate(p > 0.5, lab))
    tp, fn, tn, fp = (c[0] for c in _counts(P_ALL, L_ALL, [0.5]))
    assert fpr == pytest.approx(fp / (fp + tn))
    assert fnr == pytest.approx(fn / (fn + tp))


@pytest.mark.parametrize("key,index", [("true_positives", 0), ("false_negatives", 1),
                                       ("true_negatives", 2), ("false_positives", 3)])
def test_counts_at_thresholds_and_their_variables(key, index):
    thresholds = [0.25, 0.5, 0.85]
    function = getattr(metrics, f"streaming_{key}_at_thresholds")
    got = _two_batches(lambda p, lab: function(p, lab, thresholds))
    np.testing.assert_allclose(got, _counts(P_ALL, L_ALL, thresholds)[index])
    with tf.Graph().as_default():
        with v1.variable_scope("outer"):
            function(tf.constant(P1), tf.constant(L1), thresholds, weights=tf.ones([6]))
        local = [v.op.name for v in v1.local_variables()]
        metric = [v.op.name for v in v1.get_collection(v1.GraphKeys.METRIC_VARIABLES)]
    # r1.15: no scope of its own, one float32 variable named after the count.
    assert local == metric == ["outer/" + key]


def test_rates_at_thresholds():
    thresholds = [0.3, 0.6]
    fpr = _two_batches(lambda p, lab: metrics.streaming_false_positive_rate_at_thresholds(
        p, lab, thresholds))
    fnr = _two_batches(lambda p, lab: metrics.streaming_false_negative_rate_at_thresholds(
        p, lab, thresholds))
    tp, fn, tn, fp = _counts(P_ALL, L_ALL, thresholds)
    np.testing.assert_allclose(fpr, fp / (fp + tn + 1e-7), rtol=1e-6)
    np.testing.assert_allclose(fnr, fn / (fn + tp + 1e-7), rtol=1e-6)


def test_curve_points_roc_and_pr():
    n = 7
    tp, fn, tn, fp = (c.astype(np.float64) for c in _counts(P_ALL, L_ALL, _curve_thresholds(n)))
    roc = _two_batches(lambda p, lab: metrics.streaming_curve_points(lab, p, num_thresholds=n))
    pr = _two_batches(lambda p, lab: metrics.streaming_curve_points(
        labels=lab, predictions=p, num_thresholds=n, curve="PR"))
    recall = (tp + 1e-6) / (tp + fn + 1e-6)
    np.testing.assert_allclose(roc, np.stack([fp / (fp + tn + 1e-6), recall], 1), rtol=1e-5)
    np.testing.assert_allclose(pr, np.stack([recall, (tp + 1e-6) / (tp + fp + 1e-6)], 1),
                               rtol=1e-5)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="curve must be either ROC or PR, XY unknown"):
            metrics.streaming_curve_points(tf.constant(L1), tf.constant(P1), curve="XY")


def test_dynamic_auc_is_exact_over_all_batches():
    got = _two_batches(lambda p, lab: metrics.streaming_dynamic_auc(lab, p))
    assert got == pytest.approx(_exact_auc(P_ALL, L_ALL))


def test_dynamic_auc_rejects_labels_other_than_0_or_1():
    with pytest.raises(tf.errors.InvalidArgumentError, match="labels must be 0 or 1"):
        _stream(lambda p, lab: metrics.streaming_dynamic_auc(lab, p),
                [(P1, L1 * 2)])


def test_auc_with_confidence_intervals():
    auc, lower, upper = _two_batches(lambda p, lab: metrics.auc_with_confidence_intervals(lab, p))
    assert auc == pytest.approx(_exact_auc(P_ALL, L_ALL), rel=1e-5)
    assert 0 < lower < auc < upper < 1
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"alpha must be between 0 and 1; currently 1\.50"):
            metrics.auc_with_confidence_intervals(tf.constant(L1), tf.constant(P1), alpha=1.5)


def test_precision_recall_at_equal_thresholds():
    n = 5
    data = _two_batches(lambda p, lab: metrics.precision_recall_at_equal_thresholds(
        tf.cast(lab, tf.bool), p, num_thresholds=n))
    buckets = np.floor(P_ALL * (n - 1)).astype(int)
    tp = np.array([((buckets >= i) & (L_ALL == 1)).sum() for i in range(n)], np.float64)
    fp = np.array([((buckets >= i) & (L_ALL == 0)).sum() for i in range(n)], np.float64)
    np.testing.assert_allclose(data.tp, tp)
    np.testing.assert_allclose(data.fp, fp)
    np.testing.assert_allclose(data.precision, tp / np.maximum(1e-7, tp + fp), rtol=1e-6)
    np.testing.assert_allclose(data.recall, tp / tp[0], rtol=1e-6)
    np.testing.assert_allclose(data.thresholds, np.linspace(0, 1, n))


def test_recall_at_precision_and_precision_at_recall():
    n = 11
    tp, fn, _, fp = (c.astype(np.float64) for c in _counts(P_ALL, L_ALL, _curve_thresholds(n)))
    got = _two_batches(lambda p, lab: metrics.recall_at_precision(lab, p, 0.9,
                                                                  num_thresholds=n))
    i = np.argmin(np.abs(tp / (tp + fp + 1e-7) - 0.9))
    assert got == pytest.approx(tp[i] / (tp[i] + fn[i] + 1e-7), rel=1e-5)
    got = _two_batches(lambda p, lab: metrics.precision_at_recall(lab, p, 0.5,
                                                                  num_thresholds=n))
    j = (tp / (tp + fn + 1e-7) >= 0.5).sum() - 1
    assert got == pytest.approx((tp[j] + 1e-7) / (tp[j] + fp[j] + 1e-7), rel=1e-5)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"`precision` must be in the range \[0, 1\]"):
            metrics.recall_at_precision(tf.constant(L1), tf.constant(P1), 1.5)


def test_covariance_and_pearson_correlation():
    labels = [L1.astype(np.float32), L2.astype(np.float32)]
    batches = [(P1, labels[0]), (P2, labels[1])]
    all_labels = np.concatenate(labels)
    cov = _stream(lambda p, lab: metrics.streaming_covariance(p, lab), batches)
    r = _stream(lambda p, lab: metrics.streaming_pearson_correlation(p, lab), batches)
    assert cov == pytest.approx(np.cov(P_ALL, all_labels)[0, 1], rel=1e-5)
    assert r == pytest.approx(np.corrcoef(P_ALL, all_labels)[0, 1], rel=1e-5)


def test_weighted_covariance_counts_weights_as_frequencies():
    weights = np.array([1, 2, 0, 3, 1, 1], np.float32)
    got = _stream(lambda p, lab, w: metrics.streaming_covariance(p, lab, weights=w),
                  [(P1, L1.astype(np.float32), weights)])
    want = np.cov(P1, L1.astype(np.float64), fweights=weights.astype(int))[0, 1]
    assert got == pytest.approx(want, rel=1e-5)


def test_streaming_concat_grows_and_respects_max_size():
    got = _two_batches(lambda p, lab: metrics.streaming_concat(p))
    np.testing.assert_allclose(got, P_ALL)
    capped = _two_batches(lambda p, lab: metrics.streaming_concat(p, max_size=8))
    np.testing.assert_allclose(capped, P_ALL[:8])
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="must have known statically known rank"):
            metrics.streaming_concat(v1.placeholder(tf.float32))
        with pytest.raises(ValueError, match=r"axis = 2 not in \[0, 1\)"):
            metrics.streaming_concat(tf.constant(P1), axis=2)


def test_count_and_cohen_kappa():
    counted = _stream(lambda p, w: metrics.count(p, weights=w),
                      [(P1, np.array([1, 0, 2, 1, 1, 1], np.float32))])
    assert counted == pytest.approx(6.0)
    predicted = (P_ALL > 0.5).astype(np.int64)
    kappa = _stream(lambda p, lab: metrics.cohen_kappa(lab, p, 2), [(predicted, L_ALL)])
    po = (predicted == L_ALL).mean()
    pe = sum((predicted == c).mean() * (L_ALL == c).mean() for c in (0, 1))
    assert kappa == pytest.approx((po - pe) / (1 - pe))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"`num_classes` must be >= 2\.Found: 1"):
            metrics.cohen_kappa(tf.constant(L1), tf.constant(L1), 1)


def test_f1_score_is_the_best_over_thresholds():
    got = _two_batches(lambda p, lab: metrics.f1_score(lab, p, num_thresholds=11))
    tp, fn, _, fp = (c.astype(np.float64) for c in _counts(P_ALL, L_ALL, _curve_thresholds(11)))
    precision, recall = tp / (1e-7 + tp + fp), tp / (1e-7 + tp + fn)
    want = (2 * precision * recall / (precision + recall + 1e-7)).max()
    assert got == pytest.approx(want, rel=1e-5)


def test_auc_using_histogram():
    got = _two_batches(lambda p, lab: metrics.auc_using_histogram(
        tf.cast(lab, tf.bool), p, [0.0, 1.0], nbins=1000))
    assert got == pytest.approx(_exact_auc(P_ALL, L_ALL), rel=1e-5)


def test_average_precision_at_top_k():
    top_k = np.array([[3, 1, 0], [2, 0, 4], [1, 2, 3]], np.int64)
    labels = np.array([[1, 0], [4, 4], [5, 5]], np.int64)
    got = _stream(lambda k, lab: metrics.streaming_sparse_average_precision_at_top_k(k, lab),
                  [(top_k, labels)])
    want = []
    for row, relevant in zip(top_k, labels):
        hits = np.array([c in set(relevant.tolist()) for c in row])
        precisions = np.cumsum(hits) / np.arange(1, 4)
        # r1.15 metrics_impl._num_relevant: dense labels count every non-negative entry.
        want.append((precisions * hits).sum() / min(3, (relevant >= 0).sum()))
    assert got == pytest.approx(np.mean(want))


def test_confusion_matrix_and_accuracy_keep_contrib_order():
    with tf.Graph().as_default():
        matrix = metrics.confusion_matrix(tf.constant([0, 1, 1]), tf.constant([1, 1, 0]), 2,
                                          tf.float32)
        accuracy = metrics.accuracy(tf.constant([1, 1, 0]), tf.constant([0, 1, 0]))
        with pytest.raises(ValueError, match="Labels should have bool, integer, or string"):
            metrics.accuracy(tf.constant([1.0]), tf.constant([1.0]))
        with v1.Session() as session:
            matrix, accuracy = session.run([matrix, accuracy])
    assert matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix, [[0, 1], [1, 1]])
    assert accuracy == pytest.approx(2 / 3)


def test_collections_and_aggregation():
    with tf.Graph().as_default():
        pair = metrics.streaming_covariance(tf.constant(P1), tf.constant(P1),
                                            metrics_collections=["values"],
                                            updates_collections=["updates"])
        other = metrics.streaming_mean(tf.constant(P1))
        assert v1.get_collection("values") == [pair[0]]
        assert v1.get_collection("updates") == [pair[1]]
        values, updates = metrics.aggregate_metrics(pair, other)
        assert values == [pair[0], other[0]] and updates == [pair[1], other[1]]
        names_to_values, names_to_updates = metrics.aggregate_metric_map({"c": pair, "m": other})
        assert names_to_values == {"c": pair[0], "m": other[0]}
        assert names_to_updates == {"c": pair[1], "m": other[1]}
        assert {v.op.name for v in v1.local_variables()} >= {
            "covariance/count", "covariance/mean_prediction", "covariance/mean_label",
            "covariance/comoment"}
        assert v1.trainable_variables() == []
    with pytest.raises(ValueError, match="Expected at least one value_tensor/update_op pair"):
        metrics.aggregate_metrics()


def test_served_as_tf_contrib_metrics_and_its_deep_paths():
    _alias.install()
    try:
        deep = importlib.import_module("tensorflow.contrib.metrics.python.ops.metric_ops")
        assert tf.contrib.metrics.streaming_concat is metrics.streaming_concat
        assert deep.streaming_pearson_correlation is metrics.streaming_pearson_correlation
        from tensorflow.contrib.metrics import f1_score
        assert f1_score is metrics.f1_score
    finally:
        _alias._uninstall_for_tests()


def test_deprecation_warning_points_at_the_callers_line():
    from compat_learn import _deprecation

    _deprecation._reset_for_tests()
    with tf.Graph().as_default():
        with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                          match="tf.contrib.metrics.streaming_mean_squared_error") as caught:
            metrics.streaming_mean_squared_error(tf.constant(P1), tf.constant(P1))
        with pytest.raises(TypeError, match="missing a required argument: 'labels'"):
            metrics.streaming_mean_squared_error(tf.constant(P1))
    assert caught[0].filename == __file__
