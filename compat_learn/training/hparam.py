"""`tf.contrib.training.HParams`: typed hyperparameters, without TensorFlow.

Replaces ``tensorflow.contrib.training.python.training.hparam`` (r1.15): `HParams` and
`parse_values`, with r1.15's parsing syntax, type checks and error messages. The
protobuf round trip (``hparam_def``, ``to_proto``/``from_proto``) is not provided.
Native TF2 replacement: none in TensorFlow; use a plain ``dict`` or a dataclass (and
``tensorboard.plugins.hparams`` to log them).
"""

import json
import numbers
import re

from compat_learn._deprecation import warn_deprecated

__all__ = ["HParams", "parse_values"]

# One `name[index] = value` or `name = [v1, v2]` clause, then a comma or the end.
# The syntax (names may contain dots; scalar values stop at ',' or '['; list values
# at ']') is r1.15 hparam.py's PARAM_RE.
_CLAUSE_RE = re.compile(
    r"(?P<name>[a-zA-Z][\w.]*)"
    r"(\[\s*(?P<index>\d+)\s*\])?"
    r"\s*=\s*"
    r"((?P<val>[^,\[]*)|\[(?P<vals>[^\]]*)\])"
    r"($|,\s*)")


def _parse_fail(name, var_type, value, values):
    raise ValueError(f"Could not parse hparam '{name}' of type '{var_type.__name__}' "
                     f"with value '{value}' in {values}")


def _reuse_fail(name, values):
    raise ValueError(f"Multiple assignments to variable '{name}' in {values}")


def _store_scalar(results, name, index, parsed, values):
    """Records `name=parsed` or `name[index]=parsed`, rejecting reassignment."""
    if index is None:
        if name in results:
            _reuse_fail(name, values)
        results[name] = parsed
        return
    # An indexed assignment needs the name unused or already indexed.
    slots = results.setdefault(name, {})
    if not isinstance(slots, dict):
        _reuse_fail(name, values)
    if index in slots:
        _reuse_fail(f"{name}[{index}]", values)
    slots[index] = parsed


def _bool_parser(name, values):
    def parse(text):
        if text in ("true", "True"):
            return True
        if text in ("false", "False"):
            return False
        # r1.15 also accepts integers ("0", "1", "7").
        try:
            return bool(int(text))
        except ValueError:
            _parse_fail(name, bool, text, values)
    return parse


def _cast_to_type_if_compatible(name, param_type, value):
    """Returns `value` as `param_type` if that loses nothing, else ValueError.

    r1.15 rules: an exact type match is returned as is; a NoneType parameter takes
    anything; strings only from strings/bytes; bools only from bools (and never a
    bool into a number); integers only from integers; numbers only from numbers.

    All failures are ValueErrors, as in r1.15.
    """
    fail_msg = f"Could not cast hparam '{name}' of type '{param_type}' from value {value!r}"
    # An exact type match, not isinstance: isinstance(True, int) is too weak.
    if type(value) is param_type:
        return value
    if issubclass(param_type, type(None)):
        return value
    if (issubclass(param_type, (str, bytes))
            and not isinstance(value, (str, bytes))):
        raise ValueError(fail_msg)
    if issubclass(param_type, bool) != isinstance(value, bool):
        raise ValueError(fail_msg)
    if (issubclass(param_type, numbers.Integral)
            and not isinstance(value, numbers.Integral)):
        raise ValueError(fail_msg)
    if (issubclass(param_type, numbers.Number)
            and not isinstance(value, numbers.Number)):
        raise ValueError(fail_msg)
    return param_type(value)


def parse_values(values, type_map, ignore_unknown=False):
    """Parses ``name=value`` pairs from a string into a dict.

    Replaces ``tf.contrib.training.parse_values`` (r1.15).

    Syntax: comma-separated clauses ``name=value``, ``name=[v1,v2,...]`` or
    ``name[i]=value``. Integers and floats use Python's syntax; booleans are
    ``true``/``True``/``false``/``False`` or an integer; strings are any run of
    characters without commas, spaces or square brackets.

    Args:
      values: The string to parse.
      type_map: Maps each hyperparameter name to its (element) type.
      ignore_unknown: If True, skip names missing from `type_map` instead of
        raising.

    Returns:
      A dict mapping each name to a scalar, a list, or (for indexed assignments) a
      dict of index to scalar; e.g. ``"x=5,L=[1,2],arr[1]=3"`` gives
      ``{'x': 5, 'L': [1, 2], 'arr': {1: 3}}``.

    Raises:
      ValueError: if `values` is malformed, a name is unknown (unless
        `ignore_unknown`), a value does not parse as its type, a list is assigned
        to an index, or a name (or index) is assigned twice.
    """
    results = {}
    pos = 0
    while pos < len(values):
        match = _CLAUSE_RE.match(values, pos)
        if not match:
            raise ValueError(f"Malformed hyperparameter value: {values[pos:]}")
        pos = match.end()
        groups = match.groupdict()
        name = groups["name"]
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError(f"Unknown hyperparameter type for {name}")
        type_ = type_map[name]
        parse = _bool_parser(name, values) if type_ is bool else type_

        if groups["val"] is not None:
            try:
                parsed = parse(groups["val"])
            except ValueError:
                _parse_fail(name, type_, groups["val"], values)
            index = int(groups["index"]) if groups["index"] else None
            _store_scalar(results, name, index, parsed, values)
        elif groups["vals"] is not None:
            if groups["index"] is not None:
                raise ValueError("Assignment of a list to a list index.")
            if name in results:
                _reuse_fail(name, values)
            elements = [e for e in re.split("[ ,]", groups["vals"]) if e]
            try:
                results[name] = [parse(e) for e in elements]
            except ValueError:
                _parse_fail(name, type_, groups["vals"], values)
        else:  # pragma: no cover - the pattern always sets one of the two groups
            _parse_fail(name, type_, "", values)
    return results


class HParams:
    """A set of typed hyperparameters as name-value pairs.

    Replaces ``tf.contrib.training.HParams`` (r1.15), without its protobuf support.
    Native TF2 replacement: none in TensorFlow; a plain ``dict`` or a dataclass.

    Each hyperparameter becomes an attribute (``hparams.learning_rate``). Its type is
    inferred from its first value: int, float, bool, str, or a non-empty list of
    those (typed by its first element). `parse`, `parse_json`, `override_from_dict`
    and `set_hparam` convert new values to that type when nothing is lost and raise
    ValueError otherwise (no float into an int, no number into a bool or str, ...).

    Example::

        hparams = HParams(learning_rate=0.1, num_hidden_units=100,
                          activations=['relu', 'tanh'])
        hparams.parse('learning_rate=0.3,activations=[relu]')
        hparams.learning_rate  # 0.3

    Args:
      hparam_def: Not supported (r1.15: a serialized ``HParamDef`` protobuf); must
        be None.
      model_structure: An optional model structure object, kept as is.
      **kwargs: Hyperparameter names and values.

    Raises:
      NotImplementedError: if `hparam_def` is given.
      ValueError: if a name is reserved (an existing attribute such as ``values``)
        or a list value is empty.
    """

    _HAS_DYNAMIC_ATTRIBUTES = True  # r1.15: tells pytype about dynamic attributes.

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        warn_deprecated("tf.contrib.training.HParams",
                        "a plain dict or dataclass (TensorFlow 2 has no HParams class)")
        # name -> (type of the value, or of the list elements; is_list).
        self._hparam_types = {}
        self._model_structure = model_structure
        if hparam_def:
            raise NotImplementedError(
                "compat_learn's HParams does not support `hparam_def` (an HParamDef "
                f"protobuf), got {type(hparam_def).__name__}. Pass the values as keyword "
                f"arguments instead, e.g. HParams(**values) or "
                f"HParams().override_from_dict(values).")
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name, value):
        """Adds a hyperparameter `name` with `value`; its type comes from `value`.

        Args:
          name: Name of the hyperparameter.
          value: int, float, bool, str, or a non-empty list/tuple of them.

        Raises:
          ValueError: if `name` is an existing attribute with a non-None value (e.g.
            a method, or a hyperparameter already added) or `value` is an empty
            list.
        """
        # r1.15: a name that shadows any non-None attribute is "reserved".
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name, value):
        """Sets an existing hyperparameter, converting `value` to its type.

        Args:
          name: Name of the hyperparameter.
          value: New value (a list for a list hyperparameter).

        Raises:
          KeyError: if the hyperparameter does not exist.
          ValueError: if `value` does not match the hyperparameter's type or
            list-ness.
        """
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(
                    f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name,
                    [_cast_to_type_if_compatible(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast_to_type_if_compatible(name, param_type, value))

    def del_hparam(self, name):
        """Removes the hyperparameter `name`; does nothing if there is none."""
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values):
        """Overrides hyperparameters from a ``name=value,...`` string (`parse_values`).

        Args:
          values: The string, e.g. ``"learning_rate=0.3,layers=[64,32]"``.

        Returns:
          This `HParams`.

        Raises:
          ValueError: if `values` does not parse or names an unknown hyperparameter.
        """
        type_map = {name: param_type for name, (param_type, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, type_map))

    def override_from_dict(self, values_dict):
        """Overrides hyperparameters from a dict of name to value (`set_hparam`).

        Returns:
          This `HParams`.

        Raises:
          KeyError: if a name is not a hyperparameter.
          ValueError: if a value does not match its hyperparameter's type.
        """
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_from_map(self, values_map):
        """Deprecated in r1.15: use `override_from_dict`."""
        return self.override_from_dict(values_dict=values_map)

    def set_model_structure(self, model_structure):
        self._model_structure = model_structure

    def get_model_structure(self):
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False):
        """Serializes the hyperparameter values to a JSON string (``json.dumps``)."""
        return json.dumps(self.values(), indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def parse_json(self, values_json):
        """Overrides hyperparameters from a JSON object string.

        Returns:
          This `HParams`.

        Raises:
          KeyError: if a name is not a hyperparameter.
          ValueError: if the JSON does not parse or a value has the wrong type.
        """
        return self.override_from_dict(json.loads(values_json))

    def values(self):
        """Returns a dict of hyperparameter name to value."""
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key, default=None):
        """Returns hyperparameter `key`, or `default` if there is none.

        Raises:
          ValueError: if `key` exists and a non-None `default` does not match its
            type (so a typo'd default cannot hide behind an existing value).
        """
        if key not in self._hparam_types:
            return default
        if default is not None:
            param_type, is_param_list = self._hparam_types[key]
            type_str = f"list<{param_type}>" if is_param_list else str(param_type)
            fail_msg = (f"Hparam '{key}' of type '{type_str}' is incompatible with "
                        f"default={default}")
            if is_param_list != isinstance(default, list):
                raise ValueError(fail_msg)
            try:
                for item in (default if is_param_list else [default]):
                    _cast_to_type_if_compatible(key, param_type, item)
            except ValueError as e:
                raise ValueError(f"{fail_msg}. {e}") from None
        return getattr(self, key)

    def __contains__(self, key):
        return key in self._hparam_types

    def __str__(self):
        return ",".join(f"{k}={v}" for k, v in self.values().items())

    def __repr__(self):
        return f"{type(self).__name__}({sorted(self.values().items())!s})"
