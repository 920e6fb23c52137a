# The helper library a Python block finds as `conduit` (Jython 2.7): the same names as
# JavaScript's global conduit. Helpers.java is the one definition of the set (its exported
# methods); BothLanguagesTest holds this module to its names and to the same results.
import hashlib
import hmac as _hmac
import base64
import re as _re
import binascii
import types as _types
from java.lang import System as _JavaSystem
from java.util import UUID as _JavaUUID


def text_bytes(s):
    """A value as UTF-8 bytes, the way JavaScript's String(value) spells it."""
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
    return _hmac.new(text_bytes(key), text_bytes(data), algorithm).digest()


def md5(s):
    return hashlib.md5(text_bytes(s)).hexdigest()


def sha1(s):
    return hashlib.sha1(text_bytes(s)).hexdigest()


def sha256(s):
    return hashlib.sha256(text_bytes(s)).hexdigest()


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


def _unhex(s, function, what):
    b = text_bytes(s)
    if len(b) % 2 or not _HEX.match(b):
        raise ValueError('%s: %s is not hex (an even number of digits 0-9, a-f)' % (function, what))
    return binascii.unhexlify(b)


def hmacSha256HexKey(hexKey, data):
    return _hmac.new(_unhex(hexKey, 'hmacSha256HexKey', 'the key'), text_bytes(data), hashlib.sha256).hexdigest()


def hmacSha1HexKey(hexKey, data):
    return _hmac.new(_unhex(hexKey, 'hmacSha1HexKey', 'the key'), text_bytes(data), hashlib.sha1).hexdigest()


def hmacMd5HexKey(hexKey, data):
    return _hmac.new(_unhex(hexKey, 'hmacMd5HexKey', 'the key'), text_bytes(data), hashlib.md5).hexdigest()


def base64ToHex(s):
    return binascii.hexlify(_unbase64(s, 'base64ToHex'))


def hexToBase64(s):
    return base64.b64encode(_unhex(s, 'hexToBase64', 'the text'))


def base64Encode(s):
    return base64.b64encode(text_bytes(s))


def _unbase64(s, function):
    compact = ''.join(text_bytes(s).split())
    if not _BASE64.match(compact):
        raise ValueError('%s: not valid Base64 (only A-Z, a-z, 0-9, +, / and = padding)' % function)
    body = compact.rstrip('=')
    if len(body) % 4 == 1:
        raise ValueError('%s: not valid Base64 (its length is wrong)' % function)
    return base64.b64decode(body + '=' * (-len(body) % 4))


def base64Decode(s):
    return _text(_unbase64(s, 'base64Decode'), 'base64Decode')


def hexEncode(s):
    return binascii.hexlify(text_bytes(s))


_BASE64 = _re.compile(r'^[A-Za-z0-9+/]*={0,2}$')
_HEX = _re.compile(r'^[0-9a-fA-F]*$')
_URL_SAFE = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~')


def urlEncode(s):
    return ''.join(ch if ch in _URL_SAFE else '%%%02X' % ord(ch) for ch in text_bytes(s))


def urlDecode(s):
    b = text_bytes(s)
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
    hmacSha256HexKey, hmacSha1HexKey, hmacMd5HexKey, base64ToHex, hexToBase64, base64Encode, base64Decode, hexEncode, urlEncode, urlDecode, now, nowSeconds, uuid])


def module():
    """A fresh `conduit` module for one call: what a block changes in it ends with the call."""
    m = _types.ModuleType('conduit')
    m.__dict__.update(_HELPERS)
    return m
