// Prisma 7 reads the database URL from here, not from schema.prisma. The bot itself
// never uses this file: it builds its own driver adapter in src/store/database.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/customer_growth' },
});
