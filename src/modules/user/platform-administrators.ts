import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { Problem } from '@/common/problem';
import { accountKey } from './account-name';
import { MemberRepository } from './member.repository';

/**
 * Who administers the deployment itself (its one menu, the node catalogue, system settings
 * and announcements): the members whose account names `platform.administrators` lists, read
 * at every check, so a config change counts from the next request on.
 */
@Injectable()
export class PlatformAdministrators {
  constructor(
    private readonly members: MemberRepository,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async isAdministrator(memberId: number): Promise<boolean> {
    const names = this.config.get('platform', { infer: true }).administrators;
    if (names.length === 0) return false;
    const member = await this.members.findById(memberId);
    if (!member) return false;
    const key = accountKey(member.account);
    return names.some((name) => accountKey(name) === key);
  }

  /** 403 `platform_admin_only` unless the member administers the deployment. */
  async require(memberId: number): Promise<void> {
    if (!(await this.isAdministrator(memberId))) {
      throw new Problem(
        403,
        'platform_admin_only',
        "only the deployment's administrators (platform.administrators) may do this",
      );
    }
  }
}
