/**
 * Offsets inside struct gcov_info, gcov_fn_info, gcov_ctr_info and gcov_kvp for one
 * release and word size. Natural C alignment; computed, not tabulated, so every
 * (release, word size) pair follows from the same rule.
 */
import type { GcovFormat } from './format';
import { alignUp, type WordSize } from './memory';

export interface InfoLayout {
  readonly version: number;
  readonly next: number;
  readonly stamp: number;
  readonly checksum: number | undefined;
  readonly filename: number;
  readonly merge: number;
  readonly nFunctions: number;
  readonly functions: number;
  readonly size: number;
  /** gcov_fn_info */
  readonly fnKey: number;
  readonly fnIdent: number;
  readonly fnLinenoChecksum: number;
  readonly fnCfgChecksum: number;
  readonly fnCtrs: number;
  /** gcov_ctr_info: { u32 num; gcov_type *values; } */
  readonly ctrNum: number;
  readonly ctrValues: number;
  readonly ctrStride: number;
  /** gcov_kvp: { gcov_type value; gcov_type count; gcov_kvp *next; }; kvpSize is the bytes read, not the stride */
  readonly kvpValue: number;
  readonly kvpCount: number;
  readonly kvpNext: number;
  readonly kvpSize: number;
}

export function infoLayout(format: GcovFormat, w: WordSize): InfoLayout {
  const next = alignUp(4, w);
  const stamp = next + w;
  const checksum = format.infoChecksum ? stamp + 4 : undefined;
  const filename = alignUp((checksum ?? stamp) + 4, w);
  const merge = filename + w;
  const nFunctions = merge + format.counters.length * w;
  const functions = alignUp(nFunctions + 4, w);
  const fnIdent = w;
  const ctrValues = alignUp(4, w);
  return {
    version: 0,
    next,
    stamp,
    checksum,
    filename,
    merge,
    nFunctions,
    functions,
    size: functions + w,
    fnKey: 0,
    fnIdent,
    fnLinenoChecksum: fnIdent + 4,
    fnCfgChecksum: fnIdent + 8,
    fnCtrs: alignUp(fnIdent + 12, w),
    ctrNum: 0,
    ctrValues,
    ctrStride: ctrValues + w,
    kvpValue: 0,
    kvpCount: 8,
    kvpNext: 16,
    kvpSize: 16 + w,
  };
}
