import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemError, type FieldError } from './problem';

/** Flattens class-validator's error tree into `{ field: "items.0.amount", message }` entries. */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], `${field}.`)];
  });
}

/** DTO validation: unknown fields are dropped, query strings converted, failures answered as VALIDATION_FAILED. */
export const validationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const list = fieldErrors(errors);
      return new ProblemError(400, 'VALIDATION_FAILED', list.length > 0 ? list.map((e) => e.message).join('; ') : 'the request body must be a JSON object', list);
    },
  });
