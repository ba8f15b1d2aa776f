/** Parsing of the option values shared by the CLI commands. */
import { InputError } from '../gcov/errors';
import { ARCHES, type DetectOptions } from '../gcov/detect';

export function parseAddress(text: string, what: string): bigint {
  const t = text.trim().replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t))
    throw new InputError('command line', undefined, 'bad-argument', `${what}: "${text}" is not an address`);
  return BigInt(t);
}

export interface TargetArgs {
  base?: string;
  arch?: string;
  'word-size'?: string;
  endian?: string;
  head?: string;
  'head-symbol'?: string;
  scan?: boolean;
}

export function detectOptions(v: TargetArgs): DetectOptions {
  const o: DetectOptions = {};
  if (v.base !== undefined) o.base = parseAddress(v.base, '--base');
  if (v.head !== undefined) o.head = parseAddress(v.head, '--head');
  if (v.arch !== undefined) {
    if (!ARCHES[v.arch])
      throw new InputError(
        'command line',
        undefined,
        'bad-argument',
        `--arch ${v.arch}: one of ${Object.keys(ARCHES).join(', ')}`,
      );
    o.arch = v.arch;
  }
  if (v['word-size'] !== undefined) {
    const n = Number(v['word-size']);
    if (n !== 32 && n !== 64 && n !== 4 && n !== 8)
      throw new InputError('command line', undefined, 'bad-argument', '--word-size: 32 or 64');
    o.wordSize = n === 32 || n === 4 ? 4 : 8;
  }
  if (v.endian !== undefined) {
    if (v.endian !== 'little' && v.endian !== 'big')
      throw new InputError('command line', undefined, 'bad-argument', '--endian: little or big');
    o.little = v.endian === 'little';
  }
  if (v['head-symbol'] !== undefined) o.headSymbol = v['head-symbol'];
  if (v.scan) o.scan = true;
  return o;
}

export const TARGET_OPTIONS = {
  base: { type: 'string' },
  arch: { type: 'string' },
  'word-size': { type: 'string' },
  endian: { type: 'string' },
  head: { type: 'string' },
  elf: { type: 'string' },
  'head-symbol': { type: 'string' },
  scan: { type: 'boolean' },
} as const;

/** Where extracted or merged .gcda go: shared by `extract` and `merge`. */
export const OUTPUT_OPTIONS = {
  out: { type: 'string' },
  zip: { type: 'string' },
  strip: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
