/**
 * Writes .gcda files from two threads: the main thread and one worker. Writing thousands
 * of files is mostly system calls (open, writev, close), which the worker runs while the
 * main thread makes the next files. The image lives in a SharedArrayBuffer, so counter
 * runs that are views on it cross to the worker as (offset, length), never copied; the
 * other pieces (headers, short runs) and the paths are copied into a shared buffer, one per
 * batch in flight, and each batch is described in shared memory too: handing one over is a
 * store and a notify, with no message to clone.
 *
 * Load is balanced without waiting: the worker counts finished batches in shared memory,
 * and the main thread writes files itself whenever the worker is already busy enough.
 */
import { closeSync, constants, mkdirSync, openSync, writeSync, writevSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';

/** Files per batch handed to the worker (fewer when a batch's slot fills up first). */
const BATCH = 32;
/** Batches handed to the worker and not yet written, from which the main thread writes itself. */
const BACKLOG = 3;

/** 'w' as numbers: openSync parses a flags string on every call. */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC;

/** Writes the pieces in order into a new file: one writev, continued if it writes less. */
export function writeParts(dest: string, parts: readonly Uint8Array[]): void {
  const fd = openSync(dest, WRITE_FLAGS, 0o666);
  try {
    let total = 0;
    for (const p of parts) total += p.length;
    let done = parts.length === 1 ? 0 : writevSync(fd, parts as Uint8Array[]);
    if (done === total) return;
    // rare (a signal, a full disk, more pieces than IOV_MAX): the rest piece by piece
    let start = 0;
    for (const p of parts) {
      const end = start + p.length;
      while (done < end) done += writeSync(fd, p, done - start, end - done);
      start = end;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The worker's code, plain CommonJS (run with eval, so the bundle needs no second entry);
 * its writeParts is the one above. It gets every buffer once, in workerData, then takes
 * batches from shared memory, blocking in Atomics.wait between them: no message per batch,
 * so nothing is cloned or queued on either side.
 *
 * A batch in slot s: desc[s][0] files, then per file the path's offset and length in the
 * slot's data (UTF-8, as Node encodes a string path), its piece count, and per piece
 * (source: 0 image / 1 slot data, offset, length).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC;
const { POSTED, DONE, END, SLOTS } = workerData.layout;
const image = Buffer.from(workerData.image);
const ctl = new Int32Array(workerData.ctl);
const data = workerData.data.map((b) => Buffer.from(b));
const desc = workerData.desc.map((b) => new Float64Array(b));
const made = new Set();
let error;
function writeParts(dest, parts) {
  const fd = fs.openSync(dest, FLAGS, 0o666);
  try {
    let total = 0;
    for (const p of parts) total += p.length;
    let done = parts.length === 1 ? 0 : fs.writevSync(fd, parts);
    if (done === total) return;
    let start = 0;
    for (const p of parts) {
      const end = start + p.length;
      while (done < end) done += fs.writeSync(fd, p, done - start, end - done);
      start = end;
    }
  } finally {
    fs.closeSync(fd);
  }
}
let batch = 0;
for (;;) {
  const posted = Atomics.load(ctl, POSTED);
  if (batch === posted) {
    if (Atomics.load(ctl, END) === 1) break;
    Atomics.wait(ctl, POSTED, posted);
    continue;
  }
  const slot = batch % SLOTS;
  const d = desc[slot];
  const bytes = data[slot];
  const files = d[0];
  let k = 1;
  for (let f = 0; f < files; f++) {
    const at = d[k++], len = d[k++], n = d[k++];
    const parts = [];
    for (let i = 0; i < n; i++) {
      const src = d[k++], off = d[k++], plen = d[k++];
      parts.push((src === 0 ? image : bytes).subarray(off, off + plen));
    }
    if (error !== undefined) continue;
    try {
      // a Buffer path: the bytes the main thread encoded, as Node would have from the string
      const dest = Buffer.from(bytes.subarray(at, at + len));
      const dir = dest.subarray(0, dest.lastIndexOf(0x2f));
      const key = dir.toString('latin1');
      if (!made.has(key)) { fs.mkdirSync(dir, { recursive: true }); made.add(key); }
      writeParts(dest, parts);
    } catch (e) {
      error = { message: e.message, code: e.code };
    }
  }
  batch++;
  Atomics.store(ctl, DONE, batch);
}
parentPort.postMessage({ error });
`;

/** Reads a file into memory shared with the worker. */
export function sharedBytes(size: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(size));
}

/** Batches in flight at most: the worker's backlog and the one being filled, a slot each. */
const SLOTS = BACKLOG + 1;
/** Bytes of paths and copied pieces per slot: a file that does not fit an empty slot is written here. */
const SLOT_BYTES = 2 << 20;
/** Numbers of file descriptions per slot (3 per file and 3 per piece); a batch ends early when full. */
const SLOT_DESC = 1 << 14;
/** Indices into the shared control words: batches posted, batches done, the end flag. */
const LAYOUT = { POSTED: 0, DONE: 1, END: 2, SLOTS } as const;

export class FileWriter {
  private readonly made = new Set<string>();
  private threads: { Worker: typeof Worker } | undefined;
  private worker: Worker | undefined;
  private image: Uint8Array | undefined;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(12));
  /** Batches posted. */
  private batches = 0;
  /** Files in the batch being filled, and where its data and descriptions end. */
  private files = 0;
  private used = 0;
  private descUsed = 1;
  private data: Buffer[] = [];
  private desc: Float64Array[] = [];

  /**
   * With `threads` (node:worker_threads, loaded by the caller only when a second thread is
   * wanted, so that other commands do not load it), a worker writes most files; it starts
   * when setImage gives it the image.
   */
  constructor(threads?: { Worker: typeof Worker }) {
    this.threads = threads;
  }

  /** The image the views in later parts point into (a SharedArrayBuffer); starts the worker. */
  setImage(image: Uint8Array): void {
    const threads = this.threads;
    this.threads = undefined;
    if (!threads || !(image.buffer instanceof SharedArrayBuffer) || image.byteOffset !== 0) return;
    this.image = image;
    for (let i = 0; i < SLOTS; i++) {
      this.data.push(Buffer.from(new SharedArrayBuffer(SLOT_BYTES)));
      this.desc.push(new Float64Array(new SharedArrayBuffer(SLOT_DESC * 8)));
    }
    this.worker = new threads.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        layout: LAYOUT,
        image: image.buffer,
        ctl: this.ctl.buffer,
        data: this.data.map((b) => b.buffer),
        desc: this.desc.map((d) => d.buffer),
      },
    });
  }

  /** Writes (or hands over) one file; the parts may be reused as soon as this returns. */
  write(dest: string, parts: readonly Uint8Array[]): void {
    if (this.worker === undefined) return this.writeHere(dest, parts);
    const image = this.image!.buffer;
    let bytes = dest.length * 3; // at most, as UTF-8
    for (const p of parts) if (p.buffer !== image) bytes += p.length;
    const descs = 3 + 3 * parts.length;
    if (this.files > 0 && (this.used + bytes > SLOT_BYTES || this.descUsed + descs > SLOT_DESC)) this.flush();
    if (this.files === 0) {
      // a new batch: only while the worker has fewer than BACKLOG batches to do, so
      // its slot (last used SLOTS batches ago) is free; a file too big for a slot is written here
      if (
        this.batches - Atomics.load(this.ctl, LAYOUT.DONE) >= BACKLOG ||
        bytes > SLOT_BYTES ||
        descs + 1 > SLOT_DESC
      )
        return this.writeHere(dest, parts);
    }
    const slot = this.batches % SLOTS;
    const buf = this.data[slot]!;
    const d = this.desc[slot]!;
    let k = this.descUsed;
    const pathLength = buf.write(dest, this.used, 'utf8');
    d[k++] = this.used;
    d[k++] = pathLength;
    d[k++] = parts.length;
    this.used += pathLength;
    for (const p of parts) {
      if (p.buffer === image) {
        d[k++] = 0;
        d[k++] = p.byteOffset;
      } else {
        buf.set(p, this.used);
        d[k++] = 1;
        d[k++] = this.used;
        this.used += p.length;
      }
      d[k++] = p.length;
    }
    this.descUsed = k;
    if (++this.files === BATCH) this.flush();
  }

  private writeHere(dest: string, parts: readonly Uint8Array[]): void {
    const dir = dest.slice(0, dest.lastIndexOf('/'));
    if (!this.made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    writeParts(dest, parts);
  }

  /** Hands the batch being filled to the worker. */
  private flush(): void {
    if (this.files === 0) return;
    this.desc[this.batches % SLOTS]![0] = this.files;
    this.batches++;
    Atomics.store(this.ctl, LAYOUT.POSTED, this.batches);
    Atomics.notify(this.ctl, LAYOUT.POSTED);
    this.files = 0;
    this.used = 0;
    this.descUsed = 1;
  }

  /** Waits for the worker to finish; throws the first error it met (as writeFileSync would). */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.flush();
    this.worker = undefined;
    const reply = await new Promise<{ error?: { message: string; code?: string } }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`the writer thread stopped (exit code ${code})`)));
      Atomics.store(this.ctl, LAYOUT.END, 1);
      Atomics.notify(this.ctl, LAYOUT.POSTED);
    });
    void w.terminate();
    if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  }
}
