import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { stageEnd, stageStart } from '../metrics/stage-probe';
import { compileDto, type CompiledDto } from './compiled-validation';
import { NOT_AN_OBJECT } from './json-body';
import { ProblemError, type FieldError } from './problem';

/** Flattens class-validator's error tree into `{ field: "items.0.amount", message }` entries. */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], `${field}.`)];
  }).filter((entry, index, all) => all.findIndex((other) => other.field === entry.field && other.message === entry.message) === index);
}

/**
 * DTO validation: unknown fields (body and query) are refused, naming each, so a typo such as
 * `ocurredAt` is never silently dropped; a route that takes a body refuses a request without one.
 */
class EdgeValidationPipe extends ValidationPipe {
  /** Per DTO class: its compiled validation, or null when class-validator keeps it (src/http/compiled-validation.ts). */
  private readonly compiled = new Map<Function, CompiledDto<object> | null>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)))
      throw new ProblemError(400, 'VALIDATION_FAILED', NOT_AN_OBJECT, [{ field: 'body', message: NOT_AN_OBJECT }]);
    const start = stageStart();
    // A body is always what the one JSON parser made (plain objects and arrays, no prototype keys):
    // the compiled path answers a valid one; a refused or undecided one goes to class-validator,
    // whose messages the answer carries.
    if (metadata.type === 'body' && typeof metadata.metatype === 'function') {
      const compiled = this.compiledFor(metadata.metatype);
      const verdict = compiled?.check(value as Record<string, unknown>);
      if (compiled && verdict !== undefined && verdict !== 'fallback' && verdict.valid) {
        const dto = compiled.build(value as Record<string, unknown>);
        stageEnd('validation (body, compiled)', start);
        return dto;
      }
    }
    try {
      return await super.transform(value, metadata);
    } finally {
      stageEnd(`validation (${metadata.type})`, start);
    }
  }

  private compiledFor(metatype: Function): CompiledDto<object> | null {
    let compiled = this.compiled.get(metatype);
    if (compiled === undefined) {
      compiled = this.toValidate({ type: 'body', metatype: metatype as ArgumentMetadata['metatype'] }) ? compileDto(metatype as new () => object) : null;
      this.compiled.set(metatype, compiled);
    }
    return compiled;
  }
}

const MAX_ERRORS = 50;

/** Failures answered as VALIDATION_FAILED with every field's messages. */
export const validationPipe = (): ValidationPipe =>
  new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      // At most MAX_ERRORS entries: 10 000 unknown keys must not become a 500 kB answer.
      const all = fieldErrors(errors);
      const list = all.slice(0, MAX_ERRORS);
      const more = all.length > list.length ? `; and ${all.length - list.length} more` : '';
      return new ProblemError(400, 'VALIDATION_FAILED', list.length > 0 ? list.map((e) => e.message).join('; ') + more : NOT_AN_OBJECT, list);
    },
  });
