/**
 * The app's evidence package: what the session holds, named and matched as the CLI names
 * them (src/model/evidence.ts), so the same inputs and date give the CLI's bytes.
 */
import { evidencePackage, type EvidencePackage, type NamedBytes } from '../model/evidence';
import type { Session } from '../model/session';
import { toolInfo } from '../model/tool';
import { matchSource } from './report-view';

export async function sessionEvidence(
  session: Session,
  now: number,
  justification?: NamedBytes,
): Promise<EvidencePackage> {
  const built = session.report();
  if (!built) throw new Error('no coverage report for an evidence package');
  const image = session.imageData();
  const elfs = session.filesOfKind('elf');
  const sources = session.filesOfKind('source');
  const sourcePaths = sources.map((s) => s.path);
  const named = (f: { path: string; bytes: Uint8Array }): NamedBytes => ({ name: f.path, bytes: f.bytes });
  return evidencePackage({
    report: built.report,
    tool: toolInfo(),
    now,
    ...(image ? { image: { name: image.path, bytes: image.bytes } } : {}),
    // the one ELF the extraction reads (with several, none is used)
    ...(image && elfs.length === 1 ? { elf: named(elfs[0]!) } : {}),
    notes: session.filesOfKind('gcno').map(named),
    data: image ? image.files.map(named) : session.filesOfKind('gcda').map(named),
    source: (path) => {
      const match = matchSource(path, sourcePaths);
      return match === undefined ? undefined : sources.find((s) => s.path === match)!.bytes;
    },
    ...(justification ? { justification } : {}),
  });
}
