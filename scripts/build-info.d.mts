export function buildInfo(root: URL): { version: string; commit: string };
