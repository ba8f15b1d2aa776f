/**
 * Coverage-guided fuzzer for hvcov's parsers (bundled by scripts/fuzz.sh, run by Node).
 *
 * The main thread runs one worker per target and watches it: the worker publishes each
 * input in shared memory before running it, so an input that never returns (a hang) or
 * exhausts the worker's heap is caught, recorded and the worker restarted with the corpus
 * so far. The worker measures V8 block coverage (node:inspector, precise coverage with
 * block counts) of the code under test after every input and keeps the inputs that reach
 * a new block or a new hit-count bucket of one.
 *
 * A failure is: an exception other than InputError, a broken invariant (InvariantError),
 * an input that takes longer than SLOW_MS (twice), or heap growth during one input beyond
 * MEMORY_BOUND(input length).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { isInputError } from '../../src/gcov/errors';
import { mutate, Rng } from './mutate';
import { committedCorpus, MEMORY_BOUND, SLOW_MS } from './bounds';
import { TARGETS } from './targets';

/** No progress for this long: the worker is stopped and the input recorded as a hang. */
const HANG_MS = 30_000;
/** The worker's old-generation heap: beyond it, the input is an out-of-memory failure. */
const WORKER_HEAP_MB = 1024;
const MAX_INPUT = 1 << 20;
/** Inputs run between two coverage checks. */
const BATCH = 16;

interface WorkerInit {
  target: string;
  root: string;
  seconds: number;
  seed: number;
  shared: SharedArrayBuffer;
  extra: Uint8Array[];
  known: string[];
  /** Inputs that stopped an earlier worker: not run again. */
  stoppers: Uint8Array[];
}

type FromWorker =
  | { type: 'new'; input: Uint8Array }
  | { type: 'failure'; key: string; message: string; input: Uint8Array }
  | { type: 'done'; execs: number; newInputs: number; corpus: number };

// --- worker ----------------------------------------------------------------------------------

/** Byte ranges of the bundle that hold code under test (src/, fflate), from esbuild's module comments. */
function regionsUnderTest(bundle: string): [number, number][] {
  const out: [number, number][] = [];
  const marker = /^\/\/ (\S+)$/gm;
  let open: number | undefined;
  for (let m = marker.exec(bundle); m; m = marker.exec(bundle)) {
    if (open !== undefined) out.push([open, m.index]);
    open = /^(src\/|node_modules\/fflate\/)/.test(m[1]!) ? m.index : undefined;
  }
  if (open !== undefined) out.push([open, bundle.length]);
  return out;
}

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

/** AFL-style hit-count buckets: a block hit 1, 2, 3, 4-7, ... times are different features. */
const bucket = (c: number): number => (c < 4 ? c : c < 8 ? 4 : c < 16 ? 5 : c < 32 ? 6 : c < 128 ? 7 : 8);

async function workerMain(init: WorkerInit): Promise<void> {
  const target = TARGETS.find((t) => t.name === init.target)!;
  const self = import.meta.url;
  const regions = regionsUnderTest(readFileSync(fileURLToPath(self), 'utf8'));
  const inRegion = (o: number): boolean => {
    let lo = 0;
    let hi = regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = regions[mid]!;
      if (o < s) hi = mid - 1;
      else if (o >= e) lo = mid + 1;
      else return true;
    }
    return false;
  };
  const session = new Session();
  session.connect();
  // a session on the worker's own thread answers synchronously
  const post = (method: string, params?: object): unknown => {
    let out: unknown;
    let err: Error | null = null;
    session.post(method, params ?? {}, (e, r) => {
      err = e;
      out = r;
    });
    if (err) throw err;
    return out;
  };
  post('Profiler.enable');
  post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const features = new Set<number>();
  const scriptRanges = (): CoverageRange[][] => {
    const res = post('Profiler.takePreciseCoverage') as {
      result: { url: string; functions: { ranges: CoverageRange[] }[] }[];
    };
    return res.result.filter((s) => s.url === self).flatMap((s) => s.functions.map((f) => f.ranges));
  };
  /**
   * Features the inputs since the last call reached that none reached before, added to the set:
   * a block reached (startOffset * 16 + 15) and its hit-count bucket (startOffset * 16 + bucket).
   */
  const newFeatures = (): number => {
    let fresh = 0;
    for (const ranges of scriptRanges())
      for (const r of ranges) {
        if (r.count === 0 || !inRegion(r.startOffset)) continue;
        for (const f of [r.startOffset * 16 + 15, r.startOffset * 16 + bucket(r.count)])
          if (!features.has(f)) {
            features.add(f);
            fresh++;
          }
      }
    return fresh;
  };
  /** Whether the inputs since the last call, together, reached a block no input reached before. */
  const newBlocks = (): boolean => {
    for (const ranges of scriptRanges())
      for (const r of ranges)
        if (r.count > 0 && inRegion(r.startOffset) && !features.has(r.startOffset * 16 + 15)) return true;
    return false;
  };

  const counter = new Int32Array(init.shared, 0, 2);
  const bytes = new Uint8Array(init.shared, 8);
  const known = new Set(init.known);
  const send = (m: FromWorker): void => parentPort!.postMessage(m);
  const failure = (key: string, message: string, input: Uint8Array): void => {
    if (known.has(key)) return;
    known.add(key);
    send({ type: 'failure', key, message, input });
  };

  const runOnce = async (input: Uint8Array): Promise<{ ms: number; heap: number; error?: unknown }> => {
    const heap0 = getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    let error: unknown;
    try {
      const r = target.run(input);
      if (r instanceof Promise) await r;
    } catch (e) {
      if (!isInputError(e)) error = e ?? new Error(String(e));
    }
    const ms = performance.now() - t0;
    const heap = getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers - heap0;
    return { ms, heap, error };
  };

  let execs = 0;
  let runMs = 0;
  let covMs = 0;
  /** Runs one input and reports a failure; coverage is left for the caller to take. */
  const exec = async (input: Uint8Array): Promise<void> => {
    bytes.set(input);
    Atomics.store(counter, 1, input.length);
    Atomics.add(counter, 0, 1);
    execs++;
    const r = await runOnce(input);
    runMs += r.ms;
    if (r.error !== undefined) {
      const e = r.error as Error;
      failure(failureKey(e), `${e.name}: ${e.message}\n${e.stack ?? ''}`, input);
    } else if (r.ms > SLOW_MS && (await runOnce(input)).ms > SLOW_MS) {
      failure('slow', `took ${Math.round(r.ms)} ms (bound ${SLOW_MS} ms) on ${input.length} bytes`, input);
    } else if (r.heap > MEMORY_BOUND(input.length)) {
      failure(
        'memory',
        `heap grew ${(r.heap / 2 ** 20).toFixed(1)} MiB on ${input.length} bytes (bound ${(MEMORY_BOUND(input.length) / 2 ** 20).toFixed(1)} MiB)`,
        input,
      );
    }
  };
  const timed = <T>(f: () => T): T => {
    const t = performance.now();
    const v = f();
    covMs += performance.now() - t;
    return v;
  };
  /** Runs one input; true when it reached something new. */
  const execOne = async (input: Uint8Array): Promise<boolean> => {
    await exec(input);
    return timed(newFeatures) > 0;
  };

  const corpus: Uint8Array[] = [];
  let newInputs = 0;
  const start = Date.now();
  const deadline = start + init.seconds * 1000;
  newFeatures(); // drop what loading counted
  for (const s of [
    ...target.seeds(init.root),
    ...committedCorpus(init.root, target.name).map((c) => c.bytes),
    ...init.extra,
  ]) {
    if (s.length > MAX_INPUT || init.stoppers.some((h) => sameBytes(h, s))) continue;
    if (await execOne(s)) corpus.push(s);
  }
  if (corpus.length === 0) corpus.push(new Uint8Array(0));
  const rng = new Rng(init.seed);
  // Taking coverage costs more than most inputs: inputs run in batches, and only a batch
  // that reached a new block runs again one input at a time (then hit counts count too).
  const batch: Uint8Array[] = [];
  while (Date.now() < deadline) {
    batch.length = 0;
    while (batch.length < BATCH) {
      const base = corpus[rng.below(corpus.length)]!;
      const input = mutate(base, rng, corpus[rng.below(corpus.length)]);
      if (input.length <= MAX_INPUT) batch.push(input);
    }
    for (const input of batch) await exec(input);
    if (!timed(newBlocks)) continue;
    for (const input of batch)
      if (await execOne(input)) {
        corpus.push(input);
        newInputs++;
        send({ type: 'new', input });
      }
  }
  session.disconnect();
  if (process.env.HVCOV_FUZZ_VERBOSE)
    console.log(
      `${init.target}: ${runMs.toFixed(0)} ms in the target, ${covMs.toFixed(0)} ms taking coverage`,
    );
  send({ type: 'done', execs, newInputs, corpus: corpus.length });
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** One failure per exception kind and place: the message without numbers, and the top frame. */
function failureKey(e: Error): string {
  const msg = String(e.message)
    .replace(/0x[0-9a-f]+|\d+/gi, 'N')
    .slice(0, 120);
  if (e.name === 'InvariantError') return `${e.name}: ${msg.replace(/".*"/, 'S')}`;
  const frame = /\n\s+at (?:.*?\()?(.*?):(\d+):\d+\)?/.exec(e.stack ?? '');
  return `${e.name}: ${msg} @${frame ? frame[2] : '?'}`;
}

// --- main ------------------------------------------------------------------------------------

interface TargetReport {
  name: string;
  execs: number;
  newInputs: number;
  corpus: number;
  failures: { key: string; message: string; file: string }[];
}

async function fuzzTarget(name: string, seconds: number, seed: number, out: string): Promise<TargetReport> {
  const report: TargetReport = { name, execs: 0, newInputs: 0, corpus: 0, failures: [] };
  const extra: Uint8Array[] = [];
  const stoppers: Uint8Array[] = [];
  const end = Date.now() + seconds * 1000;
  const shared = new SharedArrayBuffer(8 + MAX_INPUT);
  const counter = new Int32Array(shared, 0, 2);
  const record = (key: string, message: string, input: Uint8Array): void => {
    if (report.failures.some((f) => f.key === key)) return;
    const dir = join(out, 'crashes', name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${createHash('sha1').update(input).digest('hex').slice(0, 16)}.bin`);
    writeFileSync(file, input);
    writeFileSync(file.replace(/\.bin$/, '.txt'), `${key}\n${message}\n`);
    report.failures.push({ key, message, file });
  };
  for (let round = 0; ; round++) {
    const left = Math.max(1, Math.ceil((end - Date.now()) / 1000));
    if (round > 0 && Date.now() >= end) break;
    const init: WorkerInit = {
      target: name,
      root: process.cwd(),
      seconds: left,
      seed: seed + round,
      shared,
      extra,
      known: report.failures.map((f) => f.key),
      stoppers,
    };
    const w = new Worker(new URL(import.meta.url), {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const current = (): Uint8Array => new Uint8Array(shared, 8, Atomics.load(counter, 1)).slice();
    const finished = await new Promise<'done' | 'restart'>((resolve) => {
      let last = Atomics.load(counter, 0);
      let lastChange = Date.now();
      let settled = false;
      const settle = (v: 'done' | 'restart'): void => {
        if (settled) return;
        settled = true;
        clearInterval(watch);
        resolve(v);
      };
      const watch = setInterval(() => {
        const now = Atomics.load(counter, 0);
        if (now !== last) [last, lastChange] = [now, Date.now()];
        else if (Date.now() - lastChange > HANG_MS && now > 0) {
          stoppers.push(current());
          record('hang', `no result after ${HANG_MS} ms`, current());
          void w.terminate();
          settle('restart');
        }
      }, 250);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'new') {
          extra.push(m.input);
          report.newInputs++;
        } else if (m.type === 'failure') record(m.key, m.message, m.input);
        else {
          report.execs += m.execs;
          report.corpus = m.corpus;
          settle('done');
        }
      });
      w.on('error', (e: Error & { code?: string }) => {
        stoppers.push(current());
        record(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : `worker: ${e.message}`,
          String(e.stack),
          current(),
        );
        settle('restart');
      });
      w.on('exit', () => settle('restart'));
    });
    if (finished === 'restart') report.execs += Atomics.load(counter, 0);
    Atomics.store(counter, 0, 0);
    if (finished === 'done') break;
  }
  const dir = join(out, 'corpus', name);
  mkdirSync(dir, { recursive: true });
  for (const input of extra)
    writeFileSync(join(dir, `${createHash('sha1').update(input).digest('hex').slice(0, 16)}.bin`), input);
  return report;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let seconds = 60;
  let seed = Date.now() & 0x7fffffff;
  let out = 'build/fuzz';
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--seconds') seconds = Number(args[++i]);
    else if (a === '--seed') seed = Number(args[++i]);
    else if (a === '--out') out = args[++i]!;
    else names.push(a);
  }
  const chosen = names.length > 0 ? names : TARGETS.map((t) => t.name);
  for (const n of chosen)
    if (!TARGETS.some((t) => t.name === n)) {
      console.error(`unknown target ${n} (targets: ${TARGETS.map((t) => t.name).join(', ')})`);
      process.exit(2);
    }
  console.log(`fuzzing ${chosen.join(', ')} for ${seconds} s each (seed ${seed})`);
  const reports: TargetReport[] = [];
  for (const n of chosen) {
    const r = await fuzzTarget(n, seconds, seed, out);
    reports.push(r);
    console.log(
      `${n.padEnd(8)} executions ${String(r.execs).padStart(8)}  new-coverage inputs ${String(r.newInputs).padStart(5)}  corpus ${String(r.corpus).padStart(5)}  distinct failures ${r.failures.length}`,
    );
    for (const f of r.failures)
      console.log(`  FAIL ${f.key}\n       ${f.file}\n       ${f.message.split('\n')[0]}`);
  }
  process.exit(reports.some((r) => r.failures.length > 0) ? 1 : 0);
}

if (isMainThread) void main();
else void workerMain(workerData as WorkerInit);
