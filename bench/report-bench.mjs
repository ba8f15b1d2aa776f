#!/usr/bin/env node
// Report benchmark on a large real C program, built with gcc-12 --coverage -O0 and run on a
// deterministic workload: SQLite's amalgamation (one object, bench/large-program.sh) or,
// with --program tcl, Tcl 8.6 (163 objects, bench/large-program-multi.sh). Over the same
// .gcno/.gcda it times, in one run:
//
//   gcov    gcov-12 --json-format --branch-probabilities on every object  (best of --runs)
//   hvcov   node bin/hvcov.cjs report --build OBJ --gcda OBJ --gcov-json FILE (best of --runs)
//           (or, while that command does not exist, a bundle of the engine: src/model)
//   gcovr   gcovr --json (Debian gcovr, gcov-12)                           (once)
//   lcov    lcov --capture --rc lcov_branch_coverage=1 (Debian lcov, gcov-12) (once)
//
// and prints wall times, peak memory (/usr/bin/time -v "Maximum resident set size"), the
// ratios of hvcov to each peer and the input size, then checks that hvcov's JSON agrees
// with gcov's on every line count of a sample of files. Exit status 1 on any
// disagreement (printed in detail), 2 on errors.
//
//   node bench/report-bench.mjs [--program sqlite|tcl] [--runs N] [--slow-runs N]
//                               [--sample N (0: all files)] [--engine|--cli]
//                               [--no-build] [--out DIR] [--split] [--keep] [--keep-env]
//
// The tools run without NODE_EXTRA_CA_CERTS unless --keep-env (see node-env.mjs).
//
// --split benchmarks the amalgamation cut into one piece per original source file
// (bench/large-program.sh --split): the same code, one object, ~100 source files.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os, { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { benchEnv } from './node-env.mjs';
import { dieAs, sh } from './shell.mjs';

const die = dieAs('report-bench');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const flag = (name) => args.includes(name);
const runs = Number(opt('--runs', 3));
const slowRuns = Number(opt('--slow-runs', 1));
const sampleSize = Number(opt('--sample', 20));
const program = opt('--program', 'sqlite');
const split = flag('--split');
if (program !== 'sqlite' && program !== 'tcl') die(`--program ${program}: expected sqlite or tcl`);
if (split && program !== 'sqlite') die('--split applies to --program sqlite only');
const defaultOut = program === 'tcl' ? 'tcl' : split ? 'sqlite-split' : 'sqlite';
// The program's folder (gcovr's --root): sources and objects are under it.
const progDir = resolve(opt('--out', join(root, 'build/bench', defaultOut)));
const GCOV = process.env.GCOV ?? 'gcov-12';
const TIME = '/usr/bin/time';

if (!existsSync(TIME)) die(`${TIME} is missing (apt-get install time)`);
for (const t of [GCOV, 'lcov', 'gcovr'])
  if (sh('sh', ['-c', `command -v ${t}`]).status !== 0) die(`${t} is missing`);

// 1. The program, built and run (idempotent).
const script = program === 'tcl' ? 'bench/large-program-multi.sh' : 'bench/large-program.sh';
const prog = sh('bash', [join(root, script), '--out', progDir, ...(split ? ['--split'] : [])], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (prog.status !== 0) die(`${script} failed`);
const objDir = prog.stdout.trim().split('\n').at(-1);

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
const all = walk(objDir);
const gcnos = all.filter((f) => f.endsWith('.gcno'));
const gcdas = all.filter((f) => f.endsWith('.gcda'));
const gcnoBytes = gcnos.reduce((s, f) => s + statSync(f).size, 0);
const gcdaBytes = gcdas.reduce((s, f) => s + statSync(f).size, 0);
const inputBytes = gcnoBytes + gcdaBytes;
// Lines of C (newlines, as `wc -l`): SQLite's two compiled files; for Tcl every .c compiled
// and every Tcl header they include, as large-program-multi.sh lists them (gcc -MMD).
const srcFiles =
  program === 'tcl'
    ? readFileSync(join(objDir, 'sources.txt'), 'utf8').split('\n').filter(Boolean)
    : ['sqlite3.c', 'workload.c'].map((f) => join(progDir, 'src', f));
const srcLines = srcFiles.reduce((s, f) => s + readFileSync(f, 'latin1').split('\n').length - 1, 0);
// gcov is given every object by its .gcno name (it finds the .gcda beside it, or reports the
// object as never run, as hvcov does), in one process. It names each output after the
// object's base name in its working directory, so two objects with one base name would
// overwrite each other's JSON.
const bases = gcnos.map((f) => f.slice(f.lastIndexOf('/') + 1));
const dup = bases.find((b, i) => bases.indexOf(b) !== i);
if (dup) die(`two objects are named ${dup}: gcov's JSON outputs would collide`);

// 2. hvcov: the report command when it exists, else a bundle of the engine.
const cliBundle = join(root, 'bin/hvcov.cjs');
let hvcovMode = flag('--engine') ? 'engine' : 'cli';
if (hvcovMode === 'cli') {
  if (!flag('--no-build')) {
    const b = sh('npm', ['run', '--silent', 'build:cli'], { cwd: root });
    if (b.status !== 0) console.error(`report-bench: npm run build:cli failed:\n${b.stderr}`);
  }
  const h = sh('node', [cliBundle, 'report', '--help'], { cwd: root });
  if (h.status !== 0) {
    if (flag('--cli')) die(`hvcov report --help failed:\n${h.stdout}${h.stderr}`);
    console.error('report-bench: `hvcov report` is not available yet; timing a bundle of src/model instead');
    hvcovMode = 'engine';
  }
}

const ENGINE_ENTRY = `
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readGcno } from './src/gcov/gcno';
import { readGcda } from './src/gcov/gcda-reader';
import { computeCoverage } from './src/model/coverage';
import { gcovJsonFiles } from './src/model/gcov-json';

const a = process.argv.slice(2);
const get = (n) => a[a.indexOf(n) + 1];
const build = get('--build'), gcdaDir = get('--gcda'), outFile = get('--gcov-json');
const walk = (d, out = []) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p, out); else if (e.name.endsWith('.gcno')) out.push(p);
  }
  return out;
};
const files = [];
let formatVersion, gccVersion;
for (const g of walk(build)) {
  const gcno = readGcno(new Uint8Array(readFileSync(g)), g);
  const d = join(gcdaDir, relative(build, g)).replace(/\\.gcno$/, '.gcda');
  let gcda;
  try { gcda = readGcda(new Uint8Array(readFileSync(d)), d); } catch (e) { if (e.code !== 'ENOENT') throw e; }
  const cov = computeCoverage(gcno, gcda, d);
  for (const p of cov.problems) console.error(p.message);
  formatVersion = gcno.format.jsonFormat;
  gccVersion = gcno.version.major + '.' + gcno.version.minor;
  for (const f of gcovJsonFiles(cov)) files.push(f);
}
writeFileSync(outFile, JSON.stringify({ format_version: formatVersion, gcc_version: gccVersion, files }));
`;

let hvcovCmd;
if (hvcovMode === 'engine') {
  const bundle = join(root, 'build/bench/hvcov-report-engine.mjs');
  mkdirSync(dirname(bundle), { recursive: true });
  const { build } = await import(join(root, 'node_modules/esbuild/lib/main.js'));
  await build({
    stdin: { contents: ENGINE_ENTRY, resolveDir: root, sourcefile: 'report-engine.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  hvcovCmd = (out) => [
    'node',
    bundle,
    '--build',
    objDir,
    '--gcda',
    objDir,
    '--gcov-json',
    join(out, 'hvcov.json'),
  ];
} else {
  hvcovCmd = (out) => [
    'node',
    cliBundle,
    'report',
    '--build',
    objDir,
    '--gcda',
    objDir,
    '--gcov-json',
    join(out, 'hvcov.json'),
  ];
}

// 3. The tools. Each run starts from an empty output directory on tmpfs (not timed).
const tmpRoot = existsSync('/dev/shm') ? '/dev/shm' : '/tmp';
const work = join(tmpRoot, `hvcov-report-bench-${process.pid}`);
const tools = {
  gcov: (out) => ({
    argv: [GCOV, '--json-format', '--branch-probabilities', ...gcnos],
    cwd: out,
  }),
  hvcov: (out) => ({ argv: hvcovCmd(out), cwd: root }),
  gcovr: (out) => ({
    argv: [
      'gcovr',
      '--gcov-executable',
      GCOV,
      '--json',
      join(out, 'gcovr.json'),
      '-r',
      progDir,
      '--object-directory',
      objDir,
      objDir,
    ],
    cwd: out,
  }),
  lcov: (out) => ({
    argv: [
      'lcov',
      '--capture',
      '--rc',
      'lcov_branch_coverage=1',
      '--gcov-tool',
      GCOV,
      '--directory',
      objDir,
      '--output-file',
      join(out, 'lcov.info'),
      '--quiet',
    ],
    cwd: out,
  }),
};
const times = { gcov: [], hvcov: [], gcovr: [], lcov: [] };
const rss = { gcov: [], hvcov: [], gcovr: [], lcov: [] };
// user + system CPU seconds (of the process and the children it waited for): steadier than
// wall time on a shared machine.
const cpu = { gcov: [], hvcov: [], gcovr: [], lcov: [] };

const { env: baseEnv, note: envNote } = benchEnv(flag('--keep-env'));

function runOnce(name) {
  const out = join(work, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const { argv, cwd } = tools[name](out);
  const t0 = process.hrtime.bigint();
  const p = sh(TIME, ['-v', ...argv], { cwd, env: baseEnv });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr);
  if (p.status !== 0 || !m)
    die(`${name} failed (status ${p.status}): ${argv.join(' ')}\n${p.stdout}${p.stderr}`);
  times[name].push(secs);
  rss[name].push(Number(m[1]) * 1024);
  const user = /User time \(seconds\): ([\d.]+)/.exec(p.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(p.stderr);
  cpu[name].push(Number(user?.[1] ?? NaN) + Number(sys?.[1] ?? NaN));
  return out;
}

const nodeBase = (() => {
  const p = sh(TIME, ['-v', 'node', '-e', '0'], { env: baseEnv });
  return Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr)?.[1] ?? 0) * 1024;
})();

mkdirSync(work, { recursive: true });
const loadBefore = loadavg()[0];
try {
  // Fast tools alternately, so that noise hits both; then the slow ones.
  for (let i = 0; i < runs; i++) for (const t of ['gcov', 'hvcov']) runOnce(t);
  for (let i = 0; i < slowRuns; i++) for (const t of ['gcovr', 'lcov']) runOnce(t);

  // 4. Table.
  const best = (t) => Math.min(...times[t]);
  const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const peak = (t) => Math.max(...rss[t]);
  const MB = (b) => (b / 1e6).toFixed(1);
  const s = (x) => x.toFixed(2);
  console.log('');
  console.log(
    `program:  ${program === 'tcl' ? 'Tcl 8.6.13' : `SQLite amalgamation${split ? ' (split per source file)' : ''}`}, ${srcLines.toLocaleString('en')} lines of C in ${srcFiles.length} files, ${gcnos.length} objects (${GCOV.replace('gcov', 'gcc')} --coverage -O0)`,
  );
  console.log(
    `input:    ${MB(inputBytes)} MB (.gcno ${MB(gcnoBytes)} MB + .gcda ${MB(gcdaBytes)} MB, ${gcnos.length} + ${gcdas.length} files)`,
  );
  console.log(
    `hvcov:    ${hvcovMode === 'cli' ? 'node bin/hvcov.cjs report' : 'bundle of src/model (hvcov report not available yet)'}`,
  );
  console.log(envNote);
  console.log(`node:     ${MB(nodeBase)} MB peak RSS for \`node -e 0\` (floor of any Node process)`);
  console.log(`sources:  none read (gcov JSON needs no source text; the figures above are all the input)`);
  console.log(
    `machine:  ${os.availableParallelism()} CPUs, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after the runs`,
  );
  console.log('');
  const rows = [
    [
      'tool',
      'best s',
      'median s',
      'runs (s)',
      'median CPU s',
      'peak RSS MB',
      'hvcov speed-up (best, median, CPU)',
      'hvcov/peer memory',
    ],
  ];
  const ratio = (a, b) => `${(a / b).toFixed(1)}x`;
  for (const t of ['hvcov', 'gcov', 'gcovr', 'lcov'])
    rows.push([
      t,
      s(best(t)),
      s(median(times[t])),
      times[t].map(s).join(' '),
      s(median(cpu[t])),
      MB(peak(t)),
      t === 'hvcov'
        ? ''
        : `${ratio(best(t), best('hvcov'))} ${ratio(median(times[t]), median(times.hvcov))} ${ratio(median(cpu[t]), median(cpu.hvcov))}`,
      t === 'hvcov' ? '' : (peak('hvcov') / peak(t)).toFixed(2),
    ]);
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, r] of rows.entries()) {
    console.log(r.map((x, c) => (c === 0 || c === 3 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  '));
    if (i === 0) console.log(w.map((n) => '-'.repeat(n)).join('  '));
  }
  console.log('');
  const target = (ok, text) => console.log(`${ok ? 'met    ' : 'NOT met'}  ${text}`);
  target(
    best('hvcov') < best('gcov'),
    `faster than gcov: ${s(best('hvcov'))} s vs ${s(best('gcov'))} s (${(best('gcov') / best('hvcov')).toFixed(2)}x;` +
      ` CPU ${s(median(cpu.hvcov))} s vs ${s(median(cpu.gcov))} s)`,
  );
  target(
    best('lcov') >= 10 * best('hvcov'),
    `>= 10x faster than lcov --capture: ${(best('lcov') / best('hvcov')).toFixed(1)}x`,
  );
  // Honest about the floor: no Node process fits under 2x an input of a few MB.
  if (nodeBase >= 2 * inputBytes)
    console.log(
      `note     a bare \`node -e 0\` already takes ${MB(nodeBase)} MB = ${(nodeBase / inputBytes).toFixed(1)}x the input`,
    );
  target(
    peak('hvcov') < 2 * inputBytes,
    `peak memory < 2x input: ${MB(peak('hvcov'))} MB = ${(peak('hvcov') / inputBytes).toFixed(1)}x input of ${MB(inputBytes)} MB` +
      ` (above the node floor: ${MB(peak('hvcov') - nodeBase)} MB = ${((peak('hvcov') - nodeBase) / inputBytes).toFixed(1)}x)`,
  );

  // 5. Agreement with gcov on line counts, for a sample of files.
  const gcovFiles = [];
  for (const f of readdirSync(join(work, 'gcov')).filter((f) => f.endsWith('.gcov.json.gz')))
    gcovFiles.push(...JSON.parse(gunzipSync(readFileSync(join(work, 'gcov', f))).toString('utf8')).files);
  // hvcov report writes one gcov JSON document per .gcno, one per line; the engine
  // fallback writes one document.
  const hvFiles = readFileSync(join(work, 'hvcov', 'hvcov.json'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => JSON.parse(l).files);
  // Lines per source file, summed over objects (a header can appear in several).
  const byFile = (files) => {
    const m = new Map();
    for (const f of files) {
      let lines = m.get(f.file);
      if (!lines) m.set(f.file, (lines = new Map()));
      for (const l of f.lines) lines.set(l.line_number, (lines.get(l.line_number) ?? 0) + l.count);
    }
    return m;
  };
  const G = byFile(gcovFiles);
  const H = byFile(hvFiles);
  const names = [...G.keys()].sort();
  // Deterministic sample: every file when there are few, else an even spread.
  const sample =
    sampleSize <= 0 || names.length <= sampleSize
      ? names
      : names.filter((_, i) => i % Math.ceil(names.length / sampleSize) === 0);
  let bad = 0;
  let compared = 0;
  const onlyHv = [...H.keys()].filter((n) => !G.has(n));
  for (const n of sample) {
    const g = G.get(n);
    const h = H.get(n);
    if (!h) {
      bad++;
      console.log(`DISAGREE ${n}: in gcov's output (${g.size} lines), missing from hvcov's`);
      continue;
    }
    const diffs = [];
    for (const ln of new Set([...g.keys(), ...h.keys()])) {
      compared++;
      if (g.get(ln) !== h.get(ln)) diffs.push([ln, g.get(ln), h.get(ln)]);
    }
    if (diffs.length) {
      bad++;
      diffs.sort((a, b) => a[0] - b[0]);
      console.log(
        `DISAGREE ${n}: ${diffs.length} of ${g.size} lines differ (line: gcov vs hvcov; undefined = line absent)`,
      );
      for (const [ln, a, b] of diffs.slice(0, 25)) console.log(`  ${ln}: ${a} vs ${b}`);
      if (diffs.length > 25) console.log(`  ... ${diffs.length - 25} more`);
    }
  }
  // Beyond line counts: whole per-file JSON (functions, branches, calls), reported only.
  // gcov prints keys in hash order, so compare with keys sorted.
  const canon = (v) =>
    Array.isArray(v)
      ? `[${v.map(canon).join(',')}]`
      : v && typeof v === 'object'
        ? `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canon(v[k])}`)
            .join(',')}}`
        : JSON.stringify(v);
  const deep = (files) => new Map(files.map((f) => [f.file, canon(f)]));
  const gd = deep(gcovFiles);
  const hd = deep(hvFiles);
  const deepSame = sample.filter((n) => gd.get(n) === hd.get(n)).length;
  console.log('');
  console.log(
    `agreement: ${sample.length} of ${names.length} source files sampled, ${compared.toLocaleString('en')} lines compared: ` +
      (bad ? `${bad} file(s) DISAGREE on line counts` : 'line counts identical to gcov') +
      `; whole file JSON identical for ${deepSame} of ${sample.length}` +
      (onlyHv.length
        ? `; ${onlyHv.length} file(s) only in hvcov's output: ${onlyHv.slice(0, 5).join(', ')}`
        : ''),
  );
  if (bad || onlyHv.length) process.exitCode = 1;
} finally {
  if (flag('--keep')) console.log(`outputs kept under ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
