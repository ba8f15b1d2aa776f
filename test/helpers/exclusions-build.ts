/**
 * The exclusions fixture (test/fixtures/exclusions: a C driver with markers of every kind
 * and a justification file) built with gcc-12 --coverage and run, and the tools' views of
 * it: lcov 1.16, gcovr 5.2 and gcov's JSON, each with and without markers.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXCLUSIONS_FIXTURE = join(process.cwd(), 'test/fixtures/exclusions');
export const SOURCES = ['uart.c', 'uart.h', 'main.c'];

export function run(cmd: string, args: string[], cwd: string): string {
  const p = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (p.error) throw p.error;
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${p.status}:\n${p.stderr}`);
  return p.stdout;
}

const made: string[] = [];

/** Removes every build directory made so far (for afterAll). */
export function removeBuilds(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Compiles and runs the fixture in a new directory; returns it. */
export function buildFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hvcov-excl-'));
  made.push(dir);
  for (const f of [...SOURCES, 'justifications.json']) cpSync(join(EXCLUSIONS_FIXTURE, f), join(dir, f));
  for (const c of ['uart.c', 'main.c'])
    run('gcc-12', ['--coverage', '-O0', '-c', c, '-o', c.replace(/\.c$/, '.o')], dir);
  run('gcc-12', ['--coverage', 'uart.o', 'main.o', '-o', 'prog'], dir);
  run('./prog', [], dir);
  return dir;
}

export const gcdaFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.gcda'))
    .sort();
export const gcnoFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.gcno'))
    .sort();

/** lcov --capture (branch coverage on) and the same read back by `lcov -a`. */
export function lcovRun(dir: string, extra: string[] = [], tag = 'ref'): { capture: string; merged: string } {
  const rc = ['--rc', 'lcov_branch_coverage=1'];
  const ref = join(dir, `${tag}.info`);
  const merged = join(dir, `${tag}-merged.info`);
  run(
    'lcov',
    ['--capture', ...rc, ...extra, '--gcov-tool', 'gcov-12', '-d', dir, '-b', dir, '-o', ref, '-q'],
    dir,
  );
  run('lcov', [...rc, '-a', ref, '-o', merged, '-q'], dir);
  return { capture: readFileSync(ref, 'utf8'), merged: readFileSync(merged, 'utf8') };
}

export interface GcovrLine {
  line_number: number;
  count: number;
  branches: { count: number }[];
  'gcovr/noncode': boolean;
}
export interface GcovrJson {
  files: { file: string; lines: GcovrLine[]; functions: { name: string; execution_count: number }[] }[];
}

export function gcovrJson(dir: string, extra: string[] = []): GcovrJson {
  const out = join(dir, `gcovr${extra.join('')}.json`);
  run('gcovr', ['-r', dir, '--gcov-executable', 'gcov-12', ...extra, '--json', '-o', out, dir], dir);
  return JSON.parse(readFileSync(out, 'utf8')) as GcovrJson;
}

export function gcovrXml(dir: string): string {
  const out = join(dir, 'gcovr.xml');
  run('gcovr', ['-r', dir, '--gcov-executable', 'gcov-12', '--xml-pretty', '-o', out, dir], dir);
  return readFileSync(out, 'utf8');
}

export interface GcovJsonLine {
  line_number: number;
  count: number;
  unexecuted_block: boolean;
  branches: { count: number }[];
}
export interface GcovJsonFileOut {
  file: string;
  functions: { name: string; start_line: number; end_line: number; execution_count: number }[];
  lines: GcovJsonLine[];
}

/** gcov --json-format of every .gcda, in the build directory. */
export function gcovJson(dir: string): GcovJsonFileOut[] {
  const out: GcovJsonFileOut[] = [];
  for (const g of gcdaFiles(dir)) {
    const text = run('gcov-12', ['--json-format', '--stdout', '-b', g], dir);
    for (const line of text.split('\n').filter((l) => l.trim() !== ''))
      out.push(...(JSON.parse(line) as { files: GcovJsonFileOut[] }).files);
  }
  return out;
}

/** Writes `text` as the fixture source `name` in `dir` (lcov and gcovr read markers from it). */
export function replaceSource(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

/** LF/LH, FNF/FNH, BRF/BRH of a merged tracefile, as the model's Totals (no conditions in lcov 1.16). */
export function lcovTotalsOf(merged: string) {
  const t: Record<string, number> = { LF: 0, LH: 0, FNF: 0, FNH: 0, BRF: 0, BRH: 0 };
  for (const line of merged.split('\n')) {
    const m = /^(LF|LH|FNF|FNH|BRF|BRH):(\d+)$/.exec(line);
    if (m) t[m[1]!]! += Number(m[2]);
  }
  return {
    lines: { found: t.LF!, hit: t.LH! },
    functions: { found: t.FNF!, hit: t.FNH! },
    branches: { found: t.BRF!, hit: t.BRH! },
    conditions: { found: 0, hit: 0 },
  };
}

/**
 * lcov's view of everything the app excludes, on a fresh build: gcovr's markers written as
 * lcov's (same extent for balanced markers), and LCOV_EXCL_LINE appended to each line the
 * justifications name (found by the test: the function's extent from gcov's JSON, the
 * anchor text by search). Returns lcov's merged tracefile of that build.
 */
export function lcovWithEverythingMarked(): { dir: string; merged: string; marked: Set<number> } {
  const other = buildFixture();
  const gcov = gcovJson(other).find((f) => f.file === 'uart.c')!;
  const text = readFileSync(join(other, 'uart.c'), 'utf8').split('\n');
  const fn = (name: string) => gcov.functions.find((f) => f.name === name)!;
  const marked = new Set<number>();
  const irq = fn('uart_irq');
  let n = irq.start_line;
  while (text[n - 1]!.trim() !== 'if (status & 2) {') n++;
  for (; text[n - 1]!.trim() !== '}'; n++) marked.add(n);
  marked.add(n);
  const fault = fn('uart_fault');
  for (let i = fault.start_line; i <= fault.end_line; i++) marked.add(i);
  replaceSource(
    other,
    'uart.c',
    text
      .map((t, i) => (marked.has(i + 1) ? `${t} // LCOV_EXCL_LINE` : t))
      .map((t) => t.replace(/GCOVR_EXCL_/g, 'LCOV_EXCL_'))
      .join('\n'),
  );
  return { dir: other, merged: lcovRun(other).merged, marked };
}
