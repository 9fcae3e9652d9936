// Creates the database named in the URL when it does not exist yet.
const { Client } = require('pg');

async function main() {
  const url = new URL(process.argv[2]);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(database)) throw new Error(`unexpected database name "${database}"`);
  const admin = new URL(url.toString());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${database}"`);
      process.stderr.write(`[services] created database ${database}\n`);
    }
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  process.stderr.write(`[services] could not prepare the database: ${error.message}\n`);
  process.exit(1);
});
