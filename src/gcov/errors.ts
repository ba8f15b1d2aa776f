/**
 * Every problem with an input is a typed value: which file, where in it, and what is wrong.
 * Parsers throw InputError for a fatal problem and collect them for records they skip.
 */
export type ProblemCode =
  | 'truncated'
  | 'bad-signature'
  | 'bad-magic'
  | 'bad-pointer'
  | 'pointer-loop'
  | 'bad-version'
  | 'mixed-versions'
  | 'absurd-count'
  | 'bad-string'
  | 'bad-record'
  | 'not-found'
  | 'checksum'
  | 'unsupported'
  | 'bad-argument'
  | 'limit'
  /** Counters that contradict the flow graph (see solveFunction). */
  | 'flow-conservation'
  /** A file we wrote does not read back as what the image holds (extraction's self-check). */
  | 'self-check';

export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly file: string,
    readonly offset: number | undefined,
    readonly code: ProblemCode,
    readonly reason: string,
  ) {
    super(`${file}${offset === undefined ? '' : ` at 0x${offset.toString(16)}`}: ${reason}`);
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

export const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
