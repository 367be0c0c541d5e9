"""compat_learn's log lines follow ``tf.compat.v1.logging``, as tf.contrib.learn's did.

Each case runs a real Experiment.continuous_eval on an empty model directory in a
child interpreter (logging configuration is process-wide) and reads its stderr.
"""

import re
import textwrap

import _procs

SCRIPT = textwrap.dedent("""
    import logging, sys, tempfile
    if "basic" in sys.argv:
        logging.basicConfig(level=logging.WARNING, format="root:%(name)s:%(message)s")
    import tensorflow as tf
    import compat_learn as learn
    if "info" in sys.argv:
        tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.INFO)
    if "error" in sys.argv:
        tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
    estimator = tf.estimator.Estimator(model_fn=lambda features, labels, mode: None,
                                       model_dir=tempfile.mkdtemp())
    ex = learn.Experiment(estimator, train_input_fn=None, eval_input_fn=lambda: None)
    calls = []
    ex.continuous_eval(delay_secs=0, throttle_delay_secs=0.3,
                       continuous_eval_predicate_fn=lambda r: len(calls) < 3 and not calls.append(r))
""")

NOT_FITTED = "compat_learn.experiment:Estimator is not fitted yet."
WAITING = re.compile(r"INFO:compat_learn\.experiment:Waiting 0\.\d+ secs before starting next eval run\.")
NO_STATE = "INFO:compat_learn.checkpoints:Waiting for a checkpoint: no checkpoint state file"


def _stderr(*args):
    returncode, _, err = _procs.run_python(["-W", "ignore", "-c", SCRIPT] + list(args))
    assert returncode == 0, err
    return err


def test_default_verbosity_shows_warnings_once_and_no_info():
    err = _stderr()
    assert err.count("WARNING:" + NOT_FITTED) == 1
    assert "INFO:" not in err


def test_set_verbosity_info_shows_the_evaluators_progress():
    err = _stderr("info")
    # After each empty eval run that took less than the throttle (all three, unless
    # the machine is very busy).
    assert 1 <= len(WAITING.findall(err)) <= 3
    assert err.count(NO_STATE) == 1  # what the watcher waits for, said once
    assert err.count("WARNING:" + NOT_FITTED) == 1


def test_set_verbosity_error_silences_compat_learn_warnings():
    assert "Estimator is not fitted yet" not in _stderr("error")


def test_a_configured_root_logger_prints_each_line_once():
    # TensorFlow adds no handler of its own when the root logger is configured first;
    # the record reaches the root handler once, through TensorFlow's logger.
    err = _stderr("basic")
    assert err.count(NOT_FITTED) == 1
    assert "root:" + NOT_FITTED in err
