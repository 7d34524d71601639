/** The machine a benchmark ran on, printed beside every figure. */
import Database from 'better-sqlite3';
import { cpus, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  sqlite: string;
  date: string;
}

export function machine(): Machine {
  const db = new Database(':memory:');
  const { version } = db.prepare('select sqlite_version() as version').get() as { version: string };
  db.close();
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, sqlite: version, date: new Date().toISOString() };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs `measure` `runs` times and keeps the median of each figure. */
export async function medianOf<T extends Record<string, number>>(runs: number, measure: () => Promise<T>): Promise<T> {
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure());
  return Object.fromEntries(Object.keys(results[0]).map((key) => [key, median(results.map((r) => r[key]))])) as T;
}
