import type { FastifyReply, FastifyRequest } from 'fastify';
import { DOWNLOAD_PASS_COOKIE, type DownloadPass } from '@/modules/user/auth/download-passes';

/**
 * The download-pass cookie the client's login and token renewal set, so that the template
 * links the client opens without its bearer header (a plain `<a href target=_blank>`) work:
 * HttpOnly (no script reads it), SameSite=Lax (sent when the browser follows a link, not on
 * another site's requests), Path=/ (under any prefix or proxy path), Secure when the request
 * came over https (as `server.trustProxy` lets X-Forwarded-Proto say), expiring with the
 * access token. Only the download routes read it.
 */
function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const attributes = [
    `${DOWNLOAD_PASS_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (request.protocol === 'https') attributes.push('Secure');
  return attributes.join('; ');
}

/** Sets the cookie to `pass`. */
export function setDownloadPass(
  request: FastifyRequest,
  reply: FastifyReply,
  pass: DownloadPass,
): void {
  const seconds = Math.max(0, Math.floor((pass.expiresAt.getTime() - Date.now()) / 1000));
  void reply.header('set-cookie', cookie(request, pass.value, seconds));
}

/** Removes the cookie (at logout). */
export function clearDownloadPass(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', cookie(request, '', 0));
}
