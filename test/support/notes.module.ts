import { setTimeout as delay } from 'node:timers/promises';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  Column,
  CreateDateColumn,
  DataSource,
  Entity,
  PrimaryGeneratedColumn,
  Repository,
} from 'typeorm';
import { Public } from '@/common/public.decorator';
import { DatabaseModule } from '@/infra/database/database.module';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';

/** A table and routes that exercise the data layer the way a feature module does. */
@Entity('test_note')
export class Note {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  body: string;

  @CreateDateColumn()
  createdAt: Date;
}

interface PortRow {
  port: number | string;
}

@Public()
@Controller('test-notes')
export class NotesController {
  constructor(
    @InjectRepository(Note) private readonly notes: Repository<Note>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: RedisClient,
  ) {}

  /** Writes a note, then reads it back in the same request. */
  @Post()
  async create(@Body() body: { body: string }) {
    const note = await this.notes.save(this.notes.create({ body: body.body }));
    const readBack = await this.notes.findOneBy({ id: note.id });
    return { id: note.id, found: readBack?.body === body.body };
  }

  /** The server a read goes to: a read-mode runner, as repositories and query builders use. */
  @Get('ports/read')
  async readPort() {
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      const [row] = (await runner.query('SELECT @@port AS port')) as PortRow[];
      return { port: Number(row.port) };
    } finally {
      await runner.release();
    }
  }

  /** The server a write goes to (inside the write's transaction). */
  @Post('ports/write')
  async writePort() {
    return this.dataSource.transaction(async (manager) => {
      await manager.save(Note, { body: 'port probe' });
      const [row] = await manager.query<PortRow[]>('SELECT @@port AS port');
      return { port: Number(row.port) };
    });
  }

  /** A transaction that stays open for `ms`, so that a swap can happen during it. */
  @Post('slow-transaction')
  async slowTransaction(@Body() body: { ms: number; body: string }) {
    return this.dataSource.transaction(async (manager) => {
      const note = await manager.save(Note, { body: body.body });
      await delay(body.ms);
      const [row] = await manager.query<PortRow[]>('SELECT @@port AS port');
      return { id: note.id, port: Number(row.port) };
    });
  }

  /** A read, a write in a transaction, and Redis: the mix of the swap load test. */
  @Post('mixed')
  async mixed(@Body() body: { body: string }) {
    const count = await this.notes.count();
    const note = await this.dataSource.transaction((manager) =>
      manager.save(Note, { body: body.body }),
    );
    const hits = await this.redis.incr('test-notes:hits');
    const readBack = await this.notes.findOneBy({ id: note.id });
    const redisPort = (this.redis as { options: { port?: number } }).options.port;
    return { count, hits, found: readBack !== null, redisPort };
  }

  @Get(':id')
  async read(@Param('id') id: string) {
    return this.notes.findOneBy({ id: Number(id) });
  }
}

@Module({ imports: [DatabaseModule.forFeature([Note])], controllers: [NotesController] })
export class NotesModule {}
