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

  var budget = null; // this call's CallBudget, given before the block is evaluated

  // an operation below this size is left to the watchdog: asking the host costs a host call
  var SMALL = 1024 * 1024;

  function claim(bytes) {
    if (bytes > SMALL && budget !== null && bytes > budget.remaining()) {
      throw new RangeError('one operation would allocate about ' + Math.round(bytes / 1048576)
          + ' MB, more memory than a call may');
    }
  }

  function lock(object, name, value) {
    Object.defineProperty(object, name, { value: value, writable: false, enumerable: false, configurable: false });
  }

  function count(n) { // ToIntegerOrInfinity, clamped at 0, without calling back into the block twice
    n = Number(n);
    return n > 0 ? Math.floor(n) : 0;
  }

  // a Proxy keeps prototype, statics, instanceof and subclassing; from() and of() construct
  // through `this`, the proxy, so they are checked too
  function checkedConstructor(name, bytesFor) {
    var original = globalThis[name];
    if (typeof original !== 'function') {
      return;
    }
    var checked = new Proxy(original, {
      construct: function (target, args, newTarget) {
        claim(bytesFor(args));
        return Reflect.construct(target, args, newTarget === checked ? target : newTarget);
      }
    });
    lock(original.prototype, 'constructor', checked);
    lock(globalThis, name, checked);
  }

  checkedConstructor('ArrayBuffer', function (args) {
    var options = args[1];
    var max = options !== null && typeof options === 'object' ? count(options.maxByteLength) : 0;
    return Math.max(count(args[0]), max);
  });
  checkedConstructor('SharedArrayBuffer', function (args) { return count(args[0]); });
  ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
   'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']
    .forEach(function (name) {
      var size = globalThis[name] ? globalThis[name].BYTES_PER_ELEMENT : 0;
      checkedConstructor(name, function (args) {
        var a = args[0];
        if (a === null || (typeof a !== 'object' && typeof a !== 'function')) {
          return count(a) * size; // a length
        }
        if (a instanceof ArrayBuffer) {
          return 0; // a view on memory that exists
        }
        return count(a.length) * size; // an array-like: {length: 1e9} needs no memory of its own
      });
    });

  var arrayPrototype = Array.prototype;
  var originalFill = arrayPrototype.fill;
  var originalJoin = arrayPrototype.join;
  function relative(n, length) {
    n = Number(n);
    n = n !== n ? 0 : Math.trunc(n);
    return n < 0 ? Math.max(length + n, 0) : Math.min(n, length);
  }
  lock(arrayPrototype, 'fill', function fill(value) {
    var length = count(this.length);
    var start = relative(arguments[1], length);
    var end = arguments[2] === undefined ? length : relative(arguments[2], length);
    claim((end - start) * 8); // a slot a value (a double or a reference)
    return originalFill.apply(this, arguments);
  });
  lock(arrayPrototype, 'join', function join(separator) {
    var length = count(this.length);
    var bytes = (length - 1) * (separator === undefined ? 1 : String(separator).length);
    claim(bytes);
    if (length > 1 && length <= 1000000) {
      // the strings joined count too (1000 times a 1 MB string is 1 GB); other values are
      // not converted here, as their toString may do anything, nor are the elements of longer
      // arrays read (a holey array of 1e8 takes seconds to read; its join grows a string
      // step by step, which the watchdog sees)
      for (var i = 0; i < length; i++) {
        var v = this[i];
        if (typeof v === 'string') {
          bytes += v.length;
        }
      }
    }
    claim(bytes);
    return originalJoin.apply(this, arguments);
  });
  var stringPrototype = String.prototype;
  var originalRepeat = stringPrototype.repeat;
  var originalPadStart = stringPrototype.padStart;
  var originalPadEnd = stringPrototype.padEnd;
  lock(stringPrototype, 'repeat', function repeat(times) {
    claim(String(this).length * count(times)); // a byte a character at least
    return originalRepeat.apply(this, arguments);
  });
  lock(stringPrototype, 'padStart', function padStart(maxLength) {
    claim(count(maxLength));
    return originalPadStart.apply(this, arguments);
  });
  lock(stringPrototype, 'padEnd', function padEnd(maxLength) {
    claim(count(maxLength));
    return originalPadEnd.apply(this, arguments);
  });

  // the engine's own JSON, taken before any block runs: a block that replaces JSON or its methods
  // changes its own use of them, never how its input and result cross to the host
  var parse = JSON.parse;
  var stringify = JSON.stringify;

  function setBudget(b) {
    budget = b;
  }

  return [setBudget, function (inputJson) {
    if (typeof main !== 'function') {
      throw new TypeError('__conduit_no_main__');
    }
    var result = main(parse(inputJson));
    if (result === undefined) {
      return 'null';
    }
    try {
      var json = stringify(result, replacer);
      if (typeof json !== 'string') { // a toJSON that returns undefined, at the top
        throw bad('something JSON turns into nothing');
      }
      return json;
    } catch (e) {
      var message = e && e.message !== undefined ? String(e.message) : String(e);
      if (message.indexOf('__conduit_bad__') === 0) {
        throw e;
      }
      throw new TypeError('__conduit_bad__main returned something JSON cannot hold: ' + message);
    }
  }];
})
