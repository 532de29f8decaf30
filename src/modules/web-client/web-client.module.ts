import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@/config/schema';
import { FileModule } from '@/modules/file/file.module';
import { NotificationModule } from '@/modules/notification/notification.module';
import { OrganizationModule } from '@/modules/organization/organization.module';
import { ProjectModule } from '@/modules/project/project.module';
import { UserModule } from '@/modules/user/user.module';
import { ClientOrganizationLocator } from './client-organization.locator';
import { CLIENT_ROUTES } from './client-routes';
import { webClientController } from './web-client.controller';
import { WebClientServices } from './web-client-services';

/**
 * The original web client's routes, as a thin adapter over the services REST and gRPC call:
 * it translates the wire (form bodies, the `{code, msg, data}` envelope, md5 passwords, the
 * client's field names) and adds no rule of its own. No module depends on it.
 */
@Module({})
export class WebClientModule {
  /** `enabled` and `prefix` are read once: the routes are registered at start. */
  static register(settings: Pick<AppConfig['webClient'], 'enabled' | 'prefix'>): DynamicModule {
    return {
      module: WebClientModule,
      imports: [UserModule, ProjectModule, OrganizationModule, NotificationModule, FileModule],
      providers: [WebClientServices, ClientOrganizationLocator],
      controllers: settings.enabled ? [webClientController(CLIENT_ROUTES, settings.prefix)] : [],
    };
  }
}
