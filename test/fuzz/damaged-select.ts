/**
 * Picks the damaged (.gcno, .gcda) pairs of test/conformance/damaged-pairs.test.ts from
 * engine corpora of the fuzzer, and writes each pair's expected outcome class to
 * test/fuzz/damaged/manifest.json (the numbers themselves come from the real gcov when the
 * test runs). For each pair: the real gcov of its release (`gcov --json-format --stdout
 * --branch-probabilities`, with `--conditions` where the release records conditions) and
 * hvcov's report model (buildReport) on the same two files; the outcome is
 *   gcov    hvcov prints gcov's JSON,
 *   refuse  hvcov refuses the object with an InputError of the code recorded (gcov prints
 *           numbers, or fails: `gcovFails`),
 *   numbers gcov fails (crash, abort, no JSON) and hvcov prints numbers,
 *   diff    hvcov prints other numbers than gcov: open, never picked (listed on stdout).
 * Pairs are grouped by outcome, hvcov's problem codes and gcov's messages; the smallest of
 * each group are taken first, up to --max pairs (default 60). Notes hvcov cannot read at
 * all are left out (each is a typed error before any number), and so are pairs on which gcov
 * runs into the 10 s timeout (whether it finishes depends on the machine's load).
 *   node_modules/.bin/esbuild test/fuzz/damaged-select.ts --bundle --platform=node --format=esm \
 *     --outfile=build/fuzz/damaged-select.mjs && node build/fuzz/damaged-select.mjs [--write] DIR...
 * or, to add pairs to the committed set (keeping it), `... damaged-select.mjs --add FILE...`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGcno } from '../../src/gcov/gcno';
import { buildReport } from '../../src/model/report';

export interface DamagedCase {
  /** File under test/fuzz/damaged/: 4-byte little-endian notes length, notes, data. */
  readonly file: string;
  readonly gccMajor: number;
  readonly expect: 'gcov' | 'refuse' | 'numbers';
  /** For 'refuse': the InputError code. */
  readonly code?: string;
  /** gcov fails on it (a signal, or no JSON). */
  readonly gcovFails: boolean;
  /** What the group was (for the README's table): gcov's messages and hvcov's problems. */
  readonly group: string;
}

export const splitPair = (input: Uint8Array): { notes: Uint8Array; data: Uint8Array } => {
  const len = Math.min(new DataView(input.buffer, input.byteOffset, 4).getUint32(0, true), input.length - 4);
  return { notes: input.subarray(4, 4 + len), data: input.subarray(4 + len) };
};

/** gcov of each release, from the committed fixtures' meta.json. */
export function gcovOfRelease(): Map<number, string> {
  const gcovs = new Map<number, string>();
  for (const c of readdirSync('fixtures/gen')) {
    const m = JSON.parse(readFileSync(`fixtures/gen/${c}/meta.json`, 'utf8')) as {
      gccMajor: number;
      gcov: string;
    };
    gcovs.set(m.gccMajor, m.gcov);
  }
  return gcovs;
}

export interface GcovRun {
  files: { functions: { name: string; demangled_name: string }[] }[] | undefined;
  stderr: string;
  status: string;
}

/** The real gcov on x.gcno and x.gcda; files undefined when it prints no JSON. */
export function runGcov(gcov: string, notes: Uint8Array, data: Uint8Array, conditions: boolean): GcovRun {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-damaged-'));
  try {
    writeFileSync(join(tmp, 'x.gcno'), notes);
    writeFileSync(join(tmp, 'x.gcda'), data);
    const p = spawnSync(
      gcov,
      [
        '--json-format',
        '--stdout',
        '--branch-probabilities',
        ...(conditions ? ['--conditions'] : []),
        'x.gcda',
      ],
      { cwd: tmp, encoding: 'utf8', timeout: 10_000, maxBuffer: 1 << 26 },
    );
    let files: GcovRun['files'];
    try {
      files = (JSON.parse(p.stdout) as { files: GcovRun['files'] }).files;
    } catch {
      files = undefined;
    }
    return { files, stderr: p.stderr ?? '', status: String(p.signal ?? p.status) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** hvcov's report model on the pair: the object's gcov JSON files, or the problems. */
export function runOurs(notes: Uint8Array, data: Uint8Array, demangled: Map<string, string>) {
  const r = buildReport([{ name: 'x.gcno', bytes: notes }], [{ name: 'x.gcda', bytes: data }], {
    demangle: (n) => demangled.get(n) ?? n,
  });
  return { files: r.objects[0]?.json.files, problems: r.problems };
}

/** gcov's demangled names (hvcov has no demangler of its own yet). */
export function demangledNames(files: GcovRun['files']): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of files ?? []) for (const fn of f.functions) m.set(fn.name, fn.demangled_name);
  return m;
}

/** Object keys sorted: gcov's key order is not ours. */
export const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1)))
      : x,
  );

const hasConditions = (notes: Uint8Array): boolean =>
  readGcno(notes, 'x.gcno').format.counters.some((k) => k.name === 'conditions');

/**
 * --add FILE...: the pairs given join the committed set, each with the entry this script
 * makes for it (refused when hvcov's numbers differ from gcov's or gcov times out).
 */
function add(files: string[]): void {
  const out = 'test/fuzz/damaged';
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as DamagedCase[];
  const gcovs = gcovOfRelease();
  for (const path of files) {
    const input = new Uint8Array(readFileSync(path));
    const file = `${createHash('sha256').update(input).digest('hex').slice(0, 16)}.bin`;
    if (manifest.some((c) => c.file === file)) continue;
    const { notes, data } = splitPair(input);
    const major = readGcno(notes, 'x.gcno').version.major;
    const { status, expect, code, gcovFails, group } = classify(gcovs.get(major)!, major, notes, data);
    if (expect === 'diff' || status === 'SIGTERM') throw new Error(`${path}: ${group}`);
    writeFileSync(join(out, file), input);
    manifest.push({ file, gccMajor: major, expect, ...(code ? { code } : {}), gcovFails, group });
    console.log(`added ${file} (${path}): ${group}`);
  }
  manifest.sort((a, b) => (a.file < b.file ? -1 : 1));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** A pair's outcome class (see the file's comment) and its group. */
function classify(
  gcov: string,
  major: number,
  notes: Uint8Array,
  data: Uint8Array,
): Omit<DamagedCase, 'file' | 'expect'> & { expect: DamagedCase['expect'] | 'diff'; status: string } {
  const ref = runGcov(gcov, notes, data, hasConditions(notes));
  const ours = runOurs(notes, data, demangledNames(ref.files));
  const codes = [...new Set(ours.problems.map((p) => p.code))].sort().join(',');
  const messages = [
    ...new Set(
      ref.stderr
        .split('\n')
        .filter((l) => l && !/version '/.test(l))
        .map((l) => l.replace(/^x\.gc(no|da):/, '').replace(/'[^']*'/g, "'…'")),
    ),
  ]
    .sort()
    .join('; ');
  const gcovFails = ref.files === undefined;
  let expect: DamagedCase['expect'] | 'diff';
  if (!ours.files) expect = 'refuse';
  else if (gcovFails) expect = 'numbers';
  else expect = canon(ours.files) === canon(ref.files) ? 'gcov' : 'diff';
  const code = expect === 'refuse' ? ours.problems.at(-1)!.code : undefined;
  const group = `${expect}${code ? ` (${code})` : ''}${gcovFails ? ` | gcov ${ref.status}` : ''} | hvcov problems: ${codes || '–'} | gcov: ${messages || '–'}`;
  return { gccMajor: major, expect, ...(code ? { code } : {}), gcovFails, group, status: ref.status };
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--add') {
    add(args.slice(1));
    return;
  }
  const write = args.includes('--write');
  const maxAt = args.indexOf('--max');
  const max = maxAt >= 0 ? Number(args[maxAt + 1]) : 60;
  const dirs = args.filter((a, i) => !a.startsWith('--') && (maxAt < 0 || i !== maxAt + 1));
  const gcovs = gcovOfRelease();
  const groups = new Map<string, { input: Uint8Array; c: Omit<DamagedCase, 'file'> }[]>();
  const tally = new Map<string, number>();
  const seen = new Set<string>();
  for (const dir of dirs)
    for (const f of readdirSync(dir).sort()) {
      const input = new Uint8Array(readFileSync(join(dir, f)));
      if (input.length < 4) continue;
      const hash = createHash('sha256').update(input).digest('hex').slice(0, 16);
      if (seen.has(hash)) continue;
      seen.add(hash);
      const { notes, data } = splitPair(input);
      let major: number;
      try {
        major = readGcno(notes, 'x.gcno').version.major;
      } catch {
        continue;
      }
      const gcov = gcovs.get(major);
      if (!gcov) continue;
      const { expect, code, gcovFails, group, status } = classify(gcov, major, notes, data);
      tally.set(group, (tally.get(group) ?? 0) + 1);
      // gcov stopped by the timeout: whether it fails depends on the machine's load
      if (status === 'SIGTERM') continue;
      if (expect === 'diff') {
        console.log(`open: ${dir}/${f} (GCC ${major}): ${group}`);
        continue;
      }
      const list = groups.get(group) ?? [];
      list.push({ input, c: { gccMajor: major, expect, ...(code ? { code } : {}), gcovFails, group } });
      groups.set(group, list);
    }
  for (const [g, n] of [...tally].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${g}`);
  // round robin over the groups, smallest pairs first
  for (const list of groups.values()) list.sort((a, b) => a.input.length - b.input.length);
  const picked: { input: Uint8Array; c: Omit<DamagedCase, 'file'> }[] = [];
  for (let round = 0; picked.length < max; round++) {
    let any = false;
    for (const list of groups.values())
      if (round < list.length && picked.length < max) {
        picked.push(list[round]!);
        any = true;
      }
    if (!any) break;
  }
  console.log(`picked ${picked.length} of ${[...groups.values()].reduce((n, l) => n + l.length, 0)}`);
  if (!write) return;
  const out = 'test/fuzz/damaged';
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifest: DamagedCase[] = [];
  for (const { input, c } of picked) {
    const file = `${createHash('sha256').update(input).digest('hex').slice(0, 16)}.bin`;
    writeFileSync(join(out, file), input);
    manifest.push({ file, ...c });
  }
  manifest.sort((a, b) => (a.file < b.file ? -1 : 1));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

if (process.argv[1]?.endsWith('damaged-select.mjs')) main();
