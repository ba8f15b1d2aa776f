/**
 * The options of `hvcov report` for the evidence package and the CI summary, apart from the
 * code that writes them (./evidence.ts, loaded only when one is asked for).
 */
import { DEFAULT_THRESHOLD } from '../model/markdown-threshold';

export const EVIDENCE_OPTIONS = {
  package: { type: 'string' },
  markdown: { type: 'string' },
  baseline: { type: 'string' },
  threshold: { type: 'string' },
  date: { type: 'string' },
  justification: { type: 'string' },
} as const;

export const EVIDENCE_HELP = `  --package FILE.zip       evidence package: static HTML report, .gcda zip, lcov, gcov JSON,
                           Cobertura, --justification FILE, manifest with every SHA-256
  --justification FILE     file put into the package as it is (and hashed; default: --exclusions)
  --date ISO-8601          date stamped on the package (default: $SOURCE_DATE_EPOCH, else now)
  --markdown FILE          Markdown summary for a CI job page (totals, files below --threshold)
  --baseline FILE          a previous package (.zip) or its manifest.json: --markdown shows the changes
  --threshold P            --markdown lists files whose line coverage is below P % (default ${DEFAULT_THRESHOLD})`;

export interface EvidenceArgs {
  package?: string;
  markdown?: string;
  baseline?: string;
  threshold?: string;
  date?: string;
  justification?: string;
  /** The --exclusions file: packaged as the justification when no other is named. */
  exclusions?: string;
}
