/** What every `ledger` command shares: configuration, exit codes, output that scripts can rely on. */
import { ConfigError, loadConfig, type AppConfig } from '../config/config';

/** 0 ok; 1 the command ran and found a problem (invalid chains, unknown customer, …); 2 usage or configuration. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A refusal told in one line, with the exit code it means. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Options every command takes (declared on the program, accepted anywhere on the line). */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** The service's configuration (same environment, same checks), with `--data-dir` over DATA_DIR. */
export function cliConfig(options: GlobalOptions): AppConfig {
  try {
    return loadConfig({ ...process.env, ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration error: ${error.message}`, EXIT.usage);
    throw error;
  }
}

/** What a command prints when it is done: one JSON object with `--json`, human lines otherwise; always on `stream` (stdout unless stdout carries data). */
export function report(options: GlobalOptions, summary: Record<string, unknown>, human: string[], stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(options.json ? `${JSON.stringify(summary)}\n` : human.map((line) => `${line}\n`).join(''));
}

/** A notice for people, never for pipes: stderr. */
export const warn = (message: string): void => void process.stderr.write(`ledger: ${message}\n`);

/** A count option (`--customers 100`, `--threads 2`): an integer from 1 to `max`, or a usage error naming the option. */
export const positiveInt = (name: string, text: string, max: number): number => {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new CliError(`${name} must be an integer from 1 to ${max} (got "${text}")`);
  return value;
};

export const seconds = (startedAt: number): number => Math.round((performance.now() - startedAt) / 10) / 100;
export const perSecond = (count: number, secs: number): number => (secs > 0 ? Math.round(count / secs) : count);

/** A command's body: gets its options merged with the program's, answers the exit code. */
export function action<O extends object>(run: (options: O & GlobalOptions, args: string[]) => Promise<ExitCode>) {
  return async (...received: unknown[]): Promise<void> => {
    const command = received[received.length - 1] as { optsWithGlobals(): O & GlobalOptions; args: string[] };
    process.exitCode = await run(command.optsWithGlobals(), command.args);
  };
}
