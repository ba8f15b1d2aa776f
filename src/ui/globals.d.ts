/** hvcov's version (package.json), put in by Vite's `define` at build time. */
declare const __HVCOV_VERSION__: string;
