/**
 * `npm run mutate [group ...]`: mutation testing of the code that decides who gets in.
 *
 * Runs StrykerJS (stryker.config.mjs) once per group of tools/mutation-groups.json — each group is a
 * set of modules and the test files that exercise them — then writes docs/mutation.md: the mutation
 * score per module, and every surviving mutant with the reason it is equivalent
 * (tools/mutation-equivalents.json) or marked unexplained. The JSON reports of reports/mutation/
 * are not committed; each module's result in them is kept, in short, in docs/mutation/<group>.json,
 * which is committed, and the page is built from those files, so running one group (or one module)
 * keeps every other group's results, and a new equivalence applies to results already kept. Not part
 * of `npm test`: a full run takes hours on two cores. `--report-only` rewrites the files and the
 * page from the reports already in reports/mutation/ and the kept results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Group {
  mutate: string[];
  tests: string[];
}

/** The part of Stryker's mutation-testing-report-schema this page reads. */
interface MutantResult {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: MutantResult[] }>;
}

/** A surviving mutant's stable name: file, line, mutator and replacement (ids change every run). */
export function mutantKey(file: string, mutant: MutantResult): string {
  return `${file}:${mutant.location.start.line}:${mutant.mutatorName}:${shortReplacement(mutant)}`;
}

/** A mutant's replacement as its key holds it: white space collapsed, at most 80 characters. */
function shortReplacement(mutant: MutantResult): string {
  return (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
}

/** {@link mutantKey} of a mutant kept in docs/mutation/<group>.json. */
function undetectedKey(file: string, mutant: Undetected): string {
  return `${file}:${mutant.line}:${mutant.mutator}:${mutant.replacement}`;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function runGroup(name: string): void {
  process.stdout.write(`\n== mutation group ${name}\n`);
  const result = spawnSync('npx', ['stryker', 'run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MUTATE_GROUP: name },
  });
  if (result.status !== 0) throw new Error(`stryker failed for group ${name} (exit ${result.status})`);
}

/** A module's newest result: its source and mutants, from whichever report ran it last. */
interface ModuleResult {
  source: string;
  mutants: MutantResult[];
}

/**
 * Every module's newest result across the JSON reports in reports/mutation/: a group's full run
 * (`<group>.json`) and targeted runs of whole modules (`npx stryker run --mutate <file>`, kept under
 * any other name) alike, and runs of a line range (`--mutate <file>:<lines>`, kept as
 * `*.range.json`), which only update a whole-module run of the same source. Reports are read oldest
 * first; for the same source a newer report's mutants replace the same mutants of older ones.
 */
function newestResults(): Map<string, ModuleResult> {
  const folder = join(root, 'reports', 'mutation');
  const results = new Map<string, ModuleResult>();
  if (!existsSync(folder)) return results;
  const reports = readdirSync(folder)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.incremental.json'))
    .map((name) => join(folder, name))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  // By span, not only start: the mutants of one `a && b && c` chain start at the same place.
  const key = ({ location: { start, end }, mutatorName, replacement }: MutantResult) =>
    `${start.line}:${start.column}-${end.line}:${end.column}:${mutatorName}:${replacement ?? ''}`;
  for (const path of reports) {
    const report = readJson<Partial<Report>>(path);
    if (report.files === undefined) continue; // not a Stryker report
    // A run of a line range (named *.range.json) only adds to an earlier run of the whole module.
    const range = path.endsWith('.range.json');
    for (const [file, result] of Object.entries(report.files)) {
      const earlier = results.get(file);
      if (range && earlier?.source !== result.source) continue;
      // A newer run of a module replaces the results of a changed source.
      if (!earlier || earlier.source !== result.source) {
        results.set(file, { source: result.source, mutants: [...result.mutants] });
        continue;
      }
      const merged = new Map(earlier.mutants.map((m) => [key(m), m]));
      for (const mutant of result.mutants) merged.set(key(mutant), mutant);
      results.set(file, { source: result.source, mutants: [...merged.values()] });
    }
  }
  return results;
}

/** Whether `file` is one of a group's `mutate` patterns (a path, or `*` within one folder). */
function inGroup(group: Group, file: string): boolean {
  return group.mutate.some((pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(file),
  );
}

/** An undetected mutant as docs/mutation/<group>.json keeps it. */
interface Undetected {
  line: number;
  mutator: string;
  /** As {@link mutantKey} shortens it. */
  replacement: string;
  status: string;
  /** The mutated line, trimmed and cut to 100 characters. */
  code: string;
}

/** A module's last result in a group, committed as docs/mutation/<group>.json (reports/ is not). */
interface ModuleSummary {
  mutants: number;
  detected: number;
  undetected: Undetected[];
}

function summarize({ source, mutants }: ModuleResult): ModuleSummary {
  const lines = source.split('\n');
  return {
    mutants: mutants.length,
    detected: mutants.filter((m) => DETECTED.has(m.status)).length,
    undetected: mutants
      .filter((m) => UNDETECTED.has(m.status))
      .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)
      .map((m) => ({
        line: m.location.start.line,
        mutator: m.mutatorName,
        replacement: shortReplacement(m),
        status: m.status,
        code: (lines[m.location.start.line - 1] ?? '').trim().slice(0, 100),
      })),
  };
}

/**
 * Each group's modules as last run: from a report in reports/mutation/ where this machine has one
 * (and then written back to docs/mutation/<group>.json), else as docs/mutation/<group>.json has
 * them, so a run of one group, or of one module, keeps every other result.
 */
function groupSummaries(groups: Record<string, Group>): Map<string, Record<string, ModuleSummary>> {
  const results = newestResults();
  const folder = join(root, 'docs', 'mutation');
  const summaries = new Map<string, Record<string, ModuleSummary>>();
  for (const [name, group] of Object.entries(groups)) {
    const path = join(folder, `${name}.json`);
    const committed = existsSync(path) ? readJson<Record<string, ModuleSummary>>(path) : {};
    const modules = [...new Set([...results.keys(), ...Object.keys(committed)])].filter((file) => inGroup(group, file)).sort();
    const summary: Record<string, ModuleSummary> = {};
    for (const file of modules) {
      const result = results.get(file);
      summary[file] = result ? summarize(result) : committed[file]!;
    }
    summaries.set(name, summary);
    if (modules.length > 0) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
    }
  }
  return summaries;
}

/** Escapes a table cell's text. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

function writeReport(groups: Record<string, Group>): number {
  const equivalents = readJson<Record<string, string>>(join(root, 'tools', 'mutation-equivalents.json'));
  const rows: string[] = [];
  const survivors: string[] = [];
  /** Modules whose survivors are listed already (a module may be in two groups). */
  const listed = new Set<string>();
  let unexplained = 0;
  for (const [name, summary] of groupSummaries(groups)) {
    const modules = Object.keys(summary);
    if (modules.length === 0) {
      rows.push(`| ${name} | (not run) | | | | |`);
      continue;
    }
    for (const file of modules) {
      const { mutants, detected, undetected } = summary[file]!;
      const valid = detected + undetected.length;
      const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
      const equivalent = undetected.filter((m) => equivalents[undetectedKey(file, m)] !== undefined).length;
      const scoreWithoutEquivalents = valid - equivalent === 0 ? 'n/a' : `${((100 * detected) / (valid - equivalent)).toFixed(1)}%`;
      rows.push(
        `| ${name} | \`${file}\` | ${mutants} | ${detected} | ${undetected.length} (${equivalent} equivalent) | ${score} (${scoreWithoutEquivalents}) |`,
      );
      if (listed.has(file)) continue;
      listed.add(file);
      for (const mutant of undetected) {
        const reason = equivalents[undetectedKey(file, mutant)];
        if (reason === undefined) unexplained++;
        survivors.push(
          `| \`${file}:${mutant.line}\` | ${mutant.mutator} | \`${cell(mutant.code)}\` → \`${cell(mutant.replacement.slice(0, 60))}\` | ${mutant.status} | ${reason ?? '**unexplained**'} |`,
        );
      }
    }
  }
  const page = [
    '# Mutation testing',
    '',
    'Written by `npm run mutate` (tools/mutate.ts) from StrykerJS runs over the modules that decide who',
    'gets in, each group with the test files that exercise it (tools/mutation-groups.json); each',
    "module's last result is kept in docs/mutation/<group>.json. A mutant is",
    'a small change to the code (a condition negated, a comparison made always true, a call removed);',
    'it is *detected* when a test fails (or hangs) with it in place. Score = detected / (detected +',
    'undetected); in brackets, the score once the equivalent mutants below are left out.',
    '',
    '| Group | Module | Mutants | Detected | Undetected | Score |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '## Surviving mutants',
    '',
    'Each undetected mutant, with the reason it is equivalent (it cannot change what a client sees) or',
    'marked unexplained (a test is missing). Mutants that do not compile or only crash are not counted.',
    '',
    '| Where | Mutator | Change | Status | Why it survives |',
    '|---|---|---|---|---|',
    ...survivors,
    '',
  ].join('\n');
  writeFileSync(join(root, 'docs', 'mutation.md'), page);
  return unexplained;
}

function main(args: string[]): void {
  const groups = readJson<Record<string, Group>>(join(root, 'tools', 'mutation-groups.json'));
  const reportOnly = args.includes('--report-only');
  const named = args.filter((a) => !a.startsWith('--'));
  for (const name of named) if (!groups[name]) throw new Error(`unknown group ${name}; known: ${Object.keys(groups).join(', ')}`);
  if (!reportOnly) for (const name of named.length > 0 ? named : Object.keys(groups)) runGroup(name);
  const unexplained = writeReport(groups);
  process.stdout.write(`docs/mutation.md written; ${unexplained} surviving mutant(s) unexplained\n`);
}

main(process.argv.slice(2));
