/**
 * Writes .gcda files from two threads: the main thread and one worker. Writing thousands
 * of files is mostly system calls (open, writev, close), which the worker runs while the
 * main thread makes the next files. The image lives in a SharedArrayBuffer, so counter
 * runs that are views on it cross to the worker as (offset, length), never copied; the
 * other pieces (headers, short runs) are copied into a shared buffer, one per batch in flight.
 *
 * Load is balanced without waiting: the worker counts finished files in shared memory,
 * and the main thread writes a batch itself whenever the worker is already busy enough.
 */
import { closeSync, constants, mkdirSync, openSync, writeSync, writevSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';

/** Files per message to the worker. */
const BATCH = 32;
/** Files handed to the worker and not yet written, above which the main thread writes itself. */
const BACKLOG = 3 * BATCH;

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
 * its writeParts is the one above.
 * A batch: its slot (and the slot's shared buffer when new), paths, and per file its
 * piece count then per piece (source: 0 image / 1 slot buffer, offset, length).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC;
let image, done, error;
const slots = [];
const made = new Set();
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
parentPort.on('message', (m) => {
  if (m.image) { image = new Uint8Array(m.image); done = new Int32Array(m.done); return; }
  if (m.end) { parentPort.postMessage({ error }); return; }
  if (m.buffer) slots[m.slot] = new Uint8Array(m.buffer);
  const batch = slots[m.slot];
  const segs = m.segs;
  let k = 0;
  for (const dest of m.paths) {
    const n = segs[k++];
    const parts = [];
    for (let i = 0; i < n; i++) {
      const src = segs[k++], off = segs[k++], len = segs[k++];
      parts.push((src === 0 ? image : batch).subarray(off, off + len));
    }
    if (error === undefined) {
      try {
        const dir = dest.slice(0, dest.lastIndexOf('/'));
        if (!made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); made.add(dir); }
        writeParts(dest, parts);
      } catch (e) {
        error = { message: e.message, code: e.code };
      }
    }
    Atomics.add(done, 0, 1);
  }
});
`;

/** Reads a file into memory shared with the worker. */
export function sharedBytes(size: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(size));
}

/** Batches in flight at most (the backlog plus the one being filled): one shared buffer each. */
const SLOTS = BACKLOG / BATCH + 1;

export class FileWriter {
  private readonly made = new Set<string>();
  private worker: Worker | undefined;
  private image: Uint8Array | undefined;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private posted = 0;
  private batches = 0;
  private paths: string[] = [];
  private segs: number[] = [];
  /** Per slot a shared buffer for the pieces that are not views on the image; sent when new. */
  private readonly slots: Uint8Array[] = [];
  private fresh = false;
  private used = 0;

  /**
   * With `threads` (node:worker_threads, loaded by the caller only when a second thread is
   * wanted, so that other commands do not load it), starts the worker now: it gets ready
   * while the image is read and walked.
   */
  constructor(threads?: { Worker: typeof Worker }) {
    if (threads) this.worker = new threads.Worker(WORKER_SOURCE, { eval: true });
  }

  /** The image the views in later parts point into (a SharedArrayBuffer) for the worker. */
  setImage(image: Uint8Array): void {
    if (!this.worker) return;
    if (!(image.buffer instanceof SharedArrayBuffer) || image.byteOffset !== 0) {
      void this.worker.terminate();
      this.worker = undefined;
      return;
    }
    this.image = image;
    this.worker.postMessage({ image: image.buffer, done: this.done.buffer });
  }

  /** Writes (or hands over) one file; the parts may be reused as soon as this returns. */
  write(dest: string, parts: readonly Uint8Array[]): void {
    // a batch is filled only while the worker has fewer than BACKLOG files left, so the
    // batch that last used this slot (SLOTS batches ago) is written by now
    if (
      this.worker === undefined ||
      (this.paths.length === 0 && this.posted - Atomics.load(this.done, 0) >= BACKLOG)
    ) {
      this.writeHere(dest, parts);
      return;
    }
    const slot = this.batches % SLOTS;
    let need = this.used;
    for (const p of parts) if (p.buffer !== this.image!.buffer) need += p.length;
    let buf = this.slots[slot];
    if (buf === undefined || buf.length < need) {
      const grown = new Uint8Array(new SharedArrayBuffer(Math.max(need, 2 * (buf?.length ?? 1 << 16))));
      if (buf !== undefined) grown.set(buf.subarray(0, this.used));
      this.slots[slot] = buf = grown;
      this.fresh = true;
    }
    const segs = this.segs;
    segs.push(parts.length);
    for (const p of parts) {
      if (p.buffer === this.image!.buffer) segs.push(0, p.byteOffset, p.length);
      else {
        segs.push(1, this.used, p.length);
        buf.set(p, this.used);
        this.used += p.length;
      }
    }
    this.paths.push(dest);
    if (this.paths.length === BATCH) this.flush();
  }

  private writeHere(dest: string, parts: readonly Uint8Array[]): void {
    const dir = dest.slice(0, dest.lastIndexOf('/'));
    if (!this.made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    writeParts(dest, parts);
  }

  private flush(): void {
    if (this.paths.length === 0) return;
    const slot = this.batches % SLOTS;
    this.worker!.postMessage({
      slot,
      buffer: this.fresh ? this.slots[slot]!.buffer : undefined,
      paths: this.paths,
      segs: Float64Array.from(this.segs),
    });
    this.posted += this.paths.length;
    this.batches++;
    this.paths = [];
    this.segs = [];
    this.fresh = false;
    this.used = 0;
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
      w.postMessage({ end: true });
    });
    void w.terminate();
    if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  }
}
