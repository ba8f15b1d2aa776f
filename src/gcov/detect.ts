/**
 * Finds, from the image itself, how to read it: word size, byte order, the address the
 * image starts at (base), and where the gcov_info list starts. Options override what is
 * found. Candidates are tried in order and the first whose list reads cleanly wins.
 */
import { InputError, hex } from './errors';
import { formatFor } from './format';
import { readElf, type ElfInfo } from './elf';
import { TargetMemory, type Target, type WordSize } from './memory';
import { decodeVersion } from './version';
import { readInfo } from './walker';

export interface ArchInfo {
  readonly wordSize: WordSize;
  readonly little: boolean;
  /** JAILHOUSE_BASE, where Jailhouse runs on this architecture. */
  readonly jailhouseBase?: bigint;
}

export const ARCHES: Readonly<Record<string, ArchInfo>> = {
  x86_64: { wordSize: 8, little: true, jailhouseBase: 0xfffffffff0000000n },
  arm64: { wordSize: 8, little: true, jailhouseBase: 0xffffc0200000n },
  arm: { wordSize: 4, little: true, jailhouseBase: 0xf0000000n },
  riscv64: { wordSize: 8, little: true, jailhouseBase: 0xffffffdfff000000n },
  x86: { wordSize: 4, little: true },
  powerpc: { wordSize: 4, little: false },
  powerpc64: { wordSize: 8, little: false },
  s390x: { wordSize: 8, little: false },
  mips: { wordSize: 4, little: false },
};

export interface DetectOptions {
  base?: bigint;
  arch?: string;
  wordSize?: WordSize;
  little?: boolean;
  /** Address of the first gcov_info. */
  head?: bigint;
  /** The program's ELF, for target, link address and symbols. */
  elf?: { bytes: Uint8Array; name: string };
  /** Symbol holding the list head (default: hypervisor_header, gcov_info_head, __gcov_root). */
  headSymbol?: string;
  /** Look for gcov_info records anywhere in the image. */
  scan?: boolean;
}

export type HeadSource = 'jailhouse-header' | 'elf-symbol' | 'head-option' | 'scan';
export type BaseSource = 'option' | 'jailhouse-default' | 'elf' | 'derived';

export interface Detection {
  readonly target: Target;
  readonly arch: string | undefined;
  readonly base: bigint;
  readonly baseSource: BaseSource;
  /** Image offsets of list heads (one, except when scanning finds several chains). */
  readonly heads: readonly number[];
  readonly headSource: HeadSource;
  readonly headAddress: bigint | undefined;
  readonly coreSize: bigint | undefined;
  readonly memory: TargetMemory;
  readonly notes: readonly string[];
}

const SIGNATURE = [0x4a, 0x41, 0x49, 0x4c, 0x48, 0x4f, 0x55, 0x53]; // "JAILHOUS"
/** Field offsets in struct jailhouse_header: core_size, then gcov_info_head. */
const HEADER = { 8: { coreSize: 8, head: 40 }, 4: { coreSize: 8, head: 24 } } as const;
export const DEFAULT_HEAD_SYMBOLS = ['hypervisor_header', 'gcov_info_head', '__gcov_root'];

export const hasJailhouseSignature = (b: Uint8Array): boolean =>
  b.length >= 8 && SIGNATURE.every((c, i) => b[i] === c);

function targetsToTry(opts: DetectOptions, elf: ElfInfo | undefined): Target[] {
  const arch = opts.arch ? ARCHES[opts.arch] : undefined;
  const ws: WordSize[] =
    opts.wordSize !== undefined ? [opts.wordSize] : arch ? [arch.wordSize] : elf ? [elf.wordSize] : [8, 4];
  const ls: boolean[] =
    opts.little !== undefined ? [opts.little] : arch ? [arch.little] : elf ? [elf.little] : [true, false];
  const out: Target[] = [];
  for (const wordSize of ws) for (const little of ls) out.push({ wordSize, little });
  return out;
}

function readWord(b: Uint8Array, off: number, t: Target): bigint {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return t.wordSize === 8 ? v.getBigUint64(off, t.little) : BigInt(v.getUint32(off, t.little));
}

/**
 * How many of the first `depth` list entries from `off` read cleanly. The walk follows
 * `next` even past a damaged record, so one bad record does not hide the list.
 */
function chainScore(mem: TargetMemory, off: number, depth = 8): number {
  let at: number | null = off;
  const seen = new Set<number>();
  let good = 0;
  for (let i = 0; i < depth && at !== null; i++) {
    if (seen.has(at) || !mem.contains(at, 2 * mem.wordSize)) break;
    seen.add(at);
    try {
      const rec = readInfo(mem, at, i, '');
      if (/^[\x20-\x7e]+$/.test(rec.filename)) good++;
    } catch {
      // damaged record: keep following the chain
    }
    at = mem.isNullAt(at + mem.wordSize) ? null : mem.targetOffsetAt(at + mem.wordSize);
  }
  return good;
}

const chainIsValid = (mem: TargetMemory, off: number, depth?: number): boolean =>
  chainScore(mem, off, depth) > 0;

/** Offsets (4-aligned) holding a version word of a known release, in the target's byte order. */
export function* versionWordOffsets(b: Uint8Array, little: boolean, step = 4): Generator<number> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const digit = (x: number | undefined): boolean => x !== undefined && x >= 0x30 && x <= 0x39;
  for (let o = 0; o + 4 <= b.length; o += step) {
    // cheap byte test first: the two middle characters are digits in every release
    if (!digit(b[o + 1]) || !digit(b[o + 2])) continue;
    const ver = decodeVersion(v.getUint32(o, little));
    if (ver && formatFor(ver)) yield o;
  }
}

/**
 * Base such that the list from `headPtr` lies in the image and reads cleanly: first
 * where the head's own version word lines up, then (head damaged) any page-aligned base.
 */
function deriveBase(b: Uint8Array, t: Target, headPtr: bigint): bigint | undefined {
  let fallback: bigint | undefined;
  for (const o of versionWordOffsets(b, t.little, Math.min(t.wordSize, 8))) {
    const base = headPtr - BigInt(o);
    if (base < 0n) break;
    const mem = new TargetMemory(b, t, base);
    if (!chainIsValid(mem, o)) continue;
    if (base % 4096n === 0n) return base;
    fallback ??= base;
  }
  if (fallback !== undefined) return fallback;
  const page = 4096n;
  let best: { base: bigint; score: number } | undefined;
  for (let base = headPtr - (headPtr % page); base >= 0n && headPtr - base < BigInt(b.length); base -= page) {
    const mem = new TargetMemory(b, t, base);
    const score = chainScore(mem, Number(headPtr - base));
    if (score > (best?.score ?? 0)) best = { base, score };
  }
  return best?.base;
}

export function detect(bytes: Uint8Array, file: string, opts: DetectOptions = {}): Detection {
  const elf = opts.elf ? readElf(opts.elf.bytes, opts.elf.name) : undefined;
  const notes: string[] = [];
  const targets = targetsToTry(opts, elf);
  const minSize = 64;
  if (bytes.length < minSize)
    throw new InputError(file, 0, 'truncated', `${bytes.length} bytes is too small for a memory image`);

  // Base candidates, best first: what the user said, then the ELF's link address, then
  // Jailhouse's address for each architecture this target could be.
  const baseCandidates = (t: Target): { base: bigint; source: BaseSource; arch?: string }[] => {
    if (opts.base !== undefined) return [{ base: opts.base, source: 'option' }];
    const out: { base: bigint; source: BaseSource; arch?: string }[] = [];
    if (elf && elf.loads.length > 0) {
      const low = elf.loads.reduce((m, s) => (s.vaddr < m ? s.vaddr : m), elf.loads[0]!.vaddr);
      out.push({ base: low, source: 'elf', arch: elf.arch });
    }
    for (const [name, a] of Object.entries(ARCHES)) {
      if (opts.arch && opts.arch !== name) continue;
      if (a.jailhouseBase !== undefined && a.wordSize === t.wordSize && a.little === t.little)
        out.push({ base: a.jailhouseBase, source: 'jailhouse-default', arch: name });
    }
    return out;
  };

  const resolve = (
    t: Target,
    headPtr: bigint,
  ): { base: bigint; source: BaseSource; arch: string | undefined; mem: TargetMemory } | undefined => {
    for (const c of baseCandidates(t)) {
      const mem = new TargetMemory(bytes, t, c.base);
      const off = mem.offsetOfAddress(headPtr);
      if (off >= 0 && chainIsValid(mem, off)) return { ...c, arch: c.arch ?? opts.arch, mem };
    }
    if (opts.base !== undefined) return undefined;
    const base = deriveBase(bytes, t, headPtr);
    if (base === undefined) return undefined;
    return { base, source: 'derived', arch: opts.arch ?? elf?.arch, mem: new TargetMemory(bytes, t, base) };
  };

  const found = (
    t: Target,
    r: NonNullable<ReturnType<typeof resolve>>,
    headPtr: bigint,
    headSource: HeadSource,
    coreSize?: bigint,
  ): Detection => ({
    target: t,
    arch: r.arch,
    base: r.base,
    baseSource: r.source,
    heads: [r.mem.offsetOfAddress(headPtr)],
    headSource,
    headAddress: headPtr,
    coreSize,
    memory: r.mem,
    notes,
  });

  // 1. An explicit head address.
  if (opts.head !== undefined) {
    for (const t of targets) {
      const r = resolve(t, opts.head);
      if (r) return found(t, r, opts.head, 'head-option');
    }
    throw new InputError(
      file,
      undefined,
      'not-found',
      `no readable gcov_info at --head ${hex(opts.head)}${opts.base === undefined ? ' for any base' : ` with base ${hex(opts.base)}`}`,
    );
  }

  // 2. The Jailhouse header at offset 0.
  if (hasJailhouseSignature(bytes)) {
    const tried: string[] = [];
    // Prefer the word size whose core_size equals the image size.
    const ranked = [...targets].sort((a, b) => {
      const fit = (t: Target) =>
        readWord(bytes, HEADER[t.wordSize].coreSize, t) === BigInt(bytes.length) ? 0 : 1;
      return fit(a) - fit(b);
    });
    for (const t of ranked) {
      const f = HEADER[t.wordSize];
      const coreSize = readWord(bytes, f.coreSize, t);
      const headPtr = readWord(bytes, f.head, t);
      if (headPtr === 0n) {
        tried.push(`${t.wordSize * 8}-bit: gcov_info_head is NULL`);
        continue;
      }
      const r = resolve(t, headPtr);
      if (r) {
        if (coreSize !== BigInt(bytes.length))
          notes.push(
            coreSize > BigInt(bytes.length)
              ? `header core_size ${hex(coreSize)} is larger than the image (${hex(bytes.length)} bytes): truncated image?`
              : `header core_size ${hex(coreSize)} differs from the image size ${hex(bytes.length)}`,
          );
        return found(t, r, headPtr, 'jailhouse-header', coreSize);
      }
      tried.push(
        `${t.wordSize * 8}-bit ${t.little ? 'LE' : 'BE'}: head ${hex(headPtr)} leads to no readable gcov_info`,
      );
    }
    if (!opts.elf && !opts.scan)
      throw new InputError(
        file,
        HEADER[8].head,
        'not-found',
        `Jailhouse header found but no gcov_info list could be read (${tried.join('; ')}). Was the hypervisor built with CONFIG_JAILHOUSE_GCOV? Try --base, --arch or --elf.`,
      );
    notes.push(`Jailhouse header: ${tried.join('; ')}`);
  }

  // 3. A symbol of the ELF.
  if (elf) {
    const names = opts.headSymbol ? [opts.headSymbol] : DEFAULT_HEAD_SYMBOLS;
    for (const t of targets) {
      for (const name of names) {
        const sym = elf.symbols.get(name);
        if (!sym) continue;
        const field = name === 'hypervisor_header' ? BigInt(HEADER[t.wordSize].head) : 0n;
        for (const c of baseCandidates(t)) {
          const mem = new TargetMemory(bytes, t, c.base);
          const at = mem.offsetOfAddress(sym.value + field);
          if (at < 0 || !mem.contains(at, t.wordSize) || mem.isNullAt(at)) continue;
          const headPtr = mem.pointerAt(at);
          const off = mem.offsetOfAddress(headPtr);
          if (off >= 0 && chainIsValid(mem, off)) {
            notes.push(`list head read from symbol ${name} at ${hex(sym.value + field)}`);
            return found(t, { ...c, arch: c.arch ?? elf.arch, mem }, headPtr, 'elf-symbol');
          }
        }
      }
    }
    if (!opts.scan)
      throw new InputError(
        opts.elf!.name,
        undefined,
        'not-found',
        `none of the symbols ${names.join(', ')} leads to a readable gcov_info list in ${file}`,
      );
  }

  // 4. Opt-in: look for records anywhere.
  if (opts.scan) {
    for (const t of targets) {
      const d = scanForRecords(bytes, t, opts.base);
      if (d) {
        notes.push(`found ${d.heads.length} list(s) by scanning`);
        return {
          target: t,
          arch: opts.arch ?? elf?.arch,
          base: d.base,
          baseSource: opts.base !== undefined ? 'option' : 'derived',
          heads: d.heads,
          headSource: 'scan',
          headAddress: undefined,
          coreSize: undefined,
          memory: d.mem,
          notes,
        };
      }
    }
    throw new InputError(file, undefined, 'not-found', 'scanning found no gcov_info records');
  }

  throw new InputError(
    file,
    0,
    'bad-signature',
    'no Jailhouse header (signature "JAILHOUS" at offset 0); give --head ADDR, --elf FILE or --scan',
  );
}

/**
 * Records point at each other through `next`: the base that makes most `next` pointers
 * land on other version words is the image's base. Chains start at records no other
 * record points to.
 */
function scanForRecords(
  b: Uint8Array,
  t: Target,
  fixedBase: bigint | undefined,
): { base: bigint; heads: number[]; mem: TargetMemory } | undefined {
  const cands = [...versionWordOffsets(b, t.little, t.wordSize)];
  if (cands.length === 0) return undefined;
  const probe = new TargetMemory(b, t, 0n);
  const candSet = new Set(cands);
  let base = fixedBase;
  if (base === undefined) {
    const votes = new Map<bigint, number>();
    for (const o of cands.slice(0, 256)) {
      if (!probe.contains(o + t.wordSize, t.wordSize) || probe.isNullAt(o + t.wordSize)) continue;
      const p = probe.pointerAt(o + t.wordSize);
      for (const q of cands) {
        const bse = p - BigInt(q);
        if (bse >= 0n && q !== o) votes.set(bse, (votes.get(bse) ?? 0) + 1);
      }
    }
    let best = -1;
    for (const [bse, n] of votes) {
      const better =
        n > best || (n === best && bse % 4096n === 0n && base !== undefined && base % 4096n !== 0n);
      if (better) {
        best = n;
        base = bse;
      }
    }
    // A single record links to nothing: try the filename pointer's page instead.
    if (base === undefined) return undefined;
  }
  const mem = new TargetMemory(b, t, base);
  const valid = cands.filter((o) => chainIsValid(mem, o, 1));
  if (valid.length === 0) return undefined;
  const pointedTo = new Set<number>();
  for (const o of valid) if (!mem.isNullAt(o + t.wordSize)) pointedTo.add(mem.targetOffsetAt(o + t.wordSize));
  const heads = valid.filter((o) => !pointedTo.has(o) && candSet.has(o));
  return heads.length > 0 ? { base, heads, mem } : undefined;
}
