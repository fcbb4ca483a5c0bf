import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { envVariables } from '../../src/config/env-config.ts';
import { currentEnvTable, EnvDocsError, renderEnvTable } from '../../src/config/env-table.ts';

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Every `.ts` file under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('README environment-variable table', () => {
  it('is the table generated from the env schema (run `npm run docs:env` to refresh it)', () => {
    assert.equal(currentEnvTable(readme), renderEnvTable(), 'README.md env table is stale: npm run docs:env');
  });

  it('lists every HERALD_* variable that src/ reads from an environment', () => {
    const documented = new Set(envVariables().map((variable) => variable.name));
    const reads = /(?:env\.|env\[['"]|read\.\w+\(\s*')(HERALD_[A-Z0-9_]+)/g;
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(reads)) {
        assert.ok(documented.has(match[1]!), `${file} reads ${match[1]}, which the env schema does not have`);
      }
    }
  });

  it('refuses to render when a variable lacks a description or a description has no variable', () => {
    const variables = [{ name: 'HERALD_NEW', fallback: '1', allows: 'integer' }];
    assert.throws(() => renderEnvTable(variables, {}), EnvDocsError);
    assert.throws(() => renderEnvTable(variables, { HERALD_NEW: 'x', HERALD_OLD: 'y' }), /HERALD_OLD/);
    assert.match(renderEnvTable(variables, { HERALD_NEW: 'a | b' }), /^\| `HERALD_NEW` \| `1` .*a \\\| b/m);
  });
});
