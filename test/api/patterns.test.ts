/**
 * The model's validation patterns run in linear time and match exactly what they matched under V8.
 *
 * Every pattern is taken from the generated constraint table, so a pattern added to the model is
 * covered without touching this file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shapes } from '../../src/generated/cognito-idp/schema.js';
import { modelPatternMatcher, validateInput } from '../../src/api/validate.js';
import { compileLinearPattern } from '../../src/lib/linear-pattern.js';

/** Every string shape with a pattern, and the largest value it may legally have (20000 when unbounded). */
const patterned = Object.entries(shapes).flatMap(([name, shape]) =>
  shape.type === 'string' && shape.pattern !== undefined ? [{ name, pattern: shape.pattern, max: shape.max ?? 20_000 }] : [],
);

/** The request body limit (COGNATE_BODY_LIMIT's default): no string in a request is longer. */
const BODY_LIMIT = 1_048_576;

/** A small seeded generator, so a failure names a reproducible input. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((state ^ (state >>> 13)) >>> 0) / 2 ** 32;
  };
}

/** Values the model's patterns are written for, so the corpus holds matches and near matches. */
const SEEDS = [
  'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz',
  'arn:aws:s3:::bucket/key',
  'alice@example.com',
  'Your code is {####}',
  'Click {##Verify Email##} now',
  'us-east-1_AbC123xyz',
  'us-east-1_0a1b2c3d-0a1b',
  'my-domain',
  'auth.example.com',
  'cognito:english',
  'cognito:chinese-simplified',
  '0a1b2c3d-0a1b-4c2d-8e3f-0a1b2c3d4e5f',
  'Google',
  'my.bucket-name_1',
  'import-AbC123',
  'terms-of-use',
  '123456',
];

/** Code points where engines disagree: line terminators, Unicode spaces, astral and recent letters, lone surrogates. */
const SPECIALS = [
  '\u0000',
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  ' ',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200b',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  'é',
  'ß',
  '日',
  '\u0301',
  '\u{1F600}',
  '\u{1E030}',
  '\u{1FAE8}',
  '\u{10FFFF}',
  '\uE000',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '{',
  '}',
  '#',
  '@',
  '_',
  '-',
  '.',
  ':',
  '/',
  '*',
  '\\',
  '"',
  "'",
];

/** Random values over the seeds' pieces, the specials and the pattern's own characters. */
function corpus(pattern: string, count: number, next: () => number): string[] {
  const pieces = [...SEEDS.flatMap((seed) => seed.match(/[A-Za-z0-9]+|./gu) ?? []), ...SPECIALS, ...pattern];
  const values = [...SEEDS, ''];
  for (let i = 0; i < count; i++) {
    if (next() < 0.5) {
      // A seed with one piece replaced, inserted or removed: near matches.
      const seed = [...SEEDS[Math.floor(next() * SEEDS.length)]!];
      const at = Math.floor(next() * (seed.length + 1));
      const piece = pieces[Math.floor(next() * pieces.length)]!;
      const op = next();
      if (op < 0.4) seed.splice(at, 1, piece);
      else if (op < 0.8) seed.splice(at, 0, piece);
      else seed.splice(at, 1);
      values.push(seed.join(''));
    } else {
      const length = Math.floor(next() * 12);
      values.push(Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]!).join(''));
    }
  }
  return values;
}

test('every pattern of the model compiles for linear-time matching and agrees with V8 on matches and near matches', () => {
  assert.ok(patterned.length > 50, `the model has its string patterns (${patterned.length})`);
  const next = random(18);
  for (const { name, pattern } of patterned) {
    const linear = modelPatternMatcher(name, pattern);
    // S3BucketType's lookbehind runs as an equivalent pattern; its own check is below.
    if (pattern.includes('(?<')) continue;
    const v8 = new RegExp(`^(?:${pattern})$`, 'u');
    const alternative =
      name === 'DomainType' ? /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/ : undefined;
    const outcomes = new Set<boolean>();
    for (const value of corpus(pattern, 400, next)) {
      const expected = v8.test(value) || (alternative?.test(value) ?? false);
      assert.equal(linear.test(value), expected, `${name} ${pattern} on ${JSON.stringify(value)}`);
      outcomes.add(expected);
    }
    assert.equal(outcomes.size, 2, `the corpus for ${name} holds both matches and misses`);
  }
});

test("S3BucketType's lookbehind pattern and its linear equivalent accept the same names", () => {
  const shape = patterned.find((p) => p.name === 'S3BucketType');
  assert.ok(shape, 'the model has S3BucketType');
  const v8 = new RegExp(`^(?:${shape.pattern})$`, 'u');
  const linear = modelPatternMatcher(shape.name, shape.pattern);
  // Every value up to 4 characters over the class's kinds of character, and a long one.
  const alphabet = ['a', 'Z', '9', '.', '-', '_', '/', ' ', 'é'];
  let values = [''];
  for (let length = 1; length <= 4; length++) {
    values = values.flatMap((v) => (v.length === length - 1 ? [v, ...alphabet.map((c) => v + c)] : [v]));
  }
  values.push('my.bucket.'.repeat(100), 'my.bucket'.repeat(100));
  assert.ok(values.length > 7000);
  for (const value of values) assert.equal(linear.test(value), v8.test(value), JSON.stringify(value));
});

test('a pattern RE2 cannot run without changing its meaning is refused when it is compiled, not when it runs', () => {
  assert.throws(() => compileLinearPattern('a(?=b)b'), /lookaround/);
  assert.throws(() => compileLinearPattern('(a)\\1'), /no linear-time form/);
  assert.throws(() => compileLinearPattern('[\\p{Cs}]x'), /lone surrogate/);
});

test('no input makes any pattern of the model blow up, at its maximum length or at the body limit', () => {
  // A guard against catastrophic backtracking (orders of magnitude), not a performance test: the
  // whole loop takes a few seconds on a loaded 2-core machine, while before the linear engine one
  // 12 KB EmailMessageByLink alone took 19 s and a 1 MB ReplyToEmailAddress far longer.
  const units = ['{##}', '{##', '##}', '{####}', '@', '_', 'a_', ':', 'a:', 'arn:a:', '-', '.', ' ', 'a', '\u00a0'];
  const started = performance.now();
  let checked = 0;
  for (const { name, pattern, max } of patterned) {
    const matcher = modelPatternMatcher(name, pattern);
    for (const unit of units) {
      // Long runs that nearly match, then one character no pattern accepts.
      matcher.test(unit.repeat(Math.ceil(max / unit.length)).slice(0, max - 1) + '\u0000');
      checked++;
    }
    // At the body limit, one run mixing every unit's characters.
    matcher.test('{##}@_:a- '.repeat(BODY_LIMIT / 10) + '\u0000');
    checked++;
  }
  const seconds = (performance.now() - started) / 1000;
  assert.ok(checked > 800, `checked ${checked} inputs`);
  assert.ok(seconds < 60, `${checked} worst-case inputs took ${seconds.toFixed(1)} s`);
});

test('a value over its maximum length that also breaks the pattern is reported for both, as AWS lists every failed constraint', () => {
  const value = '{##}'.repeat(5001) + '\u0000';
  const problems = validateInput(shapes, 'UpdateUserPoolRequest', {
    UserPoolId: 'us-east-1_AbC123xyz',
    VerificationMessageTemplate: { EmailMessageByLink: value },
  });
  assert.deepEqual(
    problems.map((p) => p.replace(/^Value '.*' at/s, "Value '…' at")),
    [
      "Value '…' at 'verificationMessageTemplate.emailMessageByLink' failed to satisfy constraint: Member must have length less than or equal to 20000",
      "Value '…' at 'verificationMessageTemplate.emailMessageByLink' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{##[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*##\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*",
    ],
  );
});
