#!/usr/bin/env node
// Fuzzes what vault reads from disk, against the built packages (run `npx tsc -b` first):
//   vault-file  mutated copies of a real sealed vault (flips, cuts, splices, swapped or rewritten header fields,
//               a header from another vault, random bytes) must open to the original data only when unchanged,
//               and otherwise fail with a VaultError whose code matches what changed;
//   payload     arbitrary plaintext sealed under the right key must open to a well-formed VaultData or fail
//               as VAULT_CORRUPT;
//   config      generated AWS config text (hostile headers, CRLF/CR, BOM, unicode, huge values, long chains and
//               cycles) must parse or fail with CONFIG_PARSE on a real line, and every profile must resolve to a
//               well-formed chain or fail with a ProfileError.
// Every failure must also render as one known `vault: ` line through the CLI's catalogue and quote no secret.
//
//   node scripts/fuzz.mjs [SECONDS] [--seed N] [--only vault-file|payload|config] [--json]
//
// SECONDS (default 60) is split evenly between the targets. Exit status 1 reports the first counterexample with
// the seed that replays it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const dist = (pkg, file) => fileURLToPath(new URL(`../packages/${pkg}/dist/${file}`, import.meta.url));
for (const [pkg, file] of [['core', 'seal.js'], ['profiles', 'index.js'], ['cli', 'errors/catalogue.js']]) {
  if (!existsSync(dist(pkg, file))) {
    console.error(`fuzz: ${dist(pkg, file)} is missing: run \`npx tsc -b\` first`);
    process.exit(2);
  }
}
const { loadSodium } = await import(dist('core', 'sodium.js'));
const { deriveKey } = await import(dist('core', 'kdf.js'));
const { sealData, sealPlaintext, openData } = await import(dist('core', 'seal.js'));
const { HEADER_BYTES } = await import(dist('core', 'format.js'));
const { VaultError } = await import(dist('core', 'errors.js'));
const { parseConfigText, resolveProfile, ProfileError, ConfigParseError, checkValue } = await import(dist('profiles', 'index.js'));
const { describeError } = await import(dist('cli', 'errors/catalogue.js'));

const TARGETS = ['vault-file', 'payload', 'config'];

function parseArgs(argv) {
  const opts = { seconds: 60, seed: Date.now() ^ (Math.random() * 0x7fffffff), only: TARGETS, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--json') opts.json = true;
    else if (arg === '--seed') opts.seed = integer(next(), '--seed');
    else if (arg === '--seconds') opts.seconds = positive(next());
    else if (arg === '--only') {
      const name = next();
      if (!TARGETS.includes(name)) usage(`unknown target ${name}`);
      opts.only = [name];
    } else if (/^\d+(\.\d+)?$/.test(arg)) opts.seconds = positive(arg);
    else usage(`unknown argument ${arg}`);
  }
  return opts;
}

function usage(problem) {
  console.error(`fuzz: ${problem}\nusage: node scripts/fuzz.mjs [SECONDS] [--seed N] [--only ${TARGETS.join('|')}] [--json]`);
  process.exit(2);
}

function integer(text, name) {
  if (!/^-?\d+$/.test(text)) usage(`${name} must be an integer`);
  return Number(text) | 0;
}

function positive(text) {
  const n = Number(text);
  if (!(n > 0)) usage('the duration must be a positive number of seconds');
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared oracles

const fail = (message) => {
  throw new Error(message);
};

/** A failure the user would see: one known line from the catalogue that quotes none of `secrets`. */
function checkReported(err, secrets) {
  const { line, known } = describeError(err);
  if (!known) fail(`not in the error catalogue: ${line}`);
  if (/[\r\n]/.test(line)) fail(`message spans lines: ${JSON.stringify(line)}`);
  if (!line.startsWith('vault: ')) fail(`message lacks the vault: prefix: ${line}`);
  for (const s of secrets) if (s && line.includes(s)) fail(`message quotes a secret: ${line}`);
}

const equalBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// ---------------------------------------------------------------------------------------------------------------
// vault-file and payload

const sodium = await loadSodium();
const FAST_KDF = { alg: 'argon2id13', opslimit: 1, memlimit: 8192 };
const PASSPHRASE = 'fuzz passphrase do not print';
const PATH = '/fuzz/vault';

function randomSecret(bytes) {
  return Buffer.from(sodium.randombytes_buf(bytes)).toString('base64');
}

async function newKey(passphrase) {
  const info = { kdf: FAST_KDF, salt: sodium.randombytes_buf(16) };
  return { key: await deriveKey(passphrase, info), info };
}

function sampleData(tag) {
  const secrets = [randomSecret(30), randomSecret(30), randomSecret(30), randomSecret(240)];
  const data = {
    version: 1,
    credentials: {
      [`${tag}-a`]: { accessKeyId: 'AKIAFUZZFUZZFUZZFUZZ', secretAccessKey: secrets[0], addedAt: '2026-01-01T00:00:00.000Z' },
      [`${tag}-b`]: { accessKeyId: 'AKIAFUZZFUZZFUZZFUZY', secretAccessKey: secrets[1], addedAt: '2026-01-02T00:00:00.000Z' },
    },
    sessions: {
      [`${tag}-a|session`]: {
        accessKeyId: 'ASIAFUZZFUZZFUZZFUZZ',
        secretAccessKey: secrets[2],
        sessionToken: secrets[3],
        expiration: '2099-01-01T00:00:00.000Z',
        profile: `${tag}-a`,
        chain: `${tag}-a`,
        profiles: [`${tag}-a`],
      },
    },
  };
  return { data, secrets };
}

const ours = { ...sampleData('fuzz'), key: await newKey(PASSPHRASE) };
const sealed = sealData(sodium, ours.data, ours.key);
const foreign = { ...sampleData('other'), key: await newKey('another vault passphrase') };
const foreignSealed = sealData(sodium, foreign.data, foreign.key);
const ALL_SECRETS = [PASSPHRASE, ...ours.secrets, ...foreign.secrets];

// Header layout of format version 1 (docs/security.md).
const FIELDS = {
  magic: [0, 4],
  version: [4, 1],
  kdfId: [5, 1],
  opslimit: [6, 4],
  memlimit: [10, 4],
  salt: [14, 16],
  keyCheck: [30, 32],
  nonce: [62, 24],
  checksum: [86, 16],
};
const CHECKSUM_AT = FIELDS.checksum[0];
const SWAPPABLE = [
  ['version', 'kdfId'],
  ['opslimit', 'memlimit'],
  ['magic', 'opslimit'],
  ['magic', 'memlimit'],
  ['salt', 'checksum'],
];
const U32_EDGES = [0, 1, 2, 20, 21, 8191, 8192, 8 * 1024 * 1024, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1];

const anyPosition = fc.nat({ max: 4 * sealed.length });
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip'), at: anyPosition, xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate'), at: anyPosition }),
  fc.record({ kind: fc.constant('append'), bytes: fc.uint8Array({ minLength: 1, maxLength: 1100 }) }),
  fc.record({ kind: fc.constant('insert'), at: anyPosition, bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
  fc.record({ kind: fc.constant('delete'), at: anyPosition, count: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ kind: fc.constant('overwrite'), at: anyPosition, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('swap'), fields: fc.constantFrom(...SWAPPABLE) }),
  fc.record({ kind: fc.constant('setU32'), field: fc.constantFrom('opslimit', 'memlimit'), value: fc.constantFrom(...U32_EDGES) }),
  fc.record({ kind: fc.constant('foreign'), part: fc.constantFrom('header', 'body', 'whole', 'field') , field: fc.constantFrom(...Object.keys(FIELDS)) }),
);

function mutate(bytes, m) {
  const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[m.at % bytes.length] ^= m.xor;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, bytes.length === 0 ? 0 : m.at % bytes.length);
    case 'append':
      return concat(bytes, m.bytes);
    case 'insert':
      return concat(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
    case 'delete':
      return concat(bytes.subarray(0, at), bytes.subarray(at + m.count));
    case 'overwrite': {
      const out = bytes.slice();
      out.set(m.bytes.subarray(0, Math.max(0, out.length - at)), at);
      return out;
    }
    case 'swap': {
      if (bytes.length < HEADER_BYTES) return bytes;
      const [a, b] = m.fields.map((f) => FIELDS[f]);
      const len = Math.min(a[1], b[1]);
      const out = bytes.slice();
      out.set(bytes.subarray(b[0], b[0] + len), a[0]);
      out.set(bytes.subarray(a[0], a[0] + len), b[0]);
      return out;
    }
    case 'setU32': {
      if (bytes.length < HEADER_BYTES) return bytes;
      const out = bytes.slice();
      new DataView(out.buffer, out.byteOffset).setUint32(FIELDS[m.field][0], m.value, false);
      return out;
    }
    case 'foreign': {
      if (m.part === 'whole') return foreignSealed.slice();
      if (m.part === 'header') return concat(foreignSealed.subarray(0, HEADER_BYTES), bytes.subarray(HEADER_BYTES));
      if (m.part === 'body') return concat(bytes.subarray(0, HEADER_BYTES), foreignSealed.subarray(HEADER_BYTES));
      if (bytes.length < HEADER_BYTES) return bytes;
      const [offset, len] = FIELDS[m.field];
      const out = bytes.slice();
      out.set(foreignSealed.subarray(offset, offset + len), offset);
      return out;
    }
  }
  throw new Error(`unknown mutation ${m.kind}`);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An attacker (or a tool) that rewrites a header field can also recompute the unkeyed checksum. */
function fixChecksum(bytes) {
  if (bytes.length < HEADER_BYTES) return bytes;
  const out = bytes.slice();
  out.set(sodium.crypto_generichash(16, out.subarray(0, CHECKSUM_AT), null), CHECKSUM_AT);
  return out;
}

function headerConsistent(bytes) {
  return (
    bytes.length >= HEADER_BYTES &&
    equalBytes(sodium.crypto_generichash(16, bytes.subarray(0, CHECKSUM_AT), null), bytes.subarray(CHECKSUM_AT, HEADER_BYTES))
  );
}

const vaultInput = fc.oneof(
  { weight: 8, arbitrary: fc.record({ mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), fix: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ random: fc.uint8Array({ maxLength: 2048 }), magic: fc.boolean() }) },
);

function vaultBytes(input) {
  if ('random' in input) return input.magic ? concat(Uint8Array.from([0x41, 0x56, 0x4c, 0x54, 1, 1]), input.random) : input.random;
  const mutated = input.mutations.reduce(mutate, sealed);
  return input.fix ? fixChecksum(mutated) : mutated;
}

/** The codes a changed file may produce: damage is always VAULT_CORRUPT unless the header is self-consistent. */
function allowedCodes(bytes) {
  if (!headerConsistent(bytes)) return ['VAULT_CORRUPT'];
  if (equalBytes(bytes.subarray(0, HEADER_BYTES), sealed.subarray(0, HEADER_BYTES))) return ['VAULT_CORRUPT'];
  // A self-consistent header of a later format version (2 to 16) is a newer vault's file, as far as anyone can tell.
  if (bytes[4] >= 2 && bytes[4] <= 16) return ['VAULT_CORRUPT', 'VAULT_TOO_NEW'];
  return ['VAULT_CORRUPT', 'VAULT_KEY_STALE', 'WRONG_PASSPHRASE'];
}

const vaultProperty = fc.property(vaultInput, (input) => {
  const bytes = vaultBytes(input);
  let opened;
  try {
    opened = openData(sodium, bytes, ours.key, PATH);
  } catch (err) {
    if (!(err instanceof VaultError)) fail(`threw ${err?.name}: ${err?.message}`);
    const allowed = allowedCodes(bytes);
    if (!allowed.includes(err.code)) fail(`${err.code} where ${allowed.join(' or ')} was due: ${err.message}`);
    if (equalBytes(bytes, sealed)) fail(`the unchanged file failed to open: ${err.message}`);
    checkReported(err, ALL_SECRETS);
    return;
  }
  if (!equalBytes(bytes, sealed)) fail('a changed file opened');
  if (JSON.stringify(opened) !== JSON.stringify(ours.data)) fail('the file opened to different data');
});

// Plaintext shapes: valid payloads with one value replaced, arbitrary JSON, and arbitrary bytes.
const validJson = JSON.parse(JSON.stringify(ours.data));
const jsonPath = fc.constantFrom(
  [],
  ['version'],
  ['credentials'],
  ['sessions'],
  ['credentials', 'fuzz-a'],
  ['credentials', 'fuzz-a', 'secretAccessKey'],
  ['credentials', 'fuzz-a', 'addedAt'],
  ['credentials', '__proto__'],
  ['sessions', 'fuzz-a|session', 'profiles'],
  ['sessions', 'fuzz-a|session', 'profiles', 0],
  ['sessions', 'fuzz-a|session', 'expiration'],
  ['sessions', 'fuzz-a|session', 'sessionToken'],
);

function replaceAt(root, path, value) {
  if (path.length === 0) return value;
  const copy = JSON.parse(JSON.stringify(root));
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step];
  if (path[path.length - 1] === '__proto__') Object.defineProperty(node, '__proto__', { value, enumerable: true });
  else node[path[path.length - 1]] = value;
  return copy;
}

const plaintext = fc.oneof(
  fc.record({ path: jsonPath, value: fc.jsonValue({ maxDepth: 2 }) }).map(({ path, value }) =>
    new TextEncoder().encode(JSON.stringify(replaceAt(validJson, path, value)) ?? ''),
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => new TextEncoder().encode(JSON.stringify(v) ?? '')),
  fc.uint8Array({ maxLength: 1024 }),
  fc
    .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }))
    .map(([at, junk]) => {
      const text = new TextEncoder().encode(JSON.stringify(validJson));
      const cut = at % text.length;
      return concat(text.subarray(0, cut), junk, text.subarray(cut));
    }),
);

function isWellFormed(data) {
  const record = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
  const strings = (x, keys) => keys.every((k) => typeof x[k] === 'string');
  return (
    record(data) &&
    data.version === 1 &&
    record(data.credentials) &&
    Object.values(data.credentials).every((c) => record(c) && strings(c, ['accessKeyId', 'secretAccessKey', 'addedAt'])) &&
    record(data.sessions) &&
    Object.values(data.sessions).every(
      (s) =>
        record(s) &&
        strings(s, ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'profile', 'chain']) &&
        Array.isArray(s.profiles) &&
        s.profiles.every((p) => typeof p === 'string'),
    )
  );
}

const payloadProperty = fc.property(plaintext, (bytes) => {
  const file = sealPlaintext(sodium, bytes, ours.key);
  let opened;
  try {
    opened = openData(sodium, file, ours.key, PATH);
  } catch (err) {
    if (!(err instanceof VaultError) || err.code !== 'VAULT_CORRUPT') fail(`threw ${err?.code ?? err?.name}: ${err?.message}`);
    checkReported(err, ALL_SECRETS);
    return;
  }
  if (!isWellFormed(opened)) fail(`opened to a malformed payload: ${JSON.stringify(opened).slice(0, 300)}`);
});

// ---------------------------------------------------------------------------------------------------------------
// config

const NAMES = ['a', 'b', 'c', 'default', 'two words', 'ünï', '日本', 'a.b', '-', '__proto__', 'constructor', 'p0'];
const KEYS = [
  'source_profile', 'include_profile', 'role_arn', 'credential_process', 'mfa_serial', 'region', 'duration_seconds',
  'role_session_name', 'external_id', 'source_identity', 'credential_source', 'sso_session', 'sso_start_url',
  'web_identity_token_file', 'aws_access_key_id', 'unknown_key', 'Region', 'ROLE_ARN', 's3',
];
const SECRET_KEYS = ['aws_secret_access_key', 'aws_session_token'];
// Fixed per run so a message that quotes one is caught, whatever line it came from.
const CONFIG_SECRETS = [`cfgsecret${randomSecret(12)}`, `cfgtoken${randomSecret(12)}`];

const VALUES = [
  'arn:aws:iam::123456789012:role/r', 'arn:aws:iam::123456789012:role/path/to/r', 'arn:aws-cn:iam::123456789012:role/r',
  'arn:aws:iam::12345678901:role/r', 'arn:aws:iam::123456789012:user/r', 'arn:aws:iam::123456789012:role/',
  `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, 'arn:aws:sts::123456789012:assumed-role/r/s', 'arn:nope',
  'us-east-1', 'eu-west-2', 'us-gov-west-1', 'US-EAST-1', 'mars-north-1', 'us-east-1 # prod', 'us_east_1',
  '900', '899', '3600', '43200', '43201', '1h', '-1', '1e3', '٣٦٠٠', '0x384', '',
  'arn:aws:iam::123456789012:mfa/me', 'session-name', 'x', 'ext:id/1', 'true', 'false', 'sh -c true',
];
const hugeValue = fc.constantFrom(1_000, 70_000).chain((n) => fc.constantFrom('a'.repeat(n), 'é'.repeat(n), ' '.repeat(n) + 'x'));
const configValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 16, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
  { weight: 1, arbitrary: hugeValue },
);
const nameText = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 10, unit: 'grapheme' }) });

const headerLine = fc.oneof(
  nameText.map((n) => (n === 'default' ? '[default]' : `[profile ${n}]`)),
  nameText.map((n) => `[${n}]`),
  nameText.map((n) => `[ profile   "${n}" ]`),
  nameText.map((n) => `[profile ${n}`),
  nameText.map((n) => `[profile ${n}] role_arn = x`),
  nameText.map((n) => `[profile ${n}] # comment`),
  fc.constantFrom('[]', '[ ]', '[profile]', '[sso-session s]', '[services x]', '[default'),
);
const settingLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KEYS), configValue).map(([k, v]) => `${k} = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KEYS), configValue).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KEYS), configValue).map(([k, v]) => `${k}: ${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SECRET_KEYS), fc.constantFrom(...CONFIG_SECRETS)).map(([k, v]) => `${k} = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('  ', '\t'), configValue).map(([indent, v]) => `${indent}${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('= value', ' = ', 'key without value', '#comment', '; comment', '', '   ') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }) },
);
const line = fc.oneof({ weight: 1, arbitrary: headerLine }, { weight: 3, arbitrary: settingLine });

/** source_profile links through `length` profiles, ending in stored keys, nothing, a cycle, or the profile itself. */
const longChain = fc
  .record({
    length: fc.integer({ min: 2, max: 1500 }),
    roles: fc.constantFrom('every', 'first', 'none', 'invalid-last'),
    end: fc.constantFrom('stored', 'missing', 'cycle', 'self'),
  })
  .map(({ length, roles, end }) => {
    const lines = [];
    for (let i = 0; i < length; i++) {
      lines.push(`[profile p${i}]`);
      const role = roles === 'every' || (roles === 'first' && i === 0) || (roles === 'invalid-last' && i === length - 1);
      if (role) lines.push(`role_arn = arn:aws:iam::123456789012:role/${roles === 'invalid-last' ? '' : `r${i}`}`);
      if (i < length - 1) lines.push(`source_profile = p${i + 1}`);
      else if (end === 'cycle') lines.push('source_profile = p0');
      else if (end === 'self') lines.push(`source_profile = p${i}`);
      else if (end === 'missing') lines.push(`source_profile = gone`);
    }
    return lines;
  });

const configInput = fc.record({
  lines: fc.oneof({ weight: 5, arbitrary: fc.array(line, { maxLength: 40 }) }, { weight: 1, arbitrary: longChain }),
  eol: fc.constantFrom('\n', '\r\n', '\r', 'mixed'),
  bom: fc.boolean(),
  kind: fc.constantFrom('config', 'credentials'),
  stored: fc.option(fc.subarray([...NAMES, 'p0', 'p1', 'p1499'])),
  extraTargets: fc.array(nameText, { maxLength: 3 }),
});

function renderConfig({ lines, eol, bom }) {
  const eols = ['\n', '\r\n', '\r'];
  const text = lines.map((l, i) => l + (eol === 'mixed' ? eols[i % 3] : eol)).join('');
  return (bom ? '\uFEFF' : '') + text;
}

const CASE_BUDGET_MS = 5_000;

const configProperty = fc.property(configInput, (input) => {
  const started = Date.now();
  const text = renderConfig(input);
  let config;
  try {
    config = parseConfigText(text, '/fuzz/config', input.kind);
  } catch (err) {
    if (!(err instanceof ConfigParseError)) fail(`parse threw ${err?.name}: ${err?.message}`);
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).length;
    if (!(err.line >= 1 && err.line <= lines)) fail(`CONFIG_PARSE names line ${err.line} of ${lines}`);
    checkReported(err, CONFIG_SECRETS);
    return;
  }
  const names = [...config.profiles.keys()];
  // Every profile of a small config; the ends and middle of a long chain, whose every resolution walks all of it.
  const sample = names.length <= 30 ? names : [names[0], names[names.length >> 1], names[names.length - 1]];
  const targets = [...sample, ...input.extraTargets, '', 'no-such-profile'];
  const opts = input.stored ? { hasStoredKeys: (p) => input.stored.includes(p) } : {};
  for (const target of targets) {
    let chain;
    try {
      chain = resolveProfile(config, target, opts);
    } catch (err) {
      if (!(err instanceof ProfileError) || !/^[A-Z_]+$/.test(err.code)) fail(`resolve(${target}) threw ${err?.name}: ${err?.message}`);
      checkReported(err, CONFIG_SECRETS);
      continue;
    }
    checkChain(chain, target, input);
  }
  if (Date.now() - started > CASE_BUDGET_MS) fail(`one config took ${Date.now() - started} ms to parse and resolve`);
});

function checkChain(chain, target, input) {
  const where = `resolve(${JSON.stringify(target)})`;
  if (chain.profile !== target) fail(`${where} returned the chain of ${chain.profile}`);
  if (chain.path[chain.path.length - 1] !== target) fail(`${where} path does not end at the target`);
  if (chain.path[0] !== chain.base.profile) fail(`${where} path does not start at the base`);
  if (new Set(chain.path).size !== chain.path.length) fail(`${where} path repeats a profile`);
  if (chain.hops.length > chain.path.length) fail(`${where} has more hops than profiles`);
  for (const hop of chain.hops) {
    if (!chain.path.includes(hop.profile)) fail(`${where} hop of ${hop.profile} outside the path`);
    if (checkValue('role_arn', hop.roleArn) !== undefined) fail(`${where} kept an invalid role_arn ${hop.roleArn}`);
  }
  if (chain.region !== undefined && checkValue('region', chain.region) !== undefined) fail(`${where} kept region ${chain.region}`);
  if (input.stored && chain.base.kind === 'vault-keys' && !input.stored.includes(chain.base.profile)) {
    fail(`${where} starts from ${chain.base.profile}, which has no stored keys`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

const PROPERTIES = { 'vault-file': vaultProperty, payload: payloadProperty, config: configProperty };

function runTarget(name, ms, seed) {
  const started = Date.now();
  const details = fc.check(PROPERTIES[name], {
    seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    plugins: [fc.interruptAfterTimeLimit(ms)],
  });
  return {
    target: name,
    cases: details.numRuns,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    failed: details.failed,
    ...(details.failed && { report: fc.defaultReportMessage(details).slice(0, 6_000) }),
  };
}

const opts = parseArgs(process.argv.slice(2));
const perTarget = (opts.seconds * 1000) / opts.only.length;
const results = opts.only.map((name) => runTarget(name, perTarget, opts.seed));
const failed = results.filter((r) => r.failed);

if (opts.json) {
  console.log(JSON.stringify({ seed: opts.seed, results }));
} else {
  console.log(`fuzz: seed ${opts.seed}, ${opts.seconds} s`);
  for (const r of results) console.log(`  ${r.target.padEnd(10)} ${String(r.cases).padStart(8)} cases in ${r.seconds} s  ${r.failed ? 'FAILED' : 'ok'}`);
}
for (const r of failed) {
  console.error(`\nfuzz: ${r.target} failed (replay: node scripts/fuzz.mjs --only ${r.target} --seed ${opts.seed})\n${r.report}`);
}
process.exit(failed.length > 0 ? 1 : 0);
