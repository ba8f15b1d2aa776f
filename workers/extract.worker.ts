/** The worker endpoint: the page sends bytes (transferred), the core does the work here. */
import * as Comlink from 'comlink';
import { extractImage } from '../src/gcov/extract';
import type { DetectOptions } from '../src/gcov/detect';
import { gcdaZip } from '../src/model/gcda-zip';

const api = {
  extractToZip(bytes: Uint8Array, name: string, opts: DetectOptions = {}, strip = 0) {
    const r = extractImage(bytes, name, opts);
    const zip = gcdaZip(r.files, strip);
    return Comlink.transfer(
      {
        zip,
        objects: r.stats.objects,
        problems: r.problems.map((p) => p.message),
        warnings: [...r.warnings],
      },
      [zip.buffer],
    );
  },
};

export type ExtractWorkerApi = typeof api;
Comlink.expose(api);
