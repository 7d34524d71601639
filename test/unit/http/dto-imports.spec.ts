/**
 * A DTO a route parameter names must be imported as a value: `import type` erases the class from
 * the emitted parameter types, so Nest validates nothing (a malformed query then reaches the store).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.controller.ts') ? [join(dir, name)] : []));

describe('controllers', () => {
  it('import the DTOs of their parameters as values, so that they are validated', () => {
    const controllers = files(join(ROOT, 'src'));
    expect(controllers.length).toBeGreaterThan(5);
    const typeOnly = controllers.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/import type \{([^}]*)\}/g)].flatMap((match) => match[1].split(',').map((name) => name.trim()).filter((name) => /Dto$/.test(name)).map((name) => `${relative(ROOT, file)}: ${name}`)),
    );
    expect(typeOnly).toEqual([]);
  });
});
