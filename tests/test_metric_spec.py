"""MetricSpec argument matching and tensor selection against r1.15 (no TensorFlow).

The metric functions here are plain Python recorders: MetricSpec only decides which
values reach which argument, so nothing needs a graph.
"""

import functools

import pytest

from compat_learn.metric_spec import MetricSpec

# r1.15 messages (metric_spec.py), pinned.
MSG_AMBIGUOUS = "Ambiguous arguments"
MSG_NAMED_ARGS = ("`metric_fn` requires named args: `labels`, `predictions`, and "
                  "optionally `weights`.")
MSG_KEY_FOR_TENSOR = "MetricSpec with prediction_key specified requires predictions dict"
MSG_NO_KEY_FOR_DICT = ("MetricSpec without specified label_key requires labels tensor or "
                       "single element dict")


def _calls(spec, **kwargs):
    return spec.metric_fn(**kwargs)


def test_canonical_names_are_passed_by_name():
    def metric(predictions, labels, weights=None):
        return {"p": predictions, "l": labels, "w": weights}
    spec = MetricSpec(metric)
    assert _calls(spec, labels="L", predictions="P") == {"p": "P", "l": "L", "w": None}
    assert _calls(spec, labels="L", predictions="P", weights="W")["w"] == "W"


def _label_prediction(prediction, label):
    return prediction, label


def _targets_logits(logits, targets):
    return logits, targets


def _target_logit(logit, target):
    return logit, target


@pytest.mark.parametrize("metric", [_label_prediction, _targets_logits, _target_logit])
def test_aliases_are_matched(metric):
    assert _calls(MetricSpec(metric), labels="L", predictions="P") == ("P", "L")


def test_labels_first_without_predictions_alias_is_positional():
    def metric(labels, values):
        return labels, values
    assert _calls(MetricSpec(metric), labels="L", predictions="P") == ("L", "P")


def test_labels_not_first_means_predictions_go_first_positionally():
    def metric(values, labels):
        return values, labels
    assert _calls(MetricSpec(metric), labels="L", predictions="P") == ("P", "L")


def test_no_labels_argument_drops_labels():
    def named(predictions):
        return predictions

    def positional(values):
        return values
    assert _calls(MetricSpec(named), labels="L", predictions="P") == "P"
    assert _calls(MetricSpec(positional), labels="L", predictions="P") == "P"


def test_weight_alias_is_passed_by_name():
    def metric(labels, predictions, weight=None):
        return weight
    assert _calls(MetricSpec(metric), labels="L", predictions="P", weights="W") == "W"


def test_ambiguous_aliases_raise():
    def metric(labels, targets, predictions):
        return None
    with pytest.raises(ValueError, match=MSG_AMBIGUOUS):
        MetricSpec(metric)


def test_label_key_requires_a_labels_argument():
    def metric(predictions):
        return None
    with pytest.raises(ValueError, match="missing from metric"):
        MetricSpec(metric, label_key="y")


def test_weight_key_requires_a_weights_argument():
    def metric(labels, predictions):
        return None
    with pytest.raises(ValueError, match="missing from metric"):
        MetricSpec(metric, weight_key="w")


def test_adapted_metric_fn_rejects_positional_call():
    spec = MetricSpec(lambda labels, predictions: None)
    with pytest.raises(ValueError) as err:
        spec.metric_fn("positional")
    assert str(err.value) == MSG_NAMED_ARGS


def test_partial_keywords_are_not_matched():
    def metric(labels, predictions, weights):
        return weights
    spec = MetricSpec(functools.partial(metric, weights="bound"))
    assert _calls(spec, labels="L", predictions="P") == "bound"


def test_properties_and_str():
    def my_metric(labels, predictions, weights=None):
        return None
    spec = MetricSpec(my_metric, prediction_key="p", label_key="l", weight_key="w")
    assert (spec.prediction_key, spec.label_key, spec.weight_key) == ("p", "l", "w")
    assert str(spec) == ("MetricSpec(metric_fn=my_metric, prediction_key=p, label_key=l, "
                         "weight_key=w)")


def _record(labels, predictions, weights=None):
    return labels, predictions, weights


def test_create_metric_ops_selects_keyed_tensors_and_weights():
    spec = MetricSpec(_record, prediction_key="p2", label_key="l1", weight_key="w")
    result = spec.create_metric_ops(
        inputs={"w": "W", "x": "X"}, labels={"l1": "L1", "l2": "L2"},
        predictions={"p1": "P1", "p2": "P2"})
    assert result == ("L1", "P2", "W")


def test_create_metric_ops_single_tensor_and_single_entry_dict():
    spec = MetricSpec(_record)
    assert spec.create_metric_ops({}, "L", {"only": "P"}) == ("L", "P", None)
    assert spec.create_metric_ops({}, {"only": "L"}, "P") == ("L", "P", None)


def test_create_metric_ops_key_for_a_single_tensor_raises():
    spec = MetricSpec(_record, prediction_key="p")
    with pytest.raises(ValueError, match=MSG_KEY_FOR_TENSOR):
        spec.create_metric_ops({}, "L", "P")


def test_create_metric_ops_missing_key_raises_key_error():
    spec = MetricSpec(_record, prediction_key="nope")
    with pytest.raises(KeyError, match="Key 'nope' missing from"):
        spec.create_metric_ops({}, "L", {"p": "P"})


def test_create_metric_ops_needs_a_key_for_a_multi_entry_dict():
    spec = MetricSpec(_record)
    with pytest.raises(ValueError, match=MSG_NO_KEY_FOR_DICT):
        spec.create_metric_ops({}, {"a": 1, "b": 2}, "P")
