import { Global, Module } from '@nestjs/common';
import { ConfigCenter } from '@/config/config-center';
import { Swappable } from '../generations/swappable';
import { closeStorage, describeStorage, openStorage, type StorageSet } from './storage.factory';
import { LocalStorageNeighbours } from './local-storage-neighbours';
import { Storage, STORAGE_GENERATIONS, type StorageGenerations } from './storage.service';

/** Object storage (local disk or S3-compatible) behind StoragePort, hot-swapped by config. */
@Global()
@Module({
  providers: [
    {
      provide: STORAGE_GENERATIONS,
      inject: [ConfigCenter],
      useFactory: async (center: ConfigCenter): Promise<StorageGenerations> => {
        const set = await openStorage(center.config.storage);
        // An old generation closes only the backends the current one no longer uses.
        const generations: StorageGenerations = new Swappable<StorageSet>(
          'storage',
          set,
          describeStorage(set),
          (old) => closeStorage(old, generations.current.resource),
        );
        return generations;
      },
    },
    Storage,
    LocalStorageNeighbours,
  ],
  exports: [Storage],
})
export class StorageModule {}
