/**
 * The path of a request URL without its query string: what logs and problem details may
 * repeat. Query values can be credentials (`?token=`), so they are never echoed.
 */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
