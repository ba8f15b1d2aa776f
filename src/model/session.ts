/**
 * What the app holds: the files a user gave (archives unpacked), each classified by
 * content, and the extraction of the core image among them. Pure TypeScript, so the
 * worker runs it and tests drive it in Node.
 */
import { pushAll } from '../gcov/push-all';
import { InputError, hex } from '../gcov/errors';
import { extractImage, type ExtractResult } from '../gcov/extract';
import type { GcdaFile } from '../gcov/gcda-writer';
import { targetText } from '../gcov/memory';
import { versionText } from '../gcov/version';
import { DEFAULT_LIMITS, unpackArchive, type ArchiveLimits } from './archive';
import { classify, type InputKind } from './classify';
import { gcdaZip } from './gcda-zip';
import { isOutOfMemory, outOfMemory } from './out-of-memory';
import { buildReport, type DataInput, type Report } from './report';
import { gcdaRuns } from './gcda-runs';
import type { RunInput } from './runs';
import { buildRunsView, type RunsBuilt, type RunsChoice } from './runs-view';
import { excludeInSession } from './session-exclusions';
import type { StaticInput } from './static-report';

/** SHA-256 of bytes, lower-case hex (Web Crypto: the worker, the page and Node alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface InputFile {
  /** Relative path as given (folder structure kept), or the file name. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface FileView {
  readonly path: string;
  readonly kind: InputKind;
  readonly size: number;
  /** The archive it came out of. */
  readonly from?: string;
}

export interface ProblemView {
  readonly file: string;
  readonly offset?: number;
  readonly code: string;
  readonly message: string;
}

export interface ImageView {
  readonly path: string;
  /** "12.2", one per compiler version found in the records. */
  readonly gcc: readonly string[];
  readonly arch?: string;
  readonly target: string;
  readonly base: string;
  readonly objects: number;
  readonly functions: number;
  readonly counters: number;
  /** Recorded .gcda paths, as in the image. */
  readonly gcda: readonly string[];
}

export interface Summary {
  readonly files: readonly FileView[];
  readonly counts: Readonly<Record<InputKind, number>>;
  readonly image?: ImageView;
  readonly problems: readonly ProblemView[];
  readonly warnings: readonly string[];
  /** One line: "1 image (GCC 12.2, arm, 8 objects), 8 .gcno, 12 sources". */
  readonly text: string;
  /** Whether a coverage report was built (some .gcno, with data from the image or .gcda files). */
  readonly report: boolean;
}

export type Stage = 'unpack' | 'classify' | 'extract' | 'match' | 'solve' | 'index' | 'zip' | 'export';

export interface Progress {
  readonly stage: Stage;
  readonly done: number;
  /** 0 when the total is not known yet. */
  readonly total: number;
  readonly label?: string;
}

interface Held extends FileView {
  readonly bytes: Uint8Array;
}

const KINDS: readonly InputKind[] = [
  'image',
  'elf',
  'gcno',
  'gcda',
  'source',
  'justification',
  'archive',
  'unknown',
];

/**
 * Counters that contradict a function's flow graph: the report keeps them (as gcov does),
 * so they are warnings, each naming the .gcda, the function and the block.
 */
const flowWarnings = (report: Report): string[] => report.flow.map((e) => e.message);

const toView = (e: InputError): ProblemView => ({
  file: e.file,
  ...(e.offset === undefined ? {} : { offset: e.offset }),
  code: e.code,
  message: e.message,
});

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function summaryText(
  counts: Readonly<Record<InputKind, number>>,
  image: ImageView | undefined,
): string {
  const parts: string[] = [];
  if (counts.image > 0) {
    const what = image
      ? ` (${[image.gcc.map((v) => `GCC ${v}`).join(', ') || 'GCC ?', image.arch ?? image.target, plural(image.objects, 'object')].join(', ')})`
      : '';
    parts.push(`${plural(counts.image, 'image')}${what}`);
  }
  if (counts.elf > 0) parts.push(plural(counts.elf, 'ELF', 'ELFs'));
  if (counts.gcno > 0) parts.push(`${counts.gcno} .gcno`);
  if (counts.gcda > 0) parts.push(`${counts.gcda} .gcda`);
  if (counts.source > 0) parts.push(plural(counts.source, 'source'));
  if (counts.justification > 0) parts.push(plural(counts.justification, 'justification file'));
  if (counts.unknown > 0) parts.push(`${counts.unknown} not recognised`);
  return parts.join(', ') || 'no files';
}

export class Session {
  private readonly held = new Map<string, Held>();
  private readonly inputProblems: InputError[] = [];
  private result: ExtractResult | undefined;
  private extractProblems: InputError[] = [];
  private extractWarnings: string[] = [];
  private imagePath: string | undefined;
  private built: { report: Report; data: number } | undefined;
  private reportProblems: InputError[] = [];
  private reportWarnings: string[] = [];
  /** Archives given, by path, with their hash (their bytes are not kept). */
  private readonly archives = new Map<string, StaticInput>();
  private readonly digests = new WeakMap<Uint8Array, string>();
  /** Several images: each one's extraction (the first is `result`), and how they are combined. */
  private others: { path: string; result: ExtractResult }[] = [];
  private runsChoice: RunsChoice = { mode: 'merge', partial: false };
  private runsBuilt: RunsBuilt | undefined;

  constructor(private limits: ArchiveLimits = DEFAULT_LIMITS) {}

  /** The bounds on what one archive may unpack to, for archives given from now on. */
  setLimits(limits: ArchiveLimits): void {
    this.limits = limits;
  }

  /** Adds files (a file with a path already held replaces it), unpacks archives, re-extracts. */
  async add(
    inputs: readonly InputFile[],
    onProgress: (p: Progress) => void = () => undefined,
  ): Promise<Summary> {
    const flat: { path: string; bytes: Uint8Array; from?: string }[] = [];
    let i = 0;
    for (const f of inputs) {
      onProgress({ stage: 'unpack', done: i++, total: inputs.length, label: f.path });
      if (classify(f.path, f.bytes) !== 'archive') {
        flat.push(f);
        continue;
      }
      this.archives.set(f.path, {
        path: f.path,
        kind: 'archive',
        size: f.bytes.length,
        sha256: await sha256Hex(f.bytes),
      });
      try {
        const r = await unpackArchive(f.bytes, f.path, this.limits);
        pushAll(this.inputProblems, r.problems);
        const dir = f.path.replace(/\.(zip|tar|tgz|tar\.gz|gz)$/i, '');
        for (const e of r.entries) flat.push({ path: `${dir}/${e.path}`, bytes: e.bytes, from: f.path });
      } catch (e) {
        if (isOutOfMemory(e)) this.inputProblems.push(outOfMemory(f.path, 'unpacking', f.bytes.length));
        else if (e instanceof InputError) this.inputProblems.push(e);
        else throw e;
      }
    }
    let changed = false;
    let coverage = false;
    i = 0;
    for (const f of flat) {
      onProgress({ stage: 'classify', done: i++, total: flat.length, label: f.path });
      const kind = classify(f.path, f.bytes);
      if (kind === 'unknown')
        this.inputProblems.push(
          new InputError(
            f.path,
            undefined,
            'bad-magic',
            'not a core image, ELF, .gcno, .gcda, source or archive: ignored',
          ),
        );
      if (kind === 'image' || kind === 'elf' || this.held.get(f.path)?.kind === 'image') changed = true;
      if (kind === 'gcno' || kind === 'gcda' || this.held.get(f.path)?.kind === 'gcno') coverage = true;
      // markers live in the sources, reasons in the justification file: both change the report
      if (kind === 'justification' || (kind === 'source' && this.built)) coverage = true;
      this.held.set(f.path, {
        path: f.path,
        kind,
        size: f.bytes.length,
        bytes: f.bytes,
        ...(f.from ? { from: f.from } : {}),
      });
    }
    if (changed)
      this.guarded(
        () => this.extract(onProgress),
        (e) => this.extractProblems.push(e),
        'decoding the image',
      );
    if (changed || coverage)
      this.guarded(
        () => this.buildCoverage(onProgress),
        (e) => this.reportProblems.push(e),
        'building the report',
      );
    return this.summary();
  }

  /**
   * Runs a step; an allocation it fails becomes a problem (naming the image, or every
   * input's total size) and the step's result is dropped, the rest is kept.
   */
  private guarded(step: () => void, problem: (e: InputError) => void, what: string): void {
    try {
      step();
    } catch (e) {
      if (!isOutOfMemory(e)) throw e;
      const image = this.imagePath !== undefined ? this.held.get(this.imagePath) : undefined;
      const size = image?.size ?? [...this.held.values()].reduce((n, f) => n + f.size, 0);
      if (what === 'decoding the image') this.result = undefined;
      else this.built = undefined;
      problem(outOfMemory(image?.path ?? 'the inputs', what, size));
    }
  }

  /**
   * The coverage report of every .gcno held, with the .gcda from the image (or, without an
   * image, the .gcda files given); a .gcda that matches no .gcno is a problem, the rest go on.
   */
  private buildCoverage(onProgress: (p: Progress) => void): void {
    this.built = undefined;
    this.reportProblems = [];
    this.reportWarnings = [];
    const gcno = this.ofKind('gcno');
    const gcdaFiles = this.ofKind('gcda');
    this.runsBuilt = undefined;
    if (gcno.length === 0) return;
    if (this.result && this.imagePath && this.others.length > 0)
      return this.buildRuns(gcno, this.imageRuns());
    const sets = this.result ? undefined : gcdaRuns(gcdaFiles);
    if (sets) return this.buildRuns(gcno, sets);
    let data: DataInput[];
    const r = this.result;
    if (r && this.imagePath) {
      const image = this.imagePath;
      const target = `${targetText(r.detection.target)}${r.detection.arch ? ` (${r.detection.arch})` : ''}`;
      data = r.files.map((f) => ({ name: f.path, bytes: f.bytes, image, target }));
      if (gcdaFiles.length > 0)
        this.reportWarnings.push(
          `${gcdaFiles.length} .gcda files given with an image: the report uses the image's data`,
        );
    } else {
      data = gcdaFiles.map((f) => ({ name: f.path, bytes: f.bytes }));
    }
    if (data.length === 0) return;
    onProgress({
      stage: 'match',
      done: 0,
      total: data.length,
      label: `${data.length} .gcda, ${gcno.length} .gcno`,
    });
    onProgress({ stage: 'solve', done: 0, total: gcno.length });
    const report = buildReport(
      gcno.map((f) => ({ name: f.path, bytes: f.bytes })),
      data,
    );
    onProgress({ stage: 'solve', done: gcno.length, total: gcno.length });
    onProgress({ stage: 'index', done: 0, total: report.files.length });
    const excluded = excludeInSession(report, this.ofKind('source'), this.ofKind('justification'));
    this.reportProblems = [...report.problems, ...excluded.problems];
    pushAll(this.reportWarnings, excluded.warnings);
    pushAll(this.reportWarnings, flowWarnings(report));
    for (const o of report.objects)
      if (o.data === undefined)
        this.reportWarnings.push(`no .gcda for ${o.notes}: counted as never executed`);
    this.built = { report, data: data.length };
    onProgress({ stage: 'index', done: report.files.length, total: report.files.length });
  }

  /** Several images, each one run named by its path. */
  private imageRuns(): RunInput[] {
    const imageRun = (path: string, r: ExtractResult) => {
      const target = `${targetText(r.detection.target)}${r.detection.arch ? ` (${r.detection.arch})` : ''}`;
      return {
        name: path,
        data: r.files.map((f) => ({ name: f.path, bytes: f.bytes, image: path, target })),
      };
    };
    return [imageRun(this.imagePath!, this.result!), ...this.others.map((o) => imageRun(o.path, o.result))];
  }

  /** Several images or .gcda sets: merged as runs, or the first and the last compared as snapshots. */
  private buildRuns(gcno: Held[], runs: RunInput[]): void {
    const built = buildRunsView(
      gcno.map((f) => ({ name: f.path, bytes: f.bytes })),
      runs,
      this.runsChoice,
    );
    this.runsBuilt = built;
    this.reportProblems = built.problems;
    this.reportWarnings = [...built.summary.warnings, ...(built.report ? flowWarnings(built.report) : [])];
    if (built.report)
      this.built = { report: built.report, data: runs.reduce((n, r) => n + r.data.length, 0) };
  }

  /** Merge the images as runs, or compare them as snapshots; rebuilds the report. */
  setRuns(choice: RunsChoice): Summary {
    this.runsChoice = choice;
    this.buildCoverage(() => undefined);
    return this.summary();
  }

  /** What several images make (undefined: one image or none). */
  runs(): RunsBuilt | undefined {
    return this.runsBuilt;
  }

  /** The report built from what is held, if any. */
  report(): { report: Report; data: number } | undefined {
    return this.built;
  }

  /** Every file given (archives and what came out of them), by path, with its SHA-256. */
  async inputs(): Promise<StaticInput[]> {
    const out: StaticInput[] = [...this.archives.values()];
    for (const f of this.held.values()) {
      let sha256 = this.digests.get(f.bytes);
      if (sha256 === undefined) {
        sha256 = await sha256Hex(f.bytes);
        this.digests.set(f.bytes, sha256);
      }
      out.push({ path: f.path, kind: f.kind, size: f.size, sha256, ...(f.from ? { from: f.from } : {}) });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Paths and bytes of the sources held. */
  sources(): { path: string; bytes: Uint8Array }[] {
    return this.ofKind('source').map(({ path, bytes }) => ({ path, bytes }));
  }

  /** Paths and bytes of the files held of one kind (what an evidence package hashes). */
  filesOfKind(kind: InputKind): { path: string; bytes: Uint8Array }[] {
    return this.ofKind(kind).map(({ path, bytes }) => ({ path, bytes }));
  }

  /** The image the report's data came from and the .gcda extracted from it, if it did. */
  imageData(): { path: string; bytes: Uint8Array; files: readonly GcdaFile[] } | undefined {
    const image = this.imagePath !== undefined ? this.held.get(this.imagePath) : undefined;
    if (!this.result || !image) return undefined;
    return { path: image.path, bytes: image.bytes, files: this.result.files };
  }

  private ofKind(kind: InputKind): Held[] {
    return [...this.held.values()].filter((f) => f.kind === kind).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  private extract(onProgress: (p: Progress) => void): void {
    this.result = undefined;
    this.extractProblems = [];
    this.extractWarnings = [];
    this.others = [];
    const images = this.ofKind('image');
    const image = images[0];
    this.imagePath = image?.path;
    if (!image) return;
    // more images: runs or snapshots of the same build (read without the ELF)
    for (const other of images.slice(1))
      try {
        const r = extractImage(other.bytes, other.path, {});
        this.others.push({ path: other.path, result: r });
        pushAll(this.extractProblems, r.problems);
        pushAll(
          this.extractWarnings,
          r.warnings.map((w) => `${other.path}: ${w}`),
        );
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        this.extractProblems.push(e);
      }
    const elfs = this.ofKind('elf');
    let done = 0;
    const onFile = () => onProgress({ stage: 'extract', done: ++done, total: 0, label: image.path });
    onProgress({ stage: 'extract', done: 0, total: 0, label: image.path });
    try {
      if (elfs.length === 1) {
        try {
          this.result = extractImage(
            image.bytes,
            image.path,
            { elf: { bytes: elfs[0]!.bytes, name: elfs[0]!.path } },
            onFile,
          );
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          this.extractWarnings.push(`with ${elfs[0]!.path}: ${e.message}; read without the ELF`);
          done = 0;
        }
      } else if (elfs.length > 1) {
        this.extractWarnings.push(`${elfs.length} ELF files given: none used, the image is read on its own`);
      }
      this.result ??= extractImage(image.bytes, image.path, {}, onFile);
      pushAll(this.extractProblems, this.result.problems);
      pushAll(this.extractWarnings, this.result.warnings);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.extractProblems.push(e);
    }
  }

  summary(): Summary {
    const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<InputKind, number>;
    for (const f of this.held.values()) counts[f.kind]++;
    const r = this.result;
    const image: ImageView | undefined =
      r && this.imagePath
        ? {
            path: this.imagePath,
            gcc: [...new Set(r.records.map((x) => versionText(x.version)))],
            ...(r.detection.arch ? { arch: r.detection.arch } : {}),
            target: targetText(r.detection.target),
            base: hex(r.detection.base),
            objects: r.stats.objects,
            functions: r.stats.functions,
            counters: r.stats.counters,
            gcda: r.files.map((f) => f.path),
          }
        : undefined;
    return {
      files: [...this.held.values()]
        .map(({ path, kind, size, from }) => ({ path, kind, size, ...(from ? { from } : {}) }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
      counts,
      ...(image ? { image } : {}),
      problems: [...this.inputProblems, ...this.extractProblems, ...this.reportProblems].map(toView),
      warnings: [...this.extractWarnings, ...this.reportWarnings],
      text: summaryText(counts, image),
      report: this.built !== undefined,
    };
  }

  /** The .gcda files as libgcov would lay them out, `strip` leading directories dropped. */
  zip(strip = 0, onProgress: (p: Progress) => void = () => undefined): Uint8Array {
    if (!this.result || this.result.files.length === 0)
      throw new InputError(this.imagePath ?? '(no image)', undefined, 'not-found', 'no .gcda to write');
    onProgress({ stage: 'zip', done: 0, total: this.result.files.length });
    const z = gcdaZip(this.result.files, strip);
    onProgress({ stage: 'zip', done: this.result.files.length, total: this.result.files.length });
    return z;
  }

  clear(): void {
    this.held.clear();
    this.archives.clear();
    this.inputProblems.length = 0;
    this.result = undefined;
    this.extractProblems = [];
    this.extractWarnings = [];
    this.imagePath = undefined;
    this.built = undefined;
    this.reportProblems = [];
    this.reportWarnings = [];
    this.others = [];
    this.runsBuilt = undefined;
  }
}
