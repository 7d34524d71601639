/** What the auditors' routes answer (src/queries/audit.controller.ts), for the OpenAPI document. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTOMER_EVENT_TYPES } from '../../customer/evolve';
import { anyObject, id, instant, int } from '../../http/api-fields';

export class ActorDto {
  @ApiProperty({ type: String, example: 'pos-gateway' })
  name!: string;

  @ApiProperty({ type: String, example: 'writer' })
  role!: string;
}

export class EventMetadataDto {
  @ApiProperty({ type: String, format: 'uuid', example: '0b7d4c1e-8f2a-5c3b-9d4e-1f2a3b4c5d6e' })
  eventId!: string;

  @ApiProperty({ type: String, required: false, example: 'req-2026-11-24-0001' })
  correlationId?: string;

  @ApiProperty({ type: String, required: false, example: 'req-2026-11-24-0001' })
  causationId?: string;

  @ApiProperty({ type: ActorDto, required: false })
  actor?: ActorDto;

  @ApiProperty({ type: String, nullable: true, required: false, example: null })
  idempotencyKey?: string | null;

  @ApiProperty({ type: String, nullable: true, required: false, description: 'sha256 of the command as sent (route + body)', example: null })
  commandHash?: string | null;

  @ApiProperty(instant('business time'))
  occurredAt!: string;

  @ApiProperty(instant('ledger time'))
  recordedAt!: string;

  @ApiProperty(int(1, 'the payload\'s schema version', { minimum: 1 }))
  schemaVersion!: number;

  @ApiProperty({ type: String, required: false, description: 'the hash chain: the previous event\'s hash', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  prevHash?: string;

  @ApiProperty({ type: String, required: false, example: '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752' })
  hash?: string;
}

export class AuditEventDto {
  @ApiProperty(int(0, 'stream revision (first event = 0)', { minimum: 0 }))
  revision!: number;

  @ApiProperty({ type: String, example: '1200/1200' })
  position!: string;

  @ApiProperty({ type: String, enum: CUSTOMER_EVENT_TYPES, example: 'CustomerRegistered' })
  type!: string;

  @ApiProperty(anyObject('the payload as stored (in its metadata.schemaVersion); erased personal fields read "[erased]"', { customerId: 'c-1001', name: 'Li Wei', email: 'li.wei@example.com', occurredAt: '2026-11-24T10:00:00.000Z' }))
  data!: Record<string, unknown>;

  @ApiProperty({ type: EventMetadataDto })
  metadata!: EventMetadataDto;
}

export class HistoryDto {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty({ type: [AuditEventDto] })
  events!: AuditEventDto[];

  @ApiPropertyOptional(int(1000, 'present when more events follow: pass it as fromRevision', { minimum: 0 }))
  nextRevision?: number;
}

export class StateAtDto {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty(int(3, 'the last revision folded (null: none)', { minimum: 0, nullable: true }))
  revision!: number | null;

  @ApiProperty(instant('the business time asked for', true))
  asOf!: string | null;

  @ApiProperty(instant('the ledger time asked for', true))
  knownAt!: string | null;

  @ApiProperty(anyObject('the customer\'s state folded from those events (personal fields null once forgotten)', { registered: true, registeredAt: '2026-11-24T10:00:00.000Z', clock: '2026-11-24T10:05:00.000Z', tier: 'standard', stage: 'new', points: { balance: 100, lifetimeEarned: 100, lots: [] }, visits: { count: 0, lastVisitAt: null }, surveys: { count: 0 } }))
  state!: Record<string, unknown>;
}

export class ChainVerificationDto {
  @ApiProperty({ type: Boolean, example: true })
  valid!: boolean;

  @ApiProperty(int(12, 'events checked', { minimum: 0 }))
  events!: number;

  @ApiProperty({ type: String, example: '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752' })
  headHash!: string;

  @ApiPropertyOptional(int(4, 'the first revision whose hash does not match', { minimum: 0 }))
  firstInvalidRevision?: number;
}
