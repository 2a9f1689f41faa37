import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../../tools/generate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const generatedDir = join(root, 'src', 'generated');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The first differing line, so a failure says where to look without dumping a 600-line diff. */
function firstDifference(committed: string, expected: string): string {
  const a = committed.split('\n');
  const b = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  committed: ${a[i] ?? '<end of file>'}\n  generated: ${b[i] ?? '<end of file>'}`;
  }
  return 'no line differs (line endings?)';
}

const expected = generate(root);

test('the generator produces at least the cognito-idp wire contract', () => {
  for (const name of ['shapes.ts', 'schema.ts', 'errors.ts', 'operations.ts']) {
    assert.ok(expected.has(join('src', 'generated', 'cognito-idp', name)), `generate() no longer emits ${name}`);
  }
});

for (const [path, content] of expected) {
  test(`${path} matches what tools/generate.ts produces from spec/`, () => {
    const absolute = join(root, path);
    assert.ok(existsSync(absolute), `${path} is missing: run \`npm run generate\``);
    const committed = readFileSync(absolute, 'utf8');
    if (committed !== content) {
      assert.fail(
        `${path} has drifted from spec/ (edited by hand, or spec/ or tools/generate.ts changed): run \`npm run generate\`.\n${firstDifference(committed, content)}`,
      );
    }
  });
}

test('src/generated holds no file the generator does not produce', () => {
  const produced = new Set([...expected.keys()].map((path) => join(root, path)));
  const strays = filesUnder(generatedDir)
    .filter((file) => !produced.has(file))
    .map((file) => relative(root, file));
  assert.deepEqual(strays, [], `stray files under src/generated (delete them or teach tools/generate.ts to produce them)`);
});
