/**
 * `report --gcov-json` from two threads when a build has several objects. Objects are
 * independent: the main thread and one worker each read a share of the notes files (taken
 * one at a time from a shared counter, so the faster thread takes more), the main thread
 * pairs them with the data once, as streamGcovJson does, and each thread then solves and
 * writes the objects it read. Lines reach the file in input order, and the problems come in
 * streamGcovJson's order: the output is the same bytes whichever thread did what.
 *
 * The worker is a helper, never a dependency: if it starts too late to take any notes it is
 * stopped, and if it fails, the main thread does the objects it had not sent.
 */
import { once } from 'node:events';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { InputError, isInputError, type ProblemCode } from '../gcov/errors';
import { readGcno, type Gcno } from '../gcov/gcno';
import { newPrimePathPool } from '../gcov/prime-paths';
import {
  writeObjectGcovJson,
  type GcovJsonStreamResult,
  type ObjectGcovJson,
} from '../model/gcov-json-stream';
import { JsonBytes, type ByteSink } from '../model/json-bytes';
import {
  notesChecksum,
  pairReadNotes,
  readDataFiles,
  type DataInput,
  type NotesInput,
  type ReadNotes,
  type ReportOptions,
} from '../model/report';
import { coreIsFree } from './cores';
import { fileSystemPathExists } from './path-exists';

/** Notes bytes from which a second thread pays for its start (~0.1 s of CPU: isolate and bundle). */
const TWO_THREADS_MIN = 2 << 20;

/** The control words shared by both threads. */
const NEXT = 0; // the next notes file to read
const STATE = 1; // the worker's: BOOTING until it takes notes, CLOSED if the main thread was done first
const BOOTING = 0;
const READING = 1;
const CLOSED = 2;

interface PlainError {
  file: string;
  offset: number | undefined;
  code: ProblemCode;
  reason: string;
}
const plain = (e: InputError): PlainError => ({
  file: e.file,
  offset: e.offset,
  code: e.code,
  reason: e.reason,
});
const revive = (p: PlainError) => new InputError(p.file, p.offset, p.code, p.reason);

interface ThreadData {
  kind: 'gcov-json';
  bundle: string;
  notes: SharedArrayBuffer;
  /** Start of each notes file in `notes`, and the end of the last. */
  starts: number[];
  names: string[];
  ctl: SharedArrayBuffer;
  port: MessagePort;
  sourceRoot: string | undefined;
}

type FromWorker =
  | {
      kind: 'read';
      read: { i: number; stamp: number; checksum: number | undefined }[];
      failed: { i: number; error: PlainError }[];
    }
  | {
      kind: 'object';
      i: number;
      written: boolean;
      bytes: Uint8Array;
      problems: PlainError[];
      flow: PlainError[];
      sources: string[];
    }
  | { kind: 'fail'; message: string };

interface Work {
  kind: 'work';
  objects: { i: number; data: { name: string; bytes: Uint8Array } | undefined }[];
}

/** Whether this report may use a second thread (see TWO_THREADS_MIN and coreIsFree). */
export function twoThreadsPay(notes: readonly NotesInput[], opts: ReportOptions): boolean {
  // prime paths share one budget across objects; a demangler cannot cross threads
  if (opts.primePaths || opts.demangle || notes.length < 2) return false;
  // the worker loads the bundle: not from the TypeScript sources (tests import those)
  if (!import.meta.url.endsWith('.mjs')) return false;
  const forced = process.env.HVCOV_REPORT_THREADS === '2';
  let size = 0;
  for (const n of notes) size += n.bytes.length;
  return (forced || size >= TWO_THREADS_MIN) && coreIsFree('HVCOV_REPORT_THREADS');
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
import(workerData.bundle).then((m) => m.workerMain(workerData.kind));
`;

/** streamGcovJson's result and output, from two threads (see the top of this file). */
export async function gcovJsonTwoThreads(
  notes: NotesInput[],
  data: DataInput[],
  opts: ReportOptions,
  write: ByteSink,
): Promise<GcovJsonStreamResult> {
  // every notes file in one shared buffer, which either thread reads from
  const starts = [0];
  for (const n of notes) starts.push(starts.at(-1)! + n.bytes.length);
  const shared = new SharedArrayBuffer(starts.at(-1)!);
  const sharedBytes = new Uint8Array(shared);
  const names = notes.map((n) => n.name);
  notes.forEach((n, i) => sharedBytes.set(n.bytes, starts[i]!));
  for (let i = 0; i < notes.length; i++) notes[i] = { name: names[i]!, bytes: new Uint8Array(0) };
  const ctl = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const threadData: ThreadData = {
    kind: 'gcov-json',
    bundle: import.meta.url,
    notes: shared,
    starts,
    names,
    ctl: ctl.buffer as SharedArrayBuffer,
    port: port2,
    sourceRoot: opts.sourceRoot,
  };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: threadData,
    transferList: [port2],
  });
  const link = new WorkerLink(worker, port1);
  try {
    return await twoThreads(notes.length, names, notesOf(sharedBytes, starts), data, opts, write, ctl, link);
  } finally {
    link.close();
  }
}

/** Notes file `i`, copied out of the shared buffer (TextDecoder refuses shared memory). */
const notesOf =
  (bytes: Uint8Array, starts: number[]) =>
  (i: number): Uint8Array =>
    bytes.slice(starts[i], starts[i + 1]);

async function twoThreads(
  count: number,
  names: string[],
  notesBytes: (i: number) => Uint8Array,
  data: DataInput[],
  opts: ReportOptions,
  write: ByteSink,
  ctl: Int32Array,
  link: WorkerLink,
): Promise<GcovJsonStreamResult> {
  const dataProblems: InputError[] = [];
  const dataRead = readDataFiles(data, dataProblems);

  // 1. Each thread reads the notes files it takes. Pairing looks only at names, stamps and
  // checksums (see pairReadNotes), so every notes file is paired as a stand-in.
  const stand: (ReadNotes | undefined)[] = new Array<ReadNotes | undefined>(count);
  const standIn = (i: number, stamp: number, checksum: number | undefined): ReadNotes => ({
    input: { name: names[i]!, bytes: new Uint8Array(0) },
    gcno: { stamp, checksum, functions: [] } as unknown as Gcno,
  });
  /** The notes read here and not yet solved. */
  const mine = new Map<number, Gcno>();
  const notesProblems: (InputError | undefined)[] = new Array<InputError | undefined>(count);
  const readHere = (i: number) => {
    try {
      const gcno = readGcno(notesBytes(i), names[i]!);
      mine.set(i, gcno);
      stand[i] = standIn(i, gcno.stamp, notesChecksum(gcno));
    } catch (e) {
      if (!isInputError(e)) throw e;
      notesProblems[i] = e;
    }
  };
  // forced (tests): the worker takes part however small the build, so both paths run
  if (process.env.HVCOV_REPORT_THREADS === '2')
    while (Atomics.load(ctl, NEXT) === 0 && !link.stopped())
      await new Promise((resolve) => setTimeout(resolve, 1));
  for (let i; (i = Atomics.add(ctl, NEXT, 1)) < count;) readHere(i);
  let byWorker = 0;
  let workerReads = Atomics.compareExchange(ctl, STATE, BOOTING, CLOSED) !== BOOTING;
  if (!workerReads) link.close();
  else {
    const m = await link.take();
    if (m?.kind !== 'read') {
      // the worker failed: what it took is read here
      workerReads = false;
      link.close();
      for (let i = 0; i < count; i++) if (stand[i] === undefined && !notesProblems[i]) readHere(i);
    } else {
      for (const r of m.read) stand[r.i] = standIn(r.i, r.stamp, r.checksum);
      byWorker = m.read.length;
      for (const f of m.failed) notesProblems[f.i] = revive(f.error);
    }
  }

  // a test aid: which thread read how many notes files
  if (process.env.HVCOV_DEBUG_THREADS)
    console.error(`threads: notes read ${mine.size} here, ${byWorker} by the worker`);
  // 2. The pairing, once, in streamGcovJson's order of problems.
  const problems: InputError[] = notesProblems.filter((p): p is InputError => p !== undefined);
  problems.push(...dataProblems);
  const readNotes = stand.filter((n): n is ReadNotes => n !== undefined);
  const index = new Map(readNotes.map((n) => [n, stand.indexOf(n)]));
  const { pairs, damaged } = pairReadNotes(readNotes, dataRead, problems);
  const dataOf = (n: ReadNotes): DataInput | undefined => pairs.get(n)?.input ?? damaged.get(n);

  // 3. Each thread solves and writes what it read; the lines go out in input order.
  if (workerReads)
    link.send({
      kind: 'work',
      objects: readNotes
        .filter((n) => !mine.has(index.get(n)!))
        .map((n) => {
          const d = dataOf(n);
          return { i: index.get(n)!, data: d && { name: d.name, bytes: d.bytes } };
        }),
    } satisfies Work);
  const out = new JsonBytes(write);
  const pool = newPrimePathPool();
  const done = new Map<number, ObjectGcovJson & { bytes: Uint8Array }>();
  const result = {
    objects: 0,
    matched: 0,
    withoutData: [] as string[],
    sources: new Set<string>(),
    flow: [] as InputError[],
  };
  let next = 0; // the next of readNotes to go out
  const account = (n: ReadNotes, r: ObjectGcovJson) => {
    problems.push(...r.problems);
    result.flow.push(...r.flow);
    if (!r.written) return;
    result.objects++;
    if (dataOf(n)) result.matched++;
    else result.withoutData.push(n.input.name);
    for (const s of r.sources) result.sources.add(s);
  };
  const flushDone = () => {
    for (; next < readNotes.length; next++) {
      const i = index.get(readNotes[next]!)!;
      const r = done.get(i);
      if (!r) return;
      done.delete(i);
      out.flush();
      write(r.bytes);
      account(readNotes[next]!, r);
    }
  };
  const fromWorker = (m: FromWorker) => {
    if (m.kind !== 'object') return false;
    done.set(m.i, {
      written: m.written,
      problems: m.problems.map(revive),
      flow: m.flow.map(revive),
      sources: m.sources,
      bytes: m.bytes,
    });
    return true;
  };
  const solveHere = (n: ReadNotes, gcno: Gcno) => {
    const i = index.get(n)!;
    mine.delete(i);
    const notes = { input: n.input, gcno };
    if (index.get(readNotes[next]!) === i) {
      // its turn: straight to the file
      account(n, writeObjectGcovJson(notes, dataOf(n), opts, out, pool));
      next++;
      return;
    }
    const chunks: Uint8Array[] = [];
    const own = new JsonBytes((b) => chunks.push(b.slice()));
    const r = writeObjectGcovJson(notes, dataOf(n), opts, own, pool);
    own.flush();
    done.set(i, { ...r, bytes: concat(chunks) });
  };
  for (const n of readNotes) {
    const gcno = mine.get(index.get(n)!);
    if (!gcno) continue;
    solveHere(n, gcno);
    // the worker's objects that are ready, without waiting
    for (let m; (m = link.poll());) fromWorker(m);
    flushDone();
  }
  while (next < readNotes.length) {
    const m = workerReads ? await link.take() : undefined;
    if (m && fromWorker(m)) {
      flushDone();
      continue;
    }
    // the worker failed or stopped: the rest is done here
    workerReads = false;
    link.close();
    const n = readNotes[next]!;
    const i = index.get(n)!;
    if (!done.has(i)) solveHere(n, readGcno(notesBytes(i), names[i]!));
    flushDone();
  }
  out.flush();
  return {
    objects: result.objects,
    matched: result.matched,
    withoutData: result.withoutData,
    sourceFiles: result.sources.size,
    problems,
    flow: result.flow,
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let size = 0;
  for (const c of chunks) size += c.length;
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

/** The main thread's end of the worker: messages taken without waiting, or awaited. */
class WorkerLink {
  private readonly queue: FromWorker[] = [];
  private wake: (() => void) | undefined;
  private gone = false;
  private closed = false;

  constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
  ) {
    port.on('message', (m: FromWorker) => {
      this.queue.push(m);
      this.wake?.();
    });
    const stop = () => {
      this.gone = true;
      this.wake?.();
    };
    // a failed worker is not an error of the report: the main thread does its part
    worker.on('error', (e) => {
      if (process.env.HVCOV_DEBUG_THREADS) console.error(e);
      stop();
    });
    worker.on('exit', stop);
  }

  stopped(): boolean {
    return this.gone;
  }

  poll(): FromWorker | undefined {
    if (this.queue.length > 0) return this.queue.shift();
    if (this.closed) return undefined;
    return receiveMessageOnPort(this.port)?.message as FromWorker | undefined;
  }

  /** The next message; undefined once the worker is gone. */
  async take(): Promise<FromWorker | undefined> {
    for (;;) {
      const m = this.poll();
      if (m) return m;
      if (this.gone) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  send(w: Work): void {
    this.port.postMessage(w);
  }

  close(): void {
    if (this.closed) return;
    this.closed = this.gone = true;
    this.port.close();
    void this.worker.terminate();
  }
}

/** The worker's side: read the notes it takes, then solve and write what it is given. */
export async function gcovJsonWorker(): Promise<void> {
  const d = workerData as ThreadData;
  const ctl = new Int32Array(d.ctl);
  const port = d.port;
  try {
    if (Atomics.compareExchange(ctl, STATE, BOOTING, READING) !== BOOTING) return;
    const bytes = notesOf(new Uint8Array(d.notes), d.starts);
    const mine = new Map<number, ReadNotes>();
    const read: { i: number; stamp: number; checksum: number | undefined }[] = [];
    const failed: { i: number; error: PlainError }[] = [];
    for (let i; (i = Atomics.add(ctl, NEXT, 1)) < d.names.length;) {
      const name = d.names[i]!;
      try {
        const gcno = readGcno(bytes(i), name);
        mine.set(i, { input: { name, bytes: new Uint8Array(0) }, gcno });
        read.push({ i, stamp: gcno.stamp, checksum: notesChecksum(gcno) });
      } catch (e) {
        if (!isInputError(e)) throw e;
        failed.push({ i, error: plain(e) });
      }
    }
    port.postMessage({ kind: 'read', read, failed } satisfies FromWorker);
    const [work] = (await once(port, 'message')) as [Work];
    const opts: ReportOptions = {
      ...(d.sourceRoot !== undefined ? { sourceRoot: d.sourceRoot } : {}),
      pathExists: fileSystemPathExists(),
    };
    const pool = newPrimePathPool();
    for (const o of work.objects) {
      const n = mine.get(o.i)!;
      mine.delete(o.i);
      const chunks: Uint8Array[] = [];
      const out = new JsonBytes((b) => chunks.push(b.slice()));
      const r = writeObjectGcovJson(n, o.data, opts, out, pool);
      out.flush();
      const all = concat(chunks);
      port.postMessage(
        {
          kind: 'object',
          i: o.i,
          written: r.written,
          bytes: all,
          problems: r.problems.map(plain),
          flow: r.flow.map(plain),
          sources: r.sources,
        } satisfies FromWorker,
        [all.buffer as ArrayBuffer],
      );
    }
  } catch (e) {
    port.postMessage({
      kind: 'fail',
      message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    } satisfies FromWorker);
  } finally {
    port.close();
  }
}
