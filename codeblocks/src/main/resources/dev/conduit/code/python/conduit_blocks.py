# Running a block in the worker (Jython 2.7): checking and compiling its source once (kept by
# key), then main(input) in a fresh namespace per call, with every way it can fail turned into
# an answer the runtime reads (see conduit_worker.py for the protocol).
import sys
import decimal as _decimal_mod
import calendar as _calendar_mod
import conduit_guard as _guard
import conduit_helpers as _helpers
import conduit_results as _results
from conduit_walls import DeniedError
from java.lang import Runtime as _JavaRuntime
from java.lang import System as _JavaSystem
from java.lang import OutOfMemoryError as _JavaOOM
from java.lang import StackOverflowError as _JavaSOE

# the real ones: the worker removes compile and replaces getattr for blocks
_compile = compile
_real_getattr = getattr

CODE = {}
_MAX_CODE = 2000
# set once the heap has filled up: the worker answers, then exits to be replaced
memory_ran_out = [False]


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


def failure(kind, message, line=0, column=0):
    return {'ok': False, 'kind': kind, 'line': line, 'column': column, 'message': message}


def memory():
    memory_ran_out[0] = True
    return failure('MEMORY', 'the block ran out of memory (the worker heap is full)')


def _load(req):
    source = req['source']
    filename = req['file']
    try:
        problems, has_main = _guard.analyse(source, filename)
    except SyntaxError, e:
        return None, failure('SYNTAX', e.msg, e.lineno or 0, (e.offset or 0) + 1 if e.lineno else 0)
    if problems:
        p = problems[0]
        return None, failure('DENIED', p.message, p.line, p.column)
    if not has_main:
        return None, failure('BAD_RESULT', 'the block defines no main(input) function')
    return _compile(_guard.source_text(source), filename, 'exec'), None


def handle(req):
    key = req['key']
    filename = req['file']
    code = CODE.get(key)
    compiled = False
    if code is None:
        if 'source' not in req:
            return failure('NEED_SOURCE', 'source needed')
        code, problem = _load(req)
        if problem is not None:
            return problem
        if len(CODE) >= _MAX_CODE:
            CODE.clear()  # bundles come and go; the runtime sends a dropped block again
        CODE[key] = code
        compiled = True
    # a fresh namespace and helper module per call; library state that blocks may change is reset
    ns = {'__name__': 'block', 'conduit': _helpers.module()}
    _decimal_mod.setcontext(_decimal_mod.Context())
    _calendar_mod.setfirstweekday(0)
    try:
        exec code in ns
        main = ns.get('main')
        if not callable(main):
            answer = failure('BAD_RESULT', 'main is not a function: the block must define main(input)')
        else:
            answer = {'ok': True, 'result': _results.plain(main(req['input']))}
    except _results.BadResult, e:
        answer = failure('BAD_RESULT', str(e))
    except MemoryError:
        answer = memory()
    except DeniedError, e:
        answer = failure('DENIED', str(e), _line_in(sys.exc_info()[2], filename))
    except Exception, e:
        tb = sys.exc_info()[2]
        if _memory_exhausted():
            answer = memory()
        else:
            answer = failure('ERROR', '%s: %s' % (type(e).__name__, e) if str(e) else type(e).__name__,
                             _line_in(tb, filename))
    except:  # Java throwables are not Python exceptions
        t, v, tb = sys.exc_info()
        if isinstance(v, _JavaOOM) or _memory_exhausted():
            answer = memory()
        elif isinstance(v, _JavaSOE):
            answer = failure('ERROR', 'RuntimeError: maximum recursion depth exceeded', _line_in(tb, filename))
        else:
            answer = failure('ERROR', 'the block failed inside the Python library (%s)'
                             % _real_getattr(t, '__name__', 'error').split('.')[-1], _line_in(tb, filename))
    answer['compiled'] = compiled
    return answer
