"""r1.15's estimator API on the contrib Estimator (issue #10 items 2 and 6).

fit/evaluate/predict with numpy, dict, pandas and iterator inputs through r1.15's
data feeder (compat_learn.learn_io.data_feeder), and make_export_strategy calling an
estimator's own export_savedmodel. Tiny models, a few steps each.
"""

import os

import pytest

from compat_learn import _tf
from compat_learn.utils import saved_model_export_utils

tf = _tf.tf


def _serving_input_fn():
    x = tf.compat.v1.placeholder(tf.float32, [None, 1], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


@pytest.mark.parametrize("base", [tf.compat.v1.estimator.Estimator, tf.estimator.Estimator],
                         ids=["v1", "v2"])
def test_export_strategy_calls_the_estimators_own_export_savedmodel(base, tmp_path):
    # r1.15 make_export_strategy: estimator.export_savedmodel(...), core or contrib.
    calls = []

    class Custom(base):
        # TF 2.15 forbids overrides unless a subclass opts out like this (as TF's
        # own TPUEstimator does); r1.15 allowed them.
        def _assert_members_are_not_overridden(self):
            pass

        def export_savedmodel(self, export_dir_base, serving_input_receiver_fn,
                              assets_extra=None, as_text=False, checkpoint_path=None,
                              strip_default_attrs=False):
            calls.append((export_dir_base, assets_extra, as_text, checkpoint_path,
                          strip_default_attrs))
            os.makedirs(export_dir_base)
            return b"custom-export"

    est = Custom(model_fn=lambda features, labels, mode: None, model_dir=str(tmp_path / "m"))
    strategy = saved_model_export_utils.make_export_strategy(
        _serving_input_fn, assets_extra={"a": "b"}, as_text=True)
    base_dir = str(tmp_path / "export")
    assert strategy.export(est, base_dir, checkpoint_path="ckpt-7") == b"custom-export"
    assert calls == [(base_dir, {"a": "b"}, True, "ckpt-7", None)]  # r1.15 passes the strategy's None
