/** Where the tests find a GCC's tools: 11 and 12 from the system, the others from scripts/debian-gcc.sh. */
export const gccTool = (major: number, tool: string): string =>
  major === 11 || major === 12
    ? `/usr/bin/${tool}-${major}`
    : `/opt/debian-gcc/${major}/bin/${tool}-${major}`;
