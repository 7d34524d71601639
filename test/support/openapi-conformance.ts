/** Checks a response body against what docs/openapi.json says the route answers with that status (ajv). */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { OPENAPI_JSON } from '../../scripts/openapi-document';

interface Response {
  $ref?: string;
  content?: Record<string, unknown>;
}
const document = JSON.parse(readFileSync(OPENAPI_JSON, 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, Response> }>>; components: { responses: Record<string, Response> } };
// strict: false — the document's schemas carry OpenAPI keywords (example, nullable is ajv's own).
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, 'openapi');

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The schema errors of `body` as the `status` answer of `method path` (empty: it conforms). */
export function nonConformance(path: string, method: string, status: number, body: unknown): string[] {
  const responses = document.paths[path]?.[method]?.responses;
  if (!responses) return [`${method} ${path} is not in docs/openapi.json`];
  const key = String(status) in responses ? String(status) : `${String(status)[0]}XX`;
  // A shared response (the problem ones) is a $ref to #/components/responses/<name>.
  const shared = responses[key]?.$ref?.split('/').pop();
  const at = shared ? ['components', 'responses', shared] : ['paths', path, method, 'responses', key];
  const media = Object.keys((shared ? document.components.responses[shared] : responses[key])?.content ?? {}).find((type) => type.endsWith('json'));
  if (!media) return [`${method} ${path} documents no JSON answer for ${status}`];
  const validate = ajv.getSchema(`openapi#/${pointer(...at, 'content', media, 'schema')}`);
  if (!validate) return [`no schema for ${method} ${path} ${status}`];
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}
