/**
 * The worker endpoint: the page transfers the bytes of what the user gave, the worker
 * unpacks, classifies and extracts them (src/model/session.ts), reports progress through a
 * proxied callback and transfers the .gcda zip back. Cancelling is the page terminating
 * this worker, so nothing here has to poll for it.
 */
import * as Comlink from 'comlink';
import { Session, type InputFile, type Progress, type Summary } from '../src/model/session';

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
  clear(): void {
    session.clear();
  },
};

export type ExtractWorkerApi = typeof api;
Comlink.expose(api);
