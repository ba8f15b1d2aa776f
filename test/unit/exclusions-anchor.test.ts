/**
 * Justifications follow their code across edits: on the committed fixture driver
 * (test/fixtures/exclusions/uart.c) and its justification file, edited here the ways code
 * changes. Expected positions come from the edited text itself (where the anchor line is
 * after the edit); function extents from the text (`int name(` up to the next `}` in
 * column 0), as the .gcno would give them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/model/classify';
import { sourceLines } from '../../src/model/exclusions';
import {
  anchorJustification,
  parseJustifications,
  pathMatches,
  type Justification,
} from '../../src/model/justification';

const dir = join(process.cwd(), 'test/fixtures/exclusions');
const original = sourceLines(readFileSync(join(dir, 'uart.c'), 'utf8'));
const { file } = parseJustifications(readFileSync(join(dir, 'justifications.json'), 'utf8'), 'j.json');
const byId = (id: string): Justification => file.justifications.find((j) => j.id === id)!;

function functionsOf(src: string[]) {
  const out: { name: string; demangledName: string; startLine: number; endLine: number }[] = [];
  src.forEach((t, i) => {
    const m = /^int (\w+)\(/.exec(t);
    if (!m) return;
    let end = i;
    while (src[end] !== '}') end++;
    out.push({ name: m[1]!, demangledName: m[1]!, startLine: i + 1, endLine: end + 1 });
  });
  return out;
}

const lineOf = (src: string[], text: string) => src.findIndex((t) => t.trim() === text) + 1;
const anchor = (id: string, src: string[]) => anchorJustification(byId(id), src, functionsOf(src));

describe('justification anchoring', () => {
  const first = lineOf(original, 'if (status & 2) {');

  it('applies where it was recorded', () => {
    const j = byId('UART-1');
    expect(j.lines!.first).toBe(first);
    const at = anchor('UART-1', original);
    expect(at).toEqual({ first, last: j.lines!.last, moved: 0 });
    expect(original[j.lines!.last - 1]!.trim()).toBe(j.anchor!.last);
  });

  it('follows lines inserted above', () => {
    const added = ['/* new */', '#define UART_BASE 0x1000', ''];
    const edited = [...original.slice(0, 3), ...added, ...original.slice(3)];
    const at = anchor('UART-1', edited);
    const want = lineOf(edited, 'if (status & 2) {');
    expect(want).toBe(first + added.length);
    expect(at).toEqual({ first: want, last: byId('UART-1').lines!.last + added.length, moved: added.length });
    // a whole-function entry follows its function
    const fault = functionsOf(edited).find((f) => f.name === 'uart_fault')!;
    expect(anchor('UART-2', edited)).toEqual({ first: fault.startLine, last: fault.endLine, moved: 0 });
  });

  it('follows lines removed above and stays put when an unrelated line changes', () => {
    const removed = original.filter((t, i) => !(i > 0 && i < 6 && t.trim() === ''));
    const gone = original.length - removed.length;
    const at = anchor('UART-1', removed);
    expect(at).toMatchObject({ first: lineOf(removed, 'if (status & 2) {'), moved: -gone });
    const changed = original.map((t) =>
      t.includes('div = 115200 / baud;') ? '\t\tdiv = 230400 / baud;' : t,
    );
    expect(anchor('UART-1', changed)).toEqual(anchor('UART-1', original));
  });

  it('is stale when its code is deleted or its function renamed', () => {
    const at = original.findIndex((t) => t.trim() === 'if (status & 2) {');
    const deleted = [...original.slice(0, at), ...original.slice(at + 5)];
    expect(anchor('UART-1', deleted)).toHaveProperty('stale');
    const renamed = original.map((t) => t.replace('int uart_fault(', 'int uart_ecc_fault('));
    expect(anchor('UART-2', renamed)).toHaveProperty('stale');
    expect(anchor('UART-3', original)).toHaveProperty('stale');
  });

  it('searches only inside the named function', () => {
    // the same text elsewhere (before the function) is not taken
    const copy = [...original.slice(0, 5), '\tif (status & 2) {', ...original.slice(5)];
    const at = anchor('UART-1', copy);
    expect(at).toMatchObject({ first: first + 1, moved: 1 });
  });

  it('without the source, only line numbers can be used', () => {
    expect(anchorJustification(byId('UART-1'), undefined, functionsOf(original))).toHaveProperty('stale');
    const plain: Justification = { ...byId('UART-1') };
    delete plain.anchor;
    expect(anchorJustification(plain, undefined, functionsOf(original))).toEqual({
      first: plain.lines!.first,
      last: plain.lines!.last,
      moved: 0,
    });
  });
});

describe('justification file', () => {
  it('keeps the good entries and reports the broken ones', () => {
    const good = byId('UART-1');
    const text = JSON.stringify({
      version: 1,
      justifications: [good, { file: 'a.c', reason: 'r' }, { ...good, lines: { first: 5, last: 2 } }, 7],
    });
    const r = parseJustifications(text, 'j.json');
    expect(r.file.justifications).toEqual([good]);
    expect(r.problems.map((p) => p.reason.slice(0, 16))).toEqual([
      'justification 2:',
      'justification 3:',
      'justification 4:',
    ]);
  });

  it('rejects what is not a justification file', () => {
    expect(() => parseJustifications('{', 'x')).toThrow(/not JSON/);
    expect(() => parseJustifications('{"version":2,"justifications":[]}', 'x')).toThrow(/version/);
  });

  it('the schema names what the reader takes', () => {
    const schema = JSON.parse(readFileSync(join(process.cwd(), 'docs/justifications.schema.json'), 'utf8'));
    const item = schema.properties.justifications.items;
    const keys = Object.keys(item.properties).sort();
    // every key of the fixture's entries is in the schema, and an entry without a required key is refused
    for (const j of file.justifications) for (const k of Object.keys(j)) expect(keys).toContain(k);
    for (const k of item.required as string[]) {
      const broken: Record<string, unknown> = { ...byId('UART-1') };
      delete broken[k];
      const r = parseJustifications(JSON.stringify({ version: 1, justifications: [broken] }), 'j.json');
      expect(r.file.justifications).toEqual([]);
    }
  });

  it('is told from other dropped files by its content', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'justifications.json')));
    expect(classify('hv/justifications.json', bytes)).toBe('justification');
    expect(classify('package.json', new TextEncoder().encode('{"version":1}'))).toBe('unknown');
    expect(classify('notes.txt', bytes)).toBe('unknown');
  });

  it('matches files by the end of their path', () => {
    expect(pathMatches('/src/hv/uart.c', 'uart.c')).toBe(true);
    expect(pathMatches('/src/hv/uart.c', 'hv/uart.c')).toBe(true);
    expect(pathMatches('/src/hv/uart.c', 'x/uart.c')).toBe(false);
    expect(pathMatches('/src/hv/myuart.c', 'uart.c')).toBe(false);
  });
});
