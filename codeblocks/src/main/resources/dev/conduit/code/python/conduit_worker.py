# Conduit's Python code-block worker (Jython 2.7). The runtime starts a few of these in
# confined processes and talks to each over stdin/stdout, one JSON object per line:
#   request  {"id": n, "key": "...", "file": "...", "source": "..." (when new), "input": ...}
#   response >{"id": n, "ok": true, "result": ..., "compiled": bool}
#         or >{"id": n, "ok": false, "kind": "SYNTAX|ERROR|DENIED|BAD_RESULT|MEMORY|NEED_SOURCE",
#              "line": n, "column": n, "message": "...", "compiled": bool}
# The '>' is written and flushed as soon as the request line is read, before it is parsed or
# run: it tells the runtime the worker took the call.
# The worker answers {"ready": true} once it can take requests.
#
# This file is the second wall: the first is the operating system (bubblewrap, an unprivileged
# user, resource limits; see docs/code-blocks.md). Jython cannot be confined inside its own
# process, so what follows raises the bar and gives clear errors; it is not the boundary.
import sys
import json
import hashlib
import hmac as _hmac
import base64
import re as _re
import binascii
import math as _math
import time as _time
import types as _types
import __builtin__ as _b
import conduit_guard as _guard
from java.lang import Object as _JavaObject
from java.lang import Runtime as _JavaRuntime
from java.lang import System as _JavaSystem
from java.lang import OutOfMemoryError as _JavaOOM
from java.lang import StackOverflowError as _JavaSOE
from java.util import UUID as _JavaUUID

_protocol = sys.stdout
_stdin = sys.stdin


class _Discard(object):
    def write(self, s):
        pass

    def writelines(self, lines):
        pass

    def flush(self):
        pass


sys.stdout = _Discard()   # print in a block must not corrupt the protocol
sys.stderr = _Discard()

# --- the modules a block may import: preloaded, then offered as filtered copies -------------

for _name in _guard.ALLOWED_MODULES:
    __import__(_name)

import random as _random_mod
import decimal as _decimal_mod
import calendar as _calendar_mod

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
_compile = _REAL['compile']
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


_give_all()
for _name in _REPLACED:
    if hasattr(_b, _name):
        delattr(_b, _name)
_b.__import__ = _guarded_import
_b.getattr = _getattr
_b.hasattr = _hasattr
_b.setattr = _setattr
_b.delattr = _delattr
_b.DeniedError = DeniedError


# --- the helper library: the same names as JavaScript's global conduit ----------------------

def _bytes(s):
    if s is None:
        return ''
    if isinstance(s, unicode):
        return s.encode('utf-8')
    if isinstance(s, bool):
        return 'true' if s else 'false'
    if isinstance(s, float) and s == int(s) and abs(s) < 1e21:
        return str(int(s))  # as JavaScript's String(2.0) == '2'
    return str(s)


def _text(b, function):
    try:
        return b.decode('utf-8')
    except UnicodeDecodeError:
        raise ValueError('%s: the decoded bytes are not UTF-8 text' % function)


def _mac(algorithm, key, data):
    return _hmac.new(_bytes(key), _bytes(data), algorithm).digest()


def md5(s):
    return hashlib.md5(_bytes(s)).hexdigest()


def sha1(s):
    return hashlib.sha1(_bytes(s)).hexdigest()


def sha256(s):
    return hashlib.sha256(_bytes(s)).hexdigest()


def hmacSha256(key, data):
    return binascii.hexlify(_mac(hashlib.sha256, key, data))


def hmacSha1(key, data):
    return binascii.hexlify(_mac(hashlib.sha1, key, data))


def hmacMd5(key, data):
    return binascii.hexlify(_mac(hashlib.md5, key, data))


def hmacSha256Base64(key, data):
    return base64.b64encode(_mac(hashlib.sha256, key, data))


def hmacSha1Base64(key, data):
    return base64.b64encode(_mac(hashlib.sha1, key, data))


def hmacMd5Base64(key, data):
    return base64.b64encode(_mac(hashlib.md5, key, data))


def base64Encode(s):
    return base64.b64encode(_bytes(s))


def base64Decode(s):
    compact = ''.join(_bytes(s).split())
    if not _BASE64.match(compact):
        raise ValueError('base64Decode: not valid Base64 (only A-Z, a-z, 0-9, +, / and = padding)')
    body = compact.rstrip('=')
    if len(body) % 4 == 1:
        raise ValueError('base64Decode: not valid Base64 (its length is wrong)')
    return _text(base64.b64decode(body + '=' * (-len(body) % 4)), 'base64Decode')


def hexEncode(s):
    return binascii.hexlify(_bytes(s))


_BASE64 = _re.compile(r'^[A-Za-z0-9+/]*={0,2}$')
_URL_SAFE = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~')


def urlEncode(s):
    return ''.join(ch if ch in _URL_SAFE else '%%%02X' % ord(ch) for ch in _bytes(s))


def urlDecode(s):
    b = _bytes(s)
    out = []
    i = 0
    while i < len(b):
        if b[i] == '%':
            pair = b[i + 1:i + 3]
            if len(pair) != 2 or not all(c in '0123456789abcdefABCDEF' for c in pair):
                raise ValueError("urlDecode: '%' must be followed by two hex digits")
            out.append(chr(int(pair, 16)))
            i += 3
        else:
            out.append(b[i])
            i += 1
    return _text(''.join(out), 'urlDecode')


def now():
    return _JavaSystem.currentTimeMillis()


def nowSeconds():
    return _JavaSystem.currentTimeMillis() // 1000


def uuid():
    return str(_JavaUUID.randomUUID().toString())


_HELPERS = dict((f.__name__, f) for f in [
    md5, sha1, sha256, hmacSha256, hmacSha1, hmacMd5, hmacSha256Base64, hmacSha1Base64, hmacMd5Base64,
    base64Encode, base64Decode, hexEncode, urlEncode, urlDecode, now, nowSeconds, uuid])


def _conduit():
    m = _types.ModuleType('conduit')
    m.__dict__.update(_HELPERS)
    return m


# --- results: plain data only ---------------------------------------------------------------

class _BadResult(Exception):
    pass


_MAX_DEPTH = 200


def _plain(value, path, depth):
    if depth > _MAX_DEPTH:
        raise _BadResult('main returned data nested more than %d levels deep' % _MAX_DEPTH)
    if value is None or isinstance(value, (bool, basestring)):
        return value
    if isinstance(value, (int, long)):
        return value
    if isinstance(value, float):
        return None if _math.isnan(value) or _math.isinf(value) else value
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, bool) or not isinstance(k, (basestring, int, long, float)) and k is not None:
                raise _BadResult('main returned a dict with a %s key at %s (keys must be strings)'
                                 % (type(k).__name__, path or 'the top'))
            key = k if isinstance(k, basestring) else ('null' if k is None else _bytes(k))
            out[key] = _plain(v, '%s.%s' % (path, key) if path else key, depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v, '%s[%d]' % (path, i), depth + 1) for i, v in enumerate(value)]
    if isinstance(value, _decimal_mod.Decimal):
        if value.is_nan() or value.is_infinite():
            return None
        f = float(value)
        return f if _decimal_mod.Decimal(repr(f)) == value else str(value)
    if hasattr(value, 'isoformat') and callable(value.isoformat):
        return value.isoformat()
    hint = ' (convert it with list())' if isinstance(value, (set, frozenset)) else ''
    raise _BadResult('main returned a %s at %s, which is not plain data (dict, list, str, number, bool, None)%s'
                     % (type(value).__name__, path or 'the top', hint))


# --- running a block --------------------------------------------------------------------------

CODE = {}
_MAX_CODE = 2000
_MEMORY = [False]


def _memory_exhausted():
    # After the heap ran out, errors show up anywhere (even as a NameError in the library);
    # a nearly full heap means the block's doing, and this worker is recycled.
    rt = _JavaRuntime.getRuntime()
    if rt.totalMemory() - rt.freeMemory() < rt.maxMemory() * 0.8:
        return False
    _JavaSystem.gc()
    return rt.totalMemory() - rt.freeMemory() > rt.maxMemory() * 0.8


def _line_in(tb, filename):
    # the deepest frame in the block's own file (the traceback module would read files)
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _failure(kind, message, line=0, column=0):
    return {'ok': False, 'kind': kind, 'line': line, 'column': column, 'message': message}


def _memory():
    _MEMORY[0] = True
    return _failure('MEMORY', 'the block ran out of memory (the worker heap is full)')


def _load(req):
    source = req['source']
    filename = req['file']
    try:
        problems, has_main = _guard.analyse(source, filename)
    except SyntaxError, e:
        return None, _failure('SYNTAX', e.msg, e.lineno or 0, (e.offset or 0) + 1 if e.lineno else 0)
    if problems:
        p = problems[0]
        return None, _failure('DENIED', p.message, p.line, p.column)
    if not has_main:
        return None, _failure('BAD_RESULT', 'the block defines no main(input) function')
    return _compile(_guard.source_text(source), filename, 'exec'), None


def handle(req):
    key = req['key']
    filename = req['file']
    code = CODE.get(key)
    compiled = False
    if code is None:
        if 'source' not in req:
            return _failure('NEED_SOURCE', 'source needed')
        code, failure = _load(req)
        if failure is not None:
            return failure
        if len(CODE) >= _MAX_CODE:
            CODE.clear()  # bundles come and go; the runtime sends a dropped block again
        CODE[key] = code
        compiled = True
    # a fresh namespace and helper module per call; library state that blocks may change is reset
    ns = {'__name__': 'block', 'conduit': _conduit()}
    _decimal_mod.setcontext(_decimal_mod.Context())
    _calendar_mod.setfirstweekday(0)
    try:
        exec code in ns
        main = ns.get('main')
        if not callable(main):
            answer = _failure('BAD_RESULT', 'main is not a function: the block must define main(input)')
        else:
            answer = {'ok': True, 'result': _plain(main(req['input']), '', 0)}
    except _BadResult, e:
        answer = _failure('BAD_RESULT', str(e))
    except MemoryError:
        answer = _memory()
    except DeniedError, e:
        answer = _failure('DENIED', str(e), _line_in(sys.exc_info()[2], filename))
    except Exception, e:
        tb = sys.exc_info()[2]
        if _memory_exhausted():
            answer = _memory()
        else:
            answer = _failure('ERROR', '%s: %s' % (type(e).__name__, e) if str(e) else type(e).__name__,
                              _line_in(tb, filename))
    except:  # Java throwables are not Python exceptions
        t, v, tb = sys.exc_info()
        if isinstance(v, _JavaOOM) or _memory_exhausted():
            answer = _memory()
        elif isinstance(v, _JavaSOE):
            answer = _failure('ERROR', 'RuntimeError: maximum recursion depth exceeded', _line_in(tb, filename))
        else:
            answer = _failure('ERROR', 'the block failed inside the Python library (%s)'
                              % _real_getattr(t, '__name__', 'error').split('.')[-1], _line_in(tb, filename))
    answer['compiled'] = compiled
    return answer


def main():
    while True:
        line = _stdin.readline()
        if not line:
            return
        # The first byte of the answer, at once: from here on a death of this worker is this
        # call's (the runtime retries a call on another worker only when this byte never came).
        _protocol.write('>')
        _protocol.flush()
        req_id = None
        try:
            req = json.loads(line)
            req_id = req.get('id')
            res = handle(req)
            res['id'] = req_id
            text = json.dumps(res)
        except MemoryError:
            _MEMORY[0] = True
            text = json.dumps(dict(_memory(), id=req_id))
        except:
            text = json.dumps(dict(_failure('ERROR', 'the worker could not handle the request'), id=req_id))
        _protocol.write(text + '\n')
        _protocol.flush()
        if _MEMORY[0]:
            return  # a worker whose heap filled up is not trusted again: the runtime starts another


_protocol.write('{"ready": true}\n')
_protocol.flush()
main()
