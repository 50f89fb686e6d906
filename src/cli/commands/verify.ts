import type { Command } from 'commander';
import { type DerivedDifference, verifyDerived } from '../../db/derived-verify.js';
import { say, withDatabase } from '../runtime.js';

/** How many differing pairs the report names. */
const SHOWN = 10;

export function register(program: Command) {
  program
    .command('verify')
    .description(
      'recompute the derived relationships (co-mentions, policy-company links) from the mentions and report any difference (exit 1)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const report = await withDatabase((db) => verifyDerived(db.driver, db.database));
      if (opts.json)
        console.log(
          JSON.stringify({
            ...report,
            differences: report.differences.slice(0, 100),
            differing: report.differences.length,
          }),
        );
      else if (!report.differences.length) {
        say(
          `verify: derived relationships match the mentions (${report.coMentioned} CO_MENTIONED, ${report.linkedCompanies} LINKED_COMPANY)`,
        );
      } else {
        say(`verify: ${report.differences.length} derived relationship(s) differ from the mentions:`);
        for (const d of report.differences.slice(0, SHOWN)) say(`  ${describe(d)}`);
        if (report.differences.length > SHOWN) say(`  ... and ${report.differences.length - SHOWN} more`);
      }
      if (report.differences.length) process.exitCode = 1;
    });
}

function describe(d: DerivedDifference): string {
  const pair = d.to ? `${d.type} ${d.from} -> ${d.to}` : `${d.type} of ${d.from}`;
  if (d.fields[0] === 'missing') return `${pair}: missing (the mentions give ${JSON.stringify(d.expected)})`;
  if (d.fields[0] === 'unexpected') return `${pair}: stored but no article supports it`;
  return `${pair}: ${d.fields.map((f) => `${f} stored ${JSON.stringify(d.actual?.[f] ?? null)}, expected ${JSON.stringify(d.expected?.[f] ?? null)}`).join('; ')}`;
}
