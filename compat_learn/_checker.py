"""``compat-learn check``: list a script's contrib uses, statically.

Reads Python files with `ast` only: nothing is executed and TensorFlow is not
imported. Each ``tf.contrib`` use (imports, ``tf.contrib.x.y`` attribute chains,
names bound by ``from tensorflow.contrib... import``) is reported with its line,
whether compat_learn serves it, what serves it and the native TF2 replacement, all
from `compat_learn._contrib_table`. TF 1.x top-level names reached through a plain
``import tensorflow`` (``tf.layers``, ``tf.train.AdamOptimizer``, ...) are reported
as ``tf1`` uses: they run under ``compat-learn run --tf1``.

Which names a served compat_learn module provides is read from that module's source
(its ``__all__``), so the checker does not import compat_learn's TensorFlow-facing
modules either.
"""

import ast
import json
import os
from collections import namedtuple

from compat_learn import _contrib_table as table

__all__ = ["FileReport", "Use", "check_file", "check_paths", "format_json", "format_text"]

Use = namedtuple("Use", "line col name status served_by replacement")
Use.__doc__ = """One contrib (or TF1-only) use.

status: "supported", "unsupported" or "tf1". name: the contrib name as
``tf.contrib....``. served_by: what compat_learn serves it with (None if nothing)."""

FileReport = namedtuple("FileReport", "path uses error")

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_TF1_ONLY = {path: repl for path, repl in table.TF1_ONLY}


# --------------------------------------------------------------------------------------
# Public names of compat_learn modules, from their source.
# --------------------------------------------------------------------------------------
def _module_file(module):
    if module != "compat_learn" and not module.startswith("compat_learn."):
        return None
    parts = module.split(".")[1:]
    base = os.path.join(_PACKAGE_DIR, *parts)
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def _static_value(node, assigns):
    """Evaluates the small expressions modules use for ``__all__`` (or None)."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = [_static_value(e, assigns) for e in node.elts]
        if any(v is None or len(v) != 1 for v in values):
            return None
        return [v[0] for v in values]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Dict):
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        return keys if len(keys) == len(node.keys) else None
    if isinstance(node, ast.Name) and node.id in assigns:
        return _static_value(assigns[node.id], assigns)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("sorted", "list", "tuple", "set") and len(node.args) == 1):
        return _static_value(node.args[0], assigns)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _static_value(node.left, assigns), _static_value(node.right, assigns)
        return None if left is None or right is None else left + right
    return None


_names_cache = {}


def module_public_names(module):
    """The ``__all__`` of compat_learn module `module`, read from its source, or None."""
    if module in _names_cache:
        return _names_cache[module]
    names = None
    filename = _module_file(module)
    if filename is not None:
        try:
            with open(filename, encoding="utf-8") as f:
                tree = ast.parse(f.read(), filename)
        except (OSError, SyntaxError, ValueError):
            tree = None
        if tree is not None:
            assigns = {}
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                        isinstance(node.targets[0], ast.Name):
                    assigns[node.targets[0].id] = node.value
                elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) \
                        and node.target.id in assigns:
                    assigns[node.target.id] = ast.BinOp(assigns[node.target.id], ast.Add(),
                                                        node.value)
            if "__all__" in assigns:
                value = _static_value(assigns["__all__"], assigns)
                names = set(value) if value is not None else None
    _names_cache[module] = names
    return names


# --------------------------------------------------------------------------------------
# Classifying one contrib dotted path.
# --------------------------------------------------------------------------------------
def _module_prefix(parts):
    """The longest served module path (or subtree) that prefixes `parts`."""
    for end in range(len(parts), 1, -1):
        path = ".".join(parts[:end])
        if table.module_row(path) is not None or table.subtree_target(path) is not None:
            return path, parts[end:]
    return None, parts[2:]


def _learn_replacement(name, default):
    return table.LEARN_REPLACEMENTS.get(name, default)


def classify(path):
    """(status, served_by, replacement) for contrib dotted `path`."""
    parts = path.split(".")
    module, rest = _module_prefix(parts)
    if module is None:  # not even tensorflow.contrib: cannot happen for callers
        return "unsupported", None, table.namespace_replacement(path)
    last = module.rpartition(".")[2]
    if not rest:
        real = table.subtree_target(module)
        if real is not None:
            return "supported", real, table.namespace_replacement(module)
        row = table.module_row(module)
        served = ", ".join(row.targets) if row.targets else "compat_learn (table)"
        return "supported", served, _learn_replacement(
            last, table.namespace_replacement(module))
    name = rest[0]
    full = module + "." + name
    real = table.subtree_target(module)
    if real is not None:
        return "supported", real + "." + name, table.namespace_replacement(module)
    row = table.module_row(module)
    if name in row.attrs:
        return "supported", row.attrs[name], _learn_replacement(
            name, table.namespace_replacement(module))
    unknown = False
    for target in row.targets:
        names = module_public_names(target)
        if names is None:
            unknown = True
        elif name in names:
            return "supported", target + "." + name, _learn_replacement(
                name, table.namespace_replacement(module))
    symbol = table.lookup_symbol(module, name)
    if symbol is not None:
        if symbol.target is None:
            return "unsupported", None, table.replacement_of(symbol)
        return "supported", table.target_display(symbol.target), table.replacement_of(symbol)
    unsupported = table.lookup_unsupported(full)
    if unsupported is not None:
        return "unsupported", None, unsupported.replacement
    if unknown:
        # A target whose names cannot be read statically: trust the table.
        return "supported", row.targets[0] + "." + name, _learn_replacement(
            name, table.namespace_replacement(module))
    return "unsupported", None, _learn_replacement(name, table.namespace_replacement(module))


# --------------------------------------------------------------------------------------
# Walking one file.
# --------------------------------------------------------------------------------------
def _is_contrib(path):
    return path == table.CONTRIB or path.startswith(table.CONTRIB + ".")


class _Visitor(ast.NodeVisitor):

    def __init__(self):
        self.bindings = {}  # local name -> dotted path ("tensorflow" for tf / tf.compat.v1)
        self.plain_tf = set()  # local names bound to the TF2 top level
        self.uses = []
        self._seen = set()

    def _report(self, node, path, status=None, served_by=None, replacement=None):
        key = (node.lineno, node.col_offset, path)
        if key in self._seen:
            return
        self._seen.add(key)
        if status is None:
            status, served_by, replacement = classify(path)
        self.uses.append(Use(node.lineno, node.col_offset + 1, table.display_name(path),
                             status, served_by, replacement))

    def visit_Import(self, node):
        for alias in node.names:
            name = alias.name
            if name in ("tensorflow.compat.v1",) and alias.asname:
                self.bindings[alias.asname] = "tensorflow"
                self.plain_tf.discard(alias.asname)
                continue
            if alias.asname:
                self.bindings[alias.asname] = name
                if name == "tensorflow":
                    self.plain_tf.add(alias.asname)
            elif name == "tensorflow" or name.startswith("tensorflow."):
                self.bindings["tensorflow"] = "tensorflow"
                if name == "tensorflow":
                    self.plain_tf.add("tensorflow")
            if _is_contrib(name):
                self._report(node, name)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level or not (module == "tensorflow" or module.startswith("tensorflow.")):
            return
        for alias in node.names:
            local = alias.asname or alias.name
            if alias.name == "*":
                if _is_contrib(module):
                    self._report(node, module)
                continue
            path = module + "." + alias.name
            if path == "tensorflow.compat.v1":
                self.bindings[local] = "tensorflow"
                self.plain_tf.discard(local)
                continue
            self.bindings[local] = path
            self.plain_tf.discard(local)
            if _is_contrib(path):
                self._report(node, path)

    def visit_Attribute(self, node):
        chain = []
        base = node
        while isinstance(base, ast.Attribute):
            chain.append(base.attr)
            base = base.value
        if isinstance(base, ast.Name) and base.id in self.bindings:
            chain.reverse()
            path = ".".join([self.bindings[base.id]] + chain)
            if _is_contrib(path):
                self._report(node, path)
                return  # the inner attributes are part of this use
            if base.id in self.plain_tf and self.bindings[base.id] == "tensorflow":
                for end in (2, 1):
                    key = ".".join(chain[:end])
                    if len(chain) >= end and key in _TF1_ONLY:
                        self._report(node, "tensorflow." + key, "tf1", "tf.compat.v1." + key,
                                     _TF1_ONLY[key])
                        return
        self.generic_visit(node)


def check_source(source, filename="<string>"):
    """The contrib uses in `source`, in line order. Raises SyntaxError."""
    tree = ast.parse(source, filename)
    visitor = _Visitor()
    # Imports first, so that a name is known wherever it is used.
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            visitor.visit_Import(node)
        elif isinstance(node, ast.ImportFrom):
            visitor.visit_ImportFrom(node)
    visitor.visit(_NoImports().visit(tree))
    return sorted(visitor.uses, key=lambda u: (u.line, u.col))


class _NoImports(ast.NodeTransformer):
    def visit_Import(self, node):
        return None

    def visit_ImportFrom(self, node):
        return None


def check_file(path):
    """A `FileReport` for one file; a file that cannot be read or parsed has `error`."""
    try:
        with open(path, "rb") as f:
            source = f.read()
        uses = check_source(source, path)
    except SyntaxError as exc:
        return FileReport(path, [], f"cannot parse: {exc.msg} (line {exc.lineno})")
    except (OSError, ValueError) as exc:
        return FileReport(path, [], f"cannot read: {exc}")
    return FileReport(path, uses, None)


def _python_files(path):
    if not os.path.isdir(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(root, name)


def check_paths(paths):
    """`FileReport`s for every Python file in `paths` (files or directories)."""
    return [check_file(f) for p in paths for f in _python_files(p)]


def _counts(uses):
    return {status: sum(1 for u in uses if u.status == status)
            for status in ("supported", "unsupported", "tf1")}


def failed(reports):
    """True when something is unsupported or a file could not be checked."""
    return any(r.error or any(u.status == "unsupported" for u in r.uses) for r in reports)


def format_text(reports):
    """The human-readable report."""
    lines = []
    for report in reports:
        if report.error:
            lines.append(f"{report.path}: {report.error}")
            continue
        for use in report.uses:
            served = f"served by {use.served_by}" if use.served_by else "not served"
            lines.append(f"{report.path}:{use.line}:{use.col}: {use.status}: {use.name} "
                         f"({served}); native TF2: {use.replacement}")
        c = _counts(report.uses)
        lines.append(f"{report.path}: {c['supported'] + c['unsupported']} contrib uses "
                     f"({c['supported']} supported, {c['unsupported']} unsupported), "
                     f"{c['tf1']} TF1-only uses")
    total = _counts([u for r in reports for u in r.uses])
    errors = sum(1 for r in reports if r.error)
    lines.append(f"checked {len(reports)} files: {total['supported']} supported and "
                 f"{total['unsupported']} unsupported contrib uses, {total['tf1']} TF1-only "
                 f"uses, {errors} files not parsed")
    return "\n".join(lines) + "\n"


def format_json(reports):
    """The machine-readable report (a JSON document)."""
    files = []
    for report in reports:
        files.append({
            "path": report.path,
            "error": report.error,
            "uses": [u._asdict() for u in report.uses],
            "summary": _counts(report.uses),
        })
    total = _counts([u for r in reports for u in r.uses])
    total["files"] = len(reports)
    total["errors"] = sum(1 for r in reports if r.error)
    return json.dumps({"files": files, "summary": total}, indent=2) + "\n"
