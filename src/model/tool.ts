/** The tool's name, version and commit, put in at build time (Vite's and esbuild's define). */
import type { ToolInfo } from './evidence';

export function toolInfo(): ToolInfo {
  // typeof: unbundled (tests run the sources) the names are not defined
  const version = typeof __HVCOV_VERSION__ === 'string' ? __HVCOV_VERSION__ : 'unbuilt';
  const commit = typeof __HVCOV_COMMIT__ === 'string' ? __HVCOV_COMMIT__ : '';
  return { name: 'hvcov', version, ...(commit ? { commit } : {}) };
}
