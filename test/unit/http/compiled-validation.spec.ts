/**
 * The compiled DTO validation (src/http/compiled-validation.ts) against class-transformer +
 * class-validator as Nest's ValidationPipe runs them, on a fast-check corpus of bodies for every
 * command DTO: same pass / fail, same field names, the same DTO instance built; and the service's
 * pipe answers exactly what the plain ValidationPipe answers.
 */
import 'reflect-metadata';
import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { ChangeTierDto } from '../../../src/commands/dto/change-tier.dto';
import { EvaluateCustomerDto } from '../../../src/commands/dto/evaluate-customer.dto';
import { FileComplaintDto } from '../../../src/commands/dto/file-complaint.dto';
import { RecordPurchaseDto } from '../../../src/commands/dto/record-purchase.dto';
import { RecordVisitDto } from '../../../src/commands/dto/record-visit.dto';
import { RegisterCustomerDto } from '../../../src/commands/dto/register-customer.dto';
import { ResolveComplaintDto } from '../../../src/commands/dto/resolve-complaint.dto';
import { COMPLAINT_SEVERITIES, VISIT_CHANNELS, VISIT_PURPOSES } from '../../../src/customer/events';
import { TIERS } from '../../../src/customer/policies/tiers';
import { compileDto } from '../../../src/http/compiled-validation';
import { parseJsonBody } from '../../../src/http/json-body';
import { fieldErrors, validationPipe } from '../../../src/http/validation-pipe';
import { ProblemError } from '../../../src/http/problem';

const DTOS = [RegisterCustomerDto, RecordVisitDto, FileComplaintDto, ResolveComplaintDto, RecordPurchaseDto, ChangeTierDto, EvaluateCustomerDto] as const;

/** The plain ValidationPipe with the service's options: the reference. */
const reference = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, forbidUnknownValues: true, exceptionFactory: (errors) => errors });

async function referenceOutcome(dto: Function, body: unknown): Promise<{ ok: true; value: unknown } | { ok: false; fields: string[]; errors: { field: string; message: string }[] }> {
  try {
    return { ok: true, value: await reference.transform(structuredClone(body), { type: 'body', metatype: dto as ArgumentMetadata['metatype'] }) };
  } catch (errors) {
    const list = fieldErrors(errors as ValidationError[]);
    return { ok: false, fields: [...new Set(list.map((e) => e.field))].sort(), errors: list.slice(0, 50) };
  }
}

/** Values that pass for some field of some DTO (test data, not a schema: the DTOs decide). */
const GOOD: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  name: fc.constantFrom('Li Wei', 'x', 'Zoë'),
  email: fc.constantFrom('li@example.com', 'a.b@c.io'),
  phone: fc.constantFrom('+86 138 0000 0000', '(555) 123-4567'),
  instant: fc.constantFrom('2026-11-24T10:00:00Z', '2026-11-24T10:00:00.123+08:00', '1970-01-01T00:00:00Z'),
  amount: fc.oneof(fc.integer({ min: 1, max: 1_000_000_000_000 }), fc.constant(1_000_000_000_000)),
  currency: fc.constantFrom('CNY', 'USD', 'JPY'),
  rate: fc.constantFrom('0.0482', '1', '123456789.123456789012'),
  word: fc.constantFrom('phone', 'billing', 'store', 'online', 'browse', 'low', 'urgent', 'gold', 'silver', 'standard', 'service', 'app'),
  tier: fc.constantFrom(...TIERS),
  severity: fc.constantFrom(...COMPLAINT_SEVERITIES),
  visitChannel: fc.constantFrom(...VISIT_CHANNELS),
  purpose: fc.constantFrom(...VISIT_PURPOSES),
  text: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
  small: fc.integer({ min: 1, max: 5 }),
  items: fc.array(fc.record({ sku: fc.constantFrom('sku-1', 'a'), quantity: fc.integer({ min: 1, max: 1_000_000 }), amount: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 3 }),
  preferences: fc.record({ channels: fc.array(fc.constantFrom('email', 'sms'), { maxLength: 3 }), categories: fc.array(fc.constantFrom('shoes'), { maxLength: 2 }) }, { requiredKeys: [] }),
};

/** Values that fail for most fields, and shapes the compiler hands back to class-validator. */
const ODD: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(-1, 0, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '100', '', 'x'.repeat(65), true, null, [], {}, [1], [{}], [[]], { sku: 'a' }, ['email', 1]),
  fc.array(fc.record({ sku: fc.jsonValue({ maxDepth: 1 }), quantity: fc.jsonValue({ maxDepth: 1 }), amount: fc.jsonValue({ maxDepth: 1 }), extra: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), { maxLength: 2 }),
  fc.record({ channels: fc.jsonValue({ maxDepth: 1 }), categories: fc.jsonValue({ maxDepth: 1 }), other: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
);

const anyGood = fc.oneof(...Object.values(GOOD));
const propertiesOf = (dto: Function) => [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, undefined as unknown as string, false, false).map((m) => m.propertyName))];

/** A body for `dto`: each of its fields left out, good (for some field) or odd; sometimes an unknown key. */
const bodyFor = (dto: Function) =>
  fc
    .tuple(
      fc.record(Object.fromEntries(propertiesOf(dto).map((property) => [property, fc.oneof({ weight: 5, arbitrary: anyGood }, { weight: 1, arbitrary: ODD })])), { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('ocurredAt', 'extra', 'toString', 'amount2'), ODD), { freq: 6 }),
    )
    .map(([fields, unknown]) => (unknown ? { ...fields, [unknown[0]]: unknown[1] } : fields));

/** Bodies biased towards valid ones: each field from the values that suit its name. */
const GOOD_FOR: Record<string, keyof typeof GOOD> = {
  customerId: 'id', visitId: 'id', complaintId: 'id', purchaseId: 'id', outletId: 'id', name: 'name', email: 'email', phone: 'phone', address: 'text',
  occurredAt: 'instant', asOf: 'instant', lockedUntil: 'instant', amount: 'amount', currency: 'currency', exchangeRate: 'rate', items: 'items', preferences: 'preferences',
  category: 'word', severity: 'severity', purpose: 'purpose', tier: 'tier', reason: 'text', description: 'text', resolution: 'text', satisfaction: 'small',
};
const goodFor = (dto: Function, property: string) => (property === 'channel' ? (dto === RecordVisitDto ? GOOD.visitChannel : GOOD.word) : GOOD[GOOD_FOR[property] ?? 'text']);
const likelyValidBodyFor = (dto: Function) => {
  const fields = Object.fromEntries(propertiesOf(dto).map((property) => [property, goodFor(dto, property)]));
  return fc.oneof(fc.record(fields), fc.record(fields, { requiredKeys: [] }));
};

/** What the service's parser would hand the pipe, or null when it refuses the text first. */
function parsed(body: unknown): Record<string, unknown> | null {
  try {
    return parseJsonBody(JSON.stringify(body));
  } catch {
    return null;
  }
}

describe.each(DTOS.map((dto) => [dto.name, dto] as const))('compiled validation of %s', (_name, dto) => {
  const compiled = compileDto(dto as new () => object);
  const pipe = validationPipe();

  it('is compiled from the metadata', () => {
    expect(compiled).not.toBeNull();
  });

  it('agrees with class-validator on pass / fail and field names, and builds the same DTO', async () => {
    let valid = 0;
    let decided = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodyFor(dto), likelyValidBodyFor(dto)), async (raw) => {
        const body = parsed(raw);
        if (body === null) return;
        const expected = await referenceOutcome(dto, body);
        const verdict = compiled!.check(structuredClone(body));
        if (expected.ok) valid++;
        if (verdict === 'fallback') {
          // Only shapes class-transformer copies in ways the builder does not mirror; never a plain valid body.
          expect(expected.ok).toBe(false);
          return;
        }
        decided++;
        expect(verdict.valid).toBe(expected.ok);
        if (!verdict.valid && !expected.ok) expect([...verdict.fields].sort()).toEqual(expected.fields);
        if (verdict.valid && expected.ok) expect(compiled!.build(structuredClone(body))).toStrictEqual(expected.value);
      }),
      { numRuns: 400 },
    );
    expect(valid).toBeGreaterThan(60);
    expect(decided).toBeGreaterThan(200);
  });

  it('makes the service pipe answer what the plain ValidationPipe answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodyFor(dto), likelyValidBodyFor(dto)), async (raw) => {
        const body = parsed(raw);
        if (body === null) return;
        const expected = await referenceOutcome(dto, body);
        const metadata: ArgumentMetadata = { type: 'body', metatype: dto as ArgumentMetadata['metatype'] };
        const answer = await pipe.transform(structuredClone(body), metadata).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        expect(answer.ok).toBe(expected.ok);
        if (answer.ok && expected.ok) expect(answer.value).toStrictEqual(expected.value);
        if (!answer.ok && !expected.ok) {
          expect(answer.error).toBeInstanceOf(ProblemError);
          // The same fields with the same messages: a refused body is answered by class-validator.
          expect((answer.error as ProblemError).errors).toEqual(expected.errors);
        }
      }),
      { numRuns: 200 },
    );
  });
});
