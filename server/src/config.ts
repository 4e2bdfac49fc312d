/**
 * The clinic server's configuration, read once from the environment (twelve-factor style: the same
 * build runs on a laptop with PGlite and in the clinic with PostgreSQL behind HTTPS).
 *
 * Cookie security is decided here, from PUBLIC_BASE_URL: the session cookie is `Secure` unless the
 * public address is plain http on a loopback host (tests and a laptop demo). A plain-http public
 * address on any other host is refused — a Secure cookie would never come back over it, and a
 * non-Secure one would travel the clinic's Wi-Fi in clear.
 */
import { resolve } from 'node:path';

export interface PacsConfig {
  /** DICOMweb root without a trailing slash, e.g. http://pacs:8042/dicom-web. */
  readonly dicomwebUrl: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs: number;
}

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL connection string; null → embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly pacs: PacsConfig | null;
  /** Where patients reach the server (the slips' QR links point here), no trailing slash. */
  readonly publicBaseUrl: string;
  readonly secureCookies: boolean;
  /** Requests per minute per client address on the patient pages (`/r/`, `/result…`). */
  readonly resultRatePerMinute: number;
  /** Take the client address from the last X-Forwarded-For hop (behind the clinic's HTTPS proxy). */
  readonly trustProxy: boolean;
  /** How long a result session lasts after the token was exchanged. */
  readonly sessionTtlMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** jpegtran (libjpeg-turbo) that makes the result page's JPEGs progressive; a bare name is looked up on PATH. */
  readonly jpegtranPath: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function int(env: NodeJS.ProcessEnv, key: string, dflt: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

function httpUrl(key: string, raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${key} is not a URL: "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`${key} must be http(s): "${raw}"`);
  return u;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ServerConfig {
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';

  const base = httpUrl('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL?.trim() || `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  if (base.search || base.hash) throw new ConfigError('PUBLIC_BASE_URL must not have a query or fragment');
  const loopbackHttp = base.protocol === 'http:' && isLoopbackHost(base.hostname);
  if (base.protocol === 'http:' && !loopbackHttp) {
    throw new ConfigError('PUBLIC_BASE_URL must be https:// (session cookies are Secure); plain http is allowed on loopback only');
  }

  let pacs: PacsConfig | null = null;
  const pacsUrl = env.PACS_DICOMWEB_URL?.trim();
  if (pacsUrl) {
    const u = httpUrl('PACS_DICOMWEB_URL', pacsUrl);
    if (u.username || u.password) throw new ConfigError('PACS_DICOMWEB_URL must not carry credentials: use PACS_USERNAME / PACS_PASSWORD');
    pacs = {
      dicomwebUrl: u.href.replace(/\/+$/, ''),
      username: env.PACS_USERNAME ?? '',
      password: env.PACS_PASSWORD ?? '',
      timeoutMs: int(env, 'PACS_TIMEOUT_MS', 30_000, 1000, 600_000),
    };
  }

  const level = env.LOG_LEVEL ?? 'info';
  if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') throw new ConfigError('LOG_LEVEL must be debug, info, warn or error');

  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL?.trim() || null,
    dataDir: resolve(cwd, env.SERVER_DATA_DIR?.trim() || '.data/server'),
    pacs,
    publicBaseUrl: base.href.replace(/\/+$/, ''),
    secureCookies: !loopbackHttp,
    resultRatePerMinute: int(env, 'RESULT_RATE_PER_MINUTE', 60, 1, 1_000_000),
    trustProxy: env.TRUST_PROXY === '1',
    sessionTtlMs: int(env, 'RESULT_SESSION_MINUTES', 12 * 60, 1, 7 * 24 * 60) * 60_000,
    logLevel: level,
    jpegtranPath: env.JPEGTRAN_PATH?.trim() || 'jpegtran',
  };
}
