/**
 * `npm run drill [-- --quick] [-- --only kill,redis]`: the fault drills of DESIGN.md ("Failure
 * behaviour") and the rate-limit drill, one verdict line each on stdout; exits 1 when a promise
 * broke (or a drill crashed).
 */
import { runBadInputDrill } from './bad-input.ts';
import { runBrokerDrill } from './broker.ts';
import { runHangDrill } from './hang.ts';
import { runKillDrill } from './kill.ts';
import { runPostgresDrill } from './postgres.ts';
import { runRateLimitDrill } from './rate-limit.ts';
import { runReceiptsDrill } from './receipts.ts';
import { runRedisDrill } from './redis.ts';
import { type DrillOptions, formatVerdict, type Verdict } from './support/verdict.ts';

const DRILLS: Record<string, (options: DrillOptions) => Promise<Verdict>> = {
  kill: runKillDrill,
  broker: runBrokerDrill,
  redis: runRedisDrill,
  postgres: runPostgresDrill,
  hang: runHangDrill,
  'bad-input': (options) => runBadInputDrill({ ...options, requests: options.messages / 2 }),
  'rate-limit': runRateLimitDrill,
  receipts: (options) => runReceiptsDrill({ ...options, messages: options.messages / 2 }),
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : Object.keys(DRILLS);
const unknown = only.filter((name) => !(name in DRILLS));
if (unknown.length > 0) {
  process.stderr.write(`unknown drill(s): ${unknown.join(', ')}; known: ${Object.keys(DRILLS).join(', ')}\n`);
  process.exit(2);
}

const options: DrillOptions = {
  messages: quick ? 2_000 : 20_000,
  outageMs: quick ? 6_000 : 30_000,
  log: (line) => process.stderr.write(`  ${line}\n`),
};
process.stderr.write(
  `drills: ${only.join(', ')} (${options.messages} messages, outages ${options.outageMs} ms)\n`,
);

let failed = false;
for (const name of only) {
  const began = Date.now();
  try {
    const verdict = await DRILLS[name]!(options);
    process.stdout.write(`${formatVerdict(verdict)} [${((Date.now() - began) / 1000).toFixed(0)} s]\n`);
    if (verdict.broken.length > 0) failed = true;
  } catch (error) {
    failed = true;
    process.stdout.write(`drill ${name}: ERROR (did not finish) | ${(error as Error).stack ?? error}\n`);
  }
}
process.exit(failed ? 1 : 0);
