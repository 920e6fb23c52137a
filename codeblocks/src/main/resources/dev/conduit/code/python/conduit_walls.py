# The worker's second wall (Jython 2.7): what a block may reach once it runs. The first wall is
# the operating system (bubblewrap, an unprivileged user, resource limits; see
# docs/code-blocks.md); conduit_guard.py checks a block's text before it is compiled. Jython
# cannot be confined inside its own process, so this raises the bar and gives clear errors; it
# is not the boundary.
#
# Two parts: the allowed modules, offered to a block as filtered copies of their public names,
# and the builtins, replaced interpreter-wide by guarded versions. install() puts the second in
# place; the worker calls it once every module of its own is loaded, because the real builtins
# are handed to each loaded module then.
import sys
import types as _types
import __builtin__ as _b
import conduit_guard as _guard
from java.lang import Object as _JavaObject

# --- the modules a block may import: preloaded, then offered as filtered copies -------------

for _name in _guard.ALLOWED_MODULES:
    __import__(_name)

import random as _random_mod

# Methods every Java object has, and names Jython adds to Java-implemented modules.
_JAVA_OBJECT_NAMES = frozenset(['getClass', 'hashCode', 'equals', 'toString', 'notify', 'notifyAll',
                                'wait', 'class', 'classDictInit'])
# Public names that still lead too far: dynamic attribute access, format-field lookups.
_WITHHELD = {
    'operator': ['attrgetter', 'methodcaller'],
    'string': ['Formatter'],
    'random': ['SystemRandom', 'WichmannHill'],
    'calendar': ['main'],
    'copy': ['dispatch_table'],
}


_SYS_TYPE = type(sys)


def _reaches_too_far(value):
    # modules, Jython's sys (not a module type), Java packages, Java classes and objects
    return (isinstance(value, (_types.ModuleType, _SYS_TYPE)) or isinstance(value, _JavaObject)
            or type(value).__name__ in ('javapackage', 'reflectedconstructor'))


def _public(module_name):
    module = sys.modules[module_name]
    withheld = _WITHHELD.get(module_name, ())
    out = {}
    for key in dir(module):
        if key.startswith('_') or key in _JAVA_OBJECT_NAMES or key in withheld:
            continue
        try:
            value = getattr(module, key)
        except Exception:
            continue
        if _reaches_too_far(value):
            continue
        out[key] = value
    if module_name == '__future__':
        out = dict((k, getattr(module, k)) for k in module.all_feature_names)
    return out


_PUBLIC = dict((name, _public(name)) for name in _guard.ALLOWED_MODULES)
_RANDOM_METHODS = [k for k in dir(_random_mod.Random) if not k.startswith('_') and k not in ('VERSION',)]


def _module_for_block(name):
    """A fresh module object holding the public part of an allowed module: a block that changes
    it changes only its own copy, and it reaches no submodule, private name or Java class."""
    m = _types.ModuleType(name)
    m.__dict__.update(_PUBLIC[name])
    if name == 'random':
        # module-level random functions share one generator; each call gets its own
        r = _random_mod.Random()
        for k in _RANDOM_METHODS:
            m.__dict__[k] = getattr(r, k)
    return m


# --- builtins: Jython resolves every frame's builtins through one interpreter-wide dict -----

_REPLACED = ['open', 'file', 'execfile', 'reload', 'input', 'raw_input', 'compile', 'eval', 'vars',
             'getattr', 'setattr', 'delattr', 'hasattr', '__import__']
_REAL = dict((k, getattr(_b, k)) for k in _REPLACED if hasattr(_b, k))
_real_import = _REAL['__import__']
_real_getattr = _REAL['getattr']
_real_setattr = _REAL['setattr']
_real_delattr = _REAL['delattr']
_injected = set()


def _give_real_builtins(module):
    # The library keeps the real functions: they go into each loaded module's own globals,
    # which Jython searches before the builtins. Modules written in Java need none.
    if id(module) in _injected:
        return
    _injected.add(id(module))
    try:
        d = module.__dict__
        for k, v in _REAL.items():
            if k not in d:
                d[k] = v
    except Exception:
        pass


def _give_all():
    for module in list(sys.modules.values()):
        if module is not None:
            _give_real_builtins(module)


class DeniedError(Exception):
    """A block tried something code blocks may not do."""


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=-1):
    # Only a block's own imports are checked; the library importing its internals
    # (re importing sre_parse, say) is not a block's doing.
    if not (isinstance(globals, dict) and globals.get('__name__') == 'block'):
        before = len(sys.modules)
        module = _real_import(name, globals, locals, fromlist, level)
        if len(sys.modules) != before:
            _give_all()
        return module
    why = _guard.import_problem(name)
    if why is not None or (level is not None and level > 0):
        raise DeniedError(why or 'relative imports are not allowed in code blocks')
    return _module_for_block(name)


def _private_ok(obj):
    # the block's own objects (instances of its own classes, and those classes)
    if isinstance(obj, (type, _types.ClassType)):
        cls = obj
    else:
        cls = _real_getattr(obj, '__class__', type(obj))
    return _real_getattr(cls, '__module__', None) == 'block'


def _check_attr(obj, name):
    if not isinstance(name, basestring):
        raise TypeError('attribute name must be string')
    why = _guard.attribute_problem(name, _private_ok(obj))
    if why is not None:
        raise DeniedError(why)


_MISSING = object()


def _getattr(obj, name, default=_MISSING):
    _check_attr(obj, name)
    if default is _MISSING:
        return _real_getattr(obj, name)
    return _real_getattr(obj, name, default)


def _hasattr(obj, name):
    try:
        _check_attr(obj, name)
    except DeniedError:
        return False
    return _real_getattr(obj, name, _MISSING) is not _MISSING


def _changeable(obj):
    if isinstance(obj, _types.ModuleType) or (isinstance(obj, type) and _real_getattr(obj, '__module__', None) != 'block'):
        raise DeniedError("changing a library module or class is not allowed in code blocks "
                          "(the change would outlive the call)")


def _setattr(obj, name, value):
    _check_attr(obj, name)
    _changeable(obj)
    _real_setattr(obj, name, value)


def _delattr(obj, name):
    _check_attr(obj, name)
    _changeable(obj)
    _real_delattr(obj, name)


def install():
    """Hands the real builtins to every module loaded so far, then replaces them for blocks."""
    _give_all()
    for name in _REPLACED:
        if hasattr(_b, name):
            delattr(_b, name)
    _b.__import__ = _guarded_import
    _b.getattr = _getattr
    _b.hasattr = _hasattr
    _b.setattr = _setattr
    _b.delattr = _delattr
    _b.DeniedError = DeniedError
