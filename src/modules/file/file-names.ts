/** The longest display name kept, in characters (the `file.title` column). */
export const MAX_TITLE_LENGTH = 200;
/** An extension longer than this is taken as part of the name. */
const MAX_EXTENSION_LENGTH = 16;

/** C0 and C1 controls and DEL. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * Invisible characters that change how a name reads: bidirectional embeddings, overrides and
 * isolates ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"), marks, zero-width characters
 * and the byte-order mark.
 */
const INVISIBLES = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** What Windows (and most unzip tools) refuse in a name. */
const RESERVED = /[<>:"|?*]/g;
const LONE_SURROGATES = /\p{Surrogate}/gu;
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

export interface CleanName {
  /** The whole display name, extension included. */
  title: string;
  /** Lower-case, without the dot; "" when there is none. */
  extension: string;
}

/** Splits "report.final.PDF" into "report.final" and "pdf"; ".bashrc" has no extension. */
function splitExtension(name: string): { base: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { base: name, extension: '' };
  const extension = name.slice(dot + 1);
  if (extension.length > MAX_EXTENSION_LENGTH || !/^[\p{L}\p{N}_-]+$/u.test(extension)) {
    return { base: name, extension: '' };
  }
  return { base: name.slice(0, dot), extension };
}

/** Cuts to `max` characters without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  return [...text].slice(0, max).join('');
}

/**
 * A name a client sent, made safe to show and to offer for download: the last path component
 * only, no control or invisible characters, no characters file systems refuse, no leading or
 * trailing dots and spaces, at most 200 characters with the extension kept. Never used as a
 * storage key.
 */
export function sanitizeFileName(raw: string, fallback = 'file'): CleanName {
  const lastComponent = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = lastComponent
    .normalize('NFC')
    .replace(LONE_SURROGATES, '')
    .replace(CONTROLS, '')
    .replace(INVISIBLES, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const name = cleaned || fallback;
  const { base, extension } = splitExtension(name);
  const suffix = extension ? `.${extension}` : '';
  let safeBase =
    cut(base, MAX_TITLE_LENGTH - [...suffix].length).replace(/[\s.]+$/, '') || fallback;
  if (WINDOWS_DEVICES.test(safeBase)) safeBase = `_${safeBase}`;
  return { title: `${safeBase}${suffix}`, extension: extension.toLowerCase() };
}

/**
 * A new display name for a file: sanitized, and ending in the file's own extension (added when
 * the new name has another one or none), since the bytes and their type do not change.
 */
export function renamedTitle(raw: string, extension: string): CleanName {
  const clean = sanitizeFileName(raw);
  if (!extension || clean.extension === extension) return { ...clean, extension };
  const suffix = `.${extension}`;
  const base = cut(clean.title, MAX_TITLE_LENGTH - suffix.length).replace(/[\s.]+$/, '');
  return { title: `${base || 'file'}${suffix}`, extension };
}

/**
 * Content-Disposition for a download: an ASCII fallback name and the exact one in RFC 5987
 * encoding (`filename*=UTF-8''...`), which every current browser prefers.
 */
export function contentDisposition(title: string): string {
  const ascii = title.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(title).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
