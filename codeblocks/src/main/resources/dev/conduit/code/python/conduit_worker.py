# Conduit's Python code-block worker (Jython 2.7). The runtime starts a few of these in
# confined processes and talks to each over stdin/stdout, one JSON object per line:
#   request  {"id": n, "key": "...", "file": "...", "source": "..." (when new), "input": {...}}
#   response {"id": n, "ok": true, "result": ...}
#         or {"id": n, "ok": false, "kind": "SYNTAX|ERROR|DENIED|BAD_RESULT|MEMORY|NEED_SOURCE",
#             "line": n, "message": "..."}
# This file is the second wall; the first is the operating system (see docs/code-blocks.md).
import sys
import json
import hashlib
import hmac as _hmac
import base64
import binascii
import time
import random
from java.lang import Runtime as _JavaRuntime
from java.lang import System as _JavaSystem

_protocol = sys.stdout


class _Discard(object):
    def write(self, s):
        pass

    def flush(self):
        pass


sys.stdout = _Discard()   # print in a block must not corrupt the protocol
sys.stderr = _Discard()

ALLOWED_MODULES = frozenset(['re', 'math', 'json', 'datetime', 'time', 'string', 'collections',
                             'itertools', 'functools', 'random', 'decimal', 'calendar', 'copy',
                             'operator', 'heapq', 'bisect', 'textwrap', 'unicodedata'])

_real_import = __import__


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=-1):
    # Only a block's own imports are checked; the standard library importing its internals
    # (re importing sre_parse, say) is not a block's doing.
    if not (isinstance(globals, dict) and globals.get('__name__') == 'block'):
        return _real_import(name, globals, locals, fromlist, level)
    root = name.split('.')[0]
    if root not in ALLOWED_MODULES:
        raise ImportError("import of '%s' is not allowed in code blocks (allowed: %s)"
                          % (name, ', '.join(sorted(ALLOWED_MODULES))))
    return _real_import(name, globals, locals, fromlist, level)


import __builtin__ as _b

_SAFE = ['abs', 'all', 'any', 'basestring', 'bool', 'chr', 'cmp', 'dict', 'divmod', 'enumerate',
         'filter', 'float', 'format', 'frozenset', 'hash', 'hex', 'int', 'isinstance', 'issubclass',
         'iter', 'len', 'list', 'long', 'map', 'max', 'min', 'next', 'object', 'oct', 'ord', 'pow',
         'range', 'reduce', 'repr', 'reversed', 'round', 'set', 'slice', 'sorted', 'str', 'sum',
         'tuple', 'unichr', 'unicode', 'xrange', 'zip', 'True', 'False', 'None', 'Exception',
         'ValueError', 'TypeError', 'KeyError', 'IndexError', 'AttributeError', 'ArithmeticError',
         'ZeroDivisionError', 'RuntimeError', 'StopIteration', 'LookupError', 'NotImplementedError',
         'AssertionError', 'ImportError', 'UnicodeError', 'UnicodeDecodeError', 'UnicodeEncodeError',
         'OverflowError', 'BaseException', 'staticmethod', 'classmethod', 'property', 'super',
         'callable', 'bin', 'complex', 'bytearray', 'bytes', 'print']
SAFE_BUILTINS = dict((k, getattr(_b, k)) for k in _SAFE if hasattr(_b, k))
SAFE_BUILTINS['__import__'] = _guarded_import
# Jython resolves names and the import statement through the interpreter's own builtins, not
# the namespace's __builtins__: so the worker removes what reads files or runs strings as code
# from the real builtins (after taking what it needs itself), and guards the real __import__.
_compile = compile
for _name in ['open', 'file', 'execfile', 'reload', 'input', 'raw_input', 'compile', 'eval']:
    if hasattr(_b, _name):
        delattr(_b, _name)
_b.__import__ = _guarded_import

# Names that only serve to climb out of the sandbox (object graph walks); refused at load time.
FORBIDDEN_NAMES = ['__subclasses__', '__bases__', '__base__', '__mro__', '__globals__',
                   '__builtins__', '__import__', '__code__', '__closure__', '__dict__',
                   'func_globals', 'func_code', 'f_globals', 'f_locals', 'f_back', 'gi_frame',
                   'tb_frame', '__getattribute__', '__class__', 'im_func', 'im_self']


def _hex(b):
    return binascii.hexlify(b)


class Conduit(object):
    """The helper library, the same names as JavaScript's global conduit."""

    def md5(self, s):
        return hashlib.md5(_bytes(s)).hexdigest()

    def sha1(self, s):
        return hashlib.sha1(_bytes(s)).hexdigest()

    def sha256(self, s):
        return hashlib.sha256(_bytes(s)).hexdigest()

    def hmacSha256(self, key, data):
        return _hmac.new(_bytes(key), _bytes(data), hashlib.sha256).hexdigest()

    def hmacSha1(self, key, data):
        return _hmac.new(_bytes(key), _bytes(data), hashlib.sha1).hexdigest()

    def hmacMd5(self, key, data):
        return _hmac.new(_bytes(key), _bytes(data), hashlib.md5).hexdigest()

    def hmacSha256Base64(self, key, data):
        return base64.b64encode(_hmac.new(_bytes(key), _bytes(data), hashlib.sha256).digest())

    def base64Encode(self, s):
        return base64.b64encode(_bytes(s))

    def base64Decode(self, s):
        return base64.b64decode(_bytes(s)).decode('utf-8')

    def hexEncode(self, s):
        return _hex(_bytes(s))

    def urlEncode(self, s):
        out = []
        for ch in _bytes(s):
            c = ord(ch)
            if (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or ch in '-_.~':
                out.append(ch)
            else:
                out.append('%%%02X' % c)
        return ''.join(out)

    def urlDecode(self, s):
        b = _bytes(s)
        out = []
        i = 0
        while i < len(b):
            if b[i] == '%' and i + 2 < len(b):
                out.append(chr(int(b[i + 1:i + 3], 16)))
                i += 3
            else:
                out.append(b[i])
                i += 1
        return ''.join(out).decode('utf-8')

    def now(self):
        return int(time.time() * 1000)

    def nowSeconds(self):
        return int(time.time())

    def uuid(self):
        r = [random.SystemRandom().randint(0, 255) for _ in range(16)]
        r[6] = (r[6] & 0x0f) | 0x40
        r[8] = (r[8] & 0x3f) | 0x80
        h = ''.join('%02x' % x for x in r)
        return '%s-%s-%s-%s-%s' % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def _bytes(s):
    if s is None:
        return ''
    if isinstance(s, unicode):
        return s.encode('utf-8')
    return str(s)


HELPERS = Conduit()
CODE = {}
_MEMORY = [False]


def _memory_exhausted():
    # After the JVM ran out of heap, errors show up anywhere in Jython's own code (even as a
    # NameError); a nearly full heap means the block's doing, and this worker is recycled.
    rt = _JavaRuntime.getRuntime()
    _JavaSystem.gc()
    used = rt.totalMemory() - rt.freeMemory()
    return used > rt.maxMemory() * 0.85


def _line_in(tb, filename):
    # walks the traceback itself: the traceback module reads source files, which blocks cannot
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _forbidden(source):
    for name in FORBIDDEN_NAMES:
        if name in source:
            return name
    return None


def handle(req):
    key = req['key']
    filename = req['file']
    code = CODE.get(key)
    if code is None:
        if 'source' not in req:
            return {'ok': False, 'kind': 'NEED_SOURCE', 'line': 0, 'message': 'source needed'}
        source = req['source']
        bad = _forbidden(source)
        if bad is not None:
            return {'ok': False, 'kind': 'DENIED', 'line': 0,
                    'message': "'%s' is not allowed in code blocks" % bad}
        try:
            code = _compile(source, filename, 'exec')
        except SyntaxError, e:
            return {'ok': False, 'kind': 'SYNTAX', 'line': e.lineno or 0,
                    'message': 'syntax error: %s (Python blocks run on Jython, Python 2.7)' % e.msg}
        CODE[key] = code
    # a fresh namespace per call: no call sees another call's data
    ns = {'__builtins__': SAFE_BUILTINS, '__name__': 'block', 'conduit': HELPERS}
    try:
        exec code in ns
        main = ns.get('main')
        if not callable(main):
            return {'ok': False, 'kind': 'BAD_RESULT', 'line': 0,
                    'message': 'the block defines no main(input) function'}
        result = main(req['input'])
    except MemoryError:
        _MEMORY[0] = True
        return {'ok': False, 'kind': 'MEMORY', 'line': 0, 'message': 'the block ran out of memory'}
    except ImportError, e:
        return {'ok': False, 'kind': 'DENIED', 'line': _line_in(sys.exc_info()[2], filename),
                'message': str(e)}
    except Exception, e:
        ns = None
        if _memory_exhausted():
            _MEMORY[0] = True
            return {'ok': False, 'kind': 'MEMORY', 'line': 0, 'message': 'the block ran out of memory'}
        return {'ok': False, 'kind': 'ERROR', 'line': _line_in(sys.exc_info()[2], filename),
                'message': '%s: %s' % (type(e).__name__, e)}
    try:
        text = json.dumps(result)
    except (TypeError, ValueError), e:
        return {'ok': False, 'kind': 'BAD_RESULT', 'line': 0,
                'message': 'main must return plain data (dict, list, str, number, bool, None): %s' % e}
    return {'ok': True, 'json': text}


def main():
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        try:
            req = json.loads(line)
            res = handle(req)
            res['id'] = req.get('id')
        except MemoryError:
            res = {'ok': False, 'kind': 'MEMORY', 'line': 0, 'message': 'the block ran out of memory'}
        except Exception, e:
            res = {'ok': False, 'kind': 'ERROR', 'line': 0, 'message': 'worker: %s' % e}
        _protocol.write(json.dumps(res) + '\n')
        _protocol.flush()
        if _MEMORY[0]:
            return  # a worker whose heap filled up is not trusted again: the runtime starts another


_protocol.write('{"ready": true}\n')
_protocol.flush()
main()
