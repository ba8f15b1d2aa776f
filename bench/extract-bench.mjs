#!/usr/bin/env node
/**
 * Extraction benchmark: hvcov's CLI against GCC 12's libgcov (bench/ref-extract.c) on
 * one large synthetic Jailhouse image. Both write the same .gcda tree; the trees must
 * be byte-identical. Times are whole-process wall times; the ratio compares medians of --runs.
 * hvcov runs twice per round: as by default (each file read back and checked) and with --no-verify.
 *
 *   node bench/extract-bench.mjs [--objects 5000] [--counters 10000000] [--runs 3]
 *                                [--out-root DIR] [--no-build] [--cli FILE] [--keep] [--keep-env]
 *
 * The tools run without NODE_EXTRA_CA_CERTS unless --keep-env (see node-env.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeImage } from './make-large-image.mjs';
import { benchEnv } from './node-env.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, 'build', 'bench');
const REF_SRC = join(ROOT, 'bench', 'ref-extract.c');
const REF_BIN = join(WORK, 'ref-extract');

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '5000' },
    counters: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'keep-env': { type: 'boolean', default: false },
    'out-root': { type: 'string' },
    cli: { type: 'string' },
  },
});
const objects = Number(values.objects);
const counters = Number(values.counters);
const runs = Number(values.runs);
if (![objects, counters, runs].every((x) => Number.isInteger(x) && x >= 1)) {
  console.error('--objects, --counters and --runs take whole numbers >= 1');
  process.exit(2);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}

function must(what, r) {
  if (r.status !== 0 || r.signal) {
    console.error(`${what} failed (status ${r.status}${r.signal ? `, signal ${r.signal}` : ''})`);
    if (r.stdout) console.error(r.stdout);
    if (r.stderr) console.error(r.stderr);
    process.exit(1);
  }
  return r;
}

mkdirSync(WORK, { recursive: true });

const CLI = resolve(values.cli ?? join(ROOT, 'bin', 'hvcov.cjs'));

// 1. hvcov's CLI bundle (rebuilt so the figures are for the current sources).
if (!values['no-build'] && !values.cli) {
  const b = run('npm', ['run', '--silent', 'build:cli'], { cwd: ROOT });
  if (b.status !== 0) {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'hvcov.cjs'))) must('npm run build:cli', b);
    console.warn(`warning: npm run build:cli failed; timing the existing dist/cli/hvcov.cjs\n${b.stderr}`);
  }
}

// 2. The libgcov reference.
if (!existsSync(REF_BIN) || statSync(REF_BIN).mtimeMs < statSync(REF_SRC).mtimeMs) {
  must('gcc-12 (building ref-extract)', run('gcc-12', ['-O2', '-Wall', REF_SRC, '-o', REF_BIN, '-lgcov']));
}

// 3. The image (named after its parameters so differently sized runs never mix).
const isDefault = objects === 5000 && counters === 10_000_000;
const IMG = join(WORK, isDefault ? 'large.img' : `large-o${objects}-c${counters}.img`);
if (!existsSync(IMG)) {
  const t = performance.now();
  const r = makeImage({ objects, counters });
  writeFileSync(IMG, r.image);
  console.log(
    `generated ${relative(ROOT, IMG)} (${r.image.length} bytes, ${r.functions} functions) in ` +
      `${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}
const imageBytes = statSync(IMG).size;

// Output trees on tmpfs by default: the figures are then the extractors', not the disk's
// (on ext4, creating 5000 files right after deleting 5000 others costs ~1 ms per file here).
const OUT_ROOT = resolve(
  values['out-root'] ??
    (existsSync('/dev/shm') && statSync('/dev/shm').isDirectory()
      ? `/dev/shm/hvcov-bench-${process.pid}`
      : WORK),
);
const OUT_HV = join(OUT_ROOT, 'out-hvcov');
const OUT_NV = join(OUT_ROOT, 'out-hvcov-no-verify');
const OUT_REF = join(OUT_ROOT, 'out-libgcov');
const show = (p) => (p.startsWith(ROOT + '/') ? relative(ROOT, p) : p);

const tools = [
  {
    label: 'hvcov',
    out: OUT_HV,
    cmd: process.execPath,
    args: [CLI, 'extract', IMG, '--out', OUT_HV, '--quiet'],
  },
  {
    label: 'hvcov --no-verify',
    out: OUT_NV,
    cmd: process.execPath,
    args: [CLI, 'extract', IMG, '--out', OUT_NV, '--quiet', '--no-verify'],
  },
  {
    label: 'libgcov',
    out: OUT_REF,
    cmd: REF_BIN,
    args: [IMG],
    env: { GCOV_PREFIX: OUT_REF, GCOV_PREFIX_STRIP: '0' },
  },
];

const { env: baseEnv, note: envNote } = benchEnv(values['keep-env']);

/** One timed run; the output directory is emptied first (not timed): libgcov merges into existing files. */
function timed(tool) {
  rmSync(tool.out, { recursive: true, force: true });
  const t = process.hrtime.bigint();
  const r = run(tool.cmd, tool.args, { env: { ...baseEnv, ...tool.env } });
  const sec = Number(process.hrtime.bigint() - t) / 1e9;
  must(tool.label, r);
  const noise = (r.stdout + r.stderr).trim();
  if (noise) console.warn(`${tool.label} said:\n${noise.slice(0, 2000)}`);
  return sec;
}

// Runs alternate (hvcov, hvcov --no-verify, libgcov, hvcov, ...) so all see the same machine conditions.
const times = Object.fromEntries(tools.map((t) => [t.label, []]));
for (let i = 0; i < runs; i++) for (const tool of tools) times[tool.label].push(timed(tool));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stat = (label) => ({ med: median(times[label]), best: Math.min(...times[label]), all: times[label] });
const hv = stat('hvcov');
const nv = stat('hvcov --no-verify');
const ref = stat('libgcov');

// 4. Same files, same bytes.
function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

function compareTrees(a, b) {
  const fa = listFiles(a);
  const fb = listFiles(b);
  const sb = new Set(fb);
  const sa = new Set(fa);
  const onlyA = fa.filter((f) => !sb.has(f));
  const onlyB = fb.filter((f) => !sa.has(f));
  if (onlyA.length || onlyB.length)
    return {
      files: fa.length,
      diff:
        `${onlyA.length} file(s) only from hvcov (first: ${onlyA[0] ?? '-'}), ` +
        `${onlyB.length} only from libgcov (first: ${onlyB[0] ?? '-'})`,
    };
  for (const f of fa) {
    const x = readFileSync(join(a, f));
    const y = readFileSync(join(b, f));
    if (x.equals(y)) continue;
    let i = 0;
    while (i < x.length && i < y.length && x[i] === y[i]) i++;
    const word = (buf) =>
      i < buf.length ? buf.subarray(i & ~3, (i & ~3) + 16).toString('hex') : '(end of file)';
    return {
      files: fa.length,
      diff:
        `${f}: first difference at byte ${i} (0x${i.toString(16)}); sizes ${x.length} (hvcov) / ${y.length} (libgcov)\n` +
        `  hvcov   @0x${(i & ~3).toString(16)}: ${word(x)}\n  libgcov @0x${(i & ~3).toString(16)}: ${word(y)}`,
    };
  }
  return { files: fa.length, diff: undefined };
}

const cmp = compareTrees(OUT_HV, OUT_REF);
const cmpNv = compareTrees(OUT_NV, OUT_REF);
if (cmp.diff === undefined && cmpNv.diff !== undefined) Object.assign(cmp, cmpNv);

// 5. Report.
const mb = imageBytes / 1e6;
const rows = [
  ['', 'median (s)', 'best (s)', 'MB/s (median)', 'all runs (s)'],
  ...[
    ['hvcov', hv],
    ['hvcov --no-verify', nv],
    ['libgcov', ref],
  ].map(([label, t]) => [
    label,
    t.med.toFixed(3),
    t.best.toFixed(3),
    (mb / t.med).toFixed(1),
    t.all.map((s) => s.toFixed(3)).join(' '),
  ]),
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(
  `image:    ${relative(ROOT, IMG)}, ${mb.toFixed(1)} MB (10^6 bytes), ${objects} objects, ${counters} counters`,
);
console.log(`output:   ${cmp.files} .gcda files per tool, under ${show(OUT_ROOT)}`);
console.log(envNote);
console.log(`tools:    hvcov = node ${show(CLI)}; libgcov = ${show(REF_BIN)} (gcc-12 libgcov.a)`);
for (const r of rows)
  console.log('  ' + r.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('   '));
for (const [label, t] of [
  ['hvcov', hv],
  ['hvcov --no-verify', nv],
]) {
  const ratio = ref.med / t.med;
  console.log(
    `ratio:    ${label}/libgcov speed (medians) = ${ratio.toFixed(2)}, best times ${(ref.best / t.best).toFixed(2)} ` +
      `(${ratio >= 1 ? 'target met: at least as fast' : 'TARGET MISSED: slower'})`,
  );
}
console.log(`outputs:  ${cmp.diff === undefined ? 'byte-identical' : 'DIFFER\n' + cmp.diff}`);

if (cmp.files !== objects) console.log(`expected ${objects} files per tool, got ${cmp.files}`);
const ok = cmp.diff === undefined && cmp.files === objects;
if (!ok) console.log(`kept the trees for inspection: ${show(OUT_HV)}, ${show(OUT_NV)}, ${show(OUT_REF)}`);
if (ok && !values.keep) {
  rmSync(OUT_HV, { recursive: true, force: true });
  rmSync(OUT_NV, { recursive: true, force: true });
  rmSync(OUT_REF, { recursive: true, force: true });
  if (!values['out-root'] && OUT_ROOT !== WORK) rmSync(OUT_ROOT, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
