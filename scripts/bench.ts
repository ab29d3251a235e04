// npm run bench: starts its own PostgreSQL server, runs every benchmark, prints the figures.
import { benchDigest } from '../bench/digest.js';
import { startPostgres } from '../test/support/postgresServer.js';

const server = await startPostgres();
const results: string[] = [];
try {
  console.log('Monday digest over two years of customer events (20 segments):');
  results.push(await benchDigest(server));
} finally {
  await server.stop();
}
console.log(`\n${results.join('\n')}`);
process.exit(0);
