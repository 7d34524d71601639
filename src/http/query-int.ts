import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Plain decimal digits only: no sign, no exponent, no hex, no blank; at most 16 digits. */
const DECIMAL = /^\d{1,16}$/;

/**
 * A query parameter that must be a decimal integer from `min` to `max`. `Number()` would accept
 * `0x10`, `1e3`, `''` (0) and round 99999999999999999999999; anything but plain digits is kept as
 * the string it was, so `IsInt` refuses it with a message naming the parameter.
 */
export const QueryInt = (name: string, min: number, max: number) => {
  const message = `${name} must be a decimal integer from ${min} to ${max}`;
  return applyDecorators(
    // Documented as an integer in [min, max]; the property's own @ApiProperty (listed above) adds the rest.
    ApiProperty({ type: 'integer', minimum: min, maximum: max }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value)),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
};
