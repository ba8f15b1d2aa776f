/**
 * `hvcov merge` against the real `gcov-tool merge` of each compiler, on freshly built
 * fixtures and a second run of the same program with another workload (HV_ENTRY_CPUS):
 * the merged .gcda are byte-identical to gcov-tool's. gcov-tool writes in the byte order
 * of the host it runs on, we keep the files' own (the target's), so a big-endian target's
 * files are compared with gcov-tool's words swapped. gcov-tool misreads placeholder
 * FUNCTION records (it takes the next record's words for ident and checksums); files that
 * have one are compared with libgcov's own merge at the end of a second run instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { parseGcda } from '../../src/gcov/gcda-merge';
import { firstDifference } from '../helpers/compare';
import { loadFixture, walkFiles, type Fixture } from '../helpers/fixtures';

/** Every fixture config. */
const MERGED = [
  'gcc9-x86_64-O0',
  'gcc9-x86_64-O2-values',
  'gcc10-x86_64-O2',
  'gcc10-x86_64-O2-values',
  'gcc11-x86_64-O0',
  'gcc12-x86_64-O0',
  'gcc12-x86_64-O2-values',
  'gcc13-x86_64-O2',
  'gcc14-x86_64-O0-cond',
  'gcc15-x86_64-O2',
  'gcc12-aarch64-O2',
  'gcc12-armhf-O0',
  'gcc12-powerpc-O2',
  'gcc12-s390x-O0',
];

const QEMU: Record<string, string> = {
  aarch64: 'qemu-aarch64',
  armhf: 'qemu-arm',
  powerpc: 'qemu-ppc',
  s390x: 'qemu-s390x',
};

/** Runs the fixture program again; its .gcda land under prefix (libgcov merges with what is there). */
function runProgram(fx: Fixture, prefix: string, image: string, cpus?: string): void {
  const qemu = QEMU[fx.meta.target];
  const elf = join(fx.dir, 'hv.elf');
  const [cmd, args] = qemu ? [qemu, ['-L', `/usr/${fx.meta.triplet}`, elf, image]] : [elf, [image]];
  const env: NodeJS.ProcessEnv = { ...process.env, GCOV_PREFIX: prefix, GCOV_PREFIX_STRIP: '0' };
  if (cpus) env.HV_ENTRY_CPUS = cpus;
  else delete env.HV_ENTRY_CPUS;
  execFileSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

const gcovTool = (fx: Fixture): string => fx.meta.gcov.replace(/gcov-(\d+)$/, 'gcov-tool-$1');

/** Files of a tree by path relative to it. */
function tree(dir: string): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>();
  for (const f of walkFiles(dir)) m.set(relative(dir, f), new Uint8Array(readFileSync(f)));
  return m;
}

function swapWords(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i += 4) for (let k = 0; k < 4; k++) out[i + k] = b[i + 3 - k]!;
  return out;
}

function expectSameTree(ours: Map<string, Uint8Array>, theirs: Map<string, Uint8Array>, what: string): void {
  expect(theirs.size, what).toBeGreaterThan(0);
  expect([...ours.keys()].sort(), what).toEqual([...theirs.keys()].sort());
  for (const [p, want] of theirs) {
    const got = ours.get(p)!;
    const at = firstDifference(got, want);
    expect(at, `${what}: ${p} differs at byte ${at}`).toBe(-1);
  }
}

async function hvcov(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe.each(MERGED)('%s', (config) => {
  const fx = loadFixture(config);
  const work = mkdtempSync(join(tmpdir(), `hvcov-merge-${config}-`));
  const objRel = relative('/', join(fx.meta.buildDir, 'obj'));
  const refRoot = join(fx.dir, 'ref');
  const refObj = join(refRoot, objRel);
  const run2Root = join(work, 'run2');
  const run2Obj = join(run2Root, objRel);
  const image2 = join(work, 'image2.bin');
  runProgram(fx, run2Root, image2, '3 0 2');
  // a run that never reaches CPU 0's script: most counters zero, TOPN lists empty or short
  const run3Root = join(work, 'run3');
  const run3Obj = join(run3Root, objRel);
  runProgram(fx, run3Root, join(work, 'image3.bin'), '1 2');
  const big = fx.meta.endian === 'big';

  /** gcov-tool merge of the obj trees, in our byte order; placeholder files left out. */
  function gcovToolMerge(dirs: string[], name: string): Map<string, Uint8Array> {
    let acc = dirs[0]!;
    for (let i = 1; i < dirs.length; i++) {
      const out = join(work, `${name}-gt${i}`);
      rmSync(out, { recursive: true, force: true });
      execFileSync(gcovTool(fx), ['merge', '-o', out, acc, dirs[i]!], { stdio: ['ignore', 'pipe', 'pipe'] });
      acc = out;
    }
    const m = new Map<string, Uint8Array>();
    for (const [p, b] of tree(acc)) m.set(p, big ? swapWords(b) : b);
    return m;
  }

  /** hvcov merge of the inputs; paths made relative to the obj directory. */
  async function ours(
    inputs: string[],
    name: string,
  ): Promise<{ files: Map<string, Uint8Array>; text: string }> {
    const out = join(work, `${name}-hv`);
    rmSync(out, { recursive: true, force: true });
    const { code, text } = await hvcov(['merge', ...inputs, '--out', out]);
    expect(code, text).toBe(0);
    return { files: tree(join(out, objRel)), text };
  }

  /** Files with a placeholder record, which gcov-tool misreads (the C++ COMDAT configs only). */
  const placeholders = [...fx.ref]
    .filter(([p, b]) => parseGcda(b, p).functions.some((f) => f === null))
    .map(([p]) => relative(join('/', objRel), p));
  const withoutPlaceholders = (m: Map<string, Uint8Array>): Map<string, Uint8Array> =>
    new Map([...m].filter(([p]) => !placeholders.includes(p)));

  it('has placeholder records exactly in the configs with the C++ COMDAT pair', () => {
    expect(placeholders.length > 0).toBe(fx.meta.cxx);
  });

  it('the second run is another workload of the same build', () => {
    const a = tree(refObj);
    const b = tree(run2Obj);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect([...a].some(([p, bytes]) => firstDifference(bytes, b.get(p)!) >= 0)).toBe(true);
  });

  it('merges a run with itself as gcov-tool does, and warns', async () => {
    const { files, text } = await ours([refRoot, refRoot], 'aa');
    expect(text).toMatch(/the same run given twice/);
    expectSameTree(
      withoutPlaceholders(files),
      withoutPlaceholders(gcovToolMerge([refObj, refObj], 'aa')),
      'A+A',
    );
  });

  it('merges two different runs, in both orders, as gcov-tool does', async () => {
    const ab = await ours([refRoot, run2Root], 'ab');
    expect(ab.text).not.toMatch(/warning/);
    expectSameTree(
      withoutPlaceholders(ab.files),
      withoutPlaceholders(gcovToolMerge([refObj, run2Obj], 'ab')),
      'A+B',
    );
    const ba = await ours([run2Root, refRoot], 'ba');
    expectSameTree(
      withoutPlaceholders(ba.files),
      withoutPlaceholders(gcovToolMerge([run2Obj, refObj], 'ba')),
      'B+A',
    );
  });

  it('merges a nearly empty run with a full one, in both orders, as gcov-tool does', async () => {
    const ca = await ours([run3Root, refRoot], 'ca');
    expectSameTree(
      withoutPlaceholders(ca.files),
      withoutPlaceholders(gcovToolMerge([run3Obj, refObj], 'ca')),
      'C+A',
    );
    const ac = await ours([refRoot, run3Root], 'ac');
    expectSameTree(
      withoutPlaceholders(ac.files),
      withoutPlaceholders(gcovToolMerge([refObj, run3Obj], 'ac')),
      'A+C',
    );
  });

  it('merges core images and .gcda trees alike, three runs as two gcov-tool merges', async () => {
    const { files } = await ours([join(fx.dir, 'image.bin'), run2Root, image2], 'abb');
    expectSameTree(
      withoutPlaceholders(files),
      withoutPlaceholders(gcovToolMerge([refObj, run2Obj, run2Obj], 'abb')),
      'image A + tree B + image B',
    );
  });
});

/** GCC 11+: gcov-tool adds runs and sum_max as libgcov does (GCC 9/10 gcov-tool rewrites them). */
const LIBGCOV_SUMMARY = MERGED.filter((c) => !/^gcc(9|10)-/.test(c));

describe.each(LIBGCOV_SUMMARY)('%s', (config) => {
  const fx = loadFixture(config);
  const objRel = relative('/', join(fx.meta.buildDir, 'obj'));

  it("equals libgcov's own merge when the program runs again over the first run's files", async () => {
    const work = mkdtempSync(join(tmpdir(), `hvcov-merge-${config}-`));
    const prefix = join(work, 'twice');
    const run2Root = join(work, 'run2');
    runProgram(fx, run2Root, join(work, 'img-2.bin'), '3 0 2');
    runProgram(fx, prefix, join(work, 'img-a.bin'));
    runProgram(fx, prefix, join(work, 'img-b.bin'), '3 0 2');
    // libgcov merges the file (first run) into the running program (second run)
    const out = join(work, 'hv');
    const { code, text } = await hvcov(['merge', run2Root, join(fx.dir, 'ref'), '--out', out]);
    expect(code, text).toBe(0);
    expectSameTree(tree(join(out, objRel)), tree(join(prefix, objRel)), 'libgcov merge');
  });
});
