/** `npm run openapi`: rewrites docs/openapi.json and test/support/generated/api.d.ts from the controllers. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { documentText, generatedTypes, GENERATED_TYPES, OPENAPI_JSON, servedDocument } from './openapi-document';

async function main(): Promise<void> {
  const text = documentText(await servedDocument());
  writeFileSync(OPENAPI_JSON, text);
  writeFileSync(GENERATED_TYPES, generatedTypes(text));
  console.log(`wrote ${OPENAPI_JSON} and ${GENERATED_TYPES}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
