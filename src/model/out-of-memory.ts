/**
 * An allocation the JavaScript engine refused (a buffer or string too large for what is
 * left) turned into an InputError that says what could not be held, instead of an
 * uncaught RangeError that would leave the page waiting.
 */
import { InputError } from '../gcov/errors';
import { formatSize } from './limits';

/** A failed allocation as V8, SpiderMonkey and JavaScriptCore report it. */
export function isOutOfMemory(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof RangeError)
    return /allocation failed|array buffer|typed array length|invalid array length|string length|out of memory/i.test(
      e.message,
    );
  return /out of memory/i.test(e.message);
}

/** The InputError for `what` (e.g. "unpacking", "decoding the image") of an input of `size` bytes. */
export function outOfMemory(file: string, what: string, size: number): InputError {
  return new InputError(
    file,
    undefined,
    'limit',
    `not enough memory for ${what} (${formatSize(size)}): the rest was kept; close other tabs or give fewer files at once`,
  );
}
