#!/usr/bin/env node
// Memory benchmark: peak memory of `hvcov report --gcov-json` against the size of its input
// as a build grows. A small program cannot show it: a bare Node process already takes about
// 40 MB. So the objects of the Tcl benchmark program (bench/large-program-multi.sh, 163
// objects, 10.6 MB of .gcno/.gcda) are copied N times into one tree on tmpfs (c1/ ... cN/),
// a build of N × 163 objects, and both tools report on that tree in one run:
//
//   hvcov      node bin/hvcov.cjs report --build TREE --gcda TREE --gcov-json FILE
//   hvcov-all  the same with --lcov, --cobertura and --summary too: the merged report model
//   gcov       gcov-12 --json-format --branch-probabilities on every object (peak for reference)
//
// It prints wall time and peak resident memory (/usr/bin/time -v) of each, the input size
// and the ratios; the target is hvcov's peak under twice the input. It checks that hvcov wrote
// the same JSON for every copy (the lines of copy K are those of copy 1 with cK/ for c1/), and
// that hvcov-all wrote the same JSON as hvcov. Exit status 1 when they differ, 2 on errors.
//
//   node bench/memory-bench.mjs [--copies N (12)] [--runs N (3)] [--no-build] [--keep-env]
//
// The tools run without NODE_EXTRA_CA_CERTS unless --keep-env (see node-env.mjs).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchEnv } from './node-env.mjs';
import { dieAs, sh } from './shell.mjs';

const die = dieAs('memory-bench');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    copies: { type: 'string', default: '12' },
    runs: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    'keep-env': { type: 'boolean', default: false },
  },
});
const copies = Number(values.copies);
const runs = Number(values.runs);
if (![copies, runs].every((x) => Number.isInteger(x) && x >= 1))
  die('--copies and --runs take whole numbers >= 1');
const GCOV = process.env.GCOV ?? 'gcov-12';
const TIME = '/usr/bin/time';

if (!existsSync(TIME)) die(`${TIME} is missing (apt-get install time)`);
if (!values['no-build'] && sh('npm', ['run', '--silent', 'build:cli'], { cwd: root }).status !== 0)
  die('npm run build:cli failed');

// 1. The program (idempotent), then N copies of its objects.
const prog = sh('bash', [join(root, 'bench/large-program-multi.sh')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (prog.status !== 0) die('bench/large-program-multi.sh failed');
const objDir = prog.stdout.trim().split('\n').at(-1);
const objects = readdirSync(objDir).filter((f) => f.endsWith('.gcno') || f.endsWith('.gcda'));
const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const work = join(base, `hvcov-memory-bench-${process.pid}`);
const tree = join(work, 'tree');
let inputBytes = 0;
const gcnos = [];
for (let c = 1; c <= copies; c++) {
  const dir = join(tree, `c${c}`);
  mkdirSync(dir, { recursive: true });
  for (const f of objects) {
    copyFileSync(join(objDir, f), join(dir, f));
    inputBytes += statSync(join(dir, f)).size;
    if (f.endsWith('.gcno')) gcnos.push(join(dir, f));
  }
}

// 2. The runs, alternately.
const { env, note } = benchEnv(values['keep-env']);
// hvcov's report on the tree, its gcov JSON in OUT/hvcov.json, with `more` options
const hvcovReport = (out, more = []) => ({
  argv: ['node', join(root, 'bin/hvcov.cjs'), 'report', '--build', tree, '--gcda', tree].concat([
    '--gcov-json',
    join(out, 'hvcov.json'),
    ...more,
  ]),
  cwd: root,
});
const tools = {
  hvcov: (out) => hvcovReport(out),
  // every output at once: the merged report model (files, directories, each object's document
  // kept packed), not the object-by-object gcov JSON path
  'hvcov-all': (out) =>
    hvcovReport(out, ['--lcov', join(out, 'hvcov.info'), '--cobertura', join(out, 'hvcov.xml'), '--summary']),
  // gcov names each output after the object's base name, so the copies overwrite one another's
  // JSON: its peak memory is what is compared, not its output
  gcov: (out) => ({ argv: [GCOV, '--json-format', '--branch-probabilities', ...gcnos], cwd: out }),
};
const results = { hvcov: [], 'hvcov-all': [], gcov: [] };
try {
  for (let i = 0; i < runs; i++)
    for (const name of Object.keys(tools)) {
      const out = join(work, name);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const { argv, cwd } = tools[name](out);
      const t0 = process.hrtime.bigint();
      const p = sh(TIME, ['-v', ...argv], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr);
      if (p.status !== 0 || !m)
        die(`${name} failed (status ${p.status}): ${argv.join(' ')}\n${p.stderr.slice(-2000)}`);
      results[name].push({ secs, rss: Number(m[1]) * 1024 });
    }
  const nodeFloor =
    Number(
      /Maximum resident set size \(kbytes\): (\d+)/.exec(
        sh(TIME, ['-v', 'node', '-e', '0'], { env }).stderr,
      )?.[1] ?? 0,
    ) * 1024;

  // 3. hvcov's JSON: every copy the same as the first.
  const lines = readFileSync(join(work, 'hvcov', 'hvcov.json'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const byCopy = new Map();
  for (const l of lines) {
    const c = /"data_file":"c(\d+)\//.exec(l)?.[1];
    if (c === undefined) die('a JSON line without a cN/ data_file');
    byCopy.set(c, [...(byCopy.get(c) ?? []), l.replaceAll(`"c${c}/`, '"c1/')]);
  }
  const first = byCopy.get('1') ?? [];
  // the merged model's gcov JSON: the same text as the object-by-object path's
  const sameAll = readFileSync(join(work, 'hvcov-all', 'hvcov.json')).equals(
    readFileSync(join(work, 'hvcov', 'hvcov.json')),
  );
  const differ = [...byCopy].filter(([, ls]) => ls.join('\n') !== first.join('\n')).map(([c]) => c);

  // 4. Table.
  const MB = (b) => (b / 1e6).toFixed(1);
  const peak = (n) => Math.max(...results[n].map((r) => r.rss));
  const best = (n) => Math.min(...results[n].map((r) => r.secs));
  console.log('');
  console.log(
    `input:    ${copies} copies of Tcl 8.6.13's objects (bench/large-program-multi.sh): ${gcnos.length} .gcno, ${MB(inputBytes)} MB of .gcno/.gcda`,
  );
  console.log(note);
  console.log(`node:     ${MB(nodeFloor)} MB peak RSS for \`node -e 0\``);
  console.log('');
  console.log('tool       best s   peak RSS MB   peak / input   runs (s)');
  for (const n of ['hvcov', 'hvcov-all', 'gcov'])
    console.log(
      `${n.padEnd(9)} ${best(n).toFixed(2).padStart(7)}   ${MB(peak(n)).padStart(11)}   ${(peak(n) / inputBytes).toFixed(2).padStart(12)}   ${results[n].map((r) => r.secs.toFixed(2)).join(' ')}`,
    );
  console.log('');
  const met = peak('hvcov') < 2 * inputBytes;
  console.log(
    `${met ? 'met    ' : 'NOT met'}  peak memory < 2x input: ${MB(peak('hvcov'))} MB = ${(peak('hvcov') / inputBytes).toFixed(2)}x input of ${MB(inputBytes)} MB`,
  );
  const metAll = peak('hvcov-all') < 2 * inputBytes;
  console.log(
    `${metAll ? 'met    ' : 'NOT met'}  with every output (--gcov-json --lcov --cobertura --summary): ${MB(peak('hvcov-all'))} MB = ${(peak('hvcov-all') / inputBytes).toFixed(2)}x input`,
  );
  console.log(
    `speed    hvcov ${(best('gcov') / best('hvcov')).toFixed(2)}x gcov's (best times; gcov in one process for all objects)`,
  );
  console.log(
    differ.length === 0 && byCopy.size === copies
      ? `output:   the same gcov JSON for all ${copies} copies (${first.length} objects each)`
      : `output:   DIFFERS: copies ${differ.join(', ') || '(missing)'} differ from copy 1 (${byCopy.size} copies written)`,
  );
  console.log(
    sameAll
      ? 'output:   hvcov-all wrote the same gcov JSON as hvcov'
      : 'output:   DIFFERS: hvcov-all wrote other gcov JSON than hvcov',
  );
  process.exitCode = differ.length === 0 && byCopy.size === copies && sameAll ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
