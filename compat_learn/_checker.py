"""``compat-learn check``: list a script's contrib uses, statically.

Reads Python files with `ast` only: nothing is executed and TensorFlow is not
imported. Each ``tf.contrib`` use (imports, ``tf.contrib.x.y`` attribute chains,
names bound by ``from tensorflow.contrib... import``) is reported with its line,
whether compat_learn serves it, what serves it and the native TF2 replacement, all
from `compat_learn._contrib_table`. TF 1.x top-level names reached through a plain
``import tensorflow`` (``tf.layers``, ``tf.train.AdamOptimizer``, ...) are reported
as ``tf1`` uses: they run under ``compat-learn run --tf1``, as do the numpy aliases
and private TF 1.x names that ``--tf1`` restores (``np.int``, ``DeviceSpec.merge_from``;
`compat_learn._contrib_table.TF1_RESTORED`), reported with their native fix. Uses of
third-party names removed since the TF 1.x era (``sklearn.cross_validation``, pandas'
``.ix`` ...; ``THIRD_PARTY_REMOVALS``) are reported as ``removed``. A module of a
package that only runs as ``python -m`` gets a hint to start it with ``run -m``.

Which names a served compat_learn module provides is read from that module's source,
as the import hook would resolve them: the ``__all__`` of a generated contrib package's
modules, every module-level name of a module served as is (a plain alias, such as
``run_config._DEFAULT_UID_WHITE_LIST``). So the checker does not import compat_learn's
TensorFlow-facing modules either.
"""

import ast
import json
import os
from collections import namedtuple

from compat_learn import _contrib_table as table

__all__ = ["FileReport", "Use", "check_file", "check_paths", "format_json", "format_text"]

Use = namedtuple("Use", "line col name status served_by replacement")
Use.__doc__ = """One contrib (or TF1-only, or removed third-party) use.

status: "supported", "unsupported", "tf1" or "removed". name: the contrib name as
``tf.contrib....`` (or the dotted third-party name). served_by: what compat_learn serves
it with (None if nothing)."""

FileReport = namedtuple("FileReport", "path uses error hints")
FileReport.__new__.__defaults__ = ((),)

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_TF1_ONLY = {path: repl for path, repl in table.TF1_ONLY}
_TF1_RESTORED = {f"{module}.{name}": (value, fix) for module, name, value, fix in table.TF1_RESTORED}
_REMOVED_MODULES = {name: (removed_in, repl) for name, removed_in, repl in table.THIRD_PARTY_REMOVALS
                    if not name.startswith("pandas.DataFrame.")}
_PANDAS_ATTRS = {name.rpartition(".")[2]: (name, removed_in, repl)
                 for name, removed_in, repl in table.THIRD_PARTY_REMOVALS
                 if name.startswith("pandas.DataFrame.")}
_STATUSES = ("supported", "unsupported", "tf1", "removed")


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


_info_cache = {}


def _bound_names(statements, names):
    """Adds the names `statements` bind at module level; True if one is a star import
    or a module ``__getattr__`` (names then unknowable statically)."""
    unknown = False
    for node in statements:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            unknown |= node.name == "__getattr__"
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.With)):
            targets = (node.targets if isinstance(node, ast.Assign) else
                       [i.optional_vars for i in node.items if i.optional_vars]
                       if isinstance(node, ast.With) else [node.target])
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                unknown |= alias.name == "*"
                names.add(alias.asname or alias.name.partition(".")[0])
        for block in ("body", "orelse", "finalbody", "handlers"):
            if isinstance(node, (ast.If, ast.Try, ast.For, ast.With, ast.ExceptHandler)):
                unknown |= _bound_names(getattr(node, block, ()), names)
    return unknown


def _module_info(module):
    """(``__all__`` or None, module-level names or None) of compat_learn `module`."""
    if module in _info_cache:
        return _info_cache[module]
    public = defined = None
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
                public = set(value) if value is not None else None
            defined = set()
            if _bound_names(tree.body, defined):
                defined = None
    _info_cache[module] = (public, defined)
    return public, defined


def module_public_names(module):
    """The ``__all__`` of compat_learn module `module`, read from its source, or None."""
    return _module_info(module)[0]


def module_defined_names(module):
    """Every module-level name compat_learn module `module` binds, read from its source;
    None when that cannot be known statically (a star import, a module __getattr__)."""
    return _module_info(module)[1]


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


def _is_plain_alias(row):
    # The same test as the import hook's (compat_learn._alias._ContribFinder).
    return (len(row.targets) == 1 and not row.attrs and not table.children(row.path)
            and not table.symbols_of(row.path))


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
    if _is_plain_alias(row):
        # The hook serves the module itself: everything it defines resolves.
        defined = module_defined_names(row.targets[0])
        if defined is None or name in defined:
            return "supported", row.targets[0] + "." + name, _learn_replacement(
                name, table.namespace_replacement(module))
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
    # tensorflow.contrib and the other roots the table serves (tensorflow.examples).
    return table.root_of(path) is not None


class _Visitor(ast.NodeVisitor):

    def __init__(self):
        self.bindings = {}  # local name -> dotted path ("tensorflow" for tf / tf.compat.v1)
        self.plain_tf = set()  # local names bound to the TF2 top level
        self.uses = []
        self.uses_pandas = False
        self.package_imports = set()  # top-level names of absolute imports
        self.relative_import = False
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
            else:
                self.bindings[name.partition(".")[0]] = name.partition(".")[0]
            self._imported(name)
            if _is_contrib(name):
                self._report(node, name)
            else:
                self._report_other(node, name)

    def _imported(self, module):
        top = module.partition(".")[0]
        self.package_imports.add(top)
        self.uses_pandas |= top == "pandas"

    def _report_other(self, node, path):
        """Reports `path` if --tf1 restores it or its package removed it; True if so."""
        for restored, (value, fix) in _TF1_RESTORED.items():
            if path == restored or path.startswith(restored + "."):
                self._report(node, restored, "tf1", "compat-learn run --tf1: " + value, fix)
                return True
        for removed, (removed_in, replacement) in _REMOVED_MODULES.items():
            if path == removed or path.startswith(removed + "."):
                self._report(node, removed, "removed", None,
                             f"{replacement} (removed in {removed_in})")
                return True
        return False

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level:
            self.relative_import = True
            return
        self._imported(module)
        if not (module == "tensorflow" or module.startswith("tensorflow.")):
            for alias in node.names:
                if alias.name != "*":
                    self.bindings[alias.asname or alias.name] = module + "." + alias.name
                    self._report_other(node, module + "." + alias.name)
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
            else:
                self._report_other(node, path)

    def visit_Attribute(self, node):
        if self.uses_pandas and node.attr in _PANDAS_ATTRS:
            name, removed_in, replacement = _PANDAS_ATTRS[node.attr]
            self._report(node, name, "removed", None,
                         f"{replacement} (removed in {removed_in})")
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
            if self._report_other(node, path):
                return
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
    return _check_tree(ast.parse(source, filename))[0]


def _check_tree(tree):
    visitor = _Visitor()
    # Imports first, so that a name is known wherever it is used.
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            visitor.visit_Import(node)
        elif isinstance(node, ast.ImportFrom):
            visitor.visit_ImportFrom(node)
    visitor.visit(_NoImports().visit(tree))
    return sorted(visitor.uses, key=lambda u: (u.line, u.col)), visitor


def _is_main_guard(node):
    test = getattr(node, "test", None)
    return (isinstance(node, ast.If) and isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__"
                    for c in test.comparators))


def _module_hint(path, tree, visitor):
    """`run -m` advice for a runnable module that imports its own package."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return None
    parts = [os.path.splitext(os.path.basename(path))[0]]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        parts.insert(0, os.path.basename(directory))
        directory = os.path.dirname(directory)
    if parts[-1] == "__init__" or not any(_is_main_guard(n) for n in tree.body):
        return None
    if not (visitor.relative_import or parts[0] in visitor.package_imports):
        return None
    module = ".".join(parts[:-1] if parts[-1] == "__main__" else parts)
    return (f"module of package `{parts[0]}` that imports its package: start it as "
            f"`compat-learn run [--tf1] -m {module} ...` from {directory} (as "
            f"`python -m {module}`), not as a script path")


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
        tree = ast.parse(source, path)
        uses, visitor = _check_tree(tree)
    except SyntaxError as exc:
        return FileReport(path, [], f"cannot parse: {exc.msg} (line {exc.lineno})")
    except (OSError, ValueError) as exc:
        return FileReport(path, [], f"cannot read: {exc}")
    hint = _module_hint(path, tree, visitor)
    return FileReport(path, uses, None, (hint,) if hint else ())


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
    return {status: sum(1 for u in uses if u.status == status) for status in _STATUSES}


def failed(reports):
    """True when something is unsupported or removed, or a file could not be checked."""
    return any(r.error or any(u.status in ("unsupported", "removed") for u in r.uses)
               for r in reports)


def _removed_note(counts):
    return f", {counts['removed']} removed third-party uses" if counts["removed"] else ""


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
        lines += [f"{report.path}: hint: {hint}" for hint in report.hints]
        c = _counts(report.uses)
        lines.append(f"{report.path}: {c['supported'] + c['unsupported']} contrib uses "
                     f"({c['supported']} supported, {c['unsupported']} unsupported), "
                     f"{c['tf1']} TF1-only uses{_removed_note(c)}")
    total = _counts([u for r in reports for u in r.uses])
    errors = sum(1 for r in reports if r.error)
    lines.append(f"checked {len(reports)} files: {total['supported']} supported and "
                 f"{total['unsupported']} unsupported contrib uses, {total['tf1']} TF1-only "
                 f"uses{_removed_note(total)}, {errors} files not parsed")
    return "\n".join(lines) + "\n"


def format_json(reports):
    """The machine-readable report (a JSON document)."""
    files = []
    for report in reports:
        files.append({
            "path": report.path,
            "error": report.error,
            "uses": [u._asdict() for u in report.uses],
            "hints": list(report.hints),
            "summary": _counts(report.uses),
        })
    total = _counts([u for r in reports for u in r.uses])
    total["files"] = len(reports)
    total["errors"] = sum(1 for r in reports if r.error)
    return json.dumps({"files": files, "summary": total}, indent=2) + "\n"
