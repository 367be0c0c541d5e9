"""Test doubles for Experiment's loop logic: a fake clock and fake estimators.

The fake estimators check every keyword they receive against the real method's
signature (as r1.15's experiment_test did), write real checkpoint state files (so the
scanner sees them), and count calls.
"""

import inspect
import os

from compat_learn import _tf, evaluable, trainable


class FakeClock:
    """Virtual time: patch over time.time and time.sleep; sleep(t) advances by t."""

    def __init__(self, start=1_000_000.0):
        self.now = start
        self.slept = 0.0

    def time(self):
        return self.now

    def sleep(self, secs):
        self.now += secs
        self.slept += secs


def install_clock(monkeypatch):
    import time

    clock = FakeClock()
    monkeypatch.setattr(time, "time", clock.time)
    monkeypatch.setattr(time, "sleep", clock.sleep)
    return clock


def write_checkpoint(model_dir, step):
    """Writes <model_dir>/model.ckpt-<step>.index and a state file naming it, like TF."""
    os.makedirs(model_dir, exist_ok=True)
    prefix = "model.ckpt-%d" % step
    with open(os.path.join(model_dir, prefix + ".index"), "wb") as f:
        f.write(b"index")
    tmp = os.path.join(model_dir, "checkpoint.tmp")
    with open(tmp, "w") as f:
        f.write('model_checkpoint_path: "%s"\nall_model_checkpoint_paths: "%s"\n' % (prefix, prefix))
    os.replace(tmp, os.path.join(model_dir, "checkpoint"))  # new inode, as TF does
    return os.path.join(model_dir, prefix)


def check_kwargs(method, kwargs):
    """Rejects any keyword the real method does not accept (r1.15 test discipline)."""
    accepted = inspect.signature(method).parameters
    for key in kwargs:
        if key not in accepted:
            raise ValueError("%s does not accept %r" % (method.__qualname__, key))


class _Counting:
    @property
    def model_dir(self):
        return self._model_dir

    @property
    def config(self):
        if self._config is None:
            from compat_learn.run_config import RunConfig

            self._config = RunConfig()
        return self._config

    def _init_counts(self, model_dir, config, eval_dict, max_evals):
        self._model_dir = str(model_dir)
        self._config = config
        self.eval_dict = eval_dict
        self.max_evals = max_evals
        self.fit_count = 0
        self.eval_count = 0
        self.export_count = 0
        self.monitors = []
        self.eval_hooks = []
        self.train_kwargs = []
        self.eval_kwargs = []
        self.step = 0

    def _record_train(self, kwargs):
        self.fit_count += 1
        self.train_kwargs.append(kwargs)
        self.step += 1
        write_checkpoint(self._model_dir, self.step)
        return sorted(kwargs)

    def _record_eval(self, kwargs):
        self.eval_count += 1
        if self.eval_count > self.max_evals:
            raise StopIteration("Ran %d evals. Done." % self.max_evals)
        self.eval_kwargs.append(kwargs)
        self.eval_hooks = kwargs.get("hooks")
        return self.eval_dict

    def _record_export(self, export_dir_base):
        self.export_count += 1
        return os.path.join(os.fsencode(export_dir_base), b"bogus_timestamp")


class FakeContribEstimator(_Counting, trainable.Trainable, evaluable.Evaluable):
    """A contrib-style estimator (Trainable + Evaluable)."""

    def __init__(self, model_dir, config=None, eval_dict=None, max_evals=5):
        self._init_counts(model_dir, config, eval_dict, max_evals)

    def fit(self, **kwargs):
        check_kwargs(trainable.Trainable.fit, kwargs)
        self.monitors = kwargs.get("monitors")
        return self._record_train(kwargs)

    def evaluate(self, **kwargs):
        check_kwargs(evaluable.Evaluable.evaluate, kwargs)
        return self._record_eval(kwargs)

    def export_savedmodel(self, export_dir_base, serving_input_fn, **kwargs):
        return self._record_export(export_dir_base)


class FakeCoreEstimator(_Counting, _tf.CoreEstimator):
    """A core tf.estimator.Estimator double; its __init__ skips the real one's."""

    def __init__(self, model_dir, config=None, eval_dict=None, max_evals=5):
        self._init_counts(model_dir, config, eval_dict, max_evals)

    def train(self, **kwargs):
        check_kwargs(_tf.CoreEstimator.train, kwargs)
        self.monitors = kwargs.get("hooks")
        return self._record_train(kwargs)

    def evaluate(self, **kwargs):
        check_kwargs(_tf.CoreEstimator.evaluate, kwargs)
        return self._record_eval(kwargs)

    def export_saved_model(self, export_dir_base, serving_input_receiver_fn, **kwargs):
        check_kwargs(_tf.CoreEstimator.export_saved_model,
                     dict(kwargs, export_dir_base=export_dir_base,
                          serving_input_receiver_fn=serving_input_receiver_fn))
        return self._record_export(export_dir_base)


class NoopHook(_tf.SessionRunHook):
    pass
