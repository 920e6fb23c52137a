# What main(input) may return (Jython 2.7): plain data only (dict, list, str, number, bool,
# None), turned into what json.dumps writes; anything else is the block's error.
import math as _math
import decimal as _decimal_mod
from conduit_helpers import text_bytes as _bytes

_hasattr = hasattr  # the real one: the worker replaces the builtin for blocks


class BadResult(Exception):
    pass


_MAX_DEPTH = 200


def plain(value, path='', depth=0):
    if depth > _MAX_DEPTH:
        raise BadResult('main returned data nested more than %d levels deep' % _MAX_DEPTH)
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
                raise BadResult('main returned a dict with a %s key at %s (keys must be strings)'
                                % (type(k).__name__, path or 'the top'))
            key = k if isinstance(k, basestring) else ('null' if k is None else _bytes(k))
            out[key] = plain(v, '%s.%s' % (path, key) if path else key, depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [plain(v, '%s[%d]' % (path, i), depth + 1) for i, v in enumerate(value)]
    if isinstance(value, _decimal_mod.Decimal):
        if value.is_nan() or value.is_infinite():
            return None
        f = float(value)
        return f if _decimal_mod.Decimal(repr(f)) == value else str(value)
    if _hasattr(value, 'isoformat') and callable(value.isoformat):
        return value.isoformat()
    hint = ' (convert it with list())' if isinstance(value, (set, frozenset)) else ''
    raise BadResult('main returned a %s at %s, which is not plain data (dict, list, str, number, bool, None)%s'
                    % (type(value).__name__, path or 'the top', hint))
