// StrykerJS configuration for `npm run mutate` (tools/mutate.ts). Mutation testing runs over the
// modules that decide who gets in, one group at a time, each with the test files that exercise it:
// running every test file for every mutant would take days on a 2-core machine.
//
// MUTATE_GROUP selects the group (tools/mutate.ts sets it); the groups are listed in
// tools/mutation-groups.json so the script and this file share one list.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const groups = JSON.parse(readFileSync(new URL('./tools/mutation-groups.json', import.meta.url), 'utf8'));
const name = process.env.MUTATE_GROUP ?? 'crypto';
const group = groups[name];
if (!group) throw new Error(`unknown MUTATE_GROUP ${name}; known: ${Object.keys(groups).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker'],
  tap: {
    testFiles: group.tests,
    // node:test speaks TAP with this reporter; tsx runs the TypeScript sources Stryker instrumented.
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  mutate: group.mutate,
  // Mutants that do not type-check are discarded before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',

  // Per test file: a mutant runs only the files that reach it.
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  timeoutMS: 30_000,
  timeoutFactor: 2,
  // The sandbox links node_modules instead of copying it.
  symlinkNodeModules: true,
  ignorePatterns: ['bench/results', 'data', 'dist', 'docs', 'reports', '.stryker-tmp'],
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  // A rerun after new tests tests again only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
