// `prisma generate` without network: the CLI insists on locating its native schema
// engine first, though generation never runs it, so point it at any executable.
// On a machine with internet and no override, the CLI behaves as documented.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY =
    ['/bin/true', '/usr/bin/true'].find((candidate) => existsSync(candidate)) ?? process.execPath;
}
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
if (result.error) console.error(`prisma generate could not start: ${result.error.message}`);
process.exit(result.status ?? 1);
