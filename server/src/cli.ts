/**
 * `npm run server` — the clinic server's command line.
 *
 *   npm run server                               start (configuration from the environment)
 *   npm run server -- enrol-desk <name>          create a desk; prints its API key once
 *   npm run server -- create-admin <user> [pw]   create an admin or set a new password
 *                                                (password from ADMIN_PASSWORD or the argument)
 *
 * What a person needs goes to stdout; the JSON log goes to stderr.
 */
import { systemClock } from '../../electron/services/clock';
import { jsonLogger } from '../../electron/services/logger';
import { loadConfig, ConfigError } from './config';
import { openStore } from './db/open-store';
import { createClinicServer } from './app';
import { createDicomwebImageSource } from './pacs/dicomweb-image-source';
import { enrolDesk } from './records/desks';
import { setAdmin } from './admin/admin-auth';

const USAGE = `usage:
  npm run server                                start the clinic server
  npm run server -- enrol-desk <name>           enrol a desk and print its API key (shown once)
  npm run server -- create-admin <user> [pw]    create an admin (password from ADMIN_PASSWORD or the argument)

environment: PORT, HOST (127.0.0.1), DATABASE_URL or SERVER_DATA_DIR (./.data/server),
  PACS_DICOMWEB_URL, PACS_USERNAME, PACS_PASSWORD, PUBLIC_BASE_URL, RESULT_RATE_PER_MINUTE, TRUST_PROXY`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  const config = loadConfig();
  const clock = systemClock;

  if (cmd === undefined || cmd === 'start') {
    const logger = jsonLogger(config.logLevel);
    const sql = await openStore(config);
    const pacs = config.pacs ? createDicomwebImageSource(config.pacs) : null;
    if (!pacs) logger.warn('PACS_DICOMWEB_URL is not set: result pages will say the images are on their way');
    const app = createClinicServer({ config, sql, pacs, clock, logger });
    const url = await app.listen();
    process.stdout.write(`Clinic server listening on ${url} (public address ${config.publicBaseUrl}, store ${sql.kind})\n`);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await app.close();
      await sql.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop());
    process.on('SIGINT', () => void stop());
    return -1; // keep running
  }

  if (cmd === 'enrol-desk') {
    const name = args.join(' ').trim();
    if (!name) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const sql = await openStore(config);
    try {
      const desk = await enrolDesk(sql, clock, name);
      process.stdout.write(
        `Desk "${desk.name}" enrolled (id ${desk.id}).\nAPI key (shown only this once; enter it in the desk's settings as server.apiKey):\n${desk.apiKey}\n`,
      );
      return 0;
    } finally {
      await sql.close();
    }
  }

  if (cmd === 'create-admin') {
    const [user, pwArg] = args;
    const password = process.env.ADMIN_PASSWORD ?? pwArg;
    if (!user || !password) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const sql = await openStore(config);
    try {
      const created = await setAdmin(sql, clock, user, password);
      process.stdout.write(created ? `Admin "${user}" created.\n` : `Admin "${user}": password changed.\n`);
      return 0;
    } finally {
      await sql.close();
    }
  }

  process.stderr.write(`${USAGE}\n`);
  return cmd === 'help' || cmd === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof ConfigError ? 'configuration error' : 'error'}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
