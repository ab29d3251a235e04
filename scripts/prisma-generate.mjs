// `prisma generate` without network: the CLI insists on locating its native schema
// engine first, though generation never runs it, so point it at any executable.
// On a machine with internet and no override, the CLI behaves as documented.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = ['/bin/true', '/usr/bin/true'].find((candidate) => existsSync(candidate)) ?? process.execPath;
}
const result = spawnSync('prisma', ['generate'], { stdio: 'inherit', env, shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
