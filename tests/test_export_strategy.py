"""ExportStrategy (r1.15 export_strategy.py; spec §5.1)."""

import functools
import logging

import pytest

from compat_learn import _deprecation
from compat_learn.export_strategy import ExportStrategy

# r1.15 export_strategy.py message.
EVAL_RESULT_WITHOUT_CHECKPOINT = (
    r"^An export_fn accepting eval_result must also accept checkpoint_path\.$")


def test_fields_and_two_argument_construction():
    strategy = ExportStrategy("Servo", len)
    assert strategy._fields == ("name", "export_fn", "strip_default_attrs")
    assert strategy.name == "Servo"
    assert strategy.export_fn is len
    assert strategy.strip_default_attrs is None
    assert ExportStrategy("a", len, True).strip_default_attrs is True
    assert isinstance(strategy, tuple)


def test_construction_warns_deprecation_naming_the_replacement():
    _deprecation._reset_for_tests()
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                      match=r"tf\.contrib\.learn\.ExportStrategy.*tf\.estimator\.Exporter"):
        ExportStrategy("Servo", len)


def _recording():
    calls = []

    def record(*args, **kwargs):
        calls.append((args, kwargs))
        return "result"

    return calls, record


def test_export_fn_with_two_arguments_gets_neither_checkpoint_nor_eval_result():
    calls, record = _recording()

    def export_fn(estimator, export_path):
        return record(estimator, export_path)

    result = ExportStrategy("s", export_fn).export("est", "/p", checkpoint_path="ckpt",
                                                    eval_result={"loss": 1})
    assert result == "result"
    assert calls == [(("est", "/p"), {})]


def test_checkpoint_path_is_forwarded_by_keyword_when_declared():
    calls, record = _recording()

    def export_fn(estimator, export_path, checkpoint_path):
        return record(estimator, export_path, checkpoint_path=checkpoint_path)

    ExportStrategy("s", export_fn).export("est", "/p", checkpoint_path="ckpt")
    assert calls == [(("est", "/p"), {"checkpoint_path": "ckpt"})]


def test_eval_result_and_strip_default_attrs_are_forwarded_when_declared():
    seen = {}

    def export_fn(estimator, export_path, checkpoint_path=None, eval_result=None,
                  strip_default_attrs=False):
        seen.update(checkpoint_path=checkpoint_path, eval_result=eval_result,
                    strip_default_attrs=strip_default_attrs)

    ExportStrategy("s", export_fn, True).export("est", "/p", "ckpt", {"loss": 2})
    assert seen == {"checkpoint_path": "ckpt", "eval_result": {"loss": 2},
                    "strip_default_attrs": True}
    # The strategy's default (None) overrides the export_fn's own default.
    ExportStrategy("s", export_fn).export("est", "/p")
    assert seen["strip_default_attrs"] is None


def test_eval_result_without_checkpoint_path_is_rejected():
    def export_fn(estimator, export_path, eval_result):
        raise AssertionError("must not be called")

    with pytest.raises(ValueError, match=EVAL_RESULT_WITHOUT_CHECKPOINT):
        ExportStrategy("s", export_fn).export("est", "/p", "ckpt", {})


def test_differently_named_and_var_keyword_arguments_are_not_filled():
    seen = []

    def renamed(estimator, export_path, unused_checkpoint_path=None):
        seen.append(unused_checkpoint_path)

    def var_kwargs(estimator, export_path, **kwargs):
        seen.append(kwargs)

    ExportStrategy("s", renamed).export("est", "/p", checkpoint_path="ckpt")
    ExportStrategy("s", var_kwargs).export("est", "/p", checkpoint_path="ckpt")
    assert seen == [None, {}]


def test_partials_and_bound_methods_are_inspected_by_argument_name():
    seen = []

    def export_fn(prefix, estimator, export_path, checkpoint_path=None):
        seen.append((prefix, checkpoint_path))

    class Exporter:
        def export(self, estimator, export_path, checkpoint_path=None, eval_result=None):
            seen.append(("method", checkpoint_path, eval_result))

    ExportStrategy("s", functools.partial(export_fn, "p")).export("e", "/p", "ckpt")
    ExportStrategy("s", Exporter().export).export("e", "/p", "ckpt", {"a": 1})
    assert seen == [("p", "ckpt"), ("method", "ckpt", {"a": 1})]


def test_a_failing_export_is_logged_once_with_strategy_and_checkpoint_then_reraised(caplog):
    def failing(estimator, export_path, checkpoint_path=None):
        raise OSError("disk full")

    inner = ExportStrategy("inner", failing)

    def outer_fn(estimator, export_path, checkpoint_path=None):
        return inner.export(estimator, export_path, checkpoint_path)

    with caplog.at_level(logging.ERROR, logger="compat_learn.export_strategy"), \
            pytest.raises(OSError, match="disk full"):
        ExportStrategy("outer", outer_fn).export("est", b"/base/outer",
                                                 checkpoint_path="/m/model.ckpt-7")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    message = errors[0].getMessage()
    # Named by the strategy the user gave (best-model and extended strategies wrap
    # a 'Servo' one), with the checkpoint.
    assert "'outer'" in message and "/m/model.ckpt-7" in message
    assert "'inner'" not in message
