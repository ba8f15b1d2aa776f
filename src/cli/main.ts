/** hvcov command line: the same core as the browser app. */
import { isInputError } from '../gcov/errors';
import { toolInfo } from '../model/tool';

const HELP = `hvcov: coverage from hypervisor memory images and gcov data

  hvcov extract IMAGE --out DIR     write the .gcda files held in a core image
  hvcov report --build DIR --image IMAGE   coverage report: gcov JSON, lcov, summary
  hvcov merge RUN... --out DIR      sum several runs (core images, .gcda trees) into one
  hvcov help COMMAND
  hvcov --version                   the version and the commit it was built from

Run "hvcov COMMAND --help" for a command's options.`;

type Command = (argv: string[], out: (s: string) => void) => Promise<number>;

// Each command's code is loaded only when it runs: `extract` starts faster without the report engine.
const COMMANDS: Record<string, Command> = {
  extract: async (a, o) => (await import('./extract')).extractCommand(a, o),
  report: async (a, o) => {
    // before the engine's code first runs (see v8-tuning.ts)
    (await import('./v8-tuning')).tuneV8ForReport();
    return (await import('./report')).reportCommand(a, o);
  },
  merge: async (a, o) => (await import('./merge')).mergeCommand(a, o),
};

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => console.log(s),
): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') {
    out(HELP);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === 'version') {
    // what a tool qualification record names: the release and the exact sources
    const t = toolInfo();
    out(`hvcov ${t.version}${t.commit ? ` (commit ${t.commit})` : ''}`);
    return 0;
  }
  if (cmd === 'help') {
    const sub = rest[0] && COMMANDS[rest[0]];
    return sub ? sub(['--help'], out) : (out(HELP), 0);
  }
  const run = COMMANDS[cmd];
  if (!run) {
    out(`hvcov: unknown command "${cmd}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await run(rest, out);
  } catch (e) {
    if (isInputError(e)) {
      out(`error: ${e.message}`);
      return 2;
    }
    if (
      e instanceof Error &&
      'code' in e &&
      typeof e.code === 'string' &&
      e.code.startsWith('ERR_PARSE_ARGS')
    ) {
      out(`error: ${e.message}`);
      return 2;
    }
    if (
      e instanceof Error &&
      'code' in e &&
      (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES')
    ) {
      out(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
