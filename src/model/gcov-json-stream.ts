/**
 * gcov JSON for a whole build, one object at a time: each .gcno is solved, written as one
 * JSON line and dropped before the next, without the merged report model. The lines are
 * the same as the `json` documents of buildReport, in the same order.
 */
import { pushAll } from '../gcov/push-all';
import { InputError, isInputError } from '../gcov/errors';
import type { Gcno } from '../gcov/gcno';
import { newPrimePathPool, type PrimePathPool } from '../gcov/prime-paths';
import { writeGcovJsonFiles } from './gcov-json';
import { JsonBytes, type ByteSink } from './json-bytes';
import {
  gcovJsonOptions,
  gcovVersionString,
  KEEP_PARSED_NOTES,
  normalisePath,
  objectData,
  readAndPair,
  readAgain,
  type ObjectData,
  type DataInput,
  type NotesInput,
  type ReadNotes,
  type ReportOptions,
} from './report';

export interface GcovJsonStreamResult {
  /** Objects written (each .gcno that could be computed). */
  readonly objects: number;
  /** Of those, the ones with matching data. */
  readonly matched: number;
  /** Notes written without data (every count 0). */
  readonly withoutData: string[];
  /** Distinct source files with at least one line, as the report model counts them. */
  readonly sourceFiles: number;
  readonly problems: InputError[];
  /** Per function: counters that contradict the flow graph, as Report.flow. */
  readonly flow: InputError[];
}

/**
 * Writes every object's gcov JSON line, as UTF-8 in pieces (each reused after `write` returns).
 * Each input's bytes are let go once parsed: its entry in `notes` or `data` is replaced by one
 * with the same name and no bytes. Of the parsed notes, `keepBytes` worth are kept for their
 * turn; the others are read again (`reload`) then.
 */
export function streamGcovJson(
  notes: NotesInput[],
  data: DataInput[],
  opts: ReportOptions,
  write: ByteSink,
  keepBytes = KEEP_PARSED_NOTES,
): GcovJsonStreamResult {
  const out = new JsonBytes(write);
  const problems: InputError[] = [];
  // one enumeration budget for the prime paths of the whole report
  const primePathPool = newPrimePathPool();
  const flow: InputError[] = [];
  const paired = readAndPair(notes, data, problems, { keepBytes });
  const { pairs, damaged } = paired;
  // entries are dropped as the objects are written
  const readNotes: (ReadNotes<Gcno | undefined> | undefined)[] = paired.readNotes;

  let objects = 0;
  let matched = 0;
  const withoutData: string[] = [];
  const sources = new Set<string>();
  for (let i = 0; i < readNotes.length; i++) {
    const n = readNotes[i]!;
    // Dropped before the work, so that each object's data can go once it is written.
    readNotes[i] = undefined;
    const d = pairs.get(n);
    pairs.delete(n);
    const refused = damaged.get(n);
    const gcno = n.gcno ?? readAgain(n, problems);
    if (gcno === undefined) continue;
    const r = writeObjectGcovJson({ ...n, gcno }, d?.input ?? refused, opts, out, primePathPool);
    pushAll(problems, r.problems);
    pushAll(flow, r.flow);
    if (!r.written) continue;
    objects++;
    if (d || refused) matched++;
    else withoutData.push(n.input.name);
    for (const s of r.sources) sources.add(s);
  }
  out.flush();
  return { objects, matched, withoutData, sourceFiles: sources.size, problems, flow };
}

/** What writing one object's gcov JSON line gave. */
export interface ObjectGcovJson {
  /** false: the object could not be computed (its problem is in `problems`), nothing written. */
  readonly written: boolean;
  readonly problems: InputError[];
  readonly flow: InputError[];
  /** Its source files with at least one line, normalised as the report model names them. */
  readonly sources: string[];
}

/**
 * One object's gcov JSON line: the notes solved with their data (paired, or refused and
 * read as gcov reads it; none: every count 0).
 */
export function writeObjectGcovJson(
  n: ReadNotes,
  dataInput: DataInput | undefined,
  opts: ReportOptions,
  out: JsonBytes,
  primePathPool: PrimePathPool,
): ObjectGcovJson {
  const problems: InputError[] = [];
  const { gcno } = n;
  let object: ObjectData;
  try {
    object = objectData(n, dataInput, opts);
  } catch (e) {
    if (!isInputError(e)) throw e;
    return { written: false, problems: [e], flow: [], sources: [] };
  }
  const { coverage: cov, dataFile } = object;
  pushAll(problems, cov.problems);
  const cwd = gcno.cwd;
  out.text('{"format_version":');
  out.utf8(JSON.stringify(gcno.format.jsonFormat));
  out.text(',"gcc_version":');
  out.string(gcovVersionString(gcno));
  if (cwd !== undefined) {
    out.text(',"current_working_directory":');
    out.string(cwd);
  }
  out.text(',"data_file":');
  out.string(dataFile);
  out.text(',"files":');
  writeGcovJsonFiles(cov, gcovJsonOptions(gcno, opts, problems, primePathPool), out);
  out.text('}\n');
  const root = opts.sourceRoot ?? gcno.cwd ?? '/';
  const sources: string[] = [];
  for (const f of cov.files)
    if (f.lines.size > 0 || f.functions.some((fn) => fn.group && fn.lines.size > 0))
      sources.push(normalisePath(f.file, root));
  return { written: true, problems, flow: cov.flow, sources };
}
