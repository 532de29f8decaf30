/**
 * A member's avatar in a client response: the member's own http(s) link when they set one,
 * else a link to msproject's image of them (uploaded, or their initials). The second needs a
 * signature, so the views leave this placeholder and `resolveAvatars` turns every one into
 * its link as the response leaves: no view can hand the client an avatar that does not load.
 */
export class ClientAvatar {
  constructor(
    readonly memberId: string,
    readonly ownLink: string | null,
    /**
     * Set on the answer to an upload: a link the browser has not cached yet. The period's link
     * is the same before and after an upload, so without it the page that uploaded would keep
     * showing the old image from its cache.
     */
    readonly version?: string,
  ) {}
}

/** The avatar of a member a view shows; '' for nobody. */
export function clientAvatar(
  member: { id: string; avatar: string | null } | null | undefined,
): ClientAvatar | string {
  return member?.id ? new ClientAvatar(member.id, member.avatar) : '';
}

/**
 * Replaces, in place, every avatar placeholder in `data` (plain objects and arrays, as the
 * envelope's data is) by its link, `linkTo` making msproject's.
 */
export function resolveAvatars<T>(data: T, linkTo: (memberId: string) => string): T {
  const resolve = (value: unknown): unknown => {
    if (value instanceof ClientAvatar) {
      if (value.ownLink) return value.ownLink;
      const link = linkTo(value.memberId);
      return value.version && link ? `${link}&v=${value.version}` : link;
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = resolve(value[index]);
    } else if (value !== null && typeof value === 'object' && isPlain(value)) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = resolve(record[key]);
    }
    return value;
  };
  return resolve(data) as T;
}

function isPlain(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
