/**
 * The file view's highlighter: on every committed fixture source (C, C++ and headers) each
 * line's tokens give back the line exactly, and the quick line-to-line state scan agrees with
 * the tokenizer; the kinds of a few real lines, by C's grammar, and of GNU as lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Highlighter,
  languageOf,
  nextState,
  tokenizeLine,
  type Lang,
  type Token,
} from '../../src/ui/highlight';
import { listFixtures, walkFiles } from '../helpers/fixtures';

const root = join(process.cwd(), 'fixtures/gen');
const sources = [
  ...new Set(
    listFixtures(root).flatMap((c) =>
      walkFiles(join(root, c, 'src')).filter((f) => languageOf(f) !== 'none'),
    ),
  ),
  ...walkFiles(join(process.cwd(), 'test/fixtures')).filter((f) => languageOf(f) !== 'none'),
];

/** Non-space tokens as [kind, text]. */
const kinds = (tokens: readonly Token[]) =>
  tokens.filter((t) => t.text.trim() !== '').map((t) => [t.kind, t.text.trim()] as const);

const lex = (line: string, lang: Lang = 'c') => kinds(tokenizeLine(line, lang).tokens);

describe('the highlighter on the fixture sources', () => {
  it('has C and C++ sources to read', () => {
    expect(sources.some((f) => languageOf(f) === 'c')).toBe(true);
    expect(sources.some((f) => languageOf(f) === 'cpp')).toBe(true);
  });

  it('gives back every line exactly, and its state scan agrees with the tokenizer', () => {
    const wrong: string[] = [];
    let n = 0;
    for (const file of sources) {
      const lang = languageOf(file);
      const lines = readFileSync(file, 'utf8').split('\n');
      const h = new Highlighter(lines, lang);
      let state = 0;
      lines.forEach((line, i) => {
        const r = tokenizeLine(line, lang, state);
        n++;
        if (r.tokens.map((t) => t.text).join('') !== line) wrong.push(`${file}:${i + 1}: text`);
        if (nextState(line, lang, state) !== r.state) wrong.push(`${file}:${i + 1}: state`);
        if (JSON.stringify(h.tokens(i)) !== JSON.stringify(r.tokens)) wrong.push(`${file}:${i + 1}: cache`);
        state = r.state;
      });
    }
    expect(wrong).toEqual([]);
    expect(n).toBeGreaterThan(1000);
  });
});

describe('token kinds by C’s grammar', () => {
  it('reads comments, directives, keywords, numbers and character literals of lib.c', () => {
    expect(lex('/* Small library routines; the hypervisor links no C library. */')).toEqual([
      ['comment', '/* Small library routines; the hypervisor links no C library. */'],
    ]);
    expect(lex('#include <hv/hv.h>')).toEqual([
      ['preprocessor', '#include'],
      ['string', '<hv/hv.h>'],
    ]);
    expect(lex('\tulong h = seed ^ 0x5bd1e995UL;')).toEqual([
      ['plain', 'ulong h = seed ^'],
      ['number', '0x5bd1e995UL'],
      ['plain', ';'],
    ]);
    expect(lex("\twhile (*a != '\\0' && *a == *b) {")).toEqual([
      ['keyword', 'while'],
      ['plain', '(*a !='],
      ['char', "'\\0'"],
      ['plain', '&& *a == *b) {'],
    ]);
    expect(
      lex('\treturn (int)(unsigned char)*a - (int)(unsigned char)*b;').filter(([k]) => k === 'keyword'),
    ).toEqual(['return', 'int', 'unsigned', 'char', 'int', 'unsigned', 'char'].map((w) => ['keyword', w]));
    expect(lex('#define MEM_READ 0x1')).toEqual([
      ['preprocessor', '#define'],
      ['plain', 'MEM_READ'],
      ['number', '0x1'],
    ]);
  });

  it('carries a block comment and a continued directive to the next lines', () => {
    const a = tokenizeLine('x = 1; /* starts', 'c');
    expect(kinds(a.tokens).at(-1)).toEqual(['comment', '/* starts']);
    const b = tokenizeLine('  still */ y = "a\\"b"; // done', 'c', a.state);
    expect(kinds(b.tokens)).toEqual([
      ['comment', 'still */'],
      ['plain', 'y ='],
      ['string', '"a\\"b"'],
      ['plain', ';'],
      ['comment', '// done'],
    ]);
    expect(b.state).toBe(0);
    const d = tokenizeLine('#define TWICE(x) \\', 'c');
    const e = tokenizeLine('\t((x) + (x))', 'c', d.state);
    expect(kinds(e.tokens)).toEqual([['plain', '((x) + (x))']]);
    expect(tokenizeLine('#x', 'c', e.state).tokens[0]!.kind).toBe('preprocessor');
  });

  it('knows C++ keywords only in C++, with literals and digit separators', () => {
    expect(lex('class a : public b {};', 'cpp').filter(([k]) => k === 'keyword')).toEqual([
      ['keyword', 'class'],
      ['keyword', 'public'],
    ]);
    expect(lex('class a;', 'c')).toEqual([['plain', 'class a;']]);
    expect(lex('auto n = 1\'000\'000; auto s = u8"x";', 'cpp')).toEqual([
      ['keyword', 'auto'],
      ['plain', 'n ='],
      ['number', "1'000'000"],
      ['plain', ';'],
      ['keyword', 'auto'],
      ['plain', 's ='],
      ['string', 'u8"x"'],
      ['plain', ';'],
    ]);
  });
});

describe('token kinds of GNU as', () => {
  it('reads labels, directives, mnemonics, registers, immediates and comments', () => {
    expect(lex('.globl arch_entry', 'asm')).toEqual([
      ['directive', '.globl'],
      ['plain', 'arch_entry'],
    ]);
    expect(lex('arch_entry:\tmovq %rsp, %rax  # keep the stack', 'asm')).toEqual([
      ['label', 'arch_entry:'],
      ['keyword', 'movq'],
      ['register', '%rsp'],
      ['plain', ','],
      ['register', '%rax'],
      ['comment', '# keep the stack'],
    ]);
    expect(lex('1:\tmov x0, #-22 // error', 'asm')).toEqual([
      ['label', '1:'],
      ['keyword', 'mov'],
      ['register', 'x0'],
      ['plain', ','],
      ['number', '#-22'],
      ['comment', '// error'],
    ]);
    expect(lex('#include <asm/offsets.h>', 'asm')).toEqual([
      ['preprocessor', '#include'],
      ['string', '<asm/offsets.h>'],
    ]);
    expect(lex('# a whole-line comment', 'asm')).toEqual([['comment', '# a whole-line comment']]);
    expect(languageOf('arch/x86/entry.S')).toBe('asm');
    expect(languageOf('a.cpp')).toBe('cpp');
    expect(languageOf('lib.c')).toBe('c');
    expect(languageOf('README')).toBe('none');
  });
});
