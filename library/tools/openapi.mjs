// Reading an OpenAPI 3 definition (as the APIs.guru directory ships them: JSON, external $refs
// bundled): internal $refs, the base URL, the security scheme, an operation's parameters and
// its JSON request and response schemas. Shared by the generator and the curation draft.

export function deref(spec, node, seen = new Set()) {
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    if (seen.has(node.$ref) || !node.$ref.startsWith('#/')) return {};
    seen.add(node.$ref);
    node = node.$ref.slice(2).split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((n, k) => (n == null ? n : n[k]), spec);
  }
  return node ?? {};
}

/** The https base URL of an operation (server variables filled with their defaults), or null. */
export function baseUrl(spec, pathItem, op) {
  const server = (op.servers ?? pathItem.servers ?? spec.servers ?? [])[0];
  if (!server || typeof server.url !== 'string') return null;
  const url = server.url.replace(/\{([^}]+)\}/g, (m, v) => server.variables?.[v]?.default ?? m);
  if (!/^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/[^{}\s]*)?$/.test(url)) return null;
  return url.replace(/\/+$/, '');
}

/** The operation's single supported security scheme: {kind, scheme} (kind none when public). */
export function security(spec, op) {
  const reqs = op.security ?? spec.security ?? [];
  if (reqs.length === 0 || reqs.some((r) => Object.keys(r).length === 0)) return { kind: 'none' };
  for (const req of reqs) {
    const names = Object.keys(req);
    if (names.length !== 1) continue;
    const scheme = deref(spec, spec.components?.securitySchemes?.[names[0]]);
    if (scheme.type === 'apiKey' && (scheme.in === 'header' || scheme.in === 'query') && scheme.name) {
      return { kind: 'apiKey', name: names[0], scheme };
    }
    if (scheme.type === 'http' && /^bearer$/i.test(scheme.scheme ?? '')) return { kind: 'bearer', name: names[0], scheme };
    if (scheme.type === 'http' && /^basic$/i.test(scheme.scheme ?? '')) return { kind: 'basic', name: names[0], scheme };
  }
  return { kind: 'unsupported' };
}

/** Path and query parameters (operation-level ones override the path item's). */
export function parameters(spec, pathItem, op) {
  const byKey = new Map();
  for (const p of [...(pathItem.parameters ?? []), ...(op.parameters ?? [])]) {
    const d = deref(spec, p);
    if (d.name && d.in) byKey.set(d.in + ':' + d.name, d);
  }
  return [...byKey.values()];
}

/** The JSON schema of a content map (application/json or a +json type), or null. */
export function jsonSchema(spec, content) {
  if (!content) return null;
  const type = Object.keys(content).find((t) => /^application\/([a-z.-]+\+)?json/i.test(t));
  return type ? deref(spec, content[type].schema ?? {}) : null;
}

/** The JSON schema of the operation's success response, or null when it answers no JSON. */
export function responseSchema(spec, op) {
  const codes = Object.keys(op.responses ?? {}).filter((c) => /^2\d\d$/.test(c)).sort();
  for (const c of codes) {
    const s = jsonSchema(spec, deref(spec, op.responses[c]).content);
    if (s) return s;
  }
  return null;
}

/** Every operation: [method, path, pathItem, op]. */
export function operations(spec) {
  const out = [];
  for (const [p, item0] of Object.entries(spec.paths ?? {})) {
    const item = deref(spec, item0);
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
      if (item[m]) out.push([m.toUpperCase(), p, item, item[m]]);
    }
  }
  return out;
}

/** The type of a schema, looking through allOf/oneOf/anyOf to the first typed part. */
export function typeOf(spec, s, depth = 0) {
  s = deref(spec, s);
  if (s.type) return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (s.properties) return 'object';
  if (depth > 3) return undefined;
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    for (const part of s[k] ?? []) {
      const t = typeOf(spec, part, depth + 1);
      if (t) return t;
    }
  }
  return undefined;
}

/** The properties of an object schema, merging allOf parts. */
export function properties(spec, s, depth = 0) {
  s = deref(spec, s);
  let props = { ...(s.properties ?? {}) };
  if (depth < 4) {
    for (const part of s.allOf ?? []) props = { ...properties(spec, part, depth + 1), ...props };
  }
  return props;
}
