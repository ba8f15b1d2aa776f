/** genhtml's medium limit: below it a file is in the low band (the Markdown summary's default). */
export const DEFAULT_THRESHOLD = 75;
