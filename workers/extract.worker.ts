/**
 * The worker endpoint: the page transfers the bytes of what the user gave, the worker
 * unpacks, classifies and extracts them (src/model/session.ts), reports progress through a
 * proxied callback and transfers the .gcda zip back. Cancelling is the page terminating
 * this worker, so nothing here has to poll for it.
 */
import * as Comlink from 'comlink';
import { coberturaXml } from '../src/model/cobertura';
import { lcovTracefile } from '../src/model/lcov';
import type { ArchiveLimits } from '../src/model/limits';
import { isOutOfMemory } from '../src/model/out-of-memory';
import { Session, type InputFile, type Progress, type Summary } from '../src/model/session';
import type { NamedBytes } from '../src/model/evidence';
import type { RunsChoice, RunsSummary } from '../src/model/runs-view';
import { fileExclusions, reportExclusions } from '../src/ui/exclusions-view';
import { staticReportHtml } from '../src/model/static-report';
import { sessionEvidence } from '../src/ui/evidence-session';
import {
  buffersOf,
  commonDir,
  matchSource,
  packFile,
  summarise,
  type FileDetail,
  type ReportSummary,
} from '../src/ui/report-view';
import { gcovJsonLines } from '../src/model/gcov-json-text';

export type ProgressCallback = (p: Progress) => void;

/** The report's downloads: as `hvcov report --lcov / --gcov-json / --cobertura` writes them, and the static HTML. */
export type ExportKind = 'lcov' | 'gcov-json' | 'cobertura' | 'html';

const session = new Session();

/** The text of the dropped source matched with each report path (decoded once per export). */
function sourceLookup(): (path: string) => { path: string; text: string } | undefined {
  const sources = session.sources();
  const paths = sources.map((s) => s.path);
  const decoder = new TextDecoder();
  const texts = new Map<string, string>();
  return (path) => {
    const match = matchSource(path, paths);
    if (match === undefined) return undefined;
    let text = texts.get(match);
    if (text === undefined) {
      text = decoder.decode(sources.find((s) => s.path === match)!.bytes);
      texts.set(match, text);
    }
    return { path: match, text };
  };
}

/** One export of the current report; `now` is the page's clock (ms since the epoch). */
async function exportText(kind: ExportKind, now: number): Promise<string> {
  const built = session.report();
  if (!built) throw new Error('no coverage report to export');
  const report = built.report;
  const source = sourceLookup();
  switch (kind) {
    case 'lcov':
      return lcovTracefile(report);
    case 'gcov-json':
      return gcovJsonLines(report);
    case 'cobertura':
      return coberturaXml(report, {
        root: commonDir(report.files.map((f) => f.path)),
        source: (path) => source(path)?.text,
        timestamp: Math.floor(now / 1000),
      });
    case 'html':
      return staticReportHtml(report, {
        version: __HVCOV_VERSION__,
        generated: new Date(now).toISOString(),
        inputs: await session.inputs(),
        source,
      });
  }
}

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
    const ex = reportExclusions(built.report);
    const s = {
      ...summarise(
        built.report,
        session.sources().map((f) => f.path),
        built.data,
      ),
      ...(ex ? { exclusions: ex } : {}),
    };
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
    const d = { ...packFile(f, source), ...fileExclusions(f) };
    return Comlink.transfer(d, buffersOf(d));
  },
  /** A download of the report, UTF-8 encoded. */
  async export(kind: ExportKind, now: number): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = new TextEncoder().encode(await exportText(kind, now));
    } catch (e) {
      if (!isOutOfMemory(e)) throw e;
      throw new Error(`not enough memory for writing the ${kind} download of this report`, { cause: e });
    }
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  /** The evidence package (zip) of the current report; `now` is the page's clock. */
  async evidence(now: number, justification?: NamedBytes): Promise<Uint8Array> {
    const { zip } = await sessionEvidence(session, now, justification);
    return Comlink.transfer(zip, [zip.buffer]);
  },
  /** The bounds on what each archive given from now on may unpack to. */
  setLimits(limits: ArchiveLimits): void {
    session.setLimits(limits);
  },
  clear(): void {
    session.clear();
  },
  /** Several images: the runs, merged or compared (undefined: fewer than two images). */
  runs(): RunsSummary | undefined {
    return session.runs()?.summary;
  },
  /** Merge the images as runs or compare them as snapshots; returns what is held then. */
  setRuns(choice: RunsChoice): Summary {
    return session.setRuns(choice);
  },
  /** Merged runs: for each line of a file with any run, the indexes of the runs that executed it. */
  lineRuns(path: string): [number, readonly number[]][] | undefined {
    const by = session.runs()?.coveredBy?.get(path);
    return by ? [...by] : undefined;
  },
};

export type ExtractWorkerApi = typeof api;
Comlink.expose(api);
