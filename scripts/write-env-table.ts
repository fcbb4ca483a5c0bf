import { readFileSync, writeFileSync } from 'node:fs';
import { currentEnvTable, EnvDocsError, renderEnvTable, replaceEnvTable } from '../src/config/env-table.ts';

/**
 * `npm run docs:env`: rewrites the README's environment-variable table from the env schema (run it
 * after adding a variable, or after a merge that added one). `-- --check` only says whether the
 * table is current, and exits 1 when it is not.
 */
const readmeUrl = new URL('../README.md', import.meta.url);
try {
  const readme = readFileSync(readmeUrl, 'utf8');
  const table = renderEnvTable();
  if (process.argv.includes('--check')) {
    const current = currentEnvTable(readme) === table;
    process.stdout.write(
      current ? 'README.md env table is current\n' : 'README.md env table is stale: run npm run docs:env\n',
    );
    process.exitCode = current ? 0 : 1;
  } else {
    writeFileSync(readmeUrl, replaceEnvTable(readme, table));
    process.stdout.write('README.md env table rewritten\n');
  }
} catch (error) {
  if (!(error instanceof EnvDocsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
