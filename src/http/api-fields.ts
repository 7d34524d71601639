/** @ApiProperty options the response DTOs share: instants, integers, ids, free documents. */
import type { ApiPropertyOptions } from '@nestjs/swagger';
import { ID_SCHEMA } from '../shared/ids';

export const INSTANT_EXAMPLE = '2026-11-24T10:00:00.000Z';

/** An instant as answered: UTC with milliseconds. */
export const instant = (description?: string, nullable = false): ApiPropertyOptions => ({ type: String, format: 'date-time', example: INSTANT_EXAMPLE, nullable, ...(description ? { description } : {}) });

export const int = (example: number, description?: string, extra: { minimum?: number; maximum?: number; nullable?: boolean } = {}): ApiPropertyOptions => ({ type: 'integer' as const, example, ...extra, ...(description ? { description } : {}) });

export const num = (example: number, description?: string, nullable = false): ApiPropertyOptions => ({ type: Number, example, nullable, ...(description ? { description } : {}) });

export const id = (example: string, description?: string, nullable = false): ApiPropertyOptions => ({ ...ID_SCHEMA, example, nullable, ...(description ? { description } : {}) });

/**
 * An object that may be null, inline: OpenAPI 3.0's `nullable` does not reach into a `$ref`
 * (`allOf: [$ref], nullable: true` still refuses null under 3.0.3), so a nullable nested object
 * cannot be a DTO of its own.
 */
export const nullableObject = (properties: Record<string, Record<string, unknown>>, required: string[], extra: { description?: string; example?: unknown } = {}) =>
  ({ type: 'object' as const, nullable: true, properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false, ...extra });

/** The preferences of a profile: contact channels and product categories. */
export const PREFERENCES_PROPERTIES = {
  channels: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 64 }, example: ['email', 'sms'] },
  categories: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 64 }, example: ['shoes'] },
};

/** A document whose fields depend on the collection or the pipeline. */
export const anyObject = (description: string, example?: Record<string, unknown>) => ({ type: 'object' as const, additionalProperties: true, description, ...(example ? { example } : {}) });
