import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Problem } from '@/common/problem';
import { decodeId, encodeId } from '@/common/public-id';
import { ConfigCenter } from '@/config/config-center';
import { RowLocks } from '@/infra/database/row-locks';
import type { StoragePort } from '@/infra/storage/storage.port';
import { Storage } from '@/infra/storage/storage.service';
import { SignedLinks } from '@/modules/user/auth/signed-links';
import { Member } from '@/modules/user/entities';
import { OrganizationDirectory } from '@/modules/user/organization-directory';
import { UserDirectory } from '@/modules/user/user-directory';
import { UserService } from '@/modules/user/user.service';
import { TracedService } from '@/telemetry/traced-service';
import { avatarImageType, initialsAvatar } from './avatar-images';
import { AVATAR_LINK, avatarPath, type AvatarView } from './dto/avatar.views';
import { MemberAvatar } from './entities';
import { malformed, MultipartForm, tooLarge } from './multipart-form';
import { fromStorage } from './storage-problems';

/** An avatar as it is served: its bytes, their type and a tag that changes with them. */
export interface AvatarImage {
  body: Buffer | Readable;
  contentType: string;
  size: number;
  etag: string;
}

/** Avatar changes of one member, one at a time: each holds the member's row lock. */
@Injectable()
class AvatarLocks extends RowLocks {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }
}

/**
 * Members' avatars: the image a member uploaded (PNG, JPEG, GIF or WebP, told by its leading
 * bytes, at most `avatars.maxBytes`), kept in the file storage, else their initials as an SVG
 * of our own making. A link the member set as their avatar (their profile's `avatar`) is
 * shown instead of either, and an upload clears it. Served to the member and to those who share an organization with them,
 * or to anyone holding a link made by `linkTo`.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class AvatarService {
  private readonly locks: AvatarLocks;

  constructor(
    @InjectRepository(MemberAvatar) private readonly avatars: Repository<MemberAvatar>,
    @InjectDataSource() dataSource: DataSource,
    private readonly storage: Storage,
    private readonly center: ConfigCenter,
    private readonly links: SignedLinks,
    private readonly directory: UserDirectory,
    private readonly organizations: OrganizationDirectory,
    private readonly users: UserService,
  ) {
    this.locks = new AvatarLocks(dataSource);
  }

  /** The largest image accepted now. */
  get maxBytes(): number {
    return this.center.config.avatars.maxBytes;
  }

  /**
   * Makes `image` the member's avatar, replacing the one before (whose bytes are deleted).
   * `field` names the image in errors: 400 for no image or one of another type, 413 when too
   * large.
   */
  async setAvatar(memberId: number, image: Buffer, field = 'image'): Promise<AvatarView> {
    if (image.length === 0) throw Problem.invalid([{ field, message: 'required' }]);
    if (image.length > this.maxBytes) throw tooLarge(field, this.maxBytes);
    const contentType = avatarImageType(image);
    if (!contentType) {
      throw Problem.invalid([{ field, message: 'must be a PNG, JPEG, GIF or WebP image' }]);
    }
    const adapter = this.adapter(this.storage.defaultBackend);
    const storageKey = `avatars/${memberId}/${randomUUID()}`;
    await this.stored(adapter.put(storageKey, Readable.from([image]), contentType));
    let replaced: MemberAvatar | null;
    try {
      replaced = await this.locks.transaction(async (manager) => {
        if (!(await this.locks.lock(manager, Member, memberId))) {
          throw Problem.notFound('member not found');
        }
        const before = await manager.findOneBy(MemberAvatar, { memberId });
        const row = {
          memberId,
          contentType,
          size: image.length,
          backend: adapter.backend,
          storageKey,
        };
        if (before) await manager.update(MemberAvatar, { memberId }, row);
        else await manager.insert(MemberAvatar, row);
        return before;
      });
    } catch (error) {
      await adapter.delete([storageKey]).catch(() => undefined);
      throw error;
    }
    if (replaced) await this.deleteBytes(replaced);
    // A link the member set themselves would hide the image they just uploaded.
    if ((await this.users.me(memberId)).avatar) {
      await this.users.updateProfile(memberId, { avatar: null });
    }
    return this.view(memberId, { contentType, size: image.length, uploaded: true });
  }

  /**
   * The image of a multipart/form-data request (its `field` part; fields before it are passed
   * over), read as it arrives up to `avatars.maxBytes`, made the member's avatar.
   */
  async setAvatarFromForm(
    memberId: number,
    request: FastifyRequest,
    field: string,
  ): Promise<AvatarView> {
    const max = this.maxBytes;
    const form = MultipartForm.open(request, max);
    const { file } = await form.fieldsThenFile(field);
    if (!file) throw Problem.invalid([{ field, message: 'required' }]);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of file.file) chunks.push(chunk as Buffer);
    } catch (error) {
      throw malformed(error);
    }
    if (file.file.truncated) throw tooLarge(field, max);
    await form.finish();
    return this.setAvatar(memberId, Buffer.concat(chunks), field);
  }

  /** Back to the initials: the uploaded image, if any, is deleted. */
  async removeAvatar(memberId: number): Promise<AvatarView> {
    const removed = await this.locks.transaction(async (manager) => {
      await this.locks.lock(manager, Member, memberId);
      const before = await manager.findOneBy(MemberAvatar, { memberId });
      if (before) await manager.delete(MemberAvatar, { memberId });
      return before;
    });
    if (removed) await this.deleteBytes(removed);
    return this.view(memberId, { contentType: 'image/svg+xml', size: 0, uploaded: false });
  }

  /** What the member's avatar is now. */
  async describe(memberId: number): Promise<AvatarView> {
    const row = await this.avatars.findOneBy({ memberId });
    return this.view(
      memberId,
      row
        ? { contentType: row.contentType, size: row.size, uploaded: true }
        : { contentType: 'image/svg+xml', size: 0, uploaded: false },
    );
  }

  /**
   * The avatar of `memberId` as `viewerId` may see it: their own, or that of a member they
   * share an organization with (a link's holder is the member it was made for); 404 otherwise.
   * `etag` lets a cached copy be confirmed without the bytes (`body` empty then).
   */
  async read(viewerId: number, memberId: number, cachedTag?: string): Promise<AvatarImage> {
    if (!(await this.organizations.shareAnOrganization(viewerId, memberId))) {
      throw Problem.notFound('member not found');
    }
    const row = await this.avatars.findOneBy({ memberId });
    if (row) {
      const etag = `"${row.storageKey.slice(row.storageKey.lastIndexOf('/') + 1)}"`;
      const body =
        cachedTag === etag
          ? Buffer.alloc(0)
          : await this.stored(this.adapter(row.backend).get(row.storageKey));
      return { body, contentType: row.contentType, size: row.size, etag };
    }
    const member = (await this.directory.summaries([memberId])).get(memberId);
    if (!member) throw Problem.notFound('member not found');
    const image = initialsAvatar(member.name, member.id);
    const etag = `"i-${createHash('sha256').update(image).digest('base64url').slice(0, 22)}"`;
    return { body: image, contentType: 'image/svg+xml', size: image.length, etag };
  }

  /**
   * The path of a link to the member's avatar that a browser follows without the bearer
   * header. The links made in one period of `avatars.linkTtlSeconds` are the same link (so a
   * browser caches the image), valid until the end of the next period; the link is the
   * member's own, whoever it is shown to.
   */
  linkTo(memberPublicId: string): string {
    const period = this.center.config.avatars.linkTtlSeconds;
    const now = Math.floor(Date.now() / 1000);
    const expires = (Math.floor(now / period) + 2) * period;
    let memberId: number;
    try {
      memberId = decodeId(memberPublicId, 'member');
    } catch {
      return '';
    }
    const { query } = this.links.signUntil(AVATAR_LINK, memberPublicId, memberId, expires);
    return `${avatarPath(memberPublicId)}?${query}`;
  }

  private view(
    memberId: number,
    image: { contentType: string; size: number; uploaded: boolean },
  ): AvatarView {
    const id = encodeId(memberId, 'member');
    return { memberId: id, ...image, url: this.linkTo(id) };
  }

  private async deleteBytes(row: MemberAvatar): Promise<void> {
    try {
      await this.adapter(row.backend).delete([row.storageKey]);
    } catch (error) {
      // The row is gone: the bytes are only a leftover, not worth failing the change for.
      this.center.logger.warn({ err: (error as Error).message }, 'avatar bytes not deleted');
    }
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
