/** `hvcov report --package / --markdown`: the evidence package and the CI summary. */
import { writeFileSync } from 'node:fs';
import { InputError } from '../gcov/errors';
import { evidencePackage, manifestNumbers, type NamedBytes } from '../model/evidence';
import { markdownSummary, readBaselineFile } from '../model/markdown';
import type { Report } from '../model/report';
import { toolInfo } from '../model/tool';
import type { EvidenceArgs } from './evidence-options';
import { bytesOf, isFile } from './inputs';

export interface EvidenceContext {
  readonly report: Report;
  readonly notes: readonly NamedBytes[];
  readonly data: readonly NamedBytes[];
  /** Path of the core image, when the data came from one. */
  readonly image?: string;
  readonly elf?: string;
}

/** The package's date: --date, else SOURCE_DATE_EPOCH (reproducible builds), else now. */
function packageTime(date: string | undefined): number {
  if (date !== undefined) {
    const t = Date.parse(date);
    if (!/^\d{4}-\d\d-\d\d/.test(date) || Number.isNaN(t))
      throw new InputError(
        'command line',
        undefined,
        'bad-argument',
        `--date: "${date}" is not an ISO 8601 date`,
      );
    return t;
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return Number(epoch) * 1000;
  return Date.now();
}

function percentArg(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v > 100)
    throw new InputError('command line', undefined, 'bad-argument', `${what}: a percentage from 0 to 100`);
  return v;
}

/** Writes what the evidence options ask for; nothing when none is given. */
export async function writeEvidence(
  v: EvidenceArgs,
  ctx: EvidenceContext,
  out: (s: string) => void,
): Promise<void> {
  const threshold = percentArg(v.threshold, '--threshold');
  if (v.baseline !== undefined && v.markdown === undefined)
    throw new InputError('command line', undefined, 'bad-argument', '--baseline: only with --markdown');
  if (v.package !== undefined) {
    const now = packageTime(v.date);
    const pkg = await evidencePackage({
      report: ctx.report,
      tool: toolInfo(),
      now,
      ...(ctx.image !== undefined ? { image: { name: ctx.image, bytes: bytesOf(ctx.image) } } : {}),
      // the ELF only matters (and is only read) with an image, as in the app
      ...(ctx.image !== undefined && ctx.elf !== undefined
        ? { elf: { name: ctx.elf, bytes: bytesOf(ctx.elf) } }
        : {}),
      notes: ctx.notes,
      data: ctx.data,
      source: (path) => (isFile(path) ? bytesOf(path) : undefined),
      ...((just) => (just !== undefined ? { justification: { name: just, bytes: bytesOf(just) } } : {}))(
        v.justification ?? v.exclusions,
      ),
    });
    writeFileSync(v.package, pkg.zip);
    out(
      `package:  ${v.package} (${pkg.manifest.inputs.length} inputs, ${pkg.manifest.outputs.length} outputs, ${pkg.manifest.date})`,
    );
  }
  if (v.markdown !== undefined) {
    const baseline = v.baseline !== undefined ? readBaselineFile(bytesOf(v.baseline), v.baseline) : undefined;
    const numbers = {
      totals: manifestNumbers(ctx.report.totals),
      files: ctx.report.files.map((f) => ({ path: f.path, ...manifestNumbers(f.totals) })),
    };
    writeFileSync(
      v.markdown,
      markdownSummary(numbers, {
        ...(baseline ? { baseline } : {}),
        ...(threshold !== undefined ? { threshold } : {}),
      }),
    );
  }
}
