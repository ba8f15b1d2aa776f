/**
 * The worker endpoint: the page transfers the bytes of what the user gave, the worker
 * unpacks, classifies and extracts them (src/model/session.ts), reports progress through a
 * proxied callback and transfers the .gcda zip back. Cancelling is the page terminating
 * this worker, so nothing here has to poll for it.
 */
import * as Comlink from 'comlink';
import { Session, type InputFile, type Progress, type Summary } from '../src/model/session';
import {
  buffersOf,
  matchSource,
  packFile,
  summarise,
  type FileDetail,
  type ReportSummary,
} from '../src/ui/report-view';

export type ProgressCallback = (p: Progress) => void;

const session = new Session();

/** At most one progress message per interval, and always the first and the last of a stage. */
function throttled(cb: ProgressCallback | undefined, ms = 50): (p: Progress) => void {
  if (!cb) return () => undefined;
  let last = 0;
  let stage = '';
  return (p) => {
    const now = Date.now();
    if (p.stage !== stage || now - last >= ms || (p.total > 0 && p.done >= p.total)) {
      stage = p.stage;
      last = now;
      void cb(p);
    }
  };
}

const api = {
  /** Adds files (their buffers transferred to this worker) and returns what is held now. */
  async add(inputs: InputFile[], onProgress?: ProgressCallback): Promise<Summary> {
    return session.add(inputs, throttled(onProgress));
  },
  summary(): Summary {
    return session.summary();
  },
  zip(strip: number, onProgress?: ProgressCallback): Uint8Array {
    const z = session.zip(strip, throttled(onProgress));
    return Comlink.transfer(z, [z.buffer]);
  },
  /** The report's summary, render-ready (undefined: no report). */
  report(): ReportSummary | undefined {
    const built = session.report();
    if (!built) return undefined;
    const s = summarise(
      built.report,
      session.sources().map((f) => f.path),
      built.data,
    );
    return Comlink.transfer(s, buffersOf(s));
  },
  /** One file's lines, branches and functions, with its matched source's bytes. */
  file(path: string): FileDetail | undefined {
    const built = session.report();
    const f = built?.report.files.find((x) => x.path === path);
    if (!f) return undefined;
    const sources = session.sources();
    const sourcePath = matchSource(
      f.path,
      sources.map((x) => x.path),
    );
    const source = sources.find((x) => x.path === sourcePath);
    const d = packFile(f, source);
    return Comlink.transfer(d, buffersOf(d));
  },
  clear(): void {
    session.clear();
  },
};

export type ExtractWorkerApi = typeof api;
Comlink.expose(api);
