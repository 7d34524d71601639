/** Shapes shared by the request DTOs (docs/api.md, Conventions). */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches, type ValidationOptions } from 'class-validator';

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_MESSAGE = '$property must be 1–64 characters of A–Z, a–z, 0–9, _ or -';

/** An id's OpenAPI schema (paths and bodies). */
export const ID_SCHEMA = { type: 'string', pattern: ID_PATTERN.source, minLength: 1, maxLength: 64 } as const;

/**
 * A body or query id: validated by ID_PATTERN and documented with it. The OpenAPI part merges under
 * the property's own @ApiProperty (description, example, required), which is listed above it.
 */
export const IsId = (options?: ValidationOptions): PropertyDecorator => applyDecorators(Matches(ID_PATTERN, { message: ID_MESSAGE, ...options }), ApiProperty(ID_SCHEMA));
