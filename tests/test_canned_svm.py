"""tf.contrib.learn.SVM against r1.15's svm.py and svm_test.py.

The scenarios and bounds are svm_test.py's (three examples, 30 SDCA steps). The
numbers are checked against numpy: evaluate's loss and accuracy are recomputed from
the trained weights (get_variable_value), and the weights are compared with the optimum
of the L2-regularized hinge loss, found by projected gradient ascent on its dual.
"""

import numpy as np
import pytest

from compat_learn._tf import tf
from compat_learn.estimators import svm
from compat_learn.layers import feature_column as fc

pytestmark = pytest.mark.integration

IDS = ["1", "2", "3"]
LABELS = np.array([1, 0, 1])


def _input_fn(features, labels=LABELS, example_ids=IDS):
    def input_fn():
        tensors = {"example_id": tf.constant(example_ids)} if example_ids else {}
        for name, value in features.items():
            # A callable builds its (sparse) tensor in the input_fn's graph.
            tensors[name] = value() if callable(value) else tf.constant(value)
        return tensors, tf.constant(labels.reshape(-1, 1))
    return input_fn


def _svm(tmp_path, columns, **kwargs):
    return svm.SVM(feature_columns=columns, example_id_column="example_id",
                   model_dir=str(tmp_path), **kwargs)


def _hinge_optimum(x, labels, l2):
    """argmin_w sum_i max(0, 1 - y_i w.x_i) + l2/2 |w|^2 (x with a ones column).

    Projected gradient ascent on the dual max sum(a) - |X^T (a*y)|^2 / (2 l2),
    0 <= a <= 1; w = X^T (a*y) / l2.
    """
    y = 2.0 * labels - 1.0
    q = (y[:, None] * x) @ (y[:, None] * x).T / l2
    step = 1.0 / np.linalg.eigvalsh(q).max()
    a = np.zeros(len(y))
    for _ in range(20000):
        a = np.clip(a + step * (1.0 - q @ a), 0.0, 1.0)
    return x.T @ (a * y) / l2


def _weights(estimator, names):
    return np.concatenate([estimator.get_variable_value(n).ravel() for n in names])


def _numpy_metrics(x, labels, w):
    logits = x @ w
    hinge = np.maximum(0.0, 1.0 - (2.0 * labels - 1.0) * logits)
    # The SVM head's class: argmax of [0, logit] (class 0 on a tie).
    return hinge.mean(), np.mean((logits > 0).astype(int) == labels)


def _check_against_numpy(estimator, metrics, x, names):
    w = _weights(estimator, names)
    loss, accuracy = _numpy_metrics(x, LABELS, w)
    assert metrics["loss"] == pytest.approx(loss, abs=1e-5)
    assert metrics["accuracy"] == pytest.approx(accuracy)
    return w


# r1.15 asserted its bounds after 30 steps; the weights are compared with the optimum
# after 100 (SDCA samples the examples at random: after 30 steps a weight can still be
# 1e-2 away, after 100 within 3e-3 of it).
STEPS_TO_OPTIMUM = 100
TWO_COLUMNS = ["linear/feature1/weight", "linear/feature2/weight", "linear/bias_weight"]


def test_separable_real_valued_features_reach_zero_hinge_loss_and_the_optimum(tmp_path):
    f1, f2 = np.array([[0.0], [1.0], [3.0]]), np.array([[1.0], [-1.2], [1.0]])
    estimator = _svm(tmp_path, [fc.real_valued_column("feature1"),
                                fc.real_valued_column("feature2")],
                     l1_regularization=0.0, l2_regularization=0.0)
    input_fn = _input_fn({"feature1": f1.astype(np.float32), "feature2": f2.astype(np.float32)})
    estimator.fit(input_fn=input_fn, steps=STEPS_TO_OPTIMUM)
    metrics = estimator.evaluate(input_fn=input_fn, steps=1)
    assert set(metrics) == {"loss", "accuracy", "global_step"}
    # r1.15: the points satisfy the margins (w1=0, w2=1), so the hinge loss is 0.
    assert metrics["loss"] == pytest.approx(0.0, abs=1e-3)
    assert metrics["accuracy"] == pytest.approx(1.0)
    x = np.hstack([f1, f2, np.ones((3, 1))])
    w = _check_against_numpy(estimator, metrics, x, TWO_COLUMNS)
    # l2 = 0 is solved with r1.15's minimum l2 of 1.0.
    np.testing.assert_allclose(w, _hinge_optimum(x, LABELS, 1.0), atol=5e-3)
    np.testing.assert_array_equal(
        estimator.predict_classes(input_fn=input_fn, as_iterable=False), [1, 0, 1])


def test_fit_on_numpy_x_dict(tmp_path):
    # r1.15's numpy feeder gave the ids shape [batch, 1], which SdcaFprint refused.
    x = {"example_id": np.array(IDS), "feature1": np.array([[0.0], [1.0], [3.0]], np.float32),
         "feature2": np.array([[1.0], [-1.2], [1.0]], np.float32)}
    estimator = _svm(tmp_path, [fc.real_valued_column("feature1"),
                                fc.real_valued_column("feature2")])
    estimator.fit(x=x, y=LABELS, steps=30, batch_size=3)
    metrics = estimator.evaluate(x=x, y=LABELS, steps=1, batch_size=3)
    assert metrics["accuracy"] == pytest.approx(1.0)
    np.testing.assert_array_equal(estimator.predict_classes(x=x, as_iterable=False), LABELS)


@pytest.mark.parametrize("multi_dim", [False, True])
def test_l2_regularization_gives_the_regularized_optimum(tmp_path, multi_dim):
    f1, f2 = np.array([0.5, 1.0, 1.0]), np.array([1.0, -1.0, 0.5])
    if multi_dim:
        # r1.15: the same data as one real-valued column of dimension 2.
        columns = [fc.real_valued_column("multi_dim_feature", dimension=2)]
        features = {"multi_dim_feature": np.stack([f1, f2], 1).astype(np.float32)}
        names = ["linear/multi_dim_feature/weight", "linear/bias_weight"]
    else:
        columns = [fc.real_valued_column("feature1"), fc.real_valued_column("feature2")]
        features = {"feature1": f1.astype(np.float32), "feature2": f2.astype(np.float32)}
        names = TWO_COLUMNS
    estimator = _svm(tmp_path, columns, l1_regularization=0.0, l2_regularization=1.0)
    input_fn = _input_fn(features)
    estimator.fit(input_fn=input_fn, steps=STEPS_TO_OPTIMUM)
    metrics = estimator.evaluate(input_fn=input_fn, steps=1)
    assert metrics["loss"] < 0.1
    assert metrics["accuracy"] == pytest.approx(1.0)
    x = np.stack([f1, f2, np.ones(3)], 1)
    w = _check_against_numpy(estimator, metrics, x, names)
    np.testing.assert_allclose(w, _hinge_optimum(x, LABELS, 1.0), atol=5e-3)


def test_l1_regularization_shrinks_the_weights(tmp_path):
    features = {"feature1": np.array([[0.5], [1.0], [1.0]], np.float32),
                "feature2": np.array([[1.0], [-1.0], [0.5]], np.float32)}
    columns = [fc.real_valued_column("feature1"), fc.real_valued_column("feature2")]
    x = np.hstack([features["feature1"], features["feature2"], np.ones((3, 1))])
    mild = _svm(tmp_path / "mild", columns, l1_regularization=0.5, l2_regularization=1.0)
    mild.fit(input_fn=_input_fn(features), steps=30)
    metrics = mild.evaluate(input_fn=_input_fn(features), steps=1)
    # r1.15: a mild L1 keeps every prediction right at a loss above 0.1.
    assert metrics["loss"] > 0.1
    assert metrics["accuracy"] == pytest.approx(1.0)
    w_mild = _check_against_numpy(mild, metrics, x, TWO_COLUMNS)
    assert np.abs(w_mild).sum() < np.abs(_hinge_optimum(x, LABELS, 1.0)).sum()

    big = _svm(tmp_path / "big", columns, l1_regularization=3.0, l2_regularization=1.0)
    big.fit(input_fn=_input_fn(features), steps=30)
    metrics = big.evaluate(input_fn=_input_fn(features), steps=1)
    # r1.15: a big L1 zeroes the weights: hinge loss 1, every logit 0 (class 0).
    np.testing.assert_array_equal(_weights(big, TWO_COLUMNS), np.zeros(3))
    assert metrics["loss"] == pytest.approx(1.0, abs=1e-3)
    assert metrics["accuracy"] == pytest.approx(1 / 3)


def _country(indices, shape):
    return lambda: tf.SparseTensor(values=["IT", "US", "GB"], indices=indices,
                                   dense_shape=shape)


def test_sparse_bucketized_crossed_and_weighted_features(tmp_path):
    # r1.15 svm_test's testMixedFeatures (with its weight column).
    price = fc.real_valued_column("price")
    sq_footage_bucket = fc.bucketized_column(fc.real_valued_column("sq_footage"),
                                             boundaries=[650.0, 800.0])
    country = fc.sparse_column_with_hash_bucket("country", hash_bucket_size=5)
    crossed = fc.crossed_column([sq_footage_bucket, country], hash_bucket_size=10)
    features = {"price": np.array([0.6, 0.8, 0.3], np.float32),
                "sq_footage": np.array([[900.0], [700.0], [600.0]], np.float32),
                "country": _country([[0, 0], [1, 3], [2, 1]], [3, 5]),
                "weights": np.array([[3.0], [1.0], [1.0]], np.float32)}
    estimator = _svm(tmp_path, [price, sq_footage_bucket, country, crossed],
                     weight_column_name="weights", l1_regularization=0.1,
                     l2_regularization=1.0)
    estimator.fit(input_fn=_input_fn(features), steps=30)
    assert estimator.evaluate(input_fn=_input_fn(features), steps=1)["accuracy"] == \
        pytest.approx(1.0)
    names = set(estimator.get_variable_names())
    # r1.15's variable names, the SDCA slots and the dual-variable table included.
    assert {"linear/price/weight", "linear/sq_footage_bucketized/weights",
            "linear/country/weights", "linear/country_X_sq_footage_bucketized/weights",
            "linear/bias_weight",
            "binary_svm_head/train_op/linear/country/weights_unshrinked/SDCAOptimizer",
            "binary_svm_head/train_op/linear/bias_weight_unshrinked/SDCAOptimizer",
            "ShardedMutableHashTable-1-of-1-keys",
            "ShardedMutableHashTable-1-of-1-values"} <= names
    assert not any("centered_bias" in name for name in names)


def test_fit_continues_from_the_saved_step_and_dual_variables(tmp_path):
    features = {"price": np.array([[0.8], [0.6], [0.3]], np.float32),
                "country": _country([[0, 0], [1, 0], [2, 0]], [3, 1])}
    labels = np.array([0, 1, 1])
    columns = [fc.real_valued_column("price"),
               fc.sparse_column_with_hash_bucket("country", hash_bucket_size=5)]
    first = _svm(tmp_path, columns, l2_regularization=1.0)
    first.fit(input_fn=_input_fn(features, labels), steps=30)
    assert first.evaluate(input_fn=_input_fn(features, labels), steps=1)["accuracy"] == 1.0
    weights = _weights(first, ["linear/price/weight", "linear/country/weights"])
    second = _svm(tmp_path, columns, l2_regularization=1.0)
    second.fit(input_fn=_input_fn(features, labels), steps=5)
    assert second.get_variable_value("global_step") == 35
    # The restored dual variables are at the optimum already: the weights stay.
    np.testing.assert_allclose(
        _weights(second, ["linear/price/weight", "linear/country/weights"]), weights,
        atol=1e-4)


def test_predict_proba_fails_as_in_r115_and_predict_gives_logits(tmp_path):
    features = {"feature1": np.array([[0.0], [1.0], [3.0]], np.float32)}
    estimator = _svm(tmp_path, [fc.real_valued_column("feature1")])
    estimator.fit(input_fn=_input_fn(features), steps=2)
    predictions = list(estimator.predict(input_fn=_input_fn(features)))
    assert set(predictions[0]) == {"logits", "classes"}
    w = _weights(estimator, ["linear/feature1/weight", "linear/bias_weight"])
    np.testing.assert_allclose([p["logits"][0] for p in predictions],
                               features["feature1"].ravel() * w[0] + w[1], rtol=1e-5)
    # r1.15's SVM head has no probabilities: predict_proba asks for a missing output.
    with pytest.raises(ValueError):
        estimator.predict_proba(input_fn=_input_fn(features), as_iterable=False)


def test_missing_example_id_or_weight_feature_fails_as_in_r115(tmp_path):
    features = {"feature1": np.array([[0.0], [1.0], [3.0]], np.float32)}
    estimator = _svm(tmp_path / "ids", [fc.real_valued_column("feature1")])
    with pytest.raises(KeyError, match="example_id"):
        estimator.fit(input_fn=_input_fn(features, example_ids=None), steps=1)
    # The head looks the weights up first (r1.15 head.py's message).
    estimator = _svm(tmp_path / "weights", [fc.real_valued_column("feature1")],
                     weight_column_name="weights")
    with pytest.raises(ValueError, match=r"^Weights weights missing from features\.$"):
        estimator.fit(input_fn=_input_fn(features), steps=1)


@pytest.mark.parametrize("kernels", [[], ["rbf"]])
def test_kernels_are_refused(kernels):
    with pytest.raises(ValueError, match=r"^Kernel SVMs are not currently supported\.$"):
        svm.SVM(example_id_column="example_id",
                feature_columns=[fc.real_valued_column("x")], kernels=kernels)


def test_svm_and_linear_optimizer_are_served_at_r115_paths():
    import importlib

    import compat_learn
    from compat_learn import _alias, estimators, linear_optimizer

    assert compat_learn.SVM is estimators.SVM is svm.SVM
    _alias.install()
    try:
        assert tf.contrib.learn.SVM is svm.SVM
        assert importlib.import_module(
            "tensorflow.contrib.learn.python.learn.estimators.svm") is svm
        assert tf.contrib.linear_optimizer.SDCAOptimizer is linear_optimizer.SDCAOptimizer
        ops = importlib.import_module("tensorflow.contrib.linear_optimizer.python.ops.sdca_ops")
        assert ops.SdcaModel is linear_optimizer.SdcaModel
    finally:
        _alias._uninstall_for_tests()
