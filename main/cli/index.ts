// The `evolve` command line: serve (browser host), start (desktop or host), doctor, version.
import { parseArgs } from 'node:util';
import { toErrorInfo } from '../../common/errors';
import { readAppInfo } from '../services/app/app-info';
import { doctor } from './doctor';
import { generateCommand } from './generate';
import { OPTIMIZE_USAGE, optimizeCommand } from './optimize';
import { indexCommand, openServices, searchCommand } from './projects';
import { serve, type ServeHandle, type ServeOptions } from './serve';
import { SQL_USAGE, sqlCommand } from './sql';
import { start } from './start';
import { TOKENS_HELP, tokensCommand } from './tokens';

const HELP = `Usage: evolve <command> [options]

Commands:
  start                 Open the desktop app (falls back to the browser host without Electron)
  serve                 Run the app in your browser on 127.0.0.1
      --port <n>        Port (default 5178; 0 = any free port)
      --host <addr>     Address to bind (default 127.0.0.1)
      --allow-remote    Permit a non-loopback --host (exposes the app: think twice)
      --open            Open the URL in the default browser
      --json            Print one JSON line with the URL (for scripts)
  doctor [--json]       Check every component the app uses, with fix hints
  index DIR [--json]    Index a project folder into the encrypted store (progress on stderr)
  search DIR "QUERY"    Hybrid search of an indexed project
      --k <n>           Hits to show (default 10)
      --json            One JSON object with chunks, scores and the repo-map slice
  generate "PROMPT"     Generate code: checked, tested in a sandbox, repaired, selected, scanned, scored (JSON out)
      --type <t>        function|class|module|test|api-endpoint|ui-component|db-model|edit|… (default function)
      --lang <l>        python|typescript|javascript|go|rust|java|cpp
      --project DIR     Use a project folder (its venv/node_modules, conventions, index); --file PATH in it
      --max-rounds <n>  Repair rounds (default 3; 0 = single shot)   --samples <k>  Candidates (default 1)
      --model <id>      A registered model or route:<capability> (default: the coding model)
  optimize              Profile a function, propose optimisations, offer only those proven equivalent and faster
      --project DIR --target FILE:FUNCTION   [--inputs FILE] [--sizes a,b,c] [--proposals K] [--model ID] [--json]
  sql                   A project's SQL queries, their plans on a scratch SQLite and index proposals
      --project DIR     [--verify] benchmark each proposed index  [--rows a,b,c] table sizes  [--trust] [--json]
${TOKENS_HELP}  version               Print the version
  help                  This text
`;

function serveOptions(args: string[]): ServeOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: process.env.EVOLVE_PORT ?? '5178' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  return { port, host: values.host, allowRemote: values['allow-remote'], open: values.open, json: values.json };
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await serve(serveOptions(rest))).stopped;
    case 'start': {
      const fallback = !rest.includes('--no-fallback');
      let handle: ServeHandle | undefined;
      const code = await start({
        fallback,
        onFallback: async () => {
          handle = await serve(serveOptions(rest.filter((a) => a !== '--no-fallback')));
        },
      });
      return handle ? handle.stopped : code;
    }
    case 'doctor':
      return doctor({ json: rest.includes('--json') });
    case 'index':
      return indexCommand(rest);
    case 'search':
      return searchCommand(rest);
    case 'generate':
      return generateCommand(rest);
    case 'optimize':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${OPTIMIZE_USAGE}\n`);
        return 0;
      }
      return optimizeCommand(rest);
    case 'sql':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${SQL_USAGE}\n`);
        return 0;
      }
      return sqlCommand(rest);
    case 'tokens': {
      const s = await openServices();
      try {
        return await tokensCommand(rest, s.providers.server.tokens, { out: (t) => process.stdout.write(t) });
      } finally {
        await s.dispose();
      }
    }
    case 'version':
    case '--version':
      process.stdout.write(`${readAppInfo().version}\n`);
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${HELP}`);
      return 2;
  }
}

/** Runs the CLI and exits the process with its code (what bin/evolve.cjs calls). */
export function run(argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`evolve: ${toErrorInfo(e).message}\n`);
      process.exit(1);
    },
  );
}
