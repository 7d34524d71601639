/** The one instant grammar at the edge: RFC 3339 date-time (offset required, real dates, years 1970–9999). */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { INSTANT_RULE, parseInstant } from '../customer/time';

/**
 * Validates an RFC 3339 instant in a body field or query parameter (the message names the field),
 * and documents it as a date-time; the property's own @ApiProperty (listed above) adds the rest.
 */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  applyDecorators(
    ValidateBy({ name: 'isInstant', validator: { validate: (value) => parseInstant(value) !== null, defaultMessage: () => `$property must be ${INSTANT_RULE}` } }, options),
    ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T10:00:00Z' }),
  );

/** The OpenAPI description of an optional instant that defaults to now. */
export const INSTANT_DEFAULT_NOW = 'RFC 3339 date-time with Z or an offset; default now';

/** A validated instant in canonical UTC form with milliseconds (call after validation). */
export const canonicalInstant = (value: string): string => parseInstant(value) as string;
