// Writes the web client's route table into README.md, between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { CLIENT_ROUTES, NOT_YET_SERVED } from '@/modules/web-client/client-routes';
import { renderRouteTable, withRouteTable } from '@/modules/web-client/route-table';

export const README_PATH = join(__dirname, '../../README.md');

/** README.md as it should be: with the route table the declarations give, formatted as prettier does. */
export async function readmeWithRouteTable(): Promise<string> {
  const readme = readFileSync(README_PATH, 'utf8');
  const options = (await resolveConfig(README_PATH)) ?? {};
  const table = await format(renderRouteTable(CLIENT_ROUTES, NOT_YET_SERVED), {
    ...options,
    parser: 'markdown',
  });
  return withRouteTable(readme, table.trimEnd());
}

if (require.main === module) {
  void readmeWithRouteTable().then((readme) => {
    writeFileSync(README_PATH, readme);
    console.log(
      `README.md: ${CLIENT_ROUTES.length} routes served, ${NOT_YET_SERVED.length} not yet`,
    );
  });
}
