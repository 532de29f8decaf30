import { createHash } from 'node:crypto';

/** The image types an avatar may be, by their leading bytes (never by a declared type). */
const IMAGE_SIGNATURES: { type: string; matches: (bytes: Buffer) => boolean }[] = [
  {
    type: 'image/png',
    matches: (bytes) => bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
  },
  // JPEG's start-of-image marker, then another marker.
  {
    type: 'image/jpeg',
    matches: (bytes) => bytes.subarray(0, 3).equals(Buffer.from('ffd8ff', 'hex')),
  },
  {
    type: 'image/gif',
    matches: (bytes) => ['GIF87a', 'GIF89a'].includes(bytes.subarray(0, 6).toString('latin1')),
  },
  {
    type: 'image/webp',
    matches: (bytes) =>
      bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
      bytes.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** The avatar image type the bytes are, or undefined for anything else (SVG included: it can hold script). */
export function avatarImageType(bytes: Buffer): string | undefined {
  return IMAGE_SIGNATURES.find((signature) => signature.matches(bytes))?.type;
}

/** The initials shown for a name: its first two words' first letters, or its first two characters. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters =
    words.length > 1
      ? words.slice(0, 2).map((word) => [...word][0])
      : [...(words[0] ?? '?')].slice(0, /^[\p{Script=Latin}]/u.test(words[0] ?? '') ? 2 : 1);
  return letters.join('').toLocaleUpperCase();
}

const BACKGROUNDS = [
  '#1890ff',
  '#13c2c2',
  '#52c41a',
  '#faad14',
  '#f5222d',
  '#722ed1',
  '#eb2f96',
  '#fa8c16',
];

const escapeXml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A member's default avatar: their initials on a colour chosen by their id, as an SVG of our own
 * making (no script, no external reference; the text escaped).
 */
export function initialsAvatar(name: string, memberPublicId: string): Buffer {
  const colour =
    BACKGROUNDS[createHash('sha256').update(memberPublicId).digest()[0] % BACKGROUNDS.length];
  const initials = escapeXml(initialsOf(name));
  return Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">' +
      `<rect width="128" height="128" fill="${colour}"/>` +
      '<text x="64" y="64" dy=".35em" text-anchor="middle" fill="#ffffff" ' +
      `font-family="sans-serif" font-size="52">${initials}</text></svg>`,
  );
}
