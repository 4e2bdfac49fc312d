/**
 * A tiny router over node:http: method + path pattern → handler. Each route has a label (its
 * pattern, e.g. `/r/:token`) that logs use instead of the real path, which may hold a token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Captured groups of the route's pattern. */
  readonly params: readonly string[];
  readonly ip: string;
  /** Fields the access logger adds to the request's log line (hash prefixes, ids; never secrets). */
  readonly logFields: Record<string, string | number | boolean | null>;
}

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void;

export interface Route {
  readonly method: 'GET' | 'POST' | 'HEAD';
  readonly label: string;
  readonly pattern: RegExp;
  readonly handler: RouteHandler;
}

export function route(method: Route['method'], label: string, pattern: RegExp, handler: RouteHandler): Route {
  return { method, label, pattern, handler };
}

export type Match = { route: Route; params: string[] } | { route: null; allowed: string[] };

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method === method || (method === 'HEAD' && r.method === 'GET')) return { route: r, params: m.slice(1) };
    allowed.push(r.method);
  }
  return { route: null, allowed };
}
