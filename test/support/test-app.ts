/** An app built by the same createApp as main.ts, on a temporary data directory, with known keys. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';

export const KEYS = {
  writer: 'writer-secret-0001',
  auditor: 'auditor-secret-0001',
  analyst: 'analyst-secret-0001',
  admin: 'admin-secret-0001',
} as const;
export type KeyRole = keyof typeof KEYS;

const API_KEYS = (Object.keys(KEYS) as KeyRole[]).map((role) => `test-${role}:${role}:${KEYS[role]}`).join(',');

export interface TestApp {
  app: NestFastifyApplication;
  dataDir: string;
  http: () => request.Agent;
  /** Bearer header for a role. */
  as: (role: KeyRole) => { Authorization: string };
  close: () => Promise<void>;
  /** Closes and removes the data directory. */
  destroy: () => Promise<void>;
}

export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'customer-ledger-'));

export async function startTestApp(dataDir = newDataDir(), env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const config = loadConfig({ DATA_DIR: dataDir, API_KEYS, ...env });
  const { app } = await createApp(config, false);
  let closed = false;
  const close = async () => {
    if (!closed) await app.close();
    closed = true;
  };
  return {
    app,
    dataDir,
    http: () => request.agent(app.getHttpServer()),
    as: (role) => ({ Authorization: `Bearer ${KEYS[role]}` }),
    close,
    destroy: async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;
/** A customer id no other test uses. */
export const uniqueId = (prefix = 'c'): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${(sequence++).toString(36)}`;
