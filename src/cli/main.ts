#!/usr/bin/env node
/** `ledger`: the operators' CLI on the service's own configuration (the same environment, plus --data-dir). */
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { backupCommand } from './backup';
import { CliError, EXIT } from './cli';
import { evaluateCommand } from './evaluate';
import { exportCommand } from './export';
import { keysCommand } from './keys';
import { migrateCommand } from './migrate';
import { rebuildCommand } from './rebuild';
import { restoreCommand } from './restore';
import { seedDemoCommand } from './seed-demo';
import { verifyCommand } from './verify';

export function ledgerProgram(): Command {
  const program = new Command('ledger')
    .description('customer-ledger operations: verify, export, rebuild, evaluate, backup/restore, keys, migrate, seed-demo')
    .option('--data-dir <dir>', 'data directory of the embedded stores and keys (default: DATA_DIR, else ./data)')
    .option('--json', 'print one JSON summary object (for scripts)')
    .showHelpAfterError()
    .exitOverride();
  for (const add of [verifyCommand, exportCommand, rebuildCommand, evaluateCommand, backupCommand, restoreCommand, keysCommand, migrateCommand, seedDemoCommand]) add(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await ledgerProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are answers, not errors; anything else commander refused is a usage error (already printed).
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    const code = error instanceof CliError ? error.exitCode : EXIT.failure;
    process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = code;
  }
}

if (require.main === module) {
  // A reader that went away (`ledger export | head`) ends the output, not in an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
  void main(process.argv);
}
