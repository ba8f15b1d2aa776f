/**
 * gcov JSON documents as text, with numbers printed the way the notes' gcov prints them:
 * gcov 9 printed every number with C's %g (1869698 → 1.8697e+06), later releases exactly.
 * The documents themselves keep the exact counts (the report model, Cobertura and the
 * app use them; gcov's text output prints them exactly too).
 */
import { printfG } from './printf-g';
import type { Report, ReportObject } from './report';

/** JSON.stringify's text (keys in insertion order, undefined members left out), numbers as %g. */
export function stringifyPrintfG(value: unknown): string {
  if (typeof value === 'number') return printfG(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(stringifyPrintfG).join(',') + ']';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value))
    if (v !== undefined) parts.push(JSON.stringify(k) + ':' + stringifyPrintfG(v));
  return '{' + parts.join(',') + '}';
}

/** One object's gcov JSON document as one line of text (with its newline). */
export function gcovJsonLine(o: ReportObject): string {
  const text = o.format.jsonNumbers === 'printf-g' ? stringifyPrintfG(o.json) : JSON.stringify(o.json);
  return text + '\n';
}

/** The report's gcov JSON: one line per object, as `hvcov report --gcov-json` writes it. */
export const gcovJsonLines = (report: Report): string => report.objects.map(gcovJsonLine).join('');
