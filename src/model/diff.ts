/**
 * Snapshots compared: what a later image (B) of the same build covered that an earlier one
 * (A) did not, per line, branch and condition outcome, with counts as deltas (B − A).
 * Images of different builds are refused, naming each object whose stamp or checksum
 * differs; with `partial`, the objects that match are compared and the rest listed.
 */
import { InputError, hex, isInputError } from '../gcov/errors';
import { checkCompatible, parseGcda } from '../gcov/gcda-merge';
import {
  buildReport,
  type DataInput,
  type NotesInput,
  type Report,
  type ReportLine,
  type ReportOptions,
  type Totals,
} from './report';
import type { RunInput } from './runs';

/** How one object (a recorded .gcda path) of A relates to the same object of B. */
export interface ObjectMatch {
  readonly data: string;
  readonly status: 'same' | 'other-build' | 'only-a' | 'only-b';
  /** For other-build: what differs (stamp, checksum, functions). */
  readonly reason?: string;
}

/** Pairs A's and B's .gcda by recorded path and checks each pair comes from one compilation. */
export function compareBuilds(a: readonly DataInput[], b: readonly DataInput[]): ObjectMatch[] {
  const byName = new Map(b.map((d) => [d.name, d]));
  const out: ObjectMatch[] = [];
  for (const da of a) {
    const db = byName.get(da.name);
    byName.delete(da.name);
    if (!db) {
      out.push({ data: da.name, status: 'only-a' });
      continue;
    }
    try {
      const ga = parseGcda(da.bytes, da.name);
      const gb = parseGcda(db.bytes, db.name);
      if (ga.stamp !== gb.stamp || ga.checksum !== gb.checksum) {
        const sum = (g: typeof ga) => (g.checksum === undefined ? '' : `, checksum ${hex(g.checksum)}`);
        out.push({
          data: da.name,
          status: 'other-build',
          reason: `another build: A has stamp ${hex(ga.stamp)}${sum(ga)}, B has stamp ${hex(gb.stamp)}${sum(gb)}`,
        });
        continue;
      }
      checkCompatible(ga, gb);
      out.push({ data: da.name, status: 'same' });
    } catch (e) {
      if (!isInputError(e)) throw e;
      // checkCompatible names B's file first: keep only what differs
      out.push({
        data: da.name,
        status: 'other-build',
        reason: e.reason.replace(/^does not match .*?: /, ''),
      });
    }
  }
  for (const db of byName.values()) out.push({ data: db.name, status: 'only-b' });
  return out;
}

export interface BranchDelta {
  readonly a: number;
  readonly b: number;
}

export interface LineDelta {
  readonly lineNumber: number;
  readonly a: number;
  readonly b: number;
  /** b − a */
  readonly delta: number;
  /** Not executed in A, executed in B. */
  readonly onlyB: boolean;
  /** By position; a branch not reached counts 0. */
  readonly branches: readonly BranchDelta[];
  readonly branchesOnlyB: number;
  /** Condition outcomes covered in A, in B, and in B but not in A. */
  readonly conditionsA: number;
  readonly conditionsB: number;
  readonly conditionsOnlyB: number;
}

export interface FileDelta {
  readonly path: string;
  readonly lines: readonly LineDelta[];
  readonly a: Totals;
  readonly b: Totals;
  readonly onlyB: OnlyB;
}

export interface OnlyB {
  lines: number;
  branches: number;
  conditions: number;
}

export interface ReportDiff {
  readonly a: string;
  readonly b: string;
  readonly files: readonly FileDelta[];
  readonly totalsA: Totals;
  readonly totalsB: Totals;
  readonly onlyB: OnlyB;
  /** Every object and how it matched; with `partial`, the ones not `same` were left out. */
  readonly objects: readonly ObjectMatch[];
  readonly reportA: Report;
  readonly reportB: Report;
}

const ZERO_TOTALS: Totals = {
  lines: { found: 0, hit: 0 },
  functions: { found: 0, hit: 0 },
  branches: { found: 0, hit: 0 },
  conditions: { found: 0, hit: 0 },
};

const coveredOutcomes = (l: ReportLine | undefined): number =>
  l ? l.conditions.reduce((n, c) => n + c.count - c.notCoveredTrue.length - c.notCoveredFalse.length, 0) : 0;

/** Outcomes of B's conditions that are covered in B and not in A (term by term). */
function conditionsOnlyB(la: ReportLine | undefined, lb: ReportLine): number {
  let n = 0;
  lb.conditions.forEach((cb, i) => {
    const ca = la?.conditions[i];
    const missT = new Set(cb.notCoveredTrue);
    const missF = new Set(cb.notCoveredFalse);
    if (!ca || ca.count !== cb.count) {
      n += cb.count - missT.size - missF.size;
      return;
    }
    for (const t of ca.notCoveredTrue) if (!missT.has(t)) n++;
    for (const t of ca.notCoveredFalse) if (!missF.has(t)) n++;
  });
  return n;
}

function lineDelta(lineNumber: number, la: ReportLine | undefined, lb: ReportLine | undefined): LineDelta {
  const a = la?.count ?? 0;
  const b = lb?.count ?? 0;
  const n = Math.max(la?.branches.length ?? 0, lb?.branches.length ?? 0);
  const branches: BranchDelta[] = [];
  let branchesOnlyB = 0;
  for (let i = 0; i < n; i++) {
    const ba = la?.branches[i]?.count ?? 0;
    const bb = lb?.branches[i]?.count ?? 0;
    branches.push({ a: ba, b: bb });
    if (ba === 0 && bb > 0) branchesOnlyB++;
  }
  return {
    lineNumber,
    a,
    b,
    delta: b - a,
    onlyB: a === 0 && b > 0,
    branches,
    branchesOnlyB,
    conditionsA: coveredOutcomes(la),
    conditionsB: coveredOutcomes(lb),
    conditionsOnlyB: lb ? conditionsOnlyB(la, lb) : 0,
  };
}

/** B − A for two reports of the same build, file by file and line by line. */
export function diffReports(
  reportA: Report,
  reportB: Report,
  names: { a: string; b: string } = { a: 'A', b: 'B' },
  objects: readonly ObjectMatch[] = [],
): ReportDiff {
  const filesA = new Map(reportA.files.map((f) => [f.path, f]));
  const filesB = new Map(reportB.files.map((f) => [f.path, f]));
  const paths = [...new Set([...filesA.keys(), ...filesB.keys()])].sort();
  const onlyB: OnlyB = { lines: 0, branches: 0, conditions: 0 };
  const files: FileDelta[] = [];
  for (const path of paths) {
    const fa = filesA.get(path);
    const fb = filesB.get(path);
    const linesA = new Map(fa?.lines.map((l) => [l.lineNumber, l]));
    const linesB = new Map(fb?.lines.map((l) => [l.lineNumber, l]));
    const numbers = [...new Set([...linesA.keys(), ...linesB.keys()])].sort((x, y) => x - y);
    const fo: OnlyB = { lines: 0, branches: 0, conditions: 0 };
    const lines = numbers.map((n) => {
      const d = lineDelta(n, linesA.get(n), linesB.get(n));
      if (d.onlyB) fo.lines++;
      fo.branches += d.branchesOnlyB;
      fo.conditions += d.conditionsOnlyB;
      return d;
    });
    onlyB.lines += fo.lines;
    onlyB.branches += fo.branches;
    onlyB.conditions += fo.conditions;
    files.push({ path, lines, a: fa?.totals ?? ZERO_TOTALS, b: fb?.totals ?? ZERO_TOTALS, onlyB: fo });
  }
  return {
    a: names.a,
    b: names.b,
    files,
    totalsA: reportA.totals,
    totalsB: reportB.totals,
    onlyB,
    objects,
    reportA,
    reportB,
  };
}

export interface DiffOptions extends ReportOptions {
  /** Compare the objects of one build and list the others instead of refusing. */
  partial?: boolean;
}

/** Why two snapshots cannot be compared, one object per line. */
export function mismatchText(objects: readonly ObjectMatch[]): string {
  return objects
    .filter((o) => o.status !== 'same')
    .map((o) =>
      o.status === 'other-build'
        ? `${o.data}: ${o.reason}`
        : `${o.data}: only in ${o.status === 'only-a' ? 'A' : 'B'}`,
    )
    .join('; ');
}

/**
 * Compares two snapshots of the build described by `notes`. Snapshots of different builds
 * are refused (InputError, code `checksum`) unless `partial`: then only the objects whose
 * stamp and checksums match are counted in both, and `objects` lists the others.
 */
export function diffRuns(
  notes: readonly NotesInput[],
  a: RunInput,
  b: RunInput,
  opts: DiffOptions = {},
): ReportDiff {
  const objects = compareBuilds(a.data, b.data);
  const bad = objects.filter((o) => o.status !== 'same');
  if (bad.length > 0 && !opts.partial)
    throw new InputError(
      b.name,
      undefined,
      'checksum',
      `not a snapshot of the same build as ${a.name} (${bad.length} of ${objects.length} objects differ): ${mismatchText(objects)}`,
    );
  const same = new Set(objects.filter((o) => o.status === 'same').map((o) => o.data));
  const dataA = a.data.filter((d) => same.has(d.name));
  const dataB = b.data.filter((d) => same.has(d.name));
  let useNotes = [...notes];
  if (bad.length > 0) {
    // the notes of the objects left out would count as never executed in both: drop them
    const probe = buildReport(useNotes, [...a.data, ...b.data.filter((d) => !same.has(d.name))], opts);
    const left = new Set(
      probe.objects.filter((o) => o.data !== undefined && !same.has(o.data)).map((o) => o.notes),
    );
    useNotes = useNotes.filter((n) => !left.has(n.name));
  }
  return diffReports(
    buildReport(useNotes, dataA, opts),
    buildReport(useNotes, dataB, opts),
    { a: a.name, b: b.name },
    objects,
  );
}
