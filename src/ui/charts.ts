/** The recharts charts, one chunk loaded on demand by chart-loader.ts. */
export { DirectoryChart } from './DirectoryChart';
export { SeriesChart } from './SeriesChart';
