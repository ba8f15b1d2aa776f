/**
 * The app's session shows the engine's flow-conservation diagnostics among its warnings:
 * a real fixture's .gcda with one arc counter raised in its bytes (as in
 * flow-conservation.test.ts) gives one warning naming the .gcda, the function and the
 * block, the same text the engine gives; the unaltered file gives none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { Session } from '../../src/model/session';
import { raiseArcCounter } from '../helpers/gcda-edit';
import { fixturesRoot, type FixtureMeta } from '../helpers/fixtures';

const dir = join(fixturesRoot(), 'gcc12-x86_64-O0');
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
const gcnoBytes = new Uint8Array(readFileSync(join(dir, 'gcno', 'control.gcno')));
const gcdaBytes = new Uint8Array(readFileSync(join(dir, 'ref', meta.buildDir, 'obj', 'control.gcda')));
const gcno = readGcno(gcnoBytes, 'obj/control.gcno');

function raiseCounter(name: string, k: number, by: bigint): Uint8Array {
  return raiseArcCounter(gcno, gcdaBytes, name, k, by);
}

async function warningsFor(gcda: Uint8Array): Promise<readonly string[]> {
  const s = new Session();
  await s.add([
    { path: 'obj/control.gcno', bytes: gcnoBytes.slice() },
    { path: 'obj/control.gcda', bytes: gcda.slice() },
  ]);
  const summary = s.summary();
  expect(summary.report).toBe(true);
  return summary.warnings;
}

describe('flow-conservation diagnostics in the app', () => {
  it('lists each as a warning naming the .gcda, the function and the block', async () => {
    const altered = raiseCounter('hypercall', 2, 1000n);
    // what the engine says about the same bytes
    const flow = computeCoverage(gcno, readGcda(altered, 'obj/control.gcda'), 'obj/control.gcda').flow;
    expect(flow).toHaveLength(1);
    const warnings = await warningsFor(altered);
    expect(warnings.filter((w) => w === flow[0]!.message)).toHaveLength(1);
    expect(flow[0]!.message).toMatch(/^obj\/control\.gcda: function 'hypercall': .*block \d+/);
  });

  it('gives none for the unaltered .gcda', async () => {
    const warnings = await warningsFor(gcdaBytes);
    expect(warnings.filter((w) => w.includes('control.gcda: function'))).toEqual([]);
  });
});
