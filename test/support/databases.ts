import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A fresh, uniquely named database on the local MariaDB; drop it when done. */
export async function createTestDatabase(
  server: { host: string; port: number; user: string; password: string } = MARIADB,
): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `msproject_test_${randomBytes(5).toString('hex')}`;
  const connection = await createConnection(server);
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await connection.end();
  return {
    name,
    drop: async () => {
      const dropper = await createConnection(server);
      await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.end();
    },
  };
}
