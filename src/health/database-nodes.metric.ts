import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { metrics, type ObservableResult } from '@opentelemetry/api';
import { ConfigCenter } from '../config/config-center';
import { probeDataSource } from '../infra/database/data-source.factory';
import { DATABASE_GENERATIONS, type DatabaseGenerations } from '../infra/database/database.tokens';

const nodeUp = metrics.getMeter('msproject.database').createObservableGauge('db.node.up', {
  description: 'Whether each database node (primary, replicas) answers a ping: 1 up, 0 down',
});

/** `db_node_up` per node of the current database generation, probed at each collection. */
@Injectable()
export class DatabaseNodesMetric implements OnModuleInit, OnModuleDestroy {
  private readonly observe = async (result: ObservableResult) => {
    const probes = await probeDataSource(
      this.generations.current.resource,
      this.center.config.db,
      1_000,
    );
    for (const probe of probes) {
      result.observe(probe.up ? 1 : 0, { 'db.node': probe.name, 'db.node.role': probe.role });
    }
  };

  constructor(
    @Inject(DATABASE_GENERATIONS) private readonly generations: DatabaseGenerations,
    private readonly center: ConfigCenter,
  ) {}

  onModuleInit(): void {
    nodeUp.addCallback(this.observe);
  }

  onModuleDestroy(): void {
    nodeUp.removeCallback(this.observe);
  }
}
