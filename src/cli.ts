/**
 * The `joinwatch` command line. Each subcommand loads its module only when it runs, so
 * `--help` works with no configuration and a command validates only the settings it needs.
 */
import { Command, Option } from 'commander';
import { runCommand } from './cli/run-command.js';

const program = new Command()
  .name('joinwatch')
  .description('Who joined your Telegram chats through which invite link, and the pending join requests')
  .showHelpAfterError('(run `joinwatch --help` for the commands)');

program
  .command('start')
  .description('run the scheduled sync, the admin bot and the notifier in one process')
  .option('--no-bot', 'run only the userbot side (sync and notifier)')
  .option('--no-sync', 'run only the bot side (another process syncs)')
  .action((opts) => runCommand(async () => (await import('./app.js')).runStart(opts)));

program
  .command('login')
  .description('sign the userbot account in (phone, code, 2FA password) and save the session')
  .option('--print', 'also print the session string (it is a password: keep it secret)')
  .action((opts) => runCommand(async () => (await import('./telegram/login.js')).runLogin(opts)));

program
  .command('sync')
  .description('pull invite links, joiners and pending requests into the database')
  .option('--once', 'run one cycle and exit (the default; `start` runs it on a schedule)', true)
  .option('--chat <chat>', 'only this watched chat (-100… id or @username)')
  .option('--full', 'the full reconcile for every chat (links listed, members paged as planned) instead of the ordinary cycle (admin log + one pending check)')
  .option('--verbose', 'also show info-level log lines (default: warnings and errors only, unless LOG_LEVEL is set)')
  .action((opts) =>
    runCommand(async () => {
      const { runSyncOnce } = await import('./sync/run-once.js');
      const { runStoppable } = await import('./cli/shutdown.js');
      return runStoppable((shutdown) => runSyncOnce(opts, process.stdout, shutdown.signal));
    }),
  );

program
  .command('export')
  .description('write the joins and requests of a chat as CSV or JSON')
  .requiredOption('--chat <chat>', 'chat: -100… id or @username')
  .option('--link <link>', 'only the members who joined through this invite link')
  .option('--pending', 'only the pending join requests')
  .option('--all', 'every join and every request of the chat')
  .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
  .option('--out <file>', 'write to a file instead of stdout')
  .action((opts) => runCommand(async () => (await import('./export/cli.js')).runExport(opts)));

program
  .command('backup')
  .description('copy the database to FILE while joinwatch keeps running (consistent, created 0600)')
  .argument('<file>', 'where to write the copy (replaced only once the new copy is complete and checked)')
  .action((file: string) => runCommand(async () => (await import('./backup/cli.js')).runBackup(file)));

program
  .command('sandbox')
  .description('start the offline sandbox Telegram (MTProto + Bot API on 127.0.0.1) from a scenario file or a generated world')
  .option('--world <file>', 'scenario JSON (see docs/sandbox.md)')
  .option('--generate <spec>', 'a generated world instead: demo, bench (1,000,000 joins) or JSON generator parameters')
  .option('--mtproto-port <port>', 'MTProto port (default: any free port)')
  .option('--bot-api-port <port>', 'Bot API port (default: any free port)')
  .action((opts) =>
    runCommand(async () => {
      const { runSandboxCommand } = await import('./sandbox/cli.js');
      const { runStoppable } = await import('./cli/shutdown.js');
      return runStoppable((shutdown) => runSandboxCommand({ ...opts, until: shutdown.requested }));
    }),
  );

program
  .command('demo')
  .description('offline tour: sandbox + sync + bot on a bundled scenario, with a scripted admin session')
  .option('--play', 'instead of the scripted tour, type the commands yourself as the admin (/press N, /as USER, /quit)')
  .option('--verbose', 'also show the log lines')
  .action((opts) =>
    runCommand(async () => {
      const { runDemo } = await import('./demo/tour.js');
      const { runStoppable } = await import('./cli/shutdown.js');
      return runStoppable((shutdown) => runDemo({ ...opts, signal: shutdown.signal }));
    }),
  );

program
  .command('doctor')
  .description('check configuration, database, session and bot token, and what the account can see')
  .action(() => runCommand(async () => (await import('./doctor.js')).runDoctor()));

await program.parseAsync(process.argv);
