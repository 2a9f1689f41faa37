/**
 * `npm run mutate [group ...]`: mutation testing of the code that decides who gets in.
 *
 * Runs StrykerJS (stryker.config.mjs) once per group of tools/mutation-groups.json — each group is a
 * set of modules and the test files that exercise them — then writes docs/mutation.md from the JSON
 * reports: the mutation score per module, and every surviving mutant with the reason it is
 * equivalent (tools/mutation-equivalents.json) or marked unexplained. Not part of `npm test`: a full
 * run takes hours on two cores. `--report-only` rewrites the page from the reports already in
 * reports/mutation/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: MutantResult[] }>;
}

/** A surviving mutant's stable name: file, line, mutator and replacement (ids change every run). */
export function mutantKey(file: string, mutant: MutantResult): string {
  const replacement = (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
  return `${file}:${mutant.location.start.line}:${mutant.mutatorName}:${replacement}`;
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
  const key = (m: MutantResult) => `${m.location.start.line}:${m.location.start.column}:${m.mutatorName}:${m.replacement ?? ''}`;
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

/**
 * The rows of the page as last written, by module, for modules with no report on this machine
 * (reports/ is not committed): they are kept as they were, so a targeted run of a few modules does
 * not drop the others' results.
 */
function earlierRows(): { scores: Map<string, string>; survivors: Map<string, string[]> } {
  // scores: by `<group> <module>` (a module may be in two groups); survivors: by module.
  const scores = new Map<string, string>();
  const survivors = new Map<string, string[]>();
  const page = join(root, 'docs', 'mutation.md');
  if (!existsSync(page)) return { scores, survivors };
  for (const line of readFileSync(page, 'utf8').split('\n')) {
    const score = /^\| ([\w-]+) \| `([^`]+)` \|/.exec(line);
    if (score) scores.set(`${score[1]!} ${score[2]!}`, line);
    const survivor = /^\| `([^`:]+):\d+` \|/.exec(line);
    if (survivor) survivors.set(survivor[1]!, [...(survivors.get(survivor[1]!) ?? []), line]);
  }
  return { scores, survivors };
}

function writeReport(groups: Record<string, Group>): number {
  const equivalents = readJson<Record<string, string>>(join(root, 'tools', 'mutation-equivalents.json'));
  const results = newestResults();
  const earlier = earlierRows();
  const rows: string[] = [];
  const survivors: string[] = [];
  /** Modules whose survivors are listed already (a module may be in two groups). */
  const listed = new Set<string>();
  let unexplained = 0;
  for (const [name, group] of Object.entries(groups)) {
    const earlierModules = [...earlier.scores.keys()].filter((k) => k.startsWith(`${name} `)).map((k) => k.slice(name.length + 1));
    const modules = [...new Set([...results.keys(), ...earlierModules])].filter((file) => inGroup(group, file)).sort();
    if (modules.length === 0) {
      rows.push(`| ${name} | (not run) | | | | |`);
      continue;
    }
    for (const file of modules) {
      const result = results.get(file);
      if (!result) {
        // No report here: the row and survivors as the page had them.
        rows.push(earlier.scores.get(`${name} ${file}`)!);
        if (listed.has(file)) continue;
        listed.add(file);
        survivors.push(...(earlier.survivors.get(file) ?? []));
        unexplained += (earlier.survivors.get(file) ?? []).filter((line) => line.includes('**unexplained**')).length;
        continue;
      }
      const { source, mutants } = result;
      const count = (statuses: Set<string>) => mutants.filter((m) => statuses.has(m.status)).length;
      const detected = count(DETECTED);
      const undetected = count(UNDETECTED);
      const valid = detected + undetected;
      const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
      const equivalent = mutants.filter((m) => UNDETECTED.has(m.status) && equivalents[mutantKey(file, m)] !== undefined).length;
      const scoreWithoutEquivalents = valid - equivalent === 0 ? 'n/a' : `${((100 * detected) / (valid - equivalent)).toFixed(1)}%`;
      rows.push(
        `| ${name} | \`${file}\` | ${mutants.length} | ${detected} | ${undetected} (${equivalent} equivalent) | ${score} (${scoreWithoutEquivalents}) |`,
      );
      if (listed.has(file)) continue;
      listed.add(file);
      const lines = source.split('\n');
      for (const mutant of mutants.filter((m) => UNDETECTED.has(m.status))) {
        const key = mutantKey(file, mutant);
        const reason = equivalents[key];
        if (reason === undefined) unexplained++;
        const code = (lines[mutant.location.start.line - 1] ?? '').trim().slice(0, 100).replace(/\|/g, '\\|');
        const replacement = (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60).replace(/\|/g, '\\|');
        survivors.push(
          `| \`${file}:${mutant.location.start.line}\` | ${mutant.mutatorName} | \`${code}\` → \`${replacement}\` | ${mutant.status} | ${reason ?? '**unexplained**'} |`,
        );
      }
    }
  }
  const page = [
    '# Mutation testing',
    '',
    'Written by `npm run mutate` (tools/mutate.ts) from StrykerJS runs over the modules that decide who',
    'gets in, each group with the test files that exercise it (tools/mutation-groups.json). A mutant is',
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
