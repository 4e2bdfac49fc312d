/**
 * Structured logger handed to services. Fields must never carry patient-identifying values
 * (names, PatientID, tokens): log internal ids, counts, codes and hash prefixes instead.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per record, to stderr (stdout is kept for what a command prints for people). */
export function jsonLogger(minLevel: Level = 'info', write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const emit = (level: Level) => (msg: string, fields?: LogFields) => {
    if (order[level] < order[minLevel]) return;
    write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Keeps records in memory: for tests that assert what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const base = jsonLogger('debug', (l) => lines.push(l));
  return Object.assign(base, { lines });
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
