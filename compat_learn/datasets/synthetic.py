"""`tf.contrib.learn.datasets.synthetic`: the circles and spirals toy data sets.

Replaces ``tensorflow.contrib.learn.python.learn.datasets.synthetic`` (r1.15), with
its numbers: the same points, drawn from numpy's global random generator in the same
order, so a given `seed` gives r1.15's data. Native TF2 replacement:
``sklearn.datasets.make_circles`` / ``make_moons``.
"""

import numpy as np

from compat_learn import _deprecation
from compat_learn.datasets.base import Dataset

__all__ = ["circles", "spirals"]

_REPLACEMENT = "sklearn.datasets.make_circles / make_moons"


def _finish(xs, ys, labels, n_samples, noise):
    """Stacks the coordinates, shuffles and adds noise, in r1.15's order of draws."""
    points = np.vstack((xs, ys)).T
    indices = np.random.permutation(range(n_samples))
    if noise is not None:
        points += np.random.normal(scale=noise, size=points.shape)
    return Dataset(data=points[indices], target=labels[indices])


def circles(n_samples=100, noise=None, seed=None, factor=0.8, n_classes=2, *args, **kwargs):
    """Concentric circles, one per class; class k has radius ``factor ** k``.

    Args:
      n_samples: the number of points. When it is not a multiple of `n_classes`,
        the remainder are extra class-0 points at random angles on the unit circle.
      noise: standard deviation of Gaussian noise added to the coordinates, or None.
      seed: seeds numpy's global random generator, as r1.15 did.
      factor: radius ratio between consecutive circles.
      n_classes: the number of circles.

    Returns:
      A shuffled `base.Dataset` (``data`` ``[n_samples, 2]`` float64, ``target``
      int32).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.synthetic.circles", _REPLACEMENT)
    if seed is not None:
        np.random.seed(seed)
    per_class = n_samples // n_classes
    angles = np.linspace(0, 2 * np.pi, per_class)
    base_cos, base_sin = np.cos(angles), np.sin(angles)
    xs, ys = [], []
    for _ in range(n_classes):
        xs.append(base_cos)
        ys.append(base_sin)
        # r1.15 shrinks by repeated multiplication (bit-for-bit its numbers).
        base_cos, base_sin = base_cos * factor, base_sin * factor
    xs, ys = np.concatenate(xs), np.concatenate(ys)
    y = np.repeat(np.arange(n_classes, dtype=np.int32), per_class)
    extras = n_samples % n_classes
    # r1.15 draws the x angles, then (separately) the y angles of the extra points.
    xs = np.append(xs, np.cos(np.random.rand(extras) * 2 * np.pi))
    ys = np.append(ys, np.sin(np.random.rand(extras) * 2 * np.pi))
    y = np.append(y, np.zeros(extras, dtype=np.int32))
    return _finish(xs, ys, y, n_samples, noise)


def spirals(n_samples=100, noise=None, seed=None, mode="archimedes", n_loops=2,
            *args, **kwargs):
    """Two interleaved spirals (binary classification).

    Args:
      n_samples: the number of points; an odd one out is an extra class-0 point at a
        random angle.
      noise: standard deviation of Gaussian noise added to the coordinates, or None.
      seed: seeds numpy's global random generator, as r1.15 did.
      mode: ``'archimedes'`` (equal spacing), ``'bernoulli'`` (logarithmic; keyword
        ``exp_scale``, default 0.1) or ``'fermat'`` (square root).
      n_loops: the number of turns.

    Returns:
      A shuffled `base.Dataset` (``data`` ``[n_samples, 2]`` float64, ``target``
      int32).

    Raises:
      ValueError: for an unknown `mode` (r1.15's message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.synthetic.spirals", _REPLACEMENT)
    n_classes = 2
    modes = {"archimedes": _archimedes_spiral, "bernoulli": _bernoulli_spiral,
             "fermat": _fermat_spiral}
    if mode is None or mode not in modes:
        raise ValueError("Cannot generate spiral with mode %s" % mode)
    if seed is not None:
        np.random.seed(seed)
    spiral = modes[mode]
    angles = np.linspace(0, 2 * n_loops * np.pi, n_samples // n_classes)
    parts = [spiral(angles, label * np.pi, *args, **kwargs) for label in range(n_classes)]
    xs = np.concatenate([p[0] for p in parts])
    ys = np.concatenate([p[1] for p in parts])
    y = np.repeat(np.arange(n_classes, dtype=np.int32), n_samples // n_classes)
    extras = n_samples % n_classes
    if extras > 0:
        # r1.15 passes the positional *args after the angles here, so they shift into
        # theta_offset (its behaviour, kept).
        x_extra, y_extra = spiral(np.random.rand(extras) * 2 * np.pi, *args, **kwargs)
        xs = np.append(xs, x_extra)
        ys = np.append(ys, y_extra)
        y = np.append(y, np.zeros(extras, dtype=np.int32))
    return _finish(xs, ys, y, n_samples, noise)


def _normalised(x, y):
    return x / np.max(np.abs(x)), y / np.max(np.abs(y))


def _archimedes_spiral(theta, theta_offset=0., *args, **kwargs):
    """Radius proportional to the angle: equal distances between the branches."""
    return _normalised(theta * np.cos(theta + theta_offset),
                       theta * np.sin(theta + theta_offset))


def _bernoulli_spiral(theta, theta_offset=0., *args, **kwargs):
    """Logarithmic spiral: radius ``exp(exp_scale * theta)`` (keyword, default 0.1)."""
    exp_scale = kwargs.pop("exp_scale", 0.1)
    radius = np.exp(exp_scale * theta)
    return _normalised(radius * np.cos(theta + theta_offset),
                       radius * np.sin(theta + theta_offset))


def _fermat_spiral(theta, theta_offset=0., *args, **kwargs):
    """Parabolic spiral: radius ``sqrt(theta)``."""
    radius = np.sqrt(theta)
    return _normalised(radius * np.cos(theta + theta_offset),
                       radius * np.sin(theta + theta_offset))
