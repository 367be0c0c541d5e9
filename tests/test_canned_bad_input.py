"""Bad input to the canned contrib estimators (issue 10): r1.15's error types and
messages, and nothing written by a call that failed validation.

r1.15 validated these before any session existed (in the constructor, in
_verify_input_args, while building the graph, or on finding no checkpoint), so it
created no model_dir and wrote no checkpoint; each test checks the same here. Labels
out of range are the exception in r1.15 too: the loss op rejects them when the first
step runs, after the session's step-0 checkpoint (TF 1.15's CheckpointSaverHook saves
it in after_create_session), so training never advances past step 0.
"""

import os

import numpy as np
import pytest

from compat_learn._tf import tf
from compat_learn.estimators import dnn, linear
from compat_learn.estimators import dnn_linear_combined as dlc
from compat_learn.estimators._sklearn import NotFittedError
from compat_learn.layers import feature_column as fc

X = np.random.RandomState(0).rand(8, 3).astype(np.float32)
Y = (X[:, 0] > .5).astype(np.int64)

MSG_BOTH = "Can not provide both input_fn and x or y."
MSG_NEITHER = "Either x or input_fn must be provided."
MSG_NOT_FITTED = "Couldn't find trained model at %s."


def _input_fn(y=Y, x=X):
    def input_fn():
        features = {"x": tf.constant(x),
                    "k": tf.SparseTensor(indices=[[i, 0] for i in range(8)],
                                         values=["a", "b"] * 4, dense_shape=[8, 1])}
        return features, tf.constant(y)
    return input_fn


def _keys():
    return fc.sparse_column_with_keys("k", ["a", "b"])


def _written(model_dir):
    return sorted(os.listdir(model_dir)) if os.path.exists(model_dir) else None


# --------------------------------------------------------------- feature columns

def test_sparse_column_in_a_dnn_is_r115s_error_and_writes_nothing(tmp_path):
    model_dir = str(tmp_path / "model")
    column = _keys()
    estimator = dnn.DNNClassifier(hidden_units=[2], feature_columns=[column],
                                  model_dir=model_dir)
    with pytest.raises(ValueError) as info:
        estimator.fit(input_fn=_input_fn(), steps=1)
    assert str(info.value) == (
        "Error creating input layer for column: k.\nSparseColumn is not supported in DNN. "
        "Please use embedding_column or one_hot_column. column: {0}, "
        "No deep embedding lookup arguments for column {0}.".format(column))
    assert _written(model_dir) is None


def test_embedding_column_in_a_linear_model_is_r115s_error_and_writes_nothing(tmp_path):
    model_dir = str(tmp_path / "model")
    column = fc.embedding_column(_keys(), dimension=2)
    estimator = linear.LinearClassifier(feature_columns=[column], model_dir=model_dir)
    with pytest.raises(ValueError) as info:
        estimator.fit(input_fn=_input_fn(), steps=1)
    assert str(info.value) == (
        "Error creating weighted sum for column: k_embedding.\nColumn {} is not supported "
        "in linear models. Please use sparse_column.".format(column))
    assert _written(model_dir) is None


def test_scalar_tensor_for_a_dnn_column_is_r115s_rank_error_and_writes_nothing(tmp_path):
    model_dir = str(tmp_path / "model")
    column = fc.real_valued_column("x")
    estimator = dnn.DNNRegressor(hidden_units=[2], feature_columns=[column],
                                 model_dir=model_dir)

    def input_fn():
        return {"x": tf.constant(1.0)}, tf.constant([1.0])

    with pytest.raises(ValueError) as info:
        estimator.fit(input_fn=input_fn, steps=1)
    assert str(info.value) == (
        "Error creating input layer for column: x.\nError while processing column x."
        "Rank of input Tensor (0) should be the same as output_rank (2). For example, "
        "sequence data should typically be 3 dimensional (rank 3) while non-sequence data "
        "is typically 2 dimensional (rank 2)., "
        "No deep embedding lookup arguments for column {}.".format(column))
    assert _written(model_dir) is None


def test_real_valued_dimension_is_not_checked_against_the_tensor_as_in_r115(tmp_path):
    # Not an error in r1.15 either: it sized a linear column's weight from the tensor it was fed, never from
    # `dimension` (which only tells parsing how many values to read): a column declared
    # with dimension 4 and fed 3 values trains a [3, 1] weight.
    model_dir = str(tmp_path / "model")
    estimator = linear.LinearRegressor(feature_columns=[fc.real_valued_column("x", 4)],
                                       model_dir=model_dir)
    estimator.fit(input_fn=_input_fn(y=Y.astype(np.float32)), steps=1)
    assert estimator.get_variable_value("linear/x/weight").shape == (3, 1)
    assert fc.create_feature_spec_for_parsing([fc.real_valued_column("x", 4)])[
        "x"].shape == [4]


# -------------------------------------------------------------- n_classes, labels

@pytest.mark.parametrize("make", [
    lambda n, d: linear.LinearClassifier(feature_columns=[fc.real_valued_column("x", 3)],
                                         n_classes=n, model_dir=d),
    lambda n, d: dlc.DNNLinearCombinedClassifier(
        linear_feature_columns=[fc.real_valued_column("x", 3)], n_classes=n, model_dir=d),
    lambda n, d: dnn.DNNClassifier(hidden_units=[2], n_classes=n, model_dir=d,
                                   feature_columns=[fc.real_valued_column("x", 3)]),
], ids=["LinearClassifier", "DNNLinearCombinedClassifier", "DNNClassifier"])
@pytest.mark.parametrize("n_classes", [1, 0])
def test_n_classes_below_two_is_r115s_error_before_anything_is_written(
        tmp_path, make, n_classes):
    model_dir = str(tmp_path / "model")
    with pytest.raises(ValueError) as info:
        make(n_classes, model_dir)
    assert str(info.value) == "n_classes must be > 1 for classification: %d." % n_classes
    assert _written(model_dir) is None


@pytest.mark.parametrize("make", [
    lambda d: linear.LinearClassifier(feature_columns=[fc.real_valued_column("x", 3)],
                                      n_classes=3, model_dir=d),
    lambda d: dnn.DNNClassifier(hidden_units=[2], n_classes=3, model_dir=d,
                                feature_columns=[fc.real_valued_column("x", 3)]),
], ids=["LinearClassifier", "DNNClassifier"])
def test_labels_out_of_range_fail_the_first_step_as_in_r115(tmp_path, make):
    model_dir = str(tmp_path / "model")
    estimator = make(model_dir)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        estimator.fit(input_fn=_input_fn(y=Y + 2), steps=5)
    assert "Received a label value of 3 which is outside the valid range of [0, 3)." in str(
        info.value)
    # the session's step-0 checkpoint, as TF 1.15 wrote it; no step was trained
    assert tf.train.latest_checkpoint(model_dir) == os.path.join(model_dir, "model.ckpt-0")


# ---------------------------------------------------------------- x and input_fn

def _classifier(model_dir):
    return dnn.DNNClassifier(hidden_units=[2], feature_columns=[
        fc.real_valued_column("", dimension=3)], model_dir=model_dir)


CALLS = {
    "fit": lambda e, **kw: e.fit(steps=1, **kw),
    "partial_fit": lambda e, **kw: e.partial_fit(steps=1, **kw),
    "evaluate": lambda e, **kw: e.evaluate(steps=1, **kw),
    "predict": lambda e, **kw: list(e.predict(**kw)),
    "predict_classes": lambda e, **kw: list(e.predict_classes(**kw)),
    "predict_proba": lambda e, **kw: list(e.predict_proba(**kw)),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_x_together_with_input_fn_is_r115s_error_and_writes_nothing(tmp_path, call):
    model_dir = str(tmp_path / "model")
    with pytest.raises(ValueError) as info:
        CALLS[call](_classifier(model_dir), x=X, input_fn=_input_fn())
    assert str(info.value) == MSG_BOTH
    assert _written(model_dir) is None


@pytest.mark.parametrize("call", ["fit", "evaluate", "predict_classes"])
def test_neither_x_nor_input_fn_is_r115s_error_and_writes_nothing(tmp_path, call):
    model_dir = str(tmp_path / "model")
    with pytest.raises(ValueError) as info:
        CALLS[call](_classifier(model_dir))
    assert str(info.value) == MSG_NEITHER
    assert _written(model_dir) is None


# ------------------------------------------------------------- no checkpoint yet

NOT_FITTED_CALLS = {
    "evaluate": lambda e: e.evaluate(x=X, y=Y),
    "predict": lambda e: list(e.predict(x=X)),
    "predict_classes": lambda e: list(e.predict_classes(x=X)),
    "predict_proba": lambda e: list(e.predict_proba(x=X)),
    "predict_scores": lambda e: list(e.predict_scores(x=X)),
    "export_savedmodel": lambda e: e.export_savedmodel(
        os.path.join(e.model_dir, "export"),
        lambda: None),
}


@pytest.mark.parametrize("existing", [False, True], ids=["missing_dir", "empty_dir"])
@pytest.mark.parametrize("call", sorted(NOT_FITTED_CALLS))
def test_no_checkpoint_is_r115s_not_fitted_error_and_writes_nothing(tmp_path, call, existing):
    model_dir = str(tmp_path / "model")
    if existing:
        os.mkdir(model_dir)
    if call == "predict_scores":
        estimator = linear.LinearRegressor(
            feature_columns=[fc.real_valued_column("", dimension=3)], model_dir=model_dir)
    else:
        estimator = _classifier(model_dir)
    with pytest.raises(NotFittedError) as info:
        NOT_FITTED_CALLS[call](estimator)
    assert str(info.value) == MSG_NOT_FITTED % model_dir
    assert isinstance(info.value, ValueError) and isinstance(info.value, AttributeError)
    assert _written(model_dir) == ([] if existing else None)
