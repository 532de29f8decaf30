// Imported by main.ts before TypeORM loads: its drivers load as data sources need them.
import { loadTypeormDriversOnDemand } from './infra/database/typeorm-drivers';

loadTypeormDriversOnDemand();
