import type { ClientRoute } from './client-route';

export const TABLE_START = '<!-- web-client-routes:start (npm run docs:web-client) -->';
export const TABLE_END = '<!-- web-client-routes:end -->';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The README's table of the client's routes, from their declarations. */
export function renderRouteTable(
  routes: readonly ClientRoute[],
  notYet: readonly { path: string; note: string }[],
): string {
  const rows = routes.map((route) => {
    const sentAs = new Map(
      Object.entries(route.aliases ?? {}).map(([sent, declared]) => [declared, sent]),
    );
    const params =
      Object.keys(route.params.shape)
        .map((name) => (sentAs.has(name) ? `${name} (sent as ${sentAs.get(name)})` : name))
        .join(', ') || '—';
    const who = route.public ? 'public' : 'orgPermission' in route.scope ? 'org' : 'member';
    return `| \`${route.path}\` | ${route.status} | ${cell(params)} | ${who} | ${cell(route.uses)} | ${cell(route.note ?? route.summary)} |`;
  });
  const pending = notYet.map(
    (entry) => `| \`${entry.path}\` | not yet | | | | ${cell(entry.note)} |`,
  );
  return [
    TABLE_START,
    '',
    '| route | status | form fields read | caller | msproject | notes |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...pending,
    '',
    TABLE_END,
  ].join('\n');
}

/** `readme` with the table between its markers replaced by `table`. */
export function withRouteTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README has no web client route table markers');
  return readme.slice(0, start) + table + readme.slice(end + TABLE_END.length);
}
