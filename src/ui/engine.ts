/**
 * The page's handle on the worker. Cancelling terminates the worker (extraction is one
 * synchronous run there, so this is the only way to stop it) and starts a fresh one.
 */
import * as Comlink from 'comlink';
import type { ExportKind, ExtractWorkerApi } from '../../workers/extract.worker';
import type { NamedBytes } from '../model/evidence';
import type { RunsChoice, RunsSummary } from '../model/runs-view';
import type { ArchiveLimits } from '../model/limits';
import type { InputFile, Progress, Summary } from '../model/session';
import type { Picked } from './collect';
import { readAllPicked } from './read-files';
import type { FileDetail, ReportSummary } from './report-view';

/** At most one progress report per 50 ms (each one renders the page), and always the last. */
function throttle(cb: (p: Progress) => void, ms = 50): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last >= ms || p.done >= p.total) {
      last = now;
      cb(p);
    }
  };
}

export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor() {
    super('cancelled');
  }
}

export class Engine {
  private worker!: Worker;
  private api!: Comlink.Remote<ExtractWorkerApi>;
  /** Rejects the pending call when the worker is terminated under it. */
  private abort: ((e: Error) => void) | undefined;
  /** Set again on every new worker, so a cancel keeps them. */
  private limits: ArchiveLimits | undefined;

  constructor() {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('../../workers/extract.worker.ts', import.meta.url), {
      type: 'module',
      name: 'hvcov-extract',
    });
    this.api = Comlink.wrap<ExtractWorkerApi>(this.worker);
    if (this.limits) void this.api.setLimits(this.limits);
  }

  /** The bounds on what each archive given from now on may unpack to. */
  setLimits(limits: ArchiveLimits): void {
    this.limits = limits;
    void this.api.setLimits(limits);
  }

  /** `call`, or a Cancelled rejection as soon as cancel() is called while it is pending. */
  run<T>(call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.abort = reject;
      call.then(resolve, reject).finally(() => {
        if (this.abort === reject) this.abort = undefined;
      });
    });
  }

  /** Terminate the worker (and with it every file given so far) and start a new one. */
  cancel(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.abort?.(new Cancelled());
    this.abort = undefined;
    this.start();
  }

  /**
   * Reads the picked files here, several at once (src/ui/read-files.ts), and transfers their
   * bytes. (Posting the File handles instead costs a synchronous look-up per file on this
   * thread, over a second for a build tree of 1,500 files.)
   */
  async add(picked: readonly Picked[], onProgress: (p: Progress) => void): Promise<Summary> {
    const inputs = await this.run(readAllPicked(picked, throttle(onProgress)));
    return this.addBytes(inputs, onProgress);
  }

  /** The buffers move to the worker (transferred, not copied): the inputs are empty afterwards. */
  addBytes(inputs: InputFile[], onProgress: (p: Progress) => void): Promise<Summary> {
    const buffers = [...new Set(inputs.map((i) => i.bytes.buffer as ArrayBuffer))];
    return this.run(this.api.add(Comlink.transfer(inputs, buffers), Comlink.proxy(onProgress)));
  }

  zip(strip: number, onProgress: (p: Progress) => void): Promise<Uint8Array> {
    return this.run(this.api.zip(strip, Comlink.proxy(onProgress)));
  }

  /** A download of the report (lcov, gcov JSON, Cobertura, static HTML), made in the worker. */
  export(kind: ExportKind): Promise<Uint8Array> {
    return this.run(this.api.export(kind, Date.now()));
  }

  /** The evidence package of the report (see src/model/evidence.ts), made in the worker. */
  evidence(justification?: NamedBytes): Promise<Uint8Array> {
    return this.run(this.api.evidence(Date.now(), justification));
  }

  report(): Promise<ReportSummary | undefined> {
    return this.run(this.api.report());
  }

  file(path: string): Promise<FileDetail | undefined> {
    return this.run(this.api.file(path));
  }

  runs(): Promise<RunsSummary | undefined> {
    return this.run(this.api.runs());
  }

  setRuns(choice: RunsChoice): Promise<Summary> {
    return this.run(this.api.setRuns(choice));
  }

  lineRuns(path: string): Promise<[number, readonly number[]][] | undefined> {
    return this.run(this.api.lineRuns(path));
  }

  clear(): Promise<void> {
    return this.run(this.api.clear());
  }
}
