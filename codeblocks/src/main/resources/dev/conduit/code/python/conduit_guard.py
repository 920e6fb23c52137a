# The rules a Python code block must pass before it runs (Jython 2.7). The worker applies
# them before it compiles a block (its second wall; the first is the operating system), and
# the compiler reports the same problems at the block's own line and column. This module only
# parses a block into a syntax tree and looks at it: it never runs the block.
#
# What the rules close: the names and attributes that serve only to climb out of the
# interpreter (__class__, __subclasses__, func_globals, gi_frame, ...), Java reflection
# (getClass, forName, ...), imports outside the allow-list, the exec statement, builtins that
# the worker removes (open, eval, ...), and changes to library modules or to conduit, whose
# effect would outlive the call. What they cannot close (aliases, say) is why the worker also
# runs in a process the operating system confines; see docs/code-blocks.md.
import _ast

_compile = compile
_isinstance = isinstance

# Modules a block may import (top-level names only; __future__ for print_function and co.).
ALLOWED_MODULES = ('__future__', 'bisect', 'calendar', 'collections', 'copy', 'datetime', 'decimal',
                   'functools', 'heapq', 'itertools', 'json', 'math', 'operator', 'random', 're',
                   'string', 'textwrap', 'time', 'unicodedata')

# The special names a block may use: defining and calling the usual protocol methods.
ALLOWED_DUNDERS = frozenset([
    '__init__', '__new__', '__str__', '__repr__', '__unicode__', '__format__', '__eq__', '__ne__',
    '__lt__', '__le__', '__gt__', '__ge__', '__cmp__', '__hash__', '__nonzero__', '__len__',
    '__iter__', '__next__', '__reversed__', '__contains__', '__getitem__', '__setitem__',
    '__delitem__', '__missing__', '__call__', '__enter__', '__exit__', '__add__', '__radd__',
    '__iadd__', '__sub__', '__rsub__', '__isub__', '__mul__', '__rmul__', '__imul__', '__div__',
    '__rdiv__', '__truediv__', '__rtruediv__', '__floordiv__', '__rfloordiv__', '__mod__',
    '__rmod__', '__pow__', '__rpow__', '__neg__', '__pos__', '__abs__', '__invert__', '__and__',
    '__rand__', '__or__', '__ror__', '__xor__', '__rxor__', '__lshift__', '__rshift__',
    '__int__', '__long__', '__float__', '__index__', '__name__', '__doc__', '__slots__'])

# Builtins the worker removes; naming them is reported at once, with what they would reach.
REMOVED_BUILTINS = {
    'open': 'files', 'file': 'files', 'execfile': 'files', 'reload': 'modules',
    'compile': 'running text as code', 'eval': 'running text as code', 'input': 'the console',
    'raw_input': 'the console', 'vars': "objects' internals", '__import__': 'modules',
}

# Attributes of functions, methods, generators, frames, tracebacks and code objects: they lead
# to other modules' globals and the interpreter's state.
_INTERNAL_PREFIXES = ('func_', 'im_', 'gi_', 'f_', 'tb_', 'co_', 'cr_')
# Java reflection (Jython lets Python reach Java objects' methods and bean properties).
_JAVA = frozenset(['getClass', 'forName', 'getClassLoader', 'classLoader', 'loadClass', 'getRuntime',
                   'getDeclaredMethod', 'getDeclaredMethods', 'declaredMethods', 'getDeclaredField',
                   'getDeclaredFields', 'declaredFields', 'getDeclaredConstructor',
                   'getDeclaredConstructors', 'getMethod', 'getMethods', 'getField', 'getFields',
                   'getConstructor', 'getConstructors', 'newInstance', 'setAccessible', 'invoke',
                   'getSystemState', 'getBuiltins', 'getenv', 'getProperty', 'getProperties',
                   'classDictInit', 'getContextClassLoader', 'currentThread', 'argslist',
                   'getDeclaringClass', 'declaringClass', 'getResource', 'getResourceAsStream'])
# Public names that start with an underscore (namedtuple's API).
_PUBLIC_UNDERSCORE = frozenset(['_replace', '_asdict', '_fields', '_make'])


class Problem(object):
    def __init__(self, line, column, message):
        self.line = line
        self.column = column
        self.message = message


def attribute_problem(name, private_ok):
    """Why a block may not use attribute `name`, or None. Used here and by the worker's getattr."""
    if name.startswith('__') and name.endswith('__') and len(name) > 4:
        if name in ALLOWED_DUNDERS:
            return None
        return "'%s' is not allowed in code blocks (it only serves to reach the interpreter's internals)" % name
    if name in _JAVA:
        return "'%s' is not allowed in code blocks (Java reflection)" % name
    if name == 'cell_contents' or name.startswith(_INTERNAL_PREFIXES):
        return "'%s' is not allowed in code blocks (it only serves to reach the interpreter's internals)" % name
    if name.startswith('_') and not private_ok and name not in _PUBLIC_UNDERSCORE:
        return ("'%s' is private: a code block may use attributes that start with '_' only on self or cls"
                % name)
    return None


def import_problem(name):
    """Why a block may not import module `name`, or None."""
    if name in ALLOWED_MODULES:
        return None
    return "import of '%s' is not allowed in code blocks (allowed: %s)" % (
        name, ', '.join(m for m in ALLOWED_MODULES if m != '__future__'))


def _children(node):
    for field in node._fields:
        value = getattr(node, field, None)
        if _isinstance(value, _ast.AST):
            yield value
        elif _isinstance(value, list):
            for item in value:
                if _isinstance(item, _ast.AST):
                    yield item


def _walk(tree):
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(_children(node))


def _bound_names(tree):
    """Every name the block itself binds (so its own `def open(...)` is not a removed builtin)."""
    bound = set()
    for node in _walk(tree):
        if _isinstance(node, _ast.Name) and not _isinstance(node.ctx, _ast.Load):
            bound.add(node.id)
        elif _isinstance(node, (_ast.FunctionDef, _ast.ClassDef)):
            bound.add(node.name)
        elif _isinstance(node, _ast.arguments):
            if node.vararg:
                bound.add(node.vararg)
            if node.kwarg:
                bound.add(node.kwarg)
        elif _isinstance(node, _ast.alias):
            bound.add((node.asname or node.name).split('.')[0])
    return bound


def _imported_names(tree):
    names = set()
    for node in _walk(tree):
        if _isinstance(node, (_ast.Import, _ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split('.')[0])
    return names


def _root(node):
    while _isinstance(node, (_ast.Attribute, _ast.Subscript)):
        node = node.value
    return node


def _declares_coding(line):
    r"""Whether a line is a coding declaration: a comment with "coding:" or "coding=" in it (what
    the regular expression ^[ \t\f]*#.*?coding[:=] matches, without importing re: that import
    alone was about a sixth of the checker's Jython start, docs/benchmarks.md)."""
    rest = line.lstrip(' \t\f')
    return rest.startswith('#') and ('coding:' in rest or 'coding=' in rest)


def source_text(source):
    """The block's text as the interpreter compiles it: already decoded (blocks are UTF-8), so a
    coding declaration in the first two lines is blanked (keeping the line numbers)."""
    lines = source.split('\n', 2)
    for i in range(min(2, len(lines))):
        if _declares_coding(lines[i]):
            lines[i] = '#'
    return '\n'.join(lines)


def analyse(source, filename):
    """(problems, has_main) of a block: the problems in source order, a list of Problem (column
    1-based); has_main whether it binds main at its top level (def main, or main = ...).
    Raises SyntaxError when the block does not parse."""
    tree = _compile(source_text(source), filename, 'exec', _ast.PyCF_ONLY_AST)
    problems = []
    bound = _bound_names(tree)
    imported = _imported_names(tree)

    def add(node, message):
        problems.append(Problem(getattr(node, 'lineno', 1) or 1, (getattr(node, 'col_offset', 0) or 0) + 1, message))

    for node in _walk(tree):
        if _isinstance(node, _ast.Import):
            for alias in node.names:
                why = import_problem(alias.name)  # a dotted name (json.decoder) is never allowed
                if why:
                    add(node, why)
        elif _isinstance(node, _ast.ImportFrom):
            if node.level and node.level > 0:
                add(node, 'relative imports are not allowed in code blocks')
            else:
                why = import_problem(node.module or '')
                if why:
                    add(node, why)
        elif _isinstance(node, _ast.Exec):
            add(node, "the exec statement is not allowed in code blocks (running text as code)")
        elif _isinstance(node, _ast.Name):
            name = node.id
            if name.startswith('__') and name.endswith('__') and name not in ('__name__', '__doc__'):
                add(node, "'%s' is not allowed in code blocks (it only serves to reach the interpreter's internals)" % name)
            elif name in REMOVED_BUILTINS and name not in bound and _isinstance(node.ctx, _ast.Load):
                add(node, "'%s' is not available in code blocks (no access to %s)" % (name, REMOVED_BUILTINS[name]))
        elif _isinstance(node, _ast.Attribute):
            root = _root(node.value)
            private_ok = (_isinstance(root, _ast.Name) and root.id in ('self', 'cls') and root.id not in imported)
            why = attribute_problem(node.attr, private_ok)
            if why:
                add(node, why)
            elif not _isinstance(node.ctx, _ast.Load) and _isinstance(root, _ast.Name) \
                    and (root.id in imported or root.id == 'conduit'):
                add(node, "changing conduit is not allowed in code blocks" if root.id == 'conduit' else
                    "changing '%s' is not allowed in code blocks (the change would outlive the call)" % root.id)
        elif _isinstance(node, (_ast.FunctionDef, _ast.ClassDef)):
            if node.name.startswith('__') and node.name.endswith('__') and node.name not in ALLOWED_DUNDERS:
                add(node, "'%s' is not allowed in code blocks (it only serves to reach the interpreter's internals)" % node.name)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems, _has_main(tree)


def _has_main(tree):
    for node in tree.body:
        if _isinstance(node, _ast.FunctionDef) and node.name == 'main':
            return True
        if _isinstance(node, _ast.Assign):
            for target in node.targets:
                if _isinstance(target, _ast.Name) and target.id == 'main':
                    return True
    return False
