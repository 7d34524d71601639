/**
 * docs/api.md's error-code table against the codes the server can send: a code added to the
 * sources without a row (or a row left behind when a code goes) fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DOMAIN_STATUS, ERROR_STATUS } from '../../../src/http/error-codes';
import { ERROR_DESCRIPTIONS } from '../../../src/http/error-descriptions';

const ROOT = join(__dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');
const CODE = /^[A-Z][A-Z0-9_]+$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every code the server can send, with where it was found. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (code: string, where: string) => {
    if (!found.has(code)) found.set(code, where);
  };
  for (const code of Object.keys(ERROR_STATUS)) add(code, 'src/http/error-codes.ts');
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    // problem(status, 'CODE', …), new ProblemError(status, 'CODE', …), edgeProblem(status, 'CODE'), across lines.
    for (const match of text.matchAll(/\b(?:problem|ProblemError|edgeProblem)\(\s*[^,()]*,\s*'([A-Z][A-Z0-9_]+)'/g)) add(match[1], where);
    if (where === join('src', 'http', 'problem.filter.ts')) {
      // EDGE_CODES: the codes of the statuses fastify and Node answer themselves.
      for (const match of text.matchAll(/\bcode: '([A-Z][A-Z0-9_]+)'/g)) add(match[1], `${where} (EDGE_CODES)`);
    }
    if (where === join('src', 'http', 'edge.ts')) {
      // clientError's [status, 'CODE', detail] tuples, answered on the socket before there is a request.
      for (const match of text.matchAll(/\[\s*\d{3},\s*'([A-Z][A-Z0-9_]+)'/g)) add(match[1], `${where} (clientError)`);
    }
  }
  return found;
}

/** The codes of docs/api.md's error-code table: rows whose first cell is a `CODE`, in the "## Error codes" section. */
function codesInDocs(): { codes: string[]; statuses: Map<string, number>; descriptions: Map<string, string> } {
  const text = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
  const start = text.indexOf('\n## Error codes');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end === -1 ? undefined : end);
  const codes: string[] = [];
  const statuses = new Map<string, number>();
  const descriptions = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|\s*(\d{3})\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (!match) continue;
    codes.push(match[1]);
    statuses.set(match[1], Number(match[2]));
    descriptions.set(match[1], match[3]);
  }
  return { codes, statuses, descriptions };
}

describe('docs/api.md error codes', () => {
  const sent = codesInSources();
  const documented = codesInDocs();

  it('finds the codes in the sources and in the table', () => {
    expect(sent.size).toBeGreaterThan(Object.keys(DOMAIN_STATUS).length);
    expect(documented.codes.length).toBeGreaterThan(0);
    for (const code of documented.codes) expect(code).toMatch(CODE);
  });

  it('documents every code the server can send', () => {
    const missing = [...sent].filter(([code]) => !documented.statuses.has(code)).map(([code, where]) => `${code} (${where})`);
    expect(missing).toEqual([]);
  });

  it('documents only codes the server can send, each once', () => {
    expect(documented.codes.filter((code) => !sent.has(code))).toEqual([]);
    expect(documented.codes.filter((code, index) => documented.codes.indexOf(code) !== index)).toEqual([]);
  });

  it('gives each code the status src/http/error-codes.ts maps it to', () => {
    const wrong = Object.entries(ERROR_STATUS)
      .filter(([code, status]) => documented.statuses.get(code) !== status)
      .map(([code, status]) => `${code}: ${status}, documented ${documented.statuses.get(code)}`);
    expect(wrong).toEqual([]);
  });

  it('says of each code what the service says at its problem type (src/http/error-descriptions.ts; npm run error-descriptions rewrites it)', () => {
    const differing = Object.entries(ERROR_DESCRIPTIONS)
      .filter(([code, description]) => documented.descriptions.get(code) !== description)
      .map(([code]) => code);
    expect(differing).toEqual([]);
  });
});
