/** hvcov's version (package.json), put in by Vite's `define` at build time. */
declare const __HVCOV_VERSION__: string;
/** The git commit the app was built from ("" when unknown; "-dirty" when tracked files differed). */
declare const __HVCOV_COMMIT__: string;
