"""The scikit-learn stand-ins of r1.15's contrib estimators.

Replaces ``tensorflow.contrib.learn.python.learn.estimators._sklearn``. compat_learn
keeps only what the contrib Estimator protocol uses: `NotFittedError` (public as
``tf.contrib.learn.NotFittedError``) and the naive `BaseEstimator` with
``get_params``/``set_params`` that `Estimator` and `SKCompat` inherit.  r1.15's
``TENSORFLOW_SKLEARN`` switch to the real scikit-learn classes is not supported.
"""

__all__ = ["BaseEstimator", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """Raised when a model is used before it has been trained.

    Replaces ``tf.contrib.learn.NotFittedError``. Subclasses both ValueError and
    AttributeError, as in r1.15, so existing ``except`` clauses keep working.
    Native TF2: ``tf.estimator.Estimator`` has no such error; it evaluates freshly
    initialised variables instead, so check ``Estimator.latest_checkpoint()``.
    """


class BaseEstimator:
    """Naive ``sklearn.base.BaseEstimator`` (r1.15 ``_sklearn._BaseEstimator``).

    ``get_params`` lists the public, non-callable instance attributes.
    """

    def get_params(self, deep=True):
        """Returns the parameters of this estimator.

        Args:
          deep: if True, also lists ``<attr>__<param>`` entries of attributes that
            have ``get_params`` themselves.

        Returns:
          A dict of parameter name to value.
        """
        out = {}
        for key in [name for name in self.__dict__ if not name.startswith("_")]:
            value = getattr(self, key, None)
            if callable(value):
                continue
            if deep and hasattr(value, "get_params"):
                out.update((key + "__" + k, v) for k, v in value.get_params().items())
            out[key] = value
        return out

    def set_params(self, **params):
        """Sets parameters (``<component>__<parameter>`` for nested objects).

        Returns:
          self

        Raises:
          ValueError: for a name that is not a parameter (r1.15 message).
        """
        if not params:
            return self
        valid_params = self.get_params(deep=True)
        for key, value in params.items():
            name, _, sub_name = key.partition("__")
            if sub_name:
                if name not in valid_params:
                    raise ValueError(
                        f"Invalid parameter {name} for estimator {self}. Check the list of "
                        "available parameters with `estimator.get_params().keys()`.")
                valid_params[name].set_params(**{sub_name: value})
            else:
                if key not in valid_params:
                    raise ValueError(
                        f"Invalid parameter {key} for estimator {self.__class__.__name__}. Check "
                        "the list of available parameters with `estimator.get_params().keys()`.")
                setattr(self, key, value)
        return self

    def __repr__(self):
        params = ", ".join(f"{k}={v}" for k, v in self.get_params(deep=False).items())
        return f"{self.__class__.__name__}({params})"
