/**
 * `npm run error-descriptions`: rewrites src/http/error-descriptions.ts from docs/api.md's error
 * table, the one place the codes are described (test/unit/docs/error-codes.spec.ts holds the two
 * to the same text).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const text = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
const start = text.indexOf('\n## Error codes');
const end = text.indexOf('\n## ', start + 1);
const rows = text
  .slice(start, end === -1 ? undefined : end)
  .split('\n')
  .map((line) => /^\|\s*`([^`]+)`\s*\|\s*\d{3}\s*\|\s*(.*?)\s*\|\s*$/.exec(line))
  .filter((match): match is RegExpExecArray => match !== null);
const lines = [
  '/**',
  " * What each code means, in the words of docs/api.md's error table (a test holds the two to the same",
  ' * text; `npm run error-descriptions` rewrites this file from it): served at /problems/{code}, where',
  " * every problem's `type` points.",
  ' */',
  "import type { ErrorCode } from './error-codes';",
  '',
  'export const ERROR_DESCRIPTIONS = {',
  ...rows.map(([, code, description]) => `  ${code}: ${JSON.stringify(description)},`),
  '} as const satisfies Record<ErrorCode, string>;',
  '',
];
writeFileSync(join(ROOT, 'src', 'http', 'error-descriptions.ts'), lines.join('\n'));
console.log(`src/http/error-descriptions.ts: ${rows.length} codes from docs/api.md`);
