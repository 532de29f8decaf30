import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Problem } from '@/common/problem';
import { decodeId, encodeId } from '@/common/public-id';
import { ConfigCenter } from '@/config/config-center';
import type { StoragePort } from '@/infra/storage/storage.port';
import { Storage } from '@/infra/storage/storage.service';
import { SignedLinks } from '@/modules/user/auth/signed-links';
import { OrganizationDirectory } from '@/modules/user/organization-directory';
import { TracedService } from '@/telemetry/traced-service';
import { avatarImageType } from './avatar-images';
import { IMAGE_LINK, imagePath, type ImageView } from './dto/image.views';
import { readSmallUpload, tooLarge } from './multipart-form';
import { fromStorage } from './storage-problems';

/** A picture as it is served. */
export interface StoredImage {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** `<organization>.<32 hex digits>`: the organization first, so a read knows whose it is. */
const IMAGE_NAME = /^([A-Za-z0-9_-]+)\.([0-9a-f]{32})$/;

/**
 * Pictures members upload to an organization: project and template covers, images in task
 * descriptions. PNG, JPEG, GIF or WebP (told by their leading bytes, never SVG), at most
 * `images.maxBytes`, kept in the default storage backend under `images/<organization>/<uuid>`
 * (the name tells the backend nothing: every backend is asked on a read). Seen by the active
 * accounts of the organization, or by anyone holding a link one of them was given: the link
 * stands for its maker, checked again each time it is followed.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class ImageService {
  constructor(
    private readonly storage: Storage,
    private readonly center: ConfigCenter,
    private readonly links: SignedLinks,
    private readonly organizations: OrganizationDirectory,
  ) {}

  /** The largest picture accepted now. */
  get maxBytes(): number {
    return this.center.config.images.maxBytes;
  }

  /**
   * Keeps `image` as a picture of the organization, which the member must hold an active
   * account in (404 otherwise). `field` names it in errors: 400 for no picture or another
   * type, 413 when too large.
   */
  async upload(
    memberId: number,
    organizationId: number,
    image: Buffer,
    field = 'image',
  ): Promise<ImageView> {
    await this.requireAccount(memberId, organizationId);
    if (image.length === 0) throw Problem.invalid([{ field, message: 'required' }]);
    if (image.length > this.maxBytes) throw tooLarge(field, this.maxBytes);
    const contentType = avatarImageType(image);
    if (!contentType) {
      throw Problem.invalid([{ field, message: 'must be a PNG, JPEG, GIF or WebP image' }]);
    }
    const name = `${encodeId(organizationId, 'organization')}.${randomUUID().replaceAll('-', '')}`;
    const adapter = this.adapter(this.storage.defaultBackend);
    await this.stored(adapter.put(storageKey(name), Readable.from([image]), contentType));
    return {
      name,
      organizationId: encodeId(organizationId, 'organization'),
      contentType,
      size: image.length,
      url: this.linkTo(memberId, name),
    };
  }

  /**
   * The picture of a multipart/form-data request: its first part named one of `fileFields`
   * (the fields before it passed over), read up to `images.maxBytes`.
   */
  async uploadFromForm(
    memberId: number,
    organizationId: number,
    request: FastifyRequest,
    fileFields: readonly string[],
  ): Promise<ImageView> {
    await this.requireAccount(memberId, organizationId);
    const { bytes } = await readSmallUpload(request, fileFields, this.maxBytes);
    return this.upload(memberId, organizationId, bytes, fileFields[0]);
  }

  /** The picture `name`, for a member with an active account in its organization; 404 otherwise. */
  async read(viewerId: number, name: string): Promise<StoredImage> {
    const match = IMAGE_NAME.exec(name);
    if (!match) throw Problem.notFound('image not found');
    const organizationId = decodeId(match[1], 'organization');
    const account = await this.organizations.accountOf(viewerId, organizationId);
    if (account?.status !== 'active') throw Problem.notFound('image not found');
    // The default backend first: the one new pictures go to.
    const adapters = [...this.storage.all()].sort(
      (a, b) =>
        Number(b.backend === this.storage.defaultBackend) -
        Number(a.backend === this.storage.defaultBackend),
    );
    for (const adapter of adapters) {
      const body = await this.stored(readAll(adapter.get(storageKey(name)))).catch(
        (error: unknown) => {
          if (error instanceof Problem && error.status === 404) return null;
          throw error;
        },
      );
      if (!body) continue;
      const contentType = avatarImageType(body);
      if (!contentType) break;
      return { body, contentType, etag: `"${match[2]}"` };
    }
    throw Problem.notFound('image not found');
  }

  /** The path of a link to the picture standing for `memberId`, valid for `images.linkTtlSeconds`. */
  linkTo(memberId: number, name: string): string {
    const ttl = this.center.config.images.linkTtlSeconds;
    const { query } = this.links.sign(IMAGE_LINK, name, memberId, ttl);
    return `${imagePath(name)}?${query}`;
  }

  private async requireAccount(memberId: number, organizationId: number): Promise<void> {
    const account = await this.organizations.accountOf(memberId, organizationId);
    if (account?.status !== 'active') throw Problem.notFound('organization not found');
  }

  private adapter(backend: string): StoragePort {
    try {
      return this.storage.backend(backend);
    } catch (error) {
      this.center.logger.warn({ err: (error as Error).message }, 'storage backend unavailable');
      throw Problem.unavailable(5);
    }
  }

  private stored<T>(work: Promise<T>): Promise<T> {
    return fromStorage(work, (error) =>
      this.center.logger.warn({ err: error.message }, 'storage unavailable'),
    );
  }
}

const storageKey = (name: string) => `images/${name.replace('.', '/')}`;

async function readAll(stream: Promise<Readable>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
