#!/usr/bin/env node
/**
 * Writes a large synthetic Jailhouse core image for the extraction benchmark:
 * GCC 12 layout, x86-64 (little-endian, 64-bit pointers), one active counter kind (arcs).
 *
 *   node bench/make-large-image.mjs OUT [--objects 5000] [--counters 10000000] [--seed 1]
 *
 * Image layout (every record 8-aligned, every pointer = BASE + image offset):
 *   [0, 80)   struct jailhouse_header: "JAILHOUS", core_size, percpu_size, entry,
 *             console_page, gcov_info_head (offset 40), zeros
 *   then, per object: gcov_info (112 bytes), its filename, its functions[] array,
 *   its gcov_fn_info records (40 bytes each), then its counter arrays.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const BASE = 0xfffffffff0000000n;
const HEADER_SIZE = 80;
const INFO_SIZE = 112;
const FN_SIZE = 40;

/** gcov_info field offsets (GCC 12, LP64). */
const INFO = {
  version: 0,
  next: 8,
  stamp: 16,
  checksum: 20,
  filename: 24,
  merge: 32,
  nFunctions: 96,
  functions: 104,
};
/** gcov_fn_info field offsets with one active kind. */
const FN = { key: 0, ident: 8, lineno: 12, cfg: 16, num: 24, values: 32 };

const align8 = (x) => (x + 7) & ~7;

/** GCC 12's version word from the installed gcc-12 ("12.2.0" -> "B22*"), or 12.2 if absent. */
export function gcc12VersionWord() {
  let text = '12.2.0';
  try {
    text = execFileSync('gcc-12', ['-dumpfullversion'], { encoding: 'utf8' }).trim();
  } catch {
    // no gcc-12: fall back to 12.2
  }
  const [major, minor] = text.split('.').map(Number);
  const chars = [0x41 + Math.floor(major / 10), 0x30 + (major % 10), 0x30 + minor, 0x2a];
  return ((chars[0] << 24) | (chars[1] << 16) | (chars[2] << 8) | chars[3]) >>> 0;
}

/** 32-bit value fed MSB first through CRC-32 (poly 0x04C11DB7), no reflection, no final xor. */
function crcWord(crc, value) {
  for (let bit = 0; bit < 32; bit++) {
    const feedback = ((value ^ crc) & 0x80000000) !== 0;
    crc = (crc << 1) >>> 0;
    value = (value << 1) >>> 0;
    if (feedback) crc = (crc ^ 0x04c11db7) >>> 0;
  }
  return crc;
}

/** xoshiro128** on four 32-bit words: deterministic and fast. */
function makeRandom(seed) {
  let a = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let b = Math.imul(seed + 1, 0x85ebca6b) >>> 0 || 2;
  let c = 0x27d4eb2f;
  let d = 0x165667b1;
  const next = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    u32: next,
    /** uniform in [0, 1) */
    float: () => next() / 4294967296,
    /** integer in [lo, hi] */
    int: (lo, hi) => lo + Math.floor((next() / 4294967296) * (hi - lo + 1)),
  };
}
const rotl = (x, k) => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * Plans objects and functions: per object 1-40 functions, per function at least one
 * counter, the rest spread by skewed random weights so the total is exactly `counters`.
 */
function plan(objects, counters, rnd) {
  const fnCounts = [];
  let functions = 0;
  for (let i = 0; i < objects; i++) {
    const n = rnd.int(1, 40);
    fnCounts.push(n);
    functions += n;
  }
  // Fewer counters than functions: trim functions (never below one per object).
  while (functions > counters) {
    let trimmed = false;
    for (let i = 0; i < objects && functions > counters; i++)
      if (fnCounts[i] > 1) {
        fnCounts[i]--;
        functions--;
        trimmed = true;
      }
    if (!trimmed) throw new Error(`--counters ${counters} is less than --objects ${objects}`);
  }
  const weights = new Float64Array(functions);
  let total = 0;
  for (let i = 0; i < functions; i++) {
    // heavy-tailed: most functions small, a few large
    const u = rnd.float();
    weights[i] = Math.pow(u, 3) + 0.02;
    total += weights[i];
  }
  const extra = counters - functions;
  const nums = new Uint32Array(functions);
  let given = 0;
  for (let i = 0; i < functions; i++) {
    nums[i] = 1 + Math.floor((weights[i] / total) * extra);
    given += nums[i];
  }
  for (let i = 0; given < counters; i = (i + 1) % functions) {
    nums[i]++;
    given++;
  }
  return { fnCounts, nums, functions };
}

export function makeImage({ objects = 5000, counters = 10_000_000, seed = 1 } = {}) {
  const rnd = makeRandom(seed);
  const version = gcc12VersionWord();
  const { fnCounts, nums, functions } = plan(objects, counters, rnd);

  const names = [];
  for (let i = 0; i < objects; i++) {
    const dir = String(Math.floor(i / 50) % 100).padStart(2, '0');
    names.push(Buffer.from(`/build/hv/dir${dir}/obj${String(i).padStart(4, '0')}.gcda\0`, 'latin1'));
  }

  // Offsets first, so the buffer is allocated once.
  const infoOff = new Array(objects);
  let size = HEADER_SIZE;
  let fi = 0;
  for (let i = 0; i < objects; i++) {
    infoOff[i] = size;
    size += INFO_SIZE;
    size = align8(size + names[i].length);
    size += fnCounts[i] * 8 + fnCounts[i] * FN_SIZE;
    for (let j = 0; j < fnCounts[i]; j++) size += nums[fi++] * 8;
  }
  const img = Buffer.alloc(size);
  const ptr = (off) => BASE + BigInt(off);

  img.write('JAILHOUS', 0, 'latin1');
  img.writeBigUInt64LE(BigInt(size), 8); // core_size
  img.writeBigUInt64LE(ptr(infoOff[0]), 40); // gcov_info_head

  fi = 0;
  let zeroCounters = 0;
  let zeroFunctions = 0;
  for (let i = 0; i < objects; i++) {
    const info = infoOff[i];
    const n = fnCounts[i];
    const nameOff = info + INFO_SIZE;
    const arrOff = align8(nameOff + names[i].length);
    let fnOff = arrOff + n * 8;
    let valOff = fnOff + n * FN_SIZE;

    img.writeUInt32LE(version, info + INFO.version);
    if (i + 1 < objects) img.writeBigUInt64LE(ptr(infoOff[i + 1]), info + INFO.next);
    img.writeUInt32LE(rnd.u32(), info + INFO.stamp);
    img.writeBigUInt64LE(ptr(nameOff), info + INFO.filename);
    img.writeBigUInt64LE(ptr(16), info + INFO.merge); // merge[0] (arcs): any non-NULL value
    img.writeUInt32LE(n, info + INFO.nFunctions);
    img.writeBigUInt64LE(ptr(arrOff), info + INFO.functions);
    names[i].copy(img, nameOff);

    const idents = new Set();
    let checksum = 0;
    for (let j = 0; j < n; j++, fi++) {
      let ident;
      do ident = rnd.u32();
      while (ident === 0 || idents.has(ident));
      idents.add(ident);
      const lineno = rnd.u32();
      const cfg = rnd.u32();
      checksum = crcWord(crcWord(crcWord(checksum, ident), lineno), cfg);

      const num = nums[fi];
      img.writeBigUInt64LE(ptr(fnOff), arrOff + j * 8);
      img.writeBigUInt64LE(ptr(info), fnOff + FN.key);
      img.writeUInt32LE(ident, fnOff + FN.ident);
      img.writeUInt32LE(lineno, fnOff + FN.lineno);
      img.writeUInt32LE(cfg, fnOff + FN.cfg);
      img.writeUInt32LE(num, fnOff + FN.num);
      img.writeBigUInt64LE(ptr(valOff), fnOff + FN.values);

      // ~15% of functions never ran; in the others ~30% of the counters are zero,
      // the rest log-uniform in [1, 1e9]: about 40% zero counters overall.
      if (rnd.float() < 0.15) {
        zeroFunctions++;
        zeroCounters += num;
      } else {
        for (let k = 0; k < num; k++) {
          if (rnd.float() < 0.3) {
            zeroCounters++;
            continue;
          }
          const v = Math.floor(Math.exp(rnd.float() * Math.log(1e9))); // 1 .. 1e9 < 2^32
          img.writeUInt32LE(v, valOff + k * 8); // high word stays 0
        }
      }
      fnOff += FN_SIZE;
      valOff += num * 8;
    }
    img.writeUInt32LE(checksum, info + INFO.checksum);
  }
  return { image: img, objects, functions, counters, zeroCounters, zeroFunctions, version };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      objects: { type: 'string', default: '5000' },
      counters: { type: 'string', default: '10000000' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (positionals.length !== 1) {
    console.error(
      'usage: node bench/make-large-image.mjs OUT [--objects 5000] [--counters 10000000] [--seed 1]',
    );
    process.exit(2);
  }
  const objects = Number(values.objects);
  const counters = Number(values.counters);
  const seed = Number(values.seed);
  if (![objects, counters, seed].every((x) => Number.isInteger(x) && x >= 0) || objects < 1)
    throw new Error('--objects, --counters and --seed take whole numbers (objects >= 1)');
  const r = makeImage({ objects, counters, seed });
  const out = resolve(positionals[0]);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, r.image);
  console.log(
    `${out}: ${r.image.length} bytes, ${r.objects} objects, ${r.functions} functions, ` +
      `${r.counters} counters (${((100 * r.zeroCounters) / r.counters).toFixed(1)}% zero, ` +
      `${r.zeroFunctions} all-zero functions), version word 0x${r.version.toString(16)}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
