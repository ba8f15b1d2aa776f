/**
 * How test/fixtures/paths/paths.c is built (here and by scripts/gen-paths-fixture.sh): the
 * path limit lets `many` (2^10 paths) be instrumented and makes gcc give up on `too_many`.
 */
export const PATHS_CFLAGS = ['--coverage', '-g0', '-fpath-coverage', '-fpath-coverage-limit=2500'];
