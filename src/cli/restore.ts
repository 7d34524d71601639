/** `ledger restore --from DIR`: puts a backup back into DATA_DIR; refuses a data directory that holds anything unless --force. */
import type { Command } from 'commander';
import { chmodSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { action, CliError, cliConfig, EXIT, report, seconds } from './cli';
import { countEvents, DATABASES, KEY_FILES, readManifest } from './backup-files';

/** What a restore replaces in the data directory: the databases with their WAL and shared-memory files, and the key file. */
const REPLACED = [...Object.values(DATABASES).flatMap((name) => [name, `${name}-wal`, `${name}-shm`]), ...KEY_FILES];

export function restoreCommand(program: Command): void {
  program
    .command('restore')
    .description('restore a backup into the data directory (stop the service first)')
    .requiredOption('--from <dir>', 'a directory written by `ledger backup`')
    .option('--force', 'replace the stores and keys of a data directory that is not empty')
    .action(
      action<{ from: string; force?: boolean }>(async (options) => {
        const config = cliConfig(options);
        const from = resolve(options.from);
        const manifest = readManifest(from);
        const present = readdirSync(config.dataDir);
        if (present.length > 0 && !options.force) throw new CliError(`${config.dataDir} is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}); pass --force to replace its stores and keys`, EXIT.failure);
        if (!manifest.files.every((name) => (Object.values(DATABASES) as string[]).includes(name) || (KEY_FILES as readonly string[]).includes(name))) throw new CliError(`${from}: the manifest names files this version does not restore`, EXIT.failure);
        const startedAt = performance.now();
        for (const name of REPLACED) rmSync(join(config.dataDir, name), { force: true });
        for (const name of manifest.files) copyFileSync(join(from, name), join(config.dataDir, name));
        for (const name of KEY_FILES) if (manifest.files.includes(name)) chmodSync(join(config.dataDir, name), 0o600);
        const restored = manifest.files.includes(DATABASES.eventStore) ? countEvents(join(config.dataDir, DATABASES.eventStore)) : { events: 0, headPosition: null };
        if (restored.events !== manifest.events) throw new CliError(`restored ${restored.events} events but the backup says ${manifest.events}`, EXIT.failure);
        const secs = seconds(startedAt);
        report(options, { command: 'restore', ok: true, from, dataDir: config.dataDir, files: manifest.files, ...restored, seconds: secs }, [`restored ${manifest.files.join(', ')} (${restored.events} events, head ${restored.headPosition ?? 'none'}) into ${config.dataDir} in ${secs} s`]);
        return EXIT.ok;
      }),
    );
}
