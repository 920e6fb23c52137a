#!/usr/bin/env node
// Ranks a V8 .cpuprofile (node --cpu-prof) by where the time went: self time per package and
// per function, and inclusive time per function (each sample counted once per function on its
// stack, so recursion does not count twice). Idle time is left out of the percentages: they are
// shares of the time the process was on a core.
// Usage: node bench/peers/n8n/cpuprofile-rank.js FILE.cpuprofile [TOP=25] [MARK...]
//   a MARK (a substring of "function package file") counts the samples whose stack holds it anywhere
//   FROM_S=60 TO_S=600 (environment): only the samples taken that many seconds after the profile
//   started (to leave start-up out)
'use strict';
const fs = require('fs');

const [file, topArg, ...marks] = process.argv.slice(2);
if (!file) {
  console.error('usage: cpuprofile-rank.js FILE.cpuprofile [TOP] [MARK...]');
  process.exit(2);
}
const top = Number(topArg) || 25;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

// the package a script belongs to: the last node_modules/<name> (or <@scope/name>) in its path
function packageOf(url) {
  if (!url) return '(native)';
  const parts = url.split('node_modules/');
  if (parts.length === 1) return url.startsWith('node:') ? 'node:' + url.slice(5).split('/')[0] : '(outside node_modules)';
  const rest = parts[parts.length - 1].split('/');
  return rest[0].startsWith('@') ? rest[0] + '/' + rest[1] : rest[0];
}
function fileOf(url) {
  const parts = (url || '').split('node_modules/');
  return parts[parts.length - 1];
}

const byId = new Map();
const parent = new Map();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children || []) parent.set(child, node.id);
}
const keyOf = (node) => {
  const f = node.callFrame;
  return `${f.functionName || '(anonymous)'} ${packageOf(f.url)} ${fileOf(f.url)}:${f.lineNumber + 1}`;
};

const selfFn = new Map();
const selfPkg = new Map();
const inclusive = new Map();
const marked = new Map(marks.map((m) => [m, 0]));
let busy = 0;
let idle = 0;
const add = (map, key, v) => map.set(key, (map.get(key) || 0) + v);

const from = Number(process.env.FROM_S || 0) * 1e6;
const to = Number(process.env.TO_S || Infinity) * 1e6;
let at = 0; // µs since the profile started
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i];
  const dt = profile.timeDeltas[i + 1] ?? 0; // the time until the next sample
  if (at < from || at > to) continue;
  const node = byId.get(profile.samples[i]);
  const name = node.callFrame.functionName;
  if (name === '(idle)') {
    idle += dt;
    continue;
  }
  busy += dt;
  add(selfFn, keyOf(node), dt);
  add(selfPkg, name.startsWith('(') ? name : packageOf(node.callFrame.url), dt);
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const key = keyOf(byId.get(id));
    if (!seen.has(key)) {
      seen.add(key);
      add(inclusive, key, dt);
    }
  }
  const stack = [...seen].join('\n');
  for (const m of marks) if (stack.includes(m)) add(marked, m, dt);
}

const ms = (us) => (us / 1000).toFixed(0).padStart(8);
const pct = (us) => ((100 * us) / busy).toFixed(1).padStart(5) + '%';
const show = (title, map, n) => {
  console.log(`\n${title}`);
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([k, v]) => console.log(`${ms(v)} ms ${pct(v)}  ${k}`));
};
const seconds = (profile.endTime - profile.startTime) / 1e6;
console.log(`${file}: ${seconds.toFixed(1)} s profiled (window ${from / 1e6}-${to / 1e6} s), ${(busy / 1e6).toFixed(1)} s on a core, ${(idle / 1e6).toFixed(1)} s idle, ${profile.samples.length} samples`);
show('self time by package', selfPkg, top);
show('self time by function', selfFn, top);
show('inclusive time by function', inclusive, top * 2);
if (marks.length) show('samples whose stack holds', marked, marks.length);
