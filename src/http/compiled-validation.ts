/**
 * A DTO's validation compiled once, from class-validator's and class-transformer's own metadata,
 * into a plain function over the parsed JSON body: the hot path of every command without
 * class-transformer's plainToInstance and class-validator's executor (their metadata lookups,
 * error objects and promises cost ~0.2 ms a request).
 *
 * Nothing here is a second schema: the checks are the constraint classes the decorators registered
 * (`IsInt`, `Matches`, `IsInstant`, …), called with the same arguments class-validator gives them;
 * optional fields are the decorators' own conditions; nested classes are the `@Type` functions.
 * What the compiler does not know (groups, `always`, async constraints, `@IsDefined`, promise or
 * discriminated types, `@Expose`/`@Exclude`/`@Transform`, …) makes `compileDto` return null, and
 * a body of a shape it does not mirror exactly (an object where no nested class is declared, a
 * constraint answering a promise) makes `check` answer 'fallback': the caller then runs
 * class-transformer + class-validator as before. A refused body is also re-run there by the pipe,
 * so every error message is class-validator's own.
 */
// class-transformer's own metadata (its @Type functions); the package exports no typings for this path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Body = Record<string, unknown>;
type Ctor = new () => object;

/** Valid; refused, with the dotted paths of the fields class-validator names; or not decidable here. */
export type CheckResult = { valid: true } | { valid: false; fields: string[] } | 'fallback';

export interface CompiledDto<T extends object> {
  check(body: Body): CheckResult;
  /** The instance plainToInstance builds from a body `check` found valid. */
  build(body: Body): T;
}

interface CustomCheck {
  metadata: ValidationMetadata;
  constraints: ValidatorConstraintInterface[];
}

interface CompiledProperty {
  name: string;
  conditions: ((object: unknown, value: unknown) => boolean)[];
  custom: CustomCheck[];
  /** The @Type class of a @ValidateNested property. */
  nested: CompiledClass | null;
  /** The property's design type is Array (what class-transformer instantiates for an array value). */
  arrayDesign: boolean;
}

interface CompiledClass {
  target: Ctor;
  properties: CompiledProperty[];
  allowed: Set<string>;
  /** Keys plainToInstance leaves out of the instance (so class-validator never sees them). */
  skipped(key: string): boolean;
}

/** A constraint answered a promise or a value had a shape the builder does not mirror. */
class Undecidable extends Error {}

const UNSUPPORTED = Symbol('unsupported');
const compiled = new Map<Function, CompiledClass | typeof UNSUPPORTED | 'compiling'>();

function compileClass(target: Ctor, targetSchema: string | undefined): CompiledClass | null {
  const known = compiled.get(target);
  if (known === UNSUPPORTED || known === 'compiling') return null; // recursive DTOs are left to class-validator
  if (known) return known;
  compiled.set(target, 'compiling');
  const result = compileUncached(target, targetSchema);
  compiled.set(target, result ?? UNSUPPORTED);
  return result;
}

function compileUncached(target: Ctor, targetSchema: string | undefined): CompiledClass | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, targetSchema as string, false, false, undefined);
  // forbidUnknownValues: a class without rules is refused by class-validator; leave that to it.
  if (metadatas.length === 0) return null;
  if (defaultMetadataStorage.getStrategy(target) !== 'none' || defaultMetadataStorage.getExposedMetadatas(target).length > 0 || defaultMetadataStorage.getExcludedMetadatas(target).length > 0)
    return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: CompiledProperty[] = [];
  for (const [name, list] of Object.entries(grouped)) {
    if (list.length === 0) continue;
    const property: CompiledProperty = { name, conditions: [], custom: [], nested: null, arrayDesign: false };
    if (defaultMetadataStorage.findTransformMetadatas(target, name, 0 /* PLAIN_TO_CLASS */).length > 0) return null;
    const type = defaultMetadataStorage.findTypeMetadata(target, name);
    for (const metadata of list) {
      if ((metadata.groups?.length ?? 0) > 0 || metadata.always || (metadata as { validateIf?: unknown }).validateIf) return null;
      switch (metadata.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          property.conditions.push(metadata.constraints[0] as (object: unknown, value: unknown) => boolean);
          break;
        case ValidationTypes.CUSTOM_VALIDATION: {
          const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
          if (constraints.length === 0 || constraints.some((constraint) => constraint.async)) return null;
          property.custom.push({ metadata, constraints: constraints.map((constraint) => constraint.instance) });
          break;
        }
        case ValidationTypes.NESTED_VALIDATION: {
          if (!type?.typeFunction || type.options?.discriminator) return null;
          const nestedClass = type.typeFunction() as Ctor;
          const nested = compileClass(nestedClass, typeof metadata.target === 'string' ? metadata.target : metadata.target.name);
          if (!nested) return null;
          property.nested = nested;
          break;
        }
        default:
          return null; // isDefined, promiseValidation, …: class-validator's
      }
    }
    // A @Type without @ValidateNested converts values in ways this module does not mirror.
    if (type && !property.nested) return null;
    property.arrayDesign = Reflect.getMetadata('design:type', target.prototype, name) === Array;
    properties.push(property);
  }
  // class-transformer skips '__proto__', 'constructor', and any key the new instance has as a
  // method or a getter without a setter ('toString', 'valueOf', …): such keys are dropped, not refused.
  const probe = new target() as Record<string, unknown>;
  const skipped = (key: string): boolean => {
    if (key === '__proto__' || key === 'constructor') return true;
    const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
    return (descriptor !== undefined && !descriptor.set) || probe[key] instanceof Function;
  };
  return { target, properties, allowed: new Set(properties.map((p) => p.name)), skipped };
}

const isObject = (value: unknown): value is Body => typeof value === 'object' && value !== null;

/** Primitives, or arrays of them: copied as they are by class-transformer when no class is declared. */
const plainShape = (value: unknown): boolean => !isObject(value) || (Array.isArray(value) && value.every((item) => !isObject(item)));

function checkObject(compiledClass: CompiledClass, object: Body, prefix: string, fields: string[]): void {
  // whitelist + forbidNonWhitelisted
  let dropped = false;
  for (const key of Object.keys(object)) {
    if (compiledClass.skipped(key)) dropped = true;
    else if (!compiledClass.allowed.has(key)) fields.push(prefix + key);
  }
  for (const property of compiledClass.properties) {
    const value = dropped && compiledClass.skipped(property.name) ? undefined : object[property.name];
    const path = prefix + property.name;
    let applies = true;
    for (const condition of property.conditions) applies = condition(object, value) && applies;
    if (!applies) continue;
    if (!property.nested && !plainShape(value)) throw new Undecidable();
    let failed = false;
    for (const { metadata, constraints } of property.custom) {
      const args: ValidationArguments = { targetName: compiledClass.target.name, property: metadata.propertyName, object, value, constraints: metadata.constraints };
      for (const constraint of constraints) {
        const ok = metadata.each && Array.isArray(value) ? value.map((item) => constraint.validate(item, args)) : [constraint.validate(value, args)];
        if (ok.some((answer) => answer instanceof Promise)) throw new Undecidable();
        if (!ok.every(Boolean)) failed = true;
      }
    }
    if (failed) fields.push(path);
    if (property.nested && value !== undefined) checkNested(property.nested, value, path, fields);
  }
}

function checkNested(nested: CompiledClass, value: unknown, path: string, fields: string[]): void {
  if (Array.isArray(value)) value.forEach((item, index) => checkNested(nested, item, `${path}.${index}`, fields));
  else if (isObject(value)) checkObject(nested, value, `${path}.`, fields);
  else fields.push(path);
}

function buildObject(compiledClass: CompiledClass, object: Body): object {
  const instance = new compiledClass.target() as Body;
  const nestedOf = new Map(compiledClass.properties.map((p) => [p.name, p]));
  for (const key of Object.keys(object)) {
    if (compiledClass.skipped(key)) continue;
    const property = nestedOf.get(key);
    const value = object[key];
    instance[key] = property?.nested ? buildNested(property.nested, value) : Array.isArray(value) ? [...value] : value;
  }
  return instance;
}

const buildNested = (nested: CompiledClass, value: unknown): unknown =>
  Array.isArray(value) ? value.map((item) => buildNested(nested, item)) : isObject(value) ? buildObject(nested, value) : value;

/** Nested arrays the builder mirrors: plain arrays where the design type says Array. */
function arraysMirrored(compiledClass: CompiledClass, object: Body): boolean {
  for (const property of compiledClass.properties) {
    if (!property.nested) continue;
    const value = object[property.name];
    if (Array.isArray(value)) {
      if (!property.arrayDesign) return false;
      for (const item of value) if (Array.isArray(item) || (isObject(item) && !arraysMirrored(property.nested, item))) return false;
    } else if (isObject(value) && !arraysMirrored(property.nested, value)) return false;
  }
  return true;
}

/** The compiled validation of a DTO class, or null when its metadata holds something the compiler does not know. */
export function compileDto<T extends object>(target: new () => T): CompiledDto<T> | null {
  const compiledClass = compileClass(target, undefined);
  if (!compiledClass) return null;
  return {
    check(body: Body): CheckResult {
      const fields: string[] = [];
      try {
        checkObject(compiledClass, body, '', fields);
      } catch (error) {
        if (error instanceof Undecidable) return 'fallback';
        throw error;
      }
      if (fields.length > 0) return { valid: false, fields: [...new Set(fields)] };
      return arraysMirrored(compiledClass, body) ? { valid: true } : 'fallback';
    },
    build: (body: Body) => buildObject(compiledClass, body) as T,
  };
}
