/** A progress bar with rate and ETA on stderr, only when a person watches (stderr is a terminal); silent otherwise. */
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** `total` null: unknown (the bar shows the count and rate only). */
  start(total: number | null): void;
  increment(by?: number): void;
  update(value: number): void;
  stop(): void;
}

const SILENT: Progress = { start() {}, increment() {}, update() {}, stop() {} };

export function progress(label: string, unit = 'events'): Progress {
  if (!process.stderr.isTTY) return SILENT;
  let bar: SingleBar | null = null;
  let value = 0;
  let startedAt = 0;
  const rate = () => Math.round(value / Math.max(0.001, (performance.now() - startedAt) / 1000)).toLocaleString('en');
  return {
    start(total) {
      const format = total === null ? `${label} {value} ${unit} | {rate} ${unit}/s` : `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`;
      bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 100, fps: 5 }, Presets.shades_classic);
      startedAt = performance.now();
      bar.start(total ?? 0, 0, { rate: '0' });
    },
    increment(by = 1) {
      value += by;
      bar?.update(value, { rate: rate() });
    },
    update(next) {
      value = next;
      bar?.update(value, { rate: rate() });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
