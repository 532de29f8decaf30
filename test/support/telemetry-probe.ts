import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Logger,
  Module,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UnauthorizedException,
} from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Span } from 'nestjs-otel';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, Repository } from 'typeorm';
import { Public } from '@/common/public.decorator';
import { GrpcClientFactory } from '@/grpc/grpc-client.factory';
import { DatabaseModule } from '@/infra/database/database.module';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';
import { Note } from './notes.module';

/**
 * A test-only feature shaped like the real ones: an HTTP route and a gRPC method that read the
 * database and Redis through a service with `@Span`, a route that relays to the gRPC method
 * through GrpcClientFactory, and a login that handles a password.
 */

export const PROBE_PROTO = join(__dirname, '../../../test/support/proto/telemetry_probe.proto');
export const PROBE_SERVICE = 'msproject.test.telemetry.v1.TraceProbe';
/** For configureApp's package list (`services` is read by newer versions of ProtoPackage). */
export const PROBE_PACKAGE = {
  name: 'msproject.test.telemetry.v1',
  file: PROBE_PROTO,
  services: [PROBE_SERVICE],
};

@Entity('test_probe_account')
export class ProbeAccount {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  account: string;

  @Column({ type: 'char', length: 64 })
  passwordHash: string;
}

export interface NoteView {
  id: number;
  body: string;
  views: number;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

@Injectable()
export class ProbeService {
  private readonly logger = new Logger(ProbeService.name);

  constructor(
    @InjectRepository(Note) private readonly notes: Repository<Note>,
    @InjectRepository(ProbeAccount) private readonly accounts: Repository<ProbeAccount>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: RedisClient,
  ) {}

  async createNote(body: string): Promise<number> {
    const note = await this.notes.save(this.notes.create({ body }));
    return note.id;
  }

  /** One database read, then one Redis write. */
  @Span()
  async readNote(id: number): Promise<NoteView> {
    const note = await this.notes.findOneBy({ id });
    const views = await this.redis.incr(`telemetry-probe:views:${id}`);
    this.logger.log({ noteId: id }, 'note read');
    return { id, body: note?.body ?? '', views };
  }

  async createAccount(account: string, password: string): Promise<void> {
    await this.accounts.save(this.accounts.create({ account, passwordHash: sha256(password) }));
  }

  /**
   * The password goes through SQL as a bound value (what the statement masking must hide)
   * and its hash into Redis (a value, which the Redis serializer leaves out).
   */
  @Span()
  async login(account: string, password: string): Promise<{ account: string }> {
    this.logger.log({ account }, 'login attempt');
    const [{ hash }] = await this.dataSource.query<{ hash: string }[]>(
      'SELECT SHA2(?, 256) AS hash',
      [password],
    );
    const found = await this.accounts.findOneBy({ account });
    if (!found || found.passwordHash !== hash) {
      await this.redis.incr(`telemetry-probe:failed-logins:${account}`);
      throw new UnauthorizedException('wrong account or password');
    }
    await this.redis.set(`telemetry-probe:session:${account}`, hash, 'EX', 60);
    return { account };
  }
}

@Public()
@Controller('test-telemetry')
export class ProbeController {
  private readonly logger = new Logger(ProbeController.name);

  constructor(
    private readonly probe: ProbeService,
    private readonly grpcClients: GrpcClientFactory,
  ) {}

  @Post('notes')
  async create(@Body() body: { body: string }) {
    return { id: await this.probe.createNote(body.body) };
  }

  @Get('notes/:id')
  read(@Param('id', ParseIntPipe) id: number) {
    return this.probe.readNote(id);
  }

  /** The same read, through our own gRPC service. */
  @Get('relay/:id')
  relay(@Param('id', ParseIntPipe) id: number) {
    return this.grpcClients
      .get({ protoFile: PROBE_PROTO, service: PROBE_SERVICE })
      .unary<{ id: number }, NoteView>('ReadNote', { id });
  }

  /** Answers after `ms` milliseconds; logs on arrival, so that a test can abort it. */
  @Get('slow')
  async slow(@Query('ms', ParseIntPipe) ms: number) {
    this.logger.log({ ms }, 'slow request arrived');
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { sleptMs: ms };
  }

  @Get('fail')
  fail(): never {
    throw new Error('probe failure');
  }

  @Post('accounts')
  async register(@Body() body: { account: string; password: string }) {
    await this.probe.createAccount(body.account, body.password);
    return { account: body.account };
  }

  @Post('login')
  @HttpCode(200)
  login(@Body() body: { account: string; password: string }) {
    return this.probe.login(body.account, body.password);
  }
}

@Public()
@Controller()
export class ProbeGrpcController {
  constructor(private readonly probe: ProbeService) {}

  @GrpcMethod('TraceProbe', 'ReadNote')
  readNote({ id }: { id: number }) {
    return this.probe.readNote(id);
  }
}

@Module({
  imports: [DatabaseModule.forFeature([Note, ProbeAccount])],
  controllers: [ProbeController, ProbeGrpcController],
  providers: [ProbeService],
})
export class TelemetryProbeModule {}
