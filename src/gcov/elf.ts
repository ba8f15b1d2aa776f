/**
 * Minimal ELF reader: class, byte order, machine, loadable segments and symbols.
 * Enough to take the target's word size, byte order and link address from the
 * hypervisor ELF and to find the gcov list head by symbol name.
 */
import { WordReader } from './bytes';
import { InputError } from './errors';
import type { WordSize } from './memory';

export interface ElfSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
}

export interface ElfSegment {
  readonly vaddr: bigint;
  readonly memsz: bigint;
}

export interface ElfInfo {
  readonly wordSize: WordSize;
  readonly little: boolean;
  readonly machine: number;
  readonly arch: string | undefined;
  readonly loads: readonly ElfSegment[];
  readonly symbols: ReadonlyMap<string, ElfSymbol>;
}

const MACHINES: Record<number, string> = {
  3: 'x86',
  8: 'mips',
  20: 'powerpc',
  21: 'powerpc64',
  22: 's390x',
  40: 'arm',
  62: 'x86_64',
  183: 'arm64',
  243: 'riscv',
};

/** Longest symbol name read (longer ones are not symbols hvcov looks up). */
const MAX_NAME = 4096;

export const isElf = (b: Uint8Array): boolean =>
  b.length >= 16 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

export function readElf(bytes: Uint8Array, file: string): ElfInfo {
  const fail = (off: number | undefined, reason: string): never => {
    throw new InputError(file, off, 'bad-record', `ELF: ${reason}`);
  };
  if (!isElf(bytes)) fail(0, 'not an ELF file (no \\x7fELF magic)');
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 1 && cls !== 2) fail(4, `unknown class ${cls}`);
  if (data !== 1 && data !== 2) fail(5, `unknown data encoding ${data}`);
  const is64 = cls === 2;
  const r = new WordReader(bytes, data === 1);
  const need = (off: number, len: number): void => {
    if (off < 0 || off + len > bytes.length)
      fail(off, `truncated (needs ${len} bytes at 0x${off.toString(16)})`);
  };
  const word = (off: number): bigint => (is64 ? r.u64(off) : BigInt(r.u32(off)));
  const half = (off: number): number => r.view.getUint16(off, r.little);
  need(0, is64 ? 64 : 52);
  const machine = half(18);
  const phoff = Number(word(is64 ? 32 : 28));
  const shoff = Number(word(is64 ? 40 : 32));
  const phentsize = half(is64 ? 54 : 42);
  const phnum = half(is64 ? 56 : 44);
  const shentsize = half(is64 ? 58 : 46);
  const shnum = half(is64 ? 60 : 48);

  const loads: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    need(p, is64 ? 56 : 32);
    if (r.u32(p) !== 1) continue; // PT_LOAD
    const vaddr = word(p + (is64 ? 16 : 8));
    const memsz = word(p + (is64 ? 40 : 20));
    if (memsz > 0n) loads.push({ vaddr, memsz });
  }

  const symbols = new Map<string, ElfSymbol>();
  const section = (i: number) => {
    const s = shoff + i * shentsize;
    need(s, is64 ? 64 : 40);
    return {
      type: r.u32(s + 4),
      offset: Number(word(s + (is64 ? 24 : 16))),
      size: Number(word(s + (is64 ? 32 : 20))),
      link: r.u32(s + (is64 ? 40 : 24)),
      entsize: Number(word(s + (is64 ? 56 : 36))),
    };
  };
  // Symbol tables of a sound file are disjoint: more entries than the file holds means
  // headers that share a table (a hostile file would make the reading quadratic).
  const minEnt = is64 ? 24 : 16;
  let entriesLeft = Math.floor(bytes.length / minEnt);
  for (let i = 0; i < shnum; i++) {
    const sh = section(i);
    if (sh.type !== 2) continue; // SHT_SYMTAB
    const str = section(sh.link);
    need(sh.offset, sh.size);
    need(str.offset, str.size);
    const ent = sh.entsize || minEnt;
    if (ent < minEnt) fail(undefined, `symbol table entries of ${ent} bytes`);
    entriesLeft -= Math.floor(sh.size / ent);
    if (entriesLeft < 0) fail(undefined, 'symbol tables hold more entries than the file');
    for (let o = sh.offset; o + ent <= sh.offset + sh.size; o += ent) {
      const nameOff = str.offset + r.u32(o);
      let end = nameOff;
      // a name runs to a NUL within MAX_NAME bytes, else it is skipped: an unterminated
      // string table would make each symbol scan all of it
      const limit = Math.min(str.offset + str.size, nameOff + MAX_NAME);
      while (end < limit && bytes[end] !== 0) end++;
      if (end === nameOff || end === nameOff + MAX_NAME) continue;
      const name = new TextDecoder().decode(bytes.subarray(nameOff, end));
      const value = is64 ? r.u64(o + 8) : BigInt(r.u32(o + 4));
      const size = is64 ? r.u64(o + 16) : BigInt(r.u32(o + 8));
      if (!symbols.has(name)) symbols.set(name, { name, value, size });
    }
  }
  return {
    wordSize: is64 ? 8 : 4,
    little: r.little,
    machine,
    arch: MACHINES[machine],
    loads,
    symbols,
  };
}
