# Conduit's Python code-block worker (Jython 2.7): the request loop. The runtime starts a few of
# these in confined processes and talks to each over stdin/stdout, one JSON object per line:
#   request  {"id": n, "key": "...", "file": "...", "source": "..." (when new), "input": ...}
#   response >{"id": n, "ok": true, "result": ..., "compiled": bool}
#         or >{"id": n, "ok": false, "kind": "SYNTAX|ERROR|DENIED|BAD_RESULT|MEMORY|NEED_SOURCE",
#              "line": n, "column": n, "message": "...", "compiled": bool}
# The '>' is written and flushed as soon as the request line is read, before it is parsed or
# run: it tells the runtime the worker took the call.
# The worker answers {"ready": true} once it can take requests.
#
# The modules beside it (shipped together, read-only at /app): conduit_walls (the second wall:
# module copies and guarded builtins), conduit_guard (the rules a block's text must pass),
# conduit_blocks (running a block), conduit_helpers (the `conduit` library) and
# conduit_results (plain data out). The first wall is the operating system; see
# docs/code-blocks.md.
import sys
import json

_protocol = sys.stdout
_stdin = sys.stdin


class _Discard(object):
    def write(self, s):
        pass

    def writelines(self, lines):
        pass

    def flush(self):
        pass


sys.stdout = _Discard()   # print in a block (or a module loading) must not corrupt the protocol
sys.stderr = _Discard()

import conduit_walls as _walls
import conduit_blocks as _blocks

_walls.install()  # last: every module of the worker is loaded and keeps the real builtins


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
            res = _blocks.handle(req)
            res['id'] = req_id
            text = json.dumps(res)
        except MemoryError:
            text = json.dumps(dict(_blocks.memory(), id=req_id))
        except:
            text = json.dumps(dict(_blocks.failure('ERROR', 'the worker could not handle the request'), id=req_id))
        _protocol.write(text + '\n')
        _protocol.flush()
        if _blocks.memory_ran_out[0]:
            return  # a worker whose heap filled up is not trusted again: the runtime starts another


_protocol.write('{"ready": true}\n')
_protocol.flush()
main()
