// Evaluated first in every JavaScript block's fresh context (GraalJS). It is called with the
// host's helper object and its helper set (names and arities), defines the global `conduit`
// around it (every argument becomes text first, so conduit.md5(42) hashes "42" as in Python),
// and returns the function that calls the
// block's main(input) with the input JSON and returns the result as JSON. The host object is
// kept in this closure only: blocks see `conduit`, a frozen plain object.
(function (host, helperSet) {
  'use strict';

  function text(v) {
    return v === undefined || v === null ? '' : String(v);
  }

  // one wrapper per helper of the host's set (Helpers.FUNCTIONS: name -> number of arguments)
  function wrap(name, arity) {
    if (arity === 0) {
      return function () { return host[name](); };
    }
    if (arity === 1) {
      return function (s) { return host[name](text(s)); };
    }
    return function (key, s) { return host[name](text(key), text(s)); };
  }

  var conduit = {};
  var set = JSON.parse(helperSet);
  Object.keys(set).forEach(function (name) { conduit[name] = wrap(name, set[name]); });
  Object.freeze(conduit);
  Object.defineProperty(globalThis, 'conduit', { value: conduit, writable: false, enumerable: false, configurable: false });

  function bad(what, key) {
    return new TypeError('__conduit_bad__main returned ' + what + (key ? ' at "' + key + '"' : '')
        + ', which is not plain data (objects, arrays, strings, numbers, booleans, null)');
  }

  // JSON.stringify drops functions and turns a Map into {} without a word: refuse them instead
  function replacer(key, value) {
    var t = typeof value;
    if (t === 'function') { throw bad('a function', key); }
    if (t === 'symbol') { throw bad('a Symbol', key); }
    if (t === 'bigint') { throw bad('a BigInt (convert it with String() or Number())', key); }
    if (t === 'object' && value !== null && !Array.isArray(value)) {
      if (value instanceof Promise) {
        throw bad('a Promise (main must return its result: async functions are not supported)', key);
      }
      if (value instanceof Map) { throw bad('a Map (convert it with Object.fromEntries())', key); }
      if (value instanceof Set) { throw bad('a Set (convert it with Array.from())', key); }
      if (value instanceof WeakMap || value instanceof WeakSet) { throw bad('a ' + value.constructor.name, key); }
      if (value instanceof RegExp) { throw bad('a RegExp (convert it with String())', key); }
    }
    return value;
  }

  return function (inputJson) {
    if (typeof main !== 'function') {
      throw new TypeError('__conduit_no_main__');
    }
    var result = main(JSON.parse(inputJson));
    if (result === undefined) {
      return 'null';
    }
    try {
      return JSON.stringify(result, replacer);
    } catch (e) {
      var message = e && e.message !== undefined ? String(e.message) : String(e);
      if (message.indexOf('__conduit_bad__') === 0) {
        throw e;
      }
      throw new TypeError('__conduit_bad__main returned something JSON cannot hold: ' + message);
    }
  };
})
