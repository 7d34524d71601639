/**
 * The routes fastify serves, as registered (`onRoute`), to tell "no such path" (404) from "not with
 * this method" (405 + Allow) and to decide on a request's matched route rather than its raw URL.
 */
export class RouteTable {
  private readonly routes: { method: string; pattern: RegExp }[] = [];

  add(method: string | string[], url: string): void {
    for (const m of Array.isArray(method) ? method : [method]) this.routes.push({ method: m.toUpperCase(), pattern: compile(url) });
  }

  /** The methods some route serves `rawUrl` with (its path decoded, without the query), sorted. */
  methodsFor(rawUrl: string): string[] {
    const path = decodedPath(rawUrl);
    if (path === null) return [];
    return [...new Set(this.routes.filter((route) => route.pattern.test(path)).map((route) => route.method))].sort();
  }
}

/** `/v1/customers/:customerId/events` → a regular expression over decoded paths; `*` matches the rest. */
function compile(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/** The path of a request URL with its percent-escapes decoded, or null when they do not decode. */
export function decodedPath(rawUrl: string): string | null {
  const end = rawUrl.search(/[?#]/);
  const path = end === -1 ? rawUrl : rawUrl.slice(0, end);
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}
