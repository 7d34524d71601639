/**
 * The event store as the service reads it, over the embedded stores: sealed events opened, events
 * of the first release (stored in clear) read as they are — and as erased once their customer is
 * forgotten — the chain verified over the stored form, a crash between an erasure's append and its
 * key's destruction repaired, a foreign master key refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStream, stampEvents } from '../../../src/event-store/customer-stream';
import type { CustomerEvent } from '../../../src/customer/events';
import { GENESIS_HASH, verifyChain } from '../../../src/event-store/hash-chain';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { DecryptingEventStore } from '../../../src/privacy/decrypting-event-store';
import { PersonalDataVault } from '../../../src/privacy/personal-data-vault';
import { SqliteKeyStore } from '../../../src/privacy/sqlite-key-store';
import { ledgerLine } from '../../../src/queries/ledger-export';
import { collect } from '../../support/new-events';

const C = 'c-1';
const stream = customerStream(C);
const context = (commandId: string) => ({ commandId, correlationId: 'test', actor: { name: 'test', role: 'writer' }, idempotencyKey: null, commandHash: null, recordedAt: '2026-01-05T00:00:00.000Z' });
const registered: CustomerEvent = { type: 'CustomerRegistered', data: { customerId: C, name: 'Li Wei', email: 'li.wei@example.com', phone: null, address: null, outletId: null, preferences: { channels: [], categories: [] }, occurredAt: '2026-01-01T00:00:00.000Z' } };
const complaint: CustomerEvent = { type: 'ComplaintFiled', data: { customerId: C, complaintId: 'k1', channel: 'phone', category: 'service', severity: 'normal', description: 'Li Wei called twice', outletId: null, dueAt: '2026-01-03T00:00:00.000Z', occurredAt: '2026-01-02T00:00:00.000Z' } };
const forgotten: CustomerEvent = { type: 'CustomerForgotten', data: { customerId: C, reason: 'request #1', followUpIds: [], occurredAt: '2026-01-04T00:00:00.000Z' } };

let dir: string;
let raw: SqliteEventStore;
let keys: SqliteKeyStore;
let store: DecryptingEventStore;
const master = randomBytes(32);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-decrypting-'));
  raw = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  keys = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
  store = new DecryptingEventStore(raw, await PersonalDataVault.open(keys, master));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Appends like the command pipeline: sealed with the customer's key when `sealed`, in clear as the first release did otherwise. */
async function append(events: CustomerEvent[], sealed: boolean, from: bigint | 'no_stream', prevHash: string, commandId: string) {
  const seal = sealed ? await store.vault.sealerFor(C) : null;
  const stamped = stampEvents(stream, events, prevHash, context(commandId), seal);
  await store.append(stream, stamped, from);
  return stamped[stamped.length - 1].metadata.hash;
}

it('stores sealed data (no personal field in the stored form) and reads it opened, with the stored form beside it', async () => {
  await append([registered, complaint], true, 'no_stream', GENESIS_HASH, 'cmd-1');
  const stored = await collect(raw.readStream(stream));
  expect(JSON.stringify(stored.map((event) => event.data))).not.toMatch(/Li Wei|li\.wei/);
  const opened = await collect(store.readStream(stream));
  expect(opened.map((event) => event.data)).toEqual([registered.data, complaint.data]);
  expect(opened[0].storedData).toEqual(stored[0].data);
  expect((await store.readAll({ after: null, maxCount: 10 })).map((event) => event.data)).toEqual([registered.data, complaint.data]);
  expect(await verifyChain(store.readStream(stream))).toMatchObject({ valid: true, events: 2 });
});

it('opens only the types a reader asks for (openTypes), the others as stored, in log order', async () => {
  await append([registered, complaint], true, 'no_stream', GENESIS_HASH, 'cmd-1');
  const stored = await raw.readAll({ after: null, maxCount: 10 });
  const page = await store.readAll({ after: null, maxCount: 10, openTypes: new Set(['ComplaintFiled']) });
  expect(page.map((event) => event.type)).toEqual(['CustomerRegistered', 'ComplaintFiled']);
  expect(page[0].data).toEqual(stored[0].data);
  expect(page[1].data).toEqual(complaint.data);
  expect((await store.readAll({ after: null, maxCount: 10, openTypes: new Set() })).map((event) => event.data)).toEqual(stored.map((event) => event.data));
});

it('reads events the first release stored in clear as they are (same object, no key needed), in one stream with sealed ones', async () => {
  const head = await append([registered], false, 'no_stream', GENESIS_HASH, 'cmd-1');
  await append([complaint], true, 0n, head, 'cmd-2');
  const opened = await collect(store.readStream(stream));
  expect(opened.map((event) => event.data)).toEqual([registered.data, complaint.data]);
  expect(opened[0].storedData).toBeUndefined();
  expect(await verifyChain(store.readStream(stream))).toMatchObject({ valid: true, events: 2 });
});

it('reads every personal field of a forgotten customer as erased — sealed or stored in clear — and the chain still verifies', async () => {
  let head = await append([registered], false, 'no_stream', GENESIS_HASH, 'cmd-1');
  head = await append([complaint], true, 0n, head, 'cmd-2');
  await append([forgotten], false, 1n, head, 'cmd-3');
  await store.vault.destroy(C);
  const opened = await collect(store.readStream(stream));
  expect(opened[0].data).toEqual({ ...registered.data, name: '[erased]', email: '[erased]' });
  expect(opened[1].data).toEqual({ ...complaint.data, description: '[erased]' });
  expect(opened[2].data).toEqual(forgotten.data);
  expect(await verifyChain(store.readStream(stream))).toMatchObject({ valid: true, events: 3 });
});

it('destroys the key of a forgotten customer the first time the erasure is read (a crash came between its append and the destruction)', async () => {
  const head = await append([registered, complaint], true, 'no_stream', GENESIS_HASH, 'cmd-1');
  await append([forgotten], false, 1n, head, 'cmd-2'); // and no destroy: the process died here
  expect((await keys.getMany([C])).get(C)?.wrappedKey).not.toBeNull();
  const page = await store.readAll({ after: null, maxCount: 10 });
  expect(page.map((event) => event.data.name ?? event.data.description ?? null)).toEqual(['[erased]', '[erased]', null]);
  expect((await keys.getMany([C])).get(C)?.wrappedKey).toBeNull();
  await expect(store.vault.sealerFor(C)).rejects.toMatchObject({ code: 'CUSTOMER_FORGOTTEN' });
});

it('refuses an event sealed with a key the key store does not hold', async () => {
  await append([registered], true, 'no_stream', GENESIS_HASH, 'cmd-1');
  const otherKeys = new SqliteKeyStore({ filename: join(dir, 'other-keys.sqlite') });
  const other = new DecryptingEventStore(raw, await PersonalDataVault.open(otherKeys, master));
  await expect(collect(other.readStream(stream))).rejects.toThrow(/no data key for customer c-1/);
  await otherKeys.close();
});

it('refuses to open a key store with another master key', async () => {
  const again = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
  await expect(PersonalDataVault.open(again, randomBytes(32))).rejects.toThrow(/not the one the key store was made with/);
  const same = await PersonalDataVault.open(new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') }), master);
  await same.close();
});

describe('export lines (readAllLines over the embedded store)', () => {
  const visit: CustomerEvent = { type: 'CustomerVisited', data: { customerId: C, visitId: 'v1', outletId: 'o1', channel: 'store', purpose: null, occurredAt: '2026-01-02T12:00:00.000Z' } };
  const lines = async () => (await store.readAllLines!({ after: null, maxCount: 100 })).entries.map((entry) => (typeof entry === 'string' ? entry : ledgerLine(entry)));

  it('has the inner store\'s lines, with the personal events opened: the same lines as the export writes from opened events', async () => {
    await append([registered, visit, complaint], true, 'no_stream', GENESIS_HASH, 'cmd-1');
    const page = await store.readAllLines!({ after: null, maxCount: 100 });
    expect(page.entries.map((entry) => (typeof entry === 'string' ? 'line' : entry.type))).toEqual(['CustomerRegistered', 'line', 'ComplaintFiled']);
    expect(await lines()).toEqual((await store.readAll({ after: null, maxCount: 100, withMetadata: true })).map(ledgerLine));
    expect((await lines()).map((line) => JSON.parse(line).data)).toEqual([registered.data, visit.data, complaint.data]);
  });

  it('erases the personal fields of a forgotten customer, destroying a key the erasure left behind', async () => {
    const head = await append([registered, visit, complaint], true, 'no_stream', GENESIS_HASH, 'cmd-1');
    await append([forgotten], false, 2n, head, 'cmd-2'); // no destroy: a crash came between
    const data = (await lines()).map((line) => JSON.parse(line).data);
    expect(data).toEqual([{ ...registered.data, name: '[erased]', email: '[erased]' }, visit.data, { ...complaint.data, description: '[erased]' }, forgotten.data]);
    expect((await keys.getMany([C])).get(C)?.wrappedKey).toBeNull();
  });

  it('is absent over a store that builds no lines, so the export reads events instead', () => {
    const readAllOnly = { readAll: raw.readAll.bind(raw) } as unknown as SqliteEventStore;
    expect(new DecryptingEventStore(readAllOnly, store.vault).readAllLines).toBeUndefined();
    expect(typeof store.readAllLines).toBe('function');
  });
});
