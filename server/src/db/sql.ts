/**
 * The one small query interface the server uses over both stores: PostgreSQL (`pg`) in the clinic,
 * PGlite (PostgreSQL compiled to WASM) on a machine with nothing installed. Both speak the same SQL
 * and the same `$1` parameters, so every query is written once.
 *
 * BIGINT columns hold epoch milliseconds (< 2^53): both adapters return them as numbers.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<R = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Sql extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Several statements in one string, no parameters (migrations). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}
