/**
 * The loops of one line (gcov's count of a line made of several blocks adds the elementary
 * circuits through them): a hostile graph with exponentially many circuits on one line is an
 * InputError, quickly, not a hang. The counts of real loops on one line are checked against
 * gcov by the conformance tests (test/fixtures/engine/edge.c, SQLite, Tcl, Lua).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import type { Gcda } from '../../src/gcov/gcda-reader';
import { readGcno, type Gcno, type GcnoFunction } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { fixturesRoot } from '../helpers/fixtures';

const real = readGcno(
  new Uint8Array(readFileSync(join(fixturesRoot(), 'gcc12-x86_64-O0', 'gcno', 'control.gcno'))),
  'x.gcno',
);

/**
 * One function of ENTRY (0), EXIT (1) and k blocks (2..k+1), all on line 5: ENTRY to block 2,
 * the last to EXIT, and between the blocks every arc both ways. Every arc is measured and
 * counts 1.
 */
function lineOfBlocks(k: number): { gcno: Gcno; gcda: Gcda } {
  const arcs: number[] = [0, 2, 0];
  for (let i = 2; i < k + 2; i++) for (let j = 2; j < k + 2; j++) if (i !== j) arcs.push(i, j, 0);
  arcs.push(k + 1, 1, 0);
  const n = k + 2;
  const lineStart = new Uint32Array(n + 1);
  const table: number[] = [];
  for (let b = 0; b < n; b++) {
    lineStart[b] = table.length;
    if (b >= 2) table.push(0, 1, 5);
  }
  lineStart[n] = table.length;
  const fn: GcnoFunction = {
    ident: 1,
    linenoChecksum: 2,
    cfgChecksum: 3,
    name: 'loops',
    artificial: false,
    source: 'x.c',
    startLine: 4,
    startColumn: 1,
    endLine: 6,
    endColumn: 1,
    blockCount: n,
    arcs: Uint32Array.from(arcs),
    lineStart,
    lineTable: Uint32Array.from(table),
    lineFiles: ['x.c'],
    conditions: [],
    paths: 0,
  };
  const gcno: Gcno = { ...real, functions: [fn], sources: ['x.c'] };
  const gcda: Gcda = {
    version: real.version,
    format: real.format,
    little: real.little,
    stamp: real.stamp,
    checksum: real.checksum,
    runs: 1,
    sumMax: 1n,
    functions: new Map([
      [
        1,
        {
          ident: 1,
          linenoChecksum: 2,
          cfgChecksum: 3,
          counters: new Map([[0, arcs.map(() => 1n).slice(0, arcs.length / 3)]]),
        },
      ],
    ]),
  };
  return { gcno, gcda };
}

describe('loops on one line', () => {
  it('refuses exponentially many circuits with an InputError (the test timeout catches a hang)', () => {
    const { gcno, gcda } = lineOfBlocks(14);
    let error: unknown;
    try {
      computeCoverage(gcno, gcda, 'x.gcda');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('limit');
    expect((error as Error).message).toMatch(/too many loops on one line/);
  });
});
