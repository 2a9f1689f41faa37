/**
 * Writes src/domain/breached-passwords-data.ts: the breached-password corpus that threat
 * protection checks passwords against (src/domain/breached-passwords.ts), without any network call.
 *
 * Source: the `passwords` list of the npm package @zxcvbn-ts/language-common (MIT, version 4.1.3:
 * 49,233 passwords, most common first, drawn from public breach compilations). Each password is
 * kept as the first 5 bytes of its SHA-1, sorted and without repeats, so the file holds no
 * password in clear and stays about 330 kB; with 40-bit prefixes the chance that a password not
 * on the list matches one is about 1 in 22 million.
 *
 * Run: `npx tsx tools/breached-passwords.ts [path/to/passwords.json]` (by default the package's
 * `src/passwords.json` under node_modules; install it first with `npm install --no-save
 * @zxcvbn-ts/language-common@4.1.3`).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BREACHED_PREFIX_BYTES } from '../src/domain/breached-passwords.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, 'node_modules', '@zxcvbn-ts', 'language-common', 'src', 'passwords.json');

/** Lines of this many base64 characters keep the generated file readable by diff tools. */
const LINE = 96;

const passwords = JSON.parse(readFileSync(source, 'utf8')) as unknown;
if (!Array.isArray(passwords) || !passwords.every((p): p is string => typeof p === 'string')) {
  throw new Error(`${source} is not a JSON list of strings`);
}
const prefixes = [
  ...new Set(passwords.map((p) => createHash('sha1').update(p, 'utf8').digest().subarray(0, BREACHED_PREFIX_BYTES).toString('hex'))),
].sort();
const base64 = Buffer.from(prefixes.join(''), 'hex').toString('base64');
const lines: string[] = [];
for (let i = 0; i < base64.length; i += LINE) lines.push(`  '${base64.slice(i, i + LINE)}',`);

writeFileSync(
  join(root, 'src', 'domain', 'breached-passwords-data.ts'),
  `/*
 * Written by tools/breached-passwords.ts from @zxcvbn-ts/language-common 4.1.3's password list
 * (${passwords.length} passwords): never edit by hand. The sorted ${BREACHED_PREFIX_BYTES}-byte SHA-1
 * prefixes of ${prefixes.length} breached passwords, base64 in lines.
 */
export const BREACHED_PASSWORD_PREFIXES: readonly string[] = [
${lines.join('\n')}
];
`,
);
console.log(`${prefixes.length} prefixes from ${passwords.length} passwords`);
